"""Analysis for the chapter "Cooperation and funding".

Two strands:

* the documented money for Mexico's programmes Sembrando Vida and Jóvenes Construyendo el Futuro
  abroad (`programme-funding`, one sourced row per pledge, contract, planned budget or disbursement)
  and the programmes' documented targets, stipends and reported results (`programme-facts`);
* the Southwest border encounters of the countries named in the article, from CBP's citizenship
  data (`sw-encounters`), by month and as a fiscal-year total and share.

Countries are written as CBP spells its citizenships ("EL SALVADOR", "CHINA, PEOPLES REPUBLIC OF").
`resolve_countries` ignores case and surrounding spaces, so "El Salvador" is accepted too; any other
spelling is an error naming the parameter. A country named in the article that CBP does not break
out (Belize) is accepted and reported as inside CBP's "OTHER".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from migration_report.core import findings, i18n, params, style
from migration_report.core.data import fiscal_year, load, localized
from migration_report.core.i18n import N_
from migration_report.core.outputs import cite, mark_spanish
from migration_report.core.params import ParameterError
from migration_report.core.schema import DataError

# The six countries of the announcement, in the article's order.
SIX_COUNTRIES = ("EL SALVADOR", "HONDURAS", "BELIZE", "GUATEMALA", "CUBA", "ECUADOR")
# Countries the programmes do not cover, shown for comparison.
NOT_COVERED = ("VENEZUELA", "MEXICO")
OTHER = "OTHER"
OWN_ROW = "own row"
INSIDE_OTHER = "inside OTHER"

KINDS = ("announced pledge", "signed contract", "planned budget", "disbursement")
DONOR_COLOURS = {"Mexico": style.PALETTE["green"], "United States": style.PALETTE["blue"]}

# Reader-facing words made by this module (messages, translated with i18n.gettext() where used: the module's
# figure code still loops with `for _, row`, which would shadow _()). The kinds and confirmations are the
# values of programme-funding's columns, which readers see as words.
TEXT = {
    "kinds": {"announced pledge": N_("announced pledge"), "signed contract": N_("signed contract"),
              "planned budget": N_("planned budget"), "disbursement": N_("disbursement")},
    "reported": N_("reported {date}"),
    "six_countries": N_("the six countries named in the announcement"),
    "selected_country": N_("the selected country ({names})"),
    "selected_countries": N_("the selected countries ({names})"),
    "last_of_list": N_("{rest} and {last}"),
    "more_than": N_("more than"),
    "less_than": N_("less than"),
    "as_much_as": N_("as much as"),
    "not_stated": N_("not stated"),
    "funding_columns": {"date": N_("Date"), "route": N_("From → to"), "kind": N_("Kind"), "amount": N_("Amount"),
                        "confirms": N_("Donor confirms"), "source": N_("Source")},
    "per_month": N_("USD {value} a month"),
    "more_than_value": N_("more than {value}"),
    "units": {"people": N_("people"), "jobs": N_("jobs"), "square metres": "m²", "countries": N_("countries"),
              "organisations": N_("organisations"), "percent": "%", "year": N_("year"), "notes": N_("notes"),
              "m in Mexico": N_("m in Mexico"), "ft in Mexico": N_("ft in Mexico"),
              "ft in the United States": N_("ft in the United States")},
    "facts_columns": {"programme": N_("Programme"), "where": N_("Where"), "what": N_("What"),
                      "figure": N_("Figure"), "source": N_("Source")},
    "inside_other": N_("inside OTHER"),
    "other_row": N_("OTHER (all countries not broken out)"),
    "yes": N_("yes"),
    "no": N_("no"),
    "includes": N_("includes {names}"),
    "flows_columns": {"citizenship": N_("Citizenship"), "named": N_("Named in announcement"),
                      "encounters": N_("Encounters, FY{year}"), "share": N_("Share of all (%)")},
    "figure": N_(" (figure: {value})"),
}


def kind_name(kind: str) -> str:
    """A kind of money ('announced pledge') in the edition's language."""
    return i18n.gettext(TEXT["kinds"][kind])


def donor_name(donor: str) -> str:
    """A donor ('Mexico', 'United States') as the edition names the country."""
    return i18n.country_name(donor)


# --- countries and fiscal years ---------------------------------------------------------------


def complete_fiscal_years(encounters: pd.DataFrame) -> list[int]:
    """Fiscal years for which the data hold all twelve months."""
    months = pd.Series(encounters["month"].unique())
    counts = fiscal_year(months).value_counts()
    return sorted(int(year) for year, n in counts.items() if n == 12)


