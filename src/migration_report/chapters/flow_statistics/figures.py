"""The figures of the chapter "flow-statistics", as `charts.Figure`s (interactive in HTML, an
image in the PDF). Every word they show is in TEXT, translated into the edition's language by
`text`; the numbers come from `flows`, written by `migration_report.core.i18n`."""

from __future__ import annotations

import pandas as pd

from migration_report.core import charts, i18n, style
from migration_report.chapters.flow_statistics import analysis as flows
from migration_report.core.charts import Band, Rule
from migration_report.core.i18n import N_

P = style.PALETTE

# Legend entries stay within about 30 characters: a phone's column has room for no more beside the y axis.
TEXT = {
    "month": N_("Month"),
    "month_2023": N_("Month of 2023"),
    "end_of_month": N_("End of month"),
    "per_month": N_("Encounters per month"),
    "unit": N_("encounters"),
    "title_42": N_("Title 42 in force"),
    "title_42_end": N_("11 May, 11:59 p.m. ET"),
    "may_june": N_("May and June 2023"),
    "press_conference": N_("26 July 2023: press conference"),
    "last_before_article": N_("June 2023: last month before the article"),
    "component_title": {"USBP Title 8": N_("Border Patrol, Title 8"), "USBP Title 42": N_("Border Patrol, Title 42"),
                        "OFO Title 8": N_("Field Operations, Title 8"), "OFO Title 42": N_("Field Operations, Title 42")},
    "mexico_y": N_("Encounters of Mexican citizens per month"),
    "mexico_components": {"USBP": N_("Border Patrol (between ports)"), "OFO": N_("Field Operations (at ports)")},
    "paroles_y": N_("CHNV paroles per month"),
    "paroles_unit": N_("paroles"),
    "cbp_one_y": N_("CBP One appointments per month"),
    "cbp_one_unit": N_("appointments"),
    "cbp_one_groups": (N_("Cubans, Haitians and Venezuelans"), N_("Mexicans"), N_("All other nationalities")),
    "cumulative_y": N_("Cumulative count since October 2022"),
    "cumulative_unit": N_("people or appointments"),
    "cumulative": {"paroles": N_("(a) CHNV paroles"), "chnv_low": N_("(c) CHNV by both routes, low"),
                   "chnv_high": N_("(d) CHNV by both routes, high"), "paroles_plus_all": N_("(e) paroles + all CBP One")},
    "claimed": N_("the article: more than {value}"),
    "long_run_y": N_("Border Patrol encounters per month"),
    "long_run": {"ohss": N_("OHSS (rounded)"),
                 "cbp-legacy": N_("CBP, FY2000–FY2020 table"),
                 "cbp-nationwide": N_("CBP, Nationwide Encounters files")},
    "handover": N_("hand-over, October 2020"),
    "june_level": N_("June 2023 level: {value}"),
}


def text(key: str):
    """TEXT[key] in the edition's language (a message, or a tuple or dict of them)."""
    return i18n.translated(TEXT[key])


COMPONENT_TITLE_COLOURS = {"USBP Title 8": P["blue"], "USBP Title 42": P["sky"],
                           "OFO Title 8": P["orange"], "OFO Title 42": P["vermillion"]}
MEASURE_COLOURS = {"sw-total": P["black"], "usbp": P["blue"], "usbp-title-8": P["sky"], "ofo": P["orange"]}
CHNV_COLOURS = {"cuba": P["blue"], "haiti": P["orange"], "nicaragua": P["green"], "venezuela": P["vermillion"]}
CBP_ONE_COLOURS = (P["sky"], P["purple"], P["grey"])


def _next_month(month) -> pd.Timestamp:
    return pd.Timestamp(month) + pd.offsets.MonthBegin(1)


def title_42_band(first, last) -> list[Band]:
    """The Title 42 period, clipped to the months shown (none if it lies outside them)."""
    lo, hi = max(pd.Timestamp(first), flows.TITLE_42_START), min(_next_month(last), flows.TITLE_42_END)
    return [Band(lo, hi, text("title_42"))] if lo < hi else []


def may_june_band(first, last, *, outline_only: bool = False) -> list[Band]:
    """May-June 2023, if shown: a yellow band behind lines, or an outline over stacked areas."""
    if pd.Timestamp(first) <= flows.MAY_2023 and flows.JUNE_2023 <= pd.Timestamp(last):
        if outline_only:
            return [Band(flows.MAY_2023, _next_month(flows.JUNE_2023), text("may_june"), colour="transparent",
                         outline=P["black"], above=True)]
        return [Band(flows.MAY_2023, _next_month(flows.JUNE_2023), text("may_june"), colour=charts.HIGHLIGHT,
                     outline=P["yellow"])]
    return []


