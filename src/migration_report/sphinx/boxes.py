"""Sphinx extension: the boxes at the end of each chapter, and the PDF's reading layout.

- Every page of a numbered part of _toc.yml (the chapters) ends with one line linking its
  section of the re-users' page (RERUN_DOC) and a "Cite this chapter" box (BibTeX and an
  APA-style line), built by `migration_report.core.citation`. The re-users' page holds, for each
  chapter, what the chapter's end once held: how to re-run it, its parameters, defaults and
  valid values, and the `make chapter` command (the `rerun-chapter` directive), so that no
  reader's page shows commands or parameter names.
- The code that draws a figure, in a cell tagged hide-input, is folded under that figure in the
  HTML (`fold_code_under_figures`), wherever the cell stands in the notebook.
- A page whose notebook executed again (an input changed, its source did not) is read again.
"""

from __future__ import annotations

import re
from pathlib import Path

from docutils import nodes
from sphinx import addnodes
from sphinx.util.docutils import SphinxDirective

from migration_report.core import citation, settings
from migration_report.core.book_structure import numbered_chapters
from migration_report.core.i18n import N_, translator
from migration_report.sphinx.claims import spanish_nodes
from migration_report.sphinx.per_page import citations as _citations


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

# Reader-facing text made by this module, in one place; each page shows it in its edition's language
# (migration_report.core.i18n: extracted by N_, translated by _ when the page is read).
TEXT = {
    "cite_title": N_("Cite this chapter"),
    "cite_intro": N_("To cite this chapter (the address is stable; the version identifies this text):"),
    "cite_intro_unpublished": N_("To cite this chapter (the version identifies this text):"),
    "cite_files": N_("For a reference manager: "),
    "cite_formats": {"bib": "BibTeX", "ris": "RIS", "json": "CSL-JSON"},
    "rerun_link": N_("This chapter is a notebook that anyone can run again, as it is or with other values: "),
    "rerun_link_text": N_("how to re-run it"),
    "rerun_notebook": N_("The notebook with the outputs shown on this page: "),
    "rerun_notebook_link": N_("{stem}.ipynb (executed)"),
    "rerun_clone": N_("To run it, get the book's code and environment, then open it in JupyterLab:"),
    "rerun_no_repository": N_("The book's repository has no public address yet; with a copy of it, run:"),
    "rerun_lab": N_("make lab opens JupyterLab on the chapters, with the book's pinned environment; open {stem}.ipynb "
                 "and choose Run > Run All Cells."),
    "rerun_params": N_("To change what the chapter shows, give it other values. What each one does (its default in brackets):"),
    "rerun_output_dir": N_("where the figures' data are written; make chapter puts them beside the re-run chapter"),
    "rerun_example": N_("For example:"),
    "rerun_result": N_("The result appears in _build/runs/{stem}/: the rendered page html/{stem}.html and the executed "
                    "notebook book/{stem}.ipynb. A value the chapter cannot use stops the run with an error naming it."),
}
SET_BY_MAKE_CHAPTER = {"output_dir"}  # scripts/run-chapter passes these itself
CITATION_DIR = citation.CITATION_DIR  # relative to the HTML output: <stem>.bib, .ris, .json
NOTEBOOK_DIR = "_downloads/notebooks"  # the executed notebooks: <stem>.ipynb


def _relative(docname: str, path: str) -> str:
    return "../" * docname.count("/") + path


def _download_link(text: str, docname: str, path: str, where: settings.Settings, html: bool):
    """A link to a file beside the HTML book: relative in the HTML, to the published file in the PDF."""
    uri = _relative(docname, path) if html else where.file_url(path)
    if uri is None:
        return None
    link = nodes.reference("", "", refuri=uri, classes=["download"] if html else [])
    link += nodes.literal(text, text) if html else nodes.Text(text)
    return link


