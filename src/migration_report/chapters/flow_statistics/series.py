"""The counts of the chapter "flow-statistics", also read by the claim register.

Every function here works on the full tables returned by `migration_report.load` and does not
depend on the chapter's papermill parameters, so the article checks give the same answer
whatever window a reader chooses. Months are the first day of the month (pandas Timestamps).

The article checks:

- `may_june_change(encounters)`: May -> June 2023 change for four measures (all Southwest
  border encounters; Border Patrol; Border Patrol Title 8 apprehensions; Field Operations).
- `lowest_since(encounters)` / `last_lower_month(series, month)`: the last earlier month
  with fewer encounters than June 2023.
- `mexican_trend(encounters)`: the trend in encounters of Mexican citizens by a stated rule.
- `pathway_cumulative(chnv, cbp_one)` / `reconcile_total(...)`: cumulative CHNV paroles and
  CBP One appointments, for the "more than 272,000" claim.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from migration_report.core.i18n import N_, _
from migration_report.core import i18n
from migration_report.core.data import fiscal_year
from migration_report.core.schema import DataError

# Title 42: the CDC order of 20 March 2020, lifted at 11:59 p.m. Eastern time on 11 May 2023.
TITLE_42_START = pd.Timestamp("2020-03-20")
TITLE_42_END = pd.Timestamp("2023-05-11 23:59")
TITLE_8_ONLY_FROM = pd.Timestamp("2023-05-12")
MAY_2023 = pd.Timestamp("2023-05-01")
JUNE_2023 = pd.Timestamp("2023-06-01")
PRESS_CONFERENCE = pd.Timestamp("2023-07-26")

COMPONENTS = ("USBP", "OFO")
COMPONENT_NAMES = {"USBP": N_("Border Patrol"), "OFO": N_("Field Operations")}

# The four measures of the May -> June check: id -> (label, filters on the encounters table).
# The labels are messages: `measure_label` gives one in the edition's language.
MEASURES: dict[str, tuple[str, dict[str, str]]] = {
    "sw-total": (N_("All Southwest border encounters"), {}),
    "usbp": (N_("Border Patrol (between ports)"), {"component": "USBP"}),
    "usbp-title-8": (N_("Border Patrol, Title 8 apprehensions"), {"component": "USBP", "title_of_authority": "Title 8"}),
    "ofo": (N_("Field Operations (at ports)"), {"component": "OFO"}),
}
# Words of the overview's sentence (`no_data_text`, `describe_selection`).
TEXT = {
    "no_data": N_("no data for {months}"),
    "last_of_list": N_("{rest} and {last}"),
    "all_citizenships": N_("all citizenships"),
    "citizens_of": N_("citizens of {names}"),
    "both_components": N_("Border Patrol and Field Operations"),
    "other_countries": N_("other countries (CBP's 'OTHER')"),
    "own_file": N_("Source: {file} (a file supplied for this run, checked against the schema of sw-encounters)."),
}


def measure_label(key: str) -> str:
    """A measure's label in the edition's language: 'Border Patrol (between ports)'."""
    return _(MEASURES[key][0])


def component_name(component: str) -> str:
    """'USBP' / 'OFO' as readers know them: 'Border Patrol' / 'Patrulla Fronteriza'."""
    return _(COMPONENT_NAMES[component])

CHNV_COUNTRIES = ("cuba", "haiti", "nicaragua", "venezuela")
# OHSS breaks out Cuba, Haiti and Venezuela in the CBP One table; Nicaragua is inside "other".
CBP_ONE_CHNV = ("cuba", "haiti", "venezuela")


# --- Series -----------------------------------------------------------------------------


def _months(frame: pd.DataFrame) -> pd.DatetimeIndex:
    return pd.date_range(frame["month"].min(), frame["month"].max(), freq="MS", name="month")


def monthly(encounters: pd.DataFrame, **filters) -> pd.Series:
    """Encounters per month for the rows matching `filters` (column=value or column=[values]).

    Every series covers the months from the table's first to its last. A month with rows but none
    matching counts 0 (CBP lists no row for a count of zero); a month with no rows at all is
    missing (<NA>), not 0: a reader's file with a gap has no data for that month, and a 0 there
    would be read as a record low.
    """
    mask = pd.Series(True, index=encounters.index)
    for column, value in filters.items():
        values = [value] if isinstance(value, str) else list(value)
        mask &= encounters[column].isin(values)
    series = encounters.loc[mask].groupby("month")["encounter_count"].sum()
    series = series.reindex(_months(encounters), fill_value=0).astype("Int64")
    series[~series.index.isin(encounters["month"].unique())] = pd.NA
    return series


def missing_months(encounters: pd.DataFrame, start: pd.Timestamp, end: pd.Timestamp) -> list[pd.Timestamp]:
    """The months start..end in which the table has no row at all."""
    present = set(encounters["month"].unique())
    return [m for m in pd.date_range(start, end, freq="MS") if m not in present]


def no_data_text(months: Iterable[pd.Timestamp], iso: bool = False) -> str:
    """'no data for March 2021' (or '… and April 2021'), '' when nothing is missing: the words a
    chapter writes instead of a 0 for months a file does not have (months as 2021-03 if ISO)."""
    names = [f"{m:%Y-%m}" if iso else i18n.month(m) for m in months]
    if not names:
        return ""
    return _(TEXT["no_data"]).format(months=_join_words(names))


def _join_words(names: list[str]) -> str:
    """'a', 'a and b', 'a, b and c' in the edition's language."""
    if len(names) == 1:
        return names[0]
    return _(TEXT["last_of_list"]).format(rest=", ".join(names[:-1]), last=names[-1])


