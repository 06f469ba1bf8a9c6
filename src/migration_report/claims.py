"""The claim register: the one place where evidence becomes a verdict.

Chapter modules measure (`flows.checks`, `barrier.checks`): they return, per claim, the values
the data show and the name of the rule to apply, never a verdict. Claims judged from documents
have their findings, each with its source, in the `claim-evidence` table. `register()` applies
the rules below to both and is the only code that decides a verdict; chapters and the register
page glue its words.

Every threshold is a named constant in this module, and `rules()` prints the rules from them,
so the page a reader sees and the code that decides cannot drift apart.

Compound claims (a row of `article-claims` whose parts name it as `parent_id`) are judged part
by part; the parent's verdict is a summary of its parts (`summarise_parts`) and is not counted
again in `verdict_counts`.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from . import barrier, flows, i18n
from .data import load, localized
from .i18n import N_
from .measurement import Measurement

# --- The verdict scale and the named thresholds -------------------------------------------------

# The verdicts are the register's keys (English); readers see them through verdict_word().
SUPPORTED, PARTLY = N_("supported"), N_("partly supported")
NOT_SUPPORTED, NOT_VERIFIABLE = N_("not supported"), N_("not verifiable")
VERDICTS = (SUPPORTED, PARTLY, NOT_SUPPORTED, NOT_VERIFIABLE)
ORDER = {SUPPORTED: 2, PARTLY: 1, NOT_SUPPORTED: 0}  # "not verifiable" is off the scale: no evidence either way

PERCENT_TOLERANCE = 5.0  # percentage points between a claimed and a measured change
RELATIVE_TOLERANCE = 0.05  # relative gap between a claimed and a measured quantity (5 %)
HEADLINE_MEASURES = ("sw-total", "usbp")  # what "irregular encounters at the border" most plausibly means

AGREEING = ("agrees", "partly agrees")
CONTRADICTING = ("differs",)
NEUTRAL = ("no source found", "context")
FINDINGS = AGREEING + CONTRADICTING + NEUTRAL

SECTION_LABEL = "check-{claim_id}"  # the label of the chapter section that checks a claim
CARD_LABEL = "claim-{claim_id}"  # the label (and HTML anchor) of the claim's card in the register

TABLES = ("sw-encounters", "chnv-process", "cbp-one-appointments", "article-claims", "claim-evidence",
          "barrier-geometry", "flow-cited-figures")

# --- Reader-facing text made here (one place, for translation) ----------------------------------
# Marked with N_() for the catalogue (migration_report.i18n) and translated, in the edition's
# language, only by text() and verdict_word() below. Numbers, months and dates reach these
# messages already written by migration_report.i18n.

TEXT = {
    "within_headline": N_("the claimed change is within {tol} percentage points of {measure}"),
    "within_narrow": N_("the claimed change is within {tol} percentage points only of {measures}, a narrower measure"),
    "no_measure_near": N_("no measure is within {tol} percentage points of the claimed {claimed}; "
                          "the closest, {closest}, is {gap} points away"),
    "lowest_match": N_("for {measure}, the last earlier month with fewer encounters is {month}, the month claimed"),
    "lowest_later": N_("for every headline measure a lower month came after {month}"),
    "lowest_earlier": N_("June 2023 was the lowest for longer than claimed for at least one headline measure"),
    "no_month": N_("none in the data"),
    "trend": N_("the trend is '{direction}' by the chapter's rule"),
    "direction_down": N_("down"),
    "direction_mixed": N_("mixed"),
    "direction_up": N_("up"),
    "reach_by_month_end": N_("the lower sum reaches the claim, within {tol}, by the end of {month}, before the statement"),
    "reach_by_assumption": N_("the lower sum comes within {tol} of the claim by {day} only if each month's entries "
                              "are assumed to be spread evenly over its days"),
    "reach_upper_only": N_("only the upper sum, which counts people of other nationalities, comes within {tol} of "
                           "the claim by {day}"),
    "reach_none": N_("even the upper sum is more than {tol} short of the claim by {day}"),
    "length_within": N_("the claimed length is within {tol} of the survey's"),
    "length_off": N_("the claimed length is more than {tol} from the survey's"),
    "split_within": N_("both sides are within {tol} of the survey"),
    "split_side": N_("most of the barrier is on the side claimed, but a side is more than {tol} off the survey"),
    "split_wrong": N_("the claim puts the larger part on the other side of the boundary"),
    "no_findings": N_("no finding was recorded"),
    "no_findings_sentence": N_("No finding was recorded."),
    "findings_agree": N_("every finding that bears on the claim agrees with it ({counts})"),
    "findings_partly": N_("the findings that bear on the claim agree only in part ({counts})"),
    "findings_mixed": N_("some findings agree and some contradict it ({counts})"),
    "findings_differ": N_("every finding that bears on the claim contradicts it ({counts})"),
    "findings_none": N_("no source found confirms or contradicts it ({counts})"),
    "parts_same": N_("every part is {verdict_word}"),
    "parts_mixed": N_("its parts differ: {parts}"),
    "parts_count": N_("{n} {verdict_word}"),
    "conclusion": N_("{claim}: {verdict_word}, because {reason}."),
    "no_figure": N_("no figure"),
    "as_of": N_("no figure; refers to {when}"),
    "claimed_value": N_("{number} {unit}"),
}
# How many findings of each kind, in one word group each: (one, several).
COUNT_WORDS = {
    "agrees": (N_("{n} agrees"), N_("{n} agree")),
    "partly agrees": (N_("{n} partly agrees"), N_("{n} partly agree")),
    "differs": (N_("{n} differs"), N_("{n} differ")),
    "no source found": (N_("{n} found no source"), N_("{n} found no source")),
    "context": (N_("{n} gives context"), N_("{n} give context")),
}

RULES_TEXT = [
    (N_("Scale"), N_("A claim is *supported*, *partly supported* or *not supported*; it is *not verifiable* when no "
                     "data or source found bears on it either way.")),
    (N_("Change between two months"),
     N_("*supported* if the claimed change is within {percent_tolerance} percentage points of the change in all "
        "Southwest border encounters or in Border Patrol encounters; *partly supported* if it is that close only "
        "to a narrower measure (Border Patrol Title 8 apprehensions, Field Operations); otherwise *not supported*.")),
    (N_("“Lowest since” a month"),
     N_("*supported* if, for all encounters or for Border Patrol, the last earlier month with fewer encounters is "
        "the month claimed; *not supported* if for both a lower month came later; otherwise *partly supported*.")),
    (N_("Trend"), N_("*supported* if the trend is down by the rule stated in the chapter, *partly supported* if "
                     "mixed, *not supported* if up.")),
    (N_("A total reached by a date"),
     N_("the monthly sums that may be added are compared with the claim: *supported* if the lower sum is within "
        "{relative_tolerance} of the claim by the end of the last month before the statement; *partly supported* "
        "if it is only by the day of the statement, assuming each month's entries are spread evenly over its days; "
        "*not verifiable* if only the upper sum, which counts other nationalities, is; otherwise *not supported*.")),
    (N_("A length or a split"),
     N_("*supported* within {relative_tolerance} of the measured figure (both sides, for a split); a split is "
        "*partly supported* if the larger part is on the side claimed.")),
    (N_("Claims checked against documents"),
     N_("each finding *agrees*, *partly agrees*, *differs*, found *no source*, or gives *context* for another "
        "reading. Agreeing findings never lower a verdict, contradicting ones never raise it, and the last two "
        "never change it: *supported* if at least one finding agrees fully and none differs; *partly supported* "
        "if the agreeing findings agree only in part, or if some agree and some differ; *not supported* if "
        "findings only differ; *not verifiable* if none agrees or differs.")),
    (N_("Compound claims"),
     N_("a claim that joins statements of different kinds (who announced something, and whether it is so) is "
        "split into parts, each judged on its own. The whole takes its parts' verdict when they share one; "
        "otherwise it is *partly supported* if any part is supported in whole or in part, else *not supported* "
        "if any part is, else *not verifiable*. The counts of verdicts count the parts and the claims that are "
        "not split, never a whole and its parts twice.")),
]

# The curated tables' reader-facing text columns, read in the edition's language (data.localized).
CLAIM_TEXT_COLUMNS = ("topic", "claim_short", "quote", "reading", "claimed_unit", "claimed_unit_2")
EVIDENCE_TEXT_COLUMNS = ("statement",)


def text(key: str, lang: str | None = None, **values) -> str:
    """TEXT[key] in the edition's language, filled in with VALUES."""
    return i18n.gettext(TEXT[key], lang).format(**values)


