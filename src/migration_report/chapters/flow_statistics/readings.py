"""What the chapter states, and the readings its prose depends on: each check stops the run
(ReadingError) when the data no longer support a sentence the chapter writes."""

from __future__ import annotations


import pandas as pd

from migration_report.chapters.flow_statistics.series import (on_day, COMPONENTS, JUNE_2023, MAY_2023, PRESS_CONFERENCE,
    REST_LISTED, _require_months, cited, daily_rate, measure_series, mexican_trend, monthly, percent_change,
    title_mix)


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
