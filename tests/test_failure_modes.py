"""The catalogue of bad input: each parameter case gets one clear error, and the matrix in the
maintainers appendix is the catalogue's messages (the data cases are run by test_data.py)."""

import html
import re
from pathlib import Path

import pytest

from migration_report import ParameterError
from migration_report.failure_modes import DATA_CASES, PARAMETER_CASES, matrix, run_parameter_case

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


@pytest.mark.parametrize("check", sorted({c.check for c in PARAMETER_CASES}, key=lambda f: f.__name__))
def test_the_chapter_defaults_pass_the_same_checks(check):
    check()  # the error in each case comes from its bad value, not from the check itself


def test_a_case_that_raises_nothing_is_reported():
    quiet = PARAMETER_CASES[0].__class__("flow-statistics", "no error", lambda **values: None, {"start": "2023-01"},
                                         "start", "")
    with pytest.raises(AssertionError, match="raised no ParameterError"):
        run_parameter_case(quiet)


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
