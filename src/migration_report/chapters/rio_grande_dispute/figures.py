"""The charts of the chapter "rio-grande-dispute", as `charts.Figure`s (interactive in HTML, an
image in the PDF): where the buoy barrier lay (fig-barrier-split) and the dispute's timeline
(fig-rio-grande-timeline). Every word they show is in TEXT and TIMELINE_TEXT; the numbers and
dates come from `barrier`."""

from __future__ import annotations

import pandas as pd

from migration_report.chapters.rio_grande_dispute import analysis as barrier
from migration_report.core import charts, i18n, outputs, style
from migration_report.core import vegalite as vl
from migration_report.core.i18n import N_, _

TEXT = {
    "x": N_("Length along the barrier (metres)"),
    "y": N_("Set of figures"),
    "part": N_("Part of the barrier in"),
    "length": N_("Length"),
    "share": N_("Share of the set's total"),
    "total": N_("total {metres:,.1f} m (reported: {length:,.0f} {unit})"),
    "segment": ("{metres:,.1f} m", N_("{share:.1f} %")),
    "nominal": N_("nominal {length:,.0f} ft = {metres:,.1f} m"),
    "set_names": barrier.FIGURE_SET_NAMES,
    "part_names": barrier.PART_NAMES,
}
SPLIT_ROW_PX = 104  # per set of figures: its name and total on two lines, then its bar
SPLIT_BAR_PX = 40
SPLIT_BAR_AT = 0.6  # where in its row a set's bar sits (0 = top)
SPLIT_NAME_PX = 300  # a set's name wider than this (in CSS px) takes more lines, so that it fits a phone
SPLIT_LINE_PX = 16  # each further line of a name makes its row this much taller


def split_figure(geometry: pd.DataFrame, *, source: str, nominal: str | None = "nominal") -> charts.Figure:
    """Both splits as stacked horizontal bars on one metre scale, the nominal length as a dashed line.

    Each set's name and total head its bar (so that no label needs room beside the bars on a
    phone); each part is labelled inside with its metres and its share; pointing at a part shows
    its set, side, length and share (the values of the figure's CSV)."""
    words = i18n.translated(TEXT)
    table = barrier.split_table(geometry)
    sets = list(dict.fromkeys(table["figure_set"]))  # first set on top
    set_names = [words["set_names"][s] for s in sets]
    sides = [words["part_names"][s] for s in barrier.SIDES]
    parts = table[table["part"].isin(barrier.SIDES)].copy()
    parts["set"] = parts["figure_set"].map(words["set_names"])
    parts["side"] = parts["part"].map(words["part_names"])
    parts["order"] = parts["part"].map({s: i for i, s in enumerate(barrier.SIDES)})
    parts = parts.sort_values(["figure_set", "order"], kind="stable")
    parts["start"] = parts.groupby("figure_set")["length_m"].cumsum() - parts["length_m"]
    parts["end"] = parts["start"] + parts["length_m"]
    parts["middle"] = (parts["start"] + parts["end"]) / 2
    parts["label"] = [[words["segment"][0].format(metres=m), words["segment"][1].format(share=s)]
                      for m, s in zip(parts["length_m"], parts["share_pct"])]
    parts["shown_length"] = [words["segment"][0].format(metres=m) for m in parts["length_m"]]
    parts["shown_share"] = [f"{s:.1f} %" for s in parts["share_pct"]]
    # Not "white": dark mode makes the charts' white transparent, and this text sits on a blue bar.
    parts["ink"] = ["#FFFFFF" if p == "united-states" else "black" for p in parts["part"]]
    parts = parts[["set", "side", "start", "end", "middle", "label", "shown_length", "shown_share", "ink"]]

    totals = table[table["part"] == "total"].assign(set=lambda t: t["figure_set"].map(words["set_names"]))
    names = {name: charts.wrapped_lines(name, SPLIT_NAME_PX) for name in set_names}
    heads = pd.DataFrame({"set": totals["set"], "label": [
        names[name] + [words["total"].format(metres=m, length=n, unit=u)]
        for name, m, n, u in zip(totals["set"], totals["length_m"], totals["length"], totals["unit"])]})
    # Rows grow by the extra lines of the longest name; the bar keeps its distance from the row's foot.
    extra_px = SPLIT_LINE_PX * (max(len(lines) for lines in names.values()) - 1)
    row_px = SPLIT_ROW_PX + extra_px
    bar_at = (SPLIT_BAR_AT * SPLIT_ROW_PX + extra_px) / row_px

    longest = float(table.loc[table["part"] == "total", "length_m"].max())
    row = geometry[(geometry["figure_set"] == nominal) & (geometry["part"] == "total")] if nominal else geometry[:0]
    nominal_m = barrier.figures(geometry, nominal)["total"] if len(row) else None
    x_max = max(longest, nominal_m or 0.0) * 1.04
    x = vl.field("start:Q", title=words["x"], scale={"domain": [0, x_max], "nice": False},
                 axis={"format": ",.0f", "grid": True})
    at_bar = vl.field("set:N", sort=set_names, bandPosition=bar_at, axis=None)
    colour = vl.field("side:N", scale={"domain": sides, "range": [barrier.SIDE_COLOURS[s] for s in barrier.SIDES]},
                      sort=sides, legend={"title": words["part"], "symbolType": "square", "columns": 2,
                                          "direction": "horizontal"})
    tooltip = [vl.field("set:N", title=words["y"]), vl.field("side:N", title=words["part"]),
               vl.field("shown_length:N", title=words["length"]), vl.field("shown_share:N", title=words["share"])]
    rows = vl.field("set:N", sort=set_names, axis=None, scale={"paddingInner": 0, "paddingOuter": 0})
    layers = [
        # The whole part of the row carries its tooltip, as the bar does.
        vl.chart(parts, vl.mark("rule", strokeWidth=SPLIT_BAR_PX, strokeCap="butt"), {
            "y": {**rows, "bandPosition": bar_at}, "x": x, "x2": vl.field("end"), "color": colour, "tooltip": tooltip}),
        vl.chart(parts, vl.mark("text", align="center", baseline="middle", lineHeight=15), {
            "y": at_bar, "x": vl.field("middle:Q"), "text": vl.field("label:N"), "color": vl.field("ink:N", scale=None),
            "tooltip": tooltip}),
        vl.chart(heads, vl.mark("text", align="left", baseline="top", dy=2, lineHeight=16), {
            "y": vl.field("set:N", sort=set_names, bandPosition=0, axis=None), "x": vl.value(0),
            "text": vl.field("label:N")}),
    ]
    if nominal_m is not None:
        mark = pd.DataFrame({"at": [nominal_m], "label": [words["nominal"].format(length=row.iloc[0]["length"],
                                                                                   metres=nominal_m)]})
        mark["p"] = mark["at"] / x_max
        mark["text_px"] = mark["label"].map(charts.text_width)
        layers += [vl.chart(mark, vl.mark("rule", strokeDash=[5, 3], color=charts.MARK, strokeWidth=1.2),
                            {"x": vl.field("at:Q")}),
                   # Under the last bar, beside the line, on the side where it fits.
                   vl.chart(mark, vl.mark("text", align="left", baseline="bottom", dy=-1, color=charts.MARK), {
                       "x": vl.value(charts.label_x("right")), "y": vl.value("height"), "text": vl.field("label:N")})]
    chart = vl.layer(*layers, height=row_px * len(sets))
    return charts.Figure([chart], source=source, series=False, name="fig-barrier-split")


