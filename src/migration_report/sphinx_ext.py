"""Sphinx extension: the boxes at the end of each chapter, and the PDF's reading layout.

- Every page of a numbered part of _toc.yml (the chapters) ends with one line linking its
  section of the re-users' page (RERUN_DOC) and a "Cite this chapter" box (BibTeX and an
  APA-style line), built by `migration_report.core.citation`. The re-users' page holds, for each
  chapter, what the chapter's end once held: how to re-run it, its parameters, defaults and
  valid values, and the `make chapter` command (the `rerun-chapter` directive), so that no
  reader's page shows commands or parameter names.
- The code that draws a figure, in a cell tagged hide-input, is folded under that figure in the
  HTML (`fold_code_under_figures`), wherever the cell stands in the notebook.
- The HTML introduction links the PDF of the whole book when one has been built
  (`make pdf`, which `make test` runs first), and the PDF is copied beside the HTML.
- The "Data for this figure" downloads: the `{figure-data}` role (written by
  `migration_report.core.outputs.figure_data`) carries the CSV inside the notebook's output, and
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
from sphinx import addnodes
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util.docutils import SphinxDirective
from pybtex.plugin import register_plugin
from pybtex.style.formatting.plain import Style as PlainStyle
from pybtex.style.formatting import toplevel
from pybtex.style.formatting.unsrt import pages as page_range
from pybtex.style.template import join, optional, sentence, words

from migration_report.core import citation, downloads, edition, settings
from migration_report import sphinx_bib
from migration_report.core.i18n import N_, translator
from migration_report.core.i18n import language as i18n_language
from migration_report.core.book_structure import appendices, numbered_chapters, pages
from migration_report.sphinx_claims import spanish_nodes


def chapter_docnames(srcdir: Path) -> list[str]:
    return numbered_chapters(srcdir)


def appendix_docnames(srcdir: Path) -> list[str]:
    return [d for d in appendices(srcdir) if d != REFERENCES_DOC]


REFERENCES_DOC = "chapters/references"
# Sphinx titles the PDF's contents after the first caption of the table of contents ("Chapters")
# and its bibliography "Bibliography"; polyglossia sets both from \captions<language>, which runs
# what is added to it in order, so these, added after Sphinx's own, win (in the edition's words).
# xurl lets a URL break after any character: the reference list's long slugs (Miller Mayer, SSPC)
# otherwise ran past the right margin and off the page.
PDF_PREAMBLE = ("\\addto\\captions{language}{{\\renewcommand{{\\contentsname}}{{{contents}}}"
                "\\renewcommand{{\\bibname}}{{{references}}}}}\n"
                "\\usepackage{{xurl}}\n")
LATEX_LANGUAGE = {"en": "english", "es": "spanish"}  # the captions macro polyglossia runs: \captionsspanish
# Long unbroken strings (SHA-256 checksums, raw file names, commit hashes in a link's text) ran into
# the PDF's right margin: LaTeX breaks inline code only at . , ; ? ! / and link text only at spaces.
# XeTeX puts a break opportunity between any two letters, digits or underscores where the state is
# on, in inline code and in link text; it carries a penalty (high in prose) so that TeX still breaks
# at spaces and only splits a string that would otherwise overflow.
PDF_BREAK_LONG_STRINGS = r"""
\makeatletter
\newXeTeXintercharclass\MR@breakclass
\def\MR@classify#1#2{\@tempcnta=`#1\relax
  \loop\XeTeXcharclass\@tempcnta=\MR@breakclass\ifnum\@tempcnta<`#2\relax\advance\@tempcnta\@ne\repeat}
\MR@classify 09\MR@classify az\MR@classify AZ\XeTeXcharclass`\_=\MR@breakclass
\XeTeXinterchartoks\MR@breakclass\MR@breakclass={\MR@charbreak}
\def\MR@charbreak{}
\let\MR@sphinxcode\sphinxcode
\protected\def\sphinxcode#1{\MR@sphinxcode{\def\MR@charbreak{\penalty100\relax}\XeTeXinterchartokenstate=1 #1}}
\let\MR@sphinxhref\sphinxhref
\protected\def\sphinxhref#1#2{\MR@sphinxhref{#1}{\def\MR@charbreak{\penalty5000\relax}\XeTeXinterchartokenstate=1 #2}}
\makeatother
"""


# Sphinx lets tabulary squeeze a table's short columns to three digits' width (\tymin), narrower
# than their longest word: a header such as "Sentence" or "Version" over a column of numbers, or
# a version number, then ran a few points past the column into the next one. A squeezed column
# is kept at least as wide as such a word; long columns still share the rest of the width.
PDF_TABLE_COLUMNS = r"""
\setlength{\tymin}{4.5em}
"""


# Sphinx numbers tables by \arabic{chapter}, so the first table of Appendix C read "Table 3.1"
# (a long table's "continued from previous page" line too); in the appendices it takes the
# appendix's letter, "Table C.1", as the contents and headings do.
PDF_APPENDIX_TABLES = "\\renewcommand{\\thetable}{\\thechapter.\\arabic{table}}\n"


def pdf_preamble(app, config):
    elements = dict(config.latex_elements or {})
    _ = translator(config.language)
    preamble = PDF_PREAMBLE.format(language=LATEX_LANGUAGE[i18n_language(config.language)],
                                   contents=_(TEXT["pdf_contents"]), references=_(TEXT["pdf_references"]))
    elements["preamble"] = elements.get("preamble", "") + preamble + PDF_BREAK_LONG_STRINGS + PDF_TABLE_COLUMNS
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


# Reader-facing text made by this module, in one place; each page shows it in its edition's language
# (migration_report.core.i18n: extracted by N_, translated by _ when the page is read).
TEXT = {
    "pdf_contents": N_("Contents"),  # the PDF's contents page, its bibliography, its opening chapter
    "pdf_references": N_("References"),
    "pdf_introduction": N_("Introduction"),
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
        if f"chapters/{stem}" not in chapter_docnames(Path(self.env.srcdir)) or not notebook.is_file():
            raise self.error(f"rerun-chapter: {stem!r} is not a chapter of _toc.yml with a notebook")
        where = settings.load(Path(self.env.srcdir), self.config.language)
        return _untranslatable(rerun_nodes(notebook, self.env.docname, where, self.env.app.builder.format == "html",
                                           self.config.language))


class RerunSetup(SphinxDirective):
    """```{rerun-setup}```: how to get the book's code and environment (`rerun_setup_nodes`)."""

    def run(self):
        where = settings.load(Path(self.env.srcdir), self.config.language)
        return _untranslatable(rerun_setup_nodes(where, self.config.language))


