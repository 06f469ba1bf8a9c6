"""Sphinx extension: what readers need to cite the book, take its data and re-run it.

- The book's addresses come from `migration_report.core.settings` (_config.yml). At the start of the
  build, CITATION.cff is checked against them (a disagreement stops the build), and each unset
  address is announced by one printed line: a notice, not a Sphinx warning, which -W would turn
  into a failure. Link previews (sphinxext-opengraph) get the published address when it is set.
- Every chapter page carries its citation in its <head> (the citation_* tags that Zotero and
  Google Scholar read), and the introduction, the book's own page, the whole book's; the HTML
  build writes the citations of the book, of its data package and of each chapter as BibTeX, RIS
  and CSL-JSON, each chapter's executed notebook (from the execution cache, with the outputs the
  page shows), and the data package, as one ZIP and table by table.
- Each page's description (link previews; Zotero's abstract) is its opening prose without the
  citation brackets, and an og:url is given only when it can be absolute.
- Each figure gets a one-line citation under its caption, with its number linked to it.
- `{book-file}`Text <path>`` links a file that the HTML build writes (relative in the HTML, the
  published file in the PDF, plain text while the book has no address).
"""

from __future__ import annotations

import html
import re
from pathlib import Path

from docutils import nodes
from sphinx import addnodes
from sphinx.errors import ConfigError

from migration_report.core import citation, downloads, settings, spreadsheet
from migration_report.core.i18n import N_, translator
from migration_report.core.book_structure import numbered_chapters as chapter_docnames
from migration_report.sphinx.boxes import CITATION_DIR, NOTEBOOK_DIR
from migration_report.sphinx.pdf_layout import TEXT as PDF_TEXT
from migration_report.sphinx.pdf_layout import pdf_source, pdf_target
from migration_report.sphinx.per_page import citations as _citations
from migration_report.sphinx.claims import lang_span, spanish_nodes

DATA_DIR = downloads.DOWNLOAD_DIR  # relative to the HTML output
DESCRIPTION_LENGTH = 200  # characters, as sphinxext-opengraph's default

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
    """The Highwire Press tags (citation_*) of a chapter, or of the book when the item has no
    container, as Zotero's and Google Scholar's readers expect (authors: `citation.tag_author`)."""
    parts = item["issued"]["date-parts"][0]
    tags = [("citation_title", item["title"])]
    tags += [("citation_author", citation.tag_author(a)) for a in item["author"]]
    if "container-title" in item:
        tags.append(("citation_inbook_title", item["container-title"]))
    tags += [("citation_publication_date", "/".join(f"{p:02d}" for p in parts)),
             ("citation_version", item["version"]), ("citation_language", item["language"])]
    if item.get("URL"):
        tags.append(("citation_public_url", item["URL"]))
    if pdf_url:
        tags.append(("citation_pdf_url", pdf_url))
    return tags


def page_item(app, pagename: str) -> dict | None:
    """The CSL item a page's head describes: its chapter's, or on the introduction the whole book's."""
    if pagename == app.config.root_doc and is_the_book(app.srcdir):
        srcdir = Path(app.srcdir)
        return citation.book_item(citation.book_metadata(srcdir / "CITATION.cff", app.config.language),
                                  settings.load(srcdir, app.config.language))
    return _citations(app.env).get(pagename)


def add_citation_tags(app, pagename, templatename, context, doctree):
    item = page_item(app, pagename)
    if item is None:
        return
    where = settings.load(Path(app.srcdir), app.config.language)
    pdf_url = where.file_url(pdf_target(app)) if pdf_source(app).is_file() else None
    tags = "".join(f'<meta name="{name}" content="{html.escape(value)}">\n'
                   for name, value in citation_tags(item, pdf_url))
    context["metatags"] = context.get("metatags", "") + tags


# ---- the page's description and link preview -----------------------------------------------------

# Where a paragraph is not the page's prose: boxes, figures, tables, notes, the reference list.
_NOT_PROSE = (nodes.Admonition, nodes.figure, nodes.table, nodes.footnote, nodes.citation, nodes.topic,
              nodes.sidebar, nodes.caption, nodes.legend, nodes.field_list, nodes.literal_block)
