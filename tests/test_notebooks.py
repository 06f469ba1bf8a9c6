"""Static checks on the book's sources: fast, no execution."""

import json
import re
from pathlib import Path

import pytest

from migration_report.core import book_structure
from migration_report import load, resource_names

ROOT = Path(__file__).resolve().parents[1]
CHAPTER_STEMS = ["cooperation-and-funding", "flow-statistics", "rio-grande-dispute", "institutional-actors"]
NOTEBOOKS = sorted((ROOT / "chapters").glob("*.ipynb"))


def toc_files():
    return book_structure.pages(ROOT)


def markdown_sources():
    for path in NOTEBOOKS:
        for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
            if cell["cell_type"] == "markdown":
                yield path, "".join(cell["source"])
    for path in (ROOT / "chapters").glob("*.md"):
        yield path, path.read_text(encoding="utf-8")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_is_committed_without_outputs(path):
    notebook = json.loads(path.read_text(encoding="utf-8"))
    for index, cell in enumerate(notebook["cells"]):
        if cell["cell_type"] == "code":
            assert cell["outputs"] == [], f"{path.name} cell {index} has outputs"
            assert cell["execution_count"] is None, f"{path.name} cell {index} has an execution count"


def test_toc_lists_the_chapter_stems_and_every_file_exists():
    files = toc_files()
    for stem in CHAPTER_STEMS + ["data-and-methods"]:
        assert f"chapters/{stem}" in files
    for file in files:
        assert any((ROOT / f"{file}{suffix}").is_file() for suffix in (".ipynb", ".md")), file


@pytest.mark.parametrize("stem", CHAPTER_STEMS)
def test_chapter_starts_with_what_it_needs_then_its_parameters(stem):
    notebook = json.loads((ROOT / "chapters" / f"{stem}.ipynb").read_text(encoding="utf-8"))
    first, *rest = notebook["cells"]
    assert first["cell_type"] == "code" and first["metadata"].get("tags") == ["remove-cell"]
    assert "check_notebook_needs(NEEDS)" in "".join(first["source"]) and f"NAME={stem}" in "".join(first["source"])
    parameters = next(c for c in rest if c["cell_type"] == "code")
    assert "parameters" in parameters["metadata"].get("tags", [])
    assert "output_dir" in "".join(parameters["source"])


def _first_cell(stem):
    return "".join(json.loads((ROOT / "chapters" / f"{stem}.ipynb").read_text(encoding="utf-8"))["cells"][0]["source"])


@pytest.mark.parametrize("stem", CHAPTER_STEMS)
def test_a_downloaded_notebook_says_what_it_needs_and_stops(stem, tmp_path):
    """Run where there is no book (no migration_report to import: Python without its site-packages), or with the
    book's code but no data package: the first cell stops with what the notebook needs."""
    import os
    import subprocess
    import sys

    source = _first_cell(stem)
    bare = subprocess.run([sys.executable, "-S", "-c", source], cwd=tmp_path, capture_output=True, text=True,
                          env={k: v for k, v in os.environ.items() if k != "PYTHONPATH"})
    assert bare.returncode == 1
    assert ("ModuleNotFoundError: This notebook is a chapter of the book \"Checking the claims: US–Mexico migration "
            "cooperation in 2023\". It runs only in the book's repository") in bare.stderr
    assert f"make chapter NAME={stem}" in bare.stderr and "Este cuaderno es un capítulo del libro" in bare.stderr
    no_data = subprocess.run([sys.executable, "-c", source], cwd=tmp_path, capture_output=True, text=True,
                             env={**os.environ, "MIGRATION_REPORT_DATA": str(tmp_path / "no-data")})
    assert no_data.returncode == 1
    assert "NotebookNeeds: This notebook is a chapter of the book" in no_data.stderr
    assert f"(there is no data package at {tmp_path / 'no-data' / 'datapackage.json'})" in no_data.stderr
    assert subprocess.run([sys.executable, "-c", source], cwd=ROOT / "chapters").returncode == 0  # in the book: on


def test_every_cited_key_is_in_references_bib(bib_keys):
    cited = set()
    for _path, text in markdown_sources():
        for group in re.findall(r"\{cite(?::\w+)?\}`([^`]+)`", text):
            cited.update(key.strip() for key in group.split(","))
    assert cited, "no citations found"
    assert cited - bib_keys == set()


def test_every_source_key_in_the_data_is_in_references_bib(bib_keys):
    for name in resource_names():
        frame = load(name)
        if "source_key" in frame:
            unknown = set(frame["source_key"].dropna()) - bib_keys
            assert not unknown, f"{name}: unknown source keys {sorted(unknown)}"


def test_every_claim_has_a_labelled_section_in_its_chapter():
    claims = load("article-claims")
    for claim in claims.itertuples():
        notebook = json.loads((ROOT / "chapters" / f"{claim.chapter}.ipynb").read_text(encoding="utf-8"))
        text = "\n".join("".join(c["source"]) for c in notebook["cells"] if c["cell_type"] == "markdown")
        assert f"(check-{claim.claim_id})=" in text, claim.claim_id


VERDICT_WORDS = re.compile(r"\b(?:partly supported|not supported|not verifiable|supported)\b", re.IGNORECASE)


def test_no_chapter_types_or_decides_a_verdict():
    """Verdicts come from claims.register(): a chapter's prose glues them and its code never picks one."""
    for path in sorted((ROOT / "chapters").glob("*.ipynb")):
        notebook = json.loads(path.read_text(encoding="utf-8"))
        for cell in notebook["cells"]:
            text = "".join(cell["source"])
            if cell["cell_type"] == "markdown":
                for line in text.splitlines():
                    # the register's rules are glued; a verdict stated in prose must be a glue role
                    assert not re.search(r"\*\*Verdict[^*]*:\*?\*?\s*(?:partly|not|supported)", line), (path.name, line)
                    assert not re.search(r"verdict[^.]*\b(?:is|as)\s+\*?(?:partly supported|not supported|not verifiable)", line, re.I), (path.name, line)
                    assert not re.search(r"\*(?:partly supported|not supported|not verifiable|supported)\*", line), (path.name, line)
            else:
                strings = re.findall(r"[\"']([^\"'\n]*)[\"']", text)
                assert not [s for s in strings if VERDICT_WORDS.fullmatch(s.strip())], (path.name, strings)
