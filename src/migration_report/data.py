"""Load the book's datasets through their description in data/datapackage.json.

    >>> from migration_report import load
    >>> encounters = load("sw-encounters")

`load(name)` reads a shipped table, checks its SHA-256 and its Table Schema and returns
typed columns. `load_file(path, like=name)` checks a user-supplied file (for example a newer
CBP release) against the same schema, without the hash. Both raise `DataError`.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pandas as pd

from .schema import DataError, read_table

DATA_DIR = Path(os.environ.get("MIGRATION_REPORT_DATA", Path(__file__).resolve().parents[2] / "data"))
PACKAGE_FILE = "datapackage.json"


@cache
def package(data_dir: Path = DATA_DIR) -> dict:
    """The data package descriptor (parsed datapackage.json)."""
    path = Path(data_dir) / PACKAGE_FILE
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        raise DataError(path, f"cannot read the data package descriptor ({err})") from None


def resource(name: str, data_dir: Path = DATA_DIR) -> dict:
    """The descriptor of one resource, with its schema resolved if it is a path."""
    descriptor = package(Path(data_dir))
    for entry in descriptor["resources"]:
        if entry["name"] == name:
            entry = dict(entry)
            if isinstance(entry.get("schema"), str):
                schema_path = Path(data_dir) / entry["schema"]
                entry["schema"] = json.loads(schema_path.read_text(encoding="utf-8"))
            return entry
    known = ", ".join(r["name"] for r in descriptor["resources"])
    raise DataError(Path(data_dir) / PACKAGE_FILE, f"no resource named {name!r}; expected one of {known}")


def resource_names(data_dir: Path = DATA_DIR) -> list[str]:
    return [r["name"] for r in package(Path(data_dir))["resources"]]


def _sha256(entry: dict) -> str | None:
    value = entry.get("hash")
    if value is None:
        return None
    return value.removeprefix("sha256:")


def load(name: str, data_dir: Path = DATA_DIR) -> pd.DataFrame:
    """A shipped table, hash- and schema-checked, with typed columns."""
    data_dir = Path(data_dir)
    entry = resource(name, data_dir)
    frame = read_table(data_dir / entry["path"], entry["schema"], expected_sha256=_sha256(entry))
    _check_foreign_keys(data_dir / entry["path"], frame, entry, data_dir)
    return frame


def load_file(path, like: str, data_dir: Path = DATA_DIR) -> pd.DataFrame:
    """A user-supplied CSV checked against the schema of the shipped resource `like`."""
    entry = resource(like, Path(data_dir))
    frame = read_table(Path(path), entry["schema"])
    _check_foreign_keys(Path(path), frame, entry, Path(data_dir))
    return frame


def _check_foreign_keys(path: Path, frame: pd.DataFrame, entry: dict, data_dir: Path) -> None:
    for key in entry["schema"].get("foreignKeys", []):
        fields = [key["fields"]] if isinstance(key["fields"], str) else key["fields"]
        ref = key["reference"]
        ref_fields = [ref["fields"]] if isinstance(ref["fields"], str) else ref["fields"]
        target = frame if ref.get("resource", "") == "" else load(ref["resource"], data_dir)
        known = set(map(tuple, target[ref_fields].astype(str).to_numpy()))
        values = frame[fields].astype(str)
        for position, row in enumerate(map(tuple, values.to_numpy())):
            if row not in known:
                raise DataError(
                    path,
                    f"got {', '.join(row)!r}, expected a value of {', '.join(ref_fields)} in "
                    f"resource {ref.get('resource') or entry['name']!r}",
                    row=position + 2,
                    column=", ".join(fields),
                )


def fiscal_year(months):
    """US fiscal year of each month (a Series or DatetimeIndex of dates): FY N runs from
    October of N-1 to September of N."""
    dates = months.dt if isinstance(months, pd.Series) else months
    return dates.year + (dates.month >= 10)


@dataclass(frozen=True)
class Description:
    name: str
    title: str
    path: str
    description: str
    publisher: str
    sources: tuple[dict, ...]
    licences: tuple[dict, ...]
    sha256: str | None
    source_line: str


def describe(name: str, data_dir: Path = DATA_DIR) -> Description:
    """What a resource is and where it comes from, for tables of datasets and figure source lines."""
    entry = resource(name, Path(data_dir))
    return Description(
        name=name,
        title=entry.get("title", name),
        path=entry["path"],
        description=entry.get("description", ""),
        publisher=entry.get("publisher", ""),
        sources=tuple(entry.get("sources", [])),
        licences=tuple(entry.get("licenses", [])),
        sha256=_sha256(entry),
        source_line=entry.get("sourceLine", entry.get("title", name)),
    )


def source_line(*names: str) -> str:
    """'Source: …' text for the foot of a figure built from the given resources."""
    return "Source: " + "; ".join(describe(n).source_line for n in names) + "."


def release_titles(*names: str) -> str:
    """The releases the named resources come from (the data package's source titles), for "as of" lines.

    Copies and text extractions the project used are left out: a reader cites the publisher's release.
    """
    titles = [s["title"] for n in names for s in describe(n).sources]
    kept = [t for t in titles if not t.startswith(("Copy used", "Text extraction"))]
    return "; ".join(dict.fromkeys(kept))
