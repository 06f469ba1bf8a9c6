"""The claim register page's words and small pieces of markup: TEXT (its messages), references to
a claim's card and to a rubric row, citations, the badges; `page` writes the page with them."""

from __future__ import annotations

from __future__ import annotations
import re
import pandas as pd
from migration_report.register import claims, rubric
from migration_report.core import i18n
from migration_report.core.i18n import N_
from migration_report.core.outputs import MAX_CITATION_KEYS, Markup, cite_p, mark_spanish

# Marked with N_() for the catalogue (migration_report.core.i18n); translated, in the edition's language,
# only by text() below. A table's header row is one message, so a translation keeps its columns.
TEXT = {
    "quote_source": N_("— {source}"),
    "true": N_("Is it true?"),
    "relayed": N_("Reported faithfully?"),
    "decided_by": N_("{reason} (rubric: {row})."),
    "reading": N_("Reading judged"),
    "claimed": N_("Claimed"),
    "found": N_("Found"),
    "why": N_("Why"),
    "found_in": N_("Data"),
    "evidence": N_("Evidence"),
    "record": N_("What was said"),
    "context": N_("Other readings and context"),
    "original": N_("Spanish original"),
    "checked_in": N_("Checked in"),
    "cite": N_("Cite this claim"),
    "register_title": N_("Claim register"),
    "correction": N_("Corrected on {date} (version {version}): the verdict was {old}, and is now {new}. {why} See "
                     "{log}."),
    "correction_new": N_("Added on {date} (version {version}). {why} See {log}."),
    "correction_said": N_("Corrected on {date} (version {version}): the verdict was {old}; the claim is now judged "
                          "only on how faithfully it was reported. {why} See {log}."),
    "log": N_("the changes and corrections"),
    "correction_title": N_("Correction"),
    "source_label": N_("{kind}, {voice}"),
    "searched": N_("Searched"),
    "search_line": N_("{side}: {outcome}. {result}"),
    "no_truth_verdict": N_("none: the claim is only about who said what"),
    "summary_said": N_("Only about who said what"),
    "summary_item": N_("{link}: claimed {claimed}; found {found}. {relay}"),
    "summary_item_no_figure": N_("{link}: {found}. {relay}"),
    "summary_item_said": N_("{link}. {relay}"),
    "relay_short": {
        "faithful": N_("Reported faithfully."),
        "partly faithful": N_("Reported only partly faithfully."),
        "not faithful": N_("Not reported faithfully."),
        "not checked": N_("How faithfully it was reported could not be checked."),
    },
    "not_checked_header": N_("| Sentence | Begins | Why it is not checked |\n| --- | --- | --- |"),
    "quotations_header": N_("| Sentence | Speaker | Spanish original | Relayed | Source |\n"
                            "| --- | --- | --- | --- | --- |"),
    "not_found": N_("not found"),
    "quotation_relayed": {"faithful": N_("relayed faithfully"), "partly": N_("relayed only in part"),
                          "not found": N_("no Spanish original found")},
    "verdict_line": N_("{badge}: {reason}{found}. {relay} See {link}."),
    "verdict_line_found": N_("; claimed {claimed}, found {found}"),
    "verdict_line_found_only": N_("; found: {found}"),
    "verdict_line_said": N_("{badge}: {reason}. See {link}."),
    "card_link": N_("the claim's card"),
    "rubric_row": N_("**{number} {title}.** *When:* {when} *Then:* {then}. *Example:* {example}."),
    "rubric_example": N_("{link}, {answer}"),
    "rubric_no_verdict": N_("no truth verdict"),
}
# The curated tables' reader-facing text columns, read in the edition's language (data.localized).
QUOTATION_TEXT_COLUMNS = ("note",)
SENTENCE_TEXT_COLUMNS = ("reason",)
CORRECTION_TEXT_COLUMNS = ("why", "topic")
# The order in which the summary lists the verdicts: the failures first.
SUMMARY_ORDER = (claims.NOT_SUPPORTED, claims.PARTLY, claims.NOT_VERIFIABLE, claims.SUPPORTED)


