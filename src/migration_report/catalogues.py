"""The state of the translation catalogues: how many messages each has, translated, untranslated, fuzzy.

    python -m migration_report.catalogues es     (make translations and scripts/build-book print it)

A message is fuzzy when sphinx-intl found the English changed since it was translated (the old
translation is kept, marked for review) and untranslated when it has no translation at all; the
Spanish edition shows the English text for both, so make test fails while any is left.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

from babel.messages.pofile import read_po

from .edition import LOCALE_DIR
from .settings import book_root


@dataclass(frozen=True)
class CatalogueState:
    page: str  # the docname, e.g. chapters/introduction
    total: int
    translated: int
    fuzzy: list[str]
    untranslated: list[str]


def catalogue_states(root: Path, language: str) -> list[CatalogueState]:
    folder = Path(root) / LOCALE_DIR / language / "LC_MESSAGES"
    states = []
    for path in sorted(folder.rglob("*.po")):
        with path.open("rb") as handle:
            catalogue = read_po(handle)
        messages = [m for m in catalogue if m.id]  # not the header, not obsolete (#~) entries
        fuzzy = [m.id for m in messages if m.fuzzy]
        untranslated = [m.id for m in messages if not m.string and not m.fuzzy]
        states.append(CatalogueState(page=path.relative_to(folder).with_suffix("").as_posix(), total=len(messages),
                                     translated=len(messages) - len(fuzzy) - len(untranslated),
                                     fuzzy=fuzzy, untranslated=untranslated))
    return states


def report(states: list[CatalogueState], language: str) -> str:
    lines = [f"{s.page}: {s.translated}/{s.total} translated"
             + (f", {len(s.untranslated)} untranslated" if s.untranslated else "")
             + (f", {len(s.fuzzy)} fuzzy" if s.fuzzy else "") for s in states]
    total = sum(s.total for s in states)
    done = sum(s.translated for s in states)
    lines.append(f"Catalogues ({language}): {done}/{total} messages translated, "
                 f"{sum(len(s.untranslated) for s in states)} untranslated, {sum(len(s.fuzzy) for s in states)} fuzzy")
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    language = argv[0] if argv else "es"
    print(report(catalogue_states(book_root(), language), language))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
