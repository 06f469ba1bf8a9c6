"""The figure of the chapter "rio-grande-dispute" that is a chart: where the buoy barrier lay
(fig-barrier-split), as a `charts.Figure` (interactive in HTML, an image in the PDF). Every word
it shows is in TEXT; the numbers come from `barrier`."""

from __future__ import annotations

import altair as alt
import pandas as pd

from . import barrier, charts

TEXT = {
    "x": "Length along the barrier (metres)",
    "y": "Set of figures",
    "part": "Part of the barrier in",
    "length": "Length",
    "share": "Share of the set's total",
    "total": "total {metres:,.1f} m (reported: {length:,.0f} {unit})",
    "segment": ("{metres:,.1f} m", "{share:.1f} %"),
    "nominal": "nominal {length:,.0f} ft = {metres:,.1f} m",
    "set_names": barrier.FIGURE_SET_NAMES,
    "part_names": barrier.PART_NAMES,
}
X_MAX = 400  # metres: room after the longer total for its label


def split_figure(geometry: pd.DataFrame, *, source: str, nominal: str | None = "nominal") -> charts.Figure:
    """Both splits as stacked horizontal bars on one metre scale, the nominal length as a dashed line.

    Each part is labelled with its metres and its share; pointing at a part shows its set, side,
    length and share (the values of the figure's CSV)."""
    table = barrier.split_table(geometry)
    sets = list(dict.fromkeys(table["figure_set"]))  # first set on top
    set_names = [TEXT["set_names"][s] for s in sets]
    sides = [TEXT["part_names"][s] for s in barrier.SIDES]
    parts = table[table["part"].isin(barrier.SIDES)].copy()
    parts["set"] = parts["figure_set"].map(TEXT["set_names"])
    parts["side"] = parts["part"].map(TEXT["part_names"])
    parts["order"] = parts["part"].map({s: i for i, s in enumerate(barrier.SIDES)})
    parts = parts.sort_values(["figure_set", "order"], kind="stable")
    parts["start"] = parts.groupby("figure_set")["length_m"].cumsum() - parts["length_m"]
    parts["end"] = parts["start"] + parts["length_m"]
    parts["middle"] = (parts["start"] + parts["end"]) / 2
    parts["label"] = [[TEXT["segment"][0].format(metres=m), TEXT["segment"][1].format(share=s)]
                      for m, s in zip(parts["length_m"], parts["share_pct"])]
    parts["shown_length"] = [TEXT["segment"][0].format(metres=m) for m in parts["length_m"]]
    parts["shown_share"] = [f"{s:.1f} %" for s in parts["share_pct"]]
    parts["ink"] = ["white" if p == "united-states" else "black" for p in parts["part"]]
    parts = parts[["set", "side", "start", "end", "middle", "label", "shown_length", "shown_share", "ink"]]

    totals = table[table["part"] == "total"].assign(set=lambda t: t["figure_set"].map(TEXT["set_names"]))
    totals = pd.DataFrame({"set": totals["set"], "end": totals["length_m"],
                           "label": [TEXT["total"].format(metres=m, length=n, unit=u).split(" (")
                                     for m, n, u in zip(totals["length_m"], totals["length"], totals["unit"])]})
    totals["label"] = [[a, "(" + b] for a, b in totals["label"]]

    y = alt.Y("set:N", sort=set_names, title=TEXT["y"], axis=alt.Axis(
        labelLimit=0, labelExpr="[split(datum.label, ' (')[0], '(' + split(datum.label, ' (')[1]]"))
    x = alt.X("start:Q", title=TEXT["x"], scale=alt.Scale(domain=[0, X_MAX], nice=False),
              axis=alt.Axis(format=",.0f", grid=True))
    colour = alt.Color("side:N", scale=alt.Scale(domain=sides, range=[barrier.SIDE_COLOURS[s] for s in barrier.SIDES]),
                       sort=sides, legend=alt.Legend(title=TEXT["part"], symbolType="square", columns=2,
                                                     direction="horizontal"))
    tooltip = [alt.Tooltip("set:N", title=TEXT["y"]), alt.Tooltip("side:N", title=TEXT["part"]),
               alt.Tooltip("shown_length:N", title=TEXT["length"]), alt.Tooltip("shown_share:N", title=TEXT["share"])]
    base = alt.Chart(parts)
    bar = base.mark_bar(height=46, stroke="white", strokeWidth=1).encode(y=y, x=x, x2="end:Q", color=colour,
                                                                         tooltip=tooltip)
    inside = base.mark_text(align="center", baseline="middle", lineHeight=15).encode(
        y=alt.Y("set:N", sort=set_names), x=alt.X("middle:Q"), text="label", color=alt.Color("ink:N", scale=None),
        tooltip=tooltip)
    after = alt.Chart(totals).mark_text(align="left", baseline="middle", dx=6, lineHeight=15).encode(
        y=alt.Y("set:N", sort=set_names), x=alt.X("end:Q"), text="label")
    layers = [bar, inside, after]
    if nominal is not None and (geometry["figure_set"] == nominal).any():
        row = geometry[(geometry["figure_set"] == nominal) & (geometry["part"] == "total")].iloc[0]
        metres = barrier.figures(geometry, nominal)["total"]
        mark = pd.DataFrame({"at": [metres], "label": [TEXT["nominal"].format(length=row["length"], metres=metres)]})
        layers += [alt.Chart(mark).mark_rule(strokeDash=[5, 3], color=charts.MARK, strokeWidth=1.2).encode(x="at:Q"),
                   alt.Chart(mark).mark_text(align="right", baseline="bottom", dx=-4, dy=-2, color=charts.MARK).encode(
                       x="at:Q", y=alt.value(0), text="label:N")]
    chart = alt.layer(*layers).properties(height=70 * len(sets) + 20)
    return charts.Figure([chart], source=source, series=False, name="fig-barrier-split")
