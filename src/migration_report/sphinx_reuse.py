"""Sphinx extension: what readers need to cite the book, take its data and re-run it.

- The book's addresses come from `migration_report.settings` (_config.yml). At the start of the
  build, CITATION.cff is checked against them (a disagreement stops the build), and each unset
  address is announced by one printed line: a notice, not a Sphinx warning, which -W would turn
  into a failure. Link previews (sphinxext-opengraph) get the published address when it is set.
- Every chapter page carries its citation in its <head> (the citation_* tags that Zotero and
  Google Scholar read), and the HTML build writes each chapter's citation as BibTeX, RIS and
  CSL-JSON, its executed notebook (from the execution cache, with the outputs the page shows),
  and the data package, as one ZIP and table by table.
- Each figure gets a one-line citation under its caption, with its anchor.
- `{book-file}`Text <path>`` links a file that the HTML build writes (relative in the HTML, the
  published file in the PDF, plain text while the book has no address).
"""

from __future__ import annotations

import html
import re
from pathlib import Path

from docutils import nodes
from sphinx.errors import ConfigError

from . import citation, downloads, settings, spreadsheet
from .i18n import N_, translator
from .sphinx_ext import (CITATION_DIR, NOTEBOOK_DIR, _citations, chapter_docnames, figure_title, pdf_source, pdf_target,
                         reference_paragraph)
from .sphinx_claims import spanish_nodes

DATA_DIR = "_downloads/data"  # relative to the HTML output

# Reader-facing text made by this module, in one place for translation.
TEXT = {
    "cite_figure": N_("Cite this figure: "),
    "cff_mismatch": "CITATION.cff and _config.yml disagree on the book's addresses: {problems}",
}


def is_the_book(srcdir) -> bool:
    """Whether the sources are the book itself: it has its citation file. A scratch book (the tests'
    small books) has none, and gets none of the citation features."""
    return (Path(srcdir) / "CITATION.cff").is_file()


def check_settings(app, config):
    if not is_the_book(app.srcdir):
        return
    where = settings.load(Path(app.srcdir), app.config.language)
    problems = settings.cff_mismatches(where, citation.read_cff(Path(app.srcdir) / "CITATION.cff"))
    if problems:
        raise ConfigError(TEXT["cff_mismatch"].format(problems="; ".join(problems)))
    for line in where.notices():
        print(line, flush=True)
    config.ogp_site_name = citation.book_metadata(Path(app.srcdir) / "CITATION.cff", config.language).title
    if where.base_url:
        config.ogp_site_url = where.base_url


# ---- the citation in the page's head ----------------------------------------------------------

def citation_tags(item: dict, pdf_url: str | None) -> list[tuple[str, str]]:
    """The Highwire Press tags (citation_*) of a chapter, as Zotero's and Google Scholar's readers expect."""
    parts = item["issued"]["date-parts"][0]
    tags = [("citation_title", item["title"])]
    tags += [("citation_author", a.get("literal") or f"{a['family']}, {a['given']}") for a in item["author"]]
    tags += [("citation_inbook_title", item["container-title"]),
             ("citation_publication_date", "/".join(f"{p:02d}" for p in parts)),
             ("citation_version", item["version"]), ("citation_language", item["language"])]
    if item.get("URL"):
        tags.append(("citation_public_url", item["URL"]))
    if pdf_url:
        tags.append(("citation_pdf_url", pdf_url))
    return tags


def add_citation_tags(app, pagename, templatename, context, doctree):
    item = _citations(app.env).get(pagename)
    if item is None:
        return
    where = settings.load(Path(app.srcdir), app.config.language)
    pdf_url = where.file_url(pdf_target(app)) if pdf_source(app).is_file() else None
    tags = "".join(f'<meta name="{name}" content="{html.escape(value)}">\n'
                   for name, value in citation_tags(item, pdf_url))
    context["metatags"] = context.get("metatags", "") + tags


# ---- figures: a one-line citation each --------------------------------------------------------

