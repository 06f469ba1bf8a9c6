"""The claim register: the one place where evidence becomes an answer to each claim's two questions.

Chapter modules measure (`flows.checks`, `barrier.checks`): they return, per claim, the values the
data show and the name of the rule to apply, never a verdict. Claims judged from documents have
their findings, each with its source, its kind and whose it is, in the `claim-evidence` table;
each finding bears on one of the two questions (`relay`: was it reported faithfully; `truth`: is
it true). `register()` applies the rubric (`migration_report.register.rubric`) to both and is the only code
that decides; chapters and the register page glue its words.
"""

from __future__ import annotations

import pandas as pd

from migration_report.chapters.rio_grande_dispute import analysis as barrier
from migration_report.chapters.flow_statistics import analysis as flows
from migration_report.register import rubric
from migration_report.core import i18n
from migration_report.core.data import load, localized
from migration_report.core.i18n import N_
from migration_report.core.measurement import Measurement
from migration_report.register.rubric import (  # noqa: F401  (the register's vocabulary, re-exported for its readers)
    FAITHFUL, NOT_CHECKED, NOT_FAITHFUL, NOT_SUPPORTED, NOT_VERIFIABLE, ORDER, PARTLY, PARTLY_FAITHFUL,
    PERCENT_TOLERANCE, RELATIVE_TOLERANCE, RELAY_ANSWERS, SUPPORTED, VERDICTS, Judgement, direction_word,
    verdict_word)

# Whose a source is, relative to the claimant. Every claim of the article relays the Mexican
# government's report of its press conference, so that government is the claimant throughout.
CLAIMANT = "mexico-gov"
VOICE_OF = {CLAIMANT: "claimant", "us-gov": "counterpart", "other": "independent"}

SECTION_LABEL = "check-{claim_id}"  # the label of the chapter section that checks a claim
CARD_LABEL = "claim-{claim_id}"  # the label (and HTML anchor) of the claim's card in the register

TABLES = ("sw-encounters", "chnv-process", "cbp-one-appointments", "article-claims", "claim-evidence",
          "barrier-geometry", "flow-cited-figures")

TEXT = {
    "conclusion": N_("{claim}: {verdict_word}. {reason}."),
    "conclusion_found": N_("{claim}: {verdict_word}. {reason}; found: {found}."),
    "conclusion_said": N_("{claim}: {relay}. {reason}."),
    "no_figure": N_("no figure"),
    "as_of": N_("no figure; refers to {when}"),
    "claimed_value": N_("{number} {unit}"),
    "no_findings_sentence": N_("No finding was recorded."),
}

# The curated tables' reader-facing text columns, read in the edition's language (data.localized).
CLAIM_TEXT_COLUMNS = ("topic", "claim_short", "quote", "reading", "claimed_unit", "claimed_unit_2")
EVIDENCE_TEXT_COLUMNS = ("statement", "short")


def text(key: str, lang: str | None = None, **values) -> str:
    """TEXT[key] in the edition's language, filled in with VALUES."""
    return i18n.gettext(TEXT[key], lang).format(**values)


def in_language(frame: pd.DataFrame, columns, lang: str | None = None) -> pd.DataFrame:
    """FRAME with each of its text COLUMNS in the edition's language (an error where a translation is missing)."""
    translated = {c: localized(frame, c, lang) for c in columns if c in frame.columns}
    out = frame.assign(**translated)
    out.attrs = dict(frame.attrs)
    return out


def load_tables() -> dict[str, pd.DataFrame]:
    return {name: load(name) for name in TABLES}


def measurements(tables: dict[str, pd.DataFrame], lang: str | None = None) -> dict[str, Measurement]:
    """Every chapter module's measurements, by claim id, their text in the edition's language LANG."""
    with i18n.edition(lang):
        return {**flows.checks(tables), **barrier.checks(tables)}


def _when(stamp: str, lang: str | None) -> str:
    """A claim's `claimed_when` (2023, 2023-07, 2023-05-12 or a range a/b) as the edition writes dates."""
    def one(part: str) -> str:
        if len(part) == 4:
            return part
        return i18n.month(part, lang) if len(part) == 7 else i18n.date(part, lang)

    return "–".join(one(part.strip()) for part in stamp.split("/"))


