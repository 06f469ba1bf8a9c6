"""The two editions as built: a Spanish page for every English one, switcher links that resolve
both ways, hreflang alternates and the right <html lang>; the same numbers stated on both; no
English paragraph left in the Spanish pages (run by make test after the build)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

pytestmark = pytest.mark.book


@pytest.fixture(autouse=True, scope="module")
def spanish_edition_built(root):
    if not (root / "_build" / "html" / "es").is_dir():
        pytest.fail("the Spanish edition is not built: make book builds both editions (BOOK_EDITIONS='en' leaves it out)")

SWITCHER = re.compile(r'<p class="edition-switcher"><a href="([^"]+)" hreflang="(\w+)" lang="\w+">([^<]+)</a></p>')
SWITCHER_TEXT = {"es": "Esta página en español", "en": "This page in English"}


def _pages(root: Path) -> list[Path]:
    html = root / "_build" / "html"
    return sorted(p for p in (html / "chapters").glob("*.html"))


def _switch(page: Path) -> tuple[Path, str]:
    match = SWITCHER.search(page.read_text(encoding="utf-8"))
    assert match, f"{page}: no language switcher"
    assert match[3] == SWITCHER_TEXT[match[2]], f"{page}: the switcher reads {match[3]!r}"
    return (page.parent / match[1]).resolve(), match[2]


def test_every_page_has_a_switcher_that_resolves_both_ways(root):
    pages = _pages(root)
    assert pages
    for english in pages:
        spanish, lang = _switch(english)
        assert lang == "es" and spanish == (root / "_build/html/es/chapters" / english.name).resolve()
        assert spanish.is_file(), f"{english.name}: the switcher's Spanish page is missing"
        back, lang = _switch(spanish)
        assert lang == "en" and back == english.resolve()


def test_html_lang_and_hreflang_alternates(root):
    for english in _pages(root):
        spanish = root / "_build/html/es/chapters" / english.name
        for page, lang in ((english, "en"), (spanish, "es")):
            text = page.read_text(encoding="utf-8")
            assert re.search(rf'<html lang="{lang}"', text), page
            alternates = dict(re.findall(r'<link rel="alternate" hreflang="(\w+)" href="([^"]+)"', text))
            assert set(alternates) == {"en", "es"}, page
            for href in alternates.values():
                if not href.startswith("http"):
                    assert (page.parent / href).resolve().is_file(), f"{page}: {href}"


# ---- the same numbers, and no English left --------------------------------------------------------

# What is not the page's own text: code and its output, the language switcher, the data downloads'
# listings, and the References list (sources keep the titles they were published with).
NOT_PROSE = ("pre", "code", "script", "style", "nav", ".cell_input", ".edition-switcher", ".bibliography",
             "#references", ".footnote-list", ".vega-chart", "svg", "math", ".math")
NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
CLOCK = re.compile(r"\b\d{1,2}:\d{2}\b|\b\d{1,2} [ap]\.m\.")  # 11:59, 23:59, and 2 p.m. (14:00 in Spanish)


def _article(page: Path):
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    article = soup.select_one("article.bd-article") or soup.select_one("main")
    for selector in NOT_PROSE:
        for element in article.select(selector):
            element.decompose()
    return article


def _numbers(page: Path) -> list[str]:
    """The numbers the page states, outside quotations (blockquotes, text marked as another language)."""
    article = _article(page)
    for element in article.select("blockquote, [lang]"):
        element.decompose()
    text = CLOCK.sub(" ", article.get_text(" "))
    return sorted(NUMBER.findall(text))


@pytest.mark.parametrize("stem", ["introduction", "cooperation-and-funding", "flow-statistics", "rio-grande-dispute",
                                  "institutional-actors", "claim-register", "data-and-methods"])
def test_both_editions_state_the_same_numbers(root, stem):
    from collections import Counter

    english = Counter(_numbers(root / "_build/html/chapters" / f"{stem}.html"))
    spanish = Counter(_numbers(root / "_build/html/es/chapters" / f"{stem}.html"))
    assert sum(english.values()) >= 10, f"{stem}: too few numbers found to compare; is the page empty?"
    only_english, only_spanish = english - spanish, spanish - english
    assert not only_english and not only_spanish, (
        f"{stem}: numbers only in English {dict(only_english)}, only in Spanish {dict(only_spanish)}")


# Frequent function words of each language that the other does not share (no "a", "de", "no", "son").
ENGLISH_WORDS = frozenset("the of and to in is was that for with as by from this which were are not be it has "
                          "have its their on at or but an been than".split())
SPANISH_WORDS = frozenset("el la los las del y en que por con para se su sus es fue una un al lo como más "
                          "pero sin sobre entre según ya".split())
MIN_WORDS = 8  # shorter runs (a name, a header) say nothing about their language


def _english_paragraphs(page: Path) -> list[str]:
    article = _article(page)
    # Quotations of English sources (marked as such), citation labels (the sources' names) and the
    # glossary's headwords (each gives the English term beside the Spanish one, by design).
    for element in article.select('[lang="en"], a[href*="references.html#"], dl.glossary dt'):
        element.decompose()
    found = []
    for element in article.select("p, li, td, th, figcaption, dd, dt, h1, h2, h3, h4, caption"):
        if element.find(["p", "li", "td", "dd"]):  # judged by its own paragraphs
            continue
        words = re.findall(r"[a-záéíóúñü]+", element.get_text(" ").lower())
        if len(words) < MIN_WORDS:
            continue
        english = sum(w in ENGLISH_WORDS for w in words)
        spanish = sum(w in SPANISH_WORDS for w in words)
        if english > spanish:
            found.append(" ".join(element.get_text(" ").split())[:120])
    return found


def test_no_english_sentence_is_left_in_the_spanish_pages(root):
    left = {page.name: _english_paragraphs(page) for page in sorted((root / "_build/html/es/chapters").glob("*.html"))}
    left = {name: found for name, found in left.items() if found}
    assert not left, "English left in the Spanish edition:\n" + "\n".join(
        f"{name}: {paragraph}" for name, found in left.items() for paragraph in found[:5])


def test_the_english_check_finds_english(root):
    """The check above is not blind: run on the English pages it finds English everywhere."""
    assert len(_english_paragraphs(root / "_build/html/chapters/flow-statistics.html")) > 10


# ---- the Spanish PDF ----------------------------------------------------------------------------

SPANISH_PDF = Path(__file__).resolve().parents[1] / "_build" / "latex" / "es" / "book-es.pdf"


def test_each_edition_links_and_carries_its_own_pdf(root):
    html = root / "_build" / "html"
    for opening, pdf, shipped in ((html / "chapters/introduction.html", root / "_build/latex/book.pdf", html / "book.pdf"),
                                  (html / "es/chapters/introduction.html", SPANISH_PDF, html / "es/book-es.pdf")):
        assert f'href="../{shipped.name}"' in opening.read_text(encoding="utf-8"), opening
        assert shipped.read_bytes() == pdf.read_bytes(), f"{shipped} is not {pdf}"
    assert not (html / "es" / "book.pdf").exists()


def test_the_trend_is_named_in_spanish(root):
    from migration_report.register import claims

    text = " ".join(_article(root / "_build/html/es/chapters/flow-statistics.html").get_text(" ").split())
    words = {claims.direction_word(d, "es") for d in ("down", "mixed", "up")}
    assert re.search(r"tendencia de los encuentros de ciudadanos mexicanos era (" + "|".join(words) + ")", text)
    assert not re.search(r"\b(era|fue) (down|up|mixed)\b", text)


def test_spanish_pages_fold_code_under_a_spanish_bar(root):
    page = (root / "_build/html/es/chapters/flow-statistics.html").read_text(encoding="utf-8")
    assert "Mostrar el código" in page and "Show code cell" not in page


def test_spanish_dates_are_written_as_spanish_writes_them(root):
    page = (root / "_build/html/es/chapters/introduction.html").read_text(encoding="utf-8")
    day = re.search(r"Actualizado por última vez el (\d+) de [a-z]+ de \d{4}", page)
    assert day and not day[1].startswith("0"), day and day[0]  # el 1 de diciembre, not en 01 de diciembre
    assert "última vez en" not in page


def test_the_themes_words_are_spanish_in_the_spanish_edition(root):
    # what readers saw (issue 24): the themes' English, and poor Spanish in their catalogues
    page = (root / "_build/html/es/chapters/introduction.html").read_text(encoding="utf-8")
    for english in ("Search this book", "Toggle primary sidebar", "Toggle secondary sidebar", "Descarga esta pagina"):
        assert english not in page, english
    assert 'placeholder="Buscar en este libro…"' in page and 'aria-label="Descargar esta página"' in page
    assert 'title="Mostrar u ocultar el índice del libro"' in page
    search = (root / "_build/html/es/_static/translations.js").read_text(encoding="utf-8")
    assert "ningún documentos" not in search and "Su búsqueda no coincidió con ninguna página." in search
    english_page = (root / "_build/html/chapters/introduction.html").read_text(encoding="utf-8")
    assert 'title="Toggle primary sidebar"' in english_page and "Search this book..." in english_page


def test_the_spanish_pdf_is_in_spanish_and_hyphenated():
    import subprocess

    assert SPANISH_PDF.is_file(), "the Spanish PDF is not built: make pdf builds both editions' PDFs"

    text = subprocess.run(["pdftotext", str(SPANISH_PDF), "-"], capture_output=True, text=True, check=True).stdout
    lines = {line.strip() for line in text.splitlines()}
    assert "Índice" in lines and "Capítulos" not in lines and "Contents" not in lines  # the contents page's title
    assert "Introducción" in lines and "Introduction" not in lines
    assert "Referencias" in lines and "Bibliografía" not in lines and "References" not in lines
    log = SPANISH_PDF.with_suffix(".log").read_text(encoding="utf-8", errors="replace")
    assert "No hyphenation patterns" not in log and "\\setmainlanguage{spanish}" in SPANISH_PDF.with_suffix(".tex").read_text(encoding="utf-8")


CHART_LABEL = re.compile(r'class="vega-charts"[^>]*aria-label="([^"]*)"')


def test_the_spanish_charts_are_described_in_spanish(root):
    """A chart's alt text is a message of its page's catalogue: the Spanish page announces the chart with the
    catalogue's translation of the English page's text (it went out in English while Sphinx translated the rest)."""
    import html

    from babel.messages.pofile import read_po

    checked = 0
    for english in _pages(root):
        labels = [html.unescape(label) for label in CHART_LABEL.findall(english.read_text(encoding="utf-8"))]
        if not labels:
            continue
        with (root / "locales/es/LC_MESSAGES/chapters" / f"{english.stem}.po").open("rb") as handle:
            catalogue = {m.id: m.string for m in read_po(handle) if m.id and not m.fuzzy}
        spanish = root / "_build/html/es/chapters" / english.name
        shown = [html.unescape(label) for label in CHART_LABEL.findall(spanish.read_text(encoding="utf-8"))]
        assert shown == [catalogue[label] for label in labels], english.name
        checked += len(labels)
    assert checked >= 12  # every chart of the book


def test_the_spanish_pages_title_their_anchor_links_in_spanish(root):
    """Sphinx titles the link beside each heading, figure, table and term; its Spanish catalogue left them in English."""
    pages = sorted((root / "_build/html/es/chapters").glob("*.html"))
    titles = {title for page in pages for title in re.findall(r'class="headerlink" [^>]*title="([^"]*)"',
                                                                page.read_text(encoding="utf-8"))}
    assert titles and not any(title.startswith("Link to") for title in titles), titles
    assert "Enlace a este encabezado" in titles