# What pages record while they are read, kept per page in the pickled environment, so a page
# Sphinx does not re-read keeps what its last reading recorded:
# - book_citations: {docname: CSL-JSON item}; the build writes each chapter's citation files from these;
# - book_figure_data: {docname: {file name: {csv, meta, title, anchor}}}; the figure downloads, from
#   the execution the page's figures came from.
PER_PAGE_STORES = ("book_citations", "book_figure_data")


def _per_page(env, store: str) -> dict:
    if not hasattr(env, store):
        setattr(env, store, {})
    return getattr(env, store)


def _citations(env) -> dict[str, dict]:
    return _per_page(env, "book_citations")


def purge_per_page(app, env, docname):
    for store in PER_PAGE_STORES:
        _per_page(env, store).pop(docname, None)


def merge_per_page(app, env, docnames, other):
    for store in PER_PAGE_STORES:
        theirs = _per_page(other, store)
        for docname in docnames:
            if docname in theirs:
                _per_page(env, store)[docname] = theirs[docname]


def add_chapter_boxes(app, doctree):
    docname = app.env.docname
    srcdir = Path(app.srcdir)
    if docname not in chapter_docnames(srcdir):
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
        _introduction_as_opening_chapter(doctree, translator(app.config.language)(TEXT["pdf_introduction"]))
    appendices = appendix_docnames(Path(app.srcdir))
    if appendices and docname == appendices[0]:
        # LaTeX letters the chapters from here on (Appendix A, B …) instead of numbering them on.
        doctree.insert(0, nodes.raw("", "\\appendix\n" + PDF_APPENDIX_TABLES, format="latex"))
    if docname == REFERENCES_DOC:
        # The LaTeX builder gathers every cited entry into one bibliography at the end of the
        # book (titled by PDF_PREAMBLE); the page's heading and text would be an empty chapter,
        # so only its bibliography directive's nodes are kept.
        kept = [n for n in doctree.findall(lambda n: type(n).__name__ == "bibliography")]
        for child in list(doctree.children):
            doctree.remove(child)
        doctree.extend(kept)


class BibliographyInReadingOrder(SphinxPostTransform):
    """In the PDF, the bibliography stands where the References page stands in the reading order.

    Sphinx gathers every citation into one bibliography at the very end of the book
    (its BibliographyTransform, priority 750); the re-users' part comes after the References in
    _toc.yml, out of the book's main matter, so the bibliography is moved back before it."""

    default_priority = 760
    formats = ("latex",)

    def run(self, **kwargs):
        order = pages(Path(self.env.srcdir))
        after = order[order.index(REFERENCES_DOC) + 1:] if REFERENCES_DOC in order else []
        bibliography = next(iter(self.document.findall(lambda n: type(n).__name__ == "thebibliography")), None)
        following = next((n for n in self.document.findall(addnodes.start_of_file)
                          if after and n.get("docname") in after), None)
        if bibliography is None or following is None:
            return
        bibliography.parent.remove(bibliography)
        following.parent.insert(following.parent.index(following), bibliography)


def _introduction_as_opening_chapter(doctree, title: str):
    # Sphinx turns the root page's second-level headings into numbered chapters; make them
    # unnumbered headings inside one unnumbered "Introduction" chapter instead.
    top = next(iter(doctree.findall(nodes.section)), None)
    if top is None:
        return
    # \chapter* sets no running head, so its pages' footers kept the contents' ("CONTENTS").
    opening = nodes.raw("", f"\\chapter*{{{title}}}\\addcontentsline{{toc}}{{chapter}}{{{title}}}"
                            f"\\markboth{{{title}}}{{{title}}}\n", format="latex")
    top.insert(1, opening)
    for sub in [s for s in top.children if isinstance(s, nodes.section)]:
        heading = nodes.rubric(text=sub[0].astext())
        index = top.index(sub)
        top.remove(sub)
        top[index:index] = [heading] + list(sub.children[1:])


