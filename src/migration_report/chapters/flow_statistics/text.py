"""What the chapter "flow-statistics" shows readers in words and tables, made from `flows`' numbers.

Every piece of text here is a message in TEXT (marked N_, translated by `text` in the edition's
language through `migration_report.core.i18n`); numbers and months are written by `i18n`, so the
Spanish edition shows the same numbers as the English one. A sentence whose verb depends on the
data (fell or rose, a record or not, one month or several) is a whole message with its subject, one
per case (`SENTENCES`, and `COUNTED` with plural forms for `i18n.ngettext`), never a verb glued into
the prose: a translator sees the sentence whole and makes it agree. The tables are MyST {table}
directives for `glue:md` (numbered, so {numref} works in HTML and PDF); their cells are escaped
(`outputs.escape`) unless they are `outputs.Markup`, since citizenship names and labels come
from data files.
"""

from __future__ import annotations

import pandas as pd
from IPython.display import Markdown

from migration_report.chapters.flow_statistics import analysis as flows
from migration_report.core import i18n
from migration_report.core.i18n import N_, NP_
from migration_report.core.outputs import Markup, escape

TEXT = {
    # words inside sentences
    "no_month": N_("none"),
    "window": "{first}–{last} {year}",  # Jan–Apr 2023, ene–abr 2023
    "end_of_sentence": ".",
    "end_of_sentence_gaps": "; {gaps}.",
    "releases_same": N_("gives the same figures for both months"),
    "releases_revised": N_("revises them again"),
    # the window table (tab-flow-window)
    "window_caption": N_("Encounters in the selected months, by component and title of authority."),
    "window_columns": (N_("Component"), N_("Title 8"), N_("Title 42"), N_("Total")),
    "window_total_row": N_("Total"),
    # the four measures (tab-flow-may-june)
    "may_june_caption": N_("Southwest border encounters in May and June 2023, four measures."),
    "may_june_columns": (N_("Measure"), N_("May 2023"), N_("June 2023"), N_("Change")),
    # the releases (tab-flow-releases)
    "releases_caption": N_("May and June 2023 in three CBP releases."),
    "releases_rows": (N_("Border Patrol, May"), N_("Border Patrol, June"), N_("Border Patrol, change"),
                      N_("All Southwest border, May"), N_("All Southwest border, June"),
                      N_("All Southwest border, change")),
    "releases_columns": (N_("Figure"), N_("First releases (June and July 2023)"),
                         N_("Nationwide files (Nov 2023, Oct 2024)"), N_("Southwest file (Aug 2025)")),
    # the last lower month (tab-flow-lowest)
    "lowest_caption": N_("The last month before June 2023 with fewer encounters, by measure."),
    "lowest_columns": (N_("Measure"), N_("June 2023"), N_("Last lower month"), N_("Its encounters")),
    "lowest_record": N_(" (June a record)"),
    # by nationality (tab-flow-nationality)
    "nationality_caption": N_("Southwest border encounters by citizenship, the last four full months under Title 42 "
                              "and the first four after it."),
    # Two share columns: the second header ends in a space so the two stay distinct columns.
    "nationality_columns": (N_("Citizenship"), "{before}", N_("Share (%)"), "{after}", N_("Share (%) "),
                            N_("Change (points)")),
    "citizenship_groups": {"OTHER": N_("Other (CBP's 'OTHER')"), flows.REST_LISTED: N_("All other listed")},
    # the 272,000 reconciliation (tab-flow-272000)
    "reconciliation_caption": N_("Cumulative CHNV paroles and CBP One appointments since October 2022, at the end "
                                 "of May, June and July 2023."),
    "reconciliation_first_column": N_("Cumulative count"),
    "reconciliation_month_column": N_("End of {month}"),
    "reconciliation_last_column": N_("First above"),
    "reconciliation_rows": {
        "paroles": N_("(a) CHNV paroles"),
        "cbp_one_chv": N_("(b) CBP One: Cubans, Haitians, Venezuelans"),
        "chnv_low": "(c) = (a) + (b)",
        "chnv_high": N_("(d) = (c) + CBP One 'other'"),
        "paroles_plus_all": N_("(e) = (a) + CBP One, all nationalities"),
    },
}


def text(key: str):
    """TEXT[key] in the edition's language (a message, or a tuple or dict of them)."""
    return i18n.translated(TEXT[key])


