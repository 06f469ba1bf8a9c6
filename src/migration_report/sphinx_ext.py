"""Sphinx extension: the boxes at the end of each chapter, and the PDF's reading layout.

- Every page of a numbered part of _toc.yml (the chapters) ends with a "Cite this chapter"
  box (BibTeX and an APA-style line) and a "Re-run this chapter" box (parameters, defaults,
  valid values, the `make chapter` command), built by `migration_report.citation`.
- The HTML introduction links the PDF of the whole book when one has been built
  (`make pdf`, which `make test` runs first), and the PDF is copied beside the HTML.
- The "Data for this figure" downloads: the `{figure-data}` role (written by
  `migration_report.outputs.figure_data`) carries the CSV inside the notebook's output, and
  the HTML build writes it to `_downloads/figure-data/<page>/<name>.csv` from there, so a
  figure and its data always come from the same execution.
- In the PDF, code that the HTML folds (cells tagged hide-input) is left out, and the
  introduction (the root page) becomes an unnumbered opening chapter rather than a run of
  numbered chapters.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
import shutil
from pathlib import Path

from docutils import nodes
from pybtex.plugin import register_plugin
from pybtex.style.formatting.plain import Style as PlainStyle
from pybtex.style.template import field, sentence

from . import citation, sphinx_bib
from .book_structure import appendices, numbered_chapters


def chapter_docnames(srcdir: Path) -> list[str]:
    return numbered_chapters(srcdir)


def appendix_docnames(srcdir: Path) -> list[str]:
    return [d for d in appendices(srcdir) if d != REFERENCES_DOC]


REFERENCES_DOC = "chapters/references"
# Sphinx titles the PDF's contents after the first caption of the table of contents ("Chapters")
# and its bibliography "Bibliography"; babel sets both from \captionsenglish, which runs what
# is added to it in order, so these, added after Sphinx's own, win.
# xurl lets a URL break after any character: the reference list's long slugs (Miller Mayer, SSPC)
# otherwise ran past the right margin and off the page.
PDF_PREAMBLE = ("\\addto\\captionsenglish{\\renewcommand{\\contentsname}{Contents}"
                "\\renewcommand{\\bibname}{References}}\n"
                "\\usepackage{xurl}\n")


def pdf_preamble(app, config):
    elements = dict(config.latex_elements or {})
    elements["preamble"] = elements.get("preamble", "") + PDF_PREAMBLE
    # Sphinx's index would hold only the glossary's terms, which the glossary already lists.
    elements["printindex"] = ""
    config.latex_elements = elements


def _title(doctree) -> str:
    section = next(iter(doctree.findall(nodes.section)), None)
    return section[0].astext() if section is not None else ""


def _box(title: str, css_class: str, children) -> nodes.admonition:
    box = nodes.admonition(classes=[css_class, "chapter-box"])
    box += nodes.title(text=title)
    box.extend(children)
    return box


def _literal(text: str, language: str) -> nodes.literal_block:
    block = nodes.literal_block(text, text)
    block["language"] = language
    return block


def cite_box(stem: str, title: str, meta: citation.BookMetadata) -> nodes.admonition:
    intro = nodes.paragraph(text="To cite this chapter (the URL is stable; the version identifies this text):")
    return _box(
        "Cite this chapter",
        "tip",
        [intro, _apa_paragraph(stem, title, meta), _literal(citation.bibtex(stem, title, meta), "bibtex")],
    )


def _apa_paragraph(stem, title, meta) -> nodes.paragraph:
    # The same text as citation.apa(), with the book's title in italics.
    text = citation.apa(stem, title, meta)
    before, after = text.split(meta.title, 1)
    paragraph = nodes.paragraph()
    paragraph += nodes.Text(before)
    paragraph += nodes.emphasis(text=meta.title)
    paragraph += nodes.Text(after)
    return paragraph


def rerun_box(notebook: Path) -> nodes.admonition | None:
    params = citation.parameters(notebook)
    if not params:
        return None
    items = nodes.bullet_list()
    for param in params:
        item = nodes.paragraph()
        item += nodes.literal(text=param.name)
        item += nodes.Text(" — default ")
        item += nodes.literal(text=param.default)
        if param.help:
            item += nodes.Text(f": {param.help}")
        items += nodes.list_item("", item)
    intro = nodes.paragraph(
        text="Re-run this chapter with other values (papermill parameters); the executed notebook and its "
        "rendering go to _build/runs/, and a value the chapter cannot use stops the run with an error "
        "naming the parameter."
    )
    return _box("Re-run this chapter", "note", [intro, items, _literal(citation.rerun_example(notebook), "bash")])


def add_chapter_boxes(app, doctree):
    docname = app.env.docname
    srcdir = Path(app.srcdir)
    if docname not in chapter_docnames(srcdir):
        return
    meta = citation.book_metadata(srcdir / "CITATION.cff")
    stem = Path(docname).name
    section = next(iter(doctree.findall(nodes.section)), None)
    target = section if section is not None else doctree
    box = rerun_box(srcdir / f"{docname}.ipynb")
    if box is not None:
        target += box
    target += cite_box(stem, _title(doctree), meta)


def adapt_for_pdf(app, doctree):
    docname = app.env.docname
    if app.builder.format != "latex":
        return
    for cell in list(doctree.findall(nodes.container)):
        if cell.get("nb_element") == "cell_code" and "tag_hide-input" in cell["classes"]:
            for child in list(cell.children):
                if child.get("nb_element") == "cell_code_source":
                    cell.remove(child)
    if docname == app.config.root_doc:
        _introduction_as_opening_chapter(doctree)
    appendices = appendix_docnames(Path(app.srcdir))
    if appendices and docname == appendices[0]:
        # LaTeX letters the chapters from here on (Appendix A, B …) instead of numbering them on.
        doctree.insert(0, nodes.raw("", "\\appendix\n", format="latex"))
    if docname == REFERENCES_DOC:
        # The LaTeX builder gathers every cited entry into one bibliography at the end of the
        # book (titled by PDF_PREAMBLE); the page's heading and text would be an empty chapter,
        # so only its bibliography directive's nodes are kept.
        kept = [n for n in doctree.findall(lambda n: type(n).__name__ == "bibliography")]
        for child in list(doctree.children):
            doctree.remove(child)
        doctree.extend(kept)


def _introduction_as_opening_chapter(doctree):
    # Sphinx turns the root page's second-level headings into numbered chapters; make them
    # unnumbered headings inside one unnumbered "Introduction" chapter instead.
    top = next(iter(doctree.findall(nodes.section)), None)
    if top is None:
        return
    opening = nodes.raw("", "\\chapter*{Introduction}\\addcontentsline{toc}{chapter}{Introduction}\n", format="latex")
    top.insert(1, opening)
    for sub in [s for s in top.children if isinstance(s, nodes.section)]:
        heading = nodes.rubric(text=sub[0].astext())
        index = top.index(sub)
        top.remove(sub)
        top[index:index] = [heading] + list(sub.children[1:])


PDF_SOURCE = "_build/latex/book.pdf"  # relative to the book root; where `make pdf` publishes it
PDF_TARGET = "book.pdf"  # relative to the HTML output


def _pdf_state(app) -> str | None:
    pdf = Path(app.srcdir) / PDF_SOURCE
    return f"{pdf.stat().st_size}:{pdf.stat().st_mtime_ns}" if pdf.is_file() else None


def pdf_outdated(app, env, added, changed, removed):
    # The introduction's link depends on the PDF, which is not a source file: re-read the page
    # whenever the PDF appears, changes or goes away.
    state = _pdf_state(app)
    if getattr(env, "book_pdf_state", None) != state:
        env.book_pdf_state = state
        return [app.config.root_doc]
    return []


def executed_again(app, env, added, changed, removed):
    # A notebook that executed again (an input changed, its source did not) has a new record in
    # the execution cache; Sphinx sees no change in the source, so re-read such pages here.
    if app.config.nb_execution_mode != "cache":
        return []
    import nbformat
    from jupyter_cache import get_cache

    cache = get_cache(app.config.nb_execution_cache_path or ".jupyter_cache")
    previous = getattr(env, "book_cache_records", {})
    current = {}
    for docname in env.found_docs:
        path = Path(env.doc2path(docname))
        if path.suffix != ".ipynb":
            continue
        try:
            record = cache.match_cache_notebook(nbformat.read(path, as_version=4))
            # not the primary key alone: SQLite gives a re-created record the key of the removed one
            current[docname] = f"{record.pk}:{record.created.isoformat()}"
        except KeyError:
            current[docname] = None
    env.book_cache_records = current
    return [d for d in current if d in previous and previous[d] != current[d] and d not in changed | added]


def add_pdf_link(app, doctree):
    if app.builder.format != "html" or app.env.docname != app.config.root_doc or _pdf_state(app) is None:
        return
    depth = app.config.root_doc.count("/")
    paragraph = nodes.paragraph(classes=["pdf-link"])
    paragraph += nodes.Text("The whole book is also available as a PDF: ")
    paragraph += nodes.reference("", PDF_TARGET, refuri="../" * depth + PDF_TARGET)
    paragraph += nodes.Text(".")
    section = next(iter(doctree.findall(nodes.section)), None)
    if section is not None:
        section.insert(1, paragraph)


def copy_pdf(app, exception):
    if exception is None and app.builder.format == "html" and _pdf_state(app) is not None:
        shutil.copyfile(Path(app.srcdir) / PDF_SOURCE, Path(app.outdir) / PDF_TARGET)


FIGURE_DATA_DIR = "_downloads/figure-data"  # relative to the HTML output
_FIGURE_DATA = re.compile(r"^(?P<title>.*?)\s*<(?P<name>[\w.-]+\.(?:csv|json));base64,(?P<data>[A-Za-z0-9+/=]*)>$", re.S)


def figure_data_role(name, rawtext, text, lineno, inliner, options=None, content=None):
    """`{figure-data}`Title <name.csv;base64,DATA>`: a download link to the CSV DATA."""
    match = _FIGURE_DATA.match(text)
    csv = _decoded(match["data"]) if match else None
    if csv is None:
        message = inliner.reporter.error(f"figure-data: expected 'Title <name.csv;base64,DATA>', got {text[:80]!r}",
                                         line=lineno)
        return [inliner.problematic(rawtext, rawtext, message)], [message]
    env = inliner.document.settings.env
    title = match["title"]
    if env.app.builder.format != "html":
        return [nodes.inline(title, title)], []
    _figure_data(env).setdefault(env.docname, {})[match["name"]] = csv
    uri = "../" * env.docname.count("/") + f"{FIGURE_DATA_DIR}/{env.docname}/{match['name']}"
    link = nodes.reference("", "", refuri=uri, classes=["download", "figure-data"])
    link += nodes.literal(title, title, classes=["xref", "download"])
    return [link], []


def _decoded(data: str) -> str | None:
    try:
        return base64.b64decode(data, validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None


def _figure_data(env) -> dict[str, dict[str, str]]:
    # {docname: {file name: CSV text}}, kept in the pickled environment: a page Sphinx does not
    # re-read keeps the data of the execution its figures came from.
    if not hasattr(env, "book_figure_data"):
        env.book_figure_data = {}
    return env.book_figure_data


def purge_figure_data(app, env, docname):
    _figure_data(env).pop(docname, None)


def merge_figure_data(app, env, docnames, other):
    for docname in docnames:
        if docname in _figure_data(other):
            _figure_data(env)[docname] = _figure_data(other)[docname]


def write_figure_data(app, exception):
    if exception is not None or app.builder.format != "html":
        return
    for docname, tables in _figure_data(app.env).items():
        folder = Path(app.outdir) / FIGURE_DATA_DIR / docname
        folder.mkdir(parents=True, exist_ok=True)
        for name, csv in tables.items():
            (folder / name).write_text(csv, encoding="utf-8")


class TitleCaseStyle(PlainStyle):
    """pybtex's plain style, but titles keep their case: headlines, names and acronyms
    ("US", "AMLO", "CBP One") are not lowered to sentence case; the reference list is labelled
    by author and year (sphinx_bib), like the citations, not numbered."""

    default_label_style = sphinx_bib.LABEL_STYLE

    def format_title(self, e, which_field, as_sentence=True):
        title = field(which_field)
        return sentence[title] if as_sentence else title


register_plugin("pybtex.style.formatting", "titlecase", TitleCaseStyle)

CITED_KEYS_FILE = "cited-keys.json"  # written beside the HTML output folder, for the tests


def record_cited_keys(app, exception):
    # The bibliography lists exactly the cited entries; the tests compare them with references.bib.
    if exception is not None or app.builder.format != "html":
        return
    domain = app.env.get_domain("cite")
    keys = sorted({citation.key for citation in domain.citations})
    (Path(app.outdir).parent / CITED_KEYS_FILE).write_text(json.dumps(keys, indent=1) + "\n", encoding="utf-8")


def setup(app):
    # doctree-read, not doctree-resolved: the LaTeX builder resolves the whole book as one tree.
    app.connect("config-inited", pdf_preamble)
    app.connect("doctree-read", add_chapter_boxes)
    app.connect("doctree-read", adapt_for_pdf)
    app.connect("env-get-outdated", pdf_outdated)
    app.connect("env-get-outdated", executed_again)
    app.connect("doctree-read", add_pdf_link)
    app.connect("build-finished", copy_pdf)
    app.connect("build-finished", record_cited_keys)
    app.add_role("figure-data", figure_data_role)
    app.connect("env-purge-doc", purge_figure_data)
    app.connect("env-merge-info", merge_figure_data)
    app.connect("build-finished", write_figure_data)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
