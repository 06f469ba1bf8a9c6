"""What each edition is: where it is published, its catalogues, its PDF, its dates and its title.

A lookup used while the book is built and read (the Sphinx extension, the citation, the settings);
`migration_report.build.editions` makes a translated edition's _config.yml and _toc.yml from these.
"""

from __future__ import annotations

from pathlib import Path

import yaml
from babel.messages.pofile import read_po


LOCALE_DIR = "locales"
PREFIX = {"es": "es/"}  # where each translated edition lives inside the published book
# Dates in the pages ("last updated") and on the PDF's title page, as the language writes them:
# "1 de diciembre de 2026", not Sphinx's Spanish default "01 de diciembre de 2026".
DATE_FORMAT = {"es": "%-d de %B de %Y"}
# MyST-NB's bar over folded code ("Show code cell source"), which no catalogue reaches: it is a setting.
CODE_PROMPTS = {"es": ("Mostrar el código que dibuja esta gráfica", "Ocultar el código")}
# The search field's text, which jupyter-book sets as a theme option ("Search this book..."): no
# catalogue reaches it either (migration_report.sphinx.theme_words translates the themes' other words).
SEARCH_TEXT = {"es": "Buscar en este libro…"}
PDF_DIR = "_build/latex"  # where `make pdf` publishes the PDFs, relative to the book root


def pdf_name(language: str) -> str:
    """The file name of an edition's PDF: book.pdf, and book-<language>.pdf for a translation
    (its LaTeX target, set by edition_config)."""
    return "book.pdf" if language not in PREFIX else f"book-{language}.pdf"


def pdf_path(language: str) -> str:
    """Where `make pdf` publishes an edition's PDF, relative to the book root (a translation's in
    its folder, as scripts/build-book publishes it)."""
    return f"{PDF_DIR}/{PREFIX.get(language, '')}{pdf_name(language)}"


def catalogue_path(root: Path, language: str, docname: str) -> Path:
    return Path(root) / LOCALE_DIR / language / "LC_MESSAGES" / f"{docname}.po"


def translations(root: Path, language: str, docname: str) -> dict[str, str]:
    """The translated, non-fuzzy messages of one page's catalogue: {msgid: msgstr}."""
    path = catalogue_path(root, language, docname)
    if not path.is_file():
        return {}
    with path.open("rb") as handle:
        catalogue = read_po(handle)
    return {m.id: m.string for m in catalogue if m.id and m.string and not m.fuzzy and isinstance(m.id, str)}


def root_docname(toc: dict) -> str:
    return str(toc["root"]).removesuffix(".ipynb").removesuffix(".md")


def book_title(root: Path, language: str, english: str) -> str:
    """The book's title in LANGUAGE: as the root page's catalogue translates it (its heading is the title)."""
    if language == "en":
        return english
    toc = yaml.safe_load((Path(root) / "_toc.yml").read_text(encoding="utf-8"))
    return translations(root, language, root_docname(toc)).get(english, english)