def check_fiscal_year(value, encounters: pd.DataFrame) -> int:
    """`value` if it is a fiscal year with twelve months in the data, else ParameterError('fiscal_year')."""
    allowed = complete_fiscal_years(encounters)
    if isinstance(value, bool) or not isinstance(value, int):
        raise ParameterError("fiscal_year", value, f"a whole number from {allowed[0]} to {allowed[-1]}")
    if value not in allowed:
        raise ParameterError(
            "fiscal_year", value, f"a fiscal year from {allowed[0]} to {allowed[-1]} (the complete years in the data)"
        )
    return value


def resolve_countries(countries, citizenships: Sequence[str], *, name: str = "countries") -> list[str]:
    """The countries to report, in CBP's spelling.

    None means the six countries of the announcement. Otherwise a non-empty list of names, each
    either a citizenship in CBP's data or one of the six; case and surrounding spaces are ignored.
    Duplicates are dropped, the order is kept.
    """
    known = list(dict.fromkeys([*citizenships, *SIX_COUNTRIES]))
    expected = "a list of countries as CBP spells them (case is ignored), from: " + ", ".join(map(repr, known))
    if countries is None:
        return list(SIX_COUNTRIES)
    if isinstance(countries, str) or not isinstance(countries, (list, tuple)):
        raise ParameterError(name, countries, expected)
    if not countries:
        raise ParameterError(name, countries, "a non-empty list; " + expected)
    by_key = {k.casefold(): k for k in known}
    resolved = []
    for value in countries:
        key = value.strip().casefold() if isinstance(value, str) else None
        if key not in by_key:
            raise ParameterError(name, value, "one of " + ", ".join(map(repr, known)) + " (case is ignored)")
        resolved.append(by_key[key])
    return list(dict.fromkeys(resolved))


@dataclass(frozen=True, eq=False)
class FundingParams(params.Params):
    """The chapter's parameters, checked. Unpacks as (countries, fiscal_year, output_dir)."""

    countries: list[str]  # in CBP's spelling
    fiscal_year: int
    output_dir: Path

    UNPACK = ("countries", "fiscal_year", "output_dir")


def check_parameters(countries, fiscal_year, output_dir, encounters: pd.DataFrame | None = None) -> FundingParams:
    """The chapter's papermill parameters, checked against `encounters` (default: the shipped table)."""
    if encounters is None:
        encounters = load("sw-encounters")
    chosen = resolve_countries(countries, sorted(encounters["citizenship"].unique()))
    return FundingParams(chosen, check_fiscal_year(fiscal_year, encounters), params.output_dir(output_dir))


def display_name(country: str) -> str:
    """'EL SALVADOR' -> 'El Salvador'; 'CHINA, PEOPLES REPUBLIC OF' -> 'China, Peoples Republic of'."""
    if country == OTHER:
        return "OTHER"
    return i18n.country_name(country)  # in the Spanish edition, CLDR's name: Haití


def cbp_row(country: str, citizenships: Sequence[str]) -> str:
    """'own row' if CBP breaks the country out, else 'inside OTHER'."""
    return OWN_ROW if country in set(citizenships) else INSIDE_OTHER


# --- flows -------------------------------------------------------------------------------------


def fiscal_year_total(encounters: pd.DataFrame, year: int) -> int:
    """All Southwest border encounters (every citizenship) in fiscal year `year`."""
    return int(encounters.loc[fiscal_year(encounters["month"]) == year, "encounter_count"].sum())


def fiscal_year_table(
    encounters: pd.DataFrame, countries: Sequence[str], year: int, comparison: Sequence[str] = NOT_COVERED
) -> pd.DataFrame:
    """Encounters and share of all Southwest border encounters in fiscal year `year`, one row per country.

    Rows: the chosen countries in order; then OTHER if a chosen country is inside it (its total is
    an upper bound for that country); then the comparison countries not already chosen. Columns:
    country (CBP spelling), covered (named in the announcement), cbp_row ('own row' / 'inside
    OTHER'), encounters (missing for a country inside OTHER) and share_pct (percent of the total).
    """
    citizenships = sorted(encounters["citizenship"].unique())
    in_year = encounters[fiscal_year(encounters["month"]) == year]
    by_country = in_year.groupby("citizenship")["encounter_count"].sum()
    total = int(in_year["encounter_count"].sum())
    rows = list(countries)
    if any(cbp_row(c, citizenships) == INSIDE_OTHER for c in rows) and OTHER not in rows:
        rows.append(OTHER)
    rows += [c for c in comparison if c not in rows]
    frame = pd.DataFrame({"country": rows})
    frame["covered"] = frame["country"].isin(SIX_COUNTRIES)
    frame["cbp_row"] = [cbp_row(c, citizenships) for c in rows]
    counts = [int(by_country.get(c, 0)) if r == OWN_ROW else pd.NA for c, r in zip(rows, frame["cbp_row"])]
    frame["encounters"] = pd.array(counts, dtype="Int64")
    frame["share_pct"] = (frame["encounters"].astype("Float64") / total * 100).astype("float64")
    return frame


