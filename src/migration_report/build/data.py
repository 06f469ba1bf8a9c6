"""Rebuild the derived tables in data/ from the raw CBP and OHSS files.

    python -m migration_report.build.data RAW_DIR            # write data/ and refresh hashes
    python -m migration_report.build.data RAW_DIR --check    # rebuild elsewhere, compare byte for byte
    python -m migration_report.build.data --rehash           # only refresh hashes of hand-edited tables

RAW_DIR holds the files described in the project's PROVENANCE notes (the book was built from
`../shared/sources/`). Each derived resource records the SHA-256 of every raw file it was built
from, so a newer CBP release can be dropped in and the change is visible in datapackage.json.
Hand-curated tables (sourced rows typed from cited documents) are not touched, only re-hashed.
"""

from __future__ import annotations

import argparse
import contextlib
import filecmp
import json
import os
import shutil
import signal
import sys
import tempfile
from pathlib import Path

import pandas as pd

from migration_report.core.checkout import require_own_code
from migration_report.core.data import DATA_DIR, PACKAGE_FILE, load, resource_names
from migration_report.core.schema import DataError, sha256_of

MONTHS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]
COMPONENTS = {"U.S. Border Patrol": "USBP", "Office of Field Operations": "OFO"}

RAW = {
    "aor": "cbp_nationwide_encounters_fy2020_fy2024_aor.csv",
    "sbo": "cbp_sbo_encounters_fy22_fy25_aug.csv",
    "usbp_legacy": "usbp_monthly_encounters_by_sector_fy2000_fy2020.csv",
    "khsm": "ohss_khsm_usbp_encounters_monthly_by_region_fy2000_fy2025.csv",
    "chnv_paroles": "ohss_chnv_paroles_monthly_fy2023_fy2024ytd.csv",
    "chnv_travel": "ohss_chnv_advance_travel_authorizations_monthly_fy2023_fy2024ytd.csv",
    "chnv_i134": "ohss_chnv_i134_confirmed_beneficiaries_monthly_fy2023_fy2024ytd.csv",
    "cbp_one": "ohss_cbp_one_appointments_monthly_fy2023_fy2024ytd.csv",
}


def month_from_fiscal(fiscal_year: pd.Series, month_abbv: pd.Series) -> pd.Series:
    """'YYYY-MM' from a fiscal year and a month abbreviation: FY N starts in October of N-1."""
    number = month_abbv.str.upper().map({m: i + 1 for i, m in enumerate(MONTHS)})
    if number.isna().any():
        raise ValueError(f"unknown month abbreviations: {sorted(set(month_abbv[number.isna()]))}")
    year = fiscal_year.astype(int) - (number >= 10).astype(int)
    return year.astype(str) + "-" + number.astype(int).map("{:02d}".format)


def _month(year: pd.Series, month: pd.Series) -> pd.Series:
    return year.astype(int).astype(str) + "-" + month.astype(int).map("{:02d}".format)


def sw_encounters(raw: Path) -> pd.DataFrame:
    aor = pd.read_csv(raw / RAW["aor"])
    sw = aor[aor["land_border_region"] == "Southwest Land Border"].copy()
    sw["month"] = month_from_fiscal(sw["fiscal_year"], sw["month_abbv"])
    sw["component"] = sw["component"].map(COMPONENTS)
    keys = ["month", "component", "title_of_authority", "encounter_type", "citizenship"]
    return sw.groupby(keys, as_index=False)["encounter_count"].sum().sort_values(keys)


