"""Reader first (issue 23), checked on the built book of both editions, without building anything:
the first verdict on the first screen, no builder's text on a reader's page, and the code folded
under every chart and nowhere else.

Run by `make test` after the book is built (marker `book`). The first-screen checks open the
introduction and the register in Chromium at a phone's and a desktop's size; the others read the
HTML files.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from migration_report.core.book_structure import numbered_chapters
from migration_report.sphinx.boxes import RERUN_DOC
from test_browser import HTML

pytestmark = pytest.mark.book

ROOT = Path(__file__).resolve().parents[1]
EDITIONS = ["", "es/"]  # the English edition at the root, the Spanish one in es/
CHAPTERS = [Path(d).name for d in numbered_chapters(ROOT)]
# The pages a reader reads: the chapters, the introduction, the register, and the appendices of
# plain reading. Data and methods lists the data package's files for data users, and the
# re-users' page is where commands, file and module names belong.
READER_PAGES = CHAPTERS + ["introduction", "claim-register", "glossary", "references", "about", "corrections",
                           "how-to-cite"]
DATA_PAGE = "data-and-methods"
REUSERS = Path(RERUN_DOC).name
# A make command is "make" and one of the Makefile's targets ("make up" and "make it" are English).
TARGETS = sorted(re.search(r"^\.PHONY:(.*)$", (ROOT / "Makefile").read_text(encoding="utf-8"), re.M)[1].split(),
                 key=len, reverse=True)
BUILDERS_TEXT = {
    "module path": re.compile(r"migration_report"),
    "code or data file": re.compile(r"[\w./-]+\.(?:py|csv)\b"),
    "make command": re.compile(r"\bmake (?:%s)\b" % "|".join(map(re.escape, TARGETS))),
}
PHONE, DESKTOP = {"width": 390, "height": 844}, {"width": 1280, "height": 900}
FIRST_SCREEN_PX = 800  # at 390 px: content below the page's header bar that the first verdict must fit in


def _page(edition: str, stem: str) -> BeautifulSoup:
    path = HTML / edition / "chapters" / f"{stem}.html"
    if not path.is_file():
        pytest.fail(f"{path} is missing: build the book first (make book)")
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def reader_text(soup: BeautifulSoup) -> str:
    """The article's words as a reader reads them: without the code folded under charts (code is
    code, and opening it is the reader's choice) and without scripts."""
    article = soup.find("article")
    for hidden in article.select("div.cell_input, script, style"):
        hidden.decompose()
    return " ".join(article.get_text(" ").split())


def builders_text(text: str, kinds=BUILDERS_TEXT) -> list[str]:
    return [f"{kind}: {match.group()}" for kind, pattern in kinds.items() for match in pattern.finditer(text)]


@pytest.mark.parametrize("edition", EDITIONS)
@pytest.mark.parametrize("stem", READER_PAGES)
def test_no_module_file_or_make_command_on_a_reader_page(edition, stem):
    found = builders_text(reader_text(_page(edition, stem)))
    assert not found, f"{edition}{stem}: {sorted(set(found))[:10]}"


@pytest.mark.parametrize("edition", EDITIONS)
def test_data_and_methods_names_files_for_data_users_but_no_module_or_command(edition):
    kinds = {k: v for k, v in BUILDERS_TEXT.items() if k != "code or data file"}
    found = builders_text(reader_text(_page(edition, DATA_PAGE)), kinds)
    assert not found, f"{edition}{DATA_PAGE}: {sorted(set(found))[:10]}"


@pytest.mark.parametrize("edition", EDITIONS)
def test_the_reusers_page_holds_what_the_reader_pages_do_not(edition):
    # The same patterns find what they look for where it belongs: each kind is on the re-users' page.
    text = reader_text(_page(edition, REUSERS))
    kinds = {found.split(":")[0] for found in builders_text(text)}
    assert kinds == set(BUILDERS_TEXT), kinds
    for stem in CHAPTERS:  # highlighted code is one span per token: compared without spaces
        assert f"makechapterNAME={stem}" in text.replace(" ", "")


def test_the_builders_text_patterns_tell_commands_from_english():
    found = builders_text("Numbers make up the total; make it clear. Run make chapter NAME=x, then make lab; "
                          "see src/migration_report/chapters/flow_statistics/analysis.py and data/actors.csv.")
    assert found == ["module path: migration_report", "code or data file: src/migration_report/chapters/flow_statistics/analysis.py",
                     "code or data file: data/actors.csv", "make command: make chapter", "make command: make lab"]


def test_the_reusers_page_is_outside_the_reading_order_after_the_references():
    from migration_report.core.book_structure import pages

    order = pages(ROOT)
    assert order[-1] == RERUN_DOC and order.index("chapters/references") < order.index(RERUN_DOC)


@pytest.mark.parametrize("edition", EDITIONS)
@pytest.mark.parametrize("stem", CHAPTERS + ["introduction"])
def test_code_is_folded_under_every_chart_and_nowhere_else(edition, stem):
    article = _page(edition, stem).find("article")
    toggles = article.select("div.cell.tag_hide-input")
    for cell in toggles:
        code = cell.select_one("div.cell_input")
        assert code is not None and code.get_text().strip(), f"{edition}{stem}: an empty code toggle"
        before = cell.find_previous_sibling()
        assert before is not None and before.name == "figure", \
            f"{edition}{stem}: folded code not under a figure but after <{before.name if before else None}>"
    charts = [f for f in article.select("figure") if f.select_one(".vega-chart, img")]
    under = [cell.find_previous_sibling().get("id") for cell in toggles]
    assert [f.get("id") for f in charts] == under, (edition, stem, under)


def _first_verdict(browser, base_url: str, name: str, viewport: dict) -> dict:
    context = browser.new_context(viewport=viewport, color_scheme="light")
    try:
        page = context.new_page()
        page.goto(base_url + name, wait_until="load")
        page.wait_for_load_state("networkidle")
        return page.evaluate("""() => {
          const header = document.querySelector(".bd-header-article");
          const badge = document.querySelector("article span.verdict");
          return {header: header ? header.getBoundingClientRect().bottom : 0,
                  top: badge ? badge.getBoundingClientRect().top : null,
                  bottom: badge ? badge.getBoundingClientRect().bottom : null,
                  text: badge ? badge.textContent : null};
        }""")
    finally:
        context.close()


@pytest.mark.parametrize("edition", EDITIONS)
@pytest.mark.parametrize("stem", ["introduction", "claim-register"])
def test_the_first_verdict_is_on_the_first_screen(browser, site, edition, stem):
    name = f"{edition}chapters/{stem}.html"
    phone = _first_verdict(browser, site, name, PHONE)
    assert phone["bottom"] is not None, f"{name}: no verdict badge"
    assert phone["bottom"] - phone["header"] <= FIRST_SCREEN_PX, (name, "390 px", phone)
    desktop = _first_verdict(browser, site, name, DESKTOP)
    assert desktop["bottom"] <= DESKTOP["height"], (name, "1280 px", desktop)
