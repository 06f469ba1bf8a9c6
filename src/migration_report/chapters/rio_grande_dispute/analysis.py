"""The Rio Grande chapter: the buoy barrier's length and split, and the dispute's timeline.

The figures come from `load("barrier-geometry")` in the unit each source used; this module
converts them (1 international foot = 0.3048 m exactly), computes the share of the barrier on
each side of the boundary and the differences between two sets of figures, and orders the
timeline; `barrier_charts` draws the chapter's two figures from these. Nothing here types a
figure: everything is computed from the tables.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from migration_report.core import i18n, params, style
from migration_report.core.data import localized
from migration_report.core.i18n import N_, NP_, _
from migration_report.core.measurement import Measurement
from migration_report.core.outputs import cite, mark_spanish

# International foot (1959 agreement): exact by definition.
METRES_PER_FOOT = 0.3048
METRES_PER_UNIT = {"m": 1.0, "ft": METRES_PER_FOOT}

SIDES = ("united-states", "mexico")
# Reader-facing names (messages; `part_name` and `figure_set_name` give them in the edition's language).
PART_NAMES = {"total": N_("Total"), "united-states": N_("United States"), "mexico": N_("Mexico")}
SIDE_COLOURS = {"united-states": style.PALETTE["blue"], "mexico": style.PALETTE["orange"]}
FIGURE_SET_NAMES = {
    "mexico-sre": N_("Mexico's figures (26 July 2023)"),
    "ibwc-survey": N_("Joint IBWC survey (late July 2023)"),
    "nominal": N_("Nominal length (first stage)"),
}
# The split table's words (tab-barrier-geometry, made in the chapter by `split_display`).
SPLIT_TEXT = {
    "sets": {"mexico-sre": N_("Mexico, 26 Jul"), "ibwc-survey": N_("IBWC survey, late Jul")},
    "columns": (N_("Figures"), N_("Part"), N_("As reported"), N_("Metres"), N_("Share (%)")),
    "about": N_("about {length}"),
}


def part_name(part: str) -> str:
    """'united-states' -> 'United States' / 'Estados Unidos'."""
    return _(PART_NAMES[part])


def figure_set_name(figure_set: str) -> str:
    """'ibwc-survey' -> 'Joint IBWC survey (late July 2023)', in the edition's language."""
    return _(FIGURE_SET_NAMES[figure_set])


# --- units and shares --------------------------------------------------------------------

# --- parameters --------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class BarrierParams(params.Params):
    """The chapter's one parameter, checked. Unpacks as (output_dir,)."""

    output_dir: Path

    UNPACK = ("output_dir",)


def check_parameters(output_dir) -> BarrierParams:
    """The chapter's papermill parameters, checked."""
    return BarrierParams(params.output_dir(output_dir))


def to_metres(length, unit: str):
    """`length` (a number or a Series) given in `unit` ('m' or 'ft'), in metres."""
    try:
        factor = METRES_PER_UNIT[unit]
    except KeyError:
        raise ValueError(f"unit {unit!r} is not known; expected one of {', '.join(METRES_PER_UNIT)}") from None
    return length * factor


def feet_to_metres(feet):
    """Feet to metres (1 ft = 0.3048 m exactly)."""
    return to_metres(feet, "ft")


def metres_to_feet(metres):
    """Metres to feet (1 ft = 0.3048 m exactly)."""
    return metres / METRES_PER_FOOT


def with_metres(geometry: pd.DataFrame) -> pd.DataFrame:
    """The geometry table with a `length_m` column: each row's length converted from its own unit."""
    frame = geometry.copy()
    frame["length_m"] = [to_metres(float(n), str(u)) for n, u in zip(frame["length"], frame["unit"])]
    return frame


