"""What a reader on any device meets: navigation, widths, tables and search (issue 14).

Each built page is opened in Debian's Chromium (see tests/conftest.py) at a phone width and a
desktop width. Run by `make test` after the book is built (marker `book`).
"""

from __future__ import annotations

import pytest

from test_browser import HTML, PAGES

pytestmark = pytest.mark.book

WIDTHS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}
READER_PAGES = [p for p in PAGES if "?" not in p and p != "genindex.html"]

# Which panel each article-header toggle controls: on a narrow screen it opens as a modal
# dialog; on a wide one the primary toggle hides or shows the sidebar in place.
PANELS = {
    "primary": ("#pst-primary-sidebar-modal", "#pst-primary-sidebar"),
    "secondary": ("#pst-secondary-sidebar-modal", "#pst-secondary-sidebar"),
}

# For every table in the article: does it fit, and if not, is it inside a container that
# scrolls sideways, is itself on the screen, and is followed by the visible "scroll sideways"
# line (headless Chromium, like a phone, draws no scrollbar, so the line is the reader's sign).
TABLES_SCRIPT = """() => [...document.querySelectorAll("article table")].map((table, i) => {
  const article = document.querySelector("article").getBoundingClientRect();
  const box = table.getBoundingClientRect();
  let scroller = table.parentElement;
  while (scroller && scroller.tagName !== "ARTICLE" &&
         !["auto", "scroll"].includes(getComputedStyle(scroller).overflowX)) {
    scroller = scroller.parentElement;
  }
  const scrolls = scroller && scroller.tagName !== "ARTICLE";
  return {
    caption: (table.caption ? table.caption.innerText : table.innerText).slice(0, 60),
    index: i,
    fits: box.right <= article.right + 1 && box.left >= article.left - 1,
    scrollable: Boolean(scrolls && scroller.scrollWidth > scroller.clientWidth),
    hinted: Boolean(scrolls && scroller.nextElementSibling
                    && scroller.nextElementSibling.classList.contains("scroll-hint")
                    && scroller.nextElementSibling.offsetHeight > 0),
    clipped: Boolean(scrolls && scroller.getBoundingClientRect().right > article.right + 1),
  };
})"""


@pytest.fixture(scope="module")
def open_page(browser, site):
    """open_page(name, width) -> a loaded Playwright page at that viewport. Each test is done with its
    page when it opens the next one, so only the latest stays open (dozens of open pages would
    slow every other check on the machine)."""
    contexts = []

    def _open(name: str, width: str):
        while contexts:
            contexts.pop().close()
        context = browser.new_context(viewport=WIDTHS[width], color_scheme="light")
        contexts.append(context)
        page = context.new_page()
        page.goto(site + name, wait_until="load")
        page.wait_for_load_state("networkidle")
        return page

    yield _open
    for context in contexts:
        context.close()


def panel_shown(page, side: str) -> bool:
    dialog, sidebar = PANELS[side]
    return page.evaluate(
        """([dialog, sidebar]) => {
          const modal = document.querySelector(dialog);
          if (modal && modal.open) { return modal.getBoundingClientRect().width > 100; }
          const panel = document.querySelector(sidebar);
          const style = panel && getComputedStyle(panel);
          return Boolean(panel && style.visibility !== "hidden" && style.display !== "none"
                         && panel.getBoundingClientRect().width > 100
                         && panel.getBoundingClientRect().left >= 0);
        }""",
        [dialog, sidebar],
    )


# One load of each page per width serves both checks of its layout.
@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", READER_PAGES)
def test_page_is_no_wider_than_the_screen_and_every_table_fits_or_visibly_scrolls(open_page, name, width):
    page = open_page(name, width)
    scroll_width, client_width = page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert scroll_width <= client_width, f"{name} at {width} width is {scroll_width} px wide on a {client_width} px screen"
    tables = page.evaluate(TABLES_SCRIPT)
    bad = [t for t in tables if not t["fits"] and not (t["scrollable"] and t["hinted"] and not t["clipped"])]
    assert not bad, "tables cut off:\n" + "\n".join(f"table {t['index'] + 1} ({t['caption']!r}): {t}" for t in bad)


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", ["chapters/flow-statistics.html", "chapters/references.html"])
def test_sidebar_toggles_open_their_panel(open_page, name, width):
    for side in PANELS:
        page = open_page(name, width)
        if not page.locator(PANELS[side][1]).count():
            continue  # a page without sections has no "on this page" panel, and no toggle for it
        toggle = page.locator(f".bd-header-article .{side}-toggle")
        if not toggle.is_visible():
            # Wide enough to show the panel all the time: then it must be on the screen.
            assert panel_shown(page, side), f"{side} sidebar: no toggle and no panel at {width} width"
            continue
        before = panel_shown(page, side)
        toggle.click()
        page.wait_for_timeout(300)
        assert panel_shown(page, side) != before, f"the {side} toggle changed nothing at {width} width"
        if not before:
            assert panel_shown(page, side), f"the {side} toggle did not open its panel"


