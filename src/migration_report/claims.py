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

from . import barrier, flows
from .data import load
from .measurement import Measurement

# --- The verdict scale and the named thresholds -------------------------------------------------

SUPPORTED, PARTLY, NOT_SUPPORTED, NOT_VERIFIABLE = "supported", "partly supported", "not supported", "not verifiable"
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

TEXT = {
    "within_headline": "the claimed change is within {tol:g} percentage points of {measure}",
    "within_narrow": "the claimed change is within {tol:g} percentage points only of {measures}, a narrower measure",
    "no_measure_near": ("no measure is within {tol:g} percentage points of the claimed {claimed}; "
                        "the closest, {closest}, is {gap:.1f} points away"),
    "lowest_match": "for {measure}, the last earlier month with fewer encounters is {month}, the month claimed",
    "lowest_later": "for every headline measure a lower month came after {month}",
    "lowest_earlier": "June 2023 was the lowest for longer than claimed for at least one headline measure",
    "trend": "the trend is '{direction}' by the chapter's rule",
    "reach_by_month_end": "the lower sum reaches the claim, within {tol}, by the end of {month}, before the statement",
    "reach_by_assumption": ("the lower sum comes within {tol} of the claim by {day} only if each month's entries "
                            "are assumed to be spread evenly over its days"),
    "reach_upper_only": ("only the upper sum, which counts people of other nationalities, comes within {tol} of "
                         "the claim by {day}"),
    "reach_none": "even the upper sum is more than {tol} short of the claim by {day}",
    "length_within": "the claimed length is within {tol} of the survey's",
    "length_off": "the claimed length is more than {tol} from the survey's",
    "split_within": "both sides are within {tol} of the survey",
    "split_side": "most of the barrier is on the side claimed, but a side is more than {tol} off the survey",
    "split_wrong": "the claim puts the larger part on the other side of the boundary",
    "no_findings": "no finding was recorded",
    "findings_agree": "every finding that bears on the claim agrees with it ({counts})",
    "findings_partly": "the findings that bear on the claim agree only in part ({counts})",
    "findings_mixed": "some findings agree and some contradict it ({counts})",
    "findings_differ": "every finding that bears on the claim contradicts it ({counts})",
    "findings_none": "no source found confirms or contradicts it ({counts})",
    "parts_same": "every part is {verdict}",
    "parts_mixed": "its parts differ: {parts}",
    "conclusion": "{claim}: {verdict}, because {reason}.",
    "no_figure": "no figure",
    "as_of": "no figure; refers to {when}",
}
COUNT_WORDS = {"agrees": "{n} agree", "partly agrees": "{n} partly agree", "differs": "{n} differ",
               "no source found": "{n} found no source", "context": "{n} give context"}

RULES_TEXT = [
    ("Scale", "A claim is *supported*, *partly supported* or *not supported*; it is *not verifiable* when no "
              "data or source found bears on it either way."),
    ("Change between two months", "*supported* if the claimed change is within {percent_tolerance:g} percentage "
                                  "points of the change in all Southwest border encounters or in Border Patrol "
                                  "encounters; *partly supported* if it is that close only to a narrower measure "
                                  "(Border Patrol Title 8 apprehensions, Field Operations); otherwise *not supported*."),
    ("“Lowest since” a month", "*supported* if, for all encounters or for Border Patrol, the last earlier month with "
                               "fewer encounters is the month claimed; *not supported* if for both a lower month came "
                               "later; otherwise *partly supported*."),
    ("Trend", "*supported* if the trend is down by the rule stated in the chapter, *partly supported* if mixed, "
              "*not supported* if up."),
    ("A total reached by a date", "the monthly sums that may be added are compared with the claim: *supported* if "
                                  "the lower sum is within {relative_tolerance} of the claim by the end of the last "
                                  "month before the statement; *partly supported* if it is only by the day of the "
                                  "statement, assuming each month's entries are spread evenly over its days; *not "
                                  "verifiable* if only the upper sum, which counts other nationalities, is; otherwise "
                                  "*not supported*."),
    ("A length or a split", "*supported* within {relative_tolerance} of the measured figure (both sides, for a "
                            "split); a split is *partly supported* if the larger part is on the side claimed."),
    ("Claims checked against documents", "each finding *agrees*, *partly agrees*, *differs*, found *no source*, or "
                                         "gives *context* for another reading. Agreeing findings never lower a "
                                         "verdict, contradicting ones never raise it, and the last two never change "
                                         "it: *supported* if at least one finding agrees fully and none differs; "
                                         "*partly supported* if the agreeing findings agree only in part, or if some "
                                         "agree and some differ; *not supported* if findings only differ; *not "
                                         "verifiable* if none agrees or differs."),
    ("Compound claims", "a claim that joins statements of different kinds (who announced something, and whether it "
                        "is so) is split into parts, each judged on its own. The whole takes its parts' verdict when "
                        "they share one; otherwise it is *partly supported* if any part is supported in whole or in "
                        "part, else *not supported* if any part is, else *not verifiable*. The counts of verdicts "
                        "count the parts and the claims that are not split, never a whole and its parts twice."),
]