def direction_word(direction: str, lang: str | None = None) -> str:
    """A trend's direction by the chapter's rule ("down", "mixed", "up") in the edition's words."""
    return text(f"direction_{direction}", lang)


def verdict_word(verdict: str, lang: str | None = None) -> str:
    """A verdict (the register's English key) as the edition's readers read it."""
    return i18n.gettext(verdict, lang)


def in_language(frame: pd.DataFrame, columns, lang: str | None = None) -> pd.DataFrame:
    """FRAME with each of its text COLUMNS in the edition's language (an error where a translation is missing)."""
    translated = {c: localized(frame, c, lang) for c in columns if c in frame.columns}
    out = frame.assign(**translated)
    out.attrs = dict(frame.attrs)
    return out


@dataclass(frozen=True)
class Judgement:
    verdict: str
    reason: str  # one clause: why this verdict, by which rule


# --- Rules for claims measured from data --------------------------------------------------------
# Each rule takes `lang`, the edition whose words its reason is written in (default: the build's).


def _pct(value: float, lang: str | None) -> str:
    sign = "+" if value >= 0 else "−"
    return sign + i18n.percent(abs(value), lang)


def _month(stamp, lang: str | None) -> str:
    return text("no_month", lang) if stamp is None or pd.isna(stamp) else i18n.month(pd.Timestamp(stamp), lang)