def _require_months(series: pd.Series, months, what: str) -> None:
    """DataError 'no data for <month>' for the first of `months` that is missing from `series`."""
    for month in months:
        if month not in series.index or pd.isna(series.loc[month]):
            raise DataError("sw-encounters", f"{no_data_text([month], iso=True)}, which {what} needs")


def measure_series(encounters: pd.DataFrame) -> pd.DataFrame:
    """One column per measure in MEASURES, one row per month."""
    return pd.DataFrame({key: monthly(encounters, **filters) for key, (_label, filters) in MEASURES.items()})


def percent_change(before: float, after: float) -> float:
    """(after - before) / before, in percent."""
    if before == 0:
        raise ValueError("percent change from zero is undefined")
    return float((after - before) / before * 100.0)


# --- The 50 % check -------------------------------------------------------------------------


def may_june_change(encounters: pd.DataFrame, before: pd.Timestamp = MAY_2023, after: pd.Timestamp = JUNE_2023) -> pd.DataFrame:
    """Change from `before` to `after` (May -> June 2023) for each measure.

    Columns: label, may, june, change (encounters), change_pct (percent; a fall is negative).
    Index: the measure ids of MEASURES.
    """
    series = measure_series(encounters)
    _require_months(series["sw-total"], (before, after), "the May-June check")
    rows = {}
    for key, (label, _filters) in MEASURES.items():
        may, june = int(series.at[before, key]), int(series.at[after, key])
        rows[key] = {"label": _(label), "may": may, "june": june, "change": june - may, "change_pct": percent_change(may, june)}
    return pd.DataFrame.from_dict(rows, orient="index")


def title_mix(encounters: pd.DataFrame, month: pd.Timestamp = MAY_2023) -> pd.DataFrame:
    """Encounters in one month by component and title of authority (May 2023 straddles Title 42's end)."""
    rows = encounters[encounters["month"] == month]
    return rows.groupby(["component", "title_of_authority"])["encounter_count"].sum().unstack(fill_value=0)


def daily_rate(total: float, first: str, last: str) -> float:
    """Average per day over the calendar days first..last (inclusive)."""
    days = (pd.Timestamp(last) - pd.Timestamp(first)).days + 1
    return float(total / days)


# --- "Lowest since" ---------------------------------------------------------------------------


def last_lower_month(series: pd.Series, month: pd.Timestamp) -> pd.Timestamp | None:
    """The last month before `month` whose value is lower than the value in `month` (None if none)."""
    month = pd.Timestamp(month)
    value = series.loc[month]
    earlier = series.loc[series.index < month]
    lower = earlier[earlier < value]
    return None if lower.empty else lower.index.max()


