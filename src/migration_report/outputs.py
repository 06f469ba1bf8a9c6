"""What a chapter writes beside its figures: the data behind each one, as CSV."""

from __future__ import annotations

import base64
import re
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


class Markup(str):
    """MyST markup made by code (a citation, a role), which a table or text keeps as it is.

    Everything else that reaches MyST is text from data or parameters and is escaped, so a cell
    holding `<img src=x onerror=…>` or `{raw}` shows those characters instead of becoming markup.
    """


_MARKUP = re.compile(r"([\\`*_{}\[\]<>#|~$^&])")


def escape(text) -> str:
    """Text from data, made inert for MyST: markup characters escaped, on one line."""
    if isinstance(text, Markup):
        return text
    return _MARKUP.sub(r"\\\1", " ".join(str(text).split()))


def cite(key: str, form: str = "t") -> Markup:
    """A citation of one source by its BibTeX key (keys are checked against references.bib)."""
    if not re.fullmatch(r"[A-Za-z0-9_:-]+", str(key)):
        raise ValueError(f"not a BibTeX key: {key!r}")
    return Markup(f"{{cite:{form}}}`{key}`")


def markdown_table(frame: pd.DataFrame, **kwargs) -> Markdown:
    """A table as Markdown, so it renders as a real table in both the HTML and the PDF.

    Text cells are escaped unless they are `Markup`; numbers are left for the table's formatting.
    """
    safe = frame.copy()
    safe.columns = [escape(c) for c in safe.columns]
    for column in safe.columns:
        safe[column] = [escape(v) if isinstance(v, str) else v for v in safe[column]]
    return Markdown(safe.to_markdown(index=False, **kwargs))


def citations(*frames: pd.DataFrame) -> Markdown:
    """A MyST citation of every source behind the rows of the given tables (their `source_key`)."""
    keys = sorted({key for frame in frames for key in frame["source_key"].dropna()})
    return Markdown("{cite:p}`" + ",".join(keys) + "`")


def link(text, url) -> Markup:
    """A Markdown link whose text and address come from data: the text escaped, and the address
    used only if it is a plain http(s) URL (no `javascript:`, no spaces or brackets); else text alone."""
    if isinstance(url, str) and re.fullmatch(r"https?://[^\s()<>\[\]`]+", url):
        return Markup(f"[{escape(text)}]({url})")
    return Markup(escape(text))


def code(text) -> Markup:
    """Text from data as inline code: a fence longer than any run of backticks inside it, so the
    text cannot end the code span, and table pipes escaped, so it cannot end a table cell."""
    text = " ".join(str(text).split()).replace("|", "\\|")
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    return Markup(f"{fence} {text} {fence}")