def _relative(lang: str | None = None) -> str:
    return i18n.percent(RELATIVE_TOLERANCE * 100, lang, decimals=None)


def judge_change(claimed_pct: float, change_pct: dict[str, float], names: dict[str, str],
                 lang: str | None = None) -> Judgement:
    near = [m for m, v in change_pct.items() if abs(v - claimed_pct) <= PERCENT_TOLERANCE]
    headline = [m for m in near if m in HEADLINE_MEASURES]
    tol = i18n.number(PERCENT_TOLERANCE, lang)
    if headline:
        return Judgement(SUPPORTED, text("within_headline", lang, tol=tol, measure=names[headline[0]]))
    if near:
        return Judgement(PARTLY, text("within_narrow", lang, tol=tol, measures=", ".join(names[m] for m in near)))
    closest = min(change_pct, key=lambda m: abs(change_pct[m] - claimed_pct))
    return Judgement(NOT_SUPPORTED, text(
        "no_measure_near", lang, tol=tol, claimed=_pct(claimed_pct, lang), closest=names[closest],
        gap=i18n.number(abs(change_pct[closest] - claimed_pct), lang, decimals=1)))


def judge_lowest_since(claimed_month: pd.Timestamp, last_lower: dict[str, pd.Timestamp],
                       names: dict[str, str], lang: str | None = None) -> Judgement:
    found = {m: last_lower.get(m) for m in HEADLINE_MEASURES}
    matches = [m for m, month in found.items() if month is not None and pd.notna(month) and month == claimed_month]
    later = [m for m, month in found.items() if month is not None and pd.notna(month) and month > claimed_month]
    if matches:
        return Judgement(SUPPORTED, text("lowest_match", lang, measure=names[matches[0]],
                                         month=_month(claimed_month, lang)))
    if len(later) == len(HEADLINE_MEASURES):
        return Judgement(NOT_SUPPORTED, text("lowest_later", lang, month=_month(claimed_month, lang)))
    return Judgement(PARTLY, text("lowest_earlier", lang))


def judge_trend(direction: str, lang: str | None = None) -> Judgement:
    verdict = {"down": SUPPORTED, "mixed": PARTLY, "up": NOT_SUPPORTED}[direction]
    return Judgement(verdict, text("trend", lang, direction=direction_word(direction, lang)))


