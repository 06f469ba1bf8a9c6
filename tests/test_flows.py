"""Unit tests for migration_report.chapters.flow_statistics.analysis (the flow-statistics chapter and the claim register).

Expected values are computed here directly from the CSV files in data/ with plain pandas
(or the csv module), not through the functions under test. A figure written out as a number as well
(a pin, which says where a change to the data shows) names the release it comes from: PINNED_FROM.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest

from migration_report import DataError, ParameterError, describe, load, load_file
from migration_report.chapters.flow_statistics import analysis as flows, text as flows_text
from migration_report.core.outputs import Markup

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
# The release behind the pinned encounter figures (data/datapackage.json, sw-encounters).
PINNED_FROM = "CBP Nationwide Encounters, releases of November 2023 and October 2024 (data/sw_encounters_monthly.csv)"
MEASURE_FILTERS = {"sw-total": {}, "usbp": {"component": "USBP"},
                   "usbp-title-8": {"component": "USBP", "title_of_authority": "Title 8"}, "ofo": {"component": "OFO"}}


@pytest.fixture(scope="module")
def raw():
    """The encounters CSV read as plain text columns, the way a reader would open it."""
    frame = pd.read_csv(DATA / "sw_encounters_monthly.csv", dtype={"encounter_count": int})
    return frame


def direct(raw, month, **filters):
    rows = raw[raw["month"] == month]
    for column, value in filters.items():
        rows = rows[rows[column] == value]
    return int(rows["encounter_count"].sum())


# --- the 50 % check ------------------------------------------------------------------------------

def test_known_june_2023_values(raw, encounters):
    change = flows.may_june_change(encounters)
    assert change.at["usbp", "june"] == direct(raw, "2023-06", component="USBP")
    assert change.at["sw-total", "june"] == direct(raw, "2023-06")
    # pinned, from PINNED_FROM
    assert change.at["usbp", "june"] == 99_538
    assert change.at["sw-total", "june"] == 144_556


def change_from_rows(raw, measure: str) -> float:
    """The May -> June 2023 change of MEASURE in percent, to one decimal, from the CSV's rows."""
    may, june = direct(raw, "2023-05", **MEASURE_FILTERS[measure]), direct(raw, "2023-06", **MEASURE_FILTERS[measure])
    return round((june - may) / may * 100, 1)


@pytest.mark.parametrize(
    "measure, filters",
    [
        ("sw-total", {}),
        ("usbp", {"component": "USBP"}),
        ("usbp-title-8", {"component": "USBP", "title_of_authority": "Title 8"}),
        ("ofo", {"component": "OFO"}),
    ],
)
def test_may_june_change_matches_the_csv(raw, encounters, measure, filters):
    may, june = direct(raw, "2023-05", **filters), direct(raw, "2023-06", **filters)
    row = flows.may_june_change(encounters).loc[measure]
    assert (row["may"], row["june"]) == (may, june)
    assert row["change"] == june - may
    assert row["change_pct"] == pytest.approx((june - may) / may * 100)


def test_the_four_changes(raw, encounters):
    pct = flows.may_june_change(encounters)["change_pct"].round(1).to_dict()
    assert pct == {measure: change_from_rows(raw, measure) for measure in MEASURE_FILTERS}
    # pinned, from PINNED_FROM
    assert pct == {"sw-total": -30.1, "usbp": -41.9, "usbp-title-8": -28.8, "ofo": 27.5}


def test_claimed_fifty_percent_is_not_any_measure(encounters):
    claims = pd.read_csv(DATA / "article_claims.csv").set_index("claim_id")
    claimed = claims.at["may-june-drop", "claimed_value"]
    assert claimed == -50
    gaps = (flows.may_june_change(encounters)["change_pct"] - claimed).abs()
    assert gaps.min() > 8  # the nearest, Border Patrol, is 8.1 points away


def test_may_2023_straddles_title_42(raw, encounters):
    mix = flows.title_mix(encounters)
    expelled = direct(raw, "2023-05", title_of_authority="Title 42")
    assert int(mix["Title 42"].sum()) == expelled > 0
    assert direct(raw, "2023-06", title_of_authority="Title 42") == 0


def test_daily_rate():
    assert flows.daily_rate(31, "2023-05-01", "2023-05-31") == 1.0
    assert flows.daily_rate(110, "2023-05-01", "2023-05-11") == 10.0


def test_percent_change_from_zero_is_an_error():
    with pytest.raises(ValueError):
        flows.percent_change(0, 5)


def test_may_june_needs_both_months(encounters):
    with pytest.raises(DataError, match="2023-06"):
        flows.may_june_change(encounters[encounters["month"] != pd.Timestamp("2023-06-01")])


# --- "lowest since" -----------------------------------------------------------------------------

