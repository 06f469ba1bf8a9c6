"""What the chapter hands the claim register: its measurements, with the register's sentences."""

from __future__ import annotations


import pandas as pd

from migration_report.core.i18n import N_, _
from migration_report.core import i18n
from migration_report.core.data import release_titles
from migration_report.core.measurement import Measurement
from migration_report.chapters.flow_statistics.series import (on_day, PRESS_CONFERENCE, TREND_RULE, cited, daily_rate,
    lowest_since, may_june_change, mexican_trend, pathway_cumulative, percent_change)
from migration_report.chapters.flow_statistics.readings import (_require, mexicans_against_others)


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
