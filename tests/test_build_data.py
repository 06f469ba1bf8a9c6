"""Derivation of data/ from the raw files, and the package's checksums."""

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from migration_report import DataError, load
from conftest import SHARED

from migration_report.build import data as build_data
from migration_report.build.data import check, month_from_fiscal
from migration_report.core.data import resource

ROOT = Path(__file__).resolve().parents[1]


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


@pytest.mark.shared
def test_derivation_reproduces_data_byte_for_byte(shared_folder):
    # ../shared's raw files give data/ exactly; the committed slices of them give their own derived tables.
    data = ROOT / "data" if shared_folder == SHARED else shared_folder / "data"
    assert check(shared_folder / "sources", data) == []


# --- make data is all or nothing (synthetic raw files: the real ones are not shipped) -----------

def _snapshot(folder: Path) -> dict:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


@pytest.fixture
def data_copy(tmp_path):
    copy = tmp_path / "data"
    shutil.copytree(ROOT / "data", copy)
    return copy


@pytest.fixture
def raw_folder(tmp_path):
    """A raw folder with a small file for every raw name (their content is what each test's
    stand-in derivations read, not CBP's layout)."""
    raw = tmp_path / "raw"
    raw.mkdir()
    for name in build_data.RAW.values():
        (raw / name).write_text("stand-in\n", encoding="utf-8")
    return raw


def _two_month_table(raw: Path) -> pd.DataFrame:
    return pd.DataFrame({"month": ["2019-10", "2019-11"], "component": "USBP", "title_of_authority": "Title 8",
                         "encounter_type": "Apprehensions", "citizenship": "MEXICO", "encounter_count": [5, 7]})


def _stand_ins(monkeypatch, **derive):
    """Replace the derivations: the named ones by the given functions, the rest by 'copy the shipped table'."""
    derived = {}
    for name, (_real, keys) in build_data.DERIVED.items():
        shipped = ROOT / "data" / resource(name)["path"]
        derived[name] = (derive.get(name.replace("-", "_"), lambda raw, shipped=shipped: pd.read_csv(shipped, dtype=str, keep_default_na=False)), keys)
    monkeypatch.setattr(build_data, "DERIVED", derived)


def test_a_missing_raw_file_changes_nothing(data_copy, raw_folder, monkeypatch):
    _stand_ins(monkeypatch, sw_encounters=_two_month_table)
    (raw_folder / build_data.RAW["cbp_one"]).unlink()
    before = _snapshot(data_copy)
    with pytest.raises(SystemExit, match=r"missing raw file\(s\) ohss_cbp_one_appointments_monthly_fy2023_fy2024ytd\.csv; nothing in data/ was changed"):
        build_data.build(raw_folder, data_copy)
    assert _snapshot(data_copy) == before
    assert [p.name for p in data_copy.parent.iterdir() if p.name.startswith(".staging")] == []


def test_a_failing_derivation_after_others_changes_nothing(data_copy, raw_folder, monkeypatch):
    def broken(raw):
        raise ValueError("unknown month abbreviations: ['SEPT']")

    _stand_ins(monkeypatch, sw_encounters=_two_month_table, cbp_one_appointments=broken)
    before = _snapshot(data_copy)
    with pytest.raises(ValueError, match="SEPT"):
        build_data.build(raw_folder, data_copy)
    assert _snapshot(data_copy) == before


def test_a_derived_table_its_schema_refuses_changes_nothing(data_copy, raw_folder, monkeypatch):
    def negative(raw):
        return _two_month_table(raw).assign(encounter_count=[5, -7])

    _stand_ins(monkeypatch, sw_encounters=negative)
    before = _snapshot(data_copy)
    with pytest.raises(DataError, match=r"sw_encounters_monthly\.csv, row 3, column 'encounter_count': got '-7'"):
        build_data.build(raw_folder, data_copy)
    assert _snapshot(data_copy) == before


