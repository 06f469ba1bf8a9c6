"""Run chapters/cooperation-and-funding.ipynb through papermill (slow: marked `book`).

Each run goes to a temporary folder, with the working directory and `output_dir` inside it.
Glued values and the figure data are checked against totals computed here with plain pandas.
"""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pandas as pd
import pytest
from conftest import figure_folder, read_figure_csv

papermill = pytest.importorskip("papermill")

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "chapters" / "cooperation-and-funding.ipynb"
SIX = ["EL SALVADOR", "HONDURAS", "BELIZE", "GUATEMALA", "CUBA", "ECUADOR"]

# One worker runs the whole module (make test runs the book checks on two): its module fixture is costly.
pytestmark = [pytest.mark.book, pytest.mark.xdist_group("test_cooperation_notebook")]


def run(tmp_path: Path, **parameters) -> dict:
    """Execute the chapter with `parameters`; return its glued values by key."""
    out = tmp_path / "out.ipynb"
    parameters.setdefault("output_dir", str(figure_folder(tmp_path)))
    papermill.execute_notebook(
        str(NOTEBOOK), str(out), parameters=parameters, cwd=str(tmp_path), kernel_name="python3", progress_bar=False
    )
    glued = {}
    for cell in json.loads(out.read_text(encoding="utf-8"))["cells"]:
        for output in cell.get("outputs", []):
            record = output.get("metadata", {}).get("scrapbook", {})
            if record.get("name"):
                prefix = record.get("mime_prefix", "")
                data = output["data"]
                glued[record["name"]] = data.get(prefix + "text/markdown") or data.get(prefix + "text/plain")
    return glued


def value(glued: dict, key: str):
    return ast.literal_eval(glued[key])


@pytest.fixture(scope="module")
def raw():
    frame = pd.read_csv(ROOT / "data" / "sw_encounters_monthly.csv")
    frame["fy"] = frame["month"].str[:4].astype(int) + (frame["month"].str[5:7].astype(int) >= 10).astype(int)
    return frame


def test_default_run(tmp_path, raw):
    glued = run(tmp_path)
    in_year = raw[raw["fy"] == 2023]
    total = in_year["encounter_count"].sum()
    own = in_year[in_year["citizenship"].isin(SIX)]["encounter_count"].sum()
    other = in_year[in_year["citizenship"] == "OTHER"]["encounter_count"].sum()
    assert value(glued, "fy") == 2023
    assert value(glued, "fy-total") == total
    assert value(glued, "chosen-own-total") == own
    assert value(glued, "chosen-own-share") == pytest.approx(own / total * 100)
    assert value(glued, "six-own-n") == 5
    assert value(glued, "six-inside") == "Belize"
    assert value(glued, "other-total") == other
    assert value(glued, "us-pledge") == "USD 40 million"
    assert value(glued, "countries-phrase") == "the six countries named in the announcement"
    assert "inside OTHER" in glued["tab-flows"]
    figure = read_figure_csv(figure_folder(tmp_path) / "fig-flows.csv")
    assert set(figure["country"]) == set(SIX) - {"BELIZE"}
    funding = read_figure_csv(figure_folder(tmp_path) / "fig-funding.csv")
    assert len(funding) == len(pd.read_csv(ROOT / "data" / "programme_funding.csv"))


def test_other_countries_and_fiscal_year(tmp_path, raw):
    countries = ["venezuela", "Mexico", "BELIZE", "HAITI"]
    # a relative folder, read from the book's chapters/ folder: inside _build/
    glued = run(tmp_path, countries=countries, fiscal_year=2021, output_dir=f"../_build/test-figure-data/{tmp_path.name}")
    in_year = raw[raw["fy"] == 2021]
    total = in_year["encounter_count"].sum()
    chosen = ["VENEZUELA", "MEXICO", "HAITI"]
    own = in_year[in_year["citizenship"].isin(chosen)]["encounter_count"].sum()
    assert value(glued, "fy") == 2021
    assert value(glued, "fy-total") == total
    assert value(glued, "chosen-own-total") == own
    assert value(glued, "chosen-own-share") == pytest.approx(own / total * 100)
    assert value(glued, "countries-phrase") == "the selected countries (Venezuela, Mexico, Belize and Haiti)"
    table = glued["tab-flows"]
    assert "Encounters, FY2021" in table and "inside OTHER" in table and "includes Belize" in table
    haiti = in_year[in_year["citizenship"] == "HAITI"]["encounter_count"].sum()
    assert f"{haiti:,}" in table
    figure = read_figure_csv(ROOT / "_build" / "test-figure-data" / tmp_path.name / "fig-flows.csv")
    assert list(dict.fromkeys(figure["country"])) == chosen
    expected = raw[raw["citizenship"] == "HAITI"].groupby("month")["encounter_count"].sum()
    got = figure[figure["country"] == "HAITI"].set_index("month")["encounters"]
    pd.testing.assert_series_equal(got.loc[expected.index], expected, check_names=False)


@pytest.mark.parametrize(
    "parameters, message",
    [
        ({"countries": ["Narnia"]}, "parameter 'countries': got 'Narnia'"),
        ({"countries": "CUBA"}, "parameter 'countries'"),
        ({"fiscal_year": 2019}, "parameter 'fiscal_year': got 2019"),
    ],
)
def test_bad_parameters_stop_the_run(tmp_path, parameters, message):
    with pytest.raises(papermill.PapermillExecutionError) as err:
        run(tmp_path, **parameters)
    assert "ParameterError" in str(err.value) and message in str(err.value)
