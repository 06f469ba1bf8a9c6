"""What a chapter writes beside its figures: the data behind each one, as CSV."""

from __future__ import annotations

import base64
import re
from pathlib import Path

import pandas as pd
from IPython.display import Markdown

from .data import resource


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


# The most sources one bracket may cite. A statement rests on a few sources; a longer list
# (the sources of a whole table) goes in a Source column, one citation per row, where the
# reader can see which source supports which row. tests/test_citations.py holds the book to it.
MAX_CITATION_KEYS = 6


def cite_p(keys) -> Markup:
    """One parenthetical citation of a few sources (at most MAX_CITATION_KEYS), in the order given."""
    keys = list(dict.fromkeys(keys))
    if not keys or len(keys) > MAX_CITATION_KEYS:
        raise ValueError(f"a citation names 1 to {MAX_CITATION_KEYS} sources, not {len(keys)}: "
                         "cite a long list of sources row by row in a table")
    for key in keys:
        cite(key)  # checks the key's form
    return Markup("{cite:p}`" + ",".join(keys) + "`")


# Spanish proper names the book's generated text may contain: programme names that are not in
# the actors table (whose Spanish names are marked there, in its name_language column).
SPANISH_NAMES = ("Sembrando Vida", "Jóvenes Construyendo el Futuro", "Sembrando Oportunidades")


def spanish(text) -> Markup:
    """Spanish text in the `{es}` role (lang="es" in HTML). Role content is literal text, so only a
    backtick could end it early; it becomes an apostrophe."""
    return Markup("{es}`" + " ".join(str(text).replace("`", "'").split()) + "`")


def mark_spanish(text, names=SPANISH_NAMES) -> Markup:
    """Text from data, escaped, with each Spanish name in it marked with the `{es}` role."""
    if isinstance(text, Markup):
        return text
    plain = " ".join(str(text).split())
    found = sorted({n for n in names if n in plain}, key=len, reverse=True)
    if not found:
        return Markup(escape(plain))
    pattern = re.compile("|".join(re.escape(n) for n in found))
    def inert(piece: str) -> str:  # like escape, but keeps the spaces around a name
        return _MARKUP.sub(r"\\\1", piece)

    pieces, start = [], 0
    for match in pattern.finditer(plain):
        pieces += [inert(plain[start:match.start()]), spanish(match.group())]
        start = match.end()
    pieces.append(inert(plain[start:]))
    return Markup("".join(pieces))


def dataset_title(name: str) -> Markdown:
    """The title of a resource of the data package, in italics, as readers see it (Spanish names
    marked): readers get the dataset's name; its file and resource name are for data-and-methods."""
    return Markdown("*" + mark_spanish(resource(name)["title"]) + "*")


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
