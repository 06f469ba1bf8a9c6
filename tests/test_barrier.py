"""Fast tests for the Rio Grande chapter: unit conversions, shares, differences and the curated tables.

Expected values are computed here directly from the CSV files with pandas (or exact decimal
arithmetic), not by calling the functions under test.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest

from migration_report.core import params

from migration_report import ParameterError, load
from migration_report.chapters.rio_grande_dispute import analysis as barrier

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
CHAPTER_CLAIMS = ["barrier-length", "barrier-split", "who-toured", "second-note", "federal-lawsuit"]


@pytest.fixture(scope="module")
def geometry_csv() -> pd.DataFrame:
    return pd.read_csv(DATA / "barrier_geometry.csv", dtype={"length": str})


@pytest.fixture(scope="module")
def timeline_csv() -> pd.DataFrame:
    return pd.read_csv(DATA / "rio_grande_timeline.csv", dtype=str, keep_default_na=False)


def feet(geometry_csv, figure_set, part) -> Decimal:
    row = geometry_csv[(geometry_csv["figure_set"] == figure_set) & (geometry_csv["part"] == part)]
    assert len(row) == 1 and row["unit"].iloc[0] in ("ft", "m")
    return Decimal(row["length"].iloc[0])


# --- conversions -------------------------------------------------------------------------

def test_one_foot_is_exactly_0_3048_metres():
    assert barrier.METRES_PER_FOOT == 0.3048
    assert barrier.feet_to_metres(1) == 0.3048
    assert barrier.to_metres(5, "m") == 5


@pytest.mark.parametrize("ft, metres", [("995", "303.276"), ("208", "63.3984"), ("787", "239.8776"), ("1000", "304.8")])
def test_feet_to_metres_matches_exact_decimal_arithmetic(ft, metres):
    assert Decimal(ft) * Decimal("0.3048") == Decimal(metres)  # the expectation itself is exact
    assert barrier.feet_to_metres(float(ft)) == pytest.approx(float(metres), abs=1e-9)
    assert barrier.metres_to_feet(float(metres)) == pytest.approx(float(ft), abs=1e-9)


def test_unknown_unit_is_an_error_naming_it():
    with pytest.raises(ValueError, match="'yd'"):
        barrier.to_metres(3, "yd")


# --- the geometry table ------------------------------------------------------------------

def test_geometry_loads_with_its_schema_and_hash():
    frame = load("barrier-geometry")
    assert set(frame["figure_set"]) == {"mexico-sre", "ibwc-survey", "nominal"}


def test_geometry_rows_are_sourced_in_original_units_without_stored_conversions(geometry_csv, bib_keys):
    assert not [c for c in geometry_csv.columns if "metre" in c or c.endswith("_m")]
    assert set(geometry_csv["source_key"]) <= bib_keys
    assert set(geometry_csv.loc[geometry_csv["figure_set"] == "mexico-sre", "unit"]) == {"m"}
    assert set(geometry_csv.loc[geometry_csv["figure_set"] == "ibwc-survey", "unit"]) == {"ft"}
    assert (geometry_csv["length"].astype(float) >= 0).all()


@pytest.mark.parametrize("figure_set", ["mexico-sre", "ibwc-survey"])
def test_the_two_sides_add_up_to_the_total(geometry_csv, figure_set):
    total = feet(geometry_csv, figure_set, "total")
    assert feet(geometry_csv, figure_set, "united-states") + feet(geometry_csv, figure_set, "mexico") == total
    assert barrier.parts_gap(load("barrier-geometry"), figure_set) == 0


@pytest.mark.parametrize("figure_set", ["mexico-sre", "ibwc-survey"])
def test_shares_on_each_side(geometry_csv, figure_set):
    total = float(feet(geometry_csv, figure_set, "total"))
    expected = {side: 100 * float(feet(geometry_csv, figure_set, side)) / total for side in ("united-states", "mexico")}
    got = barrier.shares(load("barrier-geometry"), figure_set)
    for side, value in expected.items():
        assert got[side] == pytest.approx(value, rel=1e-12)
    assert got.sum() == pytest.approx(100)


def test_survey_puts_about_79_percent_in_mexico():
    # The reports of the survey round it to "about 80 %" (facts 3.11: 79–80 %).
    assert 79 <= barrier.shares(load("barrier-geometry"), "ibwc-survey")["mexico"] <= 80


def test_differences_between_mexicos_figures_and_the_survey(geometry_csv):
    frame = barrier.differences(load("barrier-geometry"))
    for part in ("total", "united-states", "mexico"):
        mexico_m = float(feet(geometry_csv, "mexico-sre", part))
        survey_m = float(feet(geometry_csv, "ibwc-survey", part) * Decimal("0.3048"))
        assert frame.loc[part, "difference_m"] == pytest.approx(mexico_m - survey_m, abs=1e-9)
    # Mexico's figures give the US side more than the survey, and Mexico's side less.
    assert frame.loc["united-states", "difference_m"] > 0 > frame.loc["mexico", "difference_m"]
    points = 100 * (float(feet(geometry_csv, "mexico-sre", "mexico")) / float(feet(geometry_csv, "mexico-sre", "total"))
                    - float(feet(geometry_csv, "ibwc-survey", "mexico")) / float(feet(geometry_csv, "ibwc-survey", "total")))
    assert frame.loc["mexico", "difference_share_points"] == pytest.approx(points, abs=1e-9)


def test_article_claims_are_read_from_the_claims_table_and_equal_mexicos_figures(geometry_csv):
    claims = pd.read_csv(DATA / "article_claims.csv").set_index("claim_id")
    got = barrier.claimed_split(load("article-claims"))
    assert got["total"] == claims.loc["barrier-length", "claimed_value"]
    split = claims.loc["barrier-split"]
    by_side = {split["claimed_unit"]: split["claimed_value"], split["claimed_unit_2"]: split["claimed_value_2"]}
    assert got["mexico"] == by_side["m in Mexico"]
    assert got["united-states"] == by_side["m in the United States"]
    for part in ("total", "united-states", "mexico"):
        assert got[part] == float(feet(geometry_csv, "mexico-sre", part))


def test_split_table_has_both_sets_in_metres(geometry_csv):
    table = barrier.split_table(load("barrier-geometry")).set_index(["figure_set", "part"])
    assert table.loc[("ibwc-survey", "mexico"), "length_m"] == pytest.approx(787 * 0.3048)
    assert table.loc[("mexico-sre", "united-states"), "length_m"] == 75
    assert table.loc[("ibwc-survey", "total"), "share_pct"] == 100


# --- the timeline ------------------------------------------------------------------------

def test_timeline_loads_with_its_schema_and_hash():
    assert len(load("rio-grande-timeline")) > 0


def test_every_timeline_row_is_dated_sourced_and_rated(timeline_csv, bib_keys):
    for line, row in enumerate(timeline_csv.to_dict("records"), start=2):
        where = f"rio_grande_timeline.csv line {line}"
        date = dt.date.fromisoformat(row["date"])  # raises on an invalid date
        assert row["date_precision"] in {"day", "month"}, where
        if row["date_precision"] == "month":
            assert date.day == 1, f"{where}: a month-precision date is the first of the month"
        assert row["event"].strip() and row["label"].strip() and row["actor"].strip(), where
        assert row["source_key"] in bib_keys, f"{where}: source key {row['source_key']!r} is not in references.bib"
        assert row["confidence"] in {"high", "medium", "low"}, where


def test_timeline_is_in_date_order(timeline_csv):
    dates = list(timeline_csv["date"])
    assert dates == sorted(dates)


@pytest.mark.parametrize(
    "date, words",
    [
        ("2020-03-20", "Title 42 order"),
        ("2021-03-04", "Operation Lone Star"),
        ("2023-05-11", "11:59 p.m. ET"),
        ("2023-07-07", "installing the buoy barrier"),
        ("2023-06-26", "first diplomatic note"),
        ("2023-07-26", "second diplomatic note"),
        ("2023-07-20", "DOJ letter"),
        ("2023-07-24", "No. 1:23-cv-853"),
        ("2023-07-24", "Rivers and Harbors Act"),
        ("2023-08-15", "IBWC survey"),
        ("2024-08-06", "orders briefing"),
        ("2023-09-06", "preliminary injunction"),
        ("2023-12-01", "panel"),
        ("2024-01-17", "rehearing en banc"),
        ("2024-07-30", "en banc"),
    ],
)
def test_required_events_are_on_the_timeline(timeline_csv, date, words):
    rows = timeline_csv[timeline_csv["date"] == date]
    assert rows["event"].str.contains(words, case=False, regex=False).any(), f"no event on {date} mentions {words!r}"


def test_low_confidence_rows_are_few_and_flagged(timeline_csv):
    low = timeline_csv[timeline_csv["confidence"] == "low"]
    assert list(low["date"]) == ["2023-07-20"]  # the DOJ letter, kept because the issue needs it
    assert "not read" in low["event"].iloc[0]


def test_dates_are_shown_at_their_precision():
    assert barrier.date_text(pd.Timestamp("2023-08-01"), "month") == "Aug 2023"
    assert barrier.date_text(pd.Timestamp("2023-07-26"), "day") == "26 Jul 2023"
    start, end = barrier.month_span(pd.Timestamp("2023-09-01"), "month")
    assert (start, end) == (pd.Timestamp("2023-09-01"), pd.Timestamp("2023-10-01"))


# --- claim evidence ----------------------------------------------------------------------

def test_each_chapter_claim_has_sourced_evidence(bib_keys):
    evidence = pd.read_csv(DATA / "claim_evidence.csv")
    claims = pd.read_csv(DATA / "article_claims.csv")
    ours = evidence[evidence["claim_id"].isin(CHAPTER_CLAIMS)]
    assert set(ours["claim_id"]) == set(CHAPTER_CLAIMS)
    assert set(CHAPTER_CLAIMS) <= set(claims.loc[claims["chapter"] == "rio-grande-dispute", "claim_id"])
    assert set(ours["source_key"]) <= bib_keys
    load("claim-evidence")  # schema, hash and the foreign key into article-claims


def test_evidence_values_match_the_geometry_table(geometry_csv):
    evidence = pd.read_csv(DATA / "claim_evidence.csv").set_index("evidence_id")
    assert evidence.loc["barrier-length-ibwc-survey", "value"] == float(feet(geometry_csv, "ibwc-survey", "total"))
    assert evidence.loc["barrier-split-ibwc-mexico", "value"] == float(feet(geometry_csv, "ibwc-survey", "mexico"))
    assert evidence.loc["barrier-split-ibwc-us", "value"] == float(feet(geometry_csv, "ibwc-survey", "united-states"))
    assert evidence.loc["barrier-length-mexico-figures", "value"] == float(feet(geometry_csv, "mexico-sre", "total"))


# --- parameters --------------------------------------------------------------------------

@pytest.mark.parametrize("bad", [42, "", "   ", None])
def test_output_dir_must_be_a_folder_path(bad):
    with pytest.raises(ParameterError, match="parameter 'output_dir'"):
        params.output_dir(bad)


def test_output_dir_may_not_be_an_existing_file(tmp_path):
    book = tmp_path / "book"
    existing = book / "_build" / "a-file.csv"
    existing.parent.mkdir(parents=True)
    existing.write_text("x\n")
    with pytest.raises(ParameterError, match="existing file"):
        params.output_dir(str(existing), book=book)
    assert params.output_dir(str(book / "_build" / "new"), book=book) == book / "_build" / "new"


def test_output_dir_is_read_from_the_books_chapters_folder_whatever_the_working_folder(tmp_path, monkeypatch):
    """papermill runs a notebook in the caller's folder: `../_build/figure-data/x` was read from there, so a run
    from the repository root wrote one level above it. It is read from the book's chapters/ folder."""
    root = Path(__file__).resolve().parents[1]
    for where in (root, root / "chapters", root / "tests", tmp_path):
        monkeypatch.chdir(where)
        assert params.output_dir("../_build/figure-data/x") == root / "_build" / "figure-data" / "x"
    small = tmp_path / "small"  # a book of its own (a small book, make chapter's run folder): its own _build/
    (small / "chapters").mkdir(parents=True)
    (small / "_config.yml").write_text("title: x\n")
    (small / "_toc.yml").write_text("root: x\n")
    monkeypatch.chdir(small / "chapters")
    assert params.output_dir("../_build/figure-data/x") == small / "_build" / "figure-data" / "x"


@pytest.mark.parametrize("escape", ["../../../../chapters", "../chapters", "..", "../_build/../data", "/tmp/elsewhere",
                                    "../_build/link-out/x", "~/figure-data"])
def test_output_dir_outside_the_books_build_folder_is_refused(tmp_path, escape):
    book = tmp_path / "book"
    (book / "_build").mkdir(parents=True)
    (book / "_build" / "link-out").symlink_to(tmp_path)  # a link out of _build/ is outside too
    with pytest.raises(ParameterError, match=r"parameter 'output_dir': got .*expected a folder inside .*_build, the "
                                             r"book's _build folder"):
        params.output_dir(escape, book=book)
    assert not (tmp_path / "x").exists()