_NOT_PROSE_CLASSES = {"pdf-link", "citation-line", "bibliography"}


def _is_prose(paragraph: nodes.paragraph) -> bool:
    node = paragraph
    while node is not None:
        if isinstance(node, _NOT_PROSE) or _NOT_PROSE_CLASSES & set(node.get("classes", [])):
            return False
        node = node.parent
    return True


def _prose_text(paragraph: nodes.paragraph) -> str:
    """A paragraph's text as a reader reads it aloud: a bracketed citation ("[CBP, 2024]") left out,
    a textual one ("Latina Republic [2023]") as "Latina Republic (2023)"."""
    copy = paragraph.deepcopy()
    for cite in list(copy.findall(nodes.inline)):
        if "bibtex-citation" in cite.get("classes", []) and cite.parent is not None:
            said = cite.astext().strip()
            if said.startswith("["):
                cite.parent.remove(cite)
            else:
                cite.replace_self(nodes.Text(re.sub(r"\[([^\]]*)\]", r"(\1)", said)))
    for note in list(copy.findall(nodes.footnote_reference)):
        note.parent.remove(note)
    text = " ".join(copy.astext().split())
    return re.sub(r"\s+([.,;:!?)])", r"\1", text)


def page_description(doctree, length: int = DESCRIPTION_LENGTH) -> str:
    """The page's opening prose as one line of at most LENGTH characters, cut at a word (with "…")."""
    text = ""
    for paragraph in doctree.findall(nodes.paragraph):
        if _is_prose(paragraph):
            said = _prose_text(paragraph)
            text = f"{text} {said}".strip() if said else text
            if len(text) > length:
                break
    if len(text) <= length:
        return text
    return text[: length - 1].rsplit(" ", 1)[0].rstrip(" ,;:") + "…"


def add_description(app, pagename, templatename, context, doctree):
    """Before sphinxext-opengraph (priority 500): the page's description, which it then uses
    (an og: entry of the page's metadata overrides its own; a description tag already in the
    head keeps it from adding one), and og:type "book" on the introduction, which Zotero's reader
    takes as the item's type there (the chapters' citation_inbook_title makes them book sections)."""
    if doctree is None or not is_the_book(app.srcdir):
        return
    fields = dict(context.get("meta") or {})  # a copy: the environment's metadata stays as read
    description = page_description(doctree)
    if description:
        fields["og:description"] = description
        context["metatags"] = context.get("metatags", "") + f'<meta name="description" content="{html.escape(description)}" />\n'
    if pagename == app.config.root_doc:
        fields["og:type"] = "book"
    context["meta"] = fields


_RELATIVE_OG_URL = re.compile(r'<meta property="og:url" content="(?!https?://)[^"]*" />\n?')


def drop_relative_og_url(app, pagename, templatename, context, doctree):
    """After sphinxext-opengraph: an og:url must be absolute; while the book has no address there is none."""
    if "metatags" in context:
        context["metatags"] = _RELATIVE_OG_URL.sub("", context["metatags"])


# ---- figures: a one-line citation each --------------------------------------------------------

