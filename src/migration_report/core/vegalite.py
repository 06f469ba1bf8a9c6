"""Vega-Lite specifications written as the JSON they are: the few constructors the book's charts use.

The charts are Vega-Lite (https://vega.github.io/vega-lite/docs/); the builders (`charts`) and the
chapters' figure modules write their specifications with these functions rather than with Altair,
whose import and object model took a third of a chart chapter's run (0.4-0.5 s of flow-statistics'
1.3 s under papermill) for dicts that are as short to write directly. The tests check every chart
they make against Vega-Lite's JSON schema (tests/conftest.py).

A unit chart carries its data inline (`chart`); `top_level` moves the data of a whole specification
into its `datasets`, each named after a hash of its values (as Altair names them), so that two
layers with the same rows share one copy in the page.
"""

from __future__ import annotations

import datetime
import hashlib
import json

import pandas as pd

SCHEMA = "https://vega.github.io/schema/vega-lite/v6.4.1.json"  # Vega-Lite 6.4, which chart_compile compiles with
TYPES = {"N": "nominal", "O": "ordinal", "Q": "quantitative", "T": "temporal"}


def field(shorthand: str, **props) -> dict:
    """An encoding of a data field: "month:T" (name:type, T, Q, N or O) or a bare name (x2, y2 and the
    like, which take their type from their primary channel); PROPS are the channel's other properties."""
    name, colon, kind = shorthand.rpartition(":")
    if not colon:
        return {"field": shorthand, **props}
    if kind not in TYPES:
        raise ValueError(f"{shorthand!r}: a field's type is one of {', '.join(TYPES)}")
    return {"field": name, "type": TYPES[kind], **props}


def value(constant) -> dict:
    """An encoding by a constant (a colour, a px position) or by an `expr`."""
    return {"value": constant}


def expr(text: str) -> dict:
    """A Vega expression, evaluated in the browser (it may read the chart's `width`)."""
    return {"expr": text}


def mark(kind: str, **props) -> dict:
    return {"type": kind, **props}


def records(frame) -> list[dict]:
    """A DataFrame's rows as JSON values: missing values as null, numbers as Python numbers."""
    rows = frame.to_dict(orient="records")
    return [{str(key): _plain(cell) for key, cell in row.items()} for row in rows]


def _plain(cell):
    if isinstance(cell, datetime.date):
        # Vega reads a date-time without an offset in the reader's time zone: charts.iso writes it in UTC.
        raise TypeError(f"a chart's date {cell!r} must be given as text, charts.iso(date), not as a date")
    if hasattr(cell, "tolist"):
        cell = cell.tolist()  # a numpy number as a Python one; an array in a cell (lines of a label) as a list
    if not isinstance(cell, (list, tuple, dict)) and pd.isna(cell):
        return None  # NaN, None, pd.NA: JSON's null
    return cell


def chart(frame, mark_: dict, encoding: dict, **props) -> dict:
    """A unit chart: FRAME's rows drawn as MARK_ with ENCODING."""
    return {"data": {"values": records(frame)}, "mark": mark_, "encoding": encoding, **props}


def layer(*layers: dict, **props) -> dict:
    """Charts drawn over one another, the first at the bottom."""
    return {"layer": list(layers), **props}


def point_selection(name: str, fields: list[str], bind: str | None = None) -> dict:
    """A point selection (a parameter), for `highlighted` and `with_params`."""
    selection = {"name": name, "select": {"type": "point", "fields": list(fields)}}
    return {**selection, "bind": bind} if bind else selection


def highlighted(selection: dict, selected, other) -> dict:
    """An encoding that is SELECTED (a value dict) for the selected data, else OTHER."""
    return {"condition": {"param": selection["name"], **selected}, **other}


def with_params(unit: dict, *params: dict) -> dict:
    """UNIT with PARAMS. A unit that will be a layer of another chart gets a name, and the layer
    holds the parameters (Vega-Lite defines a selection at the top, naming the views it applies to)."""
    return {**unit, "params": list(params)}


def top_level(spec: dict) -> dict:
    """SPEC as a page carries it: a layer's selections lifted to the layer (`with_params`), and every
    inline dataset moved to `datasets` under a name made from its values."""
    spec = _lift_params(spec)
    datasets: dict[str, list] = {}
    spec = _named_data(spec, datasets)
    return {**spec, "datasets": datasets} if datasets else spec


def _lift_params(spec: dict) -> dict:
    if "layer" not in spec:
        return spec
    params, layers = list(spec.get("params", [])), []
    for unit in spec["layer"]:
        unit = _lift_params(unit)
        if "params" in unit and "layer" not in unit:
            # Named after its first selection, so that panels stacked into one image keep distinct views.
            name = unit.get("name") or f"view_{unit['params'][0]['name']}"
            params += [{**param, "views": [name]} for param in unit["params"]]
            unit = {key: item for key, item in unit.items() if key != "params"} | {"name": name}
        layers.append(unit)
    return {**spec, "layer": layers, **({"params": params} if params else {})}


def _named_data(spec, datasets: dict):
    if isinstance(spec, list):
        return [_named_data(item, datasets) for item in spec]
    if not isinstance(spec, dict):
        return spec
    out = {}
    for key, item in spec.items():
        if key == "data" and isinstance(item, dict) and "values" in item and "name" not in item:
            name = dataset_name(item["values"])
            datasets[name] = item["values"]
            out[key] = {"name": name, **{k: v for k, v in item.items() if k != "values"}}
        elif key == "layer":
            out[key] = _named_data(item, datasets)
        else:
            out[key] = item
    return out


def dataset_name(values: list) -> str:
    """A dataset's name from its values (the scheme of Altair, whose charts the book had first)."""
    if values == [{}]:
        return "empty"
    text = json.dumps(values, sort_keys=True, default=str)
    return "data-" + hashlib.sha256(text.encode()).hexdigest()[:32]
