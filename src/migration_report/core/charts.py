"""The book's chart layer: one Vega-Lite specification per figure, interactive in the HTML book and
a static image of the same specification in the PDF.

A chapter's chart module builds panels, Vega-Lite specifications written as dicts
(`migration_report.core.vegalite`), with the builders here (`time_series`, `bars`) or its own, and
wraps them in a `Figure`, which the notebook glues:

- `text/html`: for each panel a `<div class="vega-chart">` holding the specification as inert
  Vega-Lite JSON, which the HTML build compiles to Vega (`chart_compile`: pages load only the Vega
  runtime, not the Vega-Lite compiler) in `<script type="application/json">`; a hint line; the
  source line as text. The
  book's `charts.js` (`migration_report.sphinx.charts`) draws it, on the pages that have one.
- the image of the PDF: the same panels stacked, with the source line under them, as a static
  Vega-Lite specification (`chart_image.STATIC_MIME`); a PDF build draws it as a PNG with
  vl-convert, without a browser, at a fixed scale (PNG at a fixed scale is byte-identical between
  runs; vl-convert's PDF output is not). A notebook run draws nothing: most runs build no PDF.

MyST-NB gives HTML builds the first part and LaTeX the second (`migration_report.core.chart_image`). The style (Okabe–Ito palette,
fonts and sizes, number formats, axis titles with units, the source line) lives here, so an
interactive chart and its image look alike. Every word a chart shows comes from TEXT or from
the chapter's own TEXT, messages translated into the edition's language (`migration_report.core.i18n`);
month names and numbers come from `i18n` too, so both editions show the same numbers.

The labels of shaded periods and of rules stand in a strip above the plot, one to a line, so that
no label lies over the data or over another label (tests/test_browser_charts.py measures it in
the drawn charts). A label beside a rule or a band is placed in the browser, at the chart's width
(`label_x`): the plot is about 320 px wide on a phone and 670 px on a desktop, and a label that
fits beside its rule on one may not on the other.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
from dataclasses import dataclass, field
from typing import ClassVar

import pandas as pd

from migration_report.core import chart_compile, i18n, style
from migration_report.core import vegalite as vl
from migration_report.core.style import STATIC_MIME
# Also charts.X for the chapters' figure modules: the measures and labels live in chart_base.
from migration_report.core.chart_base import (AXIS_COLOUR, BAR_TITLE_PX, DARK, FONT, FONT_SIZE, GRID_COLOUR,  # noqa: F401
    HEIGHT, HIGHLIGHT, ISO_FORMAT, LEGEND_LABEL_PX, LEGEND_ROW_CHARS, MARK, MIN_TEXT_PX, PLATE, PNG_SCALE, SHADE, TEXT_COLOUR,  # noqa: F401
    WIDTH, config, count_format, day_label, format_count, iso, legend_columns, legend_label_expr,  # noqa: F401
    month_axis, month_label, text_width, title_lines, wrapped_lines, _font, _lines, _wrap)  # noqa: F401
from migration_report.core.i18n import N_

TEXT = {
    "hint": N_("Point at the chart to read a month's values; click a legend entry to highlight that series "
               "(double-click the chart to show all again)."),
    "hint_single": N_("Point at the chart to read its values."),
    "month": N_("Month"),
}

SOURCE_WORD = style.SOURCE_WORD  # every figure's source line starts with it (or with the edition's word)


def text(key: str):
    """TEXT[key] in the edition's language."""
    return i18n.translated(TEXT[key])

@dataclass(frozen=True)
class Band:
    """A shaded period behind the data, with a label above the plot."""

    start: pd.Timestamp
    end: pd.Timestamp
    label: str
    colour: str = SHADE
    opacity: float = 1.0
    outline: str | None = None
    above: bool = False  # drawn over the data (an outline over stacked areas) rather than behind it


@dataclass(frozen=True)
class Rule:
    """A dashed vertical line at a date (`at`) or a horizontal one at a value (`level`), labelled."""

    label: str
    at: pd.Timestamp | None = None
    level: float | None = None
    colour: str = MARK
    dash: tuple = (5, 3)
    align: str = "left"  # which side of a vertical rule its label sits on; "right" near the right edge


