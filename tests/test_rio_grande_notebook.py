"""Run the Rio Grande chapter with papermill (slow: marked `book`)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from conftest import read_figure_csv

papermill = pytest.importorskip("papermill")

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "chapters" / "rio-grande-dispute.ipynb"


@pytest.mark.book
def test_chapter_runs_and_writes_its_figure_data_inside_its_books_build_folder(tmp_path):
    """Run as the README's papermill line does, from another folder (a downloaded notebook's, the caller's):
    the figure data go to the _build/ of the checkout the notebook belongs to, never beside the caller's folder."""
    import time

    elsewhere = tmp_path / "downloads" / "elsewhere"
    elsewhere.mkdir(parents=True)
    started = time.time()
    papermill.execute_notebook(
        str(NOTEBOOK), str(elsewhere / "run.ipynb"), cwd=str(elsewhere), progress_bar=False,
    )
    out = ROOT / "_build" / "figure-data" / "rio-grande-dispute"
    assert (out / "fig-barrier-split.csv").stat().st_mtime >= started - 1
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["downloads", "elsewhere", "run.ipynb"]
    split = read_figure_csv(out / "fig-barrier-split.csv")
    survey = split[split["figure_set"] == "ibwc-survey"].set_index("part")
    assert survey.loc["mexico", "length_m"] == pytest.approx(survey.loc["mexico", "length"] * 0.3048, rel=1e-3)  # downloads round to 4 significant digits
    assert set(split["figure_set"]) == {"mexico-sre", "ibwc-survey"}
    timeline = read_figure_csv(out / "fig-rio-grande-timeline.csv")
    source = pd.read_csv(Path(__file__).resolve().parents[1] / "data" / "rio_grande_timeline.csv")
    assert len(timeline) == len(source)
    assert (timeline.loc[timeline["date_precision"] == "month", "when"].str.fullmatch(r"[A-Z][a-z]{2} \d{4}")).all()


@pytest.mark.book
@pytest.mark.parametrize("chapter, figure", [("flow-statistics", "fig-flow-monthly.csv"),
                                             ("institutional-actors", "fig-actor-network.csv")])
def test_other_chapters_write_their_figure_data_inside_the_book_when_run_from_elsewhere(tmp_path, chapter, figure):
    """Issue 27, case 6, for the chapters whose first fix checked `output_dir` but then wrote to the
    unchecked value: run with the default from another folder, nothing lands beside that folder."""
    import time

    elsewhere = tmp_path / "downloads" / "elsewhere"
    elsewhere.mkdir(parents=True)
    started = time.time()
    papermill.execute_notebook(str(ROOT / "chapters" / f"{chapter}.ipynb"), str(elsewhere / "run.ipynb"),
                               cwd=str(elsewhere), progress_bar=False)
    assert (ROOT / "_build" / "figure-data" / chapter / figure).stat().st_mtime >= started - 1
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["downloads", "elsewhere", "run.ipynb"]


@pytest.mark.book
@pytest.mark.parametrize("value, expected", [(42, "a folder path"), ("../../../../chapters", "a folder inside"),
                                             ("../chapters", "a folder inside")])
def test_a_bad_output_dir_stops_the_chapter_with_a_named_error(tmp_path, value, expected):
    before = {p: p.stat().st_mtime for p in (ROOT / "chapters").iterdir()}
    with pytest.raises(papermill.PapermillExecutionError, match=f"parameter 'output_dir': got .*{expected}"):
        papermill.execute_notebook(
            str(NOTEBOOK), str(tmp_path / "run.ipynb"), parameters={"output_dir": value}, cwd=str(tmp_path),
            progress_bar=False,
        )
    assert {p: p.stat().st_mtime for p in (ROOT / "chapters").iterdir()} == before
