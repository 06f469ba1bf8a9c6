"""What the chapter "flow-statistics" shows readers in words and tables, made from `flows`' numbers.

Every piece of text here is a template in TEXT, so an edition in another language replaces the
dict and nothing else. The tables are MyST {table} directives for `glue:md` (numbered, so
{numref} works in HTML and PDF); their cells are escaped (`outputs.escape`) unless they are
`outputs.Markup`, since citizenship names and labels come from data files.
"""

from __future__ import annotations

import pandas as pd
from IPython.display import Markdown

from . import flows
from .outputs import Markup, escape

TEXT = {
    # words inside sentences
    "fell": "fell",
    "rose": "rose",
    "no_month": "none",
    "month": "{:%B %Y}",
    "month_alone": "{:%B}",
    "window": "{first:%b}–{last:%b %Y}",
    "end_of_sentence": ".",
    "end_of_sentence_gaps": "; {gaps}.",
    "ofo_record": "higher than in any earlier month of the series",
    "ofo_no_record": "not a record",
    "releases_same": "gives the same figures for both months",
    "releases_revised": "revises them again",
    "overlap_exact": "agree exactly",
    "overlap_differ": "differ by at most {difference:,} encounters",
    # numbers in tables
    "count": "{:,}",
    "share": "{:.1f}",
    "percent": "{:+.1f}\u00a0%",  # a no-break space keeps the % with its number
    "points": "{:+.1f}",
    # the window table (tab-flow-window)
    "window_caption": "Encounters in the selected months, by component and title of authority.",
    "window_columns": ("Component", "Title 8", "Title 42", "Total"),
    "window_total_row": "Total",
    # the four measures (tab-flow-may-june)
    "may_june_caption": "Southwest border encounters in May and June 2023, four measures.",
    "may_june_columns": ("Measure", "May 2023", "June 2023", "Change"),
    # the releases (tab-flow-releases)
    "releases_caption": "May and June 2023 in three CBP releases.",
    "releases_rows": ("Border Patrol, May", "Border Patrol, June", "Border Patrol, change",
                      "All Southwest border, May", "All Southwest border, June", "All Southwest border, change"),
    "releases_columns": ("Figure", "First releases (June and July 2023)", "Nationwide files (Nov 2023, Oct 2024)",
                         "Southwest file (Aug 2025)"),
    # the last lower month (tab-flow-lowest)
    "lowest_caption": "The last month before June 2023 with fewer encounters, by measure.",
    "lowest_columns": ("Measure", "June 2023", "Last lower month", "Its encounters"),
    "lowest_record": " (June a record)",
    # by nationality (tab-flow-nationality)
    "nationality_caption": ("Southwest border encounters by citizenship, the last four full months under Title 42 "
                            "and the first four after it."),
    # Two share columns: the second header ends in a space so the two stay distinct columns.
    "nationality_columns": ("Citizenship", "{before}", "Share (%)", "{after}", "Share (%) ", "Change (points)"),
    "citizenship_groups": {"OTHER": "Other (CBP's 'OTHER')", flows.REST_LISTED: flows.REST_LISTED},
    # the 272,000 reconciliation (tab-flow-272000)
    "reconciliation_caption": ("Cumulative CHNV paroles and CBP One appointments since October 2022, at the end of "
                               "May, June and July 2023."),
    "reconciliation_first_column": "Cumulative count",
    "reconciliation_month_column": "End of {:%B}",
    "reconciliation_last_column": "First above",
    "reconciliation_rows": {
        "paroles": "(a) CHNV paroles",
        "cbp_one_chv": "(b) CBP One: Cubans, Haitians, Venezuelans",
        "chnv_low": "(c) = (a) + (b)",
        "chnv_high": "(d) = (c) + CBP One 'other'",
        "paroles_plus_all": "(e) = (a) + CBP One, all nationalities",
    },
}


# --- Words --------------------------------------------------------------------------------------


def moved(pct: float) -> str:
    """The verb for a change: 'fell' for a negative one, else 'rose' (the sentence gives the size)."""
    return TEXT["fell"] if pct < 0 else TEXT["rose"]


def pct_text(pct: float) -> str:
    """A signed percentage for tables, with a true minus sign: '−30.1 %'."""
    return TEXT["percent"].format(pct).replace("-", "\u2212")


