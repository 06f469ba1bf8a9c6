"""The book's colours and its figures' source line.

Colour-blind-safe colours (Okabe & Ito), one per recurring quantity and verdict, shared by the
chart layer (`migration_report.core.charts`, where the rest of the figure style lives) and the actor
network (`migration_report.chapters.institutional_actors.figures`, a chart since it needed a layout per width).
No figure of the book is drawn with matplotlib.
"""

from __future__ import annotations

from migration_report.core.i18n import N_, _

# The output type under which a chart gives its PDF image (a static Vega-Lite specification): the
# chart layer writes it, and the PDF build's renderer (chart_image), which must load without the chart
# layer, draws it (importing the chart layer only then).
STATIC_MIME = "application/vnd.migration-report.chart-image+json"

SOURCE_WORD = N_("Source")  # every figure's source line starts with it (or with the edition's word)

# Okabe & Ito (2008), "Color Universal Design"; distinguishable with the common colour-vision deficiencies.
PALETTE = {
    "blue": "#0072B2",
    "orange": "#E69F00",
    "green": "#009E73",
    "vermillion": "#D55E00",
    "sky": "#56B4E9",
    "purple": "#CC79A7",
    "yellow": "#F0E442",
    "black": "#000000",
    "grey": "#8C8C8C",
}
# One colour per verdict, the same in every figure (the register's badges use tints of the same hues).
VERDICT_COLOURS = {"supported": PALETTE["green"], "partly supported": PALETTE["sky"],
                   "not supported": PALETTE["vermillion"], "not verifiable": PALETTE["grey"]}
CYCLE = [PALETTE[c] for c in ("blue", "orange", "green", "vermillion", "sky", "purple", "black")]

# Fixed colours for the quantities that recur across chapters, so a reader learns them once.
COMPONENT_COLOURS = {"USBP": PALETTE["blue"], "OFO": PALETTE["orange"]}

def check_source_line(source: str) -> None:
    """Every figure's source line starts with "Source", or the edition's word for it ("Fuente")."""
    if not source.startswith((SOURCE_WORD, _(SOURCE_WORD))):
        raise ValueError("the source line must start with 'Source'")


# The source line of the chart made last: `charts.Figure` sets it, and the figure's data, written
# next (outputs.figure_data), name this source in their descriptor without each call repeating it.
last_source: str | None = None
