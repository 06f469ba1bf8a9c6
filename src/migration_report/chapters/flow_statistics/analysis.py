"""Analysis for the chapter "flow-statistics", also read by the claim register.

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
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from migration_report.core import params
from migration_report.core import data
from migration_report.core.i18n import N_, _
from migration_report.core import i18n
from migration_report.core.data import fiscal_year, release_titles
from migration_report.core.measurement import Measurement
from migration_report.core.params import ParameterError
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


# --- The chapter's overview (governed by its parameters) ----------------------------------------


@dataclass(frozen=True, eq=False)
class FlowParams(params.Params):
    """The chapter's parameters, checked, with the encounters table they select from.
    `checked["encounters"]` and the other fields by name still work for the notebook."""

    encounters: pd.DataFrame
    encounters_csv: str | None  # the reader's file, or None for the shipped table
    window_start: pd.Timestamp
    window_end: pd.Timestamp
    all_citizenships: list[str]
    citizenships: list[str]
    component: str
    output_dir: Path


def check_parameters(start, end, citizenships, component, encounters_csv, output_dir, load=None, load_file=None) -> FlowParams:
    """The chapter's papermill parameters, checked. `load` and `load_file` default to the data module's."""
    encounters = read_encounters(encounters_csv, load or data.load, load_file or data.load_file)
    first, last = encounters["month"].min(), encounters["month"].max()
    window_start, window_end = params.window(start, end, first=first, last=last)
    all_citizenships = sorted(encounters["citizenship"].unique())
    return FlowParams(
        encounters=encounters,
        encounters_csv=encounters_csv,
        window_start=window_start,
        window_end=window_end,
        all_citizenships=all_citizenships,
        citizenships=params.subset("citizenships", citizenships, all_citizenships),
        component=params.choice("component", component, ["all", "USBP", "OFO"]),
        output_dir=params.output_dir(output_dir),
    )


def overview_source_line(checked: FlowParams) -> str:
    """The 'Source: …' line of the overview figure: CBP's release for the shipped table, the reader's
    own file when `encounters_csv` names one (the figure shows that file's numbers, not CBP's release)."""
    if checked.encounters_csv is None:
        return data.source_line("sw-encounters")
    return _(TEXT["own_file"]).format(file=Path(checked.encounters_csv).name)


def read_encounters(encounters_csv, load, load_file) -> pd.DataFrame:
    """The shipped `sw-encounters` table, or a reader's file checked against its schema.

    A file that cannot be used raises ParameterError naming `encounters_csv`, with the data
    module's message (file, row, column, what was expected).
    """
    if encounters_csv is None:
        return load("sw-encounters")
    if not isinstance(encounters_csv, str) or not encounters_csv.strip():
        raise ParameterError("encounters_csv", encounters_csv, "None or the path of a CSV file with the schema of 'sw-encounters'")
    try:
        frame = load_file(encounters_csv, like="sw-encounters")
    except DataError as err:
        raise ParameterError("encounters_csv", encounters_csv, f"a CSV file with the schema of 'sw-encounters' ({err})") from err
    if frame.empty:
        raise ParameterError("encounters_csv", encounters_csv, "a CSV file with at least one row of data")
    return frame


def select(encounters: pd.DataFrame, start: pd.Timestamp, end: pd.Timestamp, citizenships: list[str], component: str) -> pd.DataFrame:
    """The rows of the overview: months start..end, the chosen citizenships and component ('all' = both)."""
    mask = encounters["month"].between(start, end) & encounters["citizenship"].isin(citizenships)
    if component != "all":
        mask &= encounters["component"] == component
    rows = encounters.loc[mask]
    # Which months the whole table has, so that by_component_title can tell "no row selected"
    # (0) from "no data" (missing) without the notebook passing the table again.
    rows.attrs["months_with_data"] = tuple(sorted(encounters["month"].unique()))
    return rows


def by_component_title(rows: pd.DataFrame, start: pd.Timestamp, end: pd.Timestamp, months_with_data=None) -> pd.DataFrame:
    """Monthly encounters start..end with one column per component x title (e.g. 'USBP Title 8').

    A month with data but no selected row is 0; a month absent from the table (`months_with_data`,
    by default recorded by `select`) is missing (NaN, so the column is float64), never 0.
    """
    months = pd.date_range(start, end, freq="MS", name="month")
    keys = [f"{c} {t}" for c in COMPONENTS for t in ("Title 8", "Title 42")]
    if months_with_data is None:
        months_with_data = rows.attrs.get("months_with_data", months)
    if rows.empty:
        wide = pd.DataFrame(0, index=months, columns=keys)
    else:
        table = rows.assign(key=rows["component"] + " " + rows["title_of_authority"])
        wide = table.pivot_table(index="month", columns="key", values="encounter_count", aggfunc="sum", fill_value=0)
        wide = wide.reindex(index=months, columns=keys, fill_value=0).astype("int64")
    absent = ~months.isin(pd.DatetimeIndex(months_with_data))
    if absent.any():
        wide = wide.astype("float64")
        wide.loc[absent] = float("nan")
    return wide


def describe_selection(citizenships: list[str], all_citizenships: list[str], component: str) -> str:
    """Words for the overview's selection, e.g. 'Border Patrol encounters of MEXICO citizens'."""
    if sorted(citizenships) == sorted(all_citizenships):
        who = _(TEXT["all_citizenships"])
    else:
        who = _(TEXT["citizens_of"]).format(names=_join_words(
            [i18n.country_name(n) if n != "OTHER" else _(TEXT["other_countries"]) for n in citizenships]))
    what = _(TEXT["both_components"]) if component == "all" else component_name(component)
    return f"{what}, {who}"