def sw_encounters_aug_2025_release(raw: Path) -> pd.DataFrame:
    sbo = pd.read_csv(raw / RAW["sbo"], dtype={"Fiscal Year": str})
    fiscal_year = sbo["Fiscal Year"].str.extract(r"^(\d{4})", expand=False)
    sbo["month"] = month_from_fiscal(fiscal_year, sbo["Month (abbv)"])
    sbo["component"] = sbo["Component"].map(COMPONENTS)
    sbo = sbo.rename(
        columns={
            "Title of Authority": "title_of_authority",
            "Encounter Type": "encounter_type",
            "Encounter Count": "encounter_count",
        }
    )
    keys = ["month", "component", "title_of_authority", "encounter_type"]
    return sbo.groupby(keys, as_index=False)["encounter_count"].sum().sort_values(keys)


def usbp_sw_long_run(raw: Path) -> pd.DataFrame:
    legacy = pd.read_csv(raw / RAW["usbp_legacy"])
    legacy = pd.DataFrame(
        {"month": _month(legacy["cy"], legacy["month"]), "series": "cbp-legacy", "encounters": legacy["southwest_border"]}
    )
    aor = pd.read_csv(raw / RAW["aor"])
    usbp = aor[(aor["land_border_region"] == "Southwest Land Border") & (aor["component"] == "U.S. Border Patrol")].copy()
    usbp["month"] = month_from_fiscal(usbp["fiscal_year"], usbp["month_abbv"])
    nationwide = usbp.groupby("month", as_index=False)["encounter_count"].sum()
    nationwide = nationwide.rename(columns={"encounter_count": "encounters"}).assign(series="cbp-nationwide")
    khsm = pd.read_csv(raw / RAW["khsm"])
    khsm = khsm[khsm["Region"] == "Southwest Land Border"]
    khsm = pd.DataFrame(
        {"month": _month(khsm["calendar_year"], khsm["calendar_month"]), "series": "ohss-khsm", "encounters": khsm["Quantity"]}
    )
    frame = pd.concat([legacy, nationwide[["month", "series", "encounters"]], khsm], ignore_index=True)
    return frame.sort_values(["series", "month"])


def _ohss_monthly(raw: Path, key: str) -> pd.DataFrame:
    table = pd.read_csv(raw / RAW[key], dtype=str, keep_default_na=False)
    month = _month(table["calendar_year"], table["calendar_month"])
    fiscal_year = table["Fiscal Year"].str.extract(r"^(\d{4})", expand=False)
    abbv = table["Month"].str[:3]
    if not (month_from_fiscal(fiscal_year, abbv) == month).all():
        raise ValueError(f"{RAW[key]}: calendar columns disagree with Fiscal Year and Month")
    counts = table.drop(columns=["Fiscal Year", "Month", "calendar_year", "calendar_month"])
    counts.columns = [c.strip().lower().replace(" ", "_") for c in counts.columns]
    return pd.concat([month.rename("month"), counts], axis=1)


def chnv_process(raw: Path) -> pd.DataFrame:
    measures = {"chnv_paroles": "paroles", "chnv_travel": "advance_travel_authorizations", "chnv_i134": "confirmed_beneficiaries"}
    parts = [_ohss_monthly(raw, key).assign(measure=measure) for key, measure in measures.items()]
    frame = pd.concat(parts, ignore_index=True)
    columns = ["month", "measure", "total", "cuba", "haiti", "nicaragua", "venezuela"]
    return frame[columns].sort_values(["measure", "month"])


def cbp_one_appointments(raw: Path) -> pd.DataFrame:
    return _ohss_monthly(raw, "cbp_one").sort_values("month")


DERIVED = {
    "sw-encounters": (sw_encounters, ["aor"]),
    "sw-encounters-aug-2025-release": (sw_encounters_aug_2025_release, ["sbo"]),
    "usbp-sw-long-run": (usbp_sw_long_run, ["usbp_legacy", "aor", "khsm"]),
    "chnv-process": (chnv_process, ["chnv_paroles", "chnv_travel", "chnv_i134"]),
    "cbp-one-appointments": (cbp_one_appointments, ["cbp_one"]),
}


def write_csv(frame: pd.DataFrame, path: Path) -> None:
    frame.to_csv(path, index=False, lineterminator="\n", encoding="utf-8")