def figures(geometry: pd.DataFrame, figure_set: str) -> pd.Series:
    """One set of figures as a Series of metres indexed by part (total, united-states, mexico)."""
    frame = with_metres(geometry)
    rows = frame[frame["figure_set"] == figure_set]
    if rows.empty:
        known = ", ".join(sorted(frame["figure_set"].unique()))
        raise ValueError(f"no figures for {figure_set!r}; expected one of {known}")
    if rows["part"].duplicated().any():
        raise ValueError(f"{figure_set!r} has more than one row for a part")
    return rows.set_index("part")["length_m"].astype(float)


def parts_gap(geometry: pd.DataFrame, figure_set: str) -> float:
    """Total minus the sum of the two sides, in the source's own unit (0 when the parts add up)."""
    rows = geometry[geometry["figure_set"] == figure_set].set_index("part")
    units = set(rows["unit"])
    if len(units) != 1:
        raise ValueError(f"{figure_set!r} mixes units {sorted(units)}")
    return float(rows.loc["total", "length"] - sum(rows.loc[side, "length"] for side in SIDES))


def shares(geometry: pd.DataFrame, figure_set: str) -> pd.Series:
    """Share of the stated total on each side of the boundary, in per cent."""
    metres = figures(geometry, figure_set)
    return pd.Series({side: 100 * metres[side] / metres["total"] for side in SIDES})


def split_table(geometry: pd.DataFrame, figure_sets=("mexico-sre", "ibwc-survey")) -> pd.DataFrame:
    """Long table of each set's parts: as reported, in metres, and as a share of its total (%)."""
    frame = with_metres(geometry)
    out = []
    for figure_set in figure_sets:
        rows = frame[frame["figure_set"] == figure_set]
        total = rows.loc[rows["part"] == "total", "length_m"].iloc[0]
        for part in ("total", *SIDES):
            row = rows[rows["part"] == part].iloc[0]
            out.append(
                {
                    "figure_set": figure_set,
                    "part": part,
                    "length": float(row["length"]),
                    "unit": str(row["unit"]),
                    "approximate": bool(row["approximate"]),
                    "length_m": float(row["length_m"]),
                    "share_pct": 100 * float(row["length_m"]) / float(total),
                    "source_key": str(row["source_key"]),
                }
            )
    return pd.DataFrame(out)


def differences(geometry: pd.DataFrame, first: str = "mexico-sre", second: str = "ibwc-survey") -> pd.DataFrame:
    """Per part: metres in `first`, in `second`, first − second in metres and in share points."""
    a, b = figures(geometry, first), figures(geometry, second)
    share_a, share_b = shares(geometry, first), shares(geometry, second)
    rows = []
    for part in ("total", *SIDES):
        rows.append(
            {
                "part": part,
                f"{first}_m": a[part],
                f"{second}_m": b[part],
                "difference_m": a[part] - b[part],
                "difference_share_points": (share_a[part] - share_b[part]) if part in SIDES else float("nan"),
            }
        )
    return pd.DataFrame(rows).set_index("part")


def claimed_split(claims: pd.DataFrame) -> pd.Series:
    """The article's 'barrier-length' and 'barrier-split' claims as metres by part.

    Reads the units from the claims table (e.g. 'm in Mexico') rather than assuming them.
    """
    by_id = claims.set_index("claim_id")
    values = {"total": _claim_metres(by_id.loc["barrier-length", "claimed_value"], by_id.loc["barrier-length", "claimed_unit"])}
    split = by_id.loc["barrier-split"]
    for value_col, unit_col in (("claimed_value", "claimed_unit"), ("claimed_value_2", "claimed_unit_2")):
        unit_text = str(split[unit_col])
        side = "mexico" if "Mexico" in unit_text else "united-states" if "United States" in unit_text else None
        if side is None:
            raise ValueError(f"claim 'barrier-split': cannot tell the side from the unit {unit_text!r}")
        values[side] = _claim_metres(split[value_col], unit_text)
    return pd.Series(values)[["total", *SIDES]]


def _claim_metres(value, unit_text: str) -> float:
    unit = str(unit_text).split()[0]
    return float(to_metres(float(value), unit))