# --- What the chapter states, and the readings its prose depends on ------------------------------
#
# The chapter glues these numbers into its sentences. The check_* functions guard the sentences
# that describe the data in words ("the largest fall", "rose again"): if a new release changed
# the reading, the build stops instead of printing a false sentence.


class ReadingError(AssertionError):
    """The data no longer bear out a sentence of the chapter; its text must be rewritten."""


def _require(condition, reading: str) -> None:
    if not condition:
        raise ReadingError(f"the chapter says {reading}, and the data no longer show it: rewrite that text")


def cited_number(figures: pd.DataFrame, figure_id: str) -> int | float:
    """`cited`, as an int when the figure is whole, so a glued count prints without '.0'."""
    number = cited(figures, figure_id)
    return int(number) if number.is_integer() else number


def claimed_number(claims: pd.DataFrame, claim_id: str) -> float:
    """The article's figure for one claim (`article-claims` indexed by claim_id)."""
    return float(claims.at[claim_id, "claimed_value"])


def claimed_month(claims: pd.DataFrame, claim_id: str) -> pd.Timestamp:
    """The article's month for one claim (`article-claims` indexed by claim_id), as its first day."""
    return pd.Timestamp(str(claims.at[claim_id, "claimed_when"]) + "-01")


def window_total(rows: pd.DataFrame) -> int:
    """All encounters in the rows of the overview (`select`)."""
    return int(rows["encounter_count"].sum())


def window_totals(rows: pd.DataFrame) -> pd.DataFrame:
    """Encounters in the rows of the overview by component (rows, in COMPONENTS order, only those
    selected) and title of authority (columns Title 8 and Title 42, 0 where none)."""
    totals = rows.groupby(["component", "title_of_authority"])["encounter_count"].sum().unstack(fill_value=0)
    return totals.reindex(index=[c for c in COMPONENTS if c in totals.index], columns=["Title 8", "Title 42"], fill_value=0)


def closest_to_claim(changes: pd.DataFrame, claimed_pct: float) -> tuple[str, float]:
    """The measure of `may_june_change` whose change is nearest the claimed one, and how many
    percentage points away it is."""
    gaps = (changes["change_pct"] - claimed_pct).abs()
    closest = gaps.idxmin()
    return closest, float(gaps[closest])


def check_may_june_readings(changes: pd.DataFrame, claimed_pct: float, tolerance: float) -> None:
    """The chapter's words on the May -> June changes (`may_june_change`): no measure within
    `tolerance` points of the claim, the total down by less than a third, Border Patrol's the largest
    fall, and Border Patrol's Title 8 apprehensions down by less than all its encounters."""
    pct = changes["change_pct"]
    _require(((pct - claimed_pct).abs() > tolerance).all(), "that no measure changed by the claimed percentage")
    _require(pct["sw-total"] > -100 / 3, "that all Southwest border encounters fell by less than a third")
    _require(pct.idxmin() == "usbp", "that Border Patrol encounters had the largest fall")
    _require(abs(pct["usbp-title-8"]) < abs(pct["usbp"]),
             "that Border Patrol Title 8 apprehensions fell by less than all Border Patrol encounters")