def points_text(points: float) -> str:
    """A signed change in percentage points, with a true minus sign: '−4.2'."""
    return TEXT["points"].format(points).replace("-", "\u2212")


def month_text(stamp) -> str:
    """'June 2023'; 'none' for a missing month (no lower month, say)."""
    return TEXT["no_month"] if stamp is None or pd.isna(stamp) else TEXT["month"].format(stamp)


def month_name(stamp) -> str:
    """'June', for a sentence that has already given the year."""
    return TEXT["month_alone"].format(stamp)


def window_label(bounds: tuple[str, str]) -> str:
    """A window of months ('YYYY-MM', 'YYYY-MM') as 'Jan–Apr 2023'."""
    first, last = (pd.Timestamp(b + "-01") for b in bounds)
    return TEXT["window"].format(first=first, last=last)


def citizenship_name(citizenship: str) -> str:
    """A citizenship as CBP spells it ('EL SALVADOR') for readers ('El Salvador'); CBP's 'OTHER'
    and the table's own group of the rest by their names."""
    return TEXT["citizenship_groups"].get(citizenship, citizenship.title())


def measure_name(label: str) -> str:
    """A measure's label without its explanation in brackets: 'Border Patrol'."""
    return label.split(" (")[0]


def end_of_sentence(gaps: str) -> str:
    """The end of the overview's sentence: '.' or, when months have no data, '; no data for …'."""
    return TEXT["end_of_sentence_gaps"].format(gaps=gaps) if gaps else TEXT["end_of_sentence"]


def record_text(highest_to_date: bool) -> str:
    """What Field Operations' June 2023 was: a record or not."""
    return TEXT["ofo_record"] if highest_to_date else TEXT["ofo_no_record"]


def release_agreement(same: bool) -> str:
    """What the August 2025 file does with the figures of the Nationwide files."""
    return TEXT["releases_same"] if same else TEXT["releases_revised"]


def overlap_agreement(max_difference: int) -> str:
    """How the two CBP long-run series compare where they overlap (`flows.handover`)."""
    return TEXT["overlap_exact"] if max_difference == 0 else TEXT["overlap_differ"].format(difference=max_difference)


def _count(value) -> str:
    return TEXT["count"].format(value)


# --- Tables -------------------------------------------------------------------------------------


def _cell(text) -> str:
    """Cell text made inert for MyST by `escape`. A no-break space (as in '−30.1 %') is kept:
    it cannot break the table's row, and escape would make it an ordinary space."""
    if isinstance(text, Markup):
        return text
    return "\u00a0".join(escape(part) for part in str(text).split("\u00a0"))


def captioned(frame: pd.DataFrame, caption: str, name: str, colalign) -> Markdown:
    """A numbered table (MyST {table} directive) for glue:md, so {numref} works in HTML and PDF.

    Headers and cells are escaped (`_cell`); the caption is this module's own text.
    """
    # Built anew rather than relabelled: two headers may become equal once escaped.
    safe = pd.DataFrame([[_cell(v) for v in row] for row in frame.itertuples(index=False)],
                        columns=[_cell(c) for c in frame.columns])
    body = safe.to_markdown(index=False, colalign=colalign, disable_numparse=True)
    return Markdown(f"```{{table}} {caption}\n:name: {name}\n\n{body}\n```")


def window_table(rows: pd.DataFrame) -> Markdown:
    """tab-flow-window: the overview's encounters by component and title, with totals."""
    totals = flows.window_totals(rows)
    first, title_8, title_42, total = TEXT["window_columns"]
    table = pd.DataFrame({
        first: [flows.COMPONENT_NAMES[c] for c in totals.index] + [TEXT["window_total_row"]],
        title_8: [_count(v) for v in totals["Title 8"]] + [_count(totals["Title 8"].sum())],
        title_42: [_count(v) for v in totals["Title 42"]] + [_count(totals["Title 42"].sum())],
        total: [_count(v) for v in totals.sum(axis=1)] + [_count(totals.to_numpy().sum())],
    })
    return captioned(table, TEXT["window_caption"], "tab-flow-window", ("left", "right", "right", "right"))