def monthly_by_country(encounters: pd.DataFrame, countries: Sequence[str], first_year: int, last_year: int) -> pd.DataFrame:
    """Monthly encounters of each country broken out by CBP, fiscal years first_year..last_year.

    Long format (month, country, encounters), with a zero for a month in which CBP lists no
    encounter for the country. Countries inside OTHER have no rows.
    """
    in_years = encounters[fiscal_year(encounters["month"]).between(first_year, last_year)]
    months = pd.Index(sorted(in_years["month"].unique()), name="month")
    own = [c for c in countries if c in set(encounters["citizenship"])]
    wide = (
        in_years[in_years["citizenship"].isin(own)]
        .groupby(["month", "citizenship"])["encounter_count"]
        .sum()
        .unstack("citizenship")
        .reindex(index=months, columns=own)
        .fillna(0)
        .astype("int64")
    )
    long = wide.reset_index().melt(id_vars="month", var_name="country", value_name="encounters")
    return long.sort_values(["country", "month"], key=lambda s: s.map(own.index) if s.name == "country" else s).reset_index(
        drop=True
    )


# --- funding and programme facts ---------------------------------------------------------------


def check_funding(funding: pd.DataFrame, path="data/programme_funding.csv") -> pd.DataFrame:
    """Rules the Table Schema cannot state: a period has an end date not before its start, only a
    period has one, and only a disbursement may lack an amount. Raises DataError naming row and column."""
    for position, row in funding.reset_index(drop=True).iterrows():
        line = position + 2
        is_period = row["date_precision"] == "period"
        if is_period and pd.isna(row["date_end"]):
            raise DataError(path, "is empty; a period needs its last day (YYYY-MM-DD)", row=line, column="date_end")
        if not is_period and pd.notna(row["date_end"]):
            raise DataError(
                path, f"got {row['date_end']:%Y-%m-%d}, expected a blank unless date_precision is 'period'", row=line,
                column="date_end",
            )
        if is_period and row["date_end"] < row["date"]:
            raise DataError(path, f"got {row['date_end']:%Y-%m-%d}, expected a day not before date", row=line, column="date_end")
        if pd.isna(row["amount_usd"]) and row["kind"] != "disbursement":
            raise DataError(
                path, f"is empty; a {row['kind']} needs an amount (only a disbursement may lack one)", row=line,
                column="amount_usd",
            )
    return funding


def plot_date(funding: pd.DataFrame) -> pd.Series:
    """Where to draw each row on a time axis: the day, the middle of the month, or the middle of the period."""
    mid_month = funding["date"] + pd.Timedelta(days=14)
    mid_period = funding["date"] + (funding["date_end"] - funding["date"]) / 2
    out = funding["date"].where(funding["date_precision"] == "day", mid_month)
    return out.where(funding["date_precision"] != "period", mid_period)


def funding_points(funding: pd.DataFrame) -> pd.DataFrame:
    """One point per (kind, donor, date, amount, confirmation): rows that differ only by recipient are merged,
    with the recipients listed, so three equal pledges on one date are one labelled point."""
    keys = ["kind", "donor", "date", "date_end", "date_precision", "amount_usd", "confirmation"]
    frame = funding.assign(plot_date=plot_date(funding), recipient_shown=localized(funding, "recipient"))
    grouped = frame.groupby(keys, dropna=False, sort=False).agg(
        recipients=("recipient_shown", ", ".join), n=("recipient", "size"), plot_date=("plot_date", "first"),
        funding_ids=("funding_id", " ".join), source_keys=("source_key", lambda s: ",".join(dict.fromkeys(s))),
    )
    return grouped.reset_index()