def check_lowest_readings(lowest: pd.DataFrame, claimed_since: pd.Timestamp) -> None:
    """The chapter's words on `lowest_since`: the claimed month is the last lower month for all
    encounters and for Border Patrol; Title 8 apprehensions were lower more recently; Field
    Operations were at a record."""
    last = lowest["last_lower_month"]
    _require(last["sw-total"] == claimed_since == last["usbp"],
             f"that {claimed_since:%B %Y} was the last lower month for all encounters and for Border Patrol")
    _require(last["usbp-title-8"] > claimed_since, "that Border Patrol Title 8 apprehensions had been lower more recently")
    _require(bool(lowest.at["ofo", "highest_to_date"]), "that Field Operations encounters were at a record")


def check_rose_in_july(encounters: pd.DataFrame, month: pd.Timestamp = JUNE_2023) -> None:
    """The chapter says the Border Patrol count rose again in the month after `month`."""
    usbp = measure_series(encounters)["usbp"]
    _require(usbp[month + pd.DateOffset(months=1)] > usbp[month], "that the Border Patrol count rose again in July 2023")


def title_42_share(encounters: pd.DataFrame, month: pd.Timestamp = MAY_2023) -> dict:
    """Title 42 expulsions in `month` (all Southwest border encounters): `title_42` and
    `share_pct` of the month's encounters."""
    mix = title_mix(encounters, month)
    title_42 = int(mix["Title 42"].sum())
    return {"title_42": title_42, "share_pct": title_42 / int(mix.to_numpy().sum()) * 100}


def may_daily_rates(figures: pd.DataFrame) -> dict:
    """Border Patrol encounters per day before and after Title 42 ended in May 2023 and in June,
    from CBP's first releases (`flow-cited-figures`).

    Keys: before, after, june (the counts), rate_before, rate_after, rate_june (per day),
    change_in_may_pct (1-11 May -> 12-31 May) and change_may_june_pct (12-31 May -> June).
    """
    counts = {"before": cited_number(figures, "usbp-2023-05-01-11"), "after": cited_number(figures, "usbp-2023-05-12-31"),
              "june": cited_number(figures, "usbp-2023-06-first-release")}
    rates = {"rate_before": daily_rate(counts["before"], "2023-05-01", "2023-05-11"),
             "rate_after": daily_rate(counts["after"], "2023-05-12", "2023-05-31"),
             "rate_june": daily_rate(counts["june"], "2023-06-01", "2023-06-30")}
    return {**counts, **rates,
            "change_in_may_pct": percent_change(rates["rate_before"], rates["rate_after"]),
            "change_may_june_pct": percent_change(rates["rate_after"], rates["rate_june"])}


def check_drop_inside_may(rates: dict) -> None:
    """The chapter says most of the fall happened inside May (`may_daily_rates`)."""
    _require(rates["change_in_may_pct"] < rates["change_may_june_pct"] <= 0,
             "that the daily rate fell more inside May than from late May to June")


# The cited figures of CBP's first releases for May and June 2023, by column of `release_totals`.
FIRST_RELEASE = {"usbp": ("usbp-2023-05-first-release", "usbp-2023-06-first-release"),
                 "sw_total": ("sw-total-2023-05-first-release", "sw-total-2023-06-first-release")}
# The May -> June changes CBP stated with its first release of June, by the same columns.
STATED_CHANGE = {"usbp": "usbp-change-2023-05-06-first-release", "sw_total": "sw-total-change-2023-05-06-first-release"}


def first_release_totals(figures: pd.DataFrame, months=(MAY_2023, JUNE_2023)) -> pd.DataFrame:
    """May and June 2023 as CBP first released them, in the shape of `release_totals`."""
    return pd.DataFrame({column: [cited_number(figures, f) for f in ids] for column, ids in FIRST_RELEASE.items()},
                        index=pd.DatetimeIndex(list(months), name="month"))


def release_changes(totals: pd.DataFrame) -> dict[str, float]:
    """The change in percent from the first row (May) to the second (June) of a release's totals."""
    may, june = totals.iloc[0], totals.iloc[1]
    return {column: percent_change(may[column], june[column]) for column in FIRST_RELEASE}


