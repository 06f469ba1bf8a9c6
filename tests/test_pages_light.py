"""Every page of the built book is light to read (issue 26): no icon script, the icon font cut to
the icons the book shows, the search scripts on the search page only, nothing in the <head> that
holds up the first paint but the stylesheets and one small settings script, and at most 350 KB
transferred (gzip) before the page's own figures, 550 KB with a chart. Reads the book `make test`
built (marker `book`); the browser check loads one page of each kind from a loopback server.
"""

from __future__ import annotations

import gzip
import re
from html.parser import HTMLParser
from urllib.parse import unquote, urlsplit

import pytest
from fontTools.ttLib import TTFont

from migration_report.sphinx import assets as sphinx_assets
from test_browser import HTML, PAGES, serve

pytestmark = pytest.mark.book

# Pages a reader reads (index.html only redirects to the introduction).
FILES = [HTML / p for p in PAGES if "?" not in p and 'http-equiv="Refresh"' not in (HTML / p).read_text(encoding="utf-8")]
SEARCH_SCRIPTS = ("searchtools.js", "language_data.js", "searchindex.js")
LIMIT, CHART_LIMIT = 350_000, 550_000
# Compressed already, sent as they are.
COMPRESSED = {".png", ".jpg", ".woff", ".woff2"}


class Head(HTMLParser):
    """The scripts (src, attributes, whether in <head>) and stylesheets a page names."""

    def __init__(self):
        super().__init__()
        self.scripts, self.styles, self.in_head = [], [], False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "head":
            self.in_head = True
        elif tag == "script" and attrs.get("src"):
            self.scripts.append((attrs["src"], attrs, self.in_head))
        elif tag == "link" and attrs.get("rel") == "stylesheet":
            self.styles.append(attrs["href"])

    def handle_endtag(self, tag):
        if tag == "head":
            self.in_head = False


def parsed(path):
    head = Head()
    head.feed(path.read_text(encoding="utf-8"))
    return head


def local(page, url: str):
    if "://" in url:
        return None
    target = (page.parent / unquote(urlsplit(url).path)).resolve()
    return target if target.is_file() else None


def sent(path) -> int:
    data = path.read_bytes()
    return len(data) if path.suffix in COMPRESSED else len(gzip.compress(data, 6, mtime=0))


def test_there_are_pages_in_both_editions():
    assert any(p.startswith("es/") for p in PAGES) and "chapters/flow-statistics.html" in PAGES


@pytest.mark.parametrize("page", FILES, ids=[p.relative_to(HTML).as_posix() for p in FILES])
def test_a_page_loads_no_icon_script_and_the_search_scripts_only_on_the_search_page(page):
    head = parsed(page)
    sources = [src for src, _, _ in head.scripts]
    assert not [s for s in sources if "fontawesome" in s]
    searching = [s for s in sources if s.split("?")[0].endswith(SEARCH_SCRIPTS)]
    assert len(searching) == (3 if page.name == "search.html" else 0), searching
    assert any("icons.css" in s for s in head.styles)
    if page.name != "search.html":
        blocking = [src for src, attrs, in_head in head.scripts
                    if in_head and not {"defer", "async"} & set(attrs)]
        assert [s.split("?")[0].rsplit("/", 1)[-1] for s in blocking] == ["documentation_options.js"]


@pytest.mark.parametrize("page", FILES, ids=[p.relative_to(HTML).as_posix() for p in FILES])
def test_a_page_weighs_at_most_350_kb_before_its_figures_550_with_a_chart(page):
    head = parsed(page)
    files = {local(page, u) for u in [s for s, _, _ in head.scripts] + head.styles} - {None}
    total = sent(page) + sum(sent(f) for f in files) + sent(HTML / "_static" / sphinx_assets.SUBSET)
    chart = 'class="vega-chart"' in page.read_text(encoding="utf-8")
    assert total <= (CHART_LIMIT if chart else LIMIT), (page.name, total)


def test_the_icon_font_has_every_icon_the_pages_and_stylesheets_ask_for():
    static = HTML / "_static"
    wanted = sphinx_assets.used_codepoints(HTML, (static / sphinx_assets.THEME_CSS).read_text(encoding="utf-8"))
    solid = set(TTFont(static / sphinx_assets.FONT).getBestCmap())
    have = set(TTFont(static / sphinx_assets.SUBSET).getBestCmap())
    assert wanted & solid and have == wanted & solid  # the brands' icons (GitHub …) are not in the solid font
    assert (static / sphinx_assets.SUBSET).stat().st_size < 10_000


@pytest.mark.parametrize("name", ["chapters/flow-statistics.html", "es/chapters/claim-register.html"])
def test_in_a_browser_a_page_fetches_the_small_icon_font_only_and_shows_its_icons(browser, name):
    requested = []
    with serve(HTML) as base:
        page = browser.new_page(viewport={"width": 390, "height": 844})
        page.on("request", lambda request: requested.append(request.url))
        page.goto(base + name, wait_until="networkidle")
        # The header's icons are drawn from the font: its search button's magnifying glass has a width.
        width, loaded = page.evaluate("""() => [
            Math.max(...[...document.querySelectorAll('i.fa-magnifying-glass')].map(
                (icon) => icon.getBoundingClientRect().width)),
            [...document.fonts].some((f) => f.family.includes('Font Awesome') && f.status === 'loaded')]""")
        page.close()
    fonts = [u.rsplit("/", 1)[-1] for u in requested if re.search(r"\.(woff2?|ttf)(\?|$)", u)]
    assert fonts == [sphinx_assets.SUBSET] and width > 8 and loaded
    assert not [u for u in requested if u.split("?")[0].endswith(SEARCH_SCRIPTS + ("fontawesome.js",))]


@pytest.mark.parametrize("edition", ["", "es/"])
def test_the_search_box_of_a_page_without_the_search_scripts_finds_pages(browser, edition):
    with serve(HTML) as base:
        page = browser.new_page(viewport={"width": 390, "height": 844})
        page.goto(f"{base}{edition}chapters/about.html", wait_until="networkidle")
        page.click("button.pst-navbar-icon.search-button")  # the header's magnifying glass
        page.fill("#pst-search-dialog input[name=q]", "272,000")
        page.press("#pst-search-dialog input[name=q]", "Enter")
        page.wait_for_url("**/search.html?q=272%2C000*")
        page.wait_for_selector("#search-results ul.search li a", timeout=15_000)
        found = page.eval_on_selector_all("#search-results ul.search li a", "links => links.map(a => a.href)")
        page.close()
    assert any("flow-statistics" in href for href in found), found
