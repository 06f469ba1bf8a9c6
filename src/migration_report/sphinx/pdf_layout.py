"""The PDF's reading layout, and the PDF beside the HTML.

- The preamble: the contents and bibliography titled in the edition's words, long strings that break
  instead of running into the margin, table columns no narrower than their longest short word.
- Code that the HTML folds (cells tagged hide-input) is left out, and the introduction (the root
  page) becomes an unnumbered opening chapter rather than a run of numbered chapters; the
  appendices are lettered, and the bibliography stands where the References page stands.
- The HTML introduction links the PDF of the whole book when one has been built
  (`make pdf`, which `make test` runs first), and the PDF is copied beside the HTML.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from docutils import nodes
from sphinx import addnodes
from sphinx.transforms.post_transforms import SphinxPostTransform

from migration_report.core import edition
from migration_report.core.book_structure import REFERENCES_DOC, appendix_docnames, pages
from migration_report.core.i18n import N_, translator
from migration_report.core.i18n import language as i18n_language

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



# Reader-facing text made by this module (migration_report.core.i18n: extracted by N_, translated by _).
TEXT = {
    "pdf_contents": N_("Contents"),  # the PDF's contents page, its bibliography, its opening chapter
    "pdf_references": N_("References"),
    "pdf_introduction": N_("Introduction"),
}


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


def setup(app):
    # doctree-read, not doctree-resolved: the LaTeX builder resolves the whole book as one tree.
    app.connect("config-inited", pdf_preamble)
    app.add_post_transform(BibliographyInReadingOrder)
    app.connect("doctree-read", adapt_for_pdf)
    app.connect("env-get-outdated", pdf_outdated)
    app.connect("doctree-read", add_pdf_link)
    app.connect("build-finished", copy_pdf)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