RULE_LABEL_CHARS = 24  # a vertical rule's label wraps at this many characters, so that it fits beside its rule on a phone


def label_x(preferred: str = "left", gap: float = 4, flip: bool = True) -> dict:
    """Where a label (left-aligned) starts, in px, beside its anchor at `datum.p` (the anchor's
    place along the plot, 0 to 1) and `datum.text_px` wide: on the PREFERRED side of the anchor
    if it fits there, else (with FLIP) on the other side, else as near the anchor as the plot's
    width allows. The plot's width is only known in the browser (a phone's column or a desktop's),
    so this is an expression Vega evaluates at each width."""
    at, w = "datum.p * width", "datum.text_px"
    right, left = f"({at} + {gap})", f"({at} - {gap} - {w})"
    first, second = (right, left) if preferred == "left" else (left, right)
    fits = lambda x: f"({x} >= 0 && {x} + {w} <= width)"  # noqa: E731
    nearest = f"clamp({first}, 0, max(0, width - {w}))"
    return vl.expr(nearest if not flip else f"{fits(first)} ? {first} : {fits(second)} ? {second} : {nearest}")


def _along(stamp, domain) -> float:
    """Where a date lies along the x domain (first, last), from 0 to 1."""
    first, last = (pd.Timestamp(d) for d in domain)
    return float((pd.Timestamp(stamp) - first) / (last - first))



# Labels of bands and rules sit in a strip above the plot, one to a line, where no data are drawn:
# inside the plot they lay over lines and bars and, on a phone, over each other. Lines are counted
# from the plot up: vertical rules' labels nearest (each rule runs up to its label), then bands',
# then the keys of horizontal rules (a sample of the rule's line and its label).
STRIP_LINE = FONT_SIZE + 4  # px per line of the strip
STRIP_GAP = 4  # px between the plot's top and the strip's lowest line
KEY_PX = 22  # the length of a horizontal rule's sample in its key


def strip_top(line: int) -> int:
    """The top of the strip's line LINE (0 nearest the plot), in px from the plot's top (negative: above it)."""
    return -(STRIP_GAP + (line + 1) * STRIP_LINE)


def strip_lines(bands=(), rules=()) -> int:
    """How many lines of the strip the labels of BANDS and RULES take."""
    return sum(len(_rule_lines(r)) if r.at is not None else 1 for r in rules) + len(bands)


LEGEND_OFFSET = 18  # Vega's own gap between a top legend and the plot


def legend_offset(lines: int) -> int:
    """The gap between a top legend and the plot, room for LINES lines of the strip between them:
    Vega places a legend by the plot and its axes, not by marks drawn outside the plot."""
    return LEGEND_OFFSET + (STRIP_GAP + lines * STRIP_LINE if lines else 0)


def _rule_lines(rule) -> list[str]:
    return _lines(rule.label, RULE_LABEL_CHARS) if rule.at is not None else [rule.label]


def _band_rects(bands) -> list:
    if not bands:
        return []
    frame = pd.DataFrame({"start": [iso(b.start) for b in bands], "end": [iso(b.end) for b in bands],
                          "colour": [b.colour for b in bands], "opacity": [b.opacity for b in bands],
                          "outline": [b.outline or "transparent" for b in bands]})
    return [vl.chart(frame, vl.mark("rect", strokeWidth=1.5), {
        "x": vl.field("start:T", scale={"type": "utc"}), "x2": vl.field("end"),
        "color": vl.field("colour:N", scale=None), "opacity": vl.field("opacity:Q", scale=None),
        "stroke": vl.field("outline:N", scale=None)})]


def _band_labels(bands, domain, first_line: int) -> list:
    """Each band's label in the strip, one line each, from the band's start or as far right as it fits."""
    if not bands:
        return []
    frame = pd.DataFrame({"label": [b.label for b in bands],
                          "p": [max(0.0, _along(b.start, domain)) for b in bands],
                          "text_px": [text_width(b.label) for b in bands],
                          "top": [strip_top(first_line + i) for i in range(len(bands))]})
    return [vl.chart(frame, vl.mark("text", align="left", baseline="top", color=MARK), {
        "x": vl.value(label_x("left", gap=0, flip=False)), "y": vl.value(vl.expr("datum.top")),
        "text": vl.field("label:N")})]