def test_last_lower_month_on_a_small_series():
    months = pd.date_range("2020-01-01", periods=6, freq="MS")
    series = pd.Series([5, 2, 7, 3, 9, 4], index=months)
    assert flows.last_lower_month(series, months[5]) == months[3]  # 3 < 4
    assert flows.last_lower_month(series, months[1]) is None  # nothing earlier is lower
    assert flows.last_lower_month(series, months[4]) == months[3]


def _direct_last_lower(raw, **filters):
    rows = raw
    for column, value in filters.items():
        rows = rows[rows[column] == value]
    monthly = rows.groupby("month")["encounter_count"].sum()
    june = monthly["2023-06"]
    earlier = [m for m in monthly.index if m < "2023-06" and monthly[m] < june]
    return max(earlier)


@pytest.mark.parametrize(
    "measure, filters, expected",
    [
        ("sw-total", {}, "2021-02"),
        ("usbp", {"component": "USBP"}, "2021-02"),
        ("usbp-title-8", {"component": "USBP", "title_of_authority": "Title 8"}, "2023-03"),
        ("ofo", {"component": "OFO"}, "2023-05"),
    ],
)
def test_lowest_since(raw, encounters, measure, filters, expected):
    assert _direct_last_lower(raw, **filters) == expected
    table = flows.lowest_since(encounters)
    assert table.at[measure, "last_lower_month"] == pd.Timestamp(expected + "-01")


def test_field_operations_june_2023_was_a_record(raw, encounters):
    ofo = raw[raw["component"] == "OFO"].groupby("month")["encounter_count"].sum()
    assert ofo["2023-06"] == ofo[:"2023-06"].max()
    table = flows.lowest_since(encounters)
    assert bool(table.at["ofo", "highest_to_date"])
    assert not table.loc[["sw-total", "usbp", "usbp-title-8"], "highest_to_date"].any()


def test_lowest_since_matches_the_claimed_month(encounters):
    claims = pd.read_csv(DATA / "article_claims.csv", dtype=str).set_index("claim_id")
    claimed = pd.Timestamp(claims.at["lowest-since-feb-2021", "claimed_when"] + "-01")
    table = flows.lowest_since(encounters)
    assert table.at["sw-total", "last_lower_month"] == claimed == table.at["usbp", "last_lower_month"]


# --- Mexican nationals ----------------------------------------------------------------------------

def test_mexican_trend(raw, encounters):
    mx = raw[raw["citizenship"] == "MEXICO"].groupby("month")["encounter_count"].sum()
    last_12 = mx["2022-07":"2023-06"].sum()
    previous_12 = mx["2021-07":"2022-06"].sum()
    trend = flows.mexican_trend(encounters)
    assert (trend["last_12"], trend["previous_12"]) == (last_12, previous_12) == (734_511, 804_785)
    assert (trend["last_3"], trend["previous_3"]) == (mx["2023-04":"2023-06"].sum(), mx["2023-01":"2023-03"].sum())
    assert trend["consecutive_falls"] == 3  # March > April > May > June 2023
    assert trend["direction"] == "down"


def test_trend_rule_directions():
    months = pd.date_range("2020-01-01", periods=24, freq="MS")
    rows = pd.DataFrame({"month": months, "component": "USBP", "title_of_authority": "Title 8",
                         "encounter_type": "Apprehensions", "citizenship": "MEXICO", "encounter_count": range(1, 25)})
    assert flows.mexican_trend(rows, end="2021-12")["direction"] == "up"
    rising_then_falling = rows.assign(encounter_count=list(range(1, 22)) + [5, 4, 3])
    assert flows.mexican_trend(rising_then_falling, end="2021-12")["direction"] == "mixed"
    with pytest.raises(DataError, match="24 months"):
        flows.mexican_trend(rows, end="2021-06")


# --- By nationality -------------------------------------------------------------------------------

def test_composition(raw, encounters):
    table = flows.composition(encounters)
    before = raw[raw["month"].between("2023-01", "2023-04")]
    after = raw[raw["month"].between("2023-06", "2023-09")]
    assert table["before"].sum() == before["encounter_count"].sum()
    assert table["after"].sum() == after["encounter_count"].sum()
    mexico_after = after.loc[after["citizenship"] == "MEXICO", "encounter_count"].sum() / after["encounter_count"].sum() * 100
    assert table.at["MEXICO", "after_share"] == pytest.approx(mexico_after)
    assert table["before_share"].sum() == pytest.approx(100)
    assert table.index[-1] == "OTHER"


# --- CHNV and CBP One -----------------------------------------------------------------------------

