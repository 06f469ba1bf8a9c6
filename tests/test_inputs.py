"""migration_report.build.inputs: what a notebook read, and when that has changed."""

import os
import subprocess
import sys
import textwrap

import pytest

from migration_report.build.inputs import (
    PROBE_REPORT,
    PROBE_START,
    NotebookInputs,
    environment_lock,
    inputs_from_report,
    parse_report,
    sha256,
)


@pytest.fixture
def book(tmp_path):
    root = tmp_path / "book"
    (root / "data").mkdir(parents=True)
    (root / "data" / "table.csv").write_text("a\n1\n", encoding="utf-8")
    (root / "helper.py").write_text("VALUE = 1\n", encoding="utf-8")
    (root / "_build").mkdir()
    outside = tmp_path / "elsewhere.csv"
    outside.write_text("x\n", encoding="utf-8")
    (root / "data" / "linked.csv").symlink_to(outside)
    return root


def probe(book, code):
    """Run `code` between the probe's two cells in a fresh interpreter, as a kernel would; its report."""
    script = PROBE_START + textwrap.dedent(code) + "\n" + PROBE_REPORT
    result = subprocess.run([sys.executable, "-c", script], cwd=book, capture_output=True, text=True, check=True,
                            env=dict(os.environ, PYTHONPATH=f"{book}{os.pathsep}{os.environ.get('PYTHONPATH', '')}"))
    return parse_report(result.stdout)


def test_the_probe_records_reads_and_imports_but_not_writes(book):
    report = probe(book, """
        open("data/table.csv").read()
        open("data/linked.csv").read()
        open("_build/written.txt", "w").write("out")
        import helper
    """)
    inputs = inputs_from_report(report, [book.resolve()], lock="lock")
    assert set(inputs.files) == {str(book / "data" / "table.csv"), str(book / "data" / "linked.csv"),
                                 str(book / "helper.py")}
    assert inputs.files[str(book / "data" / "linked.csv")] == sha256(book.parent / "elsewhere.csv")
    assert inputs.environment == {}  # migration_report.core.data was not imported


def test_the_probe_records_the_data_folder_variable_when_the_data_module_is_imported(book):
    report = probe(book, "import migration_report.core.data")
    assert "MIGRATION_REPORT_DATA" in report["environment"]


def recorded(book):
    report = probe(book, """
        open("data/table.csv").read()
        open("data/linked.csv").read()
        import helper
    """)
    return inputs_from_report(report, [book.resolve()], lock="lock")


def test_nothing_changed(book):
    assert recorded(book).changed("lock") is None


@pytest.mark.parametrize("edit, expected", [
    (lambda book: (book / "data" / "table.csv").write_text("a\n2\n"), "table.csv"),
    (lambda book: (book / "helper.py").write_text("VALUE = 2\n"), "helper.py"),
    (lambda book: (book.parent / "elsewhere.csv").write_text("y\n"), "linked.csv"),
    (lambda book: (book / "data" / "table.csv").unlink(), "table.csv"),
])
def test_a_changed_input_is_named(book, edit, expected):
    inputs = recorded(book)
    edit(book)
    assert inputs.changed("lock").endswith(expected)


def test_the_environment_lock_and_variables_count(book, monkeypatch):
    inputs = NotebookInputs(files={}, environment={"MIGRATION_REPORT_DATA": None}, lock="one")
    assert inputs.changed("one") is None
    assert "requirements.txt" in inputs.changed("two")
    monkeypatch.setenv("MIGRATION_REPORT_DATA", "/somewhere/else")
    assert inputs.changed("one") == "the environment variable MIGRATION_REPORT_DATA"
    assert NotebookInputs.from_json(inputs.to_json()) == inputs


def test_the_lock_is_the_books_requirements_else_the_repositorys(tmp_path):
    book, repo = tmp_path / "book", tmp_path / "repo"
    book.mkdir()
    repo.mkdir()
    (repo / "requirements.txt").write_text("pandas==2\n")
    assert environment_lock(book, repo) == sha256(repo / "requirements.txt")
    (book / "requirements.txt").write_text("pandas==3\n")
    assert environment_lock(book, repo) == sha256(book / "requirements.txt")