def lowest_since(encounters: pd.DataFrame, month: pd.Timestamp = JUNE_2023) -> pd.DataFrame:
    """For each measure: the value in `month`, the last earlier lower month and its value, and
    whether `month` was the highest of the series so far (then it was no low at all)."""
    series = measure_series(encounters)
    # Every month up to `month` is needed: a missing one might have been the lower month.
    _require_months(series["sw-total"], series.index[series.index <= month].append(pd.DatetimeIndex([month])),
                    f"the lowest-since check for {month:%B %Y}")
    rows = {}
    for key, (label, _filters) in MEASURES.items():
        column = series[key]
        lower = last_lower_month(column, month)
        rows[key] = {
            "label": _(label),
            "value": int(column.loc[month]),
            "last_lower_month": lower,
            "last_lower_value": None if lower is None else int(column.loc[lower]),
            "months_between": None if lower is None else _months_between(lower, month),
            "highest_to_date": bool(column.loc[month] >= column.loc[:month].max()),
        }
    return pd.DataFrame.from_dict(rows, orient="index")


def _months_between(first: pd.Timestamp, last: pd.Timestamp) -> int:
    return (last.year - first.year) * 12 + last.month - first.month


# --- Mexican nationals ---------------------------------------------------------------------------

TREND_RULE = N_(
    "a trend is 'down' when both the 12 months to the end month and the last 3 months to the end "
    "month total fewer encounters than the 12 and 3 months just before them; 'up' when both total "
    "more; otherwise 'mixed'"
)


def mexican_trend(encounters: pd.DataFrame, end: str = "2023-06", citizenship: str = "MEXICO") -> dict:
    """Trend of encounters of one citizenship up to `end` (June 2023, the last month published
    before the article), by the rule in TREND_RULE. All Southwest border encounters, both components.

    Returns the totals compared, their percent changes, the number of consecutive monthly falls
    ending in `end`, and `direction` ('down', 'up' or 'mixed').
    """
    series = monthly(encounters, citizenship=citizenship)
    end_ts = pd.Timestamp(end + "-01")
    if end_ts not in series.index or end_ts - pd.DateOffset(months=23) < series.index.min():
        raise DataError("sw-encounters", f"needs the 24 months to {end} for the trend of {citizenship}")
    _require_months(series, pd.date_range(end_ts - pd.DateOffset(months=23), end_ts, freq="MS"),
                    f"the trend of {citizenship}")

    def total(months_back_start: int, months_back_end: int) -> int:
        first = end_ts - pd.DateOffset(months=months_back_start)
        last = end_ts - pd.DateOffset(months=months_back_end)
        return int(series.loc[first:last].sum())

    last_12, previous_12 = total(11, 0), total(23, 12)
    last_3, previous_3 = total(2, 0), total(5, 3)
    change_12, change_3 = percent_change(previous_12, last_12), percent_change(previous_3, last_3)
    falls = 0
    upto = series.loc[:end_ts]
    while falls + 1 < len(upto) and upto.iloc[-1 - falls] < upto.iloc[-2 - falls]:
        falls += 1
    if change_12 < 0 and change_3 < 0:
        direction = "down"
    elif change_12 > 0 and change_3 > 0:
        direction = "up"
    else:
        direction = "mixed"
    return {
        "citizenship": citizenship,
        "end": end_ts,
        "last_12": last_12,
        "previous_12": previous_12,
        "change_12_pct": change_12,
        "last_3": last_3,
        "previous_3": previous_3,
        "change_3_pct": change_3,
        "consecutive_falls": falls,
        "direction": direction,
        "rule": _(TREND_RULE),
    }


# --- By nationality ----------------------------------------------------------------------------

REST_LISTED = "All other listed"  # composition's row for the listed citizenships outside the top
BEFORE_WINDOW = ("2023-01", "2023-04")  # the last four full months under Title 42
AFTER_WINDOW = ("2023-06", "2023-09")  # the first four full months under Title 8 only


def composition(encounters: pd.DataFrame, before=BEFORE_WINDOW, after=AFTER_WINDOW, top: int = 8) -> pd.DataFrame:
    """Encounters and shares by citizenship in two windows of months (May 2023 is in neither).

    Rows: the citizenships among the `top` largest in either window (CBP's 'OTHER' group is kept
    apart and listed last), then 'All other listed' for the rest. Columns: before, after (encounters),
    before_share, after_share (percent), share_change (percentage points).
    """
    def window(bounds):
        first, last = (pd.Timestamp(b + "-01") for b in bounds)
        rows = encounters[encounters["month"].between(first, last)]
        return rows.groupby("citizenship")["encounter_count"].sum()

    before_counts, after_counts = window(before), window(after)
    table = pd.DataFrame({"before": before_counts, "after": after_counts}).fillna(0).astype("int64")
    named = table.drop(index="OTHER", errors="ignore")
    keep = set(named["before"].nlargest(top).index) | set(named["after"].nlargest(top).index)
    kept = named.loc[sorted(keep, key=lambda c: -named.at[c, "after"])]
    rest = named.drop(index=list(keep)).sum().rename(REST_LISTED)
    parts = [kept, rest.to_frame().T]
    if "OTHER" in table.index:
        parts.append(table.loc[["OTHER"]])
    result = pd.concat(parts)
    result["before_share"] = result["before"] / table["before"].sum() * 100
    result["after_share"] = result["after"] / table["after"].sum() * 100
    result["share_change"] = result["after_share"] - result["before_share"]
    result.index.name = "citizenship"
    return result


