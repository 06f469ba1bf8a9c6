"""The chart of the chapter "cooperation-and-funding" that shows the border flows (fig-flows): one
panel per chosen country, on one scale, as a `charts.Figure` (interactive in HTML, an image in
the PDF). Every word it shows is in TEXT (messages, translated into the edition's language where
used); the numbers come from `funding`, written by `migration_report.core.i18n`."""

from __future__ import annotations

from typing import Sequence

import pandas as pd

from migration_report.core import charts, i18n, style
from migration_report.core import vegalite as vl
from migration_report.chapters.cooperation_and_funding import analysis as funding
from migration_report.core.charts import Band
from migration_report.core.i18n import N_

TEXT = {
    "x": N_("Month (shaded: fiscal year {year})"),
    "y": N_("Encounters per month"),
    "unit": N_("encounters"),
    "fiscal_year": N_("FY{year}"),
    "inside_other": N_("{country}: not broken out by CBP (inside OTHER)"),
}
PANEL_HEIGHT = 130
NOTE_CHARS = 18  # characters per line of a panel's note: narrow enough to stay left of the shaded fiscal year on a phone


def flows_figure(monthly: pd.DataFrame, countries: Sequence[str], citizenships: Sequence[str], year: int, *,
                 source: str) -> charts.Figure:
    """Monthly encounters, one panel per chosen country on one shared scale; a country CBP does not
    break out gets a line that says so; the chosen fiscal year is shaded."""
    text = i18n.translated(TEXT)
    start, end = pd.Timestamp(f"{year - 1}-10-01"), pd.Timestamp(f"{year}-10-01")
    shown = [c for c in countries if funding.cbp_row(c, citizenships) != funding.INSIDE_OTHER]
    data = monthly[monthly["country"].isin(shown)]
    top = float(data["encounters"].max()) if len(data) else 1.0
    months = pd.DatetimeIndex(sorted(pd.DatetimeIndex(monthly["month"]).to_period("M").to_timestamp().unique()))
    band = [Band(start, end, text["fiscal_year"].format(year=year))]
    panels = []
    for country in countries:
        name = funding.display_name(country)
        if country not in shown:
            panels.append(_empty_panel(text["inside_other"].format(country=name), months, top, band, year))
            continue
        series = data[data["country"] == country].set_index("month")[["encounters"]].rename(
            columns={"encounters": country})
        series.index = pd.DatetimeIndex(series.index).to_period("M").to_timestamp()
        colour = style.PALETTE["blue"] if country in funding.SIX_COUNTRIES else style.PALETTE["grey"]
        panels.append(charts.time_series(series, labels={country: name}, colours={country: colour},
                                         y_title=text["y"], x_title=text["x"].format(year=year), unit=text["unit"],
                                         bands=band,
                                         height=PANEL_HEIGHT, y_domain=(0, top)))
    return charts.Figure(panels, source=source, series=False, name="fig-flows")


def _empty_panel(note_text: str, months: pd.DatetimeIndex, top: float, band, year: int):
    """A country with no series of its own: the panel's axes and shading, and a line saying why."""
    text = i18n.translated(TEXT)
    x_scale = {"type": "utc", "domain": [charts.iso(months.min()), charts.iso(months.max() + pd.offsets.MonthBegin(1))],
               "nice": False}
    # Two or three short lines, so that the note fits a phone's column; at the end of the panel away
    # from the shaded fiscal year, so that it does not lie over the shading.
    end = months.max() + pd.offsets.MonthBegin(1)
    middle = months.min() + (end - months.min()) / 2
    shaded_left = bool(band) and band[0].start + (band[0].end - band[0].start) / 2 < middle
    note = pd.DataFrame({"at": [charts.iso(end if shaded_left else months.min())], "level": [top / 2],
                         "text": [charts._lines(note_text, NOTE_CHARS)]})
    axes = vl.chart(note, vl.mark("text", align="right" if shaded_left else "left", baseline="middle",
                                  dx=-8 if shaded_left else 8, lineHeight=charts.FONT_SIZE + 2, color=charts.MARK), {
        "x": vl.field("at:T", scale=x_scale, title=text["x"].format(year=year), axis=charts.month_axis(len(months))),
        "y": vl.field("level:Q", scale={"domain": [0, top]}, title=text["y"], axis={"format": ",.0f"}),
        "text": vl.field("text:N")})
    domain = (months.min(), months.max() + pd.offsets.MonthBegin(1))
    return vl.layer(*charts._band_layers(band, domain), axes, height=PANEL_HEIGHT)


