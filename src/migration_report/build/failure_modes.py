"""A catalogue of bad input, data files and chapter parameters, and the error each one gets.

The tests run every case and check that the message names the file, row and column (data) or
the parameter (parameters); the data-and-methods appendix runs them again to print the
bad-input matrix (`matrix()`), so the table in the book is always the messages the code gives
today.

Adding a parameter case is one line in PARAMETER_CASES: the chapter, a short name, the bad values,
the parameter the error must name, and a phrase of the message. The case runs the chapter module's
own `check_parameters` (CHECKS) with the defaults of the chapter's parameters cell.
"""

from __future__ import annotations

import ast
import io
import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Callable

import pandas as pd

from migration_report.chapters.institutional_actors import analysis as actors
from migration_report.chapters.rio_grande_dispute import analysis as barrier
from migration_report.chapters.flow_statistics import analysis as flows
from migration_report.chapters.cooperation_and_funding import analysis as funding
from migration_report.core import citation, i18n
from migration_report.core.data import DATA_DIR, PACKAGE_FILE, load, load_file, resource
from migration_report.core.i18n import N_
from migration_report.core.outputs import Markup, code, escape
from migration_report.core.params import ParameterError
from migration_report.core.schema import DataError


@dataclass(frozen=True)
class DataCase:
    """One bad input and what its error must say.

    `target` says what `corrupt` spoils: "file" (the resource's CSV bytes -> bad bytes),
    "package" (the parsed data/datapackage.json -> a bad descriptor) or "path" (given the path
    where the CSV would be, it puts something there that is not a file).
    """

    name: str
    what: str
    resource: str
    corrupt: Callable
    row: int | None
    column: str | None
    expected: str  # a phrase the message must contain
    check_hash: bool = False  # load through the package (hash checked) rather than as a user file
    target: str = "file"
    key: str | None = None  # the descriptor key the error must name (package cases)
    # Why frictionless, run on the same input in the tests, accepts it; empty: it must reject it too.
    frictionless_accepts: str = ""


def _replace_line(line_number: int, old: str, new: str) -> Callable[[bytes], bytes]:
    def corrupt(raw: bytes) -> bytes:
        lines = raw.decode("utf-8").split("\n")
        if old not in lines[line_number - 1]:
            raise ValueError(f"line {line_number} has no {old!r}")
        lines[line_number - 1] = lines[line_number - 1].replace(old, new, 1)
        return "\n".join(lines).encode("utf-8")

    return corrupt


def _drop_column(name: str) -> Callable[[bytes], bytes]:
    def corrupt(raw: bytes) -> bytes:
        frame = pd.read_csv(io.BytesIO(raw), dtype=str, keep_default_na=False)
        return frame.drop(columns=[name]).to_csv(index=False, lineterminator="\n").encode("utf-8")

    return corrupt


def _duplicate_line(line_number: int) -> Callable[[bytes], bytes]:
    def corrupt(raw: bytes) -> bytes:
        lines = raw.decode("utf-8").split("\n")
        return "\n".join(lines[:line_number] + [lines[line_number - 1]] + lines[line_number:]).encode("utf-8")

    return corrupt


def _latin1_line(line_number: int) -> Callable[[bytes], bytes]:
    def corrupt(raw: bytes) -> bytes:
        lines = raw.split(b"\n")
        lines[line_number - 1] = lines[line_number - 1].replace(b"BRAZIL", "BRASÍL".encode("latin-1"))
        return b"\n".join(lines)

    return corrupt


def _blank_lines_before(line_number: int, count: int, then: Callable[[bytes], bytes]) -> Callable[[bytes], bytes]:
    """`then`, after `count` blank lines are inserted before line `line_number` (as a spreadsheet export leaves them)."""
    def corrupt(raw: bytes) -> bytes:
        lines = then(raw).split(b"\n")
        return b"\n".join(lines[: line_number - 1] + [b""] * count + lines[line_number - 1 :])

    return corrupt