# --- for the claim register ------------------------------------------------------------

# The register's sentences (messages; the numbers are written by i18n before they are put in).
CHECK_TEXT = {
    "length": N_("The joint IBWC survey measured {survey} m; the claim is {claimed} m ({gap} of the survey)."),
    "split": N_("Survey: {survey_mx} m in Mexico and {survey_us} m in the United States; claim: {claimed_mx} m "
                "and {claimed_us} m ({gap_mx} and {gap_us})."),
    "length_short": N_("{survey} m (survey)"),
    "split_short": N_("{survey_mx} m in Mexico, {survey_us} m in the US (survey)"),
    "found_in": N_("Joint survey by the US and Mexican sections of the IBWC, late July 2023, as filed in court on "
                   "15 August 2023"),
}


def _metres(value: float) -> str:
    return i18n.number(value, decimals=1)


def _claimed(value: float) -> str:
    """A claimed length as stated: 305, 75 (no decimals unless the claim has them)."""
    return i18n.number(value, decimals=0 if float(value).is_integer() else None)


def _gap(share: float) -> str:
    """A signed share of the survey, as a percentage with one decimal: '+0.6%' / '+0.6 %'."""
    sign = "\u2212" if round(share * 100, 1) < 0 else "+"
    return sign + i18n.percent(abs(share) * 100)


def checks(tables: dict[str, pd.DataFrame]) -> dict:
    """The barrier claims' measurements for the claim register, by claim id (no verdicts)."""
    geometry = tables["barrier-geometry"]
    survey = figures(geometry, "ibwc-survey")
    claimed = claimed_split(tables["article-claims"])
    keys = tuple(geometry.loc[geometry["figure_set"] == "ibwc-survey", "source_key"].drop_duplicates())
    gap = lambda part: (claimed[part] - survey[part]) / survey[part]  # noqa: E731
    length = Measurement(
        rule="length", values={"claimed_m": float(claimed["total"]), "measured_m": float(survey["total"])},
        found=_(CHECK_TEXT["length"]).format(survey=_metres(survey["total"]), claimed=_claimed(claimed["total"]),
                                             gap=_gap(gap("total"))),
        found_in=_(CHECK_TEXT["found_in"]), sources=keys,
        found_short=_(CHECK_TEXT["length_short"]).format(survey=_metres(survey["total"])))
    split = Measurement(
        rule="split",
        values={"claimed": {s: float(claimed[s]) for s in SIDES}, "measured": {s: float(survey[s]) for s in SIDES}},
        found=_(CHECK_TEXT["split"]).format(survey_mx=_metres(survey["mexico"]), survey_us=_metres(survey["united-states"]),
                                            claimed_mx=_claimed(claimed["mexico"]),
                                            claimed_us=_claimed(claimed["united-states"]),
                                            gap_mx=_gap(gap("mexico")), gap_us=_gap(gap("united-states"))),
        found_in=_(CHECK_TEXT["found_in"]), sources=keys,
        found_short=_(CHECK_TEXT["split_short"]).format(survey_mx=_metres(survey["mexico"]),
                                                        survey_us=_metres(survey["united-states"])))
    return {"barrier-length": length, "barrier-split": split}


# --- timeline ----------------------------------------------------------------------------

def date_text(date: pd.Timestamp, precision: str) -> str:
    """'26 Jul 2023' for a known day, 'Aug 2023' where only the month is known (Spanish: '26 jul 2023')."""
    month = i18n.month_name(date, abbreviated=True)
    if precision == "month":
        return f"{month} {date.year}"
    return f"{date.day} {month} {date.year}"


def date_in_prose(date: pd.Timestamp, precision: str) -> str:
    """A date as a sentence writes it: '11 May 2023' / '11 de mayo de 2023', 'August 2023' / 'agosto de
    2023' (date_text's short forms are for tables and charts)."""
    return i18n.month(date) if precision == "month" else i18n.date(date)