# --- fig-funding -------------------------------------------------------------------------------

FUNDING_TEXT = {
    "x": N_("Date announced, signed, planned or paid"),
    "y": N_("Amount (USD millions)"),
    "legend": (N_("Donor; a hollow marker:"), N_("not confirmed by the donor")),
    "kind": N_("Kind"),
    "donor": N_("Donor"),
    "when": N_("When"),
    "amount": N_("Amount"),
    "recipients": N_("Recipients"),
    "confirmation": N_("Confirmed by the donor"),
    "each": N_(" each"),
    "not_stated": N_("Amount not stated"),
    "none": N_("none documented"),
    "wrap": 28,  # characters per line of a point's label
}
FUNDING_SHAPES = {"Mexico": "circle", "United States": "square"}
FUNDING_PANEL_HEIGHT = 150
FUNDING_HEADROOM = 1.6  # the amount scale's top, as a multiple of the largest amount: room for the labels
LINE_PX = 15


def amount_top(points: pd.DataFrame) -> float:
    """The top of the amount scale (USD millions): the headroom above the largest amount, or more
    where a label standing on its point must pass under a label hanging from the panel's top (the
    two can meet on a phone's width, where each spans most of the panel)."""
    amounts = points["amount_usd"].fillna(0.0) / 1e6
    top = max(amounts.max(), 1.0) * FUNDING_HEADROOM
    hanging = points.loc[points["right"], "lines"].max() if points["right"].any() else 0
    hanging_px = LINE_PX * hanging + 2 if hanging else 0
    for amount, lines in zip(amounts[~points["right"]], points.loc[~points["right"], "lines"]):
        free = 1 - (LINE_PX * lines + 4 + hanging_px) / FUNDING_PANEL_HEIGHT  # the share of the panel under both labels
        if free > 0:
            top = max(top, amount / free)
    return top


