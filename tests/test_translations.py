"""The Spanish catalogues: every message translated and none fuzzy (out of date with the English)."""

from __future__ import annotations

import pytest

from migration_report import i18n
from migration_report.catalogues import catalogue_states

# Pages whose catalogues are finished: from here on, any untranslated or fuzzy message in one of
# them (after an English change and `make translations`) fails the test until it is translated.
FINISHED = {
    "chapters/introduction",
    "chapters/claim-register",
    "chapters/cooperation-and-funding",
    "chapters/flow-statistics",
    "chapters/rio-grande-dispute",
    "chapters/institutional-actors",
    i18n.DOMAIN,  # the text made by code
}


def _problems(state) -> list[str]:
    return ([f"untranslated: {m!r}" for m in state.untranslated[:3]] + [f"fuzzy: {m!r}" for m in state.fuzzy[:3]])


def test_there_is_a_spanish_catalogue_for_every_page(root):
    from migration_report.book_structure import pages

    assert {s.page for s in catalogue_states(root, "es")} == set(pages(root)) | {i18n.DOMAIN}, "run make translations"


@pytest.mark.parametrize("page", sorted(FINISHED))
def test_finished_pages_have_no_untranslated_or_fuzzy_message(root, page):
    state = next(s for s in catalogue_states(root, "es") if s.page == page)
    assert not state.untranslated and not state.fuzzy, f"{page}: " + "; ".join(_problems(state))


def test_every_spanish_message_is_translated(root):
    states = catalogue_states(root, "es")
    left = {s.page: (len(s.untranslated), len(s.fuzzy)) for s in states if s.untranslated or s.fuzzy}
    if left and not set(left) & FINISHED:
        # Only while the translation of these pages is under way (issue 16): the Spanish pages
        # show their English text, and the build reports the counts.
        pytest.skip("Spanish translation under way; untranslated, fuzzy messages by page: "
                    + ", ".join(f"{page} {u}, {f}" for page, (u, f) in sorted(left.items())))
    assert not left
