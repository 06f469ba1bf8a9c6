"""The rubric: how a claim's two questions are answered, as a decision table a second checker can apply.

Every claim answers two questions apart:

1. *Reported faithfully?* Did the article relay what was said at the press conference accurately
   (who said it, the words, the figure)? Answered from records of what was said: the government's
   release, transcripts, and news reports of the conference (`RELAY_ROWS`).
2. *Is it true?* The verdict on the substance, on the scale supported / partly supported / not
   supported / not verifiable (`TRUTH_ROWS`). A claim that is only about who said what gets no
   truth verdict: question 1 answers it.

Each row of the table is a `Row`: when it applies, what it gives, and one claim of this book as its
worked example. `judge_relay` and `judge_truth` apply the rows in order and say which row decided;
the register page prints the table from `rows()`, so the table a reader sees and the code that
decides cannot drift apart. Every tolerance is a named constant here.

The inputs are typed findings (curated in the `claim-evidence` table, each with its source) and
the chapters' measurements (`Measurement`); nothing else is read, and nothing else decides.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from migration_report.core import i18n
from migration_report.core.findings import FINDING_WORDS, RELAY_FINDING_WORDS, finding_name  # noqa: F401  (the rubric's words)
from migration_report.core.i18n import N_

# --- Scales --------------------------------------------------------------------------------------

# Truth verdicts are the register's keys (English); readers see them through verdict_word().
SUPPORTED, PARTLY = N_("supported"), N_("partly supported")
NOT_SUPPORTED, NOT_VERIFIABLE = N_("not supported"), N_("not verifiable")
VERDICTS = (SUPPORTED, PARTLY, NOT_SUPPORTED, NOT_VERIFIABLE)
ORDER = {SUPPORTED: 2, PARTLY: 1, NOT_SUPPORTED: 0}  # "not verifiable" is off the scale: nothing either way

# Answers to "Reported faithfully?", also English keys.
FAITHFUL, PARTLY_FAITHFUL = N_("faithful"), N_("partly faithful")
NOT_FAITHFUL, NOT_CHECKED = N_("not faithful"), N_("not checked")
RELAY_ANSWERS = (FAITHFUL, PARTLY_FAITHFUL, NOT_FAITHFUL, NOT_CHECKED)

# --- Tolerances (exact against approximate figures) ----------------------------------------------

PERCENT_TOLERANCE = 5.0  # percentage points between a claimed and a measured change
RELATIVE_TOLERANCE = 0.05  # relative gap between a claimed and a measured count or length (5 %)
HEADLINE_MEASURES = ("sw-total", "usbp")  # what "irregular encounters at the border" most plausibly means

# --- What a finding says, and whose it is ---------------------------------------------------------

QUESTIONS = ("relay", "truth")  # which question a finding bears on
# A truth finding: agrees; holds only with a condition or for less ("partly agrees"); credits one
# part of a body for the whole ("part for whole"); fits another group or period ("other group");
# differs; bears on another reading or on later events ("context"); a search that found nothing
# ("no source found"). A relay finding: the record agrees, partly agrees, differs, or none was found.
AGREEING = ("agrees", "partly agrees", "part for whole")
CONTRADICTING = ("differs", "other group")
NEUTRAL = ("context", "no source found")
FINDINGS = AGREEING + CONTRADICTING + NEUTRAL
RELAY_FINDINGS = ("agrees", "partly agrees", "differs", "no source found")
# Whose the source is, relative to the claimant (the government whose official made the claim).
VOICES = ("claimant", "counterpart", "independent")
# What a claim is about: only who said what; an act of the claimant's own government; that
# government's own programmes and their results; anything else (another party's acts or
# commitments, statistics, the world).
ABOUT = ("said", "own act", "own results", "others")


@dataclass(frozen=True)
class Row:
    key: str
    question: str  # "relay" or "truth"
    title: str  # N_(): the row's name, as a card cites it
    when: str  # N_(): when the row applies
    then: str  # N_(): what it gives
    example: str  # claim id of this book's worked example
    reason: str  # N_(): the reason a card gives when the row decides, in a reader's words
    outcome: str | None  # the answer or verdict it gives (None: no truth verdict; "rule": the row's own rule)


RELAY_ROWS = (
    Row("relay-matches", "relay", N_("Matches the record"),
        N_("A record of what was said (the government's release, a transcript, or a report of the press "
           "conference that quotes or paraphrases the speaker) matches the article's speaker, words and figure, "
           "and no record differs."),
        N_("*faithful*"), "may-june-drop",
        N_("reports of the press conference give the same speaker, words and figure"), FAITHFUL),
    Row("relay-differs", "relay", N_("Differs from the record"),
        N_("Records show that the article changes a detail that matters (it adds or drops a qualifier such as "
           "“more than”, narrows or widens the group, or gives a word another meaning), or that the speaker said "
           "something else."),
        N_("*partly faithful* if the records also show the statement as the article gives it in substance, or "
           "disagree among themselves; otherwise *not faithful*"), "who-toured",
        N_("the records of the press conference differ from the article in a detail that matters"), "rule"),
    Row("relay-none", "relay", N_("No record found"),
        N_("No record of what was said, other than the article, was found."),
        N_("*not checked*"), "federal-lawsuit",
        N_("no record of these words other than the article was found"), NOT_CHECKED),
)

TRUTH_ROWS = (
    Row("said-only", "truth", N_("Only who said what"),
        N_("The claim is only about who said, announced or presented something."),
        N_("no truth verdict: the first question answers it"), "barcena-presented",
        N_("the claim is only about what was said"), None),
    Row("nothing-counts", "truth", N_("Nothing that counts either way"),
        N_("No record, data or report independent of the claimant confirms or contradicts the claim. Reports of "
           "the press conference only show what was said; a government's own word counts as evidence of its own "
           "acts and programmes, not of another party's acts or commitments."),
        N_("*not verifiable*"), "usd-40m",
        N_("no record, data or report independent of the claimant confirms or contradicts it"), NOT_VERIFIABLE),
    Row("other-group", "truth", N_("The right number for another group"),
        N_("The claimed figure matches a different group or period from the one the claim states, and the "
           "stated group's own figure does not reach it."),
        N_("*not supported*: a number that describes other people or another time does not support the claim"),
        "chnv-272000",
        N_("the figure is reached only by counting a different group from the one the claim names"), NOT_SUPPORTED),
    Row("change", "truth", N_("A change between two months"),
        N_("Measured from data: a change between two months."),
        N_("*supported* if the claimed change is within {percent_tolerance} percentage points of the change in all "
           "Southwest border encounters or in Border Patrol encounters; *partly supported* if it is that close "
           "only to a narrower measure; otherwise *not supported*"),
        "may-june-drop", "", "rule"),
    Row("lowest-since", "truth", N_("The lowest since a month"),
        N_("Measured from data: a month called the lowest since an earlier one."),
        N_("*supported* if, for all encounters or for Border Patrol, the last earlier month with fewer "
           "encounters is the month claimed; *not supported* if for both a lower month came later; otherwise "
           "*partly supported*"),
        "lowest-since-feb-2021", "", "rule"),
    Row("trend", "truth", N_("A trend"),
        N_("Measured from data: a trend."),
        N_("*supported* if the trend is down by the rule stated in the chapter, *partly supported* if mixed, "
           "*not supported* if up"),
        "mexican-trend", "", "rule"),
    Row("count-by-date", "truth", N_("A count by a date"),
        N_("Measured from data: a count claimed on a day, for a stated group of people. The monthly data give a "
           "lower and an upper sum for the group (one that leaves out people not broken out, one that counts "
           "them all), by the end of the last month that had ended before the statement."),
        N_("*supported* if the lower sum is within {relative_tolerance} of the claim (“more than N” is met from "
           "N less {relative_tolerance}); *partly supported* if only the upper sum is; otherwise *not "
           "supported*"),
        "chnv-272000", "", "rule"),
    Row("length", "truth", N_("A length"),
        N_("Measured: a length."),
        N_("*supported* within {relative_tolerance} of the measured length; otherwise *not supported*"),
        "barrier-length", "", "rule"),
    Row("split", "truth", N_("A split between two sides"),
        N_("Measured: how a length divides between two sides."),
        N_("*supported* if both sides are within {relative_tolerance} of the measurement; *partly supported* if "
           "the larger part is on the side claimed; otherwise *not supported*"),
        "barrier-split", "", "rule"),
    Row("combine", "truth", N_("Documents weighed together"),
        N_("Claims checked against documents: the findings that count are weighed together."),
        N_("*supported* if they agree and none contradicts; *partly supported* if some agree and some "
           "contradict; *not supported* if they only contradict"), "title-42-end",
        N_("evidence independent of the claim confirms it and none contradicts it"), "rule"),
    Row("part-for-whole", "truth", N_("One part credited for the whole"),
        N_("What was done was done by one part of the body the claim names (one section of a binational "
           "commission credited to the whole)."),
        N_("at most *partly supported*"), "who-toured",
        N_("it was the act of one part of the body the claim names, not of the whole"), PARTLY),
    Row("qualified", "truth", N_("A finding that qualifies the words"),
        N_("A finding supports the claim only with a condition its words leave out, or for less than it says."),
        N_("at most *partly supported*: such a finding caps the verdict; it is not neutral context"), "new-paths",
        N_("the evidence supports it only in part or with a condition its words leave out"), PARTLY),
    Row("own-results", "truth", N_("Only the implementing government's records"),
        N_("The claim is about the claimant government's own programmes, and only that government's own records "
           "agree with it."),
        N_("at most *partly supported*"), "programme-results",
        N_("only the government that runs the programmes reports these results"), PARTLY),
)
ROWS = {row.key: row for row in RELAY_ROWS + TRUTH_ROWS}
MEASURED_ROWS = ("change", "lowest-since", "trend", "count-by-date", "length", "split")
CAP_ROWS = ("part-for-whole", "qualified", "own-results")
COMBINE_REASONS = {  # the combine row's reason, by the verdict it gives
    SUPPORTED: N_("evidence independent of the claim confirms it and none contradicts it"),
    PARTLY: N_("some evidence agrees with it and some contradicts it"),
    NOT_SUPPORTED: N_("the evidence contradicts it"),
}
RELAY_DIFFERS_REASONS = {
    PARTLY_FAITHFUL: N_("the records of the press conference differ from the article in a detail that matters"),
    NOT_FAITHFUL: N_("the records of the press conference show that something else was said"),
}

PRINCIPLES = (
    N_("Each claim answers two questions apart: was it reported faithfully (did the article relay what was "
       "said accurately), and is it true. Relaying a statement accurately does not make it true."),
    N_("Reports of the press conference show only what was said: they answer the first question, never the "
       "second. A government's own record counts as evidence of its own acts (a note it sent), not of another "
       "party's acts or commitments."),
    N_("A claim is judged on what could be known when it was made: for statistics, the months that had ended "
       "before the statement. Later months, revisions and events are context."),
    N_("Context, such as a later event or another reading of the words, never changes a verdict."),
    N_("Every row that applies to a claim is applied; the verdict is the lowest they give, and a card names "
       "the first row, in the table's order, that gives it."),
)


# --- Reader-facing text made here ----------------------------------------------------------------

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
    "count_low": N_("by the end of {month}, the lower sum is within {tol} of the claim"),
    "count_high": N_("by the end of {month}, only the upper sum, which counts people not broken out, is within {tol} "
                     "of the claim"),
    "count_short": N_("by the end of {month}, even the upper sum is {gap} short of the claim"),
    "length_within": N_("the claimed length is within {tol} of the measured one"),
    "length_off": N_("the claimed length is more than {tol} from the measured one"),
    "split_within": N_("both sides are within {tol} of the measurement"),
    "split_side": N_("most of the barrier is on the side claimed, but a side is more than {tol} off the measurement"),
    "split_wrong": N_("the claim puts the larger part on the other side of the boundary"),
}


def text(key: str, lang: str | None = None, **values) -> str:
    return i18n.gettext(TEXT[key], lang).format(**values)


def direction_word(direction: str, lang: str | None = None) -> str:
    """A trend's direction by the chapter's rule ("down", "mixed", "up") in the edition's words."""
    return text(f"direction_{direction}", lang)