def _band_layers(bands, domain, first_line: int = 0) -> list:
    """Shaded periods behind the data, labelled in the strip above the plot."""
    return _band_rects(bands) + _band_labels(bands, domain, first_line)


def _rule_layers(rules, height, domain, first_line: int = 0) -> list:
    """Each rule and its label: a vertical rule runs from its label in the strip down through the
    plot; a horizontal rule crosses the plot, and its key (a sample of its line, then its label)
    stands in the strip. Returns the layers; the rules take strip lines from FIRST_LINE up."""
    layers, line = [], first_line
    for rule in rules:
        lines = _rule_lines(rule)
        rule_mark = {"strokeDash": list(rule.dash), "color": rule.colour, "strokeWidth": 1.2}
        if rule.at is not None:
            top = strip_top(line + len(lines) - 1)
            frame = pd.DataFrame({"label": [lines], "at": [iso(rule.at)], "p": [_along(rule.at, domain)],
                                  "text_px": [max(text_width(text) for text in lines)]})
            layers.append(vl.chart(frame, vl.mark("rule", **rule_mark), {
                "x": vl.field("at:T", scale={"type": "utc"}), "y": vl.value(strip_top(line) + STRIP_LINE),
                "y2": vl.value(height)}))
            layers.append(vl.chart(frame, vl.mark("text", align="left", baseline="top", lineHeight=STRIP_LINE,
                                                  color=rule.colour),
                                   {"x": vl.value(label_x(rule.align)), "y": vl.value(top), "text": vl.field("label:N")}))
        else:
            top = strip_top(line)
            frame = pd.DataFrame({"label": [rule.label], "level": [rule.level]})
            layers.append(vl.chart(frame, vl.mark("rule", **rule_mark), {"y": vl.field("level:Q")}))
            # aria=False: the sample is decoration (a mark with no field has no text for a screen reader); its label is read.
            layers.append(vl.chart(frame, vl.mark("rule", **rule_mark, aria=False), {
                "x": vl.value(0), "x2": vl.value(KEY_PX), "y": vl.value(top + STRIP_LINE / 2)}))
            layers.append(vl.chart(frame, vl.mark("text", align="left", baseline="top", color=rule.colour), {
                "x": vl.value(KEY_PX + 6), "y": vl.value(top), "text": vl.field("label:N")}))
        line += len(lines)
    return layers


# --- builders ----------------------------------------------------------------------------------


