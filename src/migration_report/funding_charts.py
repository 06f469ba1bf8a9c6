"""The chart of the chapter "cooperation-and-funding" that shows the border flows (fig-flows): one
panel per chosen country, on one scale, as a `charts.Figure` (interactive in HTML, an image in
the PDF). Every word it shows is in TEXT; the numbers come from `funding`."""

from __future__ import annotations

from typing import Sequence

import altair as alt
import pandas as pd

from . import charts, funding, style
from .charts import Band

TEXT = {
    "x": "Month (shaded: fiscal year {year})",
    "y": "Encounters per month",
    "unit": "encounters",
    "fiscal_year": "FY{year}",
    "inside_other": "{country}: not broken out by CBP (inside OTHER)",
}
PANEL_HEIGHT = 130


def flows_figure(monthly: pd.DataFrame, countries: Sequence[str], citizenships: Sequence[str], year: int, *,
                 source: str) -> charts.Figure:
    """Monthly encounters, one panel per chosen country on one shared scale; a country CBP does not
    break out gets a line that says so; the chosen fiscal year is shaded."""
    start, end = pd.Timestamp(f"{year - 1}-10-01"), pd.Timestamp(f"{year}-10-01")
    shown = [c for c in countries if funding.cbp_row(c, citizenships) != funding.INSIDE_OTHER]
    data = monthly[monthly["country"].isin(shown)]
    top = float(data["encounters"].max()) if len(data) else 1.0
    months = pd.DatetimeIndex(sorted(pd.DatetimeIndex(monthly["month"]).to_period("M").to_timestamp().unique()))
    band = [Band(start, end, TEXT["fiscal_year"].format(year=year))]
    panels = []
    for country in countries:
        name = funding.display_name(country)
        if country not in shown:
            panels.append(_empty_panel(TEXT["inside_other"].format(country=name), months, top, band, year))
            continue
        series = data[data["country"] == country].set_index("month")[["encounters"]].rename(
            columns={"encounters": country})
        series.index = pd.DatetimeIndex(series.index).to_period("M").to_timestamp()
        colour = style.PALETTE["blue"] if country in funding.SIX_COUNTRIES else style.PALETTE["grey"]
        panels.append(charts.time_series(series, labels={country: name}, colours={country: colour},
                                         y_title=TEXT["y"], x_title=TEXT["x"].format(year=year), unit=TEXT["unit"],
                                         bands=band,
                                         height=PANEL_HEIGHT, y_domain=(0, top)))
    return charts.Figure(panels, source=source, series=False, name="fig-flows")


def _empty_panel(text: str, months: pd.DatetimeIndex, top: float, band, year: int):
    """A country with no series of its own: the panel's axes and shading, and a line saying why."""
    x_scale = alt.Scale(type="utc", domain=[charts.iso(months.min()), charts.iso(months.max() + pd.offsets.MonthBegin(1))],
                        nice=False)
    note = pd.DataFrame({"at": [charts.iso(months.min())], "level": [top / 2], "text": [text]})
    axes = alt.Chart(note).mark_text(align="left", baseline="middle", dx=8, color=charts.MARK).encode(
        x=alt.X("at:T", scale=x_scale, title=TEXT["x"].format(year=year), axis=charts.month_axis(len(months))),
        y=alt.Y("level:Q", scale=alt.Scale(domain=[0, top]), title=TEXT["y"], axis=alt.Axis(format=",.0f")),
        text="text:N")
    return alt.layer(*charts._band_layers(band), axes).properties(height=PANEL_HEIGHT)
