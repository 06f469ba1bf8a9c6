"""Every sentence that code makes around a count agrees with it in Spanish, for one, two and many (issue 24).

Such a sentence is one message with its plural forms (`i18n.NP_`, rendered by `i18n.ngettext`), so
a translator writes each form whole; the Spanish catalogue has three forms (one; a whole number of
millions, "1,000,000 de afirmaciones"; any other number). Here each one is rendered in Spanish with
1, 2 and large numbers, and the words that must agree with the count, its verbs first, are checked
in each rendering: the singular form with 1 and never the plural, the plural with more and never the
singular. The list of sentences is the code's own (the messages `migration_report.build.code_messages`
extracts), so a new counted sentence fails here until its agreement is written down.
"""

from __future__ import annotations

import re

import pytest

from migration_report.core import i18n
from migration_report.build.code_messages import template

COUNTS = (1, 2, 21, 272_000, 1_000_000)
# By the message's English singular: the Spanish words that agree with its count, each as
# (the form for one, the form for more than one).
AGREEMENT = {
    # the claim register and the introduction (register_page.COUNTS)
    "This book checks the {n} statement of fact in the article against US data and documents, and how faithfully "
    "the article reports the press conference it relays.": [("la afirmación de hecho", "afirmaciones de hecho")],
    "{n} of them holds up in full.": [("se sostiene", "se sostienen")],
    "The article's headline claim:": [("La afirmación principal", "Las afirmaciones principales")],
    "{n} claim is supported": [("afirmación", "afirmaciones"), ("se sostiene", "se sostienen")],
    "{n} claim is partly supported": [("afirmación", "afirmaciones"), ("se sostiene", "se sostienen")],
    "{n} claim is not supported": [("afirmación", "afirmaciones"), ("se sostiene", "se sostienen")],
    "{n} claim cannot be verified": [("afirmación", "afirmaciones"), ("puede", "pueden")],
    "{n} claim is only about who said what, and gets no truth verdict": [
        ("afirmación", "afirmaciones"), ("trata", "tratan"), ("tiene", "tienen")],
    "{n} claim is reported faithfully": [("afirmación", "afirmaciones"), ("se transmitió", "se transmitieron")],
    "{n} claim is reported only partly faithfully": [("afirmación", "afirmaciones"),
                                                     ("se transmitió", "se transmitieron")],
    "{n} claim is not reported faithfully": [("afirmación", "afirmaciones"), ("se transmitió", "se transmitieron")],
    "{n} claim could not be checked against a record of what was said": [
        ("afirmación", "afirmaciones"), ("pudo", "pudieron")],
    "In all, of the {total} claims, {n} states a fact and gets a truth verdict:": [
        ("enuncia un hecho", "enuncian hechos"), ("tiene", "tienen")],
    "The article has {n} sentence.": [("oración", "oraciones")],
    "{n} of them states facts that the register checks.": [("enuncia", "enuncian")],
    "The sentence below states none.": [("sigue", "siguen"), ("enuncia", "enuncian")],
    "This is version {version}; the log has {n} entry.": [("entrada", "entradas")],
    # the flow chapter (flows_text.COUNTED)
    "the monthly count fell {n} month in a row, from {peak} in {peak_month} to {end} in June": [("mes", "meses")],
    "the two series differ by at most {n} encounter": [("encuentro", "encuentros")],
    "{n} of its {months} months had more": [("tuvo", "tuvieron")],
    # the Rio Grande chapter's timeline (barrier.MONTH_ONLY)
    "For {n} event only the month is known, and the figure draws it as a bar across the month.": [
        ("hecho", "hechos"), ("lo dibuja", "los dibuja")],
    # downloads: a figure's data link, a table's section of the data package's README, a file's size
    "Data for this figure (CSV, {n} row)": [("fila", "filas")],
    "Data for this figure: {what} (CSV, {n} row)": [("fila", "filas")],
    "### {title}\n\n`{path}` ({n} row). {description}\n\n- Publisher: {publisher}\n- Sources:\n{sources}\n"
    "- Licence: {licences}\n": [("fila", "filas")],
    "File: `data/{path}`, {n} byte": [("byte", "bytes")],
}
# Nouns that follow a number directly: after a whole number of millions Spanish puts "de" between.
NOUNS = ("afirmaciones", "oraciones", "entradas", "meses", "encuentros", "filas", "bytes")
VALUES = {"total": 24, "version": "0.3.0", "months": 297, "peak": 81_307, "peak_month": "marzo", "end": 49_262,
          "what": "actores", "title": "T", "path": "p.csv", "description": "D.", "publisher": "P", "sources": "S",
          "licences": "L"}


