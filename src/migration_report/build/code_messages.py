"""Extract the text made by code into its catalogue: `make translations` runs this after the prose.

    python -m migration_report.build.code_messages es

Messages are the string arguments of ``_()`` and ``N_()`` (`migration_report.core.i18n`) in this package
and in the notebooks' code cells (Babel's Python extractor; for a notebook, over its code cells),
and the help of each chapter parameter (the comment after it in the parameters cell), which the
re-users' page shows (the `rerun-chapter` directive).
The language's catalogue, ``locales/<lang>/LC_MESSAGES/migration_report.po``, is updated as
sphinx-intl updates the prose ones: new messages untranslated, changed ones fuzzy with their old
translation, removed ones obsolete.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

import nbformat
from babel.messages.catalog import Catalog
from babel.messages.extract import extract
from babel.messages.pofile import read_po, write_po

from migration_report.core import i18n
from migration_report.core.settings import book_root

KEYWORDS = {"_": None, "N_": None, "NP_": (1, 2)}


def _sources(root: Path):
    """(path relative to ROOT, Python source) for each module of the package and each notebook."""
    for path in sorted((root / "src" / "migration_report").rglob("*.py")):
        yield path.relative_to(root).as_posix(), path.read_bytes()
    for path in sorted((root / "chapters").glob("*.ipynb")):
        notebook = nbformat.read(path, as_version=4)
        code = "\n".join(c.source for c in notebook.cells if c.cell_type == "code")
        yield path.relative_to(root).as_posix(), code.encode("utf-8")


def _parameter_helps(root: Path):
    """(notebook, parameter, help) for each chapter parameter with a help: the comment of its line in
    the parameters cell, which the re-users' page shows (migration_report.sphinx.boxes)."""
    from migration_report.core.citation import parameters

    for path in sorted((root / "chapters").glob("*.ipynb")):
        for parameter in parameters(path):
            if parameter.help:
                yield path.relative_to(root).as_posix(), parameter.name, parameter.help


def template(root: Path) -> Catalog:
    catalogue = Catalog(project="migration-report", domain=i18n.DOMAIN, fuzzy=False)
    for name, source in _sources(root):
        for lineno, message, _comments, _context in extract("python", io.BytesIO(source), keywords=KEYWORDS):
            if (isinstance(message, str) and message) or (isinstance(message, tuple) and all(message)):
                catalogue.add(message, locations=[(name, lineno)])
    for name, parameter, help_text in _parameter_helps(root):
        catalogue.add(help_text, locations=[(name, None)],
                      auto_comments=[f"the help of parameter {parameter} (its comment in the parameters cell)"])
    return catalogue


def update(root: Path, lang: str) -> Path:
    path = i18n.catalogue_file(lang, root / "locales")
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.is_file():
        with path.open("rb") as handle:
            catalogue = read_po(handle, locale=i18n.LOCALES[lang], domain=i18n.DOMAIN)
    else:
        catalogue = Catalog(locale=i18n.LOCALES[lang], domain=i18n.DOMAIN, project="migration-report")
    catalogue.update(template(root), update_header_comment=False)
    with path.open("wb") as handle:
        # no dates and no wrapping: the file changes only when a message does
        catalogue.revision_date = catalogue.creation_date
        write_po(handle, catalogue, width=0, omit_header=False, sort_output=False, include_previous=True)
    return path


def main(argv: list[str]) -> int:
    lang = argv[0] if argv else "es"
    print(update(book_root(), lang))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
