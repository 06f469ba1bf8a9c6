"""The introduction's figure: the article's claims by verdict (fig-claim-verdicts), as a
`charts.Figure`. Its words are in TEXT."""

from __future__ import annotations

import pandas as pd

from . import charts, style

TEXT = {
    "x": "Claims in the article (number)",
    "y": "Verdict",
    "unit": "",
}


def verdict_figure(counts: pd.Series, *, source: str) -> charts.Figure:
    """One bar per verdict, in the register's order, in the verdict's colour, labelled with its count."""
    frame = pd.DataFrame({"verdict": counts.index, "claims": counts.to_numpy()})
    chart = charts.bars(frame, category="verdict", value="claims", colours=style.VERDICT_COLOURS,
                        x_title=TEXT["x"], y_title=TEXT["y"], unit=TEXT["unit"], label_format="d")
    return charts.Figure([chart], source=source, series=False, name="fig-claim-verdicts")