def monthly_figure(wide: pd.DataFrame, *, source: str) -> charts.Figure:
    """fig-flow-monthly: the chapter's selection by component and title, stacked."""
    first, last = wide.index.min(), wide.index.max()
    chart = charts.time_series(wide, labels=text("component_title"), colours=COMPONENT_TITLE_COLOURS,
                               y_title=text("per_month"), x_title=text("month"), kind="area", unit=text("unit"),
                               bands=title_42_band(first, last) + may_june_band(first, last, outline_only=True))
    return charts.Figure([chart], source=source, name="fig-flow-monthly")


def may_june_figure(series: pd.DataFrame, *, source: str) -> charts.Figure:
    """fig-flow-may-june: four measures, January to September 2023."""
    labels = {key: flows.measure_label(key) for key in MEASURE_COLOURS}
    first, last = series.index.min(), series.index.max()
    bands = [Band(first, flows.TITLE_42_END, text("title_42"))] + may_june_band(first, last)
    chart = charts.time_series(series, labels=labels, colours=MEASURE_COLOURS, y_title=text("per_month"),
                               x_title=text("month_2023"), unit=text("unit"), bands=bands, shape_points=True,
                               rules=[Rule(text("title_42_end"), at=flows.TITLE_42_END)])
    return charts.Figure([chart], source=source, name="fig-flow-may-june")


def mexico_figure(mx: pd.DataFrame, end_month, *, source: str) -> charts.Figure:
    """fig-flow-mexico: encounters of Mexican citizens by component, stacked."""
    first, last = mx.index.min(), mx.index.max()
    chart = charts.time_series(mx, labels=text("mexico_components"), colours=style.COMPONENT_COLOURS,
                               y_title=text("mexico_y"), x_title=text("month"), kind="area", unit=text("unit"),
                               bands=title_42_band(first, last),
                               rules=[Rule(text("last_before_article"), at=_next_month(end_month),
                                           colour=P["black"])])
    return charts.Figure([chart], source=source, name="fig-flow-mexico")


def chnv_figure(paroles: pd.DataFrame, groups: pd.DataFrame, *, source: str) -> charts.Figure:
    """fig-flow-chnv: CHNV paroles by country (top), CBP One appointments by group (bottom)."""
    press = [Rule(text("press_conference"), at=flows.PRESS_CONFERENCE, colour=P["black"])]
    top = charts.time_series(paroles, labels={c: i18n.country_name(c) for c in flows.CHNV_COUNTRIES}, colours=CHNV_COLOURS,
                             y_title=text("paroles_y"), x_title=text("month"), kind="area",
                             unit=text("paroles_unit"), rules=press, height=240)
    names = dict(zip(groups.columns, text("cbp_one_groups")))
    low = charts.time_series(groups, labels=names, colours=dict(zip(groups.columns, CBP_ONE_COLOURS)),
                             y_title=text("cbp_one_y"), x_title=text("month"), kind="area",
                             unit=text("cbp_one_unit"), rules=press, height=240)
    return charts.Figure([top, low], source=source, name="fig-flow-chnv")


def cumulative_figure(cum: pd.DataFrame, claimed: float, *, source: str) -> charts.Figure:
    """fig-flow-cumulative: cumulative counts at the end of each month against the article's figure."""
    labels = text("cumulative")
    colours = {"paroles": P["blue"], "chnv_low": P["green"], "chnv_high": P["green"], "paroles_plus_all": P["grey"]}
    chart = charts.time_series(cum, labels=labels, colours=colours, y_title=text("cumulative_y"),
                               x_title=text("end_of_month"), unit=text("cumulative_unit"), shape_points=True,
                               dashes={"chnv_high": [6, 3]}, at_month_end=True,
                               range_band=("chnv_low", "chnv_high"),
                               rules=[Rule(text("claimed").format(value=i18n.number(claimed, decimals=0)), level=claimed, colour=P["vermillion"],
                                           dash=(2, 2)),
                                      Rule(text("press_conference"), at=flows.PRESS_CONFERENCE, colour=P["black"],
                                           align="right")])
    return charts.Figure([chart], source=source, name="fig-flow-cumulative")


def long_run_figure(spliced: pd.DataFrame, ohss: pd.Series, handover_month, june_value: int, *,
                    source: str) -> charts.Figure:
    """fig-flow-long-run: Border Patrol encounters since FY2000, CBP's two sources and OHSS's series."""
    wide = spliced.pivot(index="month", columns="series", values="encounters").join(
        ohss.rename("ohss"), how="outer").sort_index()
    labels = text("long_run")
    colours = {"ohss": P["grey"], "cbp-legacy": P["blue"], "cbp-nationwide": P["black"]}
    first, last = wide.index.min(), wide.index.max()
    chart = charts.time_series(wide, labels=labels, colours=colours, y_title=text("long_run_y"),
                               x_title=text("month"), unit=text("unit"), bands=title_42_band(first, last),
                               widths={"ohss": 4},
                               rules=[Rule(text("handover"), at=handover_month, align="right"),
                                      Rule(text("june_level").format(value=i18n.number(june_value)), level=june_value,
                                           colour=P["vermillion"])])
    return charts.Figure([chart], source=source, name="fig-flow-long-run")
