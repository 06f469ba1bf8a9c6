"""The claim register in the Spanish edition: Spanish words, the same verdicts and the same numbers."""

from __future__ import annotations

import collections
import json
import re

import pandas as pd
import pytest

from migration_report.register import claimreview, claims, page as register_page, rubric
from migration_report.core.data import load, localized
from migration_report.core.schema import DataError

ENGLISH_VERDICT = re.compile(r"\b(partly supported|not supported|not verifiable|supported|partly faithful|not faithful|"
                             r"not checked|faithful)\b")
ROLE = re.compile(r"\{verdict\}`[^`]*`")  # a badge: English key, shown in the page's language by Sphinx
# The Spanish columns of the claim side's curated tables (COLUMN -> COLUMN_es).
TRANSLATED = {
    "article-claims": claims.CLAIM_TEXT_COLUMNS,
    "claim-evidence": claims.EVIDENCE_TEXT_COLUMNS,
    "article-sentences": register_page.SENTENCE_TEXT_COLUMNS,
    "corrections": register_page.CORRECTION_TEXT_COLUMNS,
    "quotations": register_page.QUOTATION_TEXT_COLUMNS,
    "source-searches": register_page.SEARCH_TEXT_COLUMNS,
}


@pytest.fixture(scope="module")
def tables():
    return claims.load_tables()


@pytest.fixture(scope="module")
def registers(tables):
    return {lang: claims.register(tables, lang=lang) for lang in ("en", "es")}


def _page(register: pd.DataFrame, lang: str) -> str:
    """Everything the register page shows that code writes, in LANG."""
    quotations, sentences, corrections = load("quotations"), load("article-sentences"), load("corrections")
    return "\n".join([register_page.principles(lang), register_page.rubric_rows(register, "relay", lang),
                      register_page.rubric_rows(register, "truth", lang), register_page.summary(register, lang),
                      *register_page.tally(register, lang), register_page.lead(register, lang),
                      register_page.quotations_table(quotations, lang), register_page.not_checked(sentences, lang),
                      register_page.cards(register, quotations, lang=lang, corrections=corrections,
                                          searches=load("source-searches")),
                      register_page.corrections_table(corrections, register, lang)])


def _numbers(text: str) -> collections.Counter:
    # a clock time counted as the Spanish edition writes it, on the 24-hour clock: 11:59 p.m. is 23:59
    text = re.sub(r"\b(\d{1,2}):(\d\d) p\.m\.", lambda m: f"{int(m[1]) % 12 + 12}:{m[2]}", text)
    return collections.Counter(re.findall(r"\d[\d,.]*\d|\d", text))


@pytest.mark.parametrize("name", sorted(TRANSLATED))
def test_every_spanish_column_is_filled_where_the_english_is(name):
    frame = load(name)
    for column in TRANSLATED[name]:
        original, spanish = frame[column].fillna(""), frame[f"{column}_es"].fillna("")
        assert ((original != "") == (spanish != "")).all(), (name, column, list(frame.index[(original != "") != (spanish != "")]))
        assert localized(frame, column, "es").fillna("").equals(spanish)
        shared = original != ""
        assert (original[shared] != spanish[shared]).any(), f"{name}.{column}_es repeats the English"


def test_a_missing_translation_is_an_error_naming_the_column(tables):
    claims_table = tables["article-claims"].copy()
    claims_table.loc[claims_table["claim_id"] == "barrier-length", "topic_es"] = None
    with pytest.raises(DataError, match="topic_es"):
        claims.register({**tables, "article-claims": claims_table}, lang="es")


def test_the_spanish_register_has_the_same_claims_and_verdicts(registers):
    en, es = registers["en"], registers["es"]
    assert list(es["claim_id"]) == list(en["claim_id"])
    assert list(es["verdict"]) == list(en["verdict"])  # the keys; readers see verdict_word()
    row = es.set_index("claim_id").loc["barrier-length"]
    assert row["topic"] == "Longitud de la barrera de boyas"
    assert row["claimed"] == "305 m (julio de 2023)"
    assert row["conclusion"].startswith("La barrera de boyas mide 305 metros: se sostiene. ")
    assert list(es["relay"]) == list(en["relay"])
    assert registers["en"].set_index("claim_id").at["barrier-length", "claimed"] == "305 m (July 2023)"


def test_the_register_page_in_spanish_has_spanish_words_and_no_english_verdict(registers):
    page = _page(registers["es"], "es")
    assert "Longitud de la barrera de boyas" in page and "**Corrección**" not in page
    for word in ("Se transmitió con fidelidad", "¿Es cierta?", "¿Se transmitió con fidelidad?"):
        assert word in page, word
    leftover = ENGLISH_VERDICT.findall(ROLE.sub("", page))
    assert not leftover, leftover
    assert "(traducción nuestra del inglés)" in page  # the article's words are the book's translation, said so
    english = _page(registers["en"], "en")
    assert "se sostiene" not in english and "Length of the buoy barrier" in english


def test_both_editions_of_the_register_page_show_the_same_numbers(registers):
    assert _numbers(_page(registers["es"], "es")) == _numbers(_page(registers["en"], "en"))


def test_spanish_verdict_lines_and_rubric(registers):
    row = next(registers["es"].itertuples())
    line = register_page.verdict_line(row, "es")
    assert "ficha de la afirmación" in line
    assert line.endswith(">`.")  # the link to the card ends its sentence: the chapter's prose follows it
    rows = {r["key"]: r for r in rubric.rows("truth", "es")}
    assert "5 puntos porcentuales" in rows["change"]["then"]
    assert "5\u00a0%" in rows["length"]["then"]
    assert not ENGLISH_VERDICT.search(" ".join(r["then"] + r["when"] for r in rows.values()))


def test_spanish_claimreview_records_say_their_language(registers):
    made = {lang: claimreview.records(registers[lang], page_url="claim-register.html", lang=lang,
                                      author={"@type": "Organization", "name": "Maintainers"},
                                      date_published="2026-01-01", article=register_page.ARTICLE)
            for lang in ("en", "es")}
    assert claimreview.validate(made["es"]) == []
    first = made["es"][0]
    assert first["inLanguage"] == "es" and made["en"][0]["inLanguage"] == "en"
    assert first["reviewRating"]["alternateName"] == "no verificable"
    assert first["claimReviewed"] == "Estados Unidos aportará 40 millones de dólares a dos programas mexicanos"
    assert all(len(r["claimReviewed"]) < claimreview.MAX_CLAIM_SHORT for r in made["es"])
    assert made["en"][0]["reviewRating"]["alternateName"] == "not verifiable"
    assert [r["url"] for r in made["es"]] == [r["url"] for r in made["en"]]


def test_spanish_downloads_have_spanish_headings_and_verdicts(registers, tmp_path):
    paths = claimreview.write_downloads(register_page.download_frame(registers["es"]), tmp_path, lang="es")
    rows = json.loads(paths["json"].read_text(encoding="utf-8"))
    assert rows[0]["Veredicto"] == "no verificable" and rows[0]["Tema"].startswith("La aportación")
    assert not set(rows[0]) & set(claimreview.LABELS.values()), "an English heading in the Spanish download"
    header = paths["csv"].read_text(encoding="utf-8").splitlines()[0]
    assert "Qué se encontró" in header and "Found" not in header