def stated_changes(figures: pd.DataFrame) -> dict[str, int | float]:
    """The May -> June changes in percent that CBP stated with its first release of June 2023."""
    return {column: cited_number(figures, figure_id) for column, figure_id in STATED_CHANGE.items()}


def june_revisions(first: pd.DataFrame, later: pd.DataFrame) -> dict[str, int]:
    """How many encounters fewer a later release gives June (second row) than the first release."""
    return {column: int(first.iloc[1][column]) - int(later.iloc[1][column]) for column in FIRST_RELEASE}


def same_figures(one: pd.DataFrame, other: pd.DataFrame) -> bool:
    """Whether two releases' totals (`release_totals`) agree in every cell."""
    return bool((one == other).all().all())


def check_release_readings(first: pd.DataFrame, later: pd.DataFrame, stated: dict) -> None:
    """The chapter's words on the releases: the later files give June fewer encounters than the
    first release, and CBP's stated percentages are the later files' rounded, not the first release's."""
    _require(all(int(later.iloc[1][c]) < first.iloc[1][c] for c in FIRST_RELEASE),
             "that the later files give June 2023 fewer encounters than the first release")
    rounded = {name: [round(p) for p in release_changes(totals).values()] for name, totals in (("later", later), ("first", first))}
    _require(rounded["later"] == list(stated.values()) != rounded["first"],
             "that CBP's stated percentages match the later May figures and not May's first release")


def mexican_by_component(encounters: pd.DataFrame, citizenship: str = "MEXICO") -> pd.DataFrame:
    """Monthly encounters of one citizenship, one column per component (COMPONENTS)."""
    return pd.DataFrame({c: monthly(encounters, citizenship=citizenship, component=c) for c in COMPONENTS})


def mexican_details(encounters: pd.DataFrame, cbp_one: pd.DataFrame, trend: dict) -> dict:
    """What the chapter says about Mexican citizens around the end month of `trend` (`mexican_trend`).

    Keys: peak and peak_month (the highest month of the end month's year up to it), end (the end
    month's encounters), from_month (two months before the end, the start of the last 3), ofo_from
    and ofo_end (Field Operations encounters then and in the end month), cbp_one_from and cbp_one_end
    (CBP One appointments of Mexicans, the same months), rebound and rebound_month (the highest
    month after the end month, to the end of its year).
    """
    end = trend["end"]
    by_component = mexican_by_component(encounters, trend["citizenship"])
    total = by_component.sum(axis=1)
    peak_month = total.loc[pd.Timestamp(end.year, 1, 1):end].idxmax()
    from_month = end - pd.DateOffset(months=2)
    appointments = cbp_one.set_index("month")["mexico"]
    rebound_month = total.loc[end + pd.offsets.MonthBegin(1):pd.Timestamp(end.year, 12, 1)].idxmax()
    return {
        "peak": int(total.loc[peak_month]), "peak_month": peak_month, "end": int(total.loc[end]),
        "from_month": from_month,
        "ofo_from": int(by_component.at[from_month, "OFO"]), "ofo_end": int(by_component.at[end, "OFO"]),
        "cbp_one_from": int(appointments.loc[from_month]), "cbp_one_end": int(appointments.loc[end]),
        "rebound": int(total.loc[rebound_month]), "rebound_month": rebound_month,
    }


def mexicans_against_others(encounters: pd.DataFrame, citizenship: str = "MEXICO", before: pd.Timestamp = MAY_2023,
                            after: pd.Timestamp = JUNE_2023) -> dict:
    """Encounters of one citizenship against all others together, from BEFORE to AFTER, and the
    month after AFTER (published later): the counts and their percent changes."""
    mine = monthly(encounters, citizenship=citizenship)
    total = monthly(encounters)
    following = after + pd.DateOffset(months=1)
    _require_months(mine, [before, after, following], f"the May–July 2023 encounters of {citizenship}")
    others = total - mine
    return {
        "before": int(mine[before]), "after": int(mine[after]), "following": int(mine[following]),
        "change_pct": percent_change(mine[before], mine[after]),
        "others_change_pct": percent_change(others[before], others[after]),
    }


def latest_trend(encounters: pd.DataFrame) -> dict:
    """`mexican_trend` to the last month of the table."""
    return mexican_trend(encounters, end=f"{encounters['month'].max():%Y-%m}")


