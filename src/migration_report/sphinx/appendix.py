"""Sphinx extension: the appendices are lettered in the HTML as in the PDF (A. Claim register …).

LaTeX letters the chapters after ``\\appendix`` (`pdf_layout` inserts it before the first appendix),
so the PDF's contents read "A Claim register". The HTML has no such numbering for an unnumbered
part of _toc.yml; this prefixes each appendix page's title with its letter before Sphinx records
the title, so the page heading, the navigation, the previous/next links and the browser title
all carry the same letter as the PDF.
"""

from __future__ import annotations

import copy
from pathlib import Path
from string import ascii_uppercase

from docutils import nodes

from migration_report.core.book_structure import appendix_docnames

LETTER = "{letter}. "  # reader text: the prefix of an appendix title ("A. Claim register")


def appendix_letters(srcdir: Path) -> dict[str, str]:
    """Each appendix docname and its letter, in reading order (the PDF's order)."""
    return dict(zip(appendix_docnames(srcdir), ascii_uppercase))


def letter_appendix(app, doctree) -> None:
    if app.builder.format != "html":
        return  # LaTeX letters the appendices itself
    letter = appendix_letters(Path(app.srcdir)).get(app.env.docname)
    section = next(iter(doctree.findall(nodes.section)), None)
    if letter is None or section is None:
        return
    title = section[0]
    title.insert(0, nodes.Text(LETTER.format(letter=letter)))


def letter_appendix_numbers(app, env) -> list[str]:
    """Number an appendix's tables and figures by its letter, "Table C.1", as LaTeX does.

    Sphinx counts the captioned tables of the unnumbered appendices on from 1 across the book
    ("Table 1"); the PDF numbers them by appendix (pdf_layout.PDF_APPENDIX_TABLES). Captions
    and {numref} links read the numbers from here.
    """
    if app.builder.format != "html":
        return []
    plain = {}
    for docname, letter in appendix_letters(Path(app.srcdir)).items():
        if docname in env.toc_fignumbers:
            plain[docname] = copy.deepcopy(env.toc_fignumbers[docname])
        for numbers in env.toc_fignumbers.get(docname, {}).values():
            for count, node_id in enumerate(numbers, 1):  # in the page's order
                numbers[node_id] = (letter, count)
    env.appendix_plain_fignumbers = plain
    return []


def unletter_appendix_numbers(app, env) -> list[str]:
    """Give the appendices back the numbers Sphinx assigned, before its toctree collector assigns
    them again and compares: it would otherwise find the lettered numbers changed on every build
    and write the appendix, and the pages whose navigation holds it, again each time."""
    env.toc_fignumbers.update(getattr(env, "appendix_plain_fignumbers", {}))
    return []


def setup(app):
    # Before the title collector (priority 500) reads the page title for the navigation.
    app.connect("doctree-read", letter_appendix, priority=400)
    app.connect("env-get-updated", unletter_appendix_numbers, priority=100)
    # After Sphinx's toctree collector (priority 500) has assigned the numbers.
    app.connect("env-get-updated", letter_appendix_numbers, priority=900)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