def _csv_rows(name):
    with open(DATA / name, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_pathway_cumulative_to_june_2023():
    chnv_rows = _csv_rows("chnv_process_monthly.csv")
    one_rows = _csv_rows("cbp_one_appointments_monthly.csv")
    paroles = sum(int(r["total"]) for r in chnv_rows if r["measure"] == "paroles" and r["month"] <= "2023-06")
    chv = sum(int(r[c] or 0) for r in one_rows if r["month"] <= "2023-06" for c in ("cuba", "haiti", "venezuela"))
    other = sum(int(r["other"] or 0) for r in one_rows if r["month"] <= "2023-06")
    everyone = sum(int(r["total"] or 0) for r in one_rows if r["month"] <= "2023-06")
    reach = flows.pathway_cumulative(load("chnv-process"), load("cbp-one-appointments"))
    june = reach.loc[pd.Timestamp("2023-06-01")]
    assert june["paroles"] == paroles == 155_740
    assert june["cbp_one_chv"] == chv
    assert june["chnv_low"] == paroles + chv
    assert june["chnv_high"] == paroles + chv + other
    assert june["paroles_plus_all"] == paroles + everyone


def test_reconcile_272000():
    claims = pd.read_csv(DATA / "article_claims.csv").set_index("claim_id")
    target = claims.at["chnv-272000", "claimed_value"]
    reach = flows.pathway_cumulative(load("chnv-process"), load("cbp-one-appointments"))
    table = flows.reconcile_total(reach, target)
    assert list(table.columns) == ["2023-05", "2023-06", "2023-07", "first_above"]
    # By the end of June even the upper bound is short; only (e), with all nationalities, is above.
    assert table.at["chnv_high", "2023-06"] < target < table.at["paroles_plus_all", "2023-06"]
    assert table.at["chnv_low", "2023-07"] < target < table.at["chnv_high", "2023-07"]
    assert table.at["chnv_high", "first_above"] == pd.Timestamp("2023-07-01")
    assert table.at["paroles_plus_all", "first_above"] == pd.Timestamp("2023-06-01")


def test_parole_countries_sum_close_to_total():
    chnv = load("chnv-process")
    by_country = flows.parole_countries(chnv, pd.Timestamp("2023-06-01"))
    total = chnv[(chnv["measure"] == "paroles") & (chnv["month"] <= "2023-06-01")]["total"].sum()
    # Every cell is rounded to 10, so the countries may differ from the total by a few tens.
    assert abs(int(by_country.sum()) - int(total)) <= 5 * 4 * 9


# --- Long run -------------------------------------------------------------------------------------

def test_long_run_splice_and_handover():
    raw_lr = pd.read_csv(DATA / "usbp_sw_long_run.csv")
    legacy = raw_lr[raw_lr["series"] == "cbp-legacy"].set_index("month")["encounters"]
    nationwide = raw_lr[raw_lr["series"] == "cbp-nationwide"].set_index("month")["encounters"]
    overlap = legacy.index.intersection(nationwide.index)
    long_run = load("usbp-sw-long-run")
    spliced = flows.long_run_spliced(long_run)
    assert spliced["month"].is_unique and spliced["month"].is_monotonic_increasing
    assert len(spliced) == len(legacy) + len(nationwide) - len(overlap) == 300
    info = flows.handover(long_run)
    assert info["handover_month"] == pd.Timestamp("2020-10-01")
    assert info["overlap_months"] == len(overlap) == 12
    assert info["overlap_max_difference"] == int((legacy[overlap] - nationwide[overlap]).abs().max())


def test_long_run_rank():
    raw_lr = pd.read_csv(DATA / "usbp_sw_long_run.csv")
    series = pd.concat([
        raw_lr[raw_lr["series"] == "cbp-legacy"].set_index("month")["encounters"],
        raw_lr[(raw_lr["series"] == "cbp-nationwide") & (raw_lr["month"] > "2020-09")].set_index("month")["encounters"],
    ])
    june = series["2023-06"]
    rank = flows.long_run_rank(load("usbp-sw-long-run"))
    assert rank["value"] == june == 99_538
    assert rank["months_higher"] == int((series > june).sum())
    assert rank["months_higher_before_fy2021"] == int((series[series.index < "2020-10"] > june).sum())


# --- Releases and cited figures -------------------------------------------------------------------

def test_release_totals_aug_2025():
    raw_aug = pd.read_csv(DATA / "sw_encounters_aug_2025_release.csv")
    june = raw_aug[raw_aug["month"] == "2023-06"]
    totals = flows.release_totals(load("sw-encounters-aug-2025-release"))
    assert totals.loc[pd.Timestamp("2023-06-01"), "sw_total"] == june["encounter_count"].sum()
    assert totals.loc[pd.Timestamp("2023-06-01"), "usbp"] == june.loc[june["component"] == "USBP", "encounter_count"].sum()


def test_cited_first_release_figures():
    figures = load("flow-cited-figures")
    assert flows.cited(figures, "usbp-2023-06-first-release") == 99_545
    assert flows.cited(figures, "sw-total-2023-06-first-release") == 144_607
    # CBP's split of May at the end of Title 42 adds up to its first-release May figure.
    assert flows.cited(figures, "usbp-2023-05-01-11") + flows.cited(figures, "usbp-2023-05-12-31") == flows.cited(
        figures, "usbp-2023-05-first-release"
    )
    with pytest.raises(DataError, match="no-such-figure"):
        flows.cited(figures, "no-such-figure")


def test_every_source_key_is_in_references_bib(bib_keys):
    keys = bib_keys
    for name in ("flow_cited_figures.csv", "claim_evidence.csv"):
        for row in _csv_rows(name):
            assert row["source_key"] in keys, (name, row["source_key"])


def test_claim_evidence_for_this_chapter():
    rows = [r for r in _csv_rows("claim_evidence.csv") if r["claim_id"] in ("title-42-end", "chnv-272000")]
    assert {r["claim_id"] for r in rows} == {"title-42-end", "chnv-272000"}
    assert {r["finding"] for r in rows if r["claim_id"] == "title-42-end"} == {"agrees"}
    # chnv-272000 is measured from the data; its documents give context and record the search for a US source
    truth = {r["finding"] for r in rows if r["claim_id"] == "chnv-272000" and r["question"] == "truth"}
    assert truth == {"context", "no source found"}


# --- The overview and its parameters --------------------------------------------------------------

def test_read_encounters_default_and_errors(tmp_path):
    assert len(flows.read_encounters(None, load, load_file)) == len(load("sw-encounters"))
    with pytest.raises(ParameterError, match="parameter 'encounters_csv'"):
        flows.read_encounters(42, load, load_file)
    with pytest.raises(ParameterError, match="parameter 'encounters_csv'.*file not found"):
        flows.read_encounters(str(tmp_path / "missing.csv"), load, load_file)
    wrong = tmp_path / "wrong.csv"
    wrong.write_text("month,count\n2023-06,5\n", encoding="utf-8")
    with pytest.raises(ParameterError, match="parameter 'encounters_csv'.*column 'component'"):
        flows.read_encounters(str(wrong), load, load_file)


def test_read_encounters_accepts_a_file_with_the_schema(tmp_path, raw):
    subset = tmp_path / "mexico.csv"
    text = (DATA / "sw_encounters_monthly.csv").read_text(encoding="utf-8").splitlines()
    subset.write_text("\n".join([text[0]] + [line for line in text[1:] if ",MEXICO," in line]) + "\n", encoding="utf-8")
    frame = flows.read_encounters(str(subset), load, load_file)
    assert int(frame["encounter_count"].sum()) == int(raw.loc[raw["citizenship"] == "MEXICO", "encounter_count"].sum())


def test_select_and_window_table(raw, encounters):
    start, end = pd.Timestamp("2021-10-01"), pd.Timestamp("2022-09-01")
    rows = flows.select(encounters, start, end, ["MEXICO", "CUBA"], "USBP")
    expected = raw[raw["month"].between("2021-10", "2022-09") & raw["citizenship"].isin(["MEXICO", "CUBA"]) & (raw["component"] == "USBP")]
    assert int(rows["encounter_count"].sum()) == int(expected["encounter_count"].sum())
    wide = flows.by_component_title(rows, start, end)
    assert len(wide) == 12 and wide["OFO Title 8"].sum() == 0
    assert int(wide.to_numpy().sum()) == int(expected["encounter_count"].sum())


def test_describe_selection():
    everyone = ["CUBA", "MEXICO"]
    assert flows.describe_selection(everyone, everyone, "all") == "Border Patrol and Field Operations, all citizenships"
    assert flows.describe_selection(["MEXICO"], everyone, "USBP") == "Border Patrol, citizens of Mexico"


def test_checks_measure_without_judging(raw):
    tables = {n: load(n) for n in ("sw-encounters", "chnv-process", "cbp-one-appointments", "article-claims", "flow-cited-figures")}
    measured = flows.checks(tables)
    assert set(measured) == {"may-june-drop", "lowest-since-feb-2021", "mexican-trend", "chnv-272000"}
    drop = measured["may-june-drop"].values
    assert round(drop["change_pct"]["usbp"], 1) == change_from_rows(raw, "usbp")
    assert drop["claimed_pct"] == -50 and round(drop["change_pct"]["usbp"], 1) == -41.9  # pinned, from PINNED_FROM
    since = measured["lowest-since-feb-2021"].values
    assert since["last_lower"]["sw-total"] == since["claimed_month"]
    assert measured["mexican-trend"].values == {"direction": "down"}
    chnv = measured["chnv-272000"].values
    assert chnv["low"] < chnv["high"] < chnv["claimed"] and chnv["month"] == "June 2023"  # the last month before the statement
    assert not any("verdict" in m.values or "supported" in m.found for m in measured.values())


def test_the_overview_source_line_names_the_readers_file(tmp_path):
    rows = (ROOT / "data" / "sw_encounters_monthly.csv").read_text(encoding="utf-8").split("\n")[:3]
    newer = tmp_path / "newer-release.csv"
    newer.write_text("\n".join(rows) + "\n", encoding="utf-8")
    shipped = flows.check_parameters(None, None, None, "all", None, "../_build/out")
    assert flows.overview_source_line(shipped) == "Source: " + describe("sw-encounters").source_line + "."
    assert flows.overview_source_line(shipped).startswith("Source: CBP, Nationwide Encounters")
    theirs = flows.check_parameters(None, None, None, "all", str(newer), "../_build/out")
    line = flows.overview_source_line(theirs)
    assert line.startswith("Source: newer-release.csv ") and "CBP, Nationwide" not in line
    assert str(tmp_path) not in line  # the folder differs between machines; the figure must not


def _with_gap(encounters, month="2023-03"):
    return encounters[encounters["month"] != pd.Timestamp(month + "-01")].reset_index(drop=True)


def test_a_month_missing_from_a_file_is_no_data_not_zero(encounters):
    gap = _with_gap(encounters)
    series = flows.monthly(gap)
    assert pd.isna(series.loc[pd.Timestamp("2023-03-01")])
    assert series.loc[pd.Timestamp("2023-02-01")] == flows.monthly(encounters).loc[pd.Timestamp("2023-02-01")] > 0
    # A month with rows but none for the filter is a true 0.
    assert flows.monthly(encounters.assign(citizenship="MEXICO").head(1), citizenship="CUBA").tolist() == [0]


def test_the_overview_marks_the_missing_month_and_keeps_real_zeros(encounters):
    gap = _with_gap(encounters)
    start, end = pd.Timestamp("2023-01-01"), pd.Timestamp("2023-05-01")
    wide = flows.by_component_title(flows.select(gap, start, end, ["MEXICO"], "all"), start, end)
    assert wide.loc[pd.Timestamp("2023-03-01")].isna().all()
    full = flows.by_component_title(flows.select(encounters, start, end, ["MEXICO"], "all"), start, end)
    assert wide.drop(index=pd.Timestamp("2023-03-01")).equals(full.drop(index=pd.Timestamp("2023-03-01")).astype("float64"))
    assert full.dtypes.eq("int64").all() and (full["OFO Title 8"] > 0).all()
    assert flows.missing_months(gap, start, end) == [pd.Timestamp("2023-03-01")]
    assert flows.no_data_text(flows.missing_months(gap, start, end)) == "no data for March 2023"
    assert flows.no_data_text(flows.missing_months(encounters, start, end)) == ""


@pytest.mark.parametrize("check, phrase", [
    (lambda e: flows.may_june_change(_with_gap(e, "2023-05")), "no data for 2023-05, which the May-June check needs"),
    (lambda e: flows.lowest_since(_with_gap(e, "2021-02")), "no data for 2021-02, which the lowest-since check"),
    (lambda e: flows.mexican_trend(_with_gap(e, "2022-12")), "no data for 2022-12, which the trend of MEXICO needs"),
])
def test_article_checks_refuse_a_gap_instead_of_reading_zero(encounters, check, phrase):
    with pytest.raises(DataError, match=phrase):
        check(encounters)


# --- What the chapter states, and the readings that guard its sentences -----------------------------

@pytest.fixture(scope="module")
def figures():
    return load("flow-cited-figures")


@pytest.fixture(scope="module")
def claims():
    return load("article-claims").set_index("claim_id")


@pytest.fixture(scope="module")
def cited_csv():
    return pd.read_csv(DATA / "flow_cited_figures.csv").set_index("figure_id")["value"]


def test_cited_number_is_an_int_when_the_figure_is_whole(figures, cited_csv):
    number = flows.cited_number(figures, "usbp-2023-06-first-release")
    assert number == cited_csv["usbp-2023-06-first-release"] == 99_545 and type(number) is int


def test_claimed_number_and_month(claims):
    raw_claims = pd.read_csv(DATA / "article_claims.csv", dtype=str).set_index("claim_id")
    assert flows.claimed_number(claims, "chnv-272000") == float(raw_claims.at["chnv-272000", "claimed_value"]) == 272_000
    assert flows.claimed_month(claims, "lowest-since-feb-2021") == pd.Timestamp(raw_claims.at["lowest-since-feb-2021", "claimed_when"]) \
        == pd.Timestamp("2021-02-01")


def test_window_totals(raw, encounters):
    start, end = pd.Timestamp("2022-10-01"), pd.Timestamp("2023-09-01")
    rows = flows.select(encounters, start, end, sorted(encounters["citizenship"].unique()), "all")
    expected = raw[raw["month"].between("2022-10", "2023-09")].groupby(["component", "title_of_authority"])["encounter_count"].sum()
    totals = flows.window_totals(rows)
    assert list(totals.index) == ["USBP", "OFO"] and list(totals.columns) == ["Title 8", "Title 42"]
    for (component, title), count in expected.items():
        assert totals.at[component, title] == count
    assert flows.window_total(rows) == int(expected.sum())
    only_ofo = flows.window_totals(flows.select(encounters, start, end, ["MEXICO"], "OFO"))
    assert list(only_ofo.index) == ["OFO"]  # a component not selected gets no row


def test_closest_to_claim(raw, encounters):
    may, june = direct(raw, "2023-05", component="USBP"), direct(raw, "2023-06", component="USBP")
    measure, gap = flows.closest_to_claim(flows.may_june_change(encounters), -50)
    assert measure == "usbp" and gap == pytest.approx(abs((june - may) / may * 100 + 50)) and round(gap, 1) == 8.1


def test_may_june_readings_hold_and_fail_when_the_claim_is_met(encounters):
    changes = flows.may_june_change(encounters)
    flows.check_may_june_readings(changes, -50, tolerance=1.0)
    with pytest.raises(flows.ReadingError, match="claimed percentage"):
        flows.check_may_june_readings(changes, changes.at["usbp", "change_pct"] + 0.5, tolerance=1.0)
    ports_fell_most = changes.assign(change_pct=changes["change_pct"].where(changes.index != "ofo", -42.0))
    with pytest.raises(flows.ReadingError, match="largest fall"):
        flows.check_may_june_readings(ports_fell_most, -50, tolerance=1.0)


def test_lowest_readings_hold_only_for_the_month_found(encounters):
    lowest = flows.lowest_since(encounters)
    flows.check_lowest_readings(lowest, pd.Timestamp("2021-02-01"))
    with pytest.raises(flows.ReadingError, match="March 2021"):
        flows.check_lowest_readings(lowest, pd.Timestamp("2021-03-01"))


def test_july_2023_rose_again(raw, encounters):
    usbp = raw[raw["component"] == "USBP"].groupby("month")["encounter_count"].sum()
    assert usbp["2023-07"] > usbp["2023-06"]
    flows.check_rose_in_july(encounters)
    july = encounters["month"] == pd.Timestamp("2023-07-01")
    quieter = encounters.assign(encounter_count=encounters["encounter_count"].where(~july, 0))
    with pytest.raises(flows.ReadingError, match="rose again in July"):
        flows.check_rose_in_july(quieter)


def test_title_42_share_of_may_2023(raw, encounters):
    expelled, total = direct(raw, "2023-05", title_of_authority="Title 42"), direct(raw, "2023-05")
    share = flows.title_42_share(encounters)
    assert share["title_42"] == expelled and share["share_pct"] == pytest.approx(expelled / total * 100)


def test_may_daily_rates(figures, cited_csv):
    rates = flows.may_daily_rates(figures)
    before, after, june = (cited_csv[f] for f in ("usbp-2023-05-01-11", "usbp-2023-05-12-31", "usbp-2023-06-first-release"))
    assert (rates["before"], rates["after"], rates["june"]) == (before, after, june)
    assert (rates["rate_before"], rates["rate_after"], rates["rate_june"]) == pytest.approx((before / 11, after / 20, june / 30))
    assert rates["change_in_may_pct"] == pytest.approx((after / 20 - before / 11) / (before / 11) * 100)
    flows.check_drop_inside_may(rates)
    with pytest.raises(flows.ReadingError, match="inside May"):
        flows.check_drop_inside_may({**rates, "change_in_may_pct": rates["change_may_june_pct"] / 2})


def test_releases_first_against_later(raw, figures, cited_csv, encounters):
    first = flows.first_release_totals(figures)
    assert first.loc[pd.Timestamp("2023-05-01"), "usbp"] == cited_csv["usbp-2023-05-first-release"]
    assert first.loc[pd.Timestamp("2023-06-01"), "sw_total"] == cited_csv["sw-total-2023-06-first-release"]
    later = flows.release_totals(encounters)
    revisions = flows.june_revisions(first, later)
    assert revisions == {"usbp": 99_545 - direct(raw, "2023-06", component="USBP"), "sw_total": 144_607 - direct(raw, "2023-06")}
    usbp_may = direct(raw, "2023-05", component="USBP")
    assert flows.release_changes(later)["usbp"] == pytest.approx((direct(raw, "2023-06", component="USBP") - usbp_may) / usbp_may * 100)
    stated = flows.stated_changes(figures)
    assert stated == {"usbp": cited_csv["usbp-change-2023-05-06-first-release"], "sw_total": cited_csv["sw-total-change-2023-05-06-first-release"]}
    flows.check_release_readings(first, later, stated)
    with pytest.raises(flows.ReadingError, match="stated percentages"):
        flows.check_release_readings(first, later, {"usbp": stated["usbp"] - 1, "sw_total": stated["sw_total"]})
    assert flows.same_figures(later, flows.release_totals(load("sw-encounters-aug-2025-release")))
    assert not flows.same_figures(later, first)


def test_mexican_details(raw, encounters):
    mx = raw[raw["citizenship"] == "MEXICO"]
    total = mx.groupby("month")["encounter_count"].sum()
    ofo = mx[mx["component"] == "OFO"].groupby("month")["encounter_count"].sum()
    appointments = pd.read_csv(DATA / "cbp_one_appointments_monthly.csv").set_index("month")["mexico"]
    details = flows.mexican_details(encounters, load("cbp-one-appointments"), flows.mexican_trend(encounters))
    assert details["peak_month"] == pd.Timestamp(total["2023-01":"2023-06"].idxmax() + "-01") == pd.Timestamp("2023-03-01")
    assert details["peak"] == total["2023-03"] and details["end"] == total["2023-06"]
    assert (details["ofo_from"], details["ofo_end"]) == (ofo["2023-04"], ofo["2023-06"])
    assert (details["cbp_one_from"], details["cbp_one_end"]) == (appointments["2023-04"], appointments["2023-06"])
    assert details["rebound_month"] == pd.Timestamp(total["2023-07":"2023-12"].idxmax() + "-01")
    assert details["rebound"] == total["2023-07":"2023-12"].max()
    flows.check_mexican_readings(details, flows.mexican_trend(encounters))
    with pytest.raises(flows.ReadingError, match="rose again"):
        flows.check_mexican_readings({**details, "rebound": details["end"]}, flows.mexican_trend(encounters))


def test_latest_trend_ends_with_the_table(encounters):
    trend = flows.latest_trend(encounters)
    assert trend["end"] == encounters["month"].max() == pd.Timestamp("2024-09-01")
    assert trend == flows.mexican_trend(encounters, end="2024-09")


def test_nationality_readings(raw, encounters):
    after = raw[raw["month"].between("2023-06", "2023-09")].groupby("citizenship")["encounter_count"].sum()
    comp = flows.composition(encounters)
    assert flows.largest_citizenship(comp, "after") == after.drop("OTHER").idxmax() == "MEXICO"
    flows.check_nationality_readings(comp)
    with pytest.raises(flows.ReadingError, match="MEXICO"):
        flows.check_nationality_readings(comp, risers=("VENEZUELA", "MEXICO"))


def test_reach_figures_from_the_csvs():
    chnv_rows, one_rows = _csv_rows("chnv_process_monthly.csv"), _csv_rows("cbp_one_appointments_monthly.csv")

    def paroles(first, last, measure="paroles"):
        return sum(int(r["total"]) for r in chnv_rows if r["measure"] == measure and first <= r["month"] <= last)

    reach = flows.pathway_cumulative(load("chnv-process"), load("cbp-one-appointments"))
    reached = flows.reach_figures(reach, 272_000)
    chv_june = sum(int(r[c] or 0) for r in one_rows if r["month"] <= "2023-06" for c in ("cuba", "haiti", "venezuela"))
    other_june = sum(int(r["other"] or 0) for r in one_rows if r["month"] <= "2023-06")
    assert reached["paroles_june"] == paroles("2022-10", "2023-06")
    assert reached["paroles_jan_june"] == paroles("2023-01", "2023-06")
    assert reached["cbp_one_june"] == sum(int(r["total"] or 0) for r in one_rows if r["month"] <= "2023-06")
    assert reached["chnv_low_june"] == reached["paroles_june"] + chv_june
    assert reached["gap_june"] == 272_000 - (reached["paroles_june"] + chv_june + other_june)
    assert reached["approvals_june"] == paroles("2022-10", "2023-06", "confirmed_beneficiaries")
    assert reached["chnv_low_june"] < reached["chnv_low_day"] < reached["chnv_low_july"]
    flows.check_reach_readings(reach, 272_000)
    with pytest.raises(flows.ReadingError, match="end of June"):
        flows.check_reach_readings(reach, 100_000)


# --- The chapter's words and tables (flows_text) -----------------------------------------------

def test_words():
    assert flows_text.change_sentence("brief-usbp", -41.94) == "Border Patrol encounters fell by 41.9 %"
    assert flows_text.change_sentence("brief-usbp", 0.0) == "Border Patrol encounters rose by 0.0 %"
    assert flows_text.change_sentence("usbp", -41.9, may=171382, june=99538) == (
        "**Border Patrol encounters** between the ports fell from 171,382 to 99,538, by 41.9 %.")
    assert flows_text.record_text(True).endswith("were higher than in any earlier month of the series")
    assert flows_text.pct_text(-30.14) == "\u221230.1\u00a0%" and flows_text.pct_text(27.5) == "+27.5\u00a0%"
    assert flows_text.points_text(-12.84) == "\u221212.8"
    assert flows_text.month_text(pd.Timestamp("2021-02-01")) == "February 2021"
    assert flows_text.month_text(None) == flows_text.month_text(pd.NaT) == "none"
    assert flows_text.month_name(pd.Timestamp("2023-03-01")) == "March"
    assert flows_text.window_label(flows.BEFORE_WINDOW) == "Jan–Apr 2023"
    assert flows_text.citizenship_name("EL SALVADOR") == "El Salvador"
    assert flows_text.citizenship_name("OTHER") == "Other (CBP's 'OTHER')"
    assert flows_text.measure_name(flows.MEASURES["usbp"][0]) == "Border Patrol"
    assert flows_text.end_of_sentence("") == "." and flows_text.end_of_sentence("no data for May 2023") == "; no data for May 2023."
    assert flows_text.overlap_agreement(0) == "the two series agree exactly"
    assert flows_text.overlap_agreement(1234) == "the two series differ by at most 1,234 encounters"
    assert flows_text.overlap_agreement(1) == "the two series differ by at most 1 encounter"


def test_captioned_escapes_text_from_data_and_keeps_markup():
    attack = "<img src=x onerror=alert(1)> **bold** {raw}`html` | x"
    frame = pd.DataFrame({"Name": [attack, Markup("{cite:p}`cbp2023june`")], "Change": ["\u221230.1\u00a0%", "1,234"]})
    text = flows_text.captioned(frame, "A caption.", "tab-test", ("left", "right")).data
    assert text.startswith("```{table} A caption.\n:name: tab-test\n\n") and text.endswith("\n```")
    assert r"\<img src=x onerror=alert(1)\> \*\*bold\*\* \{raw\}\`html\` \| x" in text
    assert "{cite:p}`cbp2023june`" in text  # markup made by code stays markup
    assert "\u221230.1\u00a0%" in text  # the no-break space survives escaping
    assert len(text.splitlines()) == 4 + 2 + 2  # directive, name, blank, header, rule, two rows, fence


def test_tables_show_the_values_of_the_csvs(raw, encounters, figures, cited_csv):
    may_june = flows_text.may_june_table(flows.may_june_change(encounters)).data
    assert f"{direct(raw, '2023-06', component='USBP'):,}" in may_june and "\u221241.9\u00a0%" in may_june
    releases = flows_text.releases_table(flows.first_release_totals(figures), flows.release_totals(encounters),
                                         flows.release_totals(load("sw-encounters-aug-2025-release"))).data
    first_row = next(line for line in releases.splitlines() if line.startswith("| Border Patrol, June"))
    assert f"{cited_csv['usbp-2023-06-first-release']:,}" in first_row and f"{direct(raw, '2023-06', component='USBP'):,}" in first_row
    lowest = flows_text.lowest_table(flows.lowest_since(encounters)).data
    ofo_row = next(line for line in lowest.splitlines() if line.startswith("| Field Operations"))
    assert "May 2023 (June a record)" in ofo_row
    window = flows_text.window_table(flows.select(encounters, pd.Timestamp("2019-10-01"), pd.Timestamp("2024-09-01"),
                                                  sorted(raw["citizenship"].unique()), "all")).data
    total_row = next(line for line in window.splitlines() if line.startswith("| Total"))
    assert total_row.rstrip("| ").endswith(f"{int(raw['encounter_count'].sum()):,}")
    nationality = flows_text.nationality_table(flows.composition(encounters)).data
    assert "| Mexico " in nationality and "Jun–Sep 2023" in nationality
    reach = flows.pathway_cumulative(load("chnv-process"), load("cbp-one-appointments"))
    reconciliation = flows_text.reconciliation_table(reach, 272_000).data
    row_d = next(line for line in reconciliation.splitlines() if line.startswith("| (d)"))
    assert f"{int(reach.at[pd.Timestamp('2023-07-01'), 'chnv_high']):,}" in row_d and row_d.rstrip(" |").endswith("July 2023")


def test_the_overview_tells_a_month_without_data_from_a_month_with_no_row_selected():
    encounters = load("sw-encounters")
    may, june, july = (pd.Timestamp(m) for m in ("2023-05-01", "2023-06-01", "2023-07-01"))
    gap = encounters[encounters["month"] != june]  # the table has no June
    chosen = ["MEXICO"]
    rows = flows.select(gap, may, july, chosen, "OFO")
    wide = flows.by_component_title(rows, may, july)
    assert wide.loc[june].isna().all()  # no data: missing, never 0
    expected = encounters[(encounters["month"] == may) & (encounters["citizenship"] == "MEXICO")
                          & (encounters["component"] == "OFO")]["encounter_count"].sum()
    assert wide.loc[may].sum() == expected > 0
    assert (wide.loc[may, ["USBP Title 8", "USBP Title 42"]] == 0).all()  # data, but no row of the component
