"""The appendices carry the same letters in the HTML as in the PDF, and nothing runs off a PDF page."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from migration_report.sphinx.appendix import appendix_letters, letter_appendix_numbers, unletter_appendix_numbers
from migration_report.core.book_structure import appendix_docnames

ROOT = Path(__file__).resolve().parents[1]
HTML = ROOT / "_build" / "html"
PDF = ROOT / "_build" / "latex" / "book.pdf"


def test_appendices_are_lettered_in_reading_order():
    letters = appendix_letters(ROOT)
    assert list(letters) == appendix_docnames(ROOT)
    assert letters[appendix_docnames(ROOT)[0]] == "A" and "chapters/references" not in letters
    assert "".join(letters.values()) == "ABCDEFGH"[:len(letters)]


def test_sphinx_sees_the_numbers_it_assigned_so_an_unchanged_appendix_is_not_written_again():
    """Sphinx's toctree collector compares the numbers it assigns with those of the last build; the
    letters are put back to its own numbers before it compares, and lettered again after."""
    from types import SimpleNamespace

    docname = "chapters/corrections"
    letter = appendix_letters(ROOT)[docname]
    app = SimpleNamespace(srcdir=str(ROOT), builder=SimpleNamespace(format="html"))
    assigned = {"table": {"tab-corrections": (1,), "tab-other": (2,)}}
    env = SimpleNamespace(toc_fignumbers={docname: {"table": dict(assigned["table"])}, "chapters/intro": {}})
    for build in range(2):  # the first build, and a rebuild with nothing changed
        unletter_appendix_numbers(app, env)
        if build:
            assert env.toc_fignumbers[docname] == assigned  # what the collector compares its numbers with
        env.toc_fignumbers[docname] = {"table": dict(assigned["table"])}  # the collector assigns them again
        letter_appendix_numbers(app, env)
        assert env.toc_fignumbers[docname] == {"table": {"tab-corrections": (letter, 1), "tab-other": (letter, 2)}}


def _soup(path: Path) -> BeautifulSoup:
    if not path.is_file():
        pytest.fail(f"{path} is missing: build the book first")
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


@pytest.mark.book
def test_html_appendix_headings_and_navigation_carry_the_pdfs_letters():
    nav = _soup(HTML / "chapters" / "introduction.html").select_one("nav.bd-docs-nav")
    entries = {a["href"].split("#")[0].removesuffix(".html"): " ".join(a.get_text().split()) for a in nav.select("a")}
    for docname, letter in appendix_letters(ROOT).items():
        stem = docname.removeprefix("chapters/")
        heading = " ".join(_soup(HTML / f"{docname}.html").find("h1").get_text().split())
        assert re.match(rf"{letter}\. \w", heading), (docname, heading)
        assert entries[stem] == heading.rstrip("#").strip(), (stem, entries[stem])
    assert not entries["references"].startswith(tuple(f"{c}. " for c in "ABCDEFG"))


@pytest.mark.book
def test_html_appendix_tables_are_numbered_by_the_appendix_letter_as_in_the_pdf():
    for page, word in (("chapters/corrections.html", "Table"), ("es/chapters/corrections.html", "Tabla")):
        if page.startswith("es/") and not (HTML / page).is_file():
            continue  # the Spanish edition was not built
        letter = appendix_letters(ROOT)["chapters/corrections"]
        numbers = [" ".join(span.get_text().split()) for span in _soup(HTML / page).select("caption .caption-number")]
        assert numbers == [f"{word} {letter}.1"], (page, numbers)
    assert f"Table {appendix_letters(ROOT)['chapters/corrections']}.1" in subprocess.run(
        ["pdftotext", str(PDF), "-"], capture_output=True, text=True, check=True).stdout


def _words(pdf: Path):
    """(page number, page width, word, right edge) of every word, from pdftotext -bbox."""
    text = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    for number, (width, body) in enumerate(re.findall(r'<page width="([\d.]+)" height="[\d.]+">(.*?)</page>', text, re.S), 1):
        for right, word in re.findall(r'xMax="([\d.]+)" yMax="[\d.]+">(.*?)</word>', body):
            yield number, float(width), word, float(right)


@pytest.mark.book
def test_no_word_of_the_pdf_runs_off_the_page():
    # Half an inch from the paper's edge: the reference list's unbroken URLs reached 613 pt on a
    # 612 pt page. (Long file names in data-and-methods still pass the text block's edge, by less.)
    if not PDF.is_file():
        pytest.fail(f"{PDF} is missing: scripts/build-book pdf")
    beyond = [(n, w[:60], round(r)) for n, width, w, r in _words(PDF) if r > width - 36]
    assert not beyond, beyond
