"""Run the Rio Grande chapter with papermill (slow: marked `book`)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from conftest import read_figure_csv

papermill = pytest.importorskip("papermill")

NOTEBOOK = Path(__file__).resolve().parents[1] / "chapters" / "rio-grande-dispute.ipynb"


@pytest.mark.book
def test_chapter_runs_and_writes_its_figure_data(tmp_path):
    out = tmp_path / "figure-data"
    papermill.execute_notebook(
        str(NOTEBOOK), str(tmp_path / "run.ipynb"), parameters={"output_dir": str(out)}, cwd=str(tmp_path),
        progress_bar=False,
    )
    split = read_figure_csv(out / "fig-barrier-split.csv")
    survey = split[split["figure_set"] == "ibwc-survey"].set_index("part")
    assert survey.loc["mexico", "length_m"] == pytest.approx(survey.loc["mexico", "length"] * 0.3048, rel=1e-3)  # downloads round to 4 significant digits
    assert set(split["figure_set"]) == {"mexico-sre", "ibwc-survey"}
    timeline = read_figure_csv(out / "fig-rio-grande-timeline.csv")
    source = pd.read_csv(Path(__file__).resolve().parents[1] / "data" / "rio_grande_timeline.csv")
    assert len(timeline) == len(source)
    assert (timeline.loc[timeline["date_precision"] == "month", "when"].str.fullmatch(r"[A-Z][a-z]{2} \d{4}")).all()


@pytest.mark.book
def test_a_bad_output_dir_stops_the_chapter_with_a_named_error(tmp_path):
    with pytest.raises(papermill.PapermillExecutionError, match="output_dir"):
        papermill.execute_notebook(
            str(NOTEBOOK), str(tmp_path / "run.ipynb"), parameters={"output_dir": 42}, cwd=str(tmp_path),
            progress_bar=False,
        )
