"""The Spanish catalogues use the terms of locales/es/terminology.csv (issue 16)."""

from __future__ import annotations

import pytest
from babel.messages.pofile import read_po

from migration_report.core.terminology import Term, load_terms, missing_terms, reader_text, term_pattern

CATALOGUES = "locales/es/LC_MESSAGES"


@pytest.fixture(scope="module")
def terms(root):
    return load_terms(root)


def _translated_messages(root):
    for path in sorted((root / CATALOGUES).rglob("*.po")):
        with path.open("rb") as handle:
            for message in read_po(handle):
                if message.id and message.string and not message.fuzzy and isinstance(message.id, str):
                    yield path.relative_to(root / CATALOGUES).as_posix(), message.id, message.string


def test_every_translated_message_uses_the_chosen_spanish_terms(root, terms):
    messages = list(_translated_messages(root))
    # not vacuous: the translated glossary alone has seven messages about encounters
    assert sum(bool(term_pattern("encounter").search(reader_text(msgid))) for _, msgid, _ in messages) >= 7
    problems = [f"{page}: {', '.join(repr(t.english) + ' -> ' + repr(t.spanish) for t in missing)} in {msgid[:80]!r}"
                for page, msgid, msgstr in messages
                if (missing := missing_terms(msgid, msgstr, terms))]
    assert not problems, "\n".join(problems)


def _glossary_headwords(root) -> set[str]:
    """The terms of chapters/glossary.md: the unindented lines of its {glossary} block."""
    block = (root / "chapters/glossary.md").read_text(encoding="utf-8").split("```{glossary}\n", 1)[1].split("```", 1)[0]
    return {line for line in block.splitlines() if line.strip() and not line[0].isspace()}


def test_the_glossary_shows_the_spanish_term_with_the_english_one(root, terms):
    # Each glossary entry the table covers reads "Encuentro (*encounter*)" in the Spanish edition.
    with (root / CATALOGUES / "chapters/glossary.po").open("rb") as handle:
        translated = {m.id: m.string for m in read_po(handle) if m.id}
    headwords = {word: translated[word] for word in _glossary_headwords(root)}
    by_english = {t.english.casefold(): t for t in terms}
    covered = {english: spanish for english, spanish in headwords.items() if english.casefold() in by_english}
    assert {"Encounter", "Apprehension", "Expulsion", "Inadmissible", "Parole", "Title 42"} <= set(covered)
    for english, spanish in covered.items():
        chosen = by_english[english.casefold()].spanish
        assert term_pattern(chosen).search(reader_text(spanish)), (english, spanish, chosen)
        if spanish != english:  # the English the sources use, in brackets
            assert f"(*{english.casefold()}*" in spanish.casefold(), (english, spanish)


def test_every_row_is_complete_and_its_source_exists(terms, bib_keys):
    assert len({t.english.casefold() for t in terms}) == len(terms), "an English term is listed twice"
    for term in terms:
        assert term.english and term.spanish and term.note, term
        assert not term.source or term.source.startswith("https://") or term.source in bib_keys, term


def test_the_check_finds_a_wrong_term_and_accepts_plurals_and_accents():
    encounter = Term("encounter", "encuentro", True, "", "")
    expulsion = Term("expulsion", "expulsión", True, "", "")
    assert missing_terms("Encounters fell.", "Las detenciones bajaron.", [encounter]) == [encounter]
    assert missing_terms("Encounters fell.", "Los encuentros bajaron.", [encounter]) == []
    assert missing_terms("Expulsions ended.", "Las expulsiones terminaron.", [expulsion]) == []
    # a verb is not the term, and a role's target or a citation key is not text the reader sees
    assert missing_terms("People encountered at the border.", "Personas detenidas.", [encounter]) == []
    assert missing_terms("See {cite:p}`cbp_nationwide_encounters`.", "Véase {cite:p}`cbp_nationwide_encounters`.",
                         [encounter]) == []
    assert missing_terms("Encounters fell.", "Las detenciones bajaron.", [Term("encounter", "encuentro", False, "", "")]) == []
    assert reader_text("{term}`encounters <Encounter>` in {doc}`flow-statistics`") == "encounters in  "