# An answer to "Reported faithfully?" as a clause a sentence can end with.
RELAY_PHRASES = {
    FAITHFUL: N_("reported faithfully"), PARTLY_FAITHFUL: N_("reported only partly faithfully"),
    NOT_FAITHFUL: N_("not reported faithfully"), NOT_CHECKED: N_("how faithfully it was reported could not be checked"),
}


def relay_phrase(answer: str, lang: str | None = None) -> str:
    return i18n.gettext(RELAY_PHRASES[answer], lang)


def verdict_word(verdict: str, lang: str | None = None) -> str:
    """A verdict or a relay answer (the register's English key) as the edition's readers read it."""
    return i18n.gettext(verdict, lang)


@dataclass(frozen=True)
class Judgement:
    verdict: str | None  # a verdict, a relay answer, or None (no truth verdict)
    row: str  # the key of the row that decided
    reason: str  # one clause, in the edition's language
    other_group: bool = False  # a measured figure reached only by counting another group than the claim's


# --- The measured rules ---------------------------------------------------------------------------
# Each takes the measured values and `lang`, the edition whose words its reason is written in.


def _pct(value: float, lang: str | None) -> str:
    return i18n.signed_percent(value, lang, decimals=0 if float(value).is_integer() else 1)


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
        return Judgement(SUPPORTED, "change", text("within_headline", lang, tol=tol, measure=names[headline[0]]))
    if near:
        return Judgement(PARTLY, "change", text("within_narrow", lang, tol=tol,
                                                measures=", ".join(names[m] for m in near)))
    closest = min(change_pct, key=lambda m: abs(change_pct[m] - claimed_pct))
    return Judgement(NOT_SUPPORTED, "change", text(
        "no_measure_near", lang, tol=tol, claimed=_pct(claimed_pct, lang), closest=names[closest],
        gap=i18n.number(abs(change_pct[closest] - claimed_pct), lang, decimals=1)))