# --- CHNV parole and CBP One ----------------------------------------------------------------------


def pathway_cumulative(chnv: pd.DataFrame, cbp_one: pd.DataFrame) -> pd.DataFrame:
    """Cumulative sums by month-end of the OHSS CHNV and CBP One tables (rounded to 10 each cell).

    Columns:
    - paroles: CHNV paroles (people paroled in, by parole date), all four countries, from Oct 2022;
    - cbp_one_chv: CBP One appointments of Cubans, Haitians and Venezuelans (Nicaraguans are not
      broken out);
    - cbp_one_other: CBP One appointments in OHSS's 'other' group (includes Nicaraguans and others);
    - cbp_one_all: CBP One appointments, all nationalities;
    - chnv_low = paroles + cbp_one_chv (a lower bound for CHNV nationals through the two routes);
    - chnv_high = chnv_low + cbp_one_other (an upper bound: all of 'other' counted as Nicaraguans);
    - paroles_plus_all = paroles + cbp_one_all (adds Mexicans, Russians and others: not CHNV);
    - travel_authorizations, confirmed_beneficiaries: approvals, not entries (for comparison).
    """
    def measure(name):
        rows = chnv[chnv["measure"] == name].set_index("month").sort_index()
        return rows["total"].astype("int64")

    one = cbp_one.set_index("month").sort_index()
    monthly_frame = pd.DataFrame(
        {
            "paroles": measure("paroles"),
            "cbp_one_chv": one[list(CBP_ONE_CHNV)].fillna(0).sum(axis=1).astype("int64"),
            "cbp_one_other": one["other"].fillna(0).astype("int64"),
            "cbp_one_all": one["total"].fillna(0).astype("int64"),
            "travel_authorizations": measure("advance_travel_authorizations"),
            "confirmed_beneficiaries": measure("confirmed_beneficiaries"),
        }
    ).fillna(0).astype("int64")
    cumulative = monthly_frame.cumsum()
    cumulative["chnv_low"] = cumulative["paroles"] + cumulative["cbp_one_chv"]
    cumulative["chnv_high"] = cumulative["chnv_low"] + cumulative["cbp_one_other"]
    cumulative["paroles_plus_all"] = cumulative["paroles"] + cumulative["cbp_one_all"]
    cumulative.index.name = "month"
    return cumulative


def parole_countries(chnv: pd.DataFrame, last: pd.Timestamp | None = None) -> pd.Series:
    """CHNV paroles by country, summed from the start up to month `last` (all months if None)."""
    rows = chnv[chnv["measure"] == "paroles"]
    if last is not None:
        rows = rows[rows["month"] <= last]
    return rows[list(CHNV_COUNTRIES)].fillna(0).sum().astype("int64")


def reconcile_total(cumulative: pd.DataFrame, target: float, months: Iterable[str] = ("2023-05", "2023-06", "2023-07"), columns: Iterable[str] = ("paroles", "cbp_one_chv", "chnv_low", "chnv_high", "paroles_plus_all")) -> pd.DataFrame:
    """Each cumulative sum at the end of the given months, and the first month-end it exceeds `target`.

    Index: the sums (column names of `pathway_cumulative`); columns: one per month ('YYYY-MM'),
    plus first_above (the first month whose cumulative sum exceeds the target, or None).
    """
    months = list(months)
    columns = list(columns)
    table = pd.DataFrame(index=columns)
    for month in months:
        table[month] = [int(cumulative.at[pd.Timestamp(month + "-01"), c]) for c in columns]
    firsts = []
    for column in columns:
        above = cumulative.index[cumulative[column] > target]
        firsts.append(above.min() if len(above) else None)
    table["first_above"] = firsts
    return table


