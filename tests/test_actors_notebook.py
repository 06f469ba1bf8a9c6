"""Run the institutional-actors chapter with papermill: non-default parameters, and bad values.

Marked `book` (slow: each run starts a kernel); `make test` runs these after the book is built.
"""

from __future__ import annotations

import csv
from pathlib import Path

import papermill as pm
import pytest
from conftest import figure_folder, read_figure_csv

NOTEBOOK = Path(__file__).resolve().parents[1] / "chapters" / "institutional-actors.ipynb"
ACTORS_CSV = Path(__file__).resolve().parents[1] / "data" / "actors.csv"

pytestmark = pytest.mark.book


def run(tmp_path: Path, **parameters):
    output_dir = figure_folder(tmp_path)
    pm.execute_notebook(
        str(NOTEBOOK),
        str(tmp_path / "out.ipynb"),
        parameters={"output_dir": str(output_dir), **parameters},
        cwd=str(tmp_path),
        kernel_name="python3",
        progress_bar=False,
    )
    return output_dir


def read(path: Path) -> list[dict]:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def read_figure(path: Path) -> list[dict]:
    return read_figure_csv(path).astype(object).where(lambda f: f.notna(), "").astype(str).to_dict("records")


def test_runs_with_kinds_and_country(tmp_path):
    output_dir = run(tmp_path, kinds=["person", "agency"], country="Mexico")
    nodes = read_figure(output_dir / "fig-actor-network.csv")
    links = read_figure(output_dir / "fig-actor-network-links.csv")
    expected = {
        r["id"] for r in read(ACTORS_CSV) if r["kind"] in ("person", "agency") and r["country"] == "Mexico"
    }
    assert {n["id"] for n in nodes} == expected
    assert {n["side"] for n in nodes} == {"Mexico"}
    assert all(link["source"] in expected and link["target"] in expected for link in links)
    assert {"barcena", "sre", "alcalde", "segob"} <= expected


def test_runs_with_one_kind_in_all_countries(tmp_path):
    output_dir = run(tmp_path, kinds=["programme", "infrastructure", "government"])
    nodes = read_figure(output_dir / "fig-actor-network.csv")
    assert {n["kind"] for n in nodes} == {"programme", "infrastructure", "government"}
    assert len({n["country"] for n in nodes}) > 1


@pytest.mark.parametrize(
    ("parameters", "named"),
    [
        ({"kinds": ["person", "wizard"]}, "parameter 'kinds'"),
        ({"kinds": "person"}, "parameter 'kinds'"),
        ({"country": "Atlantis"}, "parameter 'country'"),
        ({"kinds": ["court"], "country": "Cuba"}, "parameter 'country'"),
    ],
)
def test_bad_values_name_the_parameter(tmp_path, parameters, named):
    with pytest.raises(pm.PapermillExecutionError) as failure:
        run(tmp_path, **parameters)
    assert failure.value.ename == "ParameterError"
    assert named in failure.value.evalue