# The timeline's events known only to the month, in a whole sentence whose words agree with their number.
MONTH_ONLY = NP_("For {n} event only the month is known, and the figure draws it as a bar across the month.",
                 "For {n} events only the month is known, and the figure draws them as a bar across the month.")


def month_only_sentence(timeline: pd.DataFrame) -> str:
    """How many of the timeline's events are known only to the month, as the chapter says it."""
    return i18n.ngettext(MONTH_ONLY, int((timeline["date_precision"] == "month").sum()))


def month_span(date: pd.Timestamp, precision: str) -> tuple[pd.Timestamp, pd.Timestamp]:
    """The interval a timeline date stands for: one day, or the whole month."""
    start = pd.Timestamp(date)
    if precision == "month":
        return start, start + pd.offsets.MonthBegin(1)
    return start, start + pd.Timedelta(days=1)


def timeline_table(timeline: pd.DataFrame) -> pd.DataFrame:
    """The timeline in date order with a readable date ('Aug 2023' when only the month is known)."""
    frame = timeline.sort_values("date", kind="stable").reset_index(drop=True)
    frame["when"] = [date_text(d, p) for d, p in zip(frame["date"], frame["date_precision"])]
    return frame


TIMELINE_TEXT_COLUMNS = ("label", "event", "actor")  # reader-facing, with a Spanish column each (*_es)


def timeline_in_language(ordered: pd.DataFrame, lang: str | None = None) -> pd.DataFrame:
    """ORDERED (`timeline_table`) with its label, event and actor in the edition's language, as the
    chart and the figure's CSV show them."""
    return ordered.assign(**{c: localized(ordered, c, lang) for c in TIMELINE_TEXT_COLUMNS})


# The columns of the timeline's table of sources (reader text: one place, for the Spanish edition).
TIMELINE_COLUMNS = {"when": N_("When"), "event": N_("What happened"), "actor": N_("Who"), "source": N_("Source")}


def timeline_sources(timeline: pd.DataFrame) -> pd.DataFrame:
    """The timeline as a table for readers, in date order: when, what happened, who, and the one
    source each row rests on, so each event is cited where it is stated."""
    ordered = timeline_table(timeline)
    ordered.attrs = timeline.attrs
    columns = i18n.translated(TIMELINE_COLUMNS)
    return pd.DataFrame(
        {
            columns["when"]: ordered["when"],
            columns["event"]: [mark_spanish(e) for e in localized(ordered, "event")],
            columns["actor"]: localized(ordered, "actor"),
            columns["source"]: [cite(k) for k in ordered["source_key"]],
        }
    )


def split_display(split: pd.DataFrame) -> pd.DataFrame:
    """tab-barrier-geometry: each set of figures by part, as reported, in metres and as a share."""
    sets, part, reported, metres, share = i18n.translated(SPLIT_TEXT["columns"])
    names = i18n.translated(SPLIT_TEXT["sets"])

    def as_reported(length, unit, approximate) -> str:
        text = f"{i18n.number(length, decimals=0)} {unit}"
        return _(SPLIT_TEXT["about"]).format(length=text) if approximate else text

    return pd.DataFrame(
        {
            sets: split["figure_set"].map(names),
            part: split["part"].map(part_name),
            reported: [as_reported(n, u, a) for n, u, a in zip(split["length"], split["unit"], split["approximate"])],
            metres: split["length_m"].map(lambda v: i18n.number(v, decimals=1)),
            share: split["share_pct"].map(lambda v: i18n.number(v, decimals=1)),
        }
    )


def last_row(timeline: pd.DataFrame, pattern: str) -> pd.Series:
    """The one timeline row whose label matches `pattern` (a regular expression)."""
    hits = timeline[timeline["label"].str.contains(pattern, flags=re.IGNORECASE, regex=True)]
    if len(hits) != 1:
        raise ValueError(f"expected one timeline row whose label matches {pattern!r}, found {len(hits)}")
    return hits.iloc[0]