def judge_total_reached(claimed: float, low_month_end: float, low_on_day: float, high_on_day: float,
                        month: str, day: str, lang: str | None = None) -> Judgement:
    """A total claimed on `day`, against monthly cumulative sums (a lower and an upper bound).

    `low_month_end` is the lower sum at the end of the last full month before `day`;
    `low_on_day` and `high_on_day` add the part of the next month up to `day`, assuming its
    entries were spread evenly over its days (monthly data cannot show more).
    """
    floor = claimed * (1 - RELATIVE_TOLERANCE)
    tol = _relative(lang)
    if low_month_end >= floor:
        return Judgement(SUPPORTED, text("reach_by_month_end", lang, tol=tol, month=month))
    if low_on_day >= floor:
        return Judgement(PARTLY, text("reach_by_assumption", lang, tol=tol, day=day))
    if high_on_day >= floor:
        return Judgement(NOT_VERIFIABLE, text("reach_upper_only", lang, tol=tol, day=day))
    return Judgement(NOT_SUPPORTED, text("reach_none", lang, tol=tol, day=day))


def judge_length(claimed_m: float, measured_m: float, lang: str | None = None) -> Judgement:
    if abs(claimed_m - measured_m) / measured_m <= RELATIVE_TOLERANCE:
        return Judgement(SUPPORTED, text("length_within", lang, tol=_relative(lang)))
    return Judgement(NOT_SUPPORTED, text("length_off", lang, tol=_relative(lang)))


def judge_split(claimed: dict[str, float], measured: dict[str, float], lang: str | None = None) -> Judgement:
    gaps = [abs(claimed[s] - measured[s]) / measured[s] for s in measured]
    if all(g <= RELATIVE_TOLERANCE for g in gaps):
        return Judgement(SUPPORTED, text("split_within", lang, tol=_relative(lang)))
    larger = lambda sides: max(sides, key=sides.get)  # noqa: E731
    if larger(claimed) == larger(measured):
        return Judgement(PARTLY, text("split_side", lang, tol=_relative(lang)))
    return Judgement(NOT_SUPPORTED, text("split_wrong", lang))


RULES = {
    "change": judge_change,
    "lowest-since": judge_lowest_since,
    "trend": judge_trend,
    "total-reached": judge_total_reached,
    "length": judge_length,
    "split": judge_split,
}


# --- Rule for claims judged from documents ------------------------------------------------------


def _counts(findings: list[str], lang: str | None = None) -> str:
    present = [f for f in FINDINGS if f in findings]
    words = []
    for finding in present:
        n = findings.count(finding)
        one, several = COUNT_WORDS[finding]
        words.append(i18n.gettext(one if n == 1 else several, lang).format(n=i18n.number(n, lang)))
    return ", ".join(words)


def judge_findings(findings: list[str], lang: str | None = None) -> Judgement:
    """The verdict from a claim's findings, by a monotone rule (see RULES_TEXT).

    Adding an agreeing finding never lowers the verdict, adding a contradicting one never
    raises it, and a neutral one never changes it; "not verifiable" is left only when no
    finding agrees or contradicts.
    """
    unknown = sorted(set(findings) - set(FINDINGS))
    if unknown:
        raise ValueError(f"finding {unknown[0]!r} is not one of {', '.join(FINDINGS)}")
    findings = list(findings)
    counts = _counts(findings, lang) or text("no_findings", lang)
    agree = [f for f in findings if f in AGREEING]
    differ = [f for f in findings if f in CONTRADICTING]
    if agree and differ:
        return Judgement(PARTLY, text("findings_mixed", lang, counts=counts))
    if "agrees" in agree:
        return Judgement(SUPPORTED, text("findings_agree", lang, counts=counts))
    if agree:
        return Judgement(PARTLY, text("findings_partly", lang, counts=counts))
    if differ:
        return Judgement(NOT_SUPPORTED, text("findings_differ", lang, counts=counts))
    return Judgement(NOT_VERIFIABLE, text("findings_none", lang, counts=counts) if findings
                     else text("no_findings", lang))


def decisive_statement(evidence: pd.DataFrame, verdict: str, lang: str | None = None) -> str:
    """The finding that best shows why: the first contradicting one for a lowered verdict, else the first agreeing.

    EVIDENCE's statements are already in the edition's language (`in_language`)."""
    order = {SUPPORTED: ("agrees", "partly agrees"), PARTLY: ("differs", "partly agrees", "agrees"),
             NOT_SUPPORTED: ("differs",), NOT_VERIFIABLE: ("no source found", "context")}[verdict]
    for finding in order:
        rows = evidence[evidence["finding"] == finding]
        if len(rows):
            return str(rows.iloc[0]["statement"])
    return text("no_findings_sentence", lang)


