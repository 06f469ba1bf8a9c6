"""What a reader sees in the chapters: citation brackets of a readable length, the datasets named
by their titles, Spanish names marked lang="es", and the actors of the network in a table."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from migration_report.chapters.institutional_actors import analysis as net
from migration_report.chapters.institutional_actors import figures as network
from migration_report import load
from migration_report.core.book_structure import pages
from migration_report.core.outputs import MAX_CITATION_KEYS, SPANISH_NAMES

ROOT = Path(__file__).resolve().parents[1]
HTML = ROOT / "_build" / "html" / "chapters"
# Pages for maintainers and data users, where file and resource names are the point.
DATA_PAGES = {"data-and-methods", "maintainers"}
CITE_P = re.compile(r"\{cite:p\}`([^`]*)`")


def _files() -> list[Path]:
    """Every page's source file, in reading order."""
    found = []
    for page in pages(ROOT):
        found += [ROOT / f"{page}{suffix}" for suffix in (".ipynb", ".md") if (ROOT / f"{page}{suffix}").is_file()]
    return found


STEMS = [p.stem for p in _files()]


def _page(stem: str) -> BeautifulSoup:
    path = HTML / f"{stem}.html"
    if not path.is_file():
        pytest.fail(f"{path} is missing: build the book first (scripts/build-book html)")
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def _body(stem: str):
    """The page's article text, without code cells."""
    article = _page(stem).find("article")
    for cell in article.select("div.cell_input, div.cell"):
        if cell.select_one("div.cell_input"):
            cell.select_one("div.cell_input").decompose()
    return article


def _markdown_sources():
    """(file, text) of every chapter's markdown: notebook markdown cells and .md pages."""
    for path in _files():
        if path.suffix == ".ipynb":
            cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
            yield from ((path.name, "".join(c["source"])) for c in cells if c["cell_type"] == "markdown")
        else:
            yield path.name, path.read_text(encoding="utf-8")


def test_no_citation_in_the_chapters_markdown_holds_more_than_the_limit():
    long = [(name, keys) for name, text in _markdown_sources() for keys in CITE_P.findall(text)
            if len(keys.split(",")) > MAX_CITATION_KEYS]
    assert not long, long


@pytest.mark.book
@pytest.mark.parametrize("stem", STEMS)
def test_no_citation_bracket_in_the_book_holds_more_than_the_limit(stem):
    # Generated text included: glued tables and lists reach the page as these brackets.
    sizes = [len(b.select("a.reference")) for b in _page(stem).select("span.bibtex-citation")]
    assert max(sizes, default=0) <= MAX_CITATION_KEYS, (stem, sorted(sizes)[-3:])


@pytest.mark.book
@pytest.mark.parametrize("stem", [s for s in STEMS if s not in DATA_PAGES])
def test_reader_text_names_datasets_not_their_resource_names(stem):
    names = {r["name"] for r in json.loads((ROOT / "data" / "datapackage.json").read_text())["resources"]}
    literal = [c.get_text() for c in _body(stem).find_all("code") if c.get_text().strip() in names]
    assert not literal, literal


@pytest.mark.book
@pytest.mark.parametrize("stem", [s for s in STEMS if s != "maintainers"])
def test_programme_names_are_marked_spanish(stem):
    # The reference list (titles typeset by pybtex, sphinx_bib) and data-and-methods (the data
    # package's titles and descriptions, and its download links) included. Counted on the text
    # with its spacing normalised, since inline code splits a name into one span per word.
    pattern = re.compile("|".join(map(re.escape, SPANISH_NAMES)))
    body = _body(stem)
    everywhere = pattern.findall(" ".join(body.get_text().split()))
    marked = [name for span in body.select('[lang="es"]')
              for name in pattern.findall(" ".join(span.get_text().split()))]
    assert sorted(everywhere) == sorted(marked), (stem, len(everywhere), len(marked))
    assert " {es}" not in body.get_text() and "{es}`" not in body.get_text()  # a role left unparsed


@pytest.mark.book
def test_the_actor_directory_lists_every_actor_and_every_label_the_figure_draws():
    table = _page("institutional-actors").find(id="tab-actor-directory")
    assert table is not None and table.name == "table"
    cells = [[" ".join(td.get_text().split()) for td in tr.find_all("td")] for tr in table.find_all("tr")]
    rows = [r for r in cells if r]
    actors = load("actors")
    assert len(rows) == len(actors)
    assert sorted(r[0] for r in rows) == sorted(actors["name"])
    figure = network.draw(*_network(actors), source="Source: test")
    assert sorted(r[1] for r in rows) == sorted(network.drawn_labels(figure))
    spanish = table.select('td [lang="es"]')
    assert {" ".join(s.get_text().split()) for s in spanish} >= {"Secretaría de Relaciones Exteriores", "Sembrando Vida"}


def _network(actors):
    links = load("actor-links")
    graph = net.build_graph(actors, links)
    return graph, actors, links, network.layout(graph, actors)