@pytest.fixture(scope="module")
def counted(root) -> dict[str, tuple[str, str]]:
    """The plural messages marked in the code and the notebooks, by their English singular."""
    return {m.id[0]: m.id for m in template(root) if isinstance(m.id, tuple)}


def test_every_counted_sentence_of_the_code_has_its_agreement_written_down(counted):
    assert len(counted) >= 20  # not vacuous: the register's, the flow chapter's and the downloads' counts
    assert set(counted) == set(AGREEMENT), (
        f"new: {sorted(set(counted) - set(AGREEMENT))}; gone: {sorted(set(AGREEMENT) - set(counted))}")


def _rendered(message: tuple[str, str], n: int, lang: str = "es") -> str:
    return i18n.ngettext(message, n, lang).format(**{k: i18n.number(v, lang) if isinstance(v, int) else v
                                                     for k, v in VALUES.items()})


def _has(text: str, words: str, n: int) -> bool:
    words = words.replace("{n}", i18n.number(n, "es"))
    return re.search(r"(?<!\w)" + re.escape(words) + r"(?!\w)", text) is not None


@pytest.mark.parametrize("n", COUNTS)
def test_each_counted_spanish_sentence_agrees_with_its_count(counted, n):
    problems = []
    for singular, message in sorted(counted.items()):
        text = _rendered(message, n)
        if text == _rendered(message, n, "en"):
            problems.append(f"{singular!r}: not translated")
            continue
        if "{n}" in message[1] and n > 1 and i18n.number(n, "es") not in text:
            problems.append(f"{singular!r} with {n}: the number is missing from {text!r}")
        for one, many in AGREEMENT.get(singular, []):
            wanted, unwanted = (one, many) if n == 1 else (many, one)
            if not _has(text, wanted, n) or _has(text, unwanted, n):
                problems.append(f"{singular!r} with {n}: wants {wanted!r}, not {unwanted!r}, in {text!r}")
        if n % 1_000_000 == 0:
            shown = re.escape(i18n.number(n, "es"))
            if re.search(rf"{shown} (?!de\b)(?:{'|'.join(NOUNS)})\b", text):
                problems.append(f"{singular!r} with {n}: a million takes 'de' before its noun, in {text!r}")
    assert not problems, "\n".join(problems)


def test_the_check_finds_a_sentence_that_does_not_agree():
    # the fragments issue 24 found: a plural verb after one claim, a singular one after two
    assert _has("1 no se sostienen", "se sostienen", 1) and not _has("1 no se sostienen", "se sostiene", 1)
    assert _has("2 afirmaciones se sostiene", "se sostiene", 2)
    assert not _has("los encuentros bajaron", "bajó", 2)
    assert _has("Las 2 de afirmaciones", "afirmaciones", 2) and not _has("meses", "mes", 2)


# The flow chapter's changes: one message per direction, whose verb agrees with the subject the
# message names (`flows_text.SENTENCES`): "el total … bajó", "los encuentros … bajaron".
SUBJECTS = {"sw-total": "plural", "usbp": "plural", "usbp-title-8": "plural", "ofo": "plural",
            "brief-sw-total": "singular", "brief-usbp": "plural", "daily-rate": "singular", "mexicans-12": "singular"}
VERBS = {("singular", "fall"): "bajó", ("singular", "rise"): "subió",
         ("plural", "fall"): "bajaron", ("plural", "rise"): "subieron"}


def test_each_change_sentence_has_its_subject_and_a_verb_that_agrees_with_it(monkeypatch):
    from migration_report.chapters.flow_statistics import text as flows_text

    monkeypatch.setenv(i18n.ENVIRONMENT, "es")
    assert set(SUBJECTS) == set(flows_text.SENTENCES)
    for key, number in SUBJECTS.items():
        for pct, direction in ((-30.1, "fall"), (27.5, "rise")):
            text = flows_text.change_sentence(key, pct, may=206_690, june=144_556)
            verbs = [verb for (n, d), verb in VERBS.items() if _has(text, verb, 2)]
            assert verbs == [VERBS[number, direction]], (key, direction, text)
            assert "30.1" in text or "27.5" in text, text