# Whole sentences and clauses with their subject, one message per case: (a fall, a rise) for a change.
SENTENCES = {
    # the four measures of tab-flow-may-june, each the first sentence of its list item (glue:md)
    "sw-total": (
        N_("**All Southwest border encounters** (both components, both titles) fell from {may} to {june}, by {pct} %."),
        N_("**All Southwest border encounters** (both components, both titles) rose from {may} to {june}, by {pct} %.")),
    "usbp": (N_("**Border Patrol encounters** between the ports fell from {may} to {june}, by {pct} %."),
             N_("**Border Patrol encounters** between the ports rose from {may} to {june}, by {pct} %.")),
    "usbp-title-8": (N_("**Border Patrol Title 8 apprehensions** alone fell by only {pct} %, from {may} to {june}"),
                     N_("**Border Patrol Title 8 apprehensions** alone rose by {pct} %, from {may} to {june}")),
    "ofo": (N_("**Field Operations encounters** at the ports fell by {pct} %, from {may} to {june}"),
            N_("**Field Operations encounters** at the ports rose by {pct} %, from {may} to {june}")),
    # the same two headline changes in the chapter's summary
    "brief-sw-total": (N_("all Southwest border encounters fell by {pct} %"),
                       N_("all Southwest border encounters rose by {pct} %")),
    "brief-usbp": (N_("Border Patrol encounters fell by {pct} %"), N_("Border Patrol encounters rose by {pct} %")),
    # June's daily rate against late May's (the first releases)
    "daily-rate": (N_("the daily rate fell only {pct} % from the late-May rate"),
                   N_("the daily rate rose {pct} % from the late-May rate")),
    # encounters of Mexican citizens, the 12 months to June 2023 against the 12 before
    "mexicans-12": (N_("the count fell by {pct} %"), N_("the count rose by {pct} %")),
}
RECORD_SENTENCES = {  # what Field Operations' June 2023 was
    True: N_("Field Operations encounters in June 2023 were higher than in any earlier month of the series"),
    False: N_("Field Operations encounters in June 2023 were not a record"),
}
# Clauses whose words agree with a count: plural forms, for i18n.ngettext ({n} is the count).
COUNTED = {
    "mexican-falls": NP_("the monthly count fell {n} month in a row, from {peak} in {peak_month} to {end} in June",
                         "the monthly count fell {n} months in a row, from {peak} in {peak_month} to {end} in June"),
    "overlap-differ": NP_("the two series differ by at most {n} encounter",
                          "the two series differ by at most {n} encounters"),
    "months-higher": NP_("{n} of its {months} months had more", "{n} of its {months} months had more"),
}
OVERLAP_EXACT = N_("the two series agree exactly")


# --- Words --------------------------------------------------------------------------------------


def change_sentence(key: str, pct: float, **values) -> str:
    """SENTENCES[key] for a change of PCT percent: its fall or its rise, with the size unsigned
    ({pct}, one decimal) and VALUES (counts, written as the edition writes numbers)."""
    fall, rise = SENTENCES[key]
    shown = {name: _count(value) for name, value in values.items()}
    return i18n.gettext(fall if pct < 0 else rise).format(pct=_share(abs(pct)), **shown)


def counted(key: str, n: int, **values) -> str:
    """COUNTED[key] in the form that agrees with N, VALUES filled in (numbers as the edition writes them,
    strings as given)."""
    shown = {name: _count(value) if isinstance(value, (int, float)) else value for name, value in values.items()}
    return i18n.ngettext(COUNTED[key], int(n)).format(**shown)


def _signed(value: float, decimals: int = 1) -> str:
    """A signed number with a true minus sign: '−30.1', '+27.5' (zero as '+0.0')."""
    return ("\u2212" if round(value, decimals) < 0 else "+") + i18n.number(abs(value), decimals=decimals)


def pct_text(pct: float) -> str:
    """A signed percentage for tables, with a true minus sign and a no-break space: '−30.1 %'."""
    return _signed(pct) + "\u00a0%"


def points_text(points: float) -> str:
    """A signed change in percentage points, with a true minus sign: '−4.2'."""
    return _signed(points)


def month_text(stamp) -> str:
    """'June 2023' / 'junio de 2023'; 'none' for a missing month (no lower month, say)."""
    return text("no_month") if stamp is None or pd.isna(stamp) else i18n.month(stamp)


def month_name(stamp) -> str:
    """'June', for a sentence that has already given the year."""
    return i18n.month_name(stamp)


def window_label(bounds: tuple[str, str]) -> str:
    """A window of months ('YYYY-MM', 'YYYY-MM') as 'Jan–Apr 2023' / 'ene–abr 2023'."""
    first, last = (pd.Timestamp(b + "-01") for b in bounds)
    return text("window").format(first=i18n.month_name(first, abbreviated=True),
                                 last=i18n.month_name(last, abbreviated=True), year=last.year)


def citizenship_name(citizenship: str) -> str:
    """A citizenship as CBP spells it ('EL SALVADOR') for readers ('El Salvador'); CBP's 'OTHER'
    and the table's own group of the rest by their names."""
    return text("citizenship_groups").get(citizenship) or i18n.country_name(citizenship)


def measure_name(label: str) -> str:
    """A measure's label without its explanation in brackets: 'Border Patrol'."""
    return label.split(" (")[0]