@dataclass(frozen=True)
class Judgement:
    verdict: str
    reason: str  # one clause: why this verdict, by which rule


# --- Rules for claims measured from data --------------------------------------------------------


def _pct(value: float) -> str:
    return f"{value:+.1f} %".replace("-", "−")


def _month(stamp) -> str:
    return "none in the data" if stamp is None or pd.isna(stamp) else f"{pd.Timestamp(stamp):%B %Y}"


def judge_change(claimed_pct: float, change_pct: dict[str, float], names: dict[str, str]) -> Judgement:
    near = [m for m, v in change_pct.items() if abs(v - claimed_pct) <= PERCENT_TOLERANCE]
    headline = [m for m in near if m in HEADLINE_MEASURES]
    if headline:
        return Judgement(SUPPORTED, TEXT["within_headline"].format(tol=PERCENT_TOLERANCE, measure=names[headline[0]]))
    if near:
        return Judgement(PARTLY, TEXT["within_narrow"].format(tol=PERCENT_TOLERANCE,
                                                             measures=", ".join(names[m] for m in near)))
    closest = min(change_pct, key=lambda m: abs(change_pct[m] - claimed_pct))
    return Judgement(NOT_SUPPORTED, TEXT["no_measure_near"].format(
        tol=PERCENT_TOLERANCE, claimed=_pct(claimed_pct), closest=names[closest],
        gap=abs(change_pct[closest] - claimed_pct)))


def judge_lowest_since(claimed_month: pd.Timestamp, last_lower: dict[str, pd.Timestamp],
                       names: dict[str, str]) -> Judgement:
    found = {m: last_lower.get(m) for m in HEADLINE_MEASURES}
    matches = [m for m, month in found.items() if month is not None and pd.notna(month) and month == claimed_month]
    later = [m for m, month in found.items() if month is not None and pd.notna(month) and month > claimed_month]
    if matches:
        return Judgement(SUPPORTED, TEXT["lowest_match"].format(measure=names[matches[0]], month=_month(claimed_month)))
    if len(later) == len(HEADLINE_MEASURES):
        return Judgement(NOT_SUPPORTED, TEXT["lowest_later"].format(month=_month(claimed_month)))
    return Judgement(PARTLY, TEXT["lowest_earlier"])


def judge_trend(direction: str) -> Judgement:
    verdict = {"down": SUPPORTED, "mixed": PARTLY, "up": NOT_SUPPORTED}[direction]
    return Judgement(verdict, TEXT["trend"].format(direction=direction))


def _relative() -> str:
    return f"{RELATIVE_TOLERANCE * 100:g} %"