def funding_figure(money: pd.DataFrame, *, source: str) -> charts.Figure:
    """Documented money over time, one panel per kind on one time axis and one amount scale, donors
    by colour and shape, hollow where the donor has not confirmed; a bar spans a period. Each point
    is labelled with its amount and recipients; pointing at it shows its date and confirmation."""
    import textwrap

    text = i18n.translated(FUNDING_TEXT)
    points = funding.funding_points(money)
    dated = money.drop_duplicates(["kind", "donor", "date", "date_end", "date_precision", "amount_usd",
                                   "confirmation"])
    points["when"] = [funding.date_label(row) for _, row in dated.iterrows()]
    first = points["plot_date"].min() - pd.Timedelta(days=120)
    last = points["plot_date"].max() + pd.Timedelta(days=120)
    points["y"] = points["amount_usd"].fillna(0.0) / 1e6
    points["amount"] = [(funding.usd_millions(a) + (text["each"] if n > 1 else "")) if pd.notna(a)
                        else text["not_stated"] for a, n in zip(points["amount_usd"], points["n"])]
    points["label"] = [[f"{a}:"] + textwrap.wrap(r, text["wrap"]) for a, r in zip(points["amount"], points["recipients"])]
    points["lines"] = points["label"].map(len)
    points["right"] = points["plot_date"] > first + (last - first) * 0.6
    top = amount_top(points)
    points["hollow"] = points["confirmation"] == "not confirmed by donor"
    points["confirmed"] = points["confirmation"].map(funding.confirmation_label)
    points["kind_shown"] = points["kind"].map(funding.kind_name)
    points["donor_shown"] = points["donor"].map(funding.donor_name)
    points["at"] = points["plot_date"].map(charts.iso)
    points["start"] = points["date"].map(charts.iso)
    points["end"] = [charts.iso(e) if pd.notna(e) else None for e in points["date_end"]]
    points["known"] = points["amount_usd"].notna()
    # The chart shows the donors' and kinds' names in the edition's language.
    shown = points[["kind", "donor_shown", "when", "amount", "recipients", "confirmed", "label", "lines", "right",
                    "hollow", "at", "start", "end", "y", "date_precision", "known", "kind_shown"]].rename(
        columns={"donor_shown": "donor"})
    donors = [funding.donor_name(d) for d in funding.DONOR_COLOURS]
    x_scale = {"type": "utc", "domain": [charts.iso(first), charts.iso(last)], "nice": False}
    y_scale = {"domain": [0, top], "nice": False}
    tooltip = [vl.field("kind_shown:N", title=text["kind"]), vl.field("donor:N", title=text["donor"]),
               vl.field("when:N", title=text["when"]), vl.field("amount:N", title=text["amount"]),
               vl.field("recipients:N", title=text["recipients"]),
               vl.field("confirmed:N", title=text["confirmation"])]
    panels = []
    for i, kind in enumerate(funding.KINDS):
        here = shown[shown["kind"] == kind]
        first_panel, last_panel = i == 0, i == len(funding.KINDS) - 1
        legend = {"title": list(text["legend"]), "direction": "horizontal", "columns": 2, "titleLimit": 0}
        colour_scale = {"domain": donors, "range": list(funding.DONOR_COLOURS.values())}
        # The same legend on every layer of the first panel, none elsewhere.
        keyed = legend if first_panel else None
        colour = vl.field("donor:N", scale=colour_scale, legend=keyed)
        shape_scale = {"domain": donors, "range": [FUNDING_SHAPES[d] for d in funding.DONOR_COLOURS]}
        x = vl.field("at:T", scale=x_scale, title=text["x"] if last_panel else None,
                     axis={"format": "%Y", "formatType": "utc", "tickCount": "year", "labels": last_panel})
        y = vl.field("y:Q", scale=y_scale, title=text["y"], axis={"format": ",.0f"})
        name = funding.kind_name(kind)
        title = {"text": name[:1].upper() + name[1:], "anchor": "start", "fontWeight": "bold"}
        if here.empty:
            note = pd.DataFrame({"at": [charts.iso(first + (last - first) / 2)], "y": [top / 2], "t": [text["none"]]})
            panels.append(vl.chart(note, vl.mark("text", color=charts.MARK), {"x": x, "y": y, "text": vl.field("t:N")},
                                   height=FUNDING_PANEL_HEIGHT, title=title))
            continue
        layers = []
        periods = here[here["date_precision"] == "period"]
        if len(periods):
            layers.append(vl.chart(periods, vl.mark("rule", strokeWidth=4, strokeCap="butt"), {
                "x": vl.field("start:T", scale=x_scale), "x2": vl.field("end"), "y": vl.field("y:Q", scale=y_scale),
                "color": colour, "tooltip": tooltip}))
        stems = here[here["known"]]
        if len(stems):
            layers.append(vl.chart(stems, vl.mark("rule", strokeWidth=1), {
                "x": vl.field("at:T", scale=x_scale), "y": vl.field("y:Q", scale=y_scale), "y2": {"datum": 0},
                "color": colour}))
        for hollow, part in here.groupby("hollow"):
            mark = dict(filled=False, fill="white") if hollow else dict(filled=True)
            layers.append(vl.chart(part, vl.mark("point", size=90, strokeWidth=2, opacity=1, clip=False, **mark), {
                "x": x, "y": y, "color": vl.field("donor:N", scale=colour_scale, legend=keyed),
                # The legend is colour's: Vega-Lite does not merge it with shape across filled and
                # hollow layers, and a second, black legend would repeat it.
                "shape": vl.field("donor:N", scale=shape_scale, legend=None), "tooltip": tooltip}))
        # A label left of the 60 % mark ends just above its point (one layer per number of lines);
        # one right of it hangs from the top of the panel, to the left of its point, so that on a
        # phone's width two labels in one panel do not overlap.
        for (right, lines), part in here.groupby(["right", "lines"]):
            y_at = vl.value(2) if right else vl.field("y:Q", scale=y_scale)
            layers.append(vl.chart(part, vl.mark("text", align="right" if right else "left", baseline="top",
                                                 dx=-9 if right else 9, dy=0 if right else -(LINE_PX * lines + 4),
                                                 lineHeight=LINE_PX, color=charts.TEXT_COLOUR), {
                "x": vl.field("at:T", scale=x_scale), "y": y_at, "text": vl.field("label:N"), "tooltip": tooltip}))
        panels.append(vl.layer(*layers, height=FUNDING_PANEL_HEIGHT, title=title))
    return charts.Figure(panels, source=source, series=False, name="fig-funding")
