"""Checks on the built book, and on the build's behaviour when something goes wrong.

Run by `make test` after `make pdf` and `make book` (marker `book`).
"""

import json
import os
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import copied_checkout

ROOT = Path(__file__).resolve().parents[1]
HTML = ROOT / "_build" / "html"
PAGES = ["introduction", "cooperation-and-funding", "flow-statistics", "rio-grande-dispute",
         "institutional-actors", "about", "claim-register", "data-and-methods", "how-to-cite", "references"]

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


def test_a_failing_spanish_edition_publishes_neither_edition(small_book):
    # That both editions build side by side and are published together is what every `make book`
    # does (tests/test_editions_book.py checks the result); here, the Spanish one fails alone.
    (small_book / "_toc.yml").write_text(
        "format: jb-book\nroot: index\nchapters:\n  - file: reads\n  - file: edition\n", encoding="utf-8")
    edition = notebook("Edition", "import os\n"
                       "assert os.environ.get('MIGRATION_REPORT_LANGUAGE', 'en') == 'en', 'not ready in Spanish'")
    (small_book / "edition.ipynb").write_text(json.dumps(edition), encoding="utf-8")
    env = dict(os.environ, BOOK_ROOT=str(small_book), BOOK_EDITIONS="en es")
    failed = subprocess.run([str(ROOT / "scripts" / "build-book"), "html"], env=env, capture_output=True, text=True)
    assert failed.returncode == 1
    assert "not ready in Spanish" in failed.stdout and "the Spanish edition (html)" in failed.stdout
    assert "error: the Spanish HTML build failed" in failed.stderr and "English HTML build failed" not in failed.stderr
    assert not (small_book / "_build" / "html").exists()


def spanish_only_citations() -> set[str]:
    """The keys the Spanish catalogues cite that their English messages do not."""
    from babel.messages.pofile import read_po

    role = re.compile(r"\{cite(?::\w+)?\}`([^`]+)`")
    keys = set()
    for path in (ROOT / "locales" / "es" / "LC_MESSAGES").rglob("*.po"):
        with path.open("rb") as handle:
            for message in read_po(handle):
                if isinstance(message.id, str) and message.string:
                    english = {k.strip() for found in role.findall(message.id) for k in found.split(",")}
                    keys |= {k.strip() for found in role.findall(message.string) for k in found.split(",")} - english
    return keys


def test_bibliography_has_no_unused_or_unknown_keys_and_lists_every_data_source():
    from pybtex.database import parse_file

    from migration_report import load, resource_names

    cited = set(json.loads((ROOT / "_build" / "staging-html" / "_build" / "cited-keys.json").read_text()))
    in_bib = set(parse_file(ROOT / "references.bib").entries)
    # A source only the Spanish edition cites (CBP's Spanish page, for the official Spanish names)
    # is cited in a Spanish translation, whether or not that edition is built here.
    assert cited | spanish_only_citations() == in_bib
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
                  "Institutional actors", "Claim register", "Data and methods", "How to cite", "References"]:
        assert title.upper() in text.upper(), title
    assert "Bárcena" in text  # accented names survive xelatex
    assert "Cite this chapter" in text and "Re-running and re-using the book".upper() in text.upper()


def test_html_links_the_pdf():
    page = (HTML / "chapters" / "introduction.html").read_text(encoding="utf-8")
    assert 'href="../book.pdf"' in page
    assert (HTML / "book.pdf").stat().st_size == (ROOT / "_build" / "latex" / "book.pdf").stat().st_size


def cached_notebook_files(book):
    return sorted((book / "_build" / ".jupyter_cache" / "executed").glob("*/base.ipynb"))


@pytest.mark.parametrize("damage", ["empty cached notebook", "damaged database"])
def test_a_damaged_execution_cache_is_discarded_and_the_notebook_re_executed(small_book, damage):
    first = build(small_book)
    assert first.returncode == 0, first.stdout + first.stderr
    if damage == "empty cached notebook":
        [cached] = cached_notebook_files(small_book)
        cached.write_text("", encoding="utf-8")  # what a build killed mid-write leaves
        expected = "the cached reads.ipynb is unreadable"
    else:
        (small_book / "_build" / ".jupyter_cache" / "global.db").write_bytes(b"not a database" * 50)
        expected = "global.db is damaged"
    again = build(small_book)
    output = again.stdout + again.stderr
    assert again.returncode == 0, output
    assert expected in output and "Executed reads" in output
    assert "first value" in (small_book / "_build" / "html" / "reads.html").read_text(encoding="utf-8")