def check_mexican_readings(details: dict, trend: dict) -> None:
    """The chapter's words on Mexican citizens (`mexican_details`): the monthly count fell from the
    year's peak in every month to the end month; Field Operations encounters and CBP One
    appointments rose over the last 3 months; the count rose again later in the year."""
    _require(details["peak_month"] == trend["end"] - pd.DateOffset(months=trend["consecutive_falls"]),
             "that the count fell in every month from the year's peak to June 2023")
    _require(details["cbp_one_end"] > details["cbp_one_from"], "that CBP One appointments of Mexicans rose from April to June")
    _require(details["ofo_end"] > details["ofo_from"], "that Field Operations encounters of Mexicans rose from April to June")
    _require(details["rebound"] > details["end"], "that the count of Mexicans rose again after June 2023")


NOT_ONE_CITIZENSHIP = (REST_LISTED, "OTHER")  # rows of `composition` that group several citizenships


def largest_citizenship(comp: pd.DataFrame, window: str = "after") -> str:
    """The citizenship with the most encounters in one window ('before' or 'after') of `composition`."""
    return comp[window].drop(index=list(NOT_ONE_CITIZENSHIP), errors="ignore").idxmax()


def check_nationality_readings(comp: pd.DataFrame, risers=("VENEZUELA", "GUATEMALA", "HONDURAS")) -> None:
    """The chapter's words on `composition`: Mexicans the largest group in both windows with a
    smaller share after, and the shares of `risers` up."""
    _require(largest_citizenship(comp, "before") == largest_citizenship(comp, "after") == "MEXICO",
             "that Mexican citizens were the largest group before and after Title 42")
    _require(comp.at["MEXICO", "share_change"] < 0, "that the share of Mexican citizens fell")
    _require((comp.loc[list(risers), "share_change"] > 0).all(), f"that the shares of {', '.join(risers)} rose")


def reach_figures(cumulative: pd.DataFrame, claimed: float, day: pd.Timestamp = PRESS_CONFERENCE) -> dict:
    """The cumulative sums of `pathway_cumulative` the chapter states, around `day` (26 July 2023).

    `_june` keys are at the end of the last full month before `day`, `_july` keys at the end of
    `day`'s month, `_day` keys carried to `day` by `on_day`. paroles_jan_june counts from January
    of June's year; gap_june is how far the upper bound was below `claimed`.
    """
    june = (day.to_period("M") - 1).to_timestamp()
    july = day.to_period("M").to_timestamp()
    at_june = cumulative.loc[june]
    return {
        "paroles_june": int(at_june["paroles"]),
        "paroles_jan_june": int(at_june["paroles"] - cumulative.at[pd.Timestamp(june.year - 1, 12, 1), "paroles"]),
        "cbp_one_june": int(at_june["cbp_one_all"]),
        "cbp_one_chv_june": int(at_june["cbp_one_chv"]),
        "chnv_low_june": int(at_june["chnv_low"]),
        "chnv_high_june": int(at_june["chnv_high"]),
        "gap_june": int(claimed - at_june["chnv_high"]),
        # how far short of the claim each bound was, in percent of the claim
        "low_short_june_pct": float(100 * (claimed - at_june["chnv_low"]) / claimed),
        "high_short_june_pct": float(100 * (claimed - at_june["chnv_high"]) / claimed),
        "chnv_low_july": int(cumulative.at[july, "chnv_low"]),
        "chnv_high_july": int(cumulative.at[july, "chnv_high"]),
        "chnv_low_day": on_day(cumulative, "chnv_low", day),
        "chnv_high_day": on_day(cumulative, "chnv_high", day),
        "paroles_plus_all_june": int(at_june["paroles_plus_all"]),
        "approvals_june": int(at_june["confirmed_beneficiaries"]),
        "authorizations_june": int(at_june["travel_authorizations"]),
    }


def check_reach_readings(cumulative: pd.DataFrame, claimed: float, day: pd.Timestamp = PRESS_CONFERENCE) -> None:
    """The chapter's words on the 272,000: at the end of June only (e), all nationalities, is above
    the figure; at the end of July it lies between (c) and (d)."""
    june, july = (day.to_period("M") - 1).to_timestamp(), day.to_period("M").to_timestamp()
    _require(cumulative.at[june, "chnv_high"] < claimed < cumulative.at[june, "paroles_plus_all"],
             "that by the end of June 2023 only the sum with all nationalities exceeded the figure")
    _require(cumulative.at[july, "chnv_low"] < claimed < cumulative.at[july, "chnv_high"],
             "that by the end of July 2023 the figure lay between the lower and upper bounds")


