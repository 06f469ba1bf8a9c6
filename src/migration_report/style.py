"""One figure style for the whole book.

Colour-blind-safe colours (Okabe & Ito), labelled axes with units, and a source line under
every figure. Figures are drawn on white so they read the same in the theme's light and dark
modes and in print; they are emitted as SVG for the HTML and PDF for the LaTeX book, with
fixed metadata so two builds give identical files.
"""

from __future__ import annotations

import os

import matplotlib as mpl
import matplotlib.pyplot as plt
from matplotlib.ticker import FuncFormatter

from .i18n import N_, _

SOURCE_WORD = N_("Source")

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
TITLE_COLOURS = {"Title 8": PALETTE["blue"], "Title 42": PALETTE["vermillion"]}

FIGSIZE = (7.0, 4.0)  # inches; fits the HTML column and an A4/letter text block
SOURCE_FONTSIZE = 8


def use() -> None:
    """Apply the book's style; call once at the top of each chapter."""
    # Dates in SVG and PDF metadata come from this variable; a fixed value makes builds identical.
    # Set, not defaulted: scripts/build-book exports the last commit's time for the pages' date,
    # and figures stamped with it would differ between a cached and a fresh execution.
    os.environ["SOURCE_DATE_EPOCH"] = "0"
    mpl.rcParams.update(
        {
            "figure.figsize": FIGSIZE,
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
            # figure's cost (scripts/bench --profile); the text stays extractable.
            "pdf.fonttype": 3,
        }
    )
    try:
        from matplotlib_inline.backend_inline import set_matplotlib_formats
    except ImportError:  # outside Jupyter
        return
    # No "tight" cropping: finish() already lays the figure out to fit its canvas, and cropping
    # costs a second drawing of every figure in every format.
    set_matplotlib_formats("svg", "pdf", bbox_inches=None)


def thousands(ax, axis: str = "y") -> None:
    """Tick labels with thousands separators (1,000 rather than 1000)."""
    formatter = FuncFormatter(lambda value, _pos: f"{value:,.0f}")
    (ax.yaxis if axis == "y" else ax.xaxis).set_major_formatter(formatter)


def check_source_line(source: str) -> None:
    """Every figure's source line starts with "Source", or the edition's word for it ("Fuente")."""
    if not source.startswith((SOURCE_WORD, _(SOURCE_WORD))):
        raise ValueError("the source line must start with 'Source'")


def finish(fig, ax, *, xlabel: str, ylabel: str, source: str, title: str | None = None):
    """Label the axes, add the source line under the figure, and close it for glueing.

    Axis labels are required so every chart states its units; `source` is the 'Source: …'
    text (see `migration_report.data.source_line`).
    """
    if not xlabel or not ylabel:
        raise ValueError("every chart needs x and y axis labels with units")
    check_source_line(source)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    if title:
        ax.set_title(title, loc="left")
    fig.tight_layout(rect=(0, 0.06, 1, 1))
    fig.text(0.01, 0.01, source, fontsize=SOURCE_FONTSIZE, color="#444444", ha="left", va="bottom", wrap=True)
    plt.close(fig)
    # Every chapter finishes a figure and then writes its data (outputs.figure_data), which
    # names this source in the data's descriptor without each call having to repeat it.
    global last_source
    last_source = source.removeprefix("Source:").strip()
    return fig


last_source: str | None = None  # the source line of the figure finished last (see finish)


def figure(width: float = FIGSIZE[0], height: float = FIGSIZE[1]):
    """A new figure and axes in the book's style."""
    return plt.subplots(figsize=(width, height))