def text(key: str, lang: str | None = None, **values) -> str:
    """TEXT[key] (or TEXT[group][key] for "group:key") in the edition's language, filled in with VALUES."""
    group, _, item = key.partition(":")
    message = TEXT[group][item] if item else TEXT[key]
    translated = i18n.gettext(message, lang)
    return translated.format(**values) if values else translated


def _spanish(words: str) -> str:
    """Spanish text in the `es` role: role content is never parsed as markup; only a backtick could end it."""
    return "{es}`" + " ".join(words.replace("`", "'").split()) + "`"


def _english(words: str, lang: str | None) -> str:
    """The article's own English words: in another edition, in the `en` role (lang="en" in HTML)."""
    if i18n.language(lang) == "en":
        return mark_spanish(words)
    return "{en}`" + " ".join(str(words).replace("`", "'").split()) + "`"


def _ref(words: str, label: str) -> str:
    """A cross-reference whose text comes from data: role content is never parsed as markup, and
    only a backtick or angle brackets could change the role's meaning."""
    safe = " ".join(str(words).split()).replace("`", "'").replace("<", "‹").replace(">", "›").replace("|", "/")
    return f"{{ref}}`{safe} <{label}>`"


def _card_link(row) -> str:
    return f"[{mark_spanish(row.topic)}](#{row.card_label})"


def topic_ref(register: pd.DataFrame, claim_id: str) -> Markup:
    """A link to a claim's card in the register, named by the claim's topic (not its identifier)."""
    row = register.set_index("claim_id").loc[claim_id]
    return Markup(_ref(row["topic"], row["card_label"]))


def _cite(keys, lang: str | None = None) -> str:
    """One bracket for a few sources; past MAX_CITATION_KEYS, a list of the sources by name."""
    keys = [k for k in dict.fromkeys(keys) if isinstance(k, str) and re.fullmatch(r"[A-Za-z0-9_:-]+", k)]
    if len(keys) > MAX_CITATION_KEYS:
        return "; ".join(f"{{cite:t}}`{k}`" for k in keys) + "."
    return cite_p(keys) if keys else ""


def _cited(sentence: str, citation: str) -> str:
    """The citation inside the sentence, before its full stop."""
    if not citation:
        return str(sentence)
    body, stop = (sentence[:-1], ".") if sentence.endswith(".") else (sentence, "")
    return f"{body} {citation}{stop}"


def _sentence(clause: str) -> str:
    clause = str(clause)
    return clause[:1].upper() + clause[1:] if clause else clause


def _field(term: str, body: str) -> str:
    # A list body starts on the definition's own line, its further items indented to match: a
    # definition left empty on its ":" line is not one, and showed as a paragraph "Evidence :".
    if body.startswith("\n"):
        body = body.strip()
    return f"{term}\n: {body}\n"


def rubric_label(key: str) -> str:
    return f"rubric-{key}"


def row_number(key: str) -> str:
    """A rubric row's number as the page prints it: 1.2 is the second row of question 1."""
    for question, table in ((1, rubric.RELAY_ROWS), (2, rubric.TRUTH_ROWS)):
        keys = [r.key for r in table]
        if key in keys:
            return f"{question}.{keys.index(key) + 1}"
    raise KeyError(key)


def _row_ref(key: str, lang: str | None) -> str:
    return _ref(f"{row_number(key)} {i18n.gettext(rubric.ROWS[key].title, lang)}", rubric_label(key))


def badge(answer: str | None, claim_id: str, lang: str | None = None) -> str:
    """A verdict or relay badge for CLAIM_ID; for a claim with no truth verdict, the words saying so."""
    return claims.badge(answer, claim_id) if isinstance(answer, str) else text("no_truth_verdict", lang)
