"""The claim register: verdicts that follow from the shipped data, and that change with it."""

import pandas as pd
import pytest

from migration_report import claims

EXPECTED = {
    "usd-40m": "not verifiable",
    "six-countries": "not verifiable",
    "programme-results": "partly supported",
    "un-partners": "partly supported",
    "mexican-trend": "supported",
    "title-42-end": "partly supported",
    "may-june-drop": "not supported",
    "lowest-since-feb-2021": "supported",
    "chnv-272000": "not verifiable",
    "barrier-length": "supported",
    "barrier-split": "partly supported",
    "who-toured": "partly supported",
    "second-note": "supported",
    "federal-lawsuit": "partly supported",
    "officials-present": "not verifiable",
}


@pytest.fixture(scope="module")
def tables():
    return claims.load_tables()


@pytest.fixture(scope="module")
def register(tables):
    return claims.register(tables).set_index("claim_id")


def test_register_covers_every_claim_the_issue_lists(register):
    assert set(register.index) == set(EXPECTED)
    assert set(register["verdict"]) <= set(claims.VERDICTS)


def test_verdicts_follow_from_the_shipped_data(register):
    assert register["verdict"].to_dict() == EXPECTED


def test_fifty_percent_is_supported_by_neither_the_total_nor_border_patrol(tables, register):
    encounters = tables["sw-encounters"]
    month = encounters["month"]
    may, june = (encounters[month == pd.Timestamp(m)] for m in ("2023-05-01", "2023-06-01"))
    total_change = 100 * (june["encounter_count"].sum() / may["encounter_count"].sum() - 1)
    usbp = lambda frame: frame.loc[frame["component"] == "USBP", "encounter_count"].sum()  # noqa: E731
    usbp_change = 100 * (usbp(june) / usbp(may) - 1)
    assert round(total_change, 1) == -30.1 and round(usbp_change, 1) == -41.9
    assert abs(total_change + 50) > claims.PERCENT_TOLERANCE and abs(usbp_change + 50) > claims.PERCENT_TOLERANCE
    assert "−30.1 %" in register.at["may-june-drop", "shows"] and "−41.9 %" in register.at["may-june-drop", "shows"]


def test_a_changed_data_fixture_changes_the_verdict(tables):
    encounters = tables["sw-encounters"].copy()
    may_total = encounters.loc[encounters["month"] == pd.Timestamp("2023-05-01"), "encounter_count"].sum()
    june = encounters["month"] == pd.Timestamp("2023-06-01")
    scale = 0.5 * may_total / encounters.loc[june, "encounter_count"].sum()  # June = half of May
    encounters.loc[june, "encounter_count"] = (encounters.loc[june, "encounter_count"] * scale).round().astype("int64")
    changed = claims.register({**tables, "sw-encounters": encounters}).set_index("claim_id")
    assert changed.at["may-june-drop", "verdict"] == "supported"


def test_a_changed_finding_changes_a_verdict(tables):
    evidence = tables["claim-evidence"].copy()
    evidence.loc[evidence["claim_id"] == "second-note", "finding"] = "differs"
    changed = claims.register({**tables, "claim-evidence": evidence}).set_index("claim_id")
    assert changed.at["second-note", "verdict"] == "not supported"


def test_a_changed_survey_changes_the_split_verdict(tables):
    geometry = tables["barrier-geometry"].copy()
    survey = geometry["figure_set"] == "ibwc-survey"
    us_side = survey & (geometry["part"] == "united-states")
    mexico_side = survey & (geometry["part"] == "mexico")
    geometry.loc[us_side, ["length", "unit"]] = [75 / 0.3048, "ft"]
    geometry.loc[mexico_side, ["length", "unit"]] = [230 / 0.3048, "ft"]
    changed = claims.register({**tables, "barrier-geometry": geometry}).set_index("claim_id")
    assert changed.at["barrier-split", "verdict"] == "supported"


@pytest.mark.parametrize("findings, verdict", [
    (["agrees", "agrees"], "supported"),
    (["agrees", "partly agrees"], "partly supported"),
    (["agrees", "differs"], "partly supported"),
    (["differs"], "not supported"),
    (["agrees", "no source found"], "not verifiable"),
    (["partly agrees", "no source found"], "partly supported"),
    ([], "not verifiable"),
])
def test_findings_combine_by_the_documented_rule(findings, verdict):
    evidence = pd.DataFrame({"finding": findings, "statement": [f"s{i}" for i in range(len(findings))]})
    assert claims.combine_findings(evidence).verdict == verdict


def test_lowest_since_rule():
    feb, mar = pd.Timestamp("2021-02-01"), pd.Timestamp("2021-03-01")
    assert claims.check_lowest_since(feb, {"sw-total": feb, "usbp": mar}).verdict == "supported"
    assert claims.check_lowest_since(feb, {"sw-total": mar, "usbp": mar}).verdict == "not supported"
    assert claims.check_lowest_since(feb, {"sw-total": pd.Timestamp("2020-04-01"), "usbp": mar}).verdict == "partly supported"
