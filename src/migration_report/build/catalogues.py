"""The state of the translation catalogues: how many messages each has, translated, untranslated, fuzzy.

    python -m migration_report.build.catalogues es     (make translations, and scripts/build-book before the Spanish edition)
    python -m migration_report.build.catalogues --check es   (the check alone, without the counts)

A message is fuzzy when sphinx-intl found the English changed since it was translated (the old
translation is kept, marked for review) and untranslated when it has no translation at all; the
Spanish edition shows the English text for both, so make test fails while any is left. A translated
message that adds markup to its English (raw HTML, a directive, a role, a link elsewhere than http,
https or mailto: migration_report.core.message_markup) is an error, named by its file and line.

Why not `sphinx-intl stat`: it prints three counts per file, and a failed check here names the
fuzzy and untranslated messages themselves, which only reading the catalogues gives.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path

from babel.messages.pofile import read_po

from migration_report.core.edition import LOCALE_DIR
from migration_report.core.settings import book_root


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


def markup_problems(root: Path, language: str) -> list[str]:
    """Every translated message that adds markup to its English, or uses markup no translation may
    (migration_report.core.message_markup), as "FILE:LINE: what"; FILE relative to ROOT."""
    from migration_report.core.message_markup import problems

    root = Path(root)
    folder = root / LOCALE_DIR / language / "LC_MESSAGES"
    found = []
    for path in sorted(folder.rglob("*.po")):
        with path.open("rb") as handle:
            catalogue = read_po(handle)
        for message in catalogue:
            if not message.id or not message.string or message.fuzzy:  # a fuzzy one is not published
                continue
            msgid = message.id if isinstance(message.id, str) else message.id[0]
            msgstr = message.string if isinstance(message.string, str) else message.string[0]
            for reason in problems(msgid, msgstr):
                found.append(f"{path.relative_to(root).as_posix()}:{message.lineno}: the translation has {reason}; "
                             "a translation keeps the markup of its English and adds none")
    return found


def report(states: list[CatalogueState], language: str) -> str:
    lines = [f"{s.page}: {s.translated}/{s.total} translated"
             + (f", {len(s.untranslated)} untranslated" if s.untranslated else "")
             + (f", {len(s.fuzzy)} fuzzy" if s.fuzzy else "") for s in states]
    total = sum(s.total for s in states)
    done = sum(s.translated for s in states)
    lines.append(f"Catalogues ({language}): {done}/{total} messages translated, "
                 f"{sum(len(s.untranslated) for s in states)} untranslated, {sum(len(s.fuzzy) for s in states)} fuzzy")
    return "\n".join(lines)


# What sphinx-intl and Babel write into a new catalogue's header until someone fills it in. A
# catalogue ships with the book (and in its downloads), so none of it may stay.
PLACEHOLDERS = ("SOME DESCRIPTIVE TITLE", "FIRST AUTHOR", "FULL NAME", "EMAIL@ADDRESS", "LL@li.org",
                "YEAR-MO-DA", "Project name not set", "ORGANIZATION", "VERSION")
HEADER_COMMENT = ("# Spanish (Mexico) translation of {name}, for {title}.\n"
                  "# This file is distributed under the same licence as the book ({licence}).\n")


def tidy_header(text: str, name: str, book: dict) -> str:
    """TEXT (a .po file) with its header's template comments and fields replaced by the book's own
    (title, version, licence and maintainers from CITATION.cff); a field nobody can fill in truthfully
    (a bug address the book does not have) is left empty. Messages are not touched."""
    head, blank, rest = text.partition("\n\n")
    lines = [line for line in head.splitlines() if line.startswith('"') or line.startswith("msg")]
    maintainers = ", ".join(author["name"] for author in book["authors"])
    fields = {"Project-Id-Version": f"migration-report {book['version']}", "Report-Msgid-Bugs-To": "",
              "Last-Translator": maintainers, "Language-Team": maintainers}
    created = re.search(r'"POT-Creation-Date: ([^\\]*)\\n"', head)
    if created and "YEAR-MO-DA" in head:
        fields["PO-Revision-Date"] = created.group(1)
    for field, value in fields.items():
        lines = [f'"{field}: {value}\\n"' if line.startswith(f'"{field}:') else line for line in lines]
    comment = HEADER_COMMENT.format(name=name, title=book["title"], licence=book["license"])
    return comment + "\n".join(lines) + blank + rest


def tidy_headers(root: Path, language: str) -> list[Path]:
    """Tidy the header of every catalogue of LANGUAGE (make translations runs it after sphinx-intl);
    the catalogues it changed."""
    import yaml

    book = yaml.safe_load((Path(root) / "CITATION.cff").read_text(encoding="utf-8"))
    folder = Path(root) / LOCALE_DIR / language / "LC_MESSAGES"
    changed = []
    for path in sorted(folder.rglob("*.po")):
        text = path.read_text(encoding="utf-8")
        name = path.relative_to(folder).with_suffix("").as_posix()
        tidy = tidy_header(text, name, book)
        if tidy != text:
            path.write_text(tidy, encoding="utf-8")
            changed.append(path)
    return changed


def main(argv: list[str]) -> int:
    option = argv[0] if argv[:1] in (["--tidy-headers"], ["--check"]) else None
    language = ((argv[1:] if option else argv) or ["es"])[0]
    # Markup a translation adds stops the build and make translations before anything else.
    problems = markup_problems(book_root(), language)
    for problem in problems:
        print(f"error: {problem}", file=sys.stderr)
    if problems:
        return 1
    if option == "--check":
        return 0
    if option == "--tidy-headers":
        tidy_headers(book_root(), language)
    print(report(catalogue_states(book_root(), language), language))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