def _field_type(resource_name: str, field_name: str, kind: str) -> Callable[[dict], object]:
    def corrupt(descriptor: dict) -> dict:
        entry = next(r for r in descriptor["resources"] if r["name"] == resource_name)
        next(f for f in entry["schema"]["fields"] if f["name"] == field_name)["type"] = kind
        return descriptor

    return corrupt


def _resource_without(resource_name: str, key: str) -> Callable[[dict], object]:
    def corrupt(descriptor: dict) -> dict:
        next(r for r in descriptor["resources"] if r["name"] == resource_name).pop(key)
        return descriptor

    return corrupt


def _package_without(key: str) -> Callable[[dict], object]:
    def corrupt(descriptor: dict) -> dict:
        descriptor.pop(key)
        return descriptor

    return corrupt


def _as_directory(path: Path) -> None:
    path.mkdir()


def _as_dangling_link(path: Path) -> None:
    path.symlink_to(path.with_name("deleted-" + path.name))


# The index of sw-encounters in data/datapackage.json, for the descriptor keys the errors name.
_SW = "resources[0]"

# Line 2 of sw_encounters_monthly.csv is "2019-10,OFO,Title 8,Inadmissibles,BRAZIL,17";
# line 4 is "2019-10,OFO,Title 8,Inadmissibles,CHINA, PEOPLES REPUBLIC OF,...".
DATA_CASES = [
    DataCase("wrong type", N_("a count written as text"), "sw-encounters",
             _replace_line(2, ",17", ",seventeen"),
             2, "encounter_count", "expected a whole number"),
    DataCase("missing column", N_("a column dropped"), "sw-encounters", _drop_column("citizenship"),
             1, "citizenship", "column is missing"),
    DataCase("negative count", N_("a count below zero"), "sw-encounters", _replace_line(2, ",17", ",-17"),
             2, "encounter_count", "at least 0"),
    DataCase("duplicate key", N_("the same month, component, title, type and citizenship twice"), "sw-encounters",
             _duplicate_line(2), 3, "month, component, title_of_authority, encounter_type, citizenship",
             "duplicate primary key"),
    DataCase("unknown category", N_("a component that is not USBP or OFO"), "sw-encounters",
             _replace_line(2, ",OFO,", ",CBP,"), 2, "component", "expected one of 'USBP', 'OFO'"),
    DataCase("malformed month", N_("a month that does not exist"), "sw-encounters",
             _replace_line(2, "2019-10", "2019-13"), 2, "month", "a month as YYYY-MM"),
    DataCase("wrong hash", N_("a shipped file edited without updating its checksum"), "sw-encounters",
             _replace_line(2, ",17", ",18"), None, None, "SHA-256", check_hash=True),
    DataCase("empty file", N_("a file with no content"), "sw-encounters", lambda raw: b"",
             None, None, "file is empty"),
    DataCase("wrong encoding", N_("a file saved as Latin-1 instead of UTF-8"), "sw-encounters",
             _latin1_line(2), 2, None, "not valid UTF-8"),
    DataCase("non-ASCII digits", N_("a count written in Arabic-Indic digits (١٧ for 17)"), "sw-encounters",
             _replace_line(2, ",17", ",١٧"), 2, "encounter_count", "written with the digits 0-9",
             frictionless_accepts="frictionless reads the digits as the number 17 (Python's int() accepts them)"),
    DataCase("400-digit count", N_("a count 400 digits long"), "sw-encounters",
             _replace_line(2, ",17", ",1" + "0" * 399), 2, "encounter_count", "expected a value of at most 10000000"),
    DataCase("count too large", N_("a count above the bound of ten million per row"), "sw-encounters",
             _replace_line(2, ",17", ",17000000"), 2, "encounter_count", "expected a value of at most 10000000"),
    DataCase("blank lines", N_("blank lines before a bad row (the row number is still the file's line)"),
             "sw-encounters", _blank_lines_before(3, 2, _replace_line(4, "2019-10", "2019-13")),
             6, "month", "a month as YYYY-MM"),
    DataCase("month after the build", N_("a month later than the build's own date"), "sw-encounters",
             _replace_line(2, "2019-10", "2999-10"), 2, "month", "the month of this build"),
    DataCase("descriptor not an object", N_("datapackage.json holding [] instead of a package"), "sw-encounters",
             lambda descriptor: [], None, None, "expected an object with a 'resources' list", target="package"),
    DataCase("no resources", N_("datapackage.json without its list of resources"), "sw-encounters",
             _package_without("resources"), None, None, "expected a list of resources", target="package",
             key="resources"),
    DataCase("no schema", N_("a resource described without its Table Schema"), "sw-encounters",
             _resource_without("sw-encounters", "schema"), None, None, "expected a Table Schema",
             target="package", key=f"{_SW}.schema",
             frictionless_accepts="frictionless infers a schema from the data when none is given"),
    DataCase("misspelt type", N_("a field type misspelt in the schema ('intger')"), "sw-encounters",
             _field_type("sw-encounters", "encounter_count", "intger"), None, "encounter_count",
             "a type the project's checker does not implement", target="package",
             key=f"{_SW}.schema.fields[5].type"),
    DataCase("path is a directory", N_("a folder given where a CSV file is expected"), "sw-encounters",
             _as_directory, None, None, "is a directory; expected a CSV file", target="path"),
    DataCase("dangling link", N_("a symbolic link to a file that was deleted"), "sw-encounters",
             _as_dangling_link, None, None, "which does not exist; expected a CSV file", target="path"),
]