def usd_millions(amount: float) -> str:
    """40000000 -> 'USD 40 million' in the edition's words (i18n.usd_millions)."""
    if pd.isna(amount):
        raise ValueError("no amount to format")
    return i18n.usd_millions(amount)


def row(frame: pd.DataFrame, key_column: str, key: str) -> pd.Series:
    """The row of a curated table with `key`; a KeyError lists the keys that exist."""
    match = frame[frame[key_column] == key]
    if len(match) != 1:
        raise KeyError(f"{key_column} {key!r} not found; expected one of {', '.join(frame[key_column])}")
    return match.iloc[0]


def amounts_by_kind(funding: pd.DataFrame) -> pd.DataFrame:
    """Stated amounts per donor and kind (USD). Kinds are not added together: they can be the same money."""
    table = funding.groupby(["donor", "kind"], sort=False)["amount_usd"].agg(["count", "sum"])
    return table.rename(columns={"count": "rows_with_amount", "sum": "amount_usd"}).reset_index()


def countries_phrase(countries: Sequence[str]) -> str:
    """How the text names the chosen countries."""
    if list(countries) == list(SIX_COUNTRIES):
        return i18n.gettext(TEXT["six_countries"])
    names = [display_name(c) for c in countries]
    if len(names) == 1:
        return i18n.gettext(TEXT["selected_country"]).format(names=names[0])
    listed = i18n.gettext(TEXT["last_of_list"]).format(rest=", ".join(names[:-1]), last=names[-1])
    return i18n.gettext(TEXT["selected_countries"]).format(names=listed)


def compare_phrase(value: float, reference: float, *, decimals: int = 1) -> str:
    """'more than', 'less than' or 'as much as', comparing two shares at the precision shown."""
    a, b = round(value, decimals), round(reference, decimals)
    return i18n.gettext(TEXT["more_than"] if a > b else TEXT["less_than"] if a < b else TEXT["as_much_as"])


def covered_share_by_year(encounters: pd.DataFrame, countries: Sequence[str]) -> pd.DataFrame:
    """Per complete fiscal year: encounters of the given countries that CBP breaks out, all encounters,
    and the countries' share in percent."""
    years = complete_fiscal_years(encounters)
    fy = fiscal_year(encounters["month"])
    mask = encounters["citizenship"].isin(countries)
    chosen = encounters[mask].groupby(fy[mask])["encounter_count"].sum().reindex(years, fill_value=0)
    total = encounters.groupby(fy)["encounter_count"].sum().reindex(years)
    frame = pd.DataFrame({"fiscal_year": years, "encounters": chosen.to_numpy(), "total": total.to_numpy()})
    frame["share_pct"] = frame["encounters"] / frame["total"] * 100
    return frame


# --- display tables (Markdown for the book) -----------------------------------------------------


def date_label(row: pd.Series, with_basis: bool = True) -> str:
    """'26 Jul 2023', 'Jul 2019', 'Sep–Nov 2019' (Spanish: '26 jul 2023', 'sep–nov 2019'); 'reported
    4 Oct 2020' when the date is the report's (unless not WITH_BASIS)."""
    def month(stamp) -> str:
        return i18n.month_name(stamp, abbreviated=True)

    start = row["date"]
    if row["date_precision"] == "period":
        end = row["date_end"]
        text = (f"{month(start)}–{month(end)} {end.year}" if start.year == end.year
                else f"{month(start)} {start.year}–{month(end)} {end.year}")
    elif row["date_precision"] == "month":
        text = f"{month(start)} {start.year}"
    else:
        text = f"{start.day} {month(start)} {start.year}"
    return i18n.gettext(TEXT["reported"]).format(date=text) if with_basis and row["date_basis"] == "report" else text


def prose_date(row: pd.Series) -> str:
    """A row's date as a sentence writes it: '4 October 2020' / '4 de octubre de 2020', 'July 2019' /
    'julio de 2019' (date_label's short forms are for tables and charts)."""
    if row["date_precision"] == "day":
        return i18n.date(row["date"])
    if row["date_precision"] == "month":
        return i18n.month(row["date"])
    return date_label(row, with_basis=False)


CONFIRMATION_LABELS = {
    "stated by donor": N_("yes, publicly"),
    "in donor's official report": N_("yes, in a report"),
    "not confirmed by donor": N_("no"),
}


def confirmation_label(confirmation: str) -> str:
    return i18n.gettext(CONFIRMATION_LABELS[confirmation])