def add_figure_citations(app, doctree):
    docname = app.env.docname
    figures = [f for f in doctree.findall(nodes.figure) if f["ids"] and f.next_node(nodes.caption) is not None]
    if not figures or not is_the_book(app.srcdir):
        return
    srcdir = Path(app.srcdir)
    where = settings.load(srcdir, app.config.language)
    meta = citation.book_metadata(srcdir / "CITATION.cff", app.config.language)
    section = next(iter(doctree.findall(nodes.section)), None)
    title = section[0].astext() if section is not None else meta.title
    chapter = citation.chapter_item(Path(docname).name, title, meta, where)
    for figure in figures:
        item = citation.part_item("figure", figure["ids"][0], figure_title(figure), chapter, where,
                                  Path(docname).name)
        line = reference_paragraph(item)
        line.insert(0, nodes.strong(text=translator(app.config.language)(TEXT["cite_figure"])))
        line["classes"].append("figure-citation")
        legend = figure.next_node(nodes.legend) or nodes.legend()
        if legend.parent is None:
            figure += legend
        legend += line


# ---- links to files the build writes ----------------------------------------------------------

_BOOK_FILE = re.compile(r"^(?P<text>.*?)\s*<(?P<path>_downloads/[\w./-]+)>$", re.S)


def book_file_role(name, rawtext, text, lineno, inliner, options=None, content=None):
    match = _BOOK_FILE.match(text)
    if match is None:
        message = inliner.reporter.error(f"book-file: expected 'Text <_downloads/...>', got {text[:80]!r}", line=lineno)
        return [inliner.problematic(rawtext, rawtext, message)], [message]
    env = inliner.document.settings.env
    label, path = match["text"], match["path"]
    if env.app.builder.format == "html":
        link = nodes.reference("", "", refuri="../" * env.docname.count("/") + path, classes=["download"])
        link += nodes.literal(label, "", *spanish_nodes(label), classes=["xref", "download"])  # a table's title
        return [link], []
    published = settings.load(Path(env.srcdir), env.config.language).file_url(path)
    text = spanish_nodes(label)
    return [nodes.reference(label, "", *text, refuri=published) if published else nodes.inline(label, "", *text)], []


# ---- the files, written after an HTML build ---------------------------------------------------

def write_citation_files(app, exception):
    if exception is not None or app.builder.format != "html":
        return
    folder = Path(app.outdir) / CITATION_DIR
    folder.mkdir(parents=True, exist_ok=True)
    for docname, item in _citations(app.env).items():
        stem = Path(docname).name
        (folder / f"{stem}.bib").write_text(citation.bibtex(item), encoding="utf-8")
        (folder / f"{stem}.ris").write_text(citation.ris(item), encoding="utf-8")
        (folder / f"{stem}.json").write_text(citation.csl_json(item), encoding="utf-8")


def write_executed_notebooks(app, exception):
    # The outputs a reader downloads are those of the execution the page shows: the cache's.
    if exception is not None or app.builder.format != "html" or app.config.nb_execution_mode != "cache":
        return
    import nbformat
    from jupyter_cache import get_cache

    cache = get_cache(app.config.nb_execution_cache_path)
    folder = Path(app.outdir) / NOTEBOOK_DIR
    folder.mkdir(parents=True, exist_ok=True)
    for docname in chapter_docnames(Path(app.srcdir)):
        source = nbformat.read(Path(app.env.doc2path(docname)), as_version=4)
        _, merged = cache.merge_match_into_notebook(source)
        nbformat.write(nbformat.from_dict(downloads.executed_notebook(merged)), folder / f"{Path(docname).name}.ipynb")


def write_data_package(app, exception):
    if exception is not None or app.builder.format != "html" or not is_the_book(app.srcdir):
        return
    from .data import DATA_DIR as SHIPPED

    srcdir = Path(app.srcdir)
    meta = citation.book_metadata(srcdir / "CITATION.cff")
    folder = Path(app.outdir) / DATA_DIR
    folder.mkdir(parents=True, exist_ok=True)
    archive = downloads.data_package_zip(SHIPPED, srcdir / "references.bib", version=meta.version,
                                         book_title=meta.title)
    (folder / downloads.package_zip_name(meta.version)).write_bytes(archive)
    for name, content in spreadsheet.downloadable_package(SHIPPED).items():  # tables safe in a spreadsheet
        (folder / name).write_bytes(content)


def setup(app):
    app.connect("config-inited", check_settings)
    app.connect("html-page-context", add_citation_tags)
    app.connect("doctree-read", add_figure_citations)
    app.add_role("book-file", book_file_role)
    app.connect("build-finished", write_citation_files)
    app.connect("build-finished", write_executed_notebooks)
    app.connect("build-finished", write_data_package)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