def prepare(case: DataCase, workdir: Path) -> Path:
    """Write the case's bad input under `workdir`; return the path to load: the data folder for
    package and hash cases, the CSV (or what stands in its place) otherwise."""
    workdir = Path(workdir)
    entry = resource(case.resource)
    original = (DATA_DIR / entry["path"]).read_bytes()
    if case.target == "package" or case.check_hash:
        copy = workdir / "data"
        copy.mkdir(parents=True, exist_ok=True)
        descriptor = json.loads((DATA_DIR / PACKAGE_FILE).read_text(encoding="utf-8"))
        if case.target == "package":
            descriptor = case.corrupt(descriptor)
        (copy / PACKAGE_FILE).write_text(json.dumps(descriptor, indent=2, ensure_ascii=False), encoding="utf-8")
        (copy / entry["path"]).write_bytes(case.corrupt(original) if case.check_hash else original)
        return copy
    path = workdir / Path(entry["path"]).name
    if case.target == "path":
        case.corrupt(path)
    else:
        path.write_bytes(case.corrupt(original))
    return path


def run(case: DataCase, workdir: Path) -> DataError:
    """Write the case's bad input and return the error loading it raises."""
    path = prepare(case, workdir)
    try:
        if path.is_dir() and case.target != "path":
            load(case.resource, data_dir=path)
        else:
            load_file(path, like=case.resource)
    except DataError as err:
        return err
    raise AssertionError(f"case {case.name!r}: loading the bad input raised no DataError")


# ---- chapter parameters ---------------------------------------------------------------------

CHAPTERS_DIR = Path(__file__).resolve().parents[3] / "chapters"


@cache
def defaults(chapter: str) -> dict:
    """The default values in the chapter's parameters cell."""
    return {p.name: ast.literal_eval(p.default) for p in citation.parameters(CHAPTERS_DIR / f"{chapter}.ipynb")}


# Each chapter's second cell calls its module's check_parameters; a case calls the same function
# with the chapter's defaults and some values replaced, so no case needs an adapter per chapter.
CHECKS = {
    "cooperation-and-funding": funding.check_parameters,
    "flow-statistics": flows.check_parameters,
    "rio-grande-dispute": barrier.check_parameters,
    "institutional-actors": actors.check_parameters,
}


@dataclass(frozen=True)
class ParameterCase:
    chapter: str  # the chapter's file stem
    name: str
    values: dict = field(hash=False)  # the bad parameter values, as `-p name value` would pass them
    parameter: str = ""  # the parameter the error must name
    expected: str = ""  # a phrase the message must contain


