"""The Spanish catalogues: every message translated and none fuzzy (out of date with the English)."""

from __future__ import annotations


from migration_report.core import i18n
from migration_report.build.catalogues import catalogue_states

def _problems(state) -> list[str]:
    return ([f"untranslated: {m!r}" for m in state.untranslated[:3]] + [f"fuzzy: {m!r}" for m in state.fuzzy[:3]])


def test_there_is_a_spanish_catalogue_for_every_page(root):
    from migration_report.core.book_structure import pages

    from migration_report.sphinx.theme_words import CATALOGUE as THEME_WORDS

    # one per page, the text made by code, and the themes' own words (migration_report.sphinx.theme_words)
    assert {s.page for s in catalogue_states(root, "es")} == set(pages(root)) | {i18n.DOMAIN, THEME_WORDS}, \
        "run make translations"


def test_every_spanish_message_is_translated_and_none_is_fuzzy(root):
    # After an English change, `make translations` marks the messages concerned fuzzy or adds them
    # untranslated; the Spanish edition would show their English, so this fails until they are done.
    problems = {s.page: _problems(s) for s in catalogue_states(root, "es") if s.untranslated or s.fuzzy}
    assert not problems, "run make translations and translate: " + "; ".join(
        f"{page}: {', '.join(found)}" for page, found in sorted(problems.items()))


def test_no_catalogue_keeps_a_template_placeholder(root):
    from migration_report.build.catalogues import PLACEHOLDERS

    folder = root / "locales" / "es" / "LC_MESSAGES"
    found = {path.relative_to(folder).as_posix(): [p for p in PLACEHOLDERS if p in path.read_text(encoding="utf-8").partition("\n\n")[0]]
             for path in folder.rglob("*.po")}
    assert len(found) == 15  # 13 pages, the text made by code, the themes' words
    assert not {name: hits for name, hits in found.items() if hits}, "run make translations"


def test_tidying_a_header_replaces_the_template_and_keeps_the_messages():
    from migration_report.build.catalogues import PLACEHOLDERS, tidy_header

    template = ('# SOME DESCRIPTIVE TITLE.\n# FIRST AUTHOR <EMAIL@ADDRESS>, 2026.\n#\n#, fuzzy\nmsgid ""\nmsgstr ""\n'
                '"Project-Id-Version: Project name not set \\n"\n"Report-Msgid-Bugs-To: EMAIL@ADDRESS\\n"\n'
                '"POT-Creation-Date: 2026-12-01 10:04+0000\\n"\n"PO-Revision-Date: YEAR-MO-DA HO:MI+ZONE\\n"\n'
                '"Last-Translator: FULL NAME <EMAIL@ADDRESS>\\n"\n"Language-Team: es <LL@li.org>\\n"\n\n'
                '#: a.md:1\nmsgid "Glossary"\nmsgstr "Glosario"\n')
    book = {"title": "A book", "version": "1.0", "license": "CC-BY-4.0", "authors": [{"name": "Its maintainers"}]}
    tidy = tidy_header(template, "chapters/a", book)
    assert not [p for p in PLACEHOLDERS if p in tidy]
    assert '"PO-Revision-Date: 2026-12-01 10:04+0000\\n"' in tidy
    assert '"Last-Translator: Its maintainers\\n"' in tidy and '"Project-Id-Version: migration-report 1.0\\n"' in tidy
    assert "#, fuzzy" not in tidy and tidy.endswith('#: a.md:1\nmsgid "Glossary"\nmsgstr "Glosario"\n')
    assert tidy_header(tidy, "chapters/a", book) == tidy
