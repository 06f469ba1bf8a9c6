"""The shared data module: typed loading, and a clear error for every kind of bad file."""

import csv
from pathlib import Path

import pandas as pd
import pytest

from migration_report import DataError, load, load_file, resource_names
from migration_report.failure_modes import DATA_CASES, run

ROOT = Path(__file__).resolve().parents[1]


def raw_rows(name):
    with open(ROOT / "data" / name, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_every_resource_loads_with_typed_columns():
    for name in resource_names():
        frame = load(name)
        assert len(frame) > 0 or name == "claim-evidence", name
        if "month" in frame:
            assert pd.api.types.is_datetime64_any_dtype(frame["month"]), name


def test_counts_are_integers_and_months_are_dates():
    encounters = load("sw-encounters")
    assert encounters["encounter_count"].dtype == "int64"
    assert encounters["month"].min() == pd.Timestamp("2019-10-01")
    assert encounters["month"].max() == pd.Timestamp("2024-09-01")


def test_june_2023_totals_match_the_csv_read_directly():
    rows = [r for r in raw_rows("sw_encounters_monthly.csv") if r["month"] == "2023-06"]
    by_component = {}
    for r in rows:
        by_component[r["component"]] = by_component.get(r["component"], 0) + int(r["encounter_count"])
    # CBP's later releases give 99,538 USBP and 144,556 total for June 2023 (PROVENANCE notes).
    assert by_component == {"USBP": 99538, "OFO": 45018}
    encounters = load("sw-encounters")
    june = encounters[encounters["month"] == pd.Timestamp("2023-06-01")]
    assert june.groupby("component")["encounter_count"].sum().to_dict() == by_component


def test_nullable_counts_stay_blank_not_zero():
    appointments = load("cbp-one-appointments")
    before = appointments[appointments["month"] < "2023-01-01"]
    assert before["total"].isna().all()
    assert appointments.loc[appointments["month"] == "2023-01-01", "total"].item() == 10380


@pytest.mark.parametrize("case", DATA_CASES, ids=[c.name for c in DATA_CASES])
def test_bad_file_gives_one_clear_error(case, tmp_path):
    error = run(case, tmp_path)
    message = str(error)
    assert isinstance(error, DataError)
    assert case.expected in message
    assert str(error.path) in message and error.path.name.endswith(".csv")
    if case.row is not None:
        assert error.row == case.row and f"row {case.row}" in message
    if case.column is not None:
        assert error.column == case.column and f"column '{case.column}'" in message


def test_user_file_with_another_schema_is_rejected(tmp_path):
    other = tmp_path / "other.csv"
    other.write_text("month,total\n2023-01,5\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"other\.csv, row 1, column 'component': column is missing"):
        load_file(other, like="sw-encounters")


def test_user_file_with_the_same_schema_loads_without_hash(tmp_path):
    rows = (ROOT / "data" / "sw_encounters_monthly.csv").read_text(encoding="utf-8").split("\n")[:3]
    newer = tmp_path / "newer-release.csv"
    newer.write_text("\n".join(rows) + "\n", encoding="utf-8")
    frame = load_file(newer, like="sw-encounters")
    assert list(frame["encounter_count"]) == [17, 5]


def test_foreign_key_is_checked(tmp_path):
    evidence = tmp_path / "evidence.csv"
    evidence.write_text(
        "evidence_id,claim_id,finding,statement,value,unit,source_key\n"
        "e1,no-such-claim,agrees,Something.,,,latinarepublic2023\n",
        encoding="utf-8",
    )
    with pytest.raises(DataError, match=r"row 2, column 'claim_id'.*resource 'article-claims'"):
        load_file(evidence, like="claim-evidence")


def test_unknown_resource_names_the_known_ones():
    with pytest.raises(DataError, match="no resource named 'encounters'; expected one of sw-encounters"):
        load("encounters")
