"""Unit tests for migration_report.chapters.cooperation_and_funding.analysis (chapter "cooperation-and-funding").

Expected values are computed here directly from the CSV files with pandas, not with the
functions under test.
"""

from __future__ import annotations

import re
from pathlib import Path

import matplotlib
import pandas as pd
import pytest

from migration_report.core import params

matplotlib.use("Agg")

from migration_report import DataError, ParameterError, load  # noqa: E402
from migration_report.chapters.cooperation_and_funding import analysis as fn  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
SIX = ["EL SALVADOR", "HONDURAS", "BELIZE", "GUATEMALA", "CUBA", "ECUADOR"]


@pytest.fixture(scope="module")
def raw():
    """sw_encounters_monthly.csv read with plain pandas, with the fiscal year worked out by hand."""
    frame = pd.read_csv(DATA / "sw_encounters_monthly.csv")
    year = frame["month"].str[:4].astype(int)
    month = frame["month"].str[5:7].astype(int)
    frame["fy"] = year + (month >= 10).astype(int)
    return frame


@pytest.fixture(scope="module")
def funding_table():
    return load("programme-funding")


# --- fiscal-year totals and shares -----------------------------------------------------------


@pytest.mark.parametrize("year", [2020, 2021, 2022, 2023, 2024])
def test_fiscal_year_totals_and_shares_match_the_csv(raw, encounters, year):
    table = fn.fiscal_year_table(encounters, SIX, year).set_index("country")
    in_year = raw[raw["fy"] == year]
    total = in_year["encounter_count"].sum()
    assert fn.fiscal_year_total(encounters, year) == total
    for country in ["EL SALVADOR", "HONDURAS", "GUATEMALA", "CUBA", "ECUADOR", "OTHER", "VENEZUELA", "MEXICO"]:
        expected = in_year.loc[in_year["citizenship"] == country, "encounter_count"].sum()
        assert table.loc[country, "encounters"] == expected, country
        assert table.loc[country, "share_pct"] == pytest.approx(expected / total * 100), country


def test_fy2023_is_october_2022_to_september_2023(raw, encounters):
    window = raw[(raw["month"] >= "2022-10") & (raw["month"] <= "2023-09")]
    assert fn.fiscal_year_total(encounters, 2023) == window["encounter_count"].sum()
    honduras = window.loc[window["citizenship"] == "HONDURAS", "encounter_count"].sum()
    assert fn.fiscal_year_table(encounters, ["HONDURAS"], 2023).iloc[0]["encounters"] == honduras


def test_fy2023_published_figures(encounters):
    # Pinned from the shipped CBP release; a different release should make this fail visibly.
    table = fn.fiscal_year_table(encounters, SIX, 2023).set_index("country")
    assert fn.fiscal_year_total(encounters, 2023) == 2_475_669
    assert table.loc["HONDURAS", "encounters"] == 213_686
    assert table.loc["VENEZUELA", "encounters"] == 266_071


def test_belize_is_reported_inside_other_not_hidden(raw, encounters):
    table = fn.fiscal_year_table(encounters, SIX, 2023)
    assert list(table["country"][:6]) == SIX
    belize = table.set_index("country").loc["BELIZE"]
    assert belize["cbp_row"] == "inside OTHER"
    assert pd.isna(belize["encounters"]) and pd.isna(belize["share_pct"])
    other = table.set_index("country").loc["OTHER"]
    assert not other["covered"]
    in_year = raw[(raw["fy"] == 2023) & (raw["citizenship"] == "OTHER")]
    assert other["encounters"] == in_year["encounter_count"].sum()
    shown = fn.flows_display(table, 2023).set_index("Citizenship")
    assert shown.loc["Belize", "Encounters, FY2023"] == "inside OTHER"
    assert shown.loc["OTHER (all countries not broken out)", "Named in announcement"] == "includes Belize"


def test_comparison_countries_follow_the_chosen_ones(encounters):
    table = fn.fiscal_year_table(encounters, ["MEXICO", "HAITI"], 2022)
    assert list(table["country"]) == ["MEXICO", "HAITI", "VENEZUELA"]
    assert "OTHER" not in set(table["country"])
    assert not table["covered"].any()