def reference_paragraph(item: dict) -> nodes.paragraph:
    """The CSL processor's reference, with its italics (and a link for the URL)."""
    paragraph = nodes.paragraph(classes=["citation-line"])
    for text, italic in citation.formatted_parts(item):
        if italic:
            paragraph += nodes.emphasis("", "", *spanish_nodes(text))
        elif item.get("URL") and item["URL"] in text:
            before, after = text.split(item["URL"], 1)
            paragraph += [nodes.Text(before), nodes.reference(item["URL"], item["URL"], refuri=item["URL"]),
                          nodes.Text(after)]
        else:
            paragraph += spanish_nodes(text)
    return paragraph


def cite_box(docname: str, item: dict, where: settings.Settings, html: bool, lang: str | None = "en") -> nodes.admonition:
    _ = translator(lang)
    intro = _(TEXT["cite_intro"] if where.base_url else TEXT["cite_intro_unpublished"])
    children = [nodes.paragraph(text=intro), reference_paragraph(item)]
    note = citation.address_note(where, lang)
    if note:
        children.append(nodes.paragraph(text=note))
    stem = Path(docname).name
    links = [_download_link(TEXT["cite_formats"][suffix], docname, f"{CITATION_DIR}/{stem}.{suffix}", where, html)
             for suffix in TEXT["cite_formats"]]
    if all(links):
        files = nodes.paragraph(text=_(TEXT["cite_files"]))
        for index, link in enumerate(links):
            files += [nodes.Text(", ")] if index else []
            files += link
        children.append(files)
    children.append(_literal(citation.bibtex(item).rstrip("\n"), "bibtex"))
    return _box(_(TEXT["cite_title"]), "tip", children)


RERUN_DOC = "chapters/maintainers"  # the re-users' page: re-running chapters, data checks, errors
RERUN_LABEL = "rerun-{stem}"  # the label of each chapter's section there


def rerun_setup_nodes(where: settings.Settings, lang: str | None = "en") -> list[nodes.Node]:
    """How to get the book's code and environment and open the chapters in JupyterLab."""
    _ = translator(lang)
    if where.repository_url:
        return [nodes.paragraph(text=_(TEXT["rerun_clone"])),
                _literal(f"git clone {where.repository_url} migration-report\ncd migration-report\nmake lab", "bash")]
    return [nodes.paragraph(text=_(TEXT["rerun_no_repository"])), _literal("make lab", "bash")]


def rerun_nodes(notebook: Path, docname: str, where: settings.Settings, html: bool,
                lang: str | None = "en") -> list[nodes.Node]:
    """How to run one chapter, written for a person (on the re-users' page DOCNAME): the executed
    notebook, how to open it, each parameter with what it does and its default, an example."""
    _ = translator(lang)
    params = citation.parameters(notebook)
    stem = notebook.stem
    children = []
    link = _download_link(_(TEXT["rerun_notebook_link"]).format(stem=stem), docname, f"{NOTEBOOK_DIR}/{stem}.ipynb",
                          where, html)
    if link is not None:
        children.append(nodes.paragraph("", _(TEXT["rerun_notebook"]), link))
    children.append(nodes.paragraph(text=_(TEXT["rerun_lab"]).format(stem=stem)))
    items = nodes.bullet_list()
    for param in params:
        item = nodes.paragraph()
        item += nodes.literal(text=param.name)
        if param.name in SET_BY_MAKE_CHAPTER:
            item += nodes.Text(f": {_(TEXT['rerun_output_dir'])}")
        else:
            # The help is the parameters cell's comment, a message of the code catalogue (code_messages).
            item += nodes.Text(f": {_(param.help)} (" if param.help else " (")
            item += nodes.literal(text=param.default)
            item += nodes.Text(")")
        items += nodes.list_item("", item)
    if params:
        children += [nodes.paragraph(text=_(TEXT["rerun_params"])), items]
    children += [nodes.paragraph(text=_(TEXT["rerun_example"])), _literal(citation.rerun_example(notebook), "bash"),
                 nodes.paragraph(text=_(TEXT["rerun_result"]).format(stem=stem))]
    return children


