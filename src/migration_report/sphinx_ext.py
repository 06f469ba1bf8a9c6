"""Sphinx extension: the boxes at the end of each chapter, and the PDF's reading layout.

- Every page listed under the "Chapters" caption of _toc.yml ends with a "Cite this chapter"
  box (BibTeX and an APA-style line) and a "Re-run this chapter" box (parameters, defaults,
  valid values, the `make chapter` command), built by `migration_report.citation`.
- The HTML introduction links the PDF of the whole book when one has been built
  (`make pdf`, which `make test` runs first), and the PDF is copied beside the HTML.
- In the PDF, code that the HTML folds (cells tagged hide-input) is left out, and the
  introduction (the root page) becomes an unnumbered opening chapter rather than a run of
  numbered chapters.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import yaml
from docutils import nodes
from pybtex.plugin import register_plugin
from pybtex.style.formatting.plain import Style as PlainStyle
from pybtex.style.template import field, sentence

from . import citation, sphinx_bib


def _part_docnames(srcdir: Path, caption: str) -> list[str]:
    toc = yaml.safe_load((srcdir / "_toc.yml").read_text(encoding="utf-8"))
    for part in toc.get("parts", []):
        if part.get("caption") == caption:
            return [c["file"] for c in part["chapters"]]
    return []


def chapter_docnames(srcdir: Path) -> list[str]:
    return _part_docnames(srcdir, "Chapters")


def appendix_docnames(srcdir: Path) -> list[str]:
    return [d for d in _part_docnames(srcdir, "Appendices") if d != REFERENCES_DOC]


REFERENCES_DOC = "chapters/references"
# Sphinx titles the PDF's contents after the first caption of the table of contents ("Chapters")
# and its bibliography "Bibliography"; babel sets both from \captionsenglish, which runs what
# is added to it in order, so these, added after Sphinx's own, win.
PDF_PREAMBLE = ("\\addto\\captionsenglish{\\renewcommand{\\contentsname}{Contents}"
                "\\renewcommand{\\bibname}{References}}\n")


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
    app.connect("doctree-read", add_pdf_link)
    app.connect("build-finished", copy_pdf)
    app.connect("build-finished", record_cited_keys)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
