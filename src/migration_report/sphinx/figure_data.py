"""The "Data for this figure" downloads.

The `{figure-data}` role (written by `migration_report.core.outputs.figure_data`) carries the CSV
inside the notebook's output, and the HTML build writes it to
`_downloads/figure-data/<page>/<name>.csv` from there, with its Frictionless descriptor beside it,
so a figure and its data always come from the same execution.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from pathlib import Path

from docutils import nodes

from migration_report.core import downloads, settings
from migration_report.sphinx.per_page import figure_data as _figure_data

FIGURE_DATA_DIR = "_downloads/figure-data"  # relative to the HTML output
_FIGURE_DATA = re.compile(r"^(?P<title>.*?)\s*<(?P<name>[\w.-]+\.(?:csv|json));base64,(?P<data>[A-Za-z0-9+/=]*)"
                          r"(?:;meta,(?P<meta>[A-Za-z0-9+/=]*))?>$", re.S)
DESCRIPTOR_SUFFIX = ".resource.json"  # beside each figure's CSV: its Frictionless resource descriptor


def figure_data_role(name, rawtext, text, lineno, inliner, options=None, content=None):
    """`{figure-data}`Title <name.csv;base64,DATA[;meta,META]>`: a download link to the CSV DATA.

    In the PDF the link goes to the file in the published HTML book, or is plain text while the
    book has no published address."""
    match = _FIGURE_DATA.match(text)
    csv = _decoded(match["data"]) if match else None
    meta = _decoded(match["meta"]) if match and match["meta"] else None
    if csv is None or (match["meta"] and meta is None):
        message = inliner.reporter.error(f"figure-data: expected 'Title <name.csv;base64,DATA>', got {text[:80]!r}",
                                         line=lineno)
        return [inliner.problematic(rawtext, rawtext, message)], [message]
    env = inliner.document.settings.env
    title, path = match["title"], f"{FIGURE_DATA_DIR}/{env.docname}/{match['name']}"
    if env.app.builder.format != "html":
        published = settings.load(Path(env.srcdir), env.config.language).file_url(path)
        if published is None:
            return [nodes.inline(title, title)], []
        return [nodes.reference(title, title, refuri=published)], []
    _figure_data(env).setdefault(env.docname, {})[match["name"]] = {
        "csv": csv, "meta": json.loads(meta) if meta else None, "title": None, "anchor": None}
    link = nodes.reference("", "", refuri="../" * env.docname.count("/") + path, classes=["download", "figure-data"])
    link += nodes.literal(title, title, classes=["xref", "download"])
    link["figure_data_name"] = match["name"]
    return [link], []


def figure_title(figure: nodes.figure) -> str:
    """A figure's title: the first sentence of its caption."""
    caption = next(iter(figure.findall(nodes.caption)), None)
    text = " ".join(caption.astext().split()) if caption is not None else ""
    return text.split(". ")[0].rstrip(".")


def describe_figure_data(app, doctree):
    # The descriptor beside a figure's CSV names the figure: its title and anchor are known only
    # once the page is read, from the figure whose caption holds the download link.
    tables = _figure_data(app.env).get(app.env.docname, {})
    for figure in doctree.findall(nodes.figure):
        for link in figure.findall(nodes.reference):
            entry = tables.get(link.get("figure_data_name"))
            if entry is not None and figure["ids"]:
                entry["title"], entry["anchor"] = figure_title(figure), figure["ids"][0]


def _decoded(data: str) -> str | None:
    try:
        return base64.b64decode(data, validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None


def write_figure_data(app, exception):
    if exception is not None or app.builder.format != "html":
        return
    where = settings.load(Path(app.srcdir), app.config.language)
    for docname, tables in _figure_data(app.env).items():
        folder = Path(app.outdir) / FIGURE_DATA_DIR / docname
        folder.mkdir(parents=True, exist_ok=True)
        for name, entry in tables.items():
            (folder / name).write_text(entry["csv"], encoding="utf-8")
            if entry["meta"] is None:
                continue
            stem = Path(docname).name
            figure = where.page_url(stem, entry["anchor"]) or f"{stem}.html#{entry['anchor']}"
            descriptor = downloads.figure_resource(entry["meta"], name=name, title=entry["title"] or name,
                                                   figure_url=figure)
            (folder / (Path(name).stem + DESCRIPTOR_SUFFIX)).write_text(
                json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def setup(app):
    app.add_role("figure-data", figure_data_role)
    app.connect("doctree-read", describe_figure_data)
    app.connect("build-finished", write_figure_data)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
