"""The introduction's figure: the article's claims by verdict (fig-claim-verdicts), as a
`charts.Figure`. Its words are in TEXT, and the verdicts are named in the edition's language."""

from __future__ import annotations

import pandas as pd

from migration_report.core import charts, style
from migration_report.core.i18n import N_, _

TEXT = {
    "x": N_("Claims in the article (number)"),
    "y": N_("Verdict"),
}


def verdict_figure(counts: pd.Series, *, source: str) -> charts.Figure:
    """One bar per verdict, in the register's order, in the verdict's colour, labelled with its count."""
    names = [_(verdict) for verdict in counts.index]  # "supported" -> "se sostiene"
    frame = pd.DataFrame({"verdict": names, "claims": counts.to_numpy()})
    colours = {_(verdict): colour for verdict, colour in style.VERDICT_COLOURS.items()}
    chart = charts.bars(frame, category="verdict", value="claims", colours=colours,
                        x_title=_(TEXT["x"]), y_title=_(TEXT["y"]), label_format="d")
    return charts.Figure([chart], source=source, series=False, name="fig-claim-verdicts")