PARAMETER_CASES = [
    ParameterCase("cooperation-and-funding", N_("fiscal year as text"),
                  {"fiscal_year": "2023"}, "fiscal_year", "a whole number"),
    ParameterCase("cooperation-and-funding", N_("fiscal year not complete in the data"),
                  {"fiscal_year": 2025}, "fiscal_year", "the complete years in the data"),
    ParameterCase("cooperation-and-funding", N_("unknown country"),
                  {"countries": ["HONDURAS", "ATLANTIS"]}, "countries", "case is ignored"),
    ParameterCase("cooperation-and-funding", N_("one name instead of a list"),
                  {"countries": "CUBA"}, "countries", "a list of countries"),
    ParameterCase("flow-statistics", N_("malformed month"),
                  {"start": "2023-13"}, "start", "a month as a 'YYYY-MM' string"),
    ParameterCase("flow-statistics", N_("month outside the data"),
                  {"end": "2030-01"}, "end", "the months in the data"),
    ParameterCase("flow-statistics", N_("end before start"),
                  {"start": "2023-06", "end": "2023-01"}, "end", "a month not before start"),
    ParameterCase("flow-statistics", N_("unknown nationality"),
                  {"citizenships": ["MEXICO", "ATLANTIS"]}, "citizenships", "one of"),
    ParameterCase("flow-statistics", N_("unknown component"),
                  {"component": "CBP"}, "component", "one of 'all', 'USBP', 'OFO'"),
    ParameterCase("flow-statistics", N_("data file that does not exist"),
                  {"encounters_csv": "no-such-release.csv"}, "encounters_csv", "the schema of 'sw-encounters'"),
    ParameterCase("rio-grande-dispute", N_("empty output folder"),
                  {"output_dir": ""}, "output_dir", "a folder path"),
    ParameterCase("institutional-actors", N_("unknown kind of actor"),
                  {"kinds": ["person", "ministry"]}, "kinds", "a kind of actor from"),
    ParameterCase("institutional-actors", N_("one kind instead of a list"),
                  {"kinds": "person"}, "kinds", "a list of kinds of actor"),
    ParameterCase("institutional-actors", N_("unknown country"),
                  {"country": "Atlantis"}, "country", "None or one of"),
    ParameterCase("institutional-actors", N_("a selection with no actor"),
                  {"kinds": ["court"], "country": "Cuba"}, "country", "leaves at least one actor"),
]


def run_parameter_case(case: ParameterCase, checks: dict = CHECKS) -> ParameterError:
    """Call the chapter's check_parameters with its defaults and the bad values; return the ParameterError it raises."""
    try:
        checks[case.chapter](**{**defaults(case.chapter), **case.values})
    except ParameterError as err:
        return err
    raise AssertionError(f"case {case.chapter}: {case.name!r}: {case.values} raised no ParameterError")


# ---- the bad-input matrix -------------------------------------------------------------------

# The matrix's words, in one place for the catalogue; each case's description (`what`, a parameter
# case's `name`) is marked N_() where the case is defined. Error messages stay the code's own.
TEXT = {
    "data_case": N_("Data file: {what}"),
    "parameter_case": N_("Parameter of {chapter}: {name}, {values}"),
    "case": N_("Case"),
    "message": N_("Error message"),
}


def matrix(workdir: Path, lang: str | None = None) -> pd.DataFrame:
    """Every case in the catalogue with the message it gets today: columns 'Case', 'Error message'
    (in the edition's language LANG, as the case descriptions; the messages are the code's).

    Data cases write their corrupted files under `workdir`; the folder is left out of the
    messages so that the table reads the same in every build.
    """
    _ = i18n.translator(lang)
    workdir = Path(workdir)
    rows = []
    for case in DATA_CASES:
        folder = workdir / case.name.replace(" ", "-")
        folder.mkdir(parents=True, exist_ok=True)
        message = str(run(case, folder)).replace(str(folder) + "/", "")
        rows.append((_(TEXT["data_case"]).format(what=_(case.what)), message))
    for case in PARAMETER_CASES:
        values = ", ".join(f"{name}={value!r}" for name, value in case.values.items())
        rows.append((Markup(_(TEXT["parameter_case"]).format(
            chapter=escape(case.chapter), name=escape(_(case.name)), values=code(values))),
            str(run_parameter_case(case))))
    return pd.DataFrame(rows, columns=[_(TEXT["case"]), _(TEXT["message"])])
