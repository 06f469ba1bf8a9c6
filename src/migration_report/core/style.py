"""The book's colours, and matplotlib settings for a figure drawn with matplotlib.

Colour-blind-safe colours (Okabe & Ito), one per recurring quantity and verdict, shared by the
chart layer (`migration_report.core.charts`, where the rest of the figure style lives) and the actor
network (`migration_report.chapters.institutional_actors.figures`, a chart since it needed a layout per width). `use()`
sets matplotlib on white, as SVG for the HTML and PDF for the LaTeX book, with fixed metadata so
two builds give identical files; no figure of the book is drawn with matplotlib any more.
"""

from __future__ import annotations

import os

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

SOURCE_FONTSIZE = 8


def use() -> None:
    """Apply the book's matplotlib style; call once at the top of a chapter that draws with matplotlib."""
    # Dates in SVG and PDF metadata come from this variable; a fixed value makes builds identical.
    # Set, not defaulted: scripts/build-book exports the last commit's time for the pages' date,
    # and figures stamped with it would differ between a cached and a fresh execution.
    os.environ["SOURCE_DATE_EPOCH"] = "0"
    import matplotlib as mpl  # here, not at the top: the charts use the colours without matplotlib

    mpl.rcParams.update(
        {
            "figure.dpi": 100,
            "savefig.dpi": 200,
            "figure.facecolor": "white",
            "axes.facecolor": "white",
            "savefig.facecolor": "white",
            "axes.prop_cycle": mpl.cycler(color=CYCLE),
            "axes.spines.top": False,
            "axes.spines.right": False,
            "axes.grid": True,
            "axes.grid.axis": "y",
            "grid.color": "#DDDDDD",
            "grid.linewidth": 0.6,
            "axes.titlesize": 11,
            "axes.labelsize": 10,
            "xtick.labelsize": 9,
            "ytick.labelsize": 9,
            "legend.fontsize": 9,
            "legend.frameon": False,
            "font.family": "DejaVu Sans",
            "svg.fonttype": "none",
            "svg.hashsalt": "migration-report",
            # Type 3 (not 42) fonts in PDF figures: subsetting TrueType fonts was most of each
            # figure's cost (migration_report.build.bench --profile); the text stays extractable.
            "pdf.fonttype": 3,
        }
    )
    try:
        from matplotlib_inline.backend_inline import set_matplotlib_formats
    except ImportError:  # outside Jupyter
        return
    # No "tight" cropping: the drawing lays the figure out to fit its canvas, and cropping costs a
    # second drawing of every figure in every format.
    set_matplotlib_formats("svg", "pdf", bbox_inches=None)


def check_source_line(source: str) -> None:
    """Every figure's source line starts with "Source", or the edition's word for it ("Fuente")."""
    if not source.startswith((SOURCE_WORD, _(SOURCE_WORD))):
        raise ValueError("the source line must start with 'Source'")


# The source line of the chart made last: `charts.Figure` sets it, and the figure's data, written
# next (outputs.figure_data), name this source in their descriptor without each call repeating it.
last_source: str | None = None