def summarise_parts(verdicts: list[str], lang: str | None = None) -> Judgement:
    """The verdict of a compound claim from its parts' verdicts."""
    if len(set(verdicts)) == 1:
        return Judgement(verdicts[0], text("parts_same", lang, verdict_word=verdict_word(verdicts[0], lang)))
    parts = ", ".join(text("parts_count", lang, n=i18n.number(verdicts.count(v), lang), verdict_word=verdict_word(v, lang))
                      for v in VERDICTS if v in verdicts)
    if any(v in (SUPPORTED, PARTLY) for v in verdicts):
        return Judgement(PARTLY, text("parts_mixed", lang, parts=parts))
    if NOT_SUPPORTED in verdicts:
        return Judgement(NOT_SUPPORTED, text("parts_mixed", lang, parts=parts))
    return Judgement(NOT_VERIFIABLE, text("parts_mixed", lang, parts=parts))


# --- The register -------------------------------------------------------------------------------


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


def claimed_text(claim, lang: str | None = None) -> str:
    """What was claimed (value, unit, period) in words, from the claim's row (its units in the edition's language)."""
    parts = []
    for value, unit in ((claim.claimed_value, claim.claimed_unit), (claim.claimed_value_2, claim.claimed_unit_2)):
        if pd.notna(value):
            number = i18n.number(value, lang, decimals=0 if float(value).is_integer() else None)
            parts.append(text("claimed_value", lang, number=number, unit=unit) if isinstance(unit, str) else number)
    when = _when(claim.claimed_when, lang) if isinstance(claim.claimed_when, str) else None
    if parts:
        return "; ".join(parts) + (f" ({when})" if when else "")
    return text("as_of", lang, when=when) if when else text("no_figure", lang)


def _judge_leaf(claim, evidence: pd.DataFrame, measured: Measurement | None, lang: str) -> dict:
    in_context = evidence["finding"] == "context"
    context = [str(s) for s in evidence.loc[in_context, "statement"]]
    context_keys = [str(k) for k in evidence.loc[in_context, "source_key"]]
    if measured is not None:
        judgement = RULES[measured.rule](**measured.values, lang=lang)
        found, found_in, basis = measured.found, measured.found_in, "data"
        found_short = measured.found_short
        found_keys = list(measured.sources) + list(evidence.loc[~in_context, "source_key"])
        # the measurement's own readings rest on the data it measured
        context = list(measured.context) + context
        context_keys = [None] * len(measured.context) + context_keys
    else:
        judgement = judge_findings(list(evidence["finding"]), lang)
        found, found_in, basis = decisive_statement(evidence, judgement.verdict, lang), "", "sources"
        found_short = ""
        found_keys = list(evidence.loc[~in_context, "source_key"])
    keys = found_keys + [k for k in context_keys if k]
    # source_keys: every source of the claim (the register's downloads); found_keys cite the
    # finding, and each context statement is cited by its own context_keys entry, where it is made.
    return {"verdict": judgement.verdict, "reason": judgement.reason, "found": found, "found_short": found_short,
            "found_in": found_in,
            "basis": basis, "source_keys": list(dict.fromkeys(keys)), "found_keys": list(dict.fromkeys(found_keys)),
            "context": context, "context_keys": context_keys,
            "findings": evidence[["finding", "statement", "source_key"]].to_dict("records")}