def end_of_sentence(gaps: str) -> str:
    """The end of the overview's sentence: '.' or, when months have no data, '; no data for …'."""
    return TEXT["end_of_sentence_gaps"].format(gaps=gaps) if gaps else TEXT["end_of_sentence"]


def record_text(highest_to_date: bool) -> str:
    """What Field Operations' June 2023 was, a record or not, as a clause with its subject."""
    return i18n.gettext(RECORD_SENTENCES[bool(highest_to_date)])


def release_agreement(same: bool) -> str:
    """What the August 2025 file does with the figures of the Nationwide files."""
    return text("releases_same") if same else text("releases_revised")


def overlap_agreement(max_difference: int) -> str:
    """How the two CBP long-run series compare where they overlap (`flows.handover`), as a clause."""
    if max_difference == 0:
        return i18n.gettext(OVERLAP_EXACT)
    return counted("overlap-differ", max_difference)


def _count(value) -> str:
    return i18n.number(value)


def _share(value: float) -> str:
    return i18n.number(value, decimals=1)


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
    first, title_8, title_42, total = text("window_columns")
    table = pd.DataFrame({
        first: [flows.component_name(c) for c in totals.index] + [text("window_total_row")],
        title_8: [_count(v) for v in totals["Title 8"]] + [_count(totals["Title 8"].sum())],
        title_42: [_count(v) for v in totals["Title 42"]] + [_count(totals["Title 42"].sum())],
        total: [_count(v) for v in totals.sum(axis=1)] + [_count(totals.to_numpy().sum())],
    })
    return captioned(table, text("window_caption"), "tab-flow-window", ("left", "right", "right", "right"))


def may_june_table(changes: pd.DataFrame) -> Markdown:
    """tab-flow-may-june: the four measures in May and June 2023 (`flows.may_june_change`)."""
    measure, may, june, change = text("may_june_columns")
    table = pd.DataFrame({
        measure: changes["label"],
        may: changes["may"].map(_count),
        june: changes["june"].map(_count),
        change: changes["change_pct"].map(pct_text),
    })
    return captioned(table, text("may_june_caption"), "tab-flow-may-june", ("left", "right", "right", "right"))


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
    figure, *releases = text("releases_columns")
    table = pd.DataFrame({figure: text("releases_rows"),
                          **{name: release_column(t) for name, t in zip(releases, (first, nationwide, aug_2025))}})
    return captioned(table, text("releases_caption"), "tab-flow-releases", ("left", "right", "right", "right"))


def lowest_table(lowest: pd.DataFrame) -> Markdown:
    """tab-flow-lowest: the last lower month before June 2023 by measure (`flows.lowest_since`)."""
    measure, june, last, its = text("lowest_columns")
    table = pd.DataFrame({
        measure: lowest["label"],
        june: lowest["value"].map(_count),
        last: [month_text(row["last_lower_month"]) + (text("lowest_record") if row["highest_to_date"] else "")
               for _, row in lowest.iterrows()],
        its: [("" if v is None or pd.isna(v) else _count(int(v))) for v in lowest["last_lower_value"]],
    })
    return captioned(table, text("lowest_caption"), "tab-flow-lowest", ("left", "right", "left", "right"))


def nationality_table(comp: pd.DataFrame, before=flows.BEFORE_WINDOW, after=flows.AFTER_WINDOW) -> Markdown:
    """tab-flow-nationality: encounters and shares by citizenship in the two windows (`flows.composition`)."""
    labels = {"before": window_label(before), "after": window_label(after)}
    name, before_count, before_share, after_count, after_share, change = (c.format(**labels) for c in text("nationality_columns"))
    table = pd.DataFrame({
        name: [citizenship_name(c) for c in comp.index],
        before_count: comp["before"].map(_count),
        before_share: comp["before_share"].map(_share),
        after_count: comp["after"].map(_count),
        after_share: comp["after_share"].map(_share),
        change: comp["share_change"].map(points_text),
    })
    return captioned(table, text("nationality_caption"), "tab-flow-nationality",
                     ("left", "right", "right", "right", "right", "right"))


def reconciliation_table(cumulative: pd.DataFrame, claimed: float, months=("2023-05", "2023-06", "2023-07")) -> Markdown:
    """tab-flow-272000: the cumulative sums of `flows.pathway_cumulative` at the end of `months`,
    and the first month-end at which each exceeds the claimed figure (`flows.reconcile_total`)."""
    recon = flows.reconcile_total(cumulative, claimed, months=months)
    rows = text("reconciliation_rows")
    table = pd.DataFrame({text("reconciliation_first_column"): [rows[k] for k in recon.index]})
    for month in months:
        table[text("reconciliation_month_column").format(month=month_name(month))] = recon[month].map(_count).to_numpy()
    table[text("reconciliation_last_column")] = [month_text(m) for m in recon["first_above"]]
    return captioned(table, text("reconciliation_caption"), "tab-flow-272000", ("left", "right", "right", "right", "left"))
