"""Check a CSV file against a Frictionless Table Schema and return typed columns.

`frictionless validate` is the standard's own validator and runs in the tests; this module
applies the same schema at load time in a few milliseconds (importing frictionless alone
takes longer than loading every table here) and says exactly where a file is wrong.
"""

from __future__ import annotations

import hashlib
import io
import re
from pathlib import Path

import pandas as pd


class DataError(ValueError):
    """A data file does not match its description in data/datapackage.json.

    The message names the file and, where they are known, the row (the line number in the
    file, the header being line 1), the column and what was expected.
    """

    def __init__(self, path, problem, *, row=None, column=None):
        self.path = Path(path)
        self.row = row
        self.column = column
        self.problem = problem
        where = [str(self.path)]
        if row is not None:
            where.append(f"row {row}")
        if column is not None:
            where.append(f"column '{column}'")
        super().__init__(", ".join(where) + ": " + problem)


_PATTERNS = {
    "integer": re.compile(r"-?\d+"),
    "number": re.compile(r"-?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?"),
    "date": re.compile(r"\d{4}-\d{2}-\d{2}"),
    "yearmonth": re.compile(r"\d{4}-\d{2}"),
    "year": re.compile(r"\d{4}"),
}
_EXPECTED = {
    "integer": "a whole number",
    "number": "a number",
    "date": "a date as YYYY-MM-DD",
    "yearmonth": "a month as YYYY-MM",
    "year": "a year as YYYY",
    "boolean": "true or false",
}
_BOOLEANS = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}


def sha256_of(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def read_table(path, schema: dict, *, expected_sha256: str | None = None) -> pd.DataFrame:
    """Read `path` as CSV, check it against `schema` and return a typed DataFrame.

    Integers become int64 (nullable Int64 where the schema allows blanks), numbers float64,
    dates and year-months datetime64 (a year-month is its first day), strings str.
    """
    path = Path(path)
    if not path.is_file():
        raise DataError(path, "file not found")
    raw = path.read_bytes()
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
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        raise DataError(
            path, f"byte 0x{raw[err.start]:02x} is not valid UTF-8; expected UTF-8 text", row=line
        ) from None
    text = text.removeprefix("\ufeff")
    try:
        frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    except pd.errors.ParserError as err:
        line = re.search(r"line (\d+)", str(err))
        raise DataError(
            path, f"is not well-formed CSV ({str(err).strip()}); expected one value per column on every row",
            row=int(line.group(1)) if line else None,
        ) from None
    _check_header(path, list(frame.columns), schema)
    typed = {}
    for field in schema["fields"]:
        typed[field["name"]] = _convert(path, frame[field["name"]], field, schema)
    result = pd.DataFrame(typed, index=frame.index)
    _check_primary_key(path, result, schema)
    return result.reset_index(drop=True)


def _names(schema):
    return ", ".join(f["name"] for f in schema["fields"])


def _line(index_position: int) -> int:
    # Data row 0 is line 2 of the file: line 1 is the header.
    return index_position + 2


def _check_header(path, header, schema):
    expected = [f["name"] for f in schema["fields"]]
    for name in expected:
        if name not in header:
            raise DataError(path, f"column is missing; expected the columns {_names(schema)}", row=1, column=name)
    for name in header:
        if name not in expected:
            raise DataError(path, f"column is not in the schema; expected only {_names(schema)}", row=1, column=name)
    if header != expected:
        raise DataError(path, f"columns are out of order; expected {_names(schema)}", row=1)


def _convert(path, column: pd.Series, field: dict, schema: dict) -> pd.Series:
    name, kind = field["name"], field.get("type", "string")
    constraints = field.get("constraints", {})
    blank = column.str.strip() == ""
    required = constraints.get("required") or name in _primary_key(schema)
    if required and blank.any():
        raise DataError(path, "is empty; a value is required", row=_line(_first_label(blank)), column=name)
    present = column[~blank]
    if kind in _PATTERNS:
        bad = ~present.str.fullmatch(_PATTERNS[kind])
        if bad.any():
            pos = _first_label(bad)
            raise DataError(
                path, f"got {column[pos]!r}, expected {_EXPECTED[kind]}", row=_line(pos), column=name
            )
    if kind == "boolean":
        bad = ~present.isin(_BOOLEANS)
        if bad.any():
            pos = _first_label(bad)
            raise DataError(path, f"got {column[pos]!r}, expected true or false", row=_line(pos), column=name)

    if kind == "integer":
        values = pd.to_numeric(column.where(~blank), errors="coerce").astype("Int64" if not required else "int64")
    elif kind == "number":
        values = pd.to_numeric(column.where(~blank), errors="coerce").astype("float64")
    elif kind in ("date", "yearmonth"):
        fmt = "%Y-%m-%d" if kind == "date" else "%Y-%m"
        values = pd.to_datetime(column.where(~blank), format=fmt, errors="coerce")
        bad = values.isna() & ~blank
        if bad.any():
            pos = _first_label(bad)
            raise DataError(path, f"got {column[pos]!r}, expected {_EXPECTED[kind]}", row=_line(pos), column=name)
    elif kind == "year":
        values = pd.to_numeric(column.where(~blank), errors="coerce").astype("Int64")
    elif kind == "boolean":
        values = column.map(_BOOLEANS).astype("boolean")
    else:
        values = column.where(~blank, None) if blank.any() else column

    _check_constraints(path, column, values, blank, field)
    return values


def _check_constraints(path, raw, values, blank, field):
    name, constraints = field["name"], field.get("constraints", {})
    checks = []
    if "minimum" in constraints:
        checks.append((values < constraints["minimum"], f"a value of at least {constraints['minimum']}"))
    if "maximum" in constraints:
        checks.append((values > constraints["maximum"], f"a value of at most {constraints['maximum']}"))
    if "enum" in constraints:
        allowed = constraints["enum"]
        checks.append((~raw.isin([str(a) for a in allowed]), "one of " + ", ".join(map(repr, allowed))))
    if "pattern" in constraints:
        checks.append((~raw.str.fullmatch(constraints["pattern"]), f"text matching the pattern {constraints['pattern']!r}"))
    if "maxLength" in constraints:
        checks.append((raw.str.len() > constraints["maxLength"], f"at most {constraints['maxLength']} characters"))
    if constraints.get("unique"):
        checks.append((raw.duplicated(keep="first"), "a value not used in an earlier row (the column is unique)"))
    for failed, expected in checks:
        failed = pd.Series(failed, index=raw.index).fillna(False).astype(bool) & ~blank
        if failed.any():
            pos = _first_label(failed)
            raise DataError(path, f"got {raw[pos]!r}, expected {expected}", row=_line(pos), column=name)


def _primary_key(schema) -> list[str]:
    key = schema.get("primaryKey", [])
    return [key] if isinstance(key, str) else list(key)


def _check_primary_key(path, frame, schema):
    key = _primary_key(schema)
    if not key:
        return
    duplicated = frame.duplicated(subset=key, keep="first")
    if duplicated.any():
        pos = _first_label(duplicated)
        first = frame.index[(frame[key] == frame.loc[pos, key]).all(axis=1)][0]
        values = ", ".join(f"{k}={frame.loc[pos, k]!s}" for k in key)
        raise DataError(
            path,
            f"duplicate primary key ({values}) already used in row {_line(first)}; "
            f"expected each combination of {', '.join(key)} once",
            row=_line(pos),
            column=", ".join(key),
        )


def _first_label(mask: pd.Series):
    return mask[mask].index[0]