def may_june_table(changes: pd.DataFrame) -> Markdown:
    """tab-flow-may-june: the four measures in May and June 2023 (`flows.may_june_change`)."""
    measure, may, june, change = TEXT["may_june_columns"]
    table = pd.DataFrame({
        measure: changes["label"],
        may: changes["may"].map(_count),
        june: changes["june"].map(_count),
        change: changes["change_pct"].map(pct_text),
    })
    return captioned(table, TEXT["may_june_caption"], "tab-flow-may-june", ("left", "right", "right", "right"))


def release_column(totals: pd.DataFrame) -> list[str]:
    """One release's column of tab-flow-releases, in the order of TEXT['releases_rows']: Border
    Patrol May, June, change, then all Southwest border encounters the same."""
    may, june = totals.iloc[0], totals.iloc[1]
    changes = flows.release_changes(totals)
    return [text for column in ("usbp", "sw_total")
            for text in (_count(may[column]), _count(june[column]), pct_text(changes[column]))]


def releases_table(first: pd.DataFrame, nationwide: pd.DataFrame, aug_2025: pd.DataFrame) -> Markdown:
    """tab-flow-releases: May and June 2023 in CBP's first releases, its Nationwide files and its
    August 2025 file (each in the shape of `flows.release_totals`)."""
    figure, *releases = TEXT["releases_columns"]
    table = pd.DataFrame({figure: TEXT["releases_rows"],
                          **{name: release_column(t) for name, t in zip(releases, (first, nationwide, aug_2025))}})
    return captioned(table, TEXT["releases_caption"], "tab-flow-releases", ("left", "right", "right", "right"))


def lowest_table(lowest: pd.DataFrame) -> Markdown:
    """tab-flow-lowest: the last lower month before June 2023 by measure (`flows.lowest_since`)."""
    measure, june, last, its = TEXT["lowest_columns"]
    table = pd.DataFrame({
        measure: lowest["label"],
        june: lowest["value"].map(_count),
        last: [month_text(row["last_lower_month"]) + (TEXT["lowest_record"] if row["highest_to_date"] else "")
               for _, row in lowest.iterrows()],
        its: [("" if v is None or pd.isna(v) else _count(int(v))) for v in lowest["last_lower_value"]],
    })
    return captioned(table, TEXT["lowest_caption"], "tab-flow-lowest", ("left", "right", "left", "right"))


def nationality_table(comp: pd.DataFrame, before=flows.BEFORE_WINDOW, after=flows.AFTER_WINDOW) -> Markdown:
    """tab-flow-nationality: encounters and shares by citizenship in the two windows (`flows.composition`)."""
    labels = {"before": window_label(before), "after": window_label(after)}
    name, before_count, before_share, after_count, after_share, change = (c.format(**labels) for c in TEXT["nationality_columns"])
    table = pd.DataFrame({
        name: [citizenship_name(c) for c in comp.index],
        before_count: comp["before"].map(_count),
        before_share: comp["before_share"].map(TEXT["share"].format),
        after_count: comp["after"].map(_count),
        after_share: comp["after_share"].map(TEXT["share"].format),
        change: comp["share_change"].map(points_text),
    })
    return captioned(table, TEXT["nationality_caption"], "tab-flow-nationality",
                     ("left", "right", "right", "right", "right", "right"))


def reconciliation_table(cumulative: pd.DataFrame, claimed: float, months=("2023-05", "2023-06", "2023-07")) -> Markdown:
    """tab-flow-272000: the cumulative sums of `flows.pathway_cumulative` at the end of `months`,
    and the first month-end at which each exceeds the claimed figure (`flows.reconcile_total`)."""
    recon = flows.reconcile_total(cumulative, claimed, months=months)
    table = pd.DataFrame({TEXT["reconciliation_first_column"]: [TEXT["reconciliation_rows"][k] for k in recon.index]})
    for month in months:
        table[TEXT["reconciliation_month_column"].format(pd.Timestamp(month + "-01"))] = recon[month].map(_count).to_numpy()
    table[TEXT["reconciliation_last_column"]] = [month_text(m) for m in recon["first_above"]]
    return captioned(table, TEXT["reconciliation_caption"], "tab-flow-272000", ("left", "right", "right", "right", "left"))