PDF_LINK_TEXT = N_("The whole book is also available as a PDF: ")


def pdf_source(app) -> Path:
    """The PDF of the edition being built (which may not have been built yet), where `make pdf`
    publishes it; each edition's HTML carries its own PDF at its root, under the same name."""
    return Path(app.srcdir) / edition.pdf_path(i18n_language(app.config.language))


def pdf_target(app) -> str:
    """Its name in the HTML output, relative to the output's root."""
    return pdf_source(app).name


def _pdf_state(app) -> str | None:
    pdf = pdf_source(app)
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
    paragraph += nodes.Text(translator(app.config.language)(PDF_LINK_TEXT))
    paragraph += nodes.reference("", pdf_target(app), refuri="../" * depth + pdf_target(app))
    paragraph += nodes.Text(".")
    section = next(iter(doctree.findall(nodes.section)), None)
    if section is not None:
        section.insert(1, paragraph)


def copy_pdf(app, exception):
    if exception is None and app.builder.format == "html" and _pdf_state(app) is not None:
        shutil.copyfile(pdf_source(app), Path(app.outdir) / pdf_target(app))


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


def _figure_data(env) -> dict[str, dict[str, dict]]:
    return _per_page(env, "book_figure_data")


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


class TitleCaseStyle(PlainStyle):
    """pybtex's plain style, but titles keep their case: headlines, names and acronyms
    ("US", "AMLO", "CBP One") are not lowered to sentence case; the reference list is labelled
    by author and year (sphinx_bib), like the citations, not numbered. A web source shows its
    day of publication, and a Spanish one is marked as Spanish (sphinx_bib.in_spanish); the
    words around them are in the edition's language (sphinx_bib.edition_language)."""

    default_label_style = sphinx_bib.LABEL_STYLE

    def format_title(self, e, which_field, as_sentence=True):
        title = sphinx_bib.in_spanish(e, sphinx_bib.text_field(name=which_field), title=True)
        return sentence[title] if as_sentence else title

    def format_names(self, role, as_sentence=True):
        # "A and B" / "A y B": the edition's word (sphinx_bib.names_in_edition)
        formatted = sphinx_bib.names_in_edition(role)
        return sentence[formatted] if as_sentence else formatted

    def format_editor(self, e, as_sentence=True):
        # plain's editors, with the edition's word after them ("editors" / "editores")
        editors = self.format_names("editor", as_sentence=False)
        if "editor" not in e.persons:
            return editors
        result = join(sep=", ")[editors, sphinx_bib.edition_text("editors" if len(e.persons["editor"]) > 1
                                                                  else "editor")]
        return sentence[result] if as_sentence else result

    def get_inproceedings_template(self, e):
        # plain's inproceedings template with the edition's "In" / "En" and note
        return toplevel[
            sentence[self.format_names("author")],
            self.format_title(e, "title"),
            words[
                sphinx_bib.edition_text("in"),
                sentence[
                    optional[self.format_editor(e, as_sentence=False)],
                    self.format_btitle(e, "booktitle", as_sentence=False),
                    self.format_volume_and_series(e, as_sentence=False),
                    optional[page_range],
                ],
                self.format_address_organization_publisher_date(e),
            ],
            sentence[sphinx_bib.edition_note],
            self.format_web_refs(e),
        ]

    def get_misc_template(self, e):
        # plain's misc template in the edition's language (sphinx_bib): the data-set mark, the
        # outlet once, the day in the date or the reason there is no date, the edition's note,
        # and the source's address or the copy it was read in
        return toplevel[
            optional[sentence[sphinx_bib.in_spanish(e, self.format_names("author", as_sentence=False))]],
            optional[self.format_title(e, "title")],
            sentence(capfirst=True)[
                sphinx_bib.kind_mark,
                sphinx_bib.in_spanish(e, sphinx_bib.publisher),
                sphinx_bib.date_or_reason,
            ],
            sentence[sphinx_bib.edition_note],
            sentence[sphinx_bib.edition_web_refs],
        ]


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
    app.connect("doctree-read", fold_code_under_figures)
    app.add_directive("rerun-chapter", RerunChapter)
    app.add_directive("rerun-setup", RerunSetup)
    app.add_post_transform(BibliographyInReadingOrder)
    app.connect("doctree-read", adapt_for_pdf)
    app.connect("env-get-outdated", pdf_outdated)
    app.connect("env-get-outdated", executed_again)
    app.connect("doctree-read", add_pdf_link)
    app.connect("build-finished", copy_pdf)
    app.connect("build-finished", record_cited_keys)
    app.add_role("figure-data", figure_data_role)
    app.connect("doctree-read", describe_figure_data)
    app.connect("env-purge-doc", purge_per_page)
    app.connect("env-merge-info", merge_per_page)
    app.connect("build-finished", write_figure_data)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