def claimed_text(claim, lang: str | None = None, period: str = "always") -> str:
    """What was claimed (value, unit, period) in words, from the claim's row (its units in the edition's
    language). PERIOD "ranges" gives the period only when it is a range (a comparison between months)."""
    parts = []
    for value, unit in ((claim.claimed_value, claim.claimed_unit), (claim.claimed_value_2, claim.claimed_unit_2)):
        if pd.notna(value):
            parts.append(i18n.quantity(value, unit if isinstance(unit, str) else "", lang))
    when = _when(claim.claimed_when, lang) if isinstance(claim.claimed_when, str) else None
    if period == "ranges" and when and "/" not in claim.claimed_when:
        when = None
    if parts:
        return "; ".join(parts) + (f" ({when})" if when else "")
    return text("as_of", lang, when=when) if when else text("no_figure", lang)


# Which finding shows a decision best, by the row that decided (first match in this order).
DECISIVE = {
    "part-for-whole": ("part for whole",), "qualified": ("partly agrees",),
    "own-results": ("agrees", "partly agrees"), "other-group": ("other group",),
    "nothing-counts": ("no source found", "agrees", "partly agrees", "context"),
    "relay-matches": ("agrees",), "relay-differs": ("partly agrees", "differs"), "relay-none": ("no source found",),
}
COMBINE_DECISIVE = {SUPPORTED: ("agrees",), PARTLY: ("differs", "other group"), NOT_SUPPORTED: ("differs", "other group")}


def _decisive(findings: pd.DataFrame, judgement: Judgement) -> pd.Series | None:
    """The finding that best shows why JUDGEMENT was given: the first of the kinds its row looks for."""
    kinds = COMBINE_DECISIVE[judgement.verdict] if judgement.row == "combine" else DECISIVE.get(judgement.row, ())
    for finding in kinds:
        rows = findings[findings["finding"] == finding]
        if len(rows):
            return rows.iloc[0]
    return None


def _records(frame: pd.DataFrame) -> list[dict]:
    return frame[["finding", "statement", "source_key", "source_kind", "source_voice"]].to_dict("records")


def _judge(claim, evidence: pd.DataFrame, measured: Measurement | None, lang: str) -> dict:
    relay = evidence[evidence["question"] == "relay"]
    truth = evidence[evidence["question"] == "truth"]
    relay_judgement = rubric.judge_relay(list(relay["finding"]), lang)
    relay_decisive = _decisive(relay, relay_judgement)

    measured_judgement = None
    if measured is not None:
        measured_judgement = rubric.MEASURED_RULES[measured.rule](**measured.values, lang=lang)
    voices = [VOICE_OF.get(v, "independent") for v in truth["source_voice"]]
    judgement = rubric.judge_truth(claim.about, list(zip(truth["finding"], voices)), measured_judgement, lang)
    # The finding that shows why, when a row other than the measured rule decided.
    decisive = None if judgement.verdict is None or judgement.row in rubric.MEASURED_ROWS else _decisive(truth, judgement)

    if measured is not None:
        found, found_short, found_in, basis = measured.found, measured.found_short, measured.found_in, "data"
        found_keys = list(measured.sources)
    elif judgement.verdict is None:
        found, found_short, found_in, basis, found_keys = "", "", "", "said", []
    else:
        found = str(decisive["statement"]) if decisive is not None else text("no_findings_sentence", lang)
        found_short, found_in, basis = "", "", "sources"
        found_keys = [str(decisive["source_key"])] if decisive is not None else []
    if decisive is not None and isinstance(decisive["short"], str) and decisive["short"]:
        found_short = str(decisive["short"]) if measured is None else found_short
    in_context = truth["finding"] == "context"
    context = [str(s) for s in truth.loc[in_context, "statement"]]
    context_keys = [str(k) for k in truth.loc[in_context, "source_key"]]
    if measured is not None:
        # the measurement's own other readings rest on the data it measured
        context += list(measured.context)
        context_keys += [None] * len(measured.context)
    keys = list(relay["source_key"]) + list(truth["source_key"]) + list(measured.sources if measured else ())
    return {
        "verdict": judgement.verdict, "verdict_row": judgement.row, "reason": judgement.reason,
        "why": str(decisive["statement"]) if decisive is not None and measured is not None else "",
        "why_keys": [str(decisive["source_key"])] if decisive is not None and measured is not None else [],
        "found": found, "found_short": found_short, "found_in": found_in, "basis": basis,
        "relay": relay_judgement.verdict, "relay_row": relay_judgement.row, "relay_reason": relay_judgement.reason,
        "relay_found": str(relay_decisive["statement"]) if relay_decisive is not None else "",
        "relay_keys": [str(relay_decisive["source_key"])] if relay_decisive is not None else [],
        "source_keys": list(dict.fromkeys(str(k) for k in keys)), "found_keys": list(dict.fromkeys(found_keys)),
        "context": context, "context_keys": context_keys,
        "findings": _records(truth), "relay_findings": _records(relay),
    }