def add_figure_citations(app, doctree):
    docname = app.env.docname
    figures = [f for f in doctree.findall(nodes.figure) if f["names"] and f.next_node(nodes.caption) is not None]
    if not figures or not is_the_book(app.srcdir):
        return
    srcdir = Path(app.srcdir)
    _ = translator(app.config.language)
    where = settings.load(srcdir, app.config.language)
    meta = citation.book_metadata(srcdir / "CITATION.cff", app.config.language)
    section = next(iter(doctree.findall(nodes.section)), None)
    title = section[0].astext() if section is not None else meta.title
    if docname == app.config.root_doc:  # its heading is the book's title; as a part of the book, it is the introduction
        title = _(PDF_TEXT["pdf_introduction"])
    chapter = citation.chapter_item(Path(docname).name, title, meta, where)
    before, after = citation.figure_line(chapter, title)
    for figure in figures:
        # The figure's number as Sphinx gives it (2.1), linked to the figure, in the HTML and the PDF.
        number = addnodes.pending_xref("", nodes.inline("", citation.text("figure_number", app.config.language)),
                                       refdomain="std", reftype="numref", reftarget=figure["names"][0],
                                       refexplicit=True, refdoc=docname, refwarn=True)
        line = nodes.paragraph("", "", nodes.strong(text=_(TEXT["cite_figure"])), *_authors_marked(before, chapter, app),
                               number, nodes.Text(after), classes=["citation-line", "figure-citation"])
        url = where.page_url(Path(docname).name, figure["ids"][0])
        if url:  # a citation gives the address where there is one
            line += [nodes.Text(" "), nodes.reference(url, url, refuri=url)]
        legend = figure.next_node(nodes.legend) or nodes.legend()
        if legend.parent is None:
            figure += legend
        legend += line


def _authors_marked(text: str, item: dict, app) -> list[nodes.Node]:
    """TEXT as nodes, Spanish names marked; in another edition than the English, a group author's
    name, which CITATION.cff gives in English ("The migration-report maintainers"), marked as
    English (lang="en"), so a screen reader says it as English and the page's language is right."""
    groups = [a["literal"] for a in item["author"] if "literal" in a] if app.config.language != "en" else []
    out: list[nodes.Node] = []
    for part in re.split("(" + "|".join(re.escape(g) for g in groups) + ")", text) if groups else [text]:
        out += [lang_span(part, part, lang="en")] if part in groups else spanish_nodes(part)
    return out


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

def citation_files(folder: Path, name: str, item: dict) -> None:
    """ITEM as FOLDER/NAME.bib, .ris and .json (CSL-JSON)."""
    (folder / f"{name}.bib").write_text(citation.bibtex(item), encoding="utf-8")
    (folder / f"{name}.ris").write_text(citation.ris(item), encoding="utf-8")
    (folder / f"{name}.json").write_text(citation.csl_json(item), encoding="utf-8")


def write_citation_files(app, exception):
    if exception is not None or app.builder.format != "html":
        return
    folder = Path(app.outdir) / CITATION_DIR
    folder.mkdir(parents=True, exist_ok=True)
    for docname, item in _citations(app.env).items():
        citation_files(folder, Path(docname).name, item)
    if is_the_book(app.srcdir):
        from migration_report.core.data import DATA_DIR as SHIPPED

        srcdir = Path(app.srcdir)
        meta = citation.book_metadata(srcdir / "CITATION.cff", app.config.language)
        where = settings.load(srcdir, app.config.language)
        citation_files(folder, citation.BOOK_FILES, citation.book_item(meta, where))
        citation_files(folder, citation.DATA_FILES, downloads.package_item(meta, where, SHIPPED))


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
    from migration_report.core.data import DATA_DIR as SHIPPED

    srcdir = Path(app.srcdir)
    meta = citation.book_metadata(srcdir / "CITATION.cff")
    folder = Path(app.outdir) / DATA_DIR
    folder.mkdir(parents=True, exist_ok=True)
    archive = downloads.data_package_zip(SHIPPED, srcdir / "references.bib", version=meta.version,
                                         book_title=meta.title,
                                         repository=settings.load(srcdir, app.config.language).repository_url)
    (folder / downloads.package_zip_name(meta.version)).write_bytes(archive)
    for name, content in spreadsheet.downloadable_package(SHIPPED).items():  # tables safe in a spreadsheet
        (folder / name).write_bytes(content)


def setup(app):
    app.connect("config-inited", check_settings)
    app.connect("html-page-context", add_citation_tags)
    app.connect("html-page-context", add_description, priority=400)  # before sphinxext-opengraph's (500)
    app.connect("html-page-context", drop_relative_og_url, priority=600)  # after it
    app.connect("doctree-read", add_figure_citations)
    app.add_role("book-file", book_file_role)
    app.connect("build-finished", write_citation_files)
    app.connect("build-finished", write_executed_notebooks)
    app.connect("build-finished", write_data_package)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
