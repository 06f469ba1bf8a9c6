"""The catalogue of bad input: each parameter case gets one clear error, and the matrix in the
maintainers appendix is the catalogue's messages (the data cases are run by test_data.py)."""

import dataclasses
import html
import re
from pathlib import Path

import pandas as pd
import pytest

from migration_report import ParameterError
from migration_report.build.failure_modes import (
    CHECKS, DATA_CASES, PARAMETER_CASES, ParameterCase, defaults, matrix, run_parameter_case,
)
from migration_report.core.params import Params

ROOT = Path(__file__).resolve().parents[1]
CHAPTER_STEMS = {p.stem for p in (ROOT / "chapters").glob("*.ipynb")}


@pytest.mark.parametrize("case", PARAMETER_CASES, ids=[f"{c.chapter}: {c.name}" for c in PARAMETER_CASES])
def test_bad_parameter_gets_one_error_naming_it(case):
    assert case.chapter in CHAPTER_STEMS
    error = run_parameter_case(case)
    assert isinstance(error, ParameterError)
    assert error.name == case.parameter
    message = str(error)
    assert message.startswith(f"parameter '{case.parameter}': got ")
    assert case.expected in message


@pytest.mark.parametrize("chapter", sorted(CHECKS))
def test_the_chapter_defaults_pass_the_same_checks_and_give_a_frozen_dataclass(chapter):
    checked = CHECKS[chapter](**defaults(chapter))  # a case's error comes from its bad value, not the check
    assert isinstance(checked, Params) and dataclasses.is_dataclass(checked)
    with pytest.raises(dataclasses.FrozenInstanceError):
        checked.output_dir = "elsewhere"
    # the default, read from the book's chapters/ folder: inside its _build/
    assert checked.output_dir == (ROOT / "chapters" / defaults(chapter)["output_dir"]).resolve()
    assert checked.output_dir.is_relative_to(ROOT / "_build")


def test_every_chapter_with_parameters_has_a_check():
    with_parameters = {stem for stem in CHAPTER_STEMS if "output_dir" in defaults(stem)}
    assert with_parameters == set(CHECKS)


def test_a_case_that_raises_nothing_is_reported():
    quiet = ParameterCase("flow-statistics", "no error", {"start": "2023-01"}, "start", "")
    with pytest.raises(AssertionError, match="raised no ParameterError"):
        run_parameter_case(quiet, checks={"flow-statistics": lambda **values: None})


def test_matrix_lists_every_case_once_and_reads_the_same_in_any_folder(tmp_path):
    first, second = matrix(tmp_path / "one"), matrix(tmp_path / "two")
    assert list(first.columns) == ["Case", "Error message"]
    assert len(first) == len(DATA_CASES) + len(PARAMETER_CASES)
    assert first["Case"].is_unique
    assert first.equals(second)
    assert not first["Error message"].str.contains(str(tmp_path)).any()


@pytest.mark.book
def test_the_book_shows_the_matrix_generated_from_the_catalogue(tmp_path):
    page = ROOT / "_build" / "html" / "chapters" / "maintainers.html"
    text = " ".join(html.unescape(re.sub(r"<[^>]+>", "", page.read_text(encoding="utf-8"))).split())
    for message in matrix(tmp_path)["Error message"]:
        shown = re.sub(r"\b([0-9a-f]{12})[0-9a-f]{52}\b", r"\1…", message)
        assert " ".join(shown.split()) in text, message


def test_the_notebooks_existing_calls_keep_working():
    from migration_report.chapters.institutional_actors import analysis as actors
    from migration_report.chapters.rio_grande_dispute import analysis as barrier
    from migration_report.chapters.flow_statistics import analysis as flows
    from migration_report.chapters.cooperation_and_funding import analysis as funding
    from migration_report import load, load_file

    encounters = load("sw-encounters")
    # cooperation-and-funding, cell 2
    chosen, year, figure_dir = funding.check_parameters(["cuba", "BELIZE"], 2023, "../_build/out", encounters)
    assert (chosen, year, str(figure_dir)) == (["CUBA", "BELIZE"], 2023, str(ROOT / "_build" / "out"))
    # flow-statistics, cell 2
    checked = flows.check_parameters("2023-01", "2023-06", ["MEXICO"], "USBP", None, "../_build/out", load, load_file)
    assert checked["encounters"] is checked.encounters and len(checked["encounters"]) == len(encounters)
    assert (checked["window_start"], checked["window_end"]) == (pd.Timestamp("2023-01-01"), pd.Timestamp("2023-06-01"))
    assert checked["citizenships"] == ["MEXICO"] and "CUBA" in checked["all_citizenships"]
    with pytest.raises(KeyError):
        checked["no_such_field"]
    # institutional-actors, cell 2
    kinds, country, selected, links = actors.check_parameters(["person"], None, "../_build/out", load("actors"), load("actor-links"))
    assert kinds == ["person"] and country is None and set(selected["kind"]) == {"person"}
    assert set(links["source"]) <= set(selected["id"]) and set(links["target"]) <= set(selected["id"])
    # rio-grande-dispute calls params.output_dir; its module check gives the same folder
    (folder,) = barrier.check_parameters("../_build/out")
    assert folder == ROOT / "_build" / "out"


def test_the_matrix_reads_in_the_editions_language_with_the_codes_messages(tmp_path):
    english, spanish = matrix(tmp_path / "en", lang="en"), matrix(tmp_path / "es", lang="es")
    assert list(spanish.columns) == ["Caso", "Mensaje de error"]
    assert spanish.iloc[5, 0] == "Archivo de datos: un mes que no existe"
    assert english.iloc[5, 0] == "Data file: a month that does not exist"
    first_parameter = len(DATA_CASES)
    assert spanish.iloc[first_parameter, 0] == (
        "Parámetro de cooperation-and-funding: año fiscal escrito como texto, ` fiscal_year='2023' `")
    assert spanish.iloc[:, 1].tolist() == english.iloc[:, 1].tolist()  # the errors are the code's own, as it gives them
