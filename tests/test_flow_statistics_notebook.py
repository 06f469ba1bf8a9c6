"""Run the chapter "flow-statistics" with papermill (slow: marked `book`, run by `make test`).

Each run goes to a temporary folder (papermill's working directory), with `output_dir` inside it.
Expected window totals are computed here directly from the CSV with pandas.
"""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pandas as pd
import pytest
from conftest import figure_folder, read_figure_csv

papermill = pytest.importorskip("papermill")

# One worker runs the whole module (make test runs the book checks on two): its module fixture is costly.
pytestmark = [pytest.mark.book, pytest.mark.xdist_group("test_flow_statistics_notebook")]

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "chapters" / "flow-statistics.ipynb"
CSV = ROOT / "data" / "sw_encounters_monthly.csv"
FIGURES = ["fig-flow-monthly", "fig-flow-may-june", "fig-flow-mexico", "fig-flow-chnv", "fig-flow-cumulative", "fig-flow-long-run"]

# Bad parameters and the parameter each error must name. Kept as data so the book's table of
# error cases (data-and-methods) can be generated from the tests' own cases.
BAD_PARAMETERS = [
    ("unknown citizenship", {"citizenships": ["ATLANTIS"]}, "citizenships", "'ATLANTIS'"),
    ("citizenships not a list", {"citizenships": "MEXICO"}, "citizenships", "a list of names"),
    ("end before start", {"start": "2022-09", "end": "2021-10"}, "end", "not before start"),
    ("month outside the data", {"start": "2018-01"}, "start", "a month from 2019-10 to 2024-09"),
    ("malformed month", {"end": "2023-13"}, "end", "'YYYY-MM'"),
    ("unknown component", {"component": "CBP"}, "component", "'all', 'USBP', 'OFO'"),
    ("file of the wrong schema", {"encounters_csv": "WRONG_SCHEMA"}, "encounters_csv", "schema of 'sw-encounters'"),
    ("missing file", {"encounters_csv": "no-such-file.csv"}, "encounters_csv", "file not found"),
]


def run(tmp_path: Path, **parameters) -> dict:
    """Execute the chapter with `parameters`; return its glued values (key -> Python value)."""
    parameters.setdefault("output_dir", str(figure_folder(tmp_path)))
    out = tmp_path / "flow-statistics.ipynb"
    papermill.execute_notebook(
        str(NOTEBOOK), str(out), parameters=parameters, cwd=str(tmp_path), progress_bar=False, kernel_name="python3"
    )
    glued = {}
    for cell in json.loads(out.read_text(encoding="utf-8"))["cells"]:
        for output in cell.get("outputs", []):
            name = output.get("metadata", {}).get("scrapbook", {}).get("name")
            text = output.get("data", {}).get("application/papermill.record/text/plain")
            if name and text is not None:
                try:
                    glued[name] = ast.literal_eval(text)
                except (ValueError, SyntaxError):
                    glued[name] = text
    return glued


@pytest.fixture(scope="module")
def raw():
    return pd.read_csv(CSV)


@pytest.fixture(scope="module")
def default_run(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("default")
    return tmp, run(tmp)


def test_default_run_states_the_full_total(default_run, raw):
    tmp, glued = default_run
    assert glued["window-total"] == int(raw["encounter_count"].sum())
    assert (glued["window-start"], glued["window-end"]) == ("October 2019", "September 2024")
    for stem in FIGURES:
        assert (figure_folder(tmp) / f"{stem}.csv").is_file(), stem


def test_default_run_article_checks(default_run):
    _tmp, glued = default_run
    assert glued["usbp-june"] == 99_538 and glued["sw-total-june"] == 144_556
    assert round(glued["usbp-pct"], 1) == 41.9 and round(glued["sw-total-pct"], 1) == 30.1
    assert glued["sw-total-last-lower"] == glued["usbp-last-lower"] == "February 2021"
    assert glued["mx-direction"] == "down"


def test_window_parameters_change_the_total_but_not_the_checks(tmp_path, raw, default_run):
    glued = run(tmp_path, start="2021-10", end="2022-09", citizenships=["MEXICO", "CUBA"], component="USBP")
    rows = raw[raw["month"].between("2021-10", "2022-09") & raw["citizenship"].isin(["MEXICO", "CUBA"]) & (raw["component"] == "USBP")]
    assert glued["window-total"] == int(rows["encounter_count"].sum())
    assert glued["window-total"] != default_run[1]["window-total"]
    assert (glued["window-start"], glued["window-end"]) == ("October 2021", "September 2022")
    assert glued["window-selection"] == "Border Patrol, citizens of Mexico and Cuba"
    figure = read_figure_csv(figure_folder(tmp_path) / "fig-flow-monthly.csv")
    assert len(figure) == 12 and figure["month"].iloc[0] == "2021-10"
    # The article checks use the full shipped series whatever the window.
    for key in ("usbp-pct", "sw-total-pct", "usbp-title-8-pct", "ofo-pct", "chnv-high-june", "mx-last-12"):
        assert glued[key] == default_run[1][key], key


def test_another_file_with_the_schema(tmp_path, raw):
    lines = CSV.read_text(encoding="utf-8").splitlines()
    subset = tmp_path / "ofo-only.csv"
    subset.write_text("\n".join([lines[0]] + [line for line in lines[1:] if ",OFO," in line]) + "\n", encoding="utf-8")
    glued = run(tmp_path, encounters_csv=str(subset), start="2023-01", end="2023-12")
    rows = raw[(raw["component"] == "OFO") & raw["month"].between("2023-01", "2023-12")]
    assert glued["window-total"] == int(rows["encounter_count"].sum())


@pytest.mark.parametrize("case, parameters, name, expected", BAD_PARAMETERS, ids=[c[0] for c in BAD_PARAMETERS])
def test_bad_parameters_stop_with_a_clear_error(tmp_path, case, parameters, name, expected):
    if parameters.get("encounters_csv") == "WRONG_SCHEMA":
        wrong = tmp_path / "wrong.csv"
        wrong.write_text("month,count\n2023-06,5\n", encoding="utf-8")
        parameters = {**parameters, "encounters_csv": str(wrong)}
    with pytest.raises(papermill.PapermillExecutionError) as info:
        run(tmp_path, **parameters)
    assert info.value.ename == "ParameterError", info.value.evalue
    assert f"parameter '{name}'" in info.value.evalue
    assert expected in info.value.evalue