def on_day(cumulative: pd.DataFrame, column: str, day: pd.Timestamp) -> int:
    """A cumulative monthly sum carried to the end of the day before `day`, assuming the month's
    entries were spread evenly over its days (monthly tables cannot say more)."""
    month = day.to_period("M").to_timestamp()
    previous = month - pd.DateOffset(months=1)
    share = (day.day - 1) / day.days_in_month
    before, after = cumulative.at[previous, column], cumulative.at[month, column]
    return int(round(before + (after - before) * share))


# --- Long run ----------------------------------------------------------------------------------


def long_run_spliced(long_run: pd.DataFrame) -> pd.DataFrame:
    """One CBP series of Border Patrol Southwest border encounters: the legacy CBP table up to its
    last month, then CBP's Nationwide Encounters files. Columns: month, encounters, series."""
    legacy = long_run[long_run["series"] == "cbp-legacy"]
    nationwide = long_run[long_run["series"] == "cbp-nationwide"]
    later = nationwide[nationwide["month"] > legacy["month"].max()]
    return pd.concat([legacy, later], ignore_index=True)[["month", "encounters", "series"]].sort_values("month").reset_index(drop=True)


def handover(long_run: pd.DataFrame) -> dict:
    """Where the legacy series hands over to the Nationwide Encounters series, and how far the two
    (and the OHSS series) agree where they overlap."""
    wide = long_run.pivot(index="month", columns="series", values="encounters")
    both = wide[["cbp-legacy", "cbp-nationwide"]].dropna()
    spliced = long_run_spliced(long_run).set_index("month")["encounters"]
    ohss = wide["ohss-khsm"].dropna()
    common = ohss.index.intersection(spliced.index)
    gap = (ohss.loc[common] - spliced.loc[common]).abs()
    fiscal = pd.Series(fiscal_year(common), index=common)
    legacy_last = wide["cbp-legacy"].dropna().index.max()
    return {
        "first_month": spliced.index.min(),
        "last_month": spliced.index.max(),
        "legacy_last_month": legacy_last,
        "handover_month": legacy_last + pd.DateOffset(months=1),
        "overlap_first": both.index.min(),
        "overlap_last": both.index.max(),
        "overlap_months": len(both),
        "overlap_max_difference": int((both["cbp-legacy"] - both["cbp-nationwide"]).abs().max()),
        "ohss_last_month": ohss.index.max(),
        "ohss_max_difference": int(gap.max()),
        "ohss_max_difference_month": gap.idxmax(),
        "ohss_max_difference_from_fy2010": int(gap[fiscal >= 2010].max()),
    }


def long_run_rank(long_run: pd.DataFrame, month: pd.Timestamp = JUNE_2023) -> dict:
    """How `month` compares with every month of the spliced CBP series since October 1999."""
    spliced = long_run_spliced(long_run).set_index("month")["encounters"]
    value = spliced.loc[month]
    higher = spliced[spliced > value]
    fiscal = fiscal_year(higher.index)
    return {
        "value": int(value),
        "months": len(spliced),
        "months_higher": len(higher),
        "months_higher_before_fy2021": int((fiscal < 2021).sum()),
        "months_higher_from_fy2021": int((fiscal >= 2021).sum()),
        "share_higher_pct": len(higher) / len(spliced) * 100,
        "last_higher_before_fy2021": None if (fiscal < 2021).sum() == 0 else higher.index[fiscal < 2021].max(),
    }


# --- Releases -----------------------------------------------------------------------------------


def release_totals(encounters: pd.DataFrame, months=(MAY_2023, JUNE_2023)) -> pd.DataFrame:
    """Border Patrol and all Southwest border encounters for the given months in one release.
    Works on `sw-encounters` and on `sw-encounters-aug-2025-release` (same columns)."""
    rows = encounters[encounters["month"].isin(list(months))]
    usbp = rows[rows["component"] == "USBP"].groupby("month")["encounter_count"].sum()
    total = rows.groupby("month")["encounter_count"].sum()
    return pd.DataFrame({"usbp": usbp, "sw_total": total}).reindex(list(months)).astype("int64")


def cited(figures: pd.DataFrame, figure_id: str) -> float:
    """The value of one row of the curated table `flow-cited-figures`."""
    match = figures.loc[figures["figure_id"] == figure_id, "value"]
    if match.empty:
        raise DataError("flow-cited-figures", f"has no row with figure_id {figure_id!r}")
    return float(match.iloc[0])