def test_covered_share_by_year_matches_the_csv(raw, encounters):
    shares = fn.covered_share_by_year(encounters, SIX).set_index("fiscal_year")
    for year, group in raw.groupby("fy"):
        covered = group.loc[group["citizenship"].isin(SIX), "encounter_count"].sum()
        assert shares.loc[year, "encounters"] == covered
        assert shares.loc[year, "share_pct"] == pytest.approx(covered / group["encounter_count"].sum() * 100)


def test_monthly_by_country_matches_the_csv(raw, encounters):
    monthly = fn.monthly_by_country(encounters, ["CUBA", "BELIZE", "ECUADOR"], 2020, 2024)
    assert set(monthly["country"]) == {"CUBA", "ECUADOR"}
    assert len(monthly) == 2 * raw["month"].nunique()
    for country in ["CUBA", "ECUADOR"]:
        expected = raw[raw["citizenship"] == country].groupby("month")["encounter_count"].sum()
        mine = monthly[monthly["country"] == country]
        got = mine.set_index(mine["month"].dt.strftime("%Y-%m"))["encounters"]
        pd.testing.assert_series_equal(got.loc[expected.index], expected, check_names=False)


def test_compare_phrase():
    assert fn.compare_phrase(10.74, 8.89) == "more than"
    assert fn.compare_phrase(8.0, 8.04) == "as much as"
    assert fn.compare_phrase(2.0, 8.0) == "less than"


# --- parameters --------------------------------------------------------------------------------


def test_countries_default_is_the_six(encounters):
    assert fn.resolve_countries(None, encounters["citizenship"].unique()) == SIX


def test_countries_ignore_case_and_spaces_and_duplicates(encounters):
    cits = encounters["citizenship"].unique()
    got = fn.resolve_countries([" el salvador", "Belize", "EL SALVADOR", "china, peoples republic of"], cits)
    assert got == ["EL SALVADOR", "BELIZE", "CHINA, PEOPLES REPUBLIC OF"]


@pytest.mark.parametrize(
    "value, fragment",
    [
        (["Narnia"], "'Narnia'"),
        (["Salvador"], "'Salvador'"),
        ("CUBA", "a list of countries"),
        ([], "a non-empty list"),
        ([3], "got 3"),
    ],
)
def test_bad_countries_name_the_parameter(encounters, value, fragment):
    with pytest.raises(ParameterError) as err:
        fn.resolve_countries(value, encounters["citizenship"].unique())
    assert err.value.name == "countries"
    assert str(err.value).startswith("parameter 'countries'")
    assert fragment in str(err.value)


@pytest.mark.parametrize("value", [2019, 2025, "2023", 2023.0, True, None])
def test_bad_fiscal_year_names_the_parameter(encounters, value):
    with pytest.raises(ParameterError, match=r"parameter 'fiscal_year'.*2020.*2024"):
        fn.check_fiscal_year(value, encounters)


def test_fiscal_years_in_the_data(encounters):
    assert fn.complete_fiscal_years(encounters) == [2020, 2021, 2022, 2023, 2024]
    assert fn.check_fiscal_year(2021, encounters) == 2021


@pytest.mark.parametrize("value", [None, 3, ""])
def test_bad_output_dir_names_the_parameter(value):
    with pytest.raises(ParameterError, match="parameter 'output_dir'"):
        params.output_dir(value)


# --- curated tables ----------------------------------------------------------------------------


def test_every_source_key_is_in_the_bibliography(bib_keys):
    keys = bib_keys
    for name in ["programme-funding", "programme-facts", "claim-evidence"]:
        assert sorted(set(load(name)["source_key"]) - keys) == [], name
    for name in ["programme_funding.csv"]:
        notes = " ".join(pd.read_csv(DATA / name)["note"].dropna())
        cited = set(re.findall(r"\(([a-z0-9_]+)\)", notes))
        assert cited <= keys, cited - keys


def test_the_us_pledge_row_matches_the_article_and_is_unconfirmed(funding_table):
    claims = pd.read_csv(DATA / "article_claims.csv").set_index("claim_id")
    us = funding_table.set_index("funding_id").loc["us-2023-pledge"]
    assert us["amount_usd"] == claims.loc["usd-40m", "claimed_value"]
    assert us["confirmation"] == "not confirmed by donor"
    assert us["donor"] == "United States" and us["kind"] == "announced pledge"
    assert us["recipient"].upper().split(", ") == SIX
    assert len(SIX) == claims.loc["six-countries", "claimed_value"]