SEARCHING = {"": "Searching", "es/": "Buscando"}  # Sphinx's word while a search runs, by edition folder


def searched(open_page, query: str, edition: str = ""):
    """The search page of EDITION with the results for QUERY."""
    page = open_page(f"{edition}search.html?q={query}", "desktop")
    page.wait_for_selector("#search-results .search-summary", timeout=15_000)
    page.wait_for_function(f"!document.querySelector('#search-results').innerText.includes('{SEARCHING[edition]}')",
                           timeout=15_000)
    return page


def search_results(open_page, query: str, edition: str = "") -> list[str]:
    return searched(open_page, query, edition).eval_on_selector_all(
        "#search-results ul.search li a", "links => links.map(a => a.getAttribute('href'))")


@pytest.mark.parametrize("query, expected", [
    ("272,000", {"chapters/flow-statistics"}),
    ("30.1", {"chapters/flow-statistics"}),
    ("41.9", {"chapters/flow-statistics"}),
    ("99,538", {"chapters/flow-statistics"}),
    ("272000", {"chapters/flow-statistics"}),  # without the thousands separator the page writes
    ("99538", {"chapters/flow-statistics"}),
    ("Barcena", {"chapters/institutional-actors", "chapters/introduction", "index"}),
    ("Bárcena", {"chapters/institutional-actors", "chapters/introduction", "index"}),
])
@pytest.mark.parametrize("edition", ["", "es/"])
def test_search_finds_numbers_and_names_without_accents(open_page, query, expected, edition):
    if edition and not (HTML / edition).is_dir():
        pytest.fail("the Spanish edition is not built: make book builds both editions")
    found = {href.split(".html")[0] for href in search_results(open_page, query, edition)}
    assert found & expected, f"search in {edition or 'the English edition'} for {query!r} found {sorted(found)}"


def search_excerpts(open_page, query: str, edition: str = "") -> dict[str, str]:
    """Each result's address and the excerpt under it, once every excerpt has arrived."""
    page = searched(open_page, query, edition)
    page.wait_for_function("[...document.querySelectorAll('#search-results ul.search li')].every("
                           "li => li.querySelector('p.context') || li.querySelector('span'))", timeout=15_000)
    return dict(page.eval_on_selector_all(
        "#search-results ul.search li",
        "lis => lis.map(li => [li.querySelector('a').getAttribute('href'), (li.querySelector('p.context') || {}).innerText || ''])"))


def folded(text: str) -> str:
    """Text as the excerpts compare it: no accents, lower case, no thousands separators."""
    import re
    import unicodedata

    plain = "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c)).lower()
    return re.sub(r"(?<=\d)[,\u00a0\u202f](?=\d)", "", plain)


# What an excerpt showed instead of the page's words: the download menu's file name, the BibTeX of
# a citation box, folded code and its prompts.
NOT_TEXT = (".ipynb", "@incollection", "@book", "flows.", "glue(", "show code cell", "mostrar el codigo")


@pytest.mark.parametrize("query, word", [("Bárcena", "barcena"), ("Barcena", "barcena"), ("Title 42", "title"),
                                         ("272000", "272000"), ("encounters", "encounter")])
@pytest.mark.parametrize("edition", ["", "es/"])
def test_search_excerpts_show_the_words_found_in_the_page_text(open_page, query, word, edition):
    excerpts = search_excerpts(open_page, query, edition)
    assert excerpts, f"no result for {query!r}"
    for href, excerpt in excerpts.items():
        if "#" in href and not excerpt:
            continue  # a heading found by its title shows none
        text = folded(excerpt)
        assert not [bad for bad in NOT_TEXT if bad in text], f"{edition}{href}: {excerpt!r}"
        assert word in text, f"the excerpt of {edition}{href} for {query!r} does not show it: {excerpt!r}"