# --- For the claim register ---------------------------------------------------------------------


# The register's sentences (messages; numbers are written by i18n before they are put in).
CHECK_TEXT = {
    "change": N_("May to June 2023: {changes}."),
    "change_short": N_("{total} (all encounters), {usbp} (Border Patrol)"),
    "lowest_short": N_("{month} (all encounters)"),
    "trend_short": N_("{change_12} over 12 months"),
    "reach_short": N_("{low_june}–{high_june} by the end of June 2023"),
    "lowest": N_("Last month before June 2023 with fewer encounters: {months}."),
    "trend": N_("Encounters of Mexican citizens, the 12 months to June 2023 against the 12 before: {change_12}; "
                "the last 3 months against the 3 before: {change_3}. By the chapter's rule, {rule}."),
    "reach": N_("CHNV paroles plus CBP One appointments of Cubans, Haitians and Venezuelans, from October 2022: "
                "{low_june} by the end of June 2023, the last month that had ended before the statement "
                "({high_june} counting all of CBP One's 'other' group, which holds the Nicaraguans). Only a sum that "
                "counts the CBP One appointments of every nationality reaches the figure: {wider_june} by the end of "
                "June 2023."),
    "reach_context": N_("Later data, not known on the day: by the end of July 2023 the sums were "
                        "{low_july}–{high_july}; spread evenly over July, they would have been {low_day}–{high_day} "
                        "by {day}."),
    "mexicans_vs_others": N_("From May to June 2023, encounters of Mexican citizens fell by {mexicans}, those of all "
                             "other nationalities together by {others}: Mexicans' fell less, not more, than the "
                             "others'."),
    "mexicans_july": N_("Later data, not known on the day: in July 2023 encounters of Mexican citizens rose again, "
                        "from {june} to {july}."),
    "since_title_42": N_("Read as a change since Title 42 ended rather than between the two months, the fall is "
                         "larger: Border Patrol's daily average went from {before} on 1–11 May to {june} in "
                         "June 2023 ({change}), and DHS said unlawful entries had fallen by more than {dhs} since "
                         "11 May."),
    "none_in_data": N_("none in the data"),
}
CHECK_NAMES = {  # the measures as the register's sentences name them
    "sw-total": N_("all Southwest border encounters"),
    "usbp": N_("Border Patrol encounters"),
    "usbp-title-8": N_("Border Patrol Title 8 apprehensions"),
    "ofo": N_("Field Operations encounters"),
}
FLOW_SOURCES = ("cbp_nationwide_encounters",)
PATHWAY_SOURCES = ("ohss_monthly_tables",)


def _signed(value: float) -> str:
    """'−30.1 %': a signed percentage with a true minus sign, the number written by i18n."""
    return i18n.signed_percent(value)


def _month_name(stamp) -> str:
    return _(CHECK_TEXT["none_in_data"]) if stamp is None or pd.isna(stamp) else i18n.month(stamp)


def _check(key: str, **values) -> str:
    """CHECK_TEXT[key] in the edition's language, numbers written as the edition writes them."""
    shown = {k: i18n.number(v) if isinstance(v, int) else v for k, v in values.items()}
    return _(CHECK_TEXT[key]).format(**shown)


def on_day(cumulative: pd.DataFrame, column: str, day: pd.Timestamp) -> int:
    """A cumulative monthly sum carried to the end of the day before `day`, assuming the month's
    entries were spread evenly over its days (monthly tables cannot say more)."""
    month = day.to_period("M").to_timestamp()
    previous = month - pd.DateOffset(months=1)
    share = (day.day - 1) / day.days_in_month
    before, after = cumulative.at[previous, column], cumulative.at[month, column]
    return int(round(before + (after - before) * share))


