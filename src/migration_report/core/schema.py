"""Check a CSV file against a Frictionless Table Schema and return typed columns.

`frictionless validate` is the standard's own validator and runs in the tests; this module
applies the same schema at load time in a few milliseconds (importing frictionless alone
takes longer than loading every table here) and says exactly where a file is wrong.

It fails closed: a field type, format, field property or constraint it does not implement is
an error naming the field, never read as text or skipped, because a check that is silently
skipped lets a wrong number through. The tests run every bad file of the failure-modes
catalogue through frictionless as well, so the two validators agree on what is bad.
"""

from __future__ import annotations

import csv
import hashlib
import io
import math
import os
import re
from pathlib import Path

import pandas as pd


class DataError(ValueError):
    """A data file does not match its description in data/datapackage.json.

    The message names the file and, where they are known, the row (the line number in the
    file, the header being line 1), the column or the descriptor key, and what was expected.
    """

    def __init__(self, path, problem, *, row=None, column=None, key=None):
        self.path = Path(path)
        self.row = row
        self.column = column
        self.key = key
        self.problem = problem
        where = [str(self.path)]
        if row is not None:
            where.append(f"row {row}")
        if column is not None:
            where.append(f"column '{column}'")
        if key is not None:
            where.append(f"key '{key}'")
        super().__init__(", ".join(where) + ": " + problem)


class SchemaError(ValueError):
    """A Table Schema asks for something this checker does not implement (or is malformed).

    `key` is the path of the offending descriptor key inside the schema, e.g. 'fields[5].type';
    the caller turns it into a DataError naming the file the schema came from.
    """

    def __init__(self, key: str, problem: str, field: str | None = None):
        self.key = key
        self.problem = problem
        self.field = field
        super().__init__(f"{key}: {problem}")


# Digits are ASCII only: Python's \d also matches other scripts' digits (e.g. '١٧'), which
# frictionless and CBP's files never use for counts.
_PATTERNS = {
    "integer": re.compile(r"-?[0-9]+"),
    "number": re.compile(r"-?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][-+]?[0-9]+)?"),
    "date": re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}"),
    "yearmonth": re.compile(r"[0-9]{4}-[0-9]{2}"),
    "year": re.compile(r"[0-9]{4}"),
}
_EXPECTED = {
    "integer": "a whole number written with the digits 0-9",
    "number": "a number written with the digits 0-9",
    "date": "a date as YYYY-MM-DD",
    "yearmonth": "a month as YYYY-MM",
    "year": "a year as YYYY",
    "boolean": "true or false",
}
_BOOLEANS = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_DATE_FORMATS = {"date": "%Y-%m-%d", "yearmonth": "%Y-%m"}

# What this checker implements. Anything else in a schema is refused (see check_schema).
TYPES = ("string", "integer", "number", "boolean", "date", "yearmonth", "year")
FIELD_KEYS = frozenset({"name", "type", "format", "title", "description", "constraints", "example"})
SCHEMA_KEYS = frozenset({"fields", "primaryKey", "foreignKeys", "missingValues"})
CONSTRAINTS = {
    "required": TYPES,
    "unique": TYPES,
    "enum": ("string",),
    "pattern": ("string",),
    "minLength": ("string",),
    "maxLength": ("string",),
    "minimum": ("integer", "number", "date", "yearmonth", "year"),
    "maximum": ("integer", "number", "date", "yearmonth", "year"),
}
# Whole numbers are held as int64; a value outside its range could not be stored exactly.
INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1
_SHOWN_CHARACTERS = 24


