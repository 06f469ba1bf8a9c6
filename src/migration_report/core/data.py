"""Load the book's datasets through their description in data/datapackage.json.

    >>> from migration_report import load
    >>> encounters = load("sw-encounters")

`load(name)` reads a shipped table, checks its SHA-256 and its Table Schema and returns
typed columns. `load_file(path, like=name)` checks a user-supplied file (for example a newer
CBP release) against the same schema, without the hash. Both raise `DataError`.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pandas as pd

from migration_report.core.schema import DataError, SchemaError, check_schema, read_table

DATA_DIR = Path(os.environ.get("MIGRATION_REPORT_DATA", Path(__file__).resolve().parents[3] / "data"))
PACKAGE_FILE = "datapackage.json"


def build_date(environ=os.environ) -> pd.Timestamp:
    """The build's own date (UTC, midnight): SOURCE_DATE_EPOCH when it is set, so that two
    builds of the same sources check the same months, else today."""
    value = environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not value:
        return pd.Timestamp.now(tz="UTC").tz_localize(None).normalize()
    if not value.isascii() or not value.isdigit():
        raise ValueError(f"SOURCE_DATE_EPOCH={value!r}: expected whole seconds since 1970-01-01 UTC, e.g. 1700000000")
    return pd.Timestamp(int(value), unit="s").normalize()


# Read once, at import: every date a build writes is this one.
BUILD_DATE = build_date()


def latest_month() -> pd.Timestamp:
    """The last month a data file may hold: the build's own month (a later one has no data yet)."""
    return BUILD_DATE.to_period("M").to_timestamp()


@cache
def package(data_dir: Path = DATA_DIR) -> dict:
    """The data package descriptor (parsed datapackage.json), its structure checked."""
    path = Path(data_dir) / PACKAGE_FILE
    try:
        descriptor = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        raise DataError(path, f"cannot read the data package descriptor ({err})") from None
    check_package(descriptor, path)
    return descriptor


def check_package(descriptor, path: Path) -> None:
    """DataError (naming the descriptor key) unless `descriptor` has the structure load() relies on:
    an object with a non-empty 'resources' list, each resource with a unique name, a relative
    path inside the data folder and a schema (inline, or the path of a schema file)."""
    if not isinstance(descriptor, dict):
        raise DataError(path, f"the descriptor is a JSON {_json_kind(descriptor)}; "
                        "expected an object with a 'resources' list")
    resources = descriptor.get("resources")
    if not isinstance(resources, list) or not resources:
        raise DataError(path, "is missing or empty; expected a list of resources, each with name, path and schema",
                        key="resources")
    names = set()
    for index, entry in enumerate(resources):
        where = f"resources[{index}]"
        if not isinstance(entry, dict):
            raise DataError(path, f"is a JSON {_json_kind(entry)}; expected an object with name, path and schema", key=where)
        for key in ("name", "path"):
            if not isinstance(entry.get(key), str) or not entry[key].strip():
                raise DataError(path, "is missing; expected a non-empty string", key=f"{where}.{key}")
        if entry["name"] in names:
            raise DataError(path, f"{entry['name']!r} is used by an earlier resource; expected unique names",
                            key=f"{where}.name")
        names.add(entry["name"])
        relative = Path(entry["path"])
        if relative.is_absolute() or ".." in relative.parts:
            raise DataError(path, f"got {entry['path']!r}, expected a path inside the data folder", key=f"{where}.path")
        schema = entry.get("schema")
        if schema is None:
            # Without a schema nothing would be checked (frictionless would guess one).
            raise DataError(path, "is missing; expected a Table Schema (an object with 'fields', or a file name)",
                            key=f"{where}.schema")
        if isinstance(schema, dict):
            _check_resource_schema(path, schema, f"{where}.schema")
        elif not isinstance(schema, str):
            raise DataError(path, f"is a JSON {_json_kind(schema)}; expected a Table Schema or a file name",
                            key=f"{where}.schema")


