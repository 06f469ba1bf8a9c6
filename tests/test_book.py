"""Checks on the built book, and on the build's behaviour when something goes wrong.

Run by `make test` after `make pdf` and `make book` (marker `book`).
"""

import json
import os
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
HTML = ROOT / "_build" / "html"
PAGES = ["introduction", "cooperation-and-funding", "flow-statistics", "rio-grande-dispute",
         "institutional-actors", "claim-register", "data-and-methods", "how-to-cite", "references"]

pytestmark = pytest.mark.book


class ImageCollector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.images = []

    def handle_starttag(self, tag, attrs):
        if tag == "img":
            self.images.append(dict(attrs))


def test_every_chapter_page_exists():
    assert (HTML / "index.html").is_file()
    for stem in PAGES:
        assert (HTML / "chapters" / f"{stem}.html").is_file(), stem


@pytest.mark.parametrize("stem", PAGES)
def test_page_has_no_traceback_and_every_image_has_alt_text(stem):
    page = (HTML / "chapters" / f"{stem}.html").read_text(encoding="utf-8")
    assert "Traceback" not in page and 'class="output traceback' not in page and "output error" not in page
    collector = ImageCollector()
    collector.feed(page)
    for image in collector.images:
        if "logo" in image.get("class", ""):
            continue
        assert image.get("alt", "").strip(), f"{stem}: image without alt text: {image.get('src')}"
        assert (HTML / "chapters" / image["src"]).resolve().is_file(), image["src"]


def test_pdf_was_built():
    pdf = ROOT / "_build" / "latex" / "book.pdf"
    assert pdf.is_file() and pdf.stat().st_size > 50_000


# ---- the build machinery, on a two-page book made here --------------------------------------

def notebook(title, *sources):
    return {
        "cells": [{"cell_type": "markdown", "metadata": {}, "source": f"# {title}"}]
        + [{"cell_type": "code", "metadata": {}, "execution_count": None, "outputs": [], "source": s}
           for s in sources],
        "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
        "nbformat": 4, "nbformat_minor": 4,
    }


@pytest.fixture
def small_book(tmp_path):
    book = tmp_path / "book"
    (book / "data").mkdir(parents=True)
    shutil.copy(ROOT / "_config.yml", book / "_config.yml")
    shutil.copy(ROOT / "references.bib", book / "references.bib")
    shutil.copytree(ROOT / "_static", book / "_static")
    (book / "_toc.yml").write_text("format: jb-book\nroot: index\nchapters:\n  - file: reads\n", encoding="utf-8")
    (book / "index.md").write_text("# Small book\n", encoding="utf-8")
    (book / "data" / "value.txt").write_text("first value\n", encoding="utf-8")
    reads = notebook("Reads", "print(open('data/value.txt').read().strip())")
    (book / "reads.ipynb").write_text(json.dumps(reads), encoding="utf-8")
    return book


def build(book):
    env = dict(os.environ, BOOK_ROOT=str(book))
    return subprocess.run([str(ROOT / "scripts" / "build-book"), "html"], env=env, capture_output=True, text=True)


def test_a_raising_cell_fails_the_build_and_publishes_nothing(small_book):
    (small_book / "_toc.yml").write_text(
        "format: jb-book\nroot: index\nchapters:\n  - file: reads\n  - file: fails\n", encoding="utf-8")
    fails = notebook("Fails", "raise ValueError('a cell that fails')")
    (small_book / "fails.ipynb").write_text(json.dumps(fails), encoding="utf-8")
    result = build(small_book)
    assert result.returncode != 0
    output = result.stdout + result.stderr
    assert "fails.ipynb" in output and "a cell that fails" in output
    assert "nothing was published to _build/html" in output
    assert not (small_book / "_build" / "html").exists()


def test_changing_a_data_file_re_executes_the_notebooks(small_book):
    first = build(small_book)
    assert first.returncode == 0, first.stdout + first.stderr
    page = small_book / "_build" / "html" / "reads.html"
    assert "first value" in page.read_text(encoding="utf-8")

    unchanged = build(small_book)
    assert "Executing" not in unchanged.stdout + unchanged.stderr

    (small_book / "data" / "value.txt").write_text("second value\n", encoding="utf-8")
    second = build(small_book)
    assert second.returncode == 0, second.stdout + second.stderr
    assert "clearing the execution cache" in second.stdout
    assert "second value" in page.read_text(encoding="utf-8")


def test_bibliography_has_no_unused_or_unknown_keys_and_lists_every_data_source():
    from pybtex.database import parse_file

    from migration_report import load, resource_names

    cited = set(json.loads((ROOT / "_build" / "staging-html" / "_build" / "cited-keys.json").read_text()))
    in_bib = set(parse_file(ROOT / "references.bib").entries)
    assert cited == in_bib
    for name in resource_names():
        frame = load(name)
        if "source_key" in frame:
            assert set(frame["source_key"].dropna()) <= cited, name


def test_pdf_has_every_chapter_and_the_bibliography():
    text = subprocess.run(["pdftotext", str(ROOT / "_build" / "latex" / "book.pdf"), "-"],
                          capture_output=True, text=True, check=True).stdout
    pages = subprocess.run(["pdfinfo", str(ROOT / "_build" / "latex" / "book.pdf")],
                           capture_output=True, text=True, check=True).stdout
    page_count = int(next(line.split()[-1] for line in pages.splitlines() if line.startswith("Pages:")))
    assert page_count >= 40
    for title in ["Introduction", "Cooperation and funding", "Flow statistics", "The Rio Grande dispute",
                  "Institutional actors", "Claim register", "Data and methods", "How to cite", "Bibliography"]:
        assert title.upper() in text.upper(), title
    assert "Bárcena" in text  # accented names survive xelatex
    assert "Cite this chapter" in text and "Re-run this chapter" in text


def test_html_links_the_pdf():
    page = (HTML / "chapters" / "introduction.html").read_text(encoding="utf-8")
    assert 'href="../book.pdf"' in page
    assert (HTML / "book.pdf").stat().st_size == (ROOT / "_build" / "latex" / "book.pdf").stat().st_size


def test_pdf_reads_like_a_report():
    # Contents titled as such, appendices lettered, one bibliography titled References, no index.
    text = subprocess.run(["pdftotext", str(ROOT / "_build" / "latex" / "book.pdf"), "-"],
                          capture_output=True, text=True, check=True).stdout
    assert "CONTENTS" in text and "CHAPTERS" not in text
    assert "A Claim register" in text and "5 Claim register" not in text
    assert "BIBLIOGRAPHY" not in text and "INDEX" not in text
    assert text.count("REFERENCES") == 1