def build(raw: Path, out: Path) -> None:
    """Rebuild every derived table of `out` from `raw`, all or nothing.

    The tables are derived into a staging copy of `out` beside it, the copy's hashes recorded and
    every resource loaded back through its schema and hash; only then are the changed files moved
    into `out`, each with an atomic rename, datapackage.json last. Any failure before that (a
    missing raw file, a derivation error, a table its schema refuses) leaves `out` untouched, so a
    failed `make data` never leaves new tables described by old hashes, or half the tables new.
    """
    out = Path(out)
    _check_raw_files(raw)
    remove_abandoned_staging(out.parent)
    # beside `out`, so each file moves in with a rename; named by this process, so a later run can tell
    # a copy that a killed run left (SIGKILL: no cleanup runs) from one still in use
    staging = Path(tempfile.mkdtemp(prefix=f"{STAGING_PREFIX}{os.getpid()}-", dir=out.parent))
    try:
        shutil.copytree(out, staging, dirs_exist_ok=True)
        derive_into(raw, staging)
        verify(staging)
        with _swap():
            _replace_changed(staging, out)
    finally:
        _state["stopping"] = True  # a signal now is recorded, not raised: the copy is removed whole
        shutil.rmtree(staging, ignore_errors=True)


STAGING_PREFIX = ".staging-data-"


def remove_abandoned_staging(folder: Path) -> None:
    """Remove the staging copies that runs no longer alive left in FOLDER."""
    for path in Path(folder).glob(f"{STAGING_PREFIX}*-*"):
        pid = path.name.removeprefix(STAGING_PREFIX).split("-", 1)[0]
        if pid.isdigit() and int(pid) != os.getpid() and not Path(f"/proc/{pid}").exists():
            shutil.rmtree(path, ignore_errors=True)


# ---- interruption -------------------------------------------------------------------------------
# SIGINT, SIGTERM and SIGHUP end a rebuild through Python's cleanup (the staging copy removed, data/ as it
# was), except while the changed files are being moved in: the swap finishes, and the run then says that
# data/ was updated, which is what happened.