def judge_total_reached(claimed: float, low_month_end: float, low_on_day: float, high_on_day: float,
                        month: str, day: str) -> Judgement:
    """A total claimed on `day`, against monthly cumulative sums (a lower and an upper bound).

    `low_month_end` is the lower sum at the end of the last full month before `day`;
    `low_on_day` and `high_on_day` add the part of the next month up to `day`, assuming its
    entries were spread evenly over its days (monthly data cannot show more).
    """
    floor = claimed * (1 - RELATIVE_TOLERANCE)
    if low_month_end >= floor:
        return Judgement(SUPPORTED, TEXT["reach_by_month_end"].format(tol=_relative(), month=month))
    if low_on_day >= floor:
        return Judgement(PARTLY, TEXT["reach_by_assumption"].format(tol=_relative(), day=day))
    if high_on_day >= floor:
        return Judgement(NOT_VERIFIABLE, TEXT["reach_upper_only"].format(tol=_relative(), day=day))
    return Judgement(NOT_SUPPORTED, TEXT["reach_none"].format(tol=_relative(), day=day))


def judge_length(claimed_m: float, measured_m: float) -> Judgement:
    if abs(claimed_m - measured_m) / measured_m <= RELATIVE_TOLERANCE:
        return Judgement(SUPPORTED, TEXT["length_within"].format(tol=_relative()))
    return Judgement(NOT_SUPPORTED, TEXT["length_off"].format(tol=_relative()))


def judge_split(claimed: dict[str, float], measured: dict[str, float]) -> Judgement:
    gaps = [abs(claimed[s] - measured[s]) / measured[s] for s in measured]
    if all(g <= RELATIVE_TOLERANCE for g in gaps):
        return Judgement(SUPPORTED, TEXT["split_within"].format(tol=_relative()))
    larger = lambda sides: max(sides, key=sides.get)  # noqa: E731
    if larger(claimed) == larger(measured):
        return Judgement(PARTLY, TEXT["split_side"].format(tol=_relative()))
    return Judgement(NOT_SUPPORTED, TEXT["split_wrong"])


RULES = {
    "change": judge_change,
    "lowest-since": judge_lowest_since,
    "trend": judge_trend,
    "total-reached": judge_total_reached,
    "length": judge_length,
    "split": judge_split,
}


# --- Rule for claims judged from documents ------------------------------------------------------


def _counts(findings: list[str]) -> str:
    present = [f for f in FINDINGS if f in findings]
    return ", ".join(COUNT_WORDS[f].format(n=findings.count(f)) for f in present)


def judge_findings(findings: list[str]) -> Judgement:
    """The verdict from a claim's findings, by a monotone rule (see RULES_TEXT).

    Adding an agreeing finding never lowers the verdict, adding a contradicting one never
    raises it, and a neutral one never changes it; "not verifiable" is left only when no
    finding agrees or contradicts.
    """
    unknown = sorted(set(findings) - set(FINDINGS))
    if unknown:
        raise ValueError(f"finding {unknown[0]!r} is not one of {', '.join(FINDINGS)}")
    findings = list(findings)
    counts = _counts(findings) or TEXT["no_findings"]
    agree = [f for f in findings if f in AGREEING]
    differ = [f for f in findings if f in CONTRADICTING]
    if agree and differ:
        return Judgement(PARTLY, TEXT["findings_mixed"].format(counts=counts))
    if "agrees" in agree:
        return Judgement(SUPPORTED, TEXT["findings_agree"].format(counts=counts))
    if agree:
        return Judgement(PARTLY, TEXT["findings_partly"].format(counts=counts))
    if differ:
        return Judgement(NOT_SUPPORTED, TEXT["findings_differ"].format(counts=counts))
    return Judgement(NOT_VERIFIABLE, TEXT["findings_none"].format(counts=counts) if findings else TEXT["no_findings"])


def decisive_statement(evidence: pd.DataFrame, verdict: str) -> str:
    """The finding that best shows why: the first contradicting one for a lowered verdict, else the first agreeing."""
    order = {SUPPORTED: ("agrees", "partly agrees"), PARTLY: ("differs", "partly agrees", "agrees"),
             NOT_SUPPORTED: ("differs",), NOT_VERIFIABLE: ("no source found", "context")}[verdict]
    for finding in order:
        rows = evidence[evidence["finding"] == finding]
        if len(rows):
            return str(rows.iloc[0]["statement"])
    return TEXT["no_findings"].capitalize() + "."