def test_claim_evidence_covers_the_chapter_claims():
    evidence = pd.read_csv(DATA / "claim_evidence.csv")
    for claim in ["usd-40m", "six-countries", "central-america", "programme-results", "un-partners", "usd-first-time",
                  "usd-raise", "multi-service-space", "new-paths"]:
        assert (evidence["claim_id"] == claim).any(), claim
    us_rows = evidence[(evidence["claim_id"] == "usd-40m") & (evidence["finding"] == "no source found")]
    assert len(us_rows) == 1 and "White House" in us_rows.iloc[0]["statement"]


def test_shipped_funding_table_passes_the_extra_checks(funding_table):
    assert fn.check_funding(funding_table) is funding_table
    assert set(funding_table["kind"]) <= set(fn.KINDS)


def _broken(funding_table, funding_id, **changes):
    frame = funding_table.copy()
    index = frame.index[frame["funding_id"] == funding_id][0]
    for column, value in changes.items():
        frame[column] = frame[column].astype(object)
        frame.loc[index, column] = value
    return frame, index + 2


@pytest.mark.parametrize(
    "funding_id, changes, column, fragment",
    [
        ("mx-2019-contract-sv", {"date_end": pd.NaT}, "date_end", "a period needs its last day"),
        ("mx-2019-contract-sv", {"date_end": pd.Timestamp("2019-01-01")}, "date_end", "not before date"),
        ("us-2023-pledge", {"date_end": pd.Timestamp("2023-08-01")}, "date_end", "expected a blank"),
        ("us-2023-pledge", {"amount_usd": float("nan")}, "amount_usd", "needs an amount"),
    ],
)
def test_inconsistent_funding_rows_are_data_errors(funding_table, funding_id, changes, column, fragment):
    frame, line = _broken(funding_table, funding_id, **changes)
    with pytest.raises(DataError) as err:
        fn.check_funding(frame)
    assert err.value.row == line and err.value.column == column
    assert fragment in str(err.value)


def test_funding_points_merge_equal_rows(funding_table):
    points = fn.funding_points(funding_table)
    pledges = points[(points["kind"] == "announced pledge") & (points["donor"] == "Mexico")]
    assert len(pledges) == 1 and pledges.iloc[0]["n"] == 3
    assert pledges.iloc[0]["recipients"] == "El Salvador, Honduras, Guatemala"
    contract = points[points["kind"] == "signed contract"].iloc[0]
    assert contract["plot_date"] == pd.Timestamp("2019-09-01") + (pd.Timestamp("2020-09-27") - pd.Timestamp("2019-09-01")) / 2


def test_amounts_are_never_added_across_kinds(funding_table):
    table = fn.amounts_by_kind(funding_table).set_index(["donor", "kind"])
    raw = pd.read_csv(DATA / "programme_funding.csv")
    mexico_pledges = raw[(raw["donor"] == "Mexico") & (raw["kind"] == "announced pledge")]["amount_usd"].sum()
    assert table.loc[("Mexico", "announced pledge"), "amount_usd"] == mexico_pledges
    assert len(table) == raw.groupby(["donor", "kind"]).ngroups


@pytest.mark.parametrize(
    "amount, text", [(40_000_000, "USD 40 million"), (150e6, "USD 150 million"), (1_500_000, "USD 1.5 million")]
)
def test_usd_millions(amount, text):
    assert fn.usd_millions(amount) == text


def test_date_labels(funding_table):
    labels = dict(zip(funding_table["funding_id"], funding_table.apply(fn.date_label, axis=1)))
    assert labels["us-2023-pledge"] == "26 Jul 2023"
    assert labels["mx-2019-pledge-sv"] == "Jul 2019"
    assert labels["mx-2019-contract-hn"] == "Sep 2019–Sep 2020"


def test_display_names():
    assert fn.display_name("EL SALVADOR") == "El Salvador"
    assert fn.display_name("CHINA, PEOPLES REPUBLIC OF") == "China, Peoples Republic of"
    assert fn.countries_phrase(SIX) == "the six countries named in the announcement"
    assert fn.countries_phrase(["CUBA", "HAITI"]) == "the selected countries (Cuba and Haiti)"
