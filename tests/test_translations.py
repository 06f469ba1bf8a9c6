"""The Spanish catalogues: every message translated and none fuzzy (out of date with the English)."""

from __future__ import annotations


from migration_report import i18n
from migration_report.catalogues import catalogue_states

def _problems(state) -> list[str]:
    return ([f"untranslated: {m!r}" for m in state.untranslated[:3]] + [f"fuzzy: {m!r}" for m in state.fuzzy[:3]])


def test_there_is_a_spanish_catalogue_for_every_page(root):
    from migration_report.book_structure import pages

    assert {s.page for s in catalogue_states(root, "es")} == set(pages(root)) | {i18n.DOMAIN}, "run make translations"


def test_every_spanish_message_is_translated_and_none_is_fuzzy(root):
    # After an English change, `make translations` marks the messages concerned fuzzy or adds them
    # untranslated; the Spanish edition would show their English, so this fails until they are done.
    problems = {s.page: _problems(s) for s in catalogue_states(root, "es") if s.untranslated or s.fuzzy}
    assert not problems, "run make translations and translate: " + "; ".join(
        f"{page}: {', '.join(found)}" for page, found in sorted(problems.items()))