def time_series(wide: pd.DataFrame, *, labels: dict[str, str], colours: dict[str, str], y_title: str,
                x_title: str, kind: str = "line", unit: str = "", bands=(), rules=(), title: str | None = None,
                dashes: dict[str, list] | None = None, widths: dict[str, float] | None = None, height: int = HEIGHT,
                y_domain=None, shape_points: bool = False, at_month_end: bool = False, range_band=None):
    """Monthly series (index: month starts; one column per series) as lines or stacked steps.

    Hovering a month shows its label and every series' value (a transparent column per month
    carries the tooltip, so a reader need not hit a thin line); clicking a legend entry
    highlights that series. Lines are drawn at mid-month, stacked areas as steps over the month.
    """
    months = pd.DatetimeIndex(wide.index)
    keys = [k for k in labels if k in wide.columns]
    long = wide[keys].rename(columns=labels).rename_axis("month").reset_index().melt(
        "month", var_name="series", value_name="value").dropna(subset=["value"])
    mid = long["month"] + (pd.offsets.MonthEnd(0) if at_month_end else pd.Timedelta(days=14))
    long = long.assign(month=_iso_column(long["month"]), mid=_iso_column(mid), order=long["series"].map(
        {labels[k]: i for i, k in enumerate(keys)}))
    order = [labels[k] for k in keys]
    # Named after its series, so panels stacked for the PDF keep one selection each.
    selection = vl.point_selection("highlight_" + hashlib.sha1("|".join(order).encode()).hexdigest()[:10],
                                   ["series"], bind="legend")
    label_expr = legend_label_expr(order)
    legend = {"symbolType": "stroke" if kind == "line" else "square", "columns": legend_columns(order),
              **({"labelExpr": label_expr} if label_expr else {}), "offset": legend_offset(strip_lines(bands, rules))}
    colour = vl.field("series:N", scale={"domain": order, "range": [colours[k] for k in keys]}, sort=order,
                      legend=legend)
    highlight = vl.highlighted(selection, vl.value(1.0), vl.value(0.15))
    span = len(months)
    x_scale = {"type": "utc", "domain": [iso(months.min()), iso(months.max() + pd.offsets.MonthBegin(1))],
               "nice": False}
    x = vl.field("mid:T" if kind == "line" else "month:T", title=x_title, scale=x_scale, axis=month_axis(span))
    y = vl.field("value:Q", title=y_title, axis={"format": ",.0f"},
                 **({"scale": {"domain": list(y_domain)}} if y_domain else {}), stack="zero" if kind == "area" else None)
    if kind == "area":
        # Steps over the month; the last month's value repeated at the next month's start closes its step.
        last = long[long["month"] == long["month"].max()]
        closing = last.assign(month=iso(months.max() + pd.offsets.MonthBegin(1)))
        steps = pd.concat([long, closing]).sort_values(["order", "month"], kind="stable")
        data = vl.chart(steps, vl.mark("area", interpolate="step-after"), {
            "x": x, "y": y, "color": colour, "order": vl.field("order:Q"), "opacity": highlight})
    else:
        stroke = vl.field("series:N", scale={"domain": order, "range": [(dashes or {}).get(k, [1, 0]) for k in keys]},
                          legend=None)
        width = vl.field("series:N", scale={"domain": order, "range": [(widths or {}).get(k, 2) for k in keys]},
                         legend=None)
        data = vl.chart(long, vl.mark("line", point={"size": 30, "filled": True} if shape_points else False), {
            "x": x, "y": y, "color": colour, "strokeDash": stroke, "strokeWidth": width, "opacity": highlight})
    data = vl.with_params(data, selection)
    tooltip = _month_tooltip(wide[keys], labels, unit)
    hover = vl.chart(tooltip, vl.mark("rect", color=style.PALETTE["black"], opacity=0.0), {
        "x": vl.field("month:T", scale=x_scale), "x2": vl.field("next"),
        "tooltip": [vl.field("label:N", title=text("month"))] + [
            vl.field(f"s{i}:N", title=labels[k]) for i, k in enumerate(keys)]})
    behind, above = [b for b in bands if not b.above], [b for b in bands if b.above]
    domain = (months.min(), months.max() + pd.offsets.MonthBegin(1))
    vertical, level = [r for r in rules if r.at is not None], [r for r in rules if r.at is None]
    layers = _band_rects(behind) + _range_layers(wide, range_band, x_scale, colours) + [data] + _band_rects(above)
    layers += _rule_layers(vertical, height, domain)
    layers += _band_labels(behind + above, domain, first_line=strip_lines(rules=vertical))
    layers += _rule_layers(level, height, domain, first_line=strip_lines(behind + above, vertical)) + [hover]
    return vl.layer(*layers, height=height, **({"title": title} if title else {}))


def _range_layers(wide, range_band, x_scale, colours) -> list:
    """A shaded range between two series (low, high), behind the lines, in the low series' colour."""
    if not range_band:
        return []
    low, high = range_band
    months = pd.DatetimeIndex(wide.index)
    frame = pd.DataFrame({"at": [iso(m + pd.offsets.MonthEnd(0)) for m in months],
                          "low": wide[low].to_numpy(), "high": wide[high].to_numpy()})
    return [vl.chart(frame, vl.mark("area", color=colours[low], opacity=0.25), {
        "x": vl.field("at:T", scale=x_scale), "y": vl.field("low:Q"), "y2": vl.field("high")})]


def _iso_column(stamps: pd.Series) -> pd.Series:
    """`iso` of each date of a column, at once."""
    return stamps.dt.strftime(ISO_FORMAT)


