"""The CSV files the book offers, safe to open in a spreadsheet.

Two things go wrong when a reader opens a downloaded CSV in a spreadsheet:

- A text cell that begins with `=`, `+`, `-` or `@` (or a tab or carriage return, which some
  spreadsheets skip before looking) is read as a formula: a curated cell such as
  `=HYPERLINK("http://…","Click for sources")` would become a live link, and a real cell such as
  "-50 percent (May 2023–June 2023)" an error. Such a cell, unless it is a plain number, is written
  with an apostrophe in front (the usual neutralisation: the spreadsheet shows the text, apostrophe
  included, and runs nothing); every descriptor says so (`NOTE`).
- Without a byte-order mark, Excel reads a CSV in the machine's legacy code page, so the UTF-8 of
  "May 2023–June 2023" shows as "May 2023â€“June 2023" (issue 24). Every downloadable CSV (each
  figure's data, the claim register, the data package's tables) therefore begins with the UTF-8
  byte-order mark, which LibreOffice, pandas, R's readr and Frictionless read as UTF-8 too; Python's
  csv module needs `encoding="utf-8-sig"`. The tables in data/ themselves have no mark and keep
  their text as published: only the copies offered for download are changed, and the downloaded
  descriptor gives their own hashes.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from pathlib import Path

import pandas as pd

from migration_report.core.i18n import N_

BOM = "\ufeff"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")
NOTE = N_("A text cell that begins with =, +, -, @, a tab or a carriage return (and is not a number) has an "
          "apostrophe (') added in front, so that a spreadsheet shows it as text instead of running it as a formula; "
          "remove that one leading apostrophe to get the value as published. Each CSV file begins with the UTF-8 "
          "byte-order mark, so that spreadsheets read it as UTF-8.")
PROPERTY = "spreadsheets"  # the descriptor property that carries NOTE (PROPERTY_es: its Spanish)


def neutral(value):
    """VALUE, an apostrophe in front if it is text a spreadsheet would take for a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_START) and not _NUMBER.fullmatch(value):
        return "'" + value
    return value


def safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """FRAME with every text cell neutralised (numbers, dates and booleans are left as they are)."""
    safe = frame.copy()
    for column in safe.columns:
        if safe[column].dtype == object or pd.api.types.is_string_dtype(safe[column]):
            safe[column] = safe[column].map(neutral)
    return safe


def safe_csv_text(text: str, text_columns: set[str] | None = None) -> str:
    """A CSV's TEXT for download: the BOM, then the rows with each text cell neutralised (in TEXT_COLUMNS
    only, when given: a data table's string fields). Unchanged rows keep their bytes."""
    rows = list(csv.reader(io.StringIO(text.removeprefix(BOM), newline="")))
    if not rows:
        return BOM + text
    header, changed = rows[0], False
    for row in rows[1:]:
        for index, cell in enumerate(row):
            if (text_columns is None or (index < len(header) and header[index] in text_columns)) and neutral(cell) != cell:
                row[index], changed = neutral(cell), True
    if not changed:
        return BOM + text.removeprefix(BOM)
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return BOM + out.getvalue()


def downloadable_package(data_dir: Path) -> dict[str, bytes]:
    """The data package as the book offers it: each table's CSV made safe (`safe_csv_text`, in its string
    fields), and a descriptor with those files' own hashes and sizes and the note that says how."""
    from migration_report.core import i18n

    descriptor = json.loads((Path(data_dir) / "datapackage.json").read_text(encoding="utf-8"))
    files = {}
    for resource in descriptor["resources"]:
        text = (Path(data_dir) / resource["path"]).read_text(encoding="utf-8")
        strings = {f["name"] for f in resource.get("schema", {}).get("fields", []) if f.get("type", "string") == "string"}
        content = safe_csv_text(text, strings).encode("utf-8")
        files[resource["path"]] = content
        resource["hash"] = "sha256:" + hashlib.sha256(content).hexdigest()
        resource["bytes"] = len(content)
    descriptor[PROPERTY] = NOTE
    descriptor[f"{PROPERTY}_es"] = i18n.gettext(NOTE, "es")
    files["datapackage.json"] = (json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n").encode("utf-8")
    return files