def summarise_parts(verdicts: list[str]) -> Judgement:
    """The verdict of a compound claim from its parts' verdicts."""
    if len(set(verdicts)) == 1:
        return Judgement(verdicts[0], TEXT["parts_same"].format(verdict=verdicts[0]))
    parts = ", ".join(f"{verdicts.count(v)} {v}" for v in VERDICTS if v in verdicts)
    if any(v in (SUPPORTED, PARTLY) for v in verdicts):
        return Judgement(PARTLY, TEXT["parts_mixed"].format(parts=parts))
    if NOT_SUPPORTED in verdicts:
        return Judgement(NOT_SUPPORTED, TEXT["parts_mixed"].format(parts=parts))
    return Judgement(NOT_VERIFIABLE, TEXT["parts_mixed"].format(parts=parts))


# --- The register -------------------------------------------------------------------------------


def load_tables() -> dict[str, pd.DataFrame]:
    return {name: load(name) for name in TABLES}


def measurements(tables: dict[str, pd.DataFrame]) -> dict[str, Measurement]:
    """Every chapter module's measurements, by claim id."""
    return {**flows.checks(tables), **barrier.checks(tables)}


def claimed_text(claim) -> str:
    """What was claimed (value, unit, period) in words, from the claim's row."""
    parts = []
    for value, unit in ((claim.claimed_value, claim.claimed_unit), (claim.claimed_value_2, claim.claimed_unit_2)):
        if pd.notna(value):
            number = f"{value:,.0f}" if float(value).is_integer() else f"{value:,}"
            parts.append(f"{number} {unit}" if isinstance(unit, str) else number)
    when = claim.claimed_when if isinstance(claim.claimed_when, str) else None
    if parts:
        return "; ".join(parts) + (f" ({when})" if when else "")
    return TEXT["as_of"].format(when=when) if when else TEXT["no_figure"]


def _judge_leaf(claim, evidence: pd.DataFrame, measured: Measurement | None) -> dict:
    in_context = evidence["finding"] == "context"
    context = [str(s) for s in evidence.loc[in_context, "statement"]]
    context_keys = [str(k) for k in evidence.loc[in_context, "source_key"]]
    if measured is not None:
        judgement = RULES[measured.rule](**measured.values)
        found, found_in, basis = measured.found, measured.found_in, "data"
        found_short = measured.found_short
        found_keys = list(measured.sources) + list(evidence.loc[~in_context, "source_key"])
        # the measurement's own readings rest on the data it measured
        context = list(measured.context) + context
        context_keys = [None] * len(measured.context) + context_keys
    else:
        judgement = judge_findings(list(evidence["finding"]))
        found, found_in, basis = decisive_statement(evidence, judgement.verdict), "", "sources"
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


def register(tables: dict[str, pd.DataFrame] | None = None) -> pd.DataFrame:
    """One row per claim and per part of a compound claim, with what was found and a verdict.

    Parts follow their parent; `is_part` marks them and `parts` lists a parent's parts.
    """
    tables = load_tables() if tables is None else tables
    claims = tables["article-claims"]
    evidence = tables["claim-evidence"]
    measured = measurements(tables)
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
        row = _judge_leaf(claim, evidence[evidence["claim_id"] == claim.claim_id], measured.get(claim.claim_id))
        rows[claim.claim_id] = row
    for parent, parts in parts_of.items():
        judgement = summarise_parts([rows[p]["verdict"] for p in parts])
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
            "claimed": claimed_text(claim),
            **row,
            "conclusion": TEXT["conclusion"].format(claim=claim.claim_short, verdict=row["verdict"],
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


def rules() -> list[tuple[str, str]]:
    """The rules as a reader reads them, filled in from the constants above."""
    values = {"percent_tolerance": PERCENT_TOLERANCE, "relative_tolerance": _relative()}
    return [(name, text.format(**values)) for name, text in RULES_TEXT]


def verdict_of(frame: pd.DataFrame, claim_id: str) -> str:
    return str(frame.set_index("claim_id").at[claim_id, "verdict"])


def badge(verdict: str, claim_id: str) -> str:
    """The MyST for a verdict badge that names its claim (see migration_report.sphinx_claims)."""
    return f"{{verdict}}`{verdict} <{claim_id}>`"