# --- fig-rio-grande-timeline -------------------------------------------------------------------

TIMELINE_TEXT = {
    "x": N_("Date (each panel has its own scale)"),
    "when": N_("When"),
    "event": N_("What happened"),
    "source": N_("Source"),
    "confidence": N_("Confidence in the source"),
    "low": N_("{label} (low confidence)"),
    "key_day": N_("Day known"),
    "key_month": N_("Only the month known (the bar spans it)"),
    "key_low": N_("Day known, low-confidence source"),
    "key_press": N_("Press conference, {date}"),
    "confidence_names": {"high": N_("high"), "medium": N_("medium"), "low": N_("low")},
}
# The date axis in three periods, each with its own scale, so the crowded summer of 2023 stays legible.
PERIODS = (("2020-01-01", "2021-07-01"), ("2023-05-01", "2023-10-01"), ("2023-10-01", "2024-10-01"))
ROW_PX = 27  # one row per event: its label on top, its mark below
MARK_AT = 0.74  # where in its row an event's mark sits (0 = top); the label ends just above it
LABEL_LIFT = 6  # px between a label's baseline and its event's mark
STATIC_WIDTH = 760  # the PDF's image a little wider than the others, so that it fits a page with its caption
DAY_COLOUR, MONTH_COLOUR = style.PALETTE["blue"], style.PALETTE["vermillion"]
PRESS_DASH = [2, 3]
KEY_SHAPES = {"day": "circle", "month": "M-1.4,-0.45H1.4V0.45H-1.4Z", "low": "circle", "press": "M0,-1.4V1.4"}