def _check_resource_schema(path: Path, schema, where: str) -> None:
    try:
        check_schema(schema)
    except SchemaError as err:
        raise DataError(path, err.problem, column=err.field, key=f"{where}.{err.key}") from None


def _json_kind(value) -> str:
    return {list: "array", str: "string", int: "number", float: "number", bool: "boolean", type(None): "null"}.get(
        type(value), type(value).__name__)


def resource(name: str, data_dir: Path = DATA_DIR) -> dict:
    """The descriptor of one resource, with its schema resolved if it is a path."""
    descriptor = package(Path(data_dir))
    for entry in descriptor["resources"]:
        if entry["name"] == name:
            entry = dict(entry)
            if isinstance(entry.get("schema"), str):
                schema_path = Path(data_dir) / entry["schema"]
                try:
                    entry["schema"] = json.loads(schema_path.read_text(encoding="utf-8"))
                except (OSError, ValueError) as err:
                    raise DataError(schema_path, f"cannot read the Table Schema ({err})") from None
                _check_resource_schema(schema_path, entry["schema"], "schema")
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


# Tables already read and checked in this process, by the file's content and what it was checked
# against: a chapter, and the claim register it reads, load the same tables several times, and
# parsing and checking them was most of the cost. Each caller gets a copy to change as it likes.
_CHECKED: dict[tuple, pd.DataFrame] = {}


def _checked_table(path: Path, entry: dict) -> pd.DataFrame:
    """read_table(path) for a shipped resource, from _CHECKED when the same bytes were checked
    against the same description and month before."""
    try:
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        digest = None  # read_table says what is wrong with the path
    key = (str(path.resolve()), digest, json.dumps(entry, sort_keys=True, default=str), latest_month())
    if digest is None or key not in _CHECKED:
        frame = read_table(path, entry["schema"], expected_sha256=_sha256(entry), latest_month=latest_month())
        if digest is None:
            return frame
        _CHECKED[key] = frame
    return _CHECKED[key].copy()


def load(name: str, data_dir: Path = DATA_DIR) -> pd.DataFrame:
    """A shipped table, hash- and schema-checked, with typed columns."""
    data_dir = Path(data_dir)
    entry = resource(name, data_dir)
    frame = _checked_table(data_dir / entry["path"], entry)
    _check_foreign_keys(data_dir / entry["path"], frame, entry, data_dir)
    frame.attrs["path"] = str(data_dir / entry["path"])  # so an error about a column can name the file
    return frame


def load_file(path, like: str, data_dir: Path = DATA_DIR) -> pd.DataFrame:
    """A user-supplied CSV checked against the schema of the shipped resource `like`."""
    entry = resource(like, Path(data_dir))
    frame = read_table(Path(path), entry["schema"], latest_month=latest_month())
    _check_foreign_keys(Path(path), frame, entry, Path(data_dir))
    return frame


def localized(frame: pd.DataFrame, column: str, lang: str | None = None) -> pd.Series:
    """The reader-facing text column COLUMN in the edition's language.

    English is COLUMN itself; another edition reads COLUMN_<lang> (e.g. ``topic_es``), a column of
    the same curated table described in datapackage.json. A row whose original has text but whose
    translation is empty is an error naming the column and the row: the Spanish edition never shows
    an English cell as if it were translated.
    """
    from migration_report.core.i18n import language

    lang = language(lang)
    if lang == "en":
        return frame[column]
    translated = f"{column}_{lang}"
    path = frame.attrs.get("path", "(table)")
    if translated not in frame.columns:
        raise DataError(path, f"column {translated!r} is missing: the {lang} edition needs a translation of {column!r}")
    original, text = frame[column], frame[translated]
    missing = original.notna() & (original.astype(str) != "") & (text.isna() | (text.astype(str) == ""))
    if missing.any():
        rows = ", ".join(str(i) for i in frame.index[missing][:5])
        raise DataError(path, f"column {translated!r}: no translation of {column!r} in row(s) {rows}")
    return text