def _month_tooltip(wide: pd.DataFrame, labels: dict[str, str], unit: str) -> pd.DataFrame:
    """One row per month: its label, and each series' value as the prose writes it."""
    months = pd.DatetimeIndex(wide.index)
    rows = pd.DataFrame({"month": months.strftime(ISO_FORMAT),
                         "next": (months + pd.offsets.MonthBegin(1)).strftime(ISO_FORMAT),
                         "label": [month_label(m) for m in months]})
    # Plain column names: a label's commas or brackets would be read as Vega-Lite field syntax.
    for i, key in enumerate(wide.columns):
        rows[f"s{i}"] = [format_count(v, unit) for v in wide[key]]
    return rows


def bars(frame: pd.DataFrame, *, category: str, value: str, colours: dict[str, str], x_title: str,
         y_title: str, unit: str = "", label_format: str = ",", height: int | None = None):
    """Horizontal bars, one per category (in the frame's order), each labelled with its value."""
    order = list(frame[category])
    data = frame.assign(shown=[format_count(v, unit) for v in frame[value]])
    shared = {"y": vl.field(f"{category}:N", sort=order, title=y_title, axis={"labelLimit": 0}),
              "x": vl.field(f"{value}:Q", title=title_lines(x_title, BAR_TITLE_PX),
                            axis={"format": label_format, "tickMinStep": 1, "grid": True}),
              "tooltip": [vl.field(f"{category}:N", title=y_title), vl.field("shown:N", title=x_title)]}
    bar = {"mark": vl.mark("bar", height=22), "encoding": {**shared, "color": vl.field(
        f"{category}:N", scale={"domain": order, "range": [colours[c] for c in order]}, legend=None)}}
    text = {"mark": vl.mark("text", align="left", dx=4), "encoding": {**shared, "text": vl.field("shown:N")}}
    return vl.layer(bar, text, data={"values": vl.records(data)}, height=height or 40 * len(order))


# --- the figure --------------------------------------------------------------------------------