class Interrupted(BaseException):
    """A signal ended the rebuild before the swap."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum


_SIGNALS = ("SIGINT", "SIGTERM", "SIGHUP")
_state = {"swapping": False, "swapped": False, "stopping": False, "pending": None}


def _on_signal(signum, _frame):
    # Only the first signal stops the run: make and a terminal often send a second one (to the whole
    # process group) while the first one's cleanup removes the staging copy, which it must finish.
    if _state["swapping"] or _state["swapped"] or _state["stopping"]:
        _state["pending"] = _state["pending"] or signum
        return
    _state["stopping"] = True
    raise Interrupted(signum)


@contextlib.contextmanager
def _swap():
    _state["swapping"] = True
    try:
        yield
        _state["swapped"] = True
    finally:
        _state["swapping"] = False


@contextlib.contextmanager
def _signals_handled():
    _state.update(swapping=False, swapped=False, stopping=False, pending=None)
    previous = {name: signal.signal(getattr(signal, name), _on_signal) for name in _SIGNALS}
    try:
        yield
    finally:
        for name, handler in previous.items():
            signal.signal(getattr(signal, name), handler)


def _check_raw_files(raw: Path) -> None:
    needed = sorted({RAW[key] for _derive, keys in DERIVED.values() for key in keys})
    missing = [name for name in needed if not (Path(raw) / name).is_file()]
    if missing:
        raise SystemExit(f"{raw}: missing raw file(s) {', '.join(missing)}; nothing in data/ was changed")


def derive_into(raw: Path, out: Path) -> None:
    """Write every derived table into `out` and record raw and output hashes in its datapackage.json."""
    descriptor = json.loads((out / PACKAGE_FILE).read_text(encoding="utf-8"))
    by_name = {r["name"]: r for r in descriptor["resources"]}
    for name, (derive, raw_keys) in DERIVED.items():
        if name not in by_name:
            raise SystemExit(f"{out / PACKAGE_FILE}: no resource {name!r} to describe the derived table")
        entry = by_name[name]
        write_csv(derive(raw), out / entry["path"])
        entry["derivedFrom"] = [{"file": RAW[k], "sha256": sha256_of(raw / RAW[k])} for k in raw_keys]
    rehash(out, descriptor)


def verify(data_dir: Path) -> None:
    """Load every resource of `data_dir` as the book will (schema, hash, foreign keys); DataError if one fails."""
    for name in resource_names(data_dir):
        load(name, data_dir=data_dir)


def _replace_changed(staging: Path, out: Path) -> None:
    # datapackage.json last: until it is replaced the old hashes stand, so an interrupted move
    # makes the next load fail on a hash rather than read a mix of old and new tables as valid.
    names = sorted(p.name for p in staging.iterdir() if p.is_file() and p.name != PACKAGE_FILE) + [PACKAGE_FILE]
    for name in names:
        target = out / name
        if not target.is_file() or not filecmp.cmp(staging / name, target, shallow=False):
            os.replace(staging / name, target)


def rehash(out: Path, descriptor: dict | None = None) -> None:
    """Record the SHA-256 and size of every resource file in datapackage.json."""
    if descriptor is None:
        descriptor = json.loads((out / PACKAGE_FILE).read_text(encoding="utf-8"))
    for entry in descriptor["resources"]:
        path = out / entry["path"]
        entry["hash"] = "sha256:" + sha256_of(path)
        entry["bytes"] = path.stat().st_size
    (out / PACKAGE_FILE).write_text(json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def check(raw: Path, data_dir: Path) -> list[str]:
    """Rebuild into a temporary copy of `data_dir`; return the files that differ."""
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "data"
        shutil.copytree(data_dir, copy)
        build(raw, copy)
        names = sorted(p.name for p in data_dir.iterdir() if p.is_file())
        return [n for n in names if not filecmp.cmp(data_dir / n, copy / n, shallow=False)]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("raw_dir", nargs="?", type=Path, help="folder with the raw CBP and OHSS files")
    parser.add_argument("--data-dir", type=Path, default=DATA_DIR)
    parser.add_argument("--check", action="store_true", help="compare a rebuild with data/ instead of writing")
    parser.add_argument("--rehash", action="store_true", help="only refresh hashes and sizes in datapackage.json")
    args = parser.parse_args(argv)
    require_own_code(Path.cwd())  # never write another checkout's data/
    if args.rehash:
        rehash(args.data_dir)
        return 0
    if args.raw_dir is None:
        parser.error("RAW_DIR is required unless --rehash is given")
    if args.check:
        try:
            with _signals_handled():
                differ = check(args.raw_dir, args.data_dir)
        except Interrupted as stop:
            print(f"make data-check: interrupted by {signal.Signals(stop.signum).name}", file=sys.stderr)
            return 128 + stop.signum
        if differ:
            print("differs from a rebuild: " + ", ".join(differ), file=sys.stderr)
            return 1
        print(f"data/ is reproduced byte for byte from {args.raw_dir}")
        return 0
    with _signals_handled():
        try:
            build(args.raw_dir, args.data_dir)
        except DataError as err:
            print(f"error: a rebuilt table fails its check ({err}); nothing in {args.data_dir} was changed", file=sys.stderr)
            return 1
        except Interrupted as stop:
            print(f"make data: interrupted by {signal.Signals(stop.signum).name}; nothing in {args.data_dir} was changed",
                  file=sys.stderr)
            return 128 + stop.signum
        if _state["pending"] is not None:
            print(f"make data: {signal.Signals(_state['pending']).name} arrived while the rebuilt tables were being "
                  f"moved in; that finished first, so {args.data_dir} holds the rebuilt tables", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