def _sentence(clause: str) -> str:
    return clause[:1].upper() + clause[1:] if clause else clause


def conclusion(claim_short: str, row: dict, lang: str | None = None) -> str:
    """The card's quotable sentence: the claim, its answer and why."""
    if row["verdict"] is None:
        return text("conclusion_said", lang, claim=claim_short, relay=rubric.relay_phrase(row["relay"], lang),
                    reason=_sentence(row["relay_reason"]))
    if row["found_short"]:
        return text("conclusion_found", lang, claim=claim_short, verdict_word=verdict_word(row["verdict"], lang),
                    reason=_sentence(row["reason"]), found=row["found_short"])
    return text("conclusion", lang, claim=claim_short, verdict_word=verdict_word(row["verdict"], lang),
                reason=_sentence(row["reason"]))


def register(tables: dict[str, pd.DataFrame] | None = None, lang: str | None = None) -> pd.DataFrame:
    """One row per claim, with what was found, its verdict ("Is it true?") and its relay answer
    ("Reported faithfully?"), each with the rubric row that decided it.

    `verdict` is None for a claim that is only about who said what. Verdicts and answers are the
    register's keys (English, see `verdict_word`); every text is in the edition's language LANG
    (default: the build's), the curated tables' text read from their COLUMN_<lang>.
    """
    lang = i18n.language(lang)
    tables = load_tables() if tables is None else tables
    claims = in_language(tables["article-claims"], CLAIM_TEXT_COLUMNS, lang)
    evidence = in_language(tables["claim-evidence"], EVIDENCE_TEXT_COLUMNS, lang)
    measured = measurements(tables, lang)
    for what, ids in (("a chapter module measures", measured), ("claim-evidence has a finding on", evidence["claim_id"])):
        unknown = sorted(set(ids) - set(claims["claim_id"]))
        if unknown:
            raise ValueError(f"{what} claim {unknown[0]!r}, which is not in article-claims")

    records = []
    for claim in claims.itertuples(index=False):
        row = _judge(claim, evidence[evidence["claim_id"] == claim.claim_id], measured.get(claim.claim_id), lang)
        records.append({
            "claim_id": claim.claim_id, "chapter": claim.chapter, "topic": claim.topic,
            "claim_short": claim.claim_short, "quote": claim.quote, "reading": claim.reading,
            "about": claim.about, "speaker": claim.speaker, "claimed": claimed_text(claim, lang),
            "claimed_short": claimed_text(claim, lang, period="ranges"),
            "claimed_figure": bool(pd.notna(claim.claimed_value)), "headline": bool(claim.headline), **row,
            "conclusion": conclusion(claim.claim_short, row, lang),
            "section_label": SECTION_LABEL.format(claim_id=claim.claim_id),
            "card_label": CARD_LABEL.format(claim_id=claim.claim_id),
        })
    return pd.DataFrame(records)


def substantive(frame: pd.DataFrame) -> pd.DataFrame:
    """The claims that carry a truth verdict (not those only about who said what)."""
    return frame[frame["verdict"].notna()]


def verdict_counts(frame: pd.DataFrame) -> pd.Series:
    """Truth verdicts over the substantive claims."""
    return substantive(frame)["verdict"].value_counts().reindex(VERDICTS, fill_value=0)


def relay_counts(frame: pd.DataFrame) -> pd.Series:
    """Answers to 'Reported faithfully?' over every claim."""
    return frame["relay"].value_counts().reindex(RELAY_ANSWERS, fill_value=0)


def verdict_of(frame: pd.DataFrame, claim_id: str) -> str | None:
    value = frame.set_index("claim_id").at[claim_id, "verdict"]
    return None if pd.isna(value) else str(value)


def badge(verdict: str, claim_id: str) -> str:
    """The MyST for a verdict or relay badge that names its claim (see migration_report.sphinx.claims):
    the role takes the English key and shows the word of the page's language."""
    return f"{{verdict}}`{verdict} <{claim_id}>`"


def shared_register(lang: str | None = None) -> pd.DataFrame:
    """The register as the book's pages show it: the same as `register()`, computed once per build for
    its inputs and shared by every notebook that shows it (see `migration_report.register.once`)."""
    from . import once

    return once.shared(register, lang)