# ---- the published book survives failures, concurrent builds and interruptions --------------

def tree_bytes(folder):
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def add_page(book, stem, page, suffix=".ipynb"):
    toc = (book / "_toc.yml").read_text(encoding="utf-8")
    (book / "_toc.yml").write_text(toc + f"  - file: {stem}\n", encoding="utf-8")
    (book / f"{stem}{suffix}").write_text(page, encoding="utf-8")


BREAKAGES = {
    "a failing notebook": ("fails", json.dumps(notebook("Fails", "raise ValueError('a cell that fails')")), ".ipynb"),
    "a Sphinx warning": ("warns", "# Warns\n\nSee {ref}`a-label-that-does-not-exist`.\n", ".md"),
}
NAMED = {"a failing notebook": ("fails.ipynb", "a cell that fails"),  # what the build's messages must name
         "a Sphinx warning": ("warns.md", "a-label-that-does-not-exist")}


# `cp` as on a full disk: the copy beside the published book is made, then the write fails.
FULL_DISK_CP = """#!/bin/bash
for target; do :; done
case "$target" in
  *.new) /bin/cp "$@"; echo "cp: error writing '$target/index.html': No space left on device" >&2; exit 1 ;;
esac
exec /bin/cp "$@"
"""


@pytest.mark.parametrize("breakage", BREAKAGES)
def test_a_failed_build_leaves_the_last_good_book_byte_identical(small_book, breakage, tmp_path):
    if breakage == "a Sphinx warning":  # once: a copy that fails at the swap is removed, nothing is published
        (tmp_path / "bin").mkdir()
        (tmp_path / "bin" / "cp").write_text(FULL_DISK_CP, encoding="utf-8")
        (tmp_path / "bin" / "cp").chmod(0o755)
        env = dict(os.environ, BOOK_ROOT=str(small_book), PATH=f"{tmp_path / 'bin'}:{os.environ['PATH']}")
        full = subprocess.run([str(ROOT / "scripts" / "build-book"), "html"], env=env, capture_output=True, text=True)
        assert full.returncode == 1, full.stdout + full.stderr
        assert "No space left on device" in full.stderr and "the partial copy was removed" in full.stderr
        assert not (small_book / "_build" / "html.new").exists() and not (small_book / "_build" / "html").exists()
    good = build(small_book)
    assert good.returncode == 0, good.stdout + good.stderr
    html = small_book / "_build" / "html"
    before = tree_bytes(html)
    add_page(small_book, *BREAKAGES[breakage])
    for attempt in range(2):  # and a rebuild of the same sources fails again: no stale "up to date"
        failed = build(small_book)
        assert failed.returncode != 0, f"attempt {attempt}: " + failed.stdout + failed.stderr
        assert "still holds the last good build" in failed.stderr
        assert all(name in failed.stdout + failed.stderr for name in NAMED[breakage]), failed.stdout + failed.stderr
        assert tree_bytes(html) == before
    assert not list((small_book / "_build").glob("html.*"))


def test_a_second_build_waits_for_the_first_and_nothing_is_nested(small_book):
    env = dict(os.environ, BOOK_ROOT=str(small_book))
    command = [str(ROOT / "scripts" / "build-book"), "html"]
    builds = [subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
              for _ in range(2)]
    outputs = [b.communicate(timeout=300)[0] for b in builds]
    assert [b.returncode for b in builds] == [0, 0], outputs
    assert any("Another build of this book holds _build/.lock; waiting" in out for out in outputs)
    html = small_book / "_build" / "html"
    assert (html / "reads.html").is_file()
    assert not (html / "html").exists() and not list((small_book / "_build").glob("html.*"))


