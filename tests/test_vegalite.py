"""migration_report.core.vegalite: Vega-Lite written as dicts, and what the pages carry of it."""

import hashlib
import json
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from migration_report.core import vegalite as vl


def test_a_field_is_named_and_typed_by_its_shorthand():
    assert vl.field("month:T", title="Month") == {"field": "month", "type": "temporal", "title": "Month"}
    assert vl.field("value:Q") == {"field": "value", "type": "quantitative"}
    assert vl.field("end") == {"field": "end"}  # x2, y2: typed by their primary channel
    with pytest.raises(ValueError, match="'month:X'"):
        vl.field("month:X")


def test_rows_are_json_values_with_missing_values_as_null():
    frame = pd.DataFrame({"n": np.array([1, 2], dtype="int64"), "x": [0.5, np.nan], "lines": [["a", "b"], ["c"]],
                          "flag": [True, False], "f32": np.array([1.5, np.nan], dtype="float32"),
                          "count": pd.array([3, None], dtype="Int64"), "array": [np.array([1, 2]), np.array([3])]})
    rows = vl.records(frame)
    assert rows == [{"n": 1, "x": 0.5, "lines": ["a", "b"], "flag": True, "f32": 1.5, "count": 3, "array": [1, 2]},
                    {"n": 2, "x": None, "lines": ["c"], "flag": False, "f32": None, "count": None, "array": [3]}]
    assert [type(rows[0][k]) for k in ("n", "x", "flag")] == [int, float, bool]
    json.dumps(rows, allow_nan=False)  # no NaN reaches a page


def test_a_date_must_be_written_in_utc_first():
    with pytest.raises(TypeError, match=r"charts.iso\(date\)"):
        vl.records(pd.DataFrame({"month": pd.to_datetime(["2023-05-01"])}))


def test_inline_data_move_to_datasets_named_by_their_values_once():
    frame = pd.DataFrame({"at": ["2023-05-11T23:59:00Z"], "label": ["Title 42 ends"]})
    rule = vl.chart(frame, vl.mark("rule"), {"x": vl.field("at:T")})
    text = vl.chart(frame, vl.mark("text"), {"x": vl.field("at:T"), "text": vl.field("label:N")})
    spec = vl.top_level(vl.layer(rule, text, height=300))
    values = [{"at": "2023-05-11T23:59:00Z", "label": "Title 42 ends"}]
    name = "data-" + hashlib.sha256(json.dumps(values, sort_keys=True).encode()).hexdigest()[:32]
    assert spec["datasets"] == {name: values}
    assert [layer["data"] for layer in spec["layer"]] == [{"name": name}, {"name": name}]
    assert spec["height"] == 300 and "values" not in json.dumps(spec["layer"])


def test_a_layers_selection_is_lifted_and_names_its_view():
    frame = pd.DataFrame({"series": ["A"], "value": [1]})
    selection = vl.point_selection("highlight_a", ["series"], bind="legend")
    unit = vl.with_params(vl.chart(frame, vl.mark("line"), {
        "opacity": vl.highlighted(selection, vl.value(1.0), vl.value(0.15))}), selection)
    spec = vl.top_level(vl.layer(vl.chart(frame, vl.mark("rect"), {}), unit))
    assert spec["params"] == [{"name": "highlight_a", "select": {"type": "point", "fields": ["series"]},
                               "bind": "legend", "views": ["view_highlight_a"]}]
    assert "params" not in spec["layer"][1] and spec["layer"][1]["name"] == "view_highlight_a"
    assert spec["layer"][1]["encoding"]["opacity"] == {"condition": {"param": "highlight_a", "value": 1.0},
                                                       "value": 0.15}


def test_the_chapters_figures_do_not_import_altair():
    modules = ", ".join(f"migration_report.chapters.{m}.figures" for m in (
        "introduction", "cooperation_and_funding", "flow_statistics", "rio_grande_dispute", "institutional_actors"))
    code = f"import sys, {modules}; print(sorted(m for m in ('altair', 'jsonschema') if m in sys.modules))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