def test_the_query_splitter_writes_words_as_the_index_does(open_page):
    # The JavaScript splitter (in each search page's language_data.js) against the Python rule.
    from migration_report.sphinx.search import WORD, grouped, without_accents

    queries = ["272000", "272,000", "2023", "1234.5", "30.1", "Bárcena", "Title 42", "0.2.0"]
    split = open_page("search.html", "desktop").evaluate("queries => queries.map(splitQuery)", queries)
    assert split == [[grouped(without_accents(word)) for word in WORD.findall(query)] for query in queries]
    assert split[:4] == [["272,000"], ["272,000"], ["2,023"], ["1,234.5"]]


def test_search_from_a_local_file_shows_excerpts(browser):
    # Opened from disk, the browser refuses the fetches that the excerpts come from; reader.js
    # answers them from the page texts the build writes.
    context = browser.new_context(viewport=WIDTHS["desktop"])
    try:
        page = context.new_page()
        page.goto((HTML / "search.html").as_uri() + "?q=272,000", wait_until="load")
        page.wait_for_selector("#search-results ul.search li p.context", timeout=15_000)
        excerpts = page.eval_on_selector_all("#search-results ul.search li p.context", "ps => ps.map(p => p.innerText)")
    finally:
        context.close()
    assert any("272,000" in text for text in excerpts), excerpts


CHAPTER_OPENING = __import__("re").compile(r"<h1>.*?</h1>(.*?)<p>", __import__("re").S)


@pytest.mark.parametrize("name", [p for p in READER_PAGES if p.startswith("chapters/")])
def test_no_code_cell_before_a_chapter_opens(name):
    # Plumbing cells (imports, parameters) are removed from the page; folded code only where a
    # reader may want the method, never as empty bars above a chapter's first words.
    page = (HTML / name).read_text(encoding="utf-8")
    opening = CHAPTER_OPENING.search(page)
    assert opening, f"{name}: no heading followed by a paragraph"
    assert "cell_input" not in opening.group(1), f"{name} opens with a code cell before its first paragraph"


# Dark mode: no box in the article keeps a light plate (an empty output once drew a light bar
# across the claim register). Verdict badges are light tints by design, with dark text of their
# hue; the copy buttons are invisible until hovered; images are the figures' own drawings.
LIGHT_PLATES_SCRIPT = """() => {
  const luminance = (colour) => {
    const v = (colour.match(/[\\d.]+/g) || []).map(Number);
    if (v.length < 3 || (v.length > 3 && v[3] === 0)) return null;
    const f = (c) => { c /= 255; return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(v[0]) + 0.7152 * f(v[1]) + 0.0722 * f(v[2]);
  };
  return [...document.querySelectorAll("article *")].filter((el) => {
    const box = el.getBoundingClientRect(), style = getComputedStyle(el);
    if (box.width < 2 || box.height < 2 || style.visibility === "hidden" || Number(style.opacity) === 0) return false;
    if (el.matches("img, svg, svg *, canvas, span.verdict, button.copybtn")) return false;
    const light = luminance(style.backgroundColor);
    return light !== null && light > 0.4;
  }).map((el) => `${el.tagName}.${el.className} ${getComputedStyle(el).backgroundColor}`.slice(0, 120));
}"""


# The editions share every stylesheet and kind of output, so the Spanish edition is checked on one
# page with every kind (charts, tables, code, figures), not page by page.
@pytest.mark.parametrize("name", [p for p in READER_PAGES if not p.startswith("es/")] + ["es/chapters/flow-statistics.html"])
def test_no_light_plate_in_dark_mode(browser, site, name):
    context = browser.new_context(viewport=WIDTHS["desktop"], color_scheme="dark")
    context.add_init_script("localStorage.setItem('mode', 'dark')")  # pydata-sphinx-theme's key
    try:
        page = context.new_page()
        page.goto(site + name, wait_until="load")
        page.wait_for_load_state("networkidle")
        assert page.evaluate("document.documentElement.dataset.theme") == "dark"
        assert page.evaluate(LIGHT_PLATES_SCRIPT) == []
    finally:
        context.close()
