"""The Spanish edition's book settings and table of contents, made from the English ones.

    python -m migration_report.core.edition es OUTDIR     (scripts/build-book runs it)

jupyter-book has no ``-D language=`` override, so the Spanish edition is built with its own
_config.yml and _toc.yml. Both are generated, never hand-copied, so a change to the English
settings or chapter order reaches the Spanish edition at its next build:

- the settings are the English ones with ``language: es``, the catalogues in ``locales/``, an
  execution cache of its own (the Spanish kernels draw Spanish figures; a shared cache would
  serve the English ones), the published address under ``es/``, and the book's title as the
  catalogue of the root page translates it (the root page's heading is the title);
- the table of contents is the English one with its part captions translated from the root
  page's catalogue: Sphinx extracts toctree captions into it, but sphinx-external-toc adds the
  toctrees after Sphinx's Locale transform has run, so the translations are never applied.
"""

from __future__ import annotations

import copy
import sys
from pathlib import Path

import yaml
from babel.messages.pofile import read_po

from migration_report.core.settings import book_root

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


def _root_docname(toc: dict) -> str:
    return str(toc["root"]).removesuffix(".ipynb").removesuffix(".md")


def book_title(root: Path, language: str, english: str) -> str:
    """The book's title in LANGUAGE: as the root page's catalogue translates it (its heading is the title)."""
    if language == "en":
        return english
    toc = yaml.safe_load((Path(root) / "_toc.yml").read_text(encoding="utf-8"))
    return translations(root, language, _root_docname(toc)).get(english, english)


def edition_toc(toc: dict, messages: dict[str, str]) -> dict:
    translated = copy.deepcopy(toc)
    for part in translated.get("parts", []):
        if "caption" in part:
            part["caption"] = messages.get(part["caption"], part["caption"])
    return translated


def edition_config(config: dict, language: str, messages: dict[str, str]) -> dict:
    edited = copy.deepcopy(config)
    edited["title"] = messages.get(config["title"], config["title"])
    execute = edited.setdefault("execute", {})
    execute["cache"] = f"{execute.get('cache') or '_build/.jupyter_cache'}-{language}"
    html = edited.setdefault("html", {})
    if html.get("baseurl"):
        html["baseurl"] = html["baseurl"].rstrip("/") + "/" + PREFIX[language]
    latex = edited.setdefault("latex", {})
    documents = dict(latex.get("latex_documents") or {})
    documents["targetname"] = Path(pdf_name(language)).with_suffix(".tex").name
    latex["latex_documents"] = documents
    sphinx_config = edited.setdefault("sphinx", {}).setdefault("config", {})
    sphinx_config["language"] = language
    sphinx_config["locale_dirs"] = [LOCALE_DIR]
    if language in DATE_FORMAT:
        sphinx_config["today_fmt"] = sphinx_config["html_last_updated_fmt"] = DATE_FORMAT[language]
    if language in CODE_PROMPTS:
        sphinx_config["nb_code_prompt_show"], sphinx_config["nb_code_prompt_hide"] = CODE_PROMPTS[language]
    if language in SEARCH_TEXT:
        sphinx_config.setdefault("html_theme_options", {})["search_bar_text"] = SEARCH_TEXT[language]
    return edited


def write_edition(root: Path, language: str, outdir: Path) -> tuple[Path, Path]:
    """Write OUTDIR/_config.yml and OUTDIR/_toc.yml for LANGUAGE; return their paths."""
    root, outdir = Path(root), Path(outdir)
    config = yaml.safe_load((root / "_config.yml").read_text(encoding="utf-8"))
    toc = yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8"))
    messages = translations(root, language, _root_docname(toc))
    outdir.mkdir(parents=True, exist_ok=True)
    header = f"# Generated by migration_report.core.edition from _config.yml and _toc.yml for language {language}; do not edit.\n"
    paths = outdir / "_config.yml", outdir / "_toc.yml"
    for path, data in zip(paths, (edition_config(config, language, messages), edition_toc(toc, messages))):
        text = header + yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
        if not path.is_file() or path.read_text(encoding="utf-8") != text:  # unchanged files keep their time
            path.write_text(text, encoding="utf-8")
    return paths


def main(argv: list[str]) -> int:
    if len(argv) != 2 or argv[0] not in PREFIX:
        print(f"usage: python -m migration_report.core.edition {'|'.join(PREFIX)} OUTDIR", file=sys.stderr)
        return 2
    for path in write_edition(book_root(), argv[0], Path(argv[1])):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
