"""Derivation of data/ from the raw files, and the package's checksums."""

import hashlib
import json
from pathlib import Path

import pandas as pd
import pytest

from migration_report.build_data import check, month_from_fiscal

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT.parent / "shared" / "sources"


def test_fiscal_year_months_map_to_calendar_months():
    months = month_from_fiscal(pd.Series([2023, 2023, 2023, 2020]), pd.Series(["OCT", "DEC", "SEP", "JAN"]))
    assert list(months) == ["2022-10", "2022-12", "2023-09", "2020-01"]


def test_unknown_month_abbreviation_is_an_error():
    with pytest.raises(ValueError, match="OCTOBER"):
        month_from_fiscal(pd.Series([2023]), pd.Series(["OCTOBER"]))


def test_every_resource_records_the_hash_and_size_of_its_file():
    package = json.loads((ROOT / "data" / "datapackage.json").read_text(encoding="utf-8"))
    for entry in package["resources"]:
        path = ROOT / "data" / entry["path"]
        assert entry["hash"] == "sha256:" + hashlib.sha256(path.read_bytes()).hexdigest(), entry["name"]
        assert entry["bytes"] == path.stat().st_size, entry["name"]
        assert entry["licenses"] and entry["sources"] and entry["title"], entry["name"]


def test_derived_resources_name_their_raw_files_and_hashes():
    package = json.loads((ROOT / "data" / "datapackage.json").read_text(encoding="utf-8"))
    derived = {e["name"]: e["derivedFrom"] for e in package["resources"] if "derivedFrom" in e}
    assert set(derived) == {"sw-encounters", "sw-encounters-aug-2025-release", "usbp-sw-long-run", "chnv-process", "cbp-one-appointments"}
    aor = derived["sw-encounters"][0]
    assert aor["file"] == "cbp_nationwide_encounters_fy2020_fy2024_aor.csv"
    # SHA-256 of the raw file as recorded in the provenance notes of the shared sources.
    assert aor["sha256"] == "3edd0f87137050351da21ae740c662a9304d581b979e4432f13d7de63082777d"


@pytest.mark.skipif(not RAW.is_dir(), reason="raw files not available (they are not shipped with the book)")
def test_derivation_reproduces_data_byte_for_byte():
    assert check(RAW, ROOT / "data") == []