def checks(tables: dict[str, pd.DataFrame]) -> dict:
    """The flow claims' measurements for the claim register, by claim id (no verdicts).

    Claimed values (the -50 %, the 272,000, February 2021) come from `article-claims`; the
    register applies its own rules to what is measured here.
    """
    claimed = tables["article-claims"].set_index("claim_id")
    encounters = tables["sw-encounters"]
    figures_cited = tables["flow-cited-figures"]
    names = i18n.translated(CHECK_NAMES)
    releases = release_titles("sw-encounters")

    changes = may_june_change(encounters)
    rate_before = daily_rate(cited(figures_cited, "usbp-2023-05-01-11"), "2023-05-01", "2023-05-11")
    rate_june = daily_rate(cited(figures_cited, "usbp-2023-06-first-release"), "2023-06-01", "2023-06-30")
    since_title_42 = _check(
        "since_title_42", before=i18n.number(rate_before, decimals=0), june=i18n.number(rate_june, decimals=0),
        change=_signed(percent_change(rate_before, rate_june)),
        dhs=i18n.number(abs(cited(figures_cited, "dhs-drop-since-2023-05-11")), decimals=0) + " %")
    drop = Measurement(
        rule="change",
        values={"claimed_pct": float(claimed.at["may-june-drop", "claimed_value"]),
                "change_pct": changes["change_pct"].to_dict(), "names": names},
        found=_check("change", changes="; ".join(
            f"{names[m]} {_signed(v)}" for m, v in changes["change_pct"].items())),
        found_in=releases, sources=FLOW_SOURCES, context=(since_title_42,),
        found_short=_check("change_short", total=_signed(changes.at["sw-total", "change_pct"]),
                           usbp=_signed(changes.at["usbp", "change_pct"])))

    lowest = lowest_since(encounters)
    since = Measurement(
        rule="lowest-since",
        values={"claimed_month": pd.Timestamp(str(claimed.at["lowest-since-feb-2021", "claimed_when"]) + "-01"),
                "last_lower": lowest["last_lower_month"].to_dict(), "names": names},
        found=_check("lowest", months="; ".join(
            f"{names[m]}, {_month_name(lowest.at[m, 'last_lower_month'])}" for m in lowest.index)),
        found_in=releases, sources=FLOW_SOURCES,
        found_short=_check("lowest_short", month=_month_name(lowest.at["sw-total", "last_lower_month"])))

    trend = mexican_trend(encounters)
    versus = mexicans_against_others(encounters)
    _require(versus["others_change_pct"] < versus["change_pct"] < 0,
             "that from May to June 2023 Mexicans' encounters fell, and fell less than the others'")
    _require(versus["following"] > versus["after"], "that Mexicans' encounters rose again in July 2023")
    mexicans = Measurement(
        rule="trend", values={"direction": trend["direction"]},
        context=(_check("mexicans_vs_others", mexicans=_signed(versus["change_pct"]).lstrip("\u2212"),
                        others=_signed(versus["others_change_pct"]).lstrip("\u2212")),
                 _check("mexicans_july", june=versus["after"], july=versus["following"])),
        found=_check("trend", change_12=_signed(trend["change_12_pct"]), change_3=_signed(trend["change_3_pct"]),
                     rule=_(TREND_RULE)),
        found_in=releases, sources=FLOW_SOURCES,
        found_short=_check("trend_short", change_12=_signed(trend["change_12_pct"])))

    reach = pathway_cumulative(tables["chnv-process"], tables["cbp-one-appointments"])
    day = PRESS_CONFERENCE
    last_full = (day.to_period("M") - 1).to_timestamp()
    day_text = i18n.date(day - pd.Timedelta(days=1))
    numbers = {
        "low_june": int(reach.at[last_full, "chnv_low"]), "high_june": int(reach.at[last_full, "chnv_high"]),
        "low_day": on_day(reach, "chnv_low", day), "high_day": on_day(reach, "chnv_high", day),
        "low_july": int(reach.at[day.to_period("M").to_timestamp(), "chnv_low"]),
        "high_july": int(reach.at[day.to_period("M").to_timestamp(), "chnv_high"]),
    }
    numbers["wider_june"] = int(reach.at[last_full, "paroles_plus_all"])  # CBP One appointments of every nationality
    total = Measurement(
        rule="count-by-date",
        values={"claimed": float(claimed.at["chnv-272000", "claimed_value"]), "low": numbers["low_june"],
                "high": numbers["high_june"], "wider": numbers["wider_june"], "month": i18n.month(last_full)},
        found=_check("reach", day=day_text, **numbers),
        found_in=release_titles("chnv-process", "cbp-one-appointments"), sources=PATHWAY_SOURCES,
        context=(_check("reach_context", day=day_text, **numbers),),
        found_short=_check("reach_short", day=day_text, **numbers))
    return {"may-june-drop": drop, "lowest-since-feb-2021": since, "mexican-trend": mexicans, "chnv-272000": total}

