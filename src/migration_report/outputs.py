"""What a chapter writes beside its figures: the data behind each one, as CSV."""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
from IPython.display import Markdown


def figure_data(frame: pd.DataFrame, output_dir, stem: str) -> Markdown:
    """Write `frame` to OUTPUT_DIR/STEM.csv and return a MyST download link to it.

    The link is relative to the working directory, which is the chapter's own folder when
    the book or papermill executes it, so it resolves in the rendered page.
    """
    folder = Path(output_dir)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{stem}.csv"
    frame.to_csv(path, index=False, lineterminator="\n")
    link = Path(os.path.relpath(path)).as_posix()
    return Markdown(f"{{download}}`Data for this figure (CSV, {len(frame):,} rows) <{link}>`")


def markdown_table(frame: pd.DataFrame, **kwargs) -> Markdown:
    """A table as Markdown, so it renders as a real table in both the HTML and the PDF."""
    return Markdown(frame.to_markdown(index=False, **kwargs))


def citations(*frames: pd.DataFrame) -> Markdown:
    """A MyST citation of every source behind the rows of the given tables (their `source_key`)."""
    keys = sorted({key for frame in frames for key in frame["source_key"].dropna()})
    return Markdown("{cite:p}`" + ",".join(keys) + "`")