def register(tables: dict[str, pd.DataFrame] | None = None, lang: str | None = None) -> pd.DataFrame:
    """One row per claim and per part of a compound claim, with what was found and a verdict.

    Parts follow their parent; `is_part` marks them and `parts` lists a parent's parts. The
    verdict is the register's key (English, see `verdict_word`); every text is in the edition's
    language LANG (default: the build's), the curated tables' text read from their COLUMN_<lang>.
    """
    lang = i18n.language(lang)
    tables = load_tables() if tables is None else tables
    claims = in_language(tables["article-claims"], CLAIM_TEXT_COLUMNS, lang)
    evidence = in_language(tables["claim-evidence"], EVIDENCE_TEXT_COLUMNS, lang)
    measured = measurements(tables, lang)
    unknown = sorted(set(measured) - set(claims["claim_id"]))
    if unknown:
        raise ValueError(f"a chapter module measures claim {unknown[0]!r}, which is not in article-claims")
    parent_of = {c.claim_id: c.parent_id for c in claims.itertuples() if isinstance(c.parent_id, str)}
    parts_of: dict[str, list[str]] = {}
    for part, parent in parent_of.items():
        parts_of.setdefault(parent, []).append(part)

    rows: dict[str, dict] = {}
    for claim in claims.itertuples(index=False):
        if claim.claim_id in parts_of:
            continue
        row = _judge_leaf(claim, evidence[evidence["claim_id"] == claim.claim_id], measured.get(claim.claim_id), lang)
        rows[claim.claim_id] = row
    for parent, parts in parts_of.items():
        judgement = summarise_parts([rows[p]["verdict"] for p in parts], lang)
        keys = [k for p in parts for k in rows[p]["source_keys"]]
        rows[parent] = {"verdict": judgement.verdict, "reason": judgement.reason, "found": "", "found_short": "",
                        "found_in": "",
                        "basis": "parts", "source_keys": list(dict.fromkeys(keys)), "found_keys": [],
                        "context": [], "context_keys": [], "findings": []}

    records = []
    for claim in _ordered(claims, parts_of):
        row = rows[claim.claim_id]
        if row["verdict"] not in VERDICTS:
            raise ValueError(f"claim {claim.claim_id}: verdict {row['verdict']!r} is not one of {VERDICTS}")
        records.append({
            "claim_id": claim.claim_id,
            "parent_id": claim.parent_id if isinstance(claim.parent_id, str) else None,
            "is_part": isinstance(claim.parent_id, str),
            "parts": parts_of.get(claim.claim_id, []),
            "chapter": claim.chapter,
            "topic": claim.topic,
            "claim_short": claim.claim_short,
            "quote": claim.quote,
            "reading": claim.reading,
            "claimed": claimed_text(claim, lang),
            **row,
            "conclusion": text("conclusion", lang, claim=claim.claim_short, verdict_word=verdict_word(row["verdict"], lang),
                               reason=row["reason"]),
            "section_label": SECTION_LABEL.format(
                claim_id=claim.parent_id if isinstance(claim.parent_id, str) else claim.claim_id),
            "card_label": CARD_LABEL.format(claim_id=claim.claim_id),
        })
    return pd.DataFrame(records)


def _ordered(claims: pd.DataFrame, parts_of: dict[str, list[str]]):
    """Claims in table order, each compound claim followed by its parts."""
    by_id = {c.claim_id: c for c in claims.itertuples(index=False)}
    for claim in claims.itertuples(index=False):
        if isinstance(claim.parent_id, str):
            continue
        yield claim
        for part in parts_of.get(claim.claim_id, []):
            yield by_id[part]


def judged(frame: pd.DataFrame) -> pd.DataFrame:
    """The statements that carry their own verdict: parts, and claims that are not split."""
    return frame[frame["parts"].map(len) == 0]


def verdict_counts(frame: pd.DataFrame) -> pd.Series:
    """Verdicts over the judged statements (a compound claim counts through its parts only)."""
    return judged(frame)["verdict"].value_counts().reindex(VERDICTS, fill_value=0)


def rules(lang: str | None = None) -> list[tuple[str, str]]:
    """The rules as a reader reads them, in the edition's language, filled in from the constants above."""
    values = {"percent_tolerance": i18n.number(PERCENT_TOLERANCE, lang), "relative_tolerance": _relative(lang)}
    return [(i18n.gettext(name, lang), i18n.gettext(rule, lang).format(**values)) for name, rule in RULES_TEXT]


def verdict_of(frame: pd.DataFrame, claim_id: str) -> str:
    return str(frame.set_index("claim_id").at[claim_id, "verdict"])


def badge(verdict: str, claim_id: str) -> str:
    """The MyST for a verdict badge that names its claim (see migration_report.sphinx_claims): the
    role takes the English key and shows the word of the page's language."""
    return f"{{verdict}}`{verdict} <{claim_id}>`"
