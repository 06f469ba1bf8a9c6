"""The claim register: what the article says, what the data and sources show, and a verdict.

Every value and verdict is computed here from the shipped tables, by the rules below, each
time the book is built; nothing is read from another notebook's output. Claims with data
behind them (the May–June drop, "lowest since", the Mexican trend, the 272,000, the barrier's
length and split) are computed from the data; the others are judged from the findings
recorded, with sources, in the `claim-evidence` table.

Rules (tolerances are stated so a reader can disagree with them):

- May–June change: *supported* if the claimed percentage is within PERCENT_TOLERANCE points of
  the change in all Southwest border encounters or in Border Patrol encounters (what "irregular
  encounters at the border" most plausibly means); *partly supported* if it is within that of
  one of the narrower measures (Border Patrol Title 8 apprehensions, Field Operations); otherwise
  *not supported*.
- "Lowest since" a month: *supported* if, for all encounters or for Border Patrol, the last
  earlier month with fewer encounters is that month; *not supported* if for both it is later;
  otherwise *partly supported*.
- Mexican trend: the chapter's rule (flows.TREND_RULE): *supported* if 'down', *partly
  supported* if 'mixed', *not supported* if 'up'.
- 272,000: *supported* if a sum of quantities that may be added (CHNV paroles plus CBP One
  appointments of CHNV nationals) reaches the claim, within RELATIVE_TOLERANCE, by the end of the
  last month published before the press conference (June 2023); otherwise *not verifiable*,
  since no source gives the figure and the quantities that would exceed it count other people.
- Barrier length: *supported* if the claimed length is within RELATIVE_TOLERANCE of the joint
  survey's total; otherwise *not supported*.
- Barrier split: *supported* if both sides are within RELATIVE_TOLERANCE of the survey's;
  *partly supported* if not, but the claim puts the larger part on the same side as the survey;
  otherwise *not supported*.
- Claims judged from documents combine their findings: only 'differs' → *not supported*;
  'differs' beside 'agrees'/'partly agrees' → *partly supported*; any 'partly agrees' →
  *partly supported*; any 'no source found' (and otherwise only 'agrees') → *not verifiable*;
  all 'agrees' → *supported*.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from . import barrier, flows
from .data import load

VERDICTS = ("supported", "partly supported", "not supported", "not verifiable")
PERCENT_TOLERANCE = 5.0  # percentage points
RELATIVE_TOLERANCE = 0.05  # relative (5 %)
HEADLINE_MEASURES = ("sw-total", "usbp")
MEASURE_NAMES = {
    "sw-total": "all Southwest border encounters",
    "usbp": "Border Patrol",
    "usbp-title-8": "Border Patrol Title 8 apprehensions",
    "ofo": "Field Operations (ports of entry)",
}
SECTION_LABEL = "check-{claim_id}"  # the label, in the checking chapter, of the section that checks a claim

TABLES = ("sw-encounters", "chnv-process", "cbp-one-appointments", "article-claims", "claim-evidence", "barrier-geometry")


@dataclass(frozen=True)
class Check:
    shows: str  # what the data or sources show, in one sentence
    verdict: str
    reason: str  # one line: why this verdict, by which rule


def _pct(value: float) -> str:
    return f"{value:+.1f} %".replace("-", "−")


def _month(stamp) -> str:
    return "none in the data" if stamp is None or pd.isna(stamp) else f"{pd.Timestamp(stamp):%B %Y}"


def check_may_june_drop(claimed_pct: float, change_pct: dict[str, float]) -> Check:
    shows = "; ".join(f"{MEASURE_NAMES[m]} {_pct(v)}" for m, v in change_pct.items())
    near = [m for m, v in change_pct.items() if abs(v - claimed_pct) <= PERCENT_TOLERANCE]
    if any(m in HEADLINE_MEASURES for m in near):
        verdict, reason = "supported", f"within {PERCENT_TOLERANCE:g} points of a headline measure"
    elif near:
        verdict = "partly supported"
        reason = f"within {PERCENT_TOLERANCE:g} points only of {', '.join(MEASURE_NAMES[m] for m in near)}"
    else:
        closest = min(change_pct, key=lambda m: abs(change_pct[m] - claimed_pct))
        gap = abs(change_pct[closest] - claimed_pct)
        verdict = "not supported"
        reason = (f"no measure is within {PERCENT_TOLERANCE:g} points of {_pct(claimed_pct)}; "
                  f"the closest, {MEASURE_NAMES[closest]}, is {gap:.1f} points away")
    return Check(f"May to June 2023: {shows}.", verdict, reason)


def check_lowest_since(claimed_month: pd.Timestamp, last_lower: dict[str, pd.Timestamp]) -> Check:
    shows = "; ".join(f"{MEASURE_NAMES[m]}: {_month(last_lower[m])}" for m in HEADLINE_MEASURES)
    matches = [m for m in HEADLINE_MEASURES if last_lower[m] is not None and last_lower[m] == claimed_month]
    later = [m for m in HEADLINE_MEASURES if last_lower[m] is not None and last_lower[m] > claimed_month]
    if matches:
        verdict, reason = "supported", f"the last lower month is {_month(claimed_month)} for {MEASURE_NAMES[matches[0]]}"
    elif len(later) == len(HEADLINE_MEASURES):
        verdict, reason = "not supported", "a lower month came after the claimed one for both headline measures"
    else:
        verdict, reason = "partly supported", "June 2023 was lower than claimed for at least one headline measure"
    return Check(f"Last month before June 2023 with fewer encounters — {shows}.", verdict, reason)


def check_mexican_trend(trend: dict) -> Check:
    verdict = {"down": "supported", "mixed": "partly supported", "up": "not supported"}[trend["direction"]]
    shows = (f"Encounters of Mexican citizens, 12 months to June 2023 against the 12 before: {_pct(trend['change_12_pct'])}; "
             f"last 3 months against the 3 before: {_pct(trend['change_3_pct'])}.")
    return Check(shows, verdict, f"trend is '{trend['direction']}' by the rule: {trend['rule']}")


def check_chnv_total(values: dict) -> Check:
    claimed = values["claimed"]
    shows = (f"CHNV paroles plus CBP One appointments of Cubans, Haitians and Venezuelans to the end of June 2023: "
             f"{values['chnv_low_june']:,} ({values['chnv_high_june']:,} counting all of CBP One's 'other' group); "
             f"to the end of July 2023, after the press conference: {values['chnv_low_july']:,}–{values['chnv_high_july']:,}.")
    if values["chnv_low_june"] >= claimed * (1 - RELATIVE_TOLERANCE):
        return Check(shows, "supported", "the CHNV sum to June 2023 reaches the claimed figure")
    return Check(shows, "not verifiable",
                 "no source gives the figure, and the sums that can be added fall short by the end of June 2023")


def check_barrier_length(claimed_m: float, survey_m: float) -> Check:
    gap = (claimed_m - survey_m) / survey_m
    shows = f"The joint IBWC survey measured {survey_m:.1f} m; the claim is {claimed_m:g} m ({gap:+.1%} of the survey)."
    if abs(gap) <= RELATIVE_TOLERANCE:
        return Check(shows, "supported", f"within {RELATIVE_TOLERANCE:.0%} of the survey's length")
    return Check(shows, "not supported", f"more than {RELATIVE_TOLERANCE:.0%} from the survey's length")


def check_barrier_split(claimed: pd.Series, survey: pd.Series) -> Check:
    sides = ("mexico", "united-states")
    gaps = {s: (claimed[s] - survey[s]) / survey[s] for s in sides}
    shows = (f"Survey: {survey['mexico']:.1f} m in Mexico and {survey['united-states']:.1f} m in the United States; "
             f"claim: {claimed['mexico']:g} m and {claimed['united-states']:g} m "
             f"({gaps['mexico']:+.1%} and {gaps['united-states']:+.1%}).")
    if all(abs(g) <= RELATIVE_TOLERANCE for g in gaps.values()):
        return Check(shows, "supported", f"both sides within {RELATIVE_TOLERANCE:.0%} of the survey")
    if (claimed["mexico"] > claimed["united-states"]) == (survey["mexico"] > survey["united-states"]):
        return Check(shows, "partly supported",
                     f"most of the barrier is in Mexico, as claimed, but a side is more than {RELATIVE_TOLERANCE:.0%} off")
    return Check(shows, "not supported", "the claim puts the larger part on the other side")


def combine_findings(evidence: pd.DataFrame) -> Check:
    """The verdict for a claim judged from documents, from its rows in `claim-evidence`."""
    if evidence.empty:
        return Check("No finding is recorded.", "not verifiable", "no evidence recorded for this claim")
    findings = set(evidence["finding"])
    positive = findings & {"agrees", "partly agrees"}
    if "differs" in findings and not positive:
        verdict, decisive = "not supported", "differs"
    elif "differs" in findings:
        verdict, decisive = "partly supported", "differs"
    elif "partly agrees" in findings:
        verdict, decisive = "partly supported", "partly agrees"
    elif "no source found" in findings:
        verdict, decisive = "not verifiable", "no source found"
    else:
        verdict, decisive = "supported", "agrees"
    row = evidence[evidence["finding"] == decisive].iloc[0]
    counts = ", ".join(f"{(evidence['finding'] == f).sum()} {f}" for f in ("agrees", "partly agrees", "differs", "no source found") if f in findings)
    return Check(row["statement"], verdict, f"findings: {counts}")


def _survey_keys(geometry: pd.DataFrame) -> list[str]:
    return list(geometry.loc[geometry["figure_set"] == "ibwc-survey", "source_key"])


# The citations for the data each computed check uses.
DATA_SOURCES = {
    "may-june-drop": lambda geometry: ["cbp_nationwide_encounters"],
    "lowest-since-feb-2021": lambda geometry: ["cbp_nationwide_encounters"],
    "mexican-trend": lambda geometry: ["cbp_nationwide_encounters"],
    "chnv-272000": lambda geometry: ["ohss_monthly_tables"],
    "barrier-length": _survey_keys,
    "barrier-split": _survey_keys,
}


def load_tables() -> dict[str, pd.DataFrame]:
    return {name: load(name) for name in TABLES}


def register(tables: dict[str, pd.DataFrame] | None = None) -> pd.DataFrame:
    """One row per claim in `article-claims`, with what the data/sources show and a verdict."""
    tables = load_tables() if tables is None else tables
    claims = tables["article-claims"]
    evidence = tables["claim-evidence"]
    computed = flows.article_check_values(
        tables["sw-encounters"], tables["chnv-process"], tables["cbp-one-appointments"], claims
    )
    geometry = tables["barrier-geometry"]
    survey = barrier.figures(geometry, "ibwc-survey")
    claimed_barrier = barrier.claimed_split(claims)
    data_checks = {
        "may-june-drop": lambda: check_may_june_drop(**computed["may-june-drop"]),
        "lowest-since-feb-2021": lambda: check_lowest_since(
            computed["lowest-since-feb-2021"]["claimed_month"], computed["lowest-since-feb-2021"]["last_lower_month"]),
        "mexican-trend": lambda: check_mexican_trend(computed["mexican-trend"]),
        "chnv-272000": lambda: check_chnv_total(computed["chnv-272000"]),
        "barrier-length": lambda: check_barrier_length(claimed_barrier["total"], survey["total"]),
        "barrier-split": lambda: check_barrier_split(claimed_barrier, survey),
    }
    rows = []
    for claim in claims.itertuples(index=False):
        findings = evidence[evidence["claim_id"] == claim.claim_id]
        if claim.claim_id in data_checks:
            check, basis = data_checks[claim.claim_id](), "data"
            keys = DATA_SOURCES[claim.claim_id](geometry) + list(findings["source_key"])
        else:
            check, basis = combine_findings(findings), "sources"
            keys = list(findings["source_key"])
        if check.verdict not in VERDICTS:
            raise ValueError(f"claim {claim.claim_id}: verdict {check.verdict!r} is not one of {VERDICTS}")
        rows.append({
            "claim_id": claim.claim_id,
            "chapter": claim.chapter,
            "topic": claim.topic,
            "quote": claim.quote,
            "claimed": claimed_text(claim),
            "shows": check.shows,
            "verdict": check.verdict,
            "reason": check.reason,
            "basis": basis,
            "source_keys": list(dict.fromkeys(keys)),
            "section_label": SECTION_LABEL.format(claim_id=claim.claim_id),
        })
    return pd.DataFrame(rows)


def claimed_text(claim) -> str:
    """What was claimed (value, unit, period) in words, from the claim's row."""
    parts = []
    for value, unit in ((claim.claimed_value, claim.claimed_unit), (claim.claimed_value_2, claim.claimed_unit_2)):
        if pd.notna(value):
            number = f"{value:,.0f}" if float(value).is_integer() else f"{value:,}"
            parts.append(f"{number} {unit}" if isinstance(unit, str) else number)
    when = claim.claimed_when if isinstance(claim.claimed_when, str) else None
    text = "; ".join(parts) if parts else "no figure"
    return f"{text} ({when})" if when else text


def verdict_counts(frame: pd.DataFrame) -> pd.Series:
    return frame["verdict"].value_counts().reindex(VERDICTS, fill_value=0)