def judge_lowest_since(claimed_month: pd.Timestamp, last_lower: dict[str, pd.Timestamp],
                       names: dict[str, str], lang: str | None = None) -> Judgement:
    found = {m: last_lower.get(m) for m in HEADLINE_MEASURES}
    matches = [m for m, month in found.items() if month is not None and pd.notna(month) and month == claimed_month]
    later = [m for m, month in found.items() if month is not None and pd.notna(month) and month > claimed_month]
    if matches:
        return Judgement(SUPPORTED, "lowest-since", text("lowest_match", lang, measure=names[matches[0]],
                                                         month=_month(claimed_month, lang)))
    if len(later) == len(HEADLINE_MEASURES):
        return Judgement(NOT_SUPPORTED, "lowest-since", text("lowest_later", lang, month=_month(claimed_month, lang)))
    return Judgement(PARTLY, "lowest-since", text("lowest_earlier", lang))


def judge_trend(direction: str, lang: str | None = None) -> Judgement:
    verdict = {"down": SUPPORTED, "mixed": PARTLY, "up": NOT_SUPPORTED}[direction]
    return Judgement(verdict, "trend", text("trend", lang, direction=direction_word(direction, lang)))


def judge_count_by_date(claimed: float, low: float, high: float, month: str, wider: float | None = None,
                        lang: str | None = None) -> Judgement:
    """A count claimed on a day, against the lower and upper monthly sums for the stated group at the
    end of MONTH, the last month that had ended before the statement. WIDER, if given, is the sum for
    a wider group (people the claim does not name counted too): when only it reaches the claim, the
    judgement says so (`other_group`), for the rubric's row on another group's figure."""
    floor = claimed * (1 - RELATIVE_TOLERANCE)
    tol = _relative(lang)
    if low >= floor:
        return Judgement(SUPPORTED, "count-by-date", text("count_low", lang, tol=tol, month=month))
    if high >= floor:
        return Judgement(PARTLY, "count-by-date", text("count_high", lang, tol=tol, month=month))
    gap = i18n.percent(100 * (claimed - high) / claimed, lang, decimals=0)
    return Judgement(NOT_SUPPORTED, "count-by-date", text("count_short", lang, month=month, gap=gap),
                     other_group=wider is not None and wider >= floor)