def rerun_link(docname: str, lang: str | None = "en") -> nodes.paragraph:
    """The one line a chapter ends with: a link to its section of the re-users' page."""
    _ = translator(lang)
    stem = Path(docname).name
    link = addnodes.pending_xref("", refdomain="std", reftype="ref", reftarget=RERUN_LABEL.format(stem=stem),
                                 refexplicit=True, refwarn=True)
    link += nodes.inline(text=_(TEXT["rerun_link_text"]))
    return nodes.paragraph("", "", nodes.Text(_(TEXT["rerun_link"])), link, nodes.Text("."), classes=["rerun-link"])


def _untranslatable(children: list[nodes.Node]) -> list[nodes.Node]:
    # Code-made text, translated by the code's own catalogue: not a message of the page's.
    for node in children:
        for element in node.findall(nodes.TextElement):
            element["translatable"] = False
    return children


class RerunChapter(SphinxDirective):
    """```{rerun-chapter} flow-statistics```: how to re-run that chapter (`rerun_nodes`), on the re-users' page."""

    required_arguments = 1

    def run(self):
        stem = self.arguments[0]
        notebook = Path(self.env.srcdir) / "chapters" / f"{stem}.ipynb"
        if f"chapters/{stem}" not in numbered_chapters(Path(self.env.srcdir)) or not notebook.is_file():
            raise self.error(f"rerun-chapter: {stem!r} is not a chapter of _toc.yml with a notebook")
        where = settings.load(Path(self.env.srcdir), self.config.language)
        return _untranslatable(rerun_nodes(notebook, self.env.docname, where, self.env.app.builder.format == "html",
                                           self.config.language))


class RerunSetup(SphinxDirective):
    """```{rerun-setup}```: how to get the book's code and environment (`rerun_setup_nodes`)."""

    def run(self):
        where = settings.load(Path(self.env.srcdir), self.config.language)
        return _untranslatable(rerun_setup_nodes(where, self.config.language))


def add_chapter_boxes(app, doctree):
    docname = app.env.docname
    srcdir = Path(app.srcdir)
    if docname not in numbered_chapters(srcdir):
        return
    meta = citation.book_metadata(srcdir / "CITATION.cff", app.config.language)
    where = settings.load(srcdir, app.config.language)
    html = app.builder.format == "html"
    item = citation.chapter_item(Path(docname).name, _title(doctree), meta, where)
    _citations(app.env)[docname] = item
    section = next(iter(doctree.findall(nodes.section)), None)
    target = section if section is not None else doctree
    if RERUN_DOC in app.env.found_docs:  # a chapter re-run on its own (make chapter) is a book without it
        target += rerun_link(docname, app.config.language)
    target += cite_box(docname, item, where, html, app.config.language)


_GLUE_CALL = re.compile(r"""\bglue\(\s*["']([^"']+)["']""")


def fold_code_under_figures(app, doctree):
    """Move each folded code cell (tagged hide-input) that glues a figure to just under that figure.

    A notebook computes a figure before the text that shows it; the reader meets the figure first,
    and the code that drew it belongs under it, folded, not above a paragraph that does not show it."""
    figures = {node_id: figure for figure in doctree.findall(nodes.figure) for node_id in figure["ids"]}
    for cell in list(doctree.findall(nodes.container)):
        if cell.get("nb_element") != "cell_code" or "tag_hide-input" not in cell["classes"]:
            continue
        source = next((c for c in cell.children if c.get("nb_element") == "cell_code_source"), None)
        glued = [figures[key] for key in _GLUE_CALL.findall(source.astext() if source is not None else "")
                 if key in figures]
        if glued:
            figure = glued[0]
            cell.parent.remove(cell)
            figure.parent.insert(figure.parent.index(figure) + 1, cell)



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


def setup(app):
    # doctree-read, not doctree-resolved: the LaTeX builder resolves the whole book as one tree.
    app.connect("doctree-read", add_chapter_boxes)
    app.connect("doctree-read", fold_code_under_figures)
    app.add_directive("rerun-chapter", RerunChapter)
    app.add_directive("rerun-setup", RerunSetup)
    app.connect("env-get-outdated", executed_again)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