def timeline_figure(timeline: pd.DataFrame, *, source: str, press_conference: pd.Timestamp,
                    periods=PERIODS) -> charts.Figure:
    """One row per event, oldest at the top, in one panel per period of `periods` ((start, end)
    pairs), each on its own date scale: a dot where the day is known, hollow where the source is of
    low confidence, a bar over the whole month where only the month is known; a dotted line at
    the press conference the article reports. Each event's label sits above its mark, as near to
    it as the width allows; pointing at a row shows the event's date, text, source and the
    confidence in it (the values of the figure's CSV)."""
    rows = timeline_rows(timeline, periods)
    press_conference = pd.Timestamp(press_conference)
    panels = []
    for i, (first, last) in enumerate((pd.Timestamp(a), pd.Timestamp(b)) for a, b in periods):
        here = rows[rows["period"] == i]
        if here.empty:
            raise ValueError(f"no timeline event in the period {first:%Y-%m-%d}–{last:%Y-%m-%d}")
        press = press_conference if first <= press_conference < last else None
        panels.append(_timeline_panel(here, first, last, press=press, key=press_conference if i == 0 else None,
                                      titled=i == len(periods) - 1))
    return charts.Figure(panels, source=source, series=False, name="fig-rio-grande-timeline",
                         static_width=STATIC_WIDTH)


def timeline_rows(timeline: pd.DataFrame, periods=PERIODS) -> pd.DataFrame:
    """The timeline in date order, one row per event, with what the chart draws and shows: its
    period, its mark's start and end, its label (flagged when its source is of low confidence),
    and the tooltip's date, event, source and confidence, as the figure's CSV gives them; the
    label and the event in the edition's language."""
    text = TIMELINE_TEXT
    frame = barrier.timeline_in_language(barrier.timeline_table(timeline))
    if frame["label"].duplicated().any():
        raise ValueError("two timeline rows have the same label; the chart keys its rows on the label")
    spans = [(pd.Timestamp(a), pd.Timestamp(b)) for a, b in periods]
    inside = [[i for i, (a, b) in enumerate(spans) if a <= date < b] for date in frame["date"]]
    for date, found in zip(frame["date"], inside):
        if not found:
            raise ValueError(f"timeline date {date:%Y-%m-%d} lies outside every period {periods}")
    frame["period"] = [found[0] for found in inside]
    frame[["start", "end"]] = [barrier.month_span(d, p) for d, p in zip(frame["date"], frame["date_precision"])]
    first = frame["period"].map(lambda i: spans[i][0])
    length = frame["period"].map(lambda i: spans[i][1] - spans[i][0])
    frame["p"] = (frame["start"] - first) / length  # where the mark starts, as a fraction of its panel
    frame["low"] = frame["confidence"] == "low"
    frame["shown"] = [_(text["low"]).format(label=label) if low else label
                      for label, low in zip(frame["label"], frame["low"])]
    frame["text_px"] = [charts.text_width(s) for s in frame["shown"]]
    references = outputs.reference_texts(frame["source_key"].unique())
    frame["source"] = frame["source_key"].map(lambda key: references.get(key, key))
    frame["trust"] = frame["confidence"].map(lambda c: _(text["confidence_names"][c]))
    return frame