@dataclass
class Figure:
    """A chart for `glue`: interactive HTML for the HTML book, a PNG for the PDF.

    `panels` are Vega-Lite specifications (`vegalite.layer`, `vegalite.chart`) drawn one under the other; `source` is the 'Source: …' line;
    `interactive` says whether the hint line (HTML only) speaks of series to highlight.
    """

    panels: list
    source: str
    series: bool = True
    name: str = "chart"
    # The PDF image's width in CSS px: wider than WIDTH for a tall figure, which then prints at
    # a smaller scale so that it and its caption fit on a page.
    static_width: int = WIDTH
    # A Vega expression of the chart's width for its height in the HTML book, where a chart laid out
    # for its width needs one (the actor network); else each panel's own height.
    height_expr: str | None = None
    # What the PDF stacks, where it is not `panels` (a chart laid out for its width: its PDF layout).
    static_panels: list | None = None
    _png: bytes | None = field(default=None, repr=False)

    def __post_init__(self):
        style.check_source_line(self.source)
        if not self.panels:
            raise ValueError("a figure needs at least one panel")
        # The figure's data, written next (outputs.figure_data), name this source in their descriptor.
        style.last_source = self.source.removeprefix(SOURCE_WORD + ":").removeprefix(
            i18n.gettext(SOURCE_WORD) + ":").strip()

    # Vega config that Vega-Lite has no words for, added to each panel's compiled Vega.
    vega_config: ClassVar[dict | None] = None

    def panel_vegalite(self) -> list[dict]:
        """Each panel as Vega-Lite with the book's config, and what the compiled Vega needs besides
        (`chart_compile`) in its usermeta."""
        book = {key: value for key, value in (("height_expr", self.height_expr), ("vega_config", self.vega_config))
                if value}
        specs = [vegalite(panel) for panel in self.panels]
        for spec in specs if book else ():
            spec.setdefault("usermeta", {})[chart_compile.BOOK_KEY] = book
        return specs

    def panel_specs(self) -> list[dict]:
        """Each panel as the Vega specification the HTML book draws."""
        return [chart_compile.compile_panel(spec) for spec in self.panel_vegalite()]

    def static_spec(self) -> dict:
        """All panels stacked with the source line under them, compiled to Vega: what the PDF shows."""
        return chart_compile.compile_panel(self.static_vegalite())

    def static_vegalite(self, panels: list[dict] | None = None) -> dict:
        """All panels stacked with the source line under them, as Vega-Lite with the book's config
        (PANELS: `panel_vegalite()`, where it is already made). Stacked from the panels' Vega-Lite
        (`chart_compile.stack_vegalite`), so that a notebook run need not build it."""
        if self.static_panels:
            panels = [vegalite(panel) for panel in self.static_panels]
        elif panels is None:
            panels = self.panel_vegalite()
        lines = _wrap(self.source, round(95 * self.static_width / WIDTH))
        return chart_compile.stack_vegalite(panels, lines, width=None if self.static_width == WIDTH else self.static_width,
                                            source_font_size=FONT_SIZE - 1)

    def png(self) -> bytes:
        """The PDF's image (drawn by a PDF build from `static_vegalite()`, see `chart_image`)."""
        if self._png is None:
            self._png = static_png(self.static_vegalite())
        return self._png

    def html(self, panels: list[dict] | None = None) -> str:
        """The HTML book's chart (PANELS: `panel_vegalite()`, where it is already made)."""
        hint = text("hint") if self.series else text("hint_single")
        dark = html.escape(json.dumps(DARK, sort_keys=True), quote=True)
        parts = [f'<div class="chart-figure" data-dark="{dark}">',
                 f'<p class="chart-hint">{html.escape(hint)}</p>',
                 # The alt text of the {glue:figure} replaces ALT (migration_report.sphinx.charts).
                 '<div class="vega-charts" role="img" tabindex="0" aria-label="ALT">']
        # Compiled to Vega when the HTML book is built (chart_compile), not in every notebook run.
        for spec in self.panel_vegalite() if panels is None else panels:
            parts.append(f'<div class="vega-chart">{chart_compile.vegalite_script(spec)}</div>')
        parts += ["</div>", f'<p class="chart-source">{self.source_html()}</p>', "</div>"]
        return "\n".join(parts)

    def source_html(self) -> str:
        """The source line, escaped, with the English titles of the releases marked lang="en" in another
        edition, and in the English edition the Spanish names (a dataset's title may hold one) lang="es"."""
        from migration_report.core.outputs import SPANISH_NAMES

        spanish = re.compile("|".join(map(re.escape, SPANISH_NAMES)))
        parts = []
        for piece, english in i18n.english_pieces(self.source):
            if english:
                parts.append(f'<span lang="en">{html.escape(piece)}</span>')
            elif i18n.language() == "en":
                start = 0
                for match in spanish.finditer(piece):
                    parts += [html.escape(piece[start:match.start()]),
                              f'<span lang="es">{html.escape(match.group())}</span>']
                    start = match.end()
                parts.append(html.escape(piece[start:]))
            else:
                parts.append(html.escape(piece))
        return "".join(parts)

    def _repr_mimebundle_(self, include=None, exclude=None):
        panels = self.panel_vegalite()
        return {"text/html": self.html(panels), STATIC_MIME: self.static_vegalite(panels),
                "text/plain": f"<chart {self.name}>"}


def vegalite(chart: dict, autosize=None) -> dict:
    """A panel (a specification made with `migration_report.core.vegalite`) as a top-level Vega-Lite
    specification with the book's config, its data in `datasets`."""
    spec = {**vl.top_level(chart), "$schema": vl.SCHEMA, "config": config()}
    if autosize is not None:
        spec["autosize"] = autosize
    return spec


def vega(chart: dict, autosize=None) -> dict:
    """A panel compiled to Vega with the book's config."""
    return chart_compile.compile_panel(vegalite(chart, autosize))


def static_png(spec: dict) -> bytes:
    """The PNG of a figure's static Vega-Lite specification (`Figure.static_vegalite`), at PNG_SCALE."""
    import vl_convert  # only a PDF build draws images

    return vl_convert.vega_to_png(chart_compile.compile_panel(spec), scale=PNG_SCALE)