def _check_foreign_keys(path: Path, frame: pd.DataFrame, entry: dict, data_dir: Path) -> None:
    for key in entry["schema"].get("foreignKeys", []):
        fields = [key["fields"]] if isinstance(key["fields"], str) else key["fields"]
        ref = key["reference"]
        ref_fields = [ref["fields"]] if isinstance(ref["fields"], str) else ref["fields"]
        target = frame if ref.get("resource", "") == "" else load(ref["resource"], data_dir)
        known = set(map(tuple, target[ref_fields].astype(str).to_numpy()))
        present = frame[fields].notna().all(axis=1).to_numpy()  # Table Schema: a null key references nothing
        values = frame[fields].astype(str)
        for position, row in enumerate(map(tuple, values.to_numpy())):
            if present[position] and row not in known:
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


def localized_property(entry: dict, key: str, lang: str, default: str, owner: str | None = None) -> str:
    """A reader-facing property (``title``, ``sourceLine``, ``description``) of a resource, or of one
    of its sources or licences (OWNER names it in the error), in the edition's language:
    ``<key>_<lang>`` in datapackage.json beside the English; an error names a missing one."""
    if lang == "en" or key not in entry:
        return entry.get(key, default)
    translated = entry.get(f"{key}_{lang}")
    if not translated:
        owner = owner or f"resource {entry['name']!r}"
        raise DataError("datapackage.json", f"{owner} has no {key}_{lang}: the {lang} edition "
                                            f"needs a translation of its {key}")
    return translated


def _localized_titles(items: list[dict], lang: str, owner: str) -> tuple[dict, ...]:
    """Sources or licences with their ``title`` in the edition's language (``title_<lang>`` beside it)."""
    return tuple({**item, "title": localized_property(item, "title", lang, "", f"{owner} {item.get('title')!r}")}
                 for item in items)


def describe(name: str, data_dir: Path = DATA_DIR, lang: str | None = None) -> Description:
    """What a resource is and where it comes from, for tables of datasets and figure source lines;
    every text in the edition's language (`title_es`, `description_es`, `publisher_es`,
    `sourceLine_es`, and `title_es` of each source and licence)."""
    from migration_report.core.i18n import language

    lang = language(lang)
    entry = resource(name, Path(data_dir))
    return Description(
        name=name,
        title=localized_property(entry, "title", lang, name),
        path=entry["path"],
        description=localized_property(entry, "description", lang, ""),
        publisher=localized_property(entry, "publisher", lang, ""),
        sources=_localized_titles(entry.get("sources", []), lang, f"a source of resource {name!r},"),
        licences=_localized_titles(entry.get("licenses", []), lang, f"a licence of resource {name!r},"),
        sha256=_sha256(entry),
        source_line=localized_property(entry, "sourceLine", lang, localized_property(entry, "title", lang, name)),
    )


def sources_text(*names: str) -> str:
    """Where the named resources come from, for a figure's foot after 'Source:' (in the edition's language)."""
    return "; ".join(describe(n).source_line for n in names) + "."


def source_line(*names: str) -> str:
    """'Source: …' text for the foot of a figure built from the given resources ('Fuente: …' in Spanish)."""
    from migration_report.core.i18n import _

    return f"{_('Source')}: {sources_text(*names)}"


def release_titles(*names: str, lang: str | None = None) -> str:
    """The releases the named resources come from (the data package's source titles, in the edition's
    language), for "as of" lines.

    Copies and text extractions the project used are left out: a reader cites the publisher's release.
    """
    from migration_report.core.i18n import language

    lang = language(lang)
    # Told apart by the English title, which is the same in every edition.
    kept = [localized_property(s, "title", lang, "", f"a source of resource {n!r},")
            for n in names for s in resource(n)["sources"]
            if not s["title"].startswith(("Copy used", "Text extraction"))]
    return "; ".join(dict.fromkeys(kept))