def judge_length(claimed_m: float, measured_m: float, lang: str | None = None) -> Judgement:
    if abs(claimed_m - measured_m) / measured_m <= RELATIVE_TOLERANCE:
        return Judgement(SUPPORTED, "length", text("length_within", lang, tol=_relative(lang)))
    return Judgement(NOT_SUPPORTED, "length", text("length_off", lang, tol=_relative(lang)))


def judge_split(claimed: dict[str, float], measured: dict[str, float], lang: str | None = None) -> Judgement:
    gaps = [abs(claimed[s] - measured[s]) / measured[s] for s in measured]
    if all(g <= RELATIVE_TOLERANCE for g in gaps):
        return Judgement(SUPPORTED, "split", text("split_within", lang, tol=_relative(lang)))
    larger = lambda sides: max(sides, key=sides.get)  # noqa: E731
    if larger(claimed) == larger(measured):
        return Judgement(PARTLY, "split", text("split_side", lang, tol=_relative(lang)))
    return Judgement(NOT_SUPPORTED, "split", text("split_wrong", lang))


MEASURED_RULES = {
    "change": judge_change,
    "lowest-since": judge_lowest_since,
    "trend": judge_trend,
    "count-by-date": judge_count_by_date,
    "length": judge_length,
    "split": judge_split,
}


# --- Applying the table ---------------------------------------------------------------------------


def _check(values, allowed, what: str) -> None:
    unknown = sorted(set(values) - set(allowed))
    if unknown:
        raise ValueError(f"{what} {unknown[0]!r} is not one of {', '.join(allowed)}")


def _reason(key: str, verdict: str | None, lang: str | None) -> str:
    if key == "combine":
        return i18n.gettext(COMBINE_REASONS[verdict], lang)
    if key == "relay-differs":
        return i18n.gettext(RELAY_DIFFERS_REASONS[verdict], lang)
    return i18n.gettext(ROWS[key].reason, lang)