def funding_display(funding: pd.DataFrame) -> pd.DataFrame:
    """The funding table as the book shows it, oldest first (six short columns, so it fits a PDF page)."""
    frame = funding.sort_values("date", kind="stable")
    columns = i18n.translated(TEXT["funding_columns"])
    return pd.DataFrame(
        {
            columns["date"]: frame.apply(date_label, axis=1),
            columns["route"]: [mark_spanish(f"{donor_name(d)} → {r}")
                               for d, r in zip(frame["donor"], localized(frame, "recipient"))],
            columns["kind"]: frame["kind"].map(kind_name),
            columns["amount"]: frame["amount_usd"].map(lambda a: usd_millions(a) if pd.notna(a) else i18n.gettext(TEXT["not_stated"])),
            columns["confirms"]: frame["confirmation"].map(confirmation_label),
            columns["source"]: frame["source_key"].map(cite),
        }
    )


def fact_text(row: pd.Series) -> str:
    """'USD 250 a month', '10,000 people', 'more than 500,000 people', '7,000 m²'."""
    value = i18n.number(row["value"], decimals=0)
    if row["unit"] == "USD per month":
        text = i18n.gettext(TEXT["per_month"]).format(value=value)
    else:
        text = f"{value} {i18n.gettext(TEXT['units'][row['unit']])}"
    return i18n.gettext(TEXT["more_than_value"]).format(value=text) if row["qualifier"] == "more than" else text


def facts_display(facts: pd.DataFrame) -> pd.DataFrame:
    """The programme facts as the book shows them."""
    columns = i18n.translated(TEXT["facts_columns"])
    return pd.DataFrame(
        {
            columns["programme"]: [mark_spanish(p) for p in localized(facts, "programme")],
            columns["where"]: localized(facts, "country"),
            columns["what"]: localized(facts, "measure"),
            columns["figure"]: facts.apply(fact_text, axis=1),
            columns["source"]: facts["source_key"].map(cite),
        }
    )


def flows_display(table: pd.DataFrame, year: int) -> pd.DataFrame:
    """The fiscal-year table as the book shows it; a country inside OTHER says so instead of a number."""
    def count(row):
        return i18n.number(row["encounters"]) if row["cbp_row"] == OWN_ROW else i18n.gettext(TEXT["inside_other"])

    def share(row):
        return i18n.number(row["share_pct"], decimals=1) if row["cbp_row"] == OWN_ROW else "–"

    names = [i18n.gettext(TEXT["other_row"]) if c == OTHER else display_name(c) for c in table["country"]]
    inside = [display_name(c) for c, r in zip(table["country"], table["cbp_row"]) if r == INSIDE_OTHER]
    named = table["covered"].map({True: i18n.gettext(TEXT["yes"]), False: i18n.gettext(TEXT["no"])})
    if inside:
        named = named.where(table["country"] != OTHER, i18n.gettext(TEXT["includes"]).format(names=", ".join(inside)))
    columns = i18n.translated(TEXT["flows_columns"])
    return pd.DataFrame(
        {
            columns["citizenship"]: names,
            columns["named"]: named,
            columns["encounters"].format(year=year): table.apply(count, axis=1),
            columns["share"]: table.apply(share, axis=1),
        }
    )


def evidence_markdown(evidence: pd.DataFrame, claims: pd.DataFrame, claim_ids: Sequence[str]) -> str:
    """A Markdown list of what the sources say about each claim, with citations."""
    lines = []
    statements = localized(evidence, "statement")  # the edition's language (claim-evidence's statement_es)
    topics = dict(zip(claims["claim_id"], localized(claims, "topic")))
    for claim_id in claim_ids:
        topic = topics[claim_id]
        lines.append(f"- **{mark_spanish(topic)}:**")
        for index, e in evidence[evidence["claim_id"] == claim_id].iterrows():
            value = ""
            if pd.notna(e["value"]):
                unit = i18n.gettext(TEXT["units"].get(e["unit"], e["unit"]))
                value = usd_millions(e["value"]) if e["unit"] == "USD" else f"{i18n.number(e['value'], decimals=0)} {unit}"
                value = i18n.gettext(TEXT["figure"]).format(value=value)
            lines.append(f"  - *{findings.finding_name(e['finding'], e['question'])}*: {mark_spanish(statements[index])}{value} "
                         f"{{cite:p}}`{e['source_key']}`")
    return "\n".join(lines)