def test_a_build_stops_with_a_clear_message_when_the_lock_stays_taken(small_book):
    import fcntl

    (small_book / "_build").mkdir()
    with open(small_book / "_build" / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # the same flock(2) lock as util-linux flock takes
        env = dict(os.environ, BOOK_ROOT=str(small_book), BUILD_LOCK_WAIT="1")
        result = subprocess.run([str(ROOT / "scripts" / "build-book"), "html"], env=env,
                                capture_output=True, text=True, timeout=60)
    assert result.returncode == 75
    assert "another build of this book is still running after 1 s" in result.stderr
    assert not (small_book / "_build" / "html").exists()


def is_kernel(pid, command_line):
    """Whether the process is a notebook's kernel: one the build forked from its kernel server (named
    "ipykernel") or one MyST-NB started (`python -m ipykernel_launcher`)."""
    try:
        name = Path(f"/proc/{pid}/comm").read_text().strip()
    except OSError:
        return False
    return name == "ipykernel" or "ipykernel_launcher" in command_line


def marked_processes(marker):
    """PIDs of live processes whose environment holds TEST_BUILD_MARKER=<marker>, with their command lines."""
    found = {}
    for environ in Path("/proc").glob("[0-9]*/environ"):
        try:
            if f"TEST_BUILD_MARKER={marker}".encode() in environ.read_bytes().split(b"\0"):
                found[environ.parent.name] = (environ.parent / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
    return found


@pytest.mark.parametrize("phase", ["execution", "sphinx"])
@pytest.mark.parametrize("signal_name", ["SIGINT", "SIGTERM"])
def test_a_signal_ends_every_process_of_the_build_and_keeps_the_book(small_book, phase, signal_name, tmp_path):
    import signal
    import time
    import uuid

    good = build(small_book)
    assert good.returncode == 0, good.stdout + good.stderr
    html = small_book / "_build" / "html"
    before = tree_bytes(html)
    if phase == "sphinx":  # Sphinx executes the notebooks itself, so the kernel runs under Sphinx
        config = small_book / "_config.yml"
        config.write_text(config.read_text(encoding="utf-8").replace("execute_notebooks: cache",
                                                                      "execute_notebooks: force"), encoding="utf-8")
    add_page(small_book, "slow", json.dumps(notebook("Slow", "import time\ntime.sleep(120)")))
    marker = uuid.uuid4().hex
    env = dict(os.environ, BOOK_ROOT=str(small_book), TEST_BUILD_MARKER=marker)
    log = open(tmp_path / "build.log", "w")
    # A shell cannot trap a signal it was started with ignored, and a test run started in the
    # background (`make test &`) ignores SIGINT: the build starts with the default, as from a terminal.
    process = subprocess.Popen([str(ROOT / "scripts" / "build-book"), "html"], env=env, stdout=log,
                               stderr=subprocess.STDOUT,
                               preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    try:
        deadline = time.monotonic() + 120
        while not any(is_kernel(pid, cmd) for pid, cmd in marked_processes(marker).items()):
            assert process.poll() is None, (tmp_path / "build.log").read_text()
            assert time.monotonic() < deadline, "no kernel started"
            time.sleep(0.2)
        time.sleep(1)  # let the kernel start running the slow cell
        process.send_signal(getattr(signal, signal_name))
        returncode = process.wait(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
        log.close()
    output = (tmp_path / "build.log").read_text()
    assert returncode == 128 + getattr(signal, signal_name), output
    assert f"Build interrupted by {signal_name}" in output
    assert marked_processes(marker) == {}, output
    assert tree_bytes(html) == before


# ---- figure data come from the execution that drew the figure --------------------------------

FIGURE_CELL = """import pandas as pd
from myst_nb import glue
from migration_report.core.outputs import figure_data
value = open('data/value.txt').read().strip()
glue("fig-data", figure_data(pd.DataFrame({"value": [value]}), "_build/figure-data/figure", "fig-value"), display=False)"""


def test_figure_data_downloads_come_from_the_same_execution(small_book):
    page = notebook("Figure", FIGURE_CELL)
    page["cells"].append({"cell_type": "markdown", "metadata": {}, "source": "Caption. {glue:md}`fig-data:myst`"})
    add_page(small_book, "figure", json.dumps(page))
    first = build(small_book)
    assert first.returncode == 0, first.stdout + first.stderr
    html = small_book / "_build" / "html"
    download = html / "_downloads" / "figure-data" / "figure" / "fig-value.csv"
    assert download.read_text(encoding="utf-8") == "\ufeffvalue\nfirst value\n"
    assert 'href="_downloads/figure-data/figure/fig-value.csv"' in (html / "figure.html").read_text(encoding="utf-8")

    # Another run's side file (papermill, other parameters) is not what the book publishes ...
    side_file = small_book / "_build" / "figure-data" / "figure" / "fig-value.csv"
    side_file.write_text("value\nanother run\n", encoding="utf-8")
    assert build(small_book).returncode == 0
    assert download.read_text(encoding="utf-8") == "\ufeffvalue\nfirst value\n"
    # ... and the book needs nothing from that folder, even after a clean Sphinx build.
    shutil.rmtree(small_book / "_build" / "figure-data")
    shutil.rmtree(small_book / "_build" / "staging-html")
    again = build(small_book)
    assert again.returncode == 0, again.stdout + again.stderr
    assert "Executing" not in again.stdout
    assert download.read_text(encoding="utf-8") == "\ufeffvalue\nfirst value\n"


# ---- each notebook executes again exactly when something it read has changed -----------------

def executed(result):
    import re

    return set(re.findall(r"^  Executed (\S+) in ", result.stdout, flags=re.M))


def test_each_notebook_re_executes_exactly_when_its_own_inputs_change(small_book, tmp_path):
    from migration_report import resource_names

    target = tmp_path / "target.txt"
    target.write_text("linked one\n", encoding="utf-8")
    (small_book / "data" / "link.txt").symlink_to(target)
    (small_book / "helper.py").write_text("VALUE = 'helper one'\n", encoding="utf-8")
    shutil.copy(ROOT / "CITATION.cff", small_book / "CITATION.cff")
    resource = resource_names()[0]
    pages = {
        "follows": "print(open('data/link.txt').read().strip())",
        "imports": "import helper\nprint(helper.VALUE)",
        "cites": "print(len(open('CITATION.cff').read()))",
        "loads": f"from migration_report import load\nprint(len(load({resource!r})))",
    }
    for stem, source in pages.items():
        add_page(small_book, stem, json.dumps(notebook(stem.title(), source)))
    everything = {"reads"} | set(pages)

    def rebuild(expected, **environment):
        result = subprocess.run([str(ROOT / "scripts" / "build-book"), "html"], capture_output=True, text=True,
                                env=dict(os.environ, BOOK_ROOT=str(small_book), **environment))
        assert result.returncode == 0, result.stdout + result.stderr
        assert executed(result) == expected, result.stdout
        return result

    rebuild(everything)
    unchanged = rebuild(set())
    assert "Executing" not in unchanged.stdout + unchanged.stderr
    # Three kinds of input change at once; each re-executes its own reader and no other notebook.
    (small_book / "data" / "value.txt").write_text("second value\n", encoding="utf-8")
    target.write_text("linked two\n", encoding="utf-8")  # the target of a symlinked data file
    (small_book / "helper.py").write_text("VALUE = 'helper two'\n", encoding="utf-8")
    changed = rebuild({"reads", "follows", "imports"})
    assert "reads: data/value.txt changed since it executed; executing it again" in changed.stdout
    assert "second value" in (small_book / "_build" / "html" / "reads.html").read_text(encoding="utf-8")
    assert "linked two" in (small_book / "_build" / "html" / "follows.html").read_text(encoding="utf-8")
    assert "helper two" in (small_book / "_build" / "html" / "imports.html").read_text(encoding="utf-8")
    with open(small_book / "CITATION.cff", "a", encoding="utf-8") as cff:
        cff.write("# a comment changes the file\n")
    add_page(small_book, "notes", "# Notes\n", suffix=".md")  # _toc.yml changes too; no notebook reads it
    rebuild({"cites"})
    data_copy = tmp_path / "data-copy"
    shutil.copytree(ROOT / "data", data_copy)
    rebuild({"loads"}, MIGRATION_REPORT_DATA=str(data_copy))
    (small_book / "requirements.txt").write_text("pandas==0.0.0\n", encoding="utf-8")  # the environment lock
    rebuild(everything, MIGRATION_REPORT_DATA=str(data_copy))


def test_two_clean_builds_are_byte_identical_and_dated_by_source_date_epoch(small_book, tmp_path):
    commit = subprocess.run(["git", "-C", str(ROOT), "log", "-1", "--format=%ct"], capture_output=True,
                            text=True, check=True).stdout.strip()
    copies = {"commit": tmp_path / "commit" / "book", "epoch-0": tmp_path / "epoch-0" / "book"}
    for copy in copies.values():
        shutil.copytree(small_book, copy)
    # The third build is made by a copied checkout whose .venv is this one's (`cp -a`): it builds with its
    # own code, which a page of that book shows (before, the editable install gave it this checkout's).
    checkout = copied_checkout(tmp_path / "checkout")
    add_page(copies["epoch-0"], "which", json.dumps(notebook("Which", "import migration_report\nprint(migration_report.__file__)")))
    without_path = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    builds = [(ROOT, small_book, os.environ), (ROOT, copies["commit"], dict(os.environ, SOURCE_DATE_EPOCH=commit)),
              (checkout, copies["epoch-0"], dict(without_path, SOURCE_DATE_EPOCH="0"))]
    for repository, book, environment in builds:
        result = subprocess.run([str(repository / "scripts" / "build-book"), "html"], capture_output=True, text=True,
                                env=dict(environment, BOOK_ROOT=str(book)))
        assert result.returncode == 0, result.stdout + result.stderr
    which = (copies["epoch-0"] / "_build" / "html" / "which.html").read_text(encoding="utf-8")
    assert str(checkout / "src" / "migration_report" / "__init__.py") in which
    # by default the date is the last commit's: the same bytes as a build told that time
    first, second = tree_bytes(small_book / "_build" / "html"), tree_bytes(copies["commit"] / "_build" / "html")
    assert first.keys() == second.keys()
    assert [name for name in first if first[name] != second[name]] == []
    dated = (copies["epoch-0"] / "_build" / "html" / "reads.html").read_text(encoding="utf-8")
    assert "Last updated on 1 January 1970." in dated


def test_pdf_reads_like_a_report():
    # Contents titled as such, appendices lettered, one bibliography titled References, no index.
    text = subprocess.run(["pdftotext", str(ROOT / "_build" / "latex" / "book.pdf"), "-"],
                          capture_output=True, text=True, check=True).stdout
    assert "CONTENTS" in text and "CHAPTERS" not in text
    assert "A About this book" in text and "B Claim register" in text and "5 Claim register" not in text
    assert "BIBLIOGRAPHY" not in text and "INDEX" not in text
    assert text.count("REFERENCES") == 1


def test_no_line_of_the_pdf_runs_past_its_column():
    # TeX's "Overfull \hbox" is a line wider than its box: text running into the next table
    # column or the margin. There were 19 (narrow table columns, a version number, a header word)
    # before the table columns got a minimum width (migration_report.sphinx.pdf_layout.PDF_TABLE_COLUMNS).
    logs = [ROOT / "_build" / "latex" / "book.log", ROOT / "_build" / "latex" / "es" / "book-es.log"]
    assert logs[0].is_file()
    overfull = []
    for path in filter(Path.is_file, logs):  # the Spanish PDF's, when it was built
        log = path.read_text(encoding="utf-8", errors="replace")
        assert f"Output written on {path.stem}.pdf" in log
        overfull += [f"{path.name}: {width} pt: {text}" for width, text in
                     re.findall(r"^Overfull \\hbox \(([\d.]+)pt too wide\)[^\n]*\n([^\n]*)", log, re.MULTILINE)]
    assert overfull == [], "\n".join(overfull)


def test_pdf_has_each_chart_as_an_image_and_no_hover_hint():
    """Every figure of the HTML book is in the PDF as an image (an interactive chart as its PNG, a
    static figure as its PDF drawing), numbered the same; the HTML's hover hint is not there."""
    from migration_report.core import charts

    html_figures = sum(len(re.findall(r'<figure class="[^"]*" id="fig-', p.read_text(encoding="utf-8")))
                       for p in (ROOT / "_build" / "html" / "chapters").glob("*.html"))
    charts_in_html = sum(p.read_text(encoding="utf-8").count('class="vega-charts"')
                         for p in (ROOT / "_build" / "html" / "chapters").glob("*.html"))
    tex = (ROOT / "_build" / "latex" / "book.tex").read_text(encoding="utf-8")
    # Sphinx writes \sphinxincludegraphics{{<name>}.png}
    graphics = re.findall(r"includegraphics(?:\[[^\]]*\])?\{\{([^}]+)\}(\.\w+)\}", tex)
    pngs = [name for name, ext in graphics if ext == ".png"]
    assert html_figures and len(re.findall(r"\\begin\{figure\}", tex)) == html_figures
    assert len(pngs) >= charts_in_html > 0, (len(pngs), charts_in_html)
    listing = subprocess.run(["pdfimages", "-list", str(ROOT / "_build" / "latex" / "book.pdf")],
                             capture_output=True, text=True, check=True).stdout
    assert len([line for line in listing.splitlines()[2:] if " image " in line]) >= charts_in_html
    text = subprocess.run(["pdftotext", str(ROOT / "_build" / "latex" / "book.pdf"), "-"],
                          capture_output=True, text=True, check=True).stdout
    assert charts.TEXT["hint"][:30] not in text and charts.TEXT["hint_single"][:30] not in text