def judge_relay(findings: list[str], lang: str | None = None) -> Judgement:
    """'Reported faithfully?' from the relay findings (records of what was said), by RELAY_ROWS."""
    _check(findings, RELAY_FINDINGS, "relay finding")
    agree = [f for f in findings if f == "agrees"]
    partly = [f for f in findings if f == "partly agrees"]
    differ = [f for f in findings if f == "differs"]
    if not (agree or partly or differ):
        return Judgement(NOT_CHECKED, "relay-none", _reason("relay-none", NOT_CHECKED, lang))
    if not (partly or differ):
        return Judgement(FAITHFUL, "relay-matches", _reason("relay-matches", FAITHFUL, lang))
    answer = NOT_FAITHFUL if differ and not (agree or partly) else PARTLY_FAITHFUL
    return Judgement(answer, "relay-differs", _reason("relay-differs", answer, lang))


def assess(about: str, findings: list[tuple[str, str]], measured: Judgement | None = None) -> list[tuple[str, str | None]]:
    """Every truth row that applies to a claim, in the table's order, with the verdict it gives.

    FINDINGS are the claim's truth findings as (finding, voice) pairs; MEASURED is the measured
    rule's judgement for a claim measured from data. The claimant's own word counts only for its
    own acts and programmes.
    """
    _check([about], ABOUT, "what a claim is about")
    _check([f for f, _ in findings], FINDINGS, "finding")
    _check([v for _, v in findings], VOICES, "voice")
    if about == "said":
        return [("said-only", None)]
    counting = [(f, voice) for f, voice in findings
                if f not in NEUTRAL and (voice != "claimant" or about in ("own act", "own results"))]
    kinds = [f for f, _ in counting]
    agree = [f for f in kinds if f in AGREEING]
    differ = [f for f in kinds if f in CONTRADICTING]
    if measured is None and not agree and not differ:
        return [("nothing-counts", NOT_VERIFIABLE)]
    applied = []
    fits_other = "other group" in kinds or (measured is not None and measured.other_group)
    if fits_other and (measured is None or measured.verdict != SUPPORTED):
        applied.append(("other-group", NOT_SUPPORTED))
    if measured is not None:
        applied.append((measured.row, measured.verdict))
    else:
        applied.append(("combine", PARTLY if agree and differ else NOT_SUPPORTED if differ else SUPPORTED))
    if "part for whole" in kinds:
        applied.append(("part-for-whole", PARTLY))
    if "partly agrees" in kinds:
        applied.append(("qualified", PARTLY))
    if about == "own results" and agree and not [f for f, v in counting if f in AGREEING and v != "claimant"]:
        applied.append(("own-results", PARTLY))
    order = {key: n for n, key in enumerate(r.key for r in TRUTH_ROWS)}
    return sorted(applied, key=lambda pair: order[pair[0]])


def judge_truth(about: str, findings: list[tuple[str, str]], measured: Judgement | None = None,
                lang: str | None = None) -> Judgement:
    """'Is it true?' by TRUTH_ROWS: the lowest verdict the applicable rows give, decided by the first
    row (in the table's order) that gives it. A measured claim's reason is its rule's."""
    applied = assess(about, findings, measured)
    verdicts = [v for _, v in applied]
    if verdicts == [None] or verdicts == [NOT_VERIFIABLE] or (measured and measured.verdict == NOT_VERIFIABLE):
        key, verdict = applied[0]
    else:
        verdict = min(verdicts, key=ORDER.__getitem__)
        key = next(k for k, v in applied if v == verdict)
    if measured is not None and key == measured.row:
        return measured
    return Judgement(verdict, key, _reason(key, verdict, lang))


def rows(question: str, lang: str | None = None) -> list[dict]:
    """The decision table for QUESTION ("relay" or "truth") as a reader reads it, in the edition's
    language, filled in from the tolerances above: when, then, and the worked example's claim id."""
    values = {"percent_tolerance": i18n.number(PERCENT_TOLERANCE, lang), "relative_tolerance": _relative(lang)}
    table = RELAY_ROWS if question == "relay" else TRUTH_ROWS
    return [{"key": r.key, "title": i18n.gettext(r.title, lang), "when": i18n.gettext(r.when, lang).format(**values),
             "then": i18n.gettext(r.then, lang).format(**values), "example": r.example} for r in table]


def principles(lang: str | None = None) -> list[str]:
    return [i18n.gettext(p, lang) for p in PRINCIPLES]