def sha256_of(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


# --- the schema itself ---------------------------------------------------------------------


def check_schema(schema) -> None:
    """Raise SchemaError unless every part of `schema` is something read_table implements."""
    if not isinstance(schema, dict):
        raise SchemaError("schema", f"got {type(schema).__name__}, expected an object with a 'fields' list")
    for key in schema:
        if key not in SCHEMA_KEYS:
            raise SchemaError(key, "is not implemented by the project's checker; expected only " + ", ".join(sorted(SCHEMA_KEYS)))
    if schema.get("missingValues", [""]) != [""]:
        raise SchemaError("missingValues", f"got {schema['missingValues']!r}; only [''] (an empty cell is missing) is implemented")
    fields = schema.get("fields")
    if not isinstance(fields, list) or not fields:
        raise SchemaError("fields", "is missing or empty; expected a list of field descriptors")
    names = []
    for index, field in enumerate(fields):
        _check_field(f"fields[{index}]", field)
        if field["name"] in names:
            raise SchemaError(f"fields[{index}].name", f"{field['name']!r} is used by an earlier field; expected unique names", field["name"])
        names.append(field["name"])
    for name in _primary_key(schema):
        if name not in names:
            raise SchemaError("primaryKey", f"names {name!r}, which is not a field; expected fields from {', '.join(names)}")


def _check_field(where: str, field) -> None:
    if not isinstance(field, dict) or not isinstance(field.get("name"), str) or not field["name"]:
        raise SchemaError(f"{where}.name", "is missing; expected every field to have a name")
    name = field["name"]
    for key in field:
        if key not in FIELD_KEYS:
            raise SchemaError(f"{where}.{key}", "is a field property the project's checker does not implement; "
                              "expected only " + ", ".join(sorted(FIELD_KEYS)), name)
    kind = field.get("type", "string")
    if kind not in TYPES:
        raise SchemaError(f"{where}.type", f"got {kind!r}, a type the project's checker does not implement; "
                          "expected one of " + ", ".join(TYPES), name)
    if field.get("format", "default") != "default":
        raise SchemaError(f"{where}.format", f"got {field['format']!r}; only the default format is implemented", name)
    constraints = field.get("constraints", {})
    if not isinstance(constraints, dict):
        raise SchemaError(f"{where}.constraints", "expected an object", name)
    for key, value in constraints.items():
        if key not in CONSTRAINTS:
            raise SchemaError(f"{where}.constraints.{key}", "is a constraint the project's checker does not implement; "
                              "expected only " + ", ".join(CONSTRAINTS), name)
        if kind not in CONSTRAINTS[key]:
            raise SchemaError(f"{where}.constraints.{key}", f"is not implemented for {kind} fields; "
                              f"expected it only on {', '.join(CONSTRAINTS[key])} fields", name)
        if key in ("minimum", "maximum") and kind in _DATE_FORMATS:
            _bound_as_date(f"{where}.constraints.{key}", value, kind, name)


def _bound_as_date(where, value, kind, name) -> pd.Timestamp:
    if not isinstance(value, str) or not _PATTERNS[kind].fullmatch(value):
        raise SchemaError(where, f"got {value!r}, expected {_EXPECTED[kind]}", name)
    return pd.Timestamp(pd.to_datetime(value, format=_DATE_FORMATS[kind]))


def _schema_or_error(path: Path, schema) -> None:
    try:
        check_schema(schema)
    except SchemaError as err:
        raise DataError(path, f"the schema's {err.problem}", column=err.field, key=f"schema.{err.key}") from None


# --- reading ---------------------------------------------------------------------------------


def read_table(path, schema: dict, *, expected_sha256: str | None = None,
               latest_month: pd.Timestamp | None = None) -> pd.DataFrame:
    """Read `path` as CSV, check it against `schema` and return a typed DataFrame.

    Integers become int64 (nullable Int64 where the schema allows blanks), numbers float64,
    dates and year-months datetime64 (a year-month is its first day), strings str.
    `latest_month`, if given, is the last month a year-month field may hold (the build's own
    month: a later month cannot have data yet, so it is a typo or a shifted column).
    """
    path = Path(path)
    _schema_or_error(path, schema)
    raw = _read_bytes(path)
    if not raw.strip():
        raise DataError(path, "file is empty; expected a header row with columns " + _names(schema))
    if expected_sha256 is not None:
        actual = hashlib.sha256(raw).hexdigest()
        if actual != expected_sha256:
            raise DataError(
                path,
                f"SHA-256 is {actual} but data/datapackage.json records {expected_sha256}; "
                "the file changed after it was described (rebuild it with `make data`, "
                "or refresh the hashes of hand-edited tables with `make data-hashes`)",
            )
    frame = _parse_csv(path, _decode(path, raw), schema)
    typed = {}
    for field in schema["fields"]:
        typed[field["name"]] = _convert(path, frame[field["name"]], field, schema, latest_month)
    result = pd.DataFrame(typed, index=frame.index)
    _check_primary_key(path, result, schema)
    return result.reset_index(drop=True)


def _read_bytes(path: Path) -> bytes:
    """The file's bytes, or a DataError that says what is at the path instead of a file."""
    if path.is_symlink() and not path.exists():
        raise DataError(path, f"is a symbolic link to '{os.readlink(path)}', which does not exist; expected a CSV file")
    if path.is_dir():
        raise DataError(path, "is a directory; expected a CSV file")
    if not path.exists():
        raise DataError(path, "file not found; expected a CSV file")
    if not path.is_file():
        raise DataError(path, "is not a regular file (a device, socket or pipe); expected a CSV file")
    try:
        return path.read_bytes()
    except OSError as err:
        raise DataError(path, f"cannot be read ({err.strerror}); expected a readable CSV file") from None


def _decode(path: Path, raw: bytes) -> str:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        raise DataError(
            path, f"byte 0x{raw[err.start]:02x} is not valid UTF-8; expected UTF-8 text", row=line
        ) from None
    return text.removeprefix("\ufeff")


def _parse_csv(path: Path, text: str, schema: dict) -> pd.DataFrame:
    """The cells as text, indexed by the line each row starts on in the file.

    Blank lines are skipped but still counted, so a reported row is the line a reader finds in
    an editor (pandas renumbers rows after skipping blanks, which sent readers to the wrong line).
    """
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    header, rows, lines = None, [], []
    next_line = 1
    try:
        for record in reader:
            line, next_line = next_line, reader.line_num + 1
            if not record:
                continue
            if header is None:
                header, header_line = record, line
                continue
            if len(record) != len(header):
                raise DataError(path, f"has {len(record)} values but the header has {len(header)} columns; "
                                "expected one value per column on every row", row=line)
            rows.append(record)
            lines.append(line)
    except csv.Error as err:
        raise DataError(path, f"is not well-formed CSV ({err}); expected one value per column on every row",
                        row=next_line) from None
    _check_header(path, header, header_line, schema)
    columns = list(zip(*rows)) if rows else [()] * len(header)
    index = pd.Index(lines, dtype="int64")
    return pd.DataFrame({name: pd.Series(values, index=index, dtype=str) for name, values in zip(header, columns)}, index=index)


def _names(schema):
    return ", ".join(f["name"] for f in schema["fields"])


def _check_header(path, header, line, schema):
    expected = [f["name"] for f in schema["fields"]]
    for name in expected:
        if name not in header:
            raise DataError(path, f"column is missing; expected the columns {_names(schema)}", row=line, column=name)
    for name in header:
        if name not in expected:
            raise DataError(path, f"column is not in the schema; expected only {_names(schema)}", row=line, column=name)
    if header != expected:
        raise DataError(path, f"columns are out of order or repeated; expected {_names(schema)}", row=line)


def _shown(value: str) -> str:
    """A cell as quoted in a message: a very long value is cut, with its length, so the message stays readable."""
    if len(value) <= _SHOWN_CHARACTERS:
        return repr(value)
    return repr(value[:_SHOWN_CHARACTERS] + "…") + f" ({len(value)} characters)"


def _fail(path, column: pd.Series, failed: pd.Series, expected: str, name: str):
    line = _first_label(failed)
    raise DataError(path, f"got {_shown(column[line])}, expected {expected}", row=line, column=name)


# --- types and constraints -------------------------------------------------------------------


def _convert(path, column: pd.Series, field: dict, schema: dict, latest_month=None) -> pd.Series:
    name, kind = field["name"], field.get("type", "string")
    constraints = field.get("constraints", {})
    blank = column.str.strip() == ""
    required = constraints.get("required") or name in _primary_key(schema)
    if required and blank.any():
        raise DataError(path, "is empty; a value is required", row=_first_label(blank), column=name)
    present = column[~blank]
    if kind in _PATTERNS:
        bad = ~present.str.fullmatch(_PATTERNS[kind])
        if bad.any():
            _fail(path, column, bad, _EXPECTED[kind], name)
    if kind == "boolean":
        bad = ~present.isin(_BOOLEANS)
        if bad.any():
            _fail(path, column, bad, "true or false", name)

    if kind == "integer":
        values = _integers(path, column, blank, field, nullable=not required)
    elif kind == "number":
        values = pd.to_numeric(column.where(~blank), errors="coerce").astype("float64")
        infinite = values.map(lambda v: not math.isnan(v) and math.isinf(v))
        if infinite.any():
            _fail(path, column, infinite, "a finite number", name)
    elif kind in _DATE_FORMATS:
        values = pd.to_datetime(column.where(~blank), format=_DATE_FORMATS[kind], errors="coerce")
        bad = values.isna() & ~blank
        if bad.any():
            _fail(path, column, bad, _EXPECTED[kind], name)
        if kind == "yearmonth" and latest_month is not None:
            later = values > latest_month
            if later.any():
                _fail(path, column, later, f"a month not after {latest_month:%Y-%m}, the month of this build "
                      "(set by SOURCE_DATE_EPOCH when it is set)", name)
    elif kind == "year":
        values = pd.to_numeric(column.where(~blank), errors="coerce").astype("Int64")
    elif kind == "boolean":
        values = column.map(_BOOLEANS).astype("boolean")
    else:
        values = column.where(~blank, None) if blank.any() else column

    _check_constraints(path, column, values, blank, field)
    return values


def _integers(path, column: pd.Series, blank: pd.Series, field: dict, *, nullable: bool) -> pd.Series:
    """Whole numbers, range-checked as exact Python integers before they become int64.

    Checking after the conversion would let a value too large for int64 overflow or turn into
    a float (and a 400-digit count was reported as 'expected at least 0').
    """
    name, constraints = field["name"], field.get("constraints", {})
    minimum = max(constraints.get("minimum", INT64_MIN), INT64_MIN)
    maximum = min(constraints.get("maximum", INT64_MAX), INT64_MAX)
    text = column[~blank].str.strip()
    # More than 19 digits is beyond int64 whatever the bound; this also keeps int() off
    # thousands-digit strings, which Python refuses to convert.
    digits = text.str.lstrip("-").str.lstrip("0").str.len()
    huge = digits > 19
    numbers = pd.Series([0 if h else int(t) for t, h in zip(text, huge)], index=text.index, dtype=object)
    too_large = (huge & ~text.str.startswith("-")) | (~huge & (numbers > maximum))
    too_small = (huge & text.str.startswith("-")) | (~huge & (numbers < minimum))
    for failed, bound in ((too_large, f"a value of at most {maximum}"), (too_small, f"a value of at least {minimum}")):
        if failed.any():
            _fail(path, column, failed.reindex(column.index, fill_value=False), bound, name)
    values = numbers.reindex(column.index)
    return values.astype("Int64" if nullable else "int64")


def _check_constraints(path, raw, values, blank, field):
    name, kind, constraints = field["name"], field.get("type", "string"), field.get("constraints", {})
    checks = []
    for key, compare, phrase in (("minimum", "lt", "at least"), ("maximum", "gt", "at most")):
        if key in constraints:
            bound = constraints[key]
            if kind in _DATE_FORMATS:
                bound = _bound_as_date(key, bound, kind, name)
            checks.append((getattr(values, compare)(bound), f"a value of {phrase} {constraints[key]}"))
    if "enum" in constraints:
        allowed = constraints["enum"]
        checks.append((~raw.isin([str(a) for a in allowed]), "one of " + ", ".join(map(repr, allowed))))
    if "pattern" in constraints:
        checks.append((~raw.str.fullmatch(constraints["pattern"], flags=re.ASCII),
                       f"text matching the pattern {constraints['pattern']!r}"))
    if "minLength" in constraints:
        checks.append((raw.str.len() < constraints["minLength"], f"at least {constraints['minLength']} characters"))
    if "maxLength" in constraints:
        checks.append((raw.str.len() > constraints["maxLength"], f"at most {constraints['maxLength']} characters"))
    if constraints.get("unique"):
        checks.append((raw.duplicated(keep="first"), "a value not used in an earlier row (the column is unique)"))
    for failed, expected in checks:
        failed = pd.Series(failed, index=raw.index).fillna(False).astype(bool) & ~blank
        if failed.any():
            _fail(path, raw, failed, expected, name)


def _primary_key(schema) -> list[str]:
    key = schema.get("primaryKey", [])
    return [key] if isinstance(key, str) else list(key)


def _check_primary_key(path, frame, schema):
    key = _primary_key(schema)
    if not key:
        return
    duplicated = frame.duplicated(subset=key, keep="first")
    if duplicated.any():
        line = _first_label(duplicated)
        first = frame.index[(frame[key] == frame.loc[line, key]).all(axis=1)][0]
        values = ", ".join(f"{k}={frame.loc[line, k]!s}" for k in key)
        raise DataError(
            path,
            f"duplicate primary key ({values}) already used in row {first}; "
            f"expected each combination of {', '.join(key)} once",
            row=line,
            column=", ".join(key),
        )


def _first_label(mask: pd.Series):
    return mask[mask].index[0]
