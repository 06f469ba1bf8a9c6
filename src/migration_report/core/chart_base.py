"""The charts' measures, colours, axis labels and text fitting, shared by the chart builders
(`migration_report.core.charts`) and the chapters' figure modules: sizes in CSS px, the Vega-Lite
config every chart carries, month and day labels in the edition's language, and how wide a label
is drawn in the charts' font, so that a label is placed or wrapped where it fits."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import pandas as pd

from migration_report.core import i18n, style


PNG_SCALE = 2  # device pixels per CSS pixel in the PDF's images: sharp in print, identical between runs
WIDTH = 640  # CSS px; in HTML each chart is resized to its column (charts.js), the PDF uses this width
HEIGHT = 300
FONT = "DejaVu Sans, Verdana, Arial, sans-serif"  # what the matplotlib figures used; Verdana-like fallbacks
FONT_SIZE = 13  # CSS px for every chart text; tests/test_browser.py fails below MIN_TEXT_PX
MIN_TEXT_PX = 12
TEXT_COLOUR = "#333333"
GRID_COLOUR = "#DDDDDD"
AXIS_COLOUR = "#888888"
SHADE = "#E8E8E8"  # periods (Title 42, a fiscal year) behind the data
HIGHLIGHT = "#F7F0A6"  # a highlighted period (May-June 2023): an opaque tint of the palette's yellow
MARK = "#555555"  # rules and their labels (a date, a level)
PLATE = "#FDFDFD"  # behind a label that lies over the data: the page's colour (white, or dark in dark mode)

# Dark mode: charts.js swaps each colour for its counterpart, so one specification serves both.
# The Okabe–Ito hues stay (they are chosen to be told apart); black and the greys are inverted.
DARK = {
    style.PALETTE["black"]: "#EEEEEE",
    TEXT_COLOUR: "#DDDDDD",
    GRID_COLOUR: "#3A3A3A",
    AXIS_COLOUR: "#999999",
    SHADE: "#2E3238",
    MARK: "#BBBBBB",
    style.PALETTE["grey"]: "#A8A8A8",
    style.PALETTE["blue"]: "#3A9AD9",  # #0072B2 is too dark on the theme's dark background
    "white": "transparent",
    # A yellow tint on a dark page reads as olive: in dark mode the period keeps only its yellow outline.
    HIGHLIGHT: "transparent",
    PLATE: "#121212",  # the theme's dark background
}


def config() -> dict:
    """The Vega-Lite config every chart shares."""
    text = {"labelFont": FONT, "titleFont": FONT, "labelFontSize": FONT_SIZE, "titleFontSize": FONT_SIZE,
            "labelColor": TEXT_COLOUR, "titleColor": TEXT_COLOUR, "titleFontWeight": "normal"}
    return {
        "background": "white",
        "font": FONT,
        "padding": 6,
        "autosize": {"type": "fit-x", "contains": "padding"},
        "view": {"stroke": None, "continuousWidth": WIDTH, "continuousHeight": HEIGHT},
        "axis": {**text, "gridColor": GRID_COLOUR, "domainColor": AXIS_COLOUR, "tickColor": AXIS_COLOUR,
                 "labelOverlap": True, "titlePadding": 8},
        "axisX": {"grid": False},
        "legend": {**text, "orient": "top", "direction": "vertical", "columns": 2, "labelLimit": 0,
                   "symbolStrokeWidth": 3, "columnPadding": 16, "rowPadding": 4, "title": None},
        "title": {"font": FONT, "fontSize": FONT_SIZE, "color": TEXT_COLOUR, "anchor": "start",
                  "fontWeight": "bold", "subtitleFont": FONT, "subtitleFontSize": FONT_SIZE,
                  "subtitleColor": TEXT_COLOUR},
        "text": {"font": FONT, "fontSize": FONT_SIZE, "color": TEXT_COLOUR},
        "range": {"category": style.CYCLE},
    }


# --- reader-facing labels ----------------------------------------------------------------------


def month_label(stamp) -> str:
    """A month in a tooltip: May 2023 / mayo de 2023."""
    return i18n.month(pd.Timestamp(stamp))


def day_label(stamp) -> str:
    """A day in a tooltip: 26 July 2023 / 26 de julio de 2023."""
    return i18n.date(pd.Timestamp(stamp))


ISO_FORMAT = "%Y-%m-%dT%H:%M:%SZ"  # iso's, for a whole column at once (charts)


def iso(stamp) -> str:
    """A date as Vega reads it: ISO with a Z, so it is UTC and the axis shows the same month everywhere.
    (JavaScript reads a date-time without an offset in the local time zone: without the Z, a chart, its
    PNG and so the PDF changed with the TZ of the machine or the reader.)"""
    return pd.Timestamp(stamp).strftime(ISO_FORMAT)


def month_axis(span_months: int, **kwargs) -> dict:
    """A date axis: years for long spans, 'Jan 2023' or 'Jan' for short ones (ene 2023 in Spanish:
    the edition's abbreviated month names, from CLDR)."""
    names = json.dumps(list(i18n.month_names(abbreviated=True)), ensure_ascii=False)
    if span_months > 30:
        return {"format": "%Y", "formatType": "utc", "tickCount": "year", **kwargs}
    if span_months > 12:
        return {"labelExpr": f"{names}[utcmonth(datum.value)] + ' ' + utcyear(datum.value)",
                "tickCount": {"interval": "month", "step": 3}, **kwargs}
    return {"labelExpr": f"{names}[utcmonth(datum.value)]", "tickCount": {"interval": "month", "step": 1}, **kwargs}


@lru_cache(maxsize=1)
def _font():
    from PIL import ImageFont

    # DejaVu Sans, FONT's first choice, as matplotlib ships it (so it is there wherever the book builds;
    # found without importing matplotlib, which a chart does not otherwise need).
    from importlib.util import find_spec

    data = Path(find_spec("matplotlib").origin).parent / "mpl-data"
    return ImageFont.truetype(str(data / "fonts" / "ttf" / "DejaVuSans.ttf"), FONT_SIZE)


def text_width(text: str) -> float:
    """About how wide TEXT is drawn in the charts' font, in CSS px, with a margin for a reader's
    browser that falls back to Verdana or Arial: for placing a label where it fits."""
    return round(_font().getlength(text) * 1.08 + 2, 1)


def count_format(unit: str = "") -> str:
    """A Vega expression formatting datum.value's count as the prose does: 12,345 (and a unit).
    Vega's ',' is the comma thousands separator of both editions (`i18n.number`)."""
    return "format(datum.value, ',')" + (f" + {json.dumps(' ' + unit, ensure_ascii=False)}" if unit else "")


# --- annotations -------------------------------------------------------------------------------


def _lines(text: str, chars: int) -> list[str]:
    import textwrap

    return textwrap.wrap(text, chars, break_long_words=False) or [text]


LEGEND_ROW_CHARS = 80  # characters of two legend labels side by side that fit WIDTH at FONT_SIZE
# The widest legend label, in CSS px, that one legend column holds on a phone (a 390 px screen
# leaves the chart about 340 px, less the symbol); a longer one is drawn on two or more lines.
LEGEND_LABEL_PX = 240


def wrapped_lines(label: str, max_px: float) -> list[str]:
    """LABEL cut at spaces into lines no wider than MAX_PX in the charts' font (a word wider than
    that stays whole on its line)."""
    lines: list[str] = []
    for word in label.split():
        if lines and text_width(f"{lines[-1]} {word}") <= max_px:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines or [label]


# A bar chart's value-axis title is centred under a plot narrowed by the category labels: on a
# phone, one wider than this runs past the chart's right edge, so it is drawn on two lines.
BAR_TITLE_PX = 220


def title_lines(title: str, max_px: float) -> str | list[str]:
    """TITLE as Vega-Lite draws it: one line, or a list of lines when it is wider than MAX_PX."""
    return title if text_width(title) <= max_px else wrapped_lines(title, max_px)


def legend_label_expr(labels, max_px: float = LEGEND_LABEL_PX) -> str | None:
    """A Vega expression that draws each legend label wider than MAX_PX on several lines (Vega
    breaks a label given as an array of lines), or None when every label fits on one."""
    long = {label: wrapped_lines(label, max_px) for label in labels if text_width(label) > max_px}
    if not long:
        return None
    quote = lambda text: json.dumps(text, ensure_ascii=False)  # noqa: E731 (a Vega string literal)
    expr = "datum.label"
    for label, lines in reversed(list(long.items())):
        expr = f"datum.label === {quote(label)} ? [{', '.join(map(quote, lines))}] : {expr}"
    return expr


def legend_columns(labels) -> int:
    """Two legend columns (filled row by row), or one when the longest labels of the two columns
    together would not fit the chart's width (Spanish labels run longer than English ones)."""
    labels = list(labels)
    first, second = labels[0::2], labels[1::2]
    if not second:
        return 2
    return 1 if max(map(len, first)) + max(map(len, second)) > LEGEND_ROW_CHARS else 2


def format_count(value, unit: str = "") -> str:
    """A count as the prose writes it (12,345 encounters); a missing value as a dash."""
    if pd.isna(value):
        return "–"
    number = i18n.number(value, decimals=0 if float(value).is_integer() else 1)
    return f"{number} {unit}".strip()


def _wrap(text: str, width: int) -> list[str]:
    return _lines(text, width)