def test_a_good_rebuild_replaces_the_tables_and_their_hashes(data_copy, raw_folder, monkeypatch):
    _stand_ins(monkeypatch, sw_encounters=_two_month_table)
    build_data.build(raw_folder, data_copy)
    assert (data_copy / "sw_encounters_monthly.csv").read_text(encoding="utf-8").splitlines()[1:] == [
        "2019-10,USBP,Title 8,Apprehensions,MEXICO,5", "2019-11,USBP,Title 8,Apprehensions,MEXICO,7"]
    assert load("sw-encounters", data_dir=data_copy)["encounter_count"].tolist() == [5, 7]
    package = json.loads((data_copy / "datapackage.json").read_text(encoding="utf-8"))
    entry = next(e for e in package["resources"] if e["name"] == "sw-encounters")
    assert entry["derivedFrom"][0]["sha256"] == hashlib.sha256(b"stand-in\n").hexdigest()
    # The curated tables are untouched.
    assert (data_copy / "actors.csv").read_bytes() == (ROOT / "data" / "actors.csv").read_bytes()


def test_make_data_reports_a_refused_table_without_a_traceback(data_copy, raw_folder, monkeypatch, capsys):
    _stand_ins(monkeypatch, sw_encounters=lambda raw: _two_month_table(raw).assign(month=["2019-10", "2999-01"]))
    before = _snapshot(data_copy)
    assert build_data.main([str(raw_folder), "--data-dir", str(data_copy)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: a rebuilt table fails its check (") and "the month of this build" in err
    assert err.rstrip().endswith(f"nothing in {data_copy} was changed")
    assert _snapshot(data_copy) == before


# ---- interrupted rebuilds: the staging copy removed, and the status says what happened ---------

def _signal_during(monkeypatch, name, signum):
    """Send SIGNUM to this process while build_data's NAME runs."""
    import signal

    real = getattr(build_data, name)

    def interrupted(*args, **kwargs):
        if name == "_replace_changed":  # half-way through the swap: after its first file
            real_replace = build_data.os.replace
            calls = []

            def replace(src, dst):
                real_replace(src, dst)
                calls.append(dst)
                if len(calls) == 1:
                    signal.raise_signal(signum)

            monkeypatch.setattr(build_data.os, "replace", replace)
            return real(*args, **kwargs)
        signal.raise_signal(signum)
        return real(*args, **kwargs)

    monkeypatch.setattr(build_data, name, interrupted)


@pytest.mark.parametrize("signal_name", ["SIGTERM", "SIGINT", "SIGHUP"])
@pytest.mark.parametrize("step", ["derive_into", "verify"])
def test_an_interrupted_rebuild_removes_its_staging_copy_and_changes_nothing(data_copy, raw_folder, monkeypatch,
                                                                             capsys, signal_name, step):
    import signal

    _stand_ins(monkeypatch, sw_encounters=_two_month_table)
    before = _snapshot(data_copy)
    signum = getattr(signal, signal_name)
    _signal_during(monkeypatch, step, signum)
    assert build_data.main([str(raw_folder), "--data-dir", str(data_copy)]) == 128 + signum
    assert f"make data: interrupted by {signal_name}; nothing in {data_copy} was changed" in capsys.readouterr().err
    assert _snapshot(data_copy) == before
    assert [p.name for p in data_copy.parent.iterdir() if p.name.startswith(".staging")] == []
    assert signal.getsignal(signum) not in (build_data._on_signal,)  # the handlers are put back


@pytest.mark.parametrize("second", ["SIGTERM", "SIGINT"])
def test_a_second_signal_during_the_cleanup_still_removes_the_whole_staging_copy(data_copy, raw_folder, monkeypatch,
                                                                                 capsys, second):
    # What make does with a terminal's or timeout's SIGTERM: the group gets it, then make forwards another.
    import signal

    _stand_ins(monkeypatch, sw_encounters=_two_month_table)
    before = _snapshot(data_copy)
    _signal_during(monkeypatch, "derive_into", signal.SIGTERM)
    real_rmtree = build_data.shutil.rmtree

    def rmtree(path, *args, **kwargs):
        if Path(path).name.startswith(build_data.STAGING_PREFIX):
            signal.raise_signal(getattr(signal, second))  # arrives while the copy is being removed
        return real_rmtree(path, *args, **kwargs)

    monkeypatch.setattr(build_data.shutil, "rmtree", rmtree)
    assert build_data.main([str(raw_folder), "--data-dir", str(data_copy)]) == 128 + signal.SIGTERM
    err = capsys.readouterr().err
    assert f"make data: interrupted by SIGTERM; nothing in {data_copy} was changed" in err and "Traceback" not in err
    assert _snapshot(data_copy) == before
    assert [p.name for p in data_copy.parent.iterdir() if p.name.startswith(".staging")] == []


def test_an_interrupt_during_the_swap_lets_it_finish_and_says_the_data_changed(data_copy, raw_folder, monkeypatch,
                                                                              capsys):
    import signal

    _stand_ins(monkeypatch, sw_encounters=_two_month_table)
    _signal_during(monkeypatch, "_replace_changed", signal.SIGTERM)
    assert build_data.main([str(raw_folder), "--data-dir", str(data_copy)]) == 0
    assert ("SIGTERM arrived while the rebuilt tables were being moved in; that finished first, so "
            f"{data_copy} holds the rebuilt tables") in capsys.readouterr().err
    assert load("sw-encounters", data_dir=data_copy)["encounter_count"].tolist() == [5, 7]  # all of it, hashes too
    assert [p.name for p in data_copy.parent.iterdir() if p.name.startswith(".staging")] == []


def test_a_staging_copy_a_killed_run_left_is_removed_by_the_next_run(data_copy, raw_folder, monkeypatch):
    _stand_ins(monkeypatch, sw_encounters=_two_month_table)
    dead = _a_dead_pid()
    left = data_copy.parent / f".staging-data-{dead}-abc123"
    left.mkdir()
    (left / "sw_encounters_monthly.csv").write_text("half\n", encoding="utf-8")
    alive = data_copy.parent / f".staging-data-{os.getppid()}-def456"  # a run still going (this test's parent)
    alive.mkdir()
    build_data.build(raw_folder, data_copy)
    assert not left.exists() and alive.exists()


def _a_dead_pid() -> int:
    process = subprocess.Popen(["true"])
    process.wait()
    return process.pid


def test_a_sigterm_from_outside_leaves_no_staging_copy(data_copy, raw_folder, tmp_path):
    """The real thing, in a process of its own: SIGTERM while it derives (a stand-in that waits)."""
    import signal

    script = tmp_path / "slow.py"
    script.write_text(
        "import sys, time\nfrom migration_report.build import data as build_data\n"
        "real = build_data.derive_into\n"
        "def slow(raw, out):\n    print('deriving', flush=True)\n    time.sleep(60)\n"
        "build_data.derive_into = slow\nsys.exit(build_data.main(sys.argv[1:]))\n", encoding="utf-8")
    before = _snapshot(data_copy)
    process = subprocess.Popen([sys.executable, str(script), str(raw_folder), "--data-dir", str(data_copy)], cwd=ROOT,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert process.stdout.readline() == "deriving\n"
    assert [p for p in data_copy.parent.iterdir() if p.name.startswith(".staging-data-")]
    process.send_signal(signal.SIGTERM)
    _, err = process.communicate(timeout=30)
    assert process.returncode == 128 + signal.SIGTERM, err
    assert f"interrupted by SIGTERM; nothing in {data_copy} was changed" in err
    assert [p.name for p in data_copy.parent.iterdir() if p.name.startswith(".staging")] == []
    assert _snapshot(data_copy) == before
