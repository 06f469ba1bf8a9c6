"""What a chapter writes beside its figures: the data behind each one, as CSV."""

from __future__ import annotations

import base64
from pathlib import Path

import pandas as pd
from IPython.display import Markdown


def figure_data(frame: pd.DataFrame, output_dir, stem: str) -> Markdown:
    """Write `frame` to OUTPUT_DIR/STEM.csv and return a MyST link that carries the same CSV.

    The link is the `{figure-data}` role of `migration_report.sphinx_ext`, with the CSV text
    inside it (base64), so the download a page offers is stored in the notebook's output, in the
    execution cache, with the figure it belongs to: the book never serves a CSV that another
    run (papermill, other parameters) left in OUTPUT_DIR, and needs nothing from that folder.
    The file in OUTPUT_DIR is for whoever runs the chapter on its own.
    """
    text = frame.to_csv(index=False, lineterminator="\n")
    folder = Path(output_dir)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{stem}.csv").write_text(text, encoding="utf-8")
    return Markdown(figure_data_role(f"Data for this figure (CSV, {len(frame):,} rows)", f"{stem}.csv", text))


def figure_data_role(title: str, filename: str, csv_text: str) -> str:
    """MyST text of a download link named `filename` whose content is `csv_text`."""
    payload = base64.b64encode(csv_text.encode("utf-8")).decode("ascii")
    return f"{{figure-data}}`{title} <{filename};base64,{payload}>`"


def markdown_table(frame: pd.DataFrame, **kwargs) -> Markdown:
    """A table as Markdown, so it renders as a real table in both the HTML and the PDF."""
    return Markdown(frame.to_markdown(index=False, **kwargs))


def citations(*frames: pd.DataFrame) -> Markdown:
    """A MyST citation of every source behind the rows of the given tables (their `source_key`)."""
    keys = sorted({key for frame in frames for key in frame["source_key"].dropna()})
    return Markdown("{cite:p}`" + ",".join(keys) + "`")