def _timeline_panel(rows: pd.DataFrame, first: pd.Timestamp, last: pd.Timestamp, *, press, key, titled: bool):
    text = TIMELINE_TEXT
    shown = rows.assign(at=rows["start"].map(charts.iso), until=rows["end"].map(charts.iso),
                        row=range(len(rows)))[
        ["label", "shown", "when", "event", "source", "trust", "at", "until", "p", "text_px", "low",
         "date_precision", "row"]]
    order = list(shown["label"])
    x_scale = {"type": "utc", "domain": [charts.iso(first), charts.iso(last)], "nice": False}
    # The axis title once, under the last panel, rather than three times.
    x = vl.field("at:T", scale=x_scale, title=_(text["x"]) if titled else None, axis=_period_axis(first, last))
    row = vl.field("label:N", sort=order, axis=None, scale={"paddingInner": 0, "paddingOuter": 0})
    at_mark = vl.field("label:N", sort=order, bandPosition=MARK_AT, axis=None)
    tooltip = [vl.field("when:N", title=_(text["when"])), vl.field("event:N", title=_(text["event"])),
               vl.field("source:N", title=_(text["source"])), vl.field("trust:N", title=_(text["confidence"]))]
    # The whole row carries the tooltip, so a reader need not hit a small dot; drawn first, under the rest.
    layers = [vl.chart(shown, vl.mark("rect", color=style.PALETTE["black"], opacity=0.0), {
        "x": vl.value(0), "x2": vl.value("width"), "y": row, "tooltip": tooltip})]
    layers.append(vl.chart(shown, vl.mark("rule", color=charts.GRID_COLOUR, strokeWidth=1), {
        "x": vl.value(0), "x2": vl.value("width"), "y": at_mark}))
    if press is not None:
        line = pd.DataFrame({"at": [charts.iso(press)]})
        layers.append(vl.chart(line, vl.mark("rule", color=charts.MARK, strokeDash=PRESS_DASH, strokeWidth=1.5), {
            "x": vl.field("at:T", scale=x_scale)}))
    months = shown[shown["date_precision"] == "month"]
    if len(months):
        layers.append(vl.chart(months, vl.mark("rule", color=MONTH_COLOUR, strokeWidth=8, strokeCap="butt"), {
            "x": x, "x2": vl.field("until"), "y": at_mark, "tooltip": tooltip}))
    for low, part in shown[shown["date_precision"] == "day"].groupby("low"):
        fill = dict(filled=False, fill="white") if low else dict(filled=True)
        layers.append(vl.chart(part, vl.mark("point", color=DAY_COLOUR, size=70, strokeWidth=2, opacity=1, **fill), {
            "x": x, "y": at_mark, "tooltip": tooltip}))
    # Each label starts just before its mark, or as far right as it fits: clamped to the plot's width;
    # on a plate of the page's colour, so that the dotted line of the press conference passes behind it.
    label_x = "clamp(datum.p * width - 6, 0, max(0, width - datum.text_px))"
    bottom = f"(datum.row + {MARK_AT}) * {ROW_PX} - {LABEL_LIFT}"
    layers.append(vl.chart(shown, vl.mark("rect", color=charts.PLATE, opacity=0.85, aria=False), {
        "x": vl.value(vl.expr(f"{label_x} - 2")), "x2": vl.value(vl.expr(f"{label_x} + datum.text_px")),
        "y": vl.value(vl.expr(f"{bottom} - {charts.FONT_SIZE + 3}")), "y2": vl.value(vl.expr(f"{bottom} + 3"))}))
    layers.append(vl.chart(shown, vl.mark("text", align="left", baseline="bottom", dy=-LABEL_LIFT,
                                          limit=vl.expr("width"), color=charts.TEXT_COLOUR), {
        "x": vl.value(vl.expr(label_x)), "y": at_mark, "text": vl.field("shown:N"), "tooltip": tooltip}))
    if key is not None:
        layers.append(_timeline_key(key, x_scale, order[0]))
    return vl.layer(*layers, height=ROW_PX * len(order))


def _period_axis(first: pd.Timestamp, last: pd.Timestamp) -> dict:
    """Month names from Babel (`i18n.month_names`), a tick every month in a short period, every quarter
    in a longer one. The year is on every label of a period that runs into another year (on a
    phone, labels that would overlap are dropped, and a January's year with them), else on the first."""
    import json

    names = json.dumps(list(i18n.month_names(abbreviated=True)), ensure_ascii=False)
    months = (last.year - first.year) * 12 + last.month - first.month
    one_year = (last - pd.Timedelta(days=1)).year == first.year
    year = "(datum.index == 0 ? ' ' + utcyear(datum.value) : '')" if one_year else "' ' + utcyear(datum.value)"
    return {"grid": True, "tickCount": {"interval": "month", "step": 1 if months <= 6 else 3},
            "labelExpr": f"{names}[utcmonth(datum.value)] + {year}"}


def _timeline_key(press: pd.Timestamp, x_scale, first_row: str):
    """The figure's key, above its first panel: what a dot, a bar, a hollow dot and the dotted line mean.

    Drawn as a legend of an invisible layer, so it is laid out (and put in one column on a phone) as
    every chart's legend is."""
    text = TIMELINE_TEXT
    names = [_(text["key_day"]), _(text["key_month"]), _(text["key_low"]),
             _(text["key_press"]).format(date=i18n.date(press))]
    kinds = list(KEY_SHAPES)
    colours = [DAY_COLOUR, MONTH_COLOUR, DAY_COLOUR, charts.MARK]
    fills = [DAY_COLOUR, MONTH_COLOUR, "white", "transparent"]
    frame = pd.DataFrame({"kind": names, "at": [charts.iso(x_scale["domain"][0])] * len(names), "label": first_row})
    legend = {"title": None, "orient": "top", "direction": "vertical", "columns": 2, "symbolStrokeWidth": 1.5,
              "symbolSize": 110, "symbolOpacity": 1, "labelLimit": 0}
    return vl.chart(frame, vl.mark("point", opacity=0, size=0), {
        "x": vl.field("at:T", scale=x_scale), "y": vl.field("label:N"),
        "shape": vl.field("kind:N", sort=names, scale={"domain": names, "range": [KEY_SHAPES[k] for k in kinds]},
                          legend=legend),
        "stroke": vl.field("kind:N", sort=names, scale={"domain": names, "range": colours}, legend=legend),
        "fill": vl.field("kind:N", sort=names, scale={"domain": names, "range": fills}, legend=legend),
        "strokeDash": vl.field("kind:N", sort=names, scale={"domain": names, "range": [[1, 0], [1, 0], [1, 0], PRESS_DASH]},
                               legend=legend)})
