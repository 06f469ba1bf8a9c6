"""Every built page, opened in a real browser as a reader would open it.

Debian's Chromium, driven by Playwright (no browser download), loads each HTML page of
_build/html from a web server on the loopback interface. For each page it records console
errors, failed requests, requests that leave the book, images that did not load, Python
tracebacks, empty figures, and axe-core's accessibility violations; each test below then
checks one of these. A full-page screenshot of each chapter goes to _build/screenshots/.

Run by `make test` after the book is built (marker `book`); set CHROMIUM=/path to use
another Chromium.
"""

from __future__ import annotations

import csv
import functools
import io
import re
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest

from migration_report.build.bench_pages import QuietServer  # quiet when a browser drops a connection

pytestmark = pytest.mark.book

ROOT = Path(__file__).resolve().parents[1]
HTML = ROOT / "_build" / "html"
SCREENSHOTS = ROOT / "_build" / "screenshots"
VIEWPORT = {"width": 1280, "height": 900}
# Not pages a reader opens: Sphinx's copies of sources, static assets, downloads.
SKIP_DIRS = {"_static", "_sources", "_downloads", "_images"}

# Pages are found on disk, so a chapter added to the book is checked without editing this file;
# the search page is also opened with a query, so the search itself runs.
PAGES = sorted(p.relative_to(HTML).as_posix() for p in HTML.rglob("*.html")
               if not SKIP_DIRS & set(p.relative_to(HTML).parts)) if HTML.is_dir() else []
if "search.html" in PAGES:
    PAGES.append("search.html?q=encounters")

SERIOUS = {"serious", "critical"}
GENERATED_IMAGE = re.compile(r"(?:^|/)_images/[0-9a-f]{64}\.\w+$")
FIGURE_REPR = re.compile(r"<(?:Figure size \d+x\d+ with \d+ Axes|matplotlib\.[\w.]+ object at 0x[0-9a-f]+"
                         r"|IPython\.core\.display\.\w+ object)>")

# In the page: images that did not load, and the figures with what a reader sees of them.
IMAGE_SCRIPT = """async () => {
  const images = [...document.images];
  for (const img of images) { img.loading = "eager"; }
  await Promise.all(images.map(img => img.decode().catch(() => null)));
  const broken = images.filter(img => !(img.complete && img.naturalWidth > 0))
                       .map(img => img.getAttribute("src"));
  const shown = [...document.querySelectorAll("article figure, article .cell_output img")]
    .filter(el => el.tagName === "FIGURE" || !el.closest("figure"));
  const figures = shown.map((el, i) => {
    // An interactive chart is its labelled, focusable box (migration_report.core.charts); else the image.
    const img = el.tagName === "IMG" ? el : el.querySelector(".vega-charts, img, svg");
    if (img) { img.dataset.qgFigure = i; }  // the picture alone, without its caption
    const box = img ? img.getBoundingClientRect() : null;
    const links = [...el.querySelectorAll("a[href$='.csv']")].map(a => a.getAttribute("href"));
    return {
      index: i, id: el.id || null, tag: img ? img.tagName.toLowerCase() : null,
      src: img && img.tagName === "IMG" ? img.getAttribute("src") : null,
      alt: img ? (img.getAttribute("alt") ?? img.getAttribute("aria-label")) : null,
      width: box ? box.width : 0, height: box ? box.height : 0,
      inFigure: el.tagName === "FIGURE", csv: links,
    };
  });
  return {broken, figures};
}"""


# Wait until every interactive chart has been drawn (charts.js sets el.vegaReady).
CHARTS_READY = """async () => {
  await Promise.all([...document.querySelectorAll(".vega-chart")].map(el => el.vegaReady));
}"""


@dataclass
class Visit:
    page: str
    console_errors: list = field(default_factory=list)
    failed_requests: list = field(default_factory=list)
    outside_requests: list = field(default_factory=list)
    broken_images: list = field(default_factory=list)
    tracebacks: list = field(default_factory=list)
    empty_figures: list = field(default_factory=list)
    figures: list = field(default_factory=list)
    violations: list = field(default_factory=list)


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@contextmanager
def serve(folder: Path):
    """A web server for `folder` on the loopback interface; yields its base URL."""
    httpd = QuietServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(folder)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    finally:
        httpd.shutdown()
        httpd.server_close()


class Inspector:
    """Opens pages of a built site in Chromium and records what a reader would run into."""

    def __init__(self, browser, root: Path, base_url: str, screenshots: Path | None = None):
        from axe_playwright_python.sync_playwright import Axe

        self.browser, self.root, self.base_url, self.screenshots = browser, root, base_url, screenshots
        self.axe = Axe()
        self.seen: dict[str, Visit] = {}

    def __call__(self, name: str) -> Visit:
        if name not in self.seen:
            self.seen[name] = self._visit(name)
        return self.seen[name]

    def _visit(self, name: str) -> Visit:
        result = Visit(name)
        # A fresh context per page: nothing an earlier page stored (the theme mode, say) hides a
        # first-visit error.
        context = self.browser.new_context(viewport=VIEWPORT, color_scheme="light")

        def route(request_route):
            url = request_route.request.url
            if url.startswith(self.base_url):
                request_route.continue_()
            else:  # never let a page reach the network; record the attempt instead
                result.outside_requests.append(url)
                request_route.abort("blockedbyclient")

        context.route("**/*", route)
        page = context.new_page()
        reading = [True]  # what the page does for a reader; axe-core's own requests come later
        page.on("console", lambda m: reading[0] and m.type == "error" and result.console_errors.append(
            f"{m.text} ({m.location.get('url', '')}:{m.location.get('lineNumber', '')})"))
        page.on("pageerror", lambda err: result.console_errors.append(f"uncaught: {err}"))
        page.on("requestfailed", lambda r: reading[0] and r.url not in result.outside_requests
                and result.failed_requests.append(f"{r.url}: {r.failure}"))
        page.on("response", lambda r: reading[0] and r.status >= 400
                and result.failed_requests.append(f"{r.url}: HTTP {r.status}"))
        page.goto(self.base_url + name, wait_until="load")
        page.wait_for_load_state("networkidle")
        page.evaluate(CHARTS_READY)

        if self.screenshots and name.startswith("chapters/"):  # before anything scrolls the page
            self.screenshots.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(self.screenshots / f"{Path(urlsplit(name).path).stem}.png"), full_page=True)
        images = page.evaluate(IMAGE_SCRIPT)
        result.broken_images = images["broken"]
        result.figures = images["figures"]
        text = page.inner_text("body")
        if "Traceback (most recent call last)" in text:
            result.tracebacks.append("the text 'Traceback (most recent call last)'")
        result.tracebacks += [f"an output of class {cls!r}" for cls in ("traceback", "error", "stderr")
                              if page.locator(f"div.output.{cls}, div.cell_output .{cls}").count()]
        result.tracebacks += [f"a leaked object repr {m!r}" for m in FIGURE_REPR.findall(text)]
        result.empty_figures = self._empty_figures(page, result.figures)

        # axe-core fetches stylesheets itself and resolves CSS @import against the wrong base
        # (a 404 for /basic.css that no reader's browser makes), so its requests are not counted.
        reading[0] = False
        report = self.axe.run(page)
        result.violations = [v for v in report.response["violations"] if v.get("impact") in SERIOUS]
        context.close()
        return result

    def _empty_figures(self, page, figures) -> list[str]:
        """Figures a reader would see as empty: no image, no size, blank pixels, or no data."""
        from PIL import Image

        problems = []
        for info in figures:
            label = info["id"] or info["src"] or f"figure {info['index'] + 1}"
            if info["tag"] is None:
                problems.append(f"{label}: a figure with no image")
                continue
            if info["width"] < 50 or info["height"] < 50:
                problems.append(f"{label}: shown at {info['width']:.0f}x{info['height']:.0f} px")
                continue
            element = page.locator(f"[data-qg-figure='{info['index']}']")
            element.scroll_into_view_if_needed()
            shot = Image.open(io.BytesIO(element.screenshot())).convert("L")
            background = shot.getpixel((0, 0))
            drawn = sum(n for level, n in enumerate(shot.histogram()) if abs(level - background) > 24)
            if drawn < 0.005 * shot.width * shot.height:
                problems.append(f"{label}: blank ({drawn} of {shot.width * shot.height} pixels drawn)")
            # A figure made by a notebook (image named by its hash) links the data it shows.
            if info["inFigure"] and (GENERATED_IMAGE.search(info["src"] or "") or info["tag"] == "div"):
                if not info["csv"]:
                    problems.append(f"{label}: no linked CSV with the figure's data")
                for href in info["csv"]:
                    rows = self._csv_rows(page.url, href)
                    if rows < 1:
                        problems.append(f"{label}: its data CSV {href} has no data rows")
        return problems

    def _csv_rows(self, page_url: str, href: str) -> int:
        path = self.root / unquote(urlsplit(urljoin(page_url, href)).path.removeprefix("/"))
        if not path.is_file():
            return -1
        with path.open(newline="", encoding="utf-8") as handle:
            return max(sum(1 for _ in csv.reader(handle)) - 1, 0)


@pytest.fixture(scope="session")
def visit(browser):
    """visit(page) opens a page of _build/html once and returns what was seen."""
    if not PAGES:
        pytest.fail(f"no built pages in {HTML}; run `make book` first")
    with serve(HTML) as base_url:
        yield Inspector(browser, HTML, base_url, SCREENSHOTS)


def format_violations(violations) -> str:
    lines = []
    for v in violations:
        targets = ", ".join(" ".join(node["target"]) if isinstance(node["target"], list) else str(node["target"])
                            for node in v["nodes"][:5])
        lines.append(f"{v['id']} ({v['impact']}): {v['help']} -> {targets}")
    return "\n".join(lines)


def test_there_are_pages_to_check():
    assert any(p.startswith("chapters/") for p in PAGES), f"no chapter pages in {HTML}"


@pytest.mark.parametrize("page", PAGES)
def test_no_console_errors(visit, page):
    errors = visit(page).console_errors
    assert not errors, "console errors:\n" + "\n".join(errors)


@pytest.mark.parametrize("page", PAGES)
def test_every_request_succeeds_and_stays_inside_the_book(visit, page):
    seen = visit(page)
    assert not seen.outside_requests, "requests outside the book:\n" + "\n".join(seen.outside_requests)
    assert not seen.failed_requests, "failed requests:\n" + "\n".join(seen.failed_requests)


@pytest.mark.parametrize("page", PAGES)
def test_every_image_loads(visit, page):
    broken = visit(page).broken_images
    assert not broken, "images that did not load:\n" + "\n".join(map(str, broken))


@pytest.mark.parametrize("page", PAGES)
def test_no_traceback_and_no_empty_figure(visit, page):
    seen = visit(page)
    assert not seen.tracebacks, "error output on the page:\n" + "\n".join(seen.tracebacks)
    assert not seen.empty_figures, "empty figures:\n" + "\n".join(seen.empty_figures)


@pytest.mark.parametrize("page", PAGES)
def test_no_serious_accessibility_violations(visit, page):
    seen = visit(page)
    assert not seen.violations, "axe-core:\n" + format_violations(seen.violations)


@pytest.mark.parametrize("page", PAGES)
def test_every_figure_has_alt_text(visit, page):
    missing = []
    for info in visit(page).figures:
        alt = (info["alt"] or "").strip()
        name = Path(urlsplit(info["src"] or "").path).name
        if len(alt) < 10 or alt == name or re.fullmatch(r"[\w-]+\.(svg|png|jpe?g|pdf)", alt):
            missing.append(f"{info['id'] or info['src']}: alt={alt!r}")
    assert not missing, "figures need alt text that says what they show:\n" + "\n".join(missing)


@pytest.mark.parametrize("stem", sorted(p.split("/")[1].removesuffix(".html") for p in PAGES
                                        if p.startswith("chapters/")))
def test_each_chapter_has_a_screenshot(visit, stem):
    visit(f"chapters/{stem}.html")
    shot = SCREENSHOTS / f"{stem}.png"
    assert shot.is_file() and shot.stat().st_size > 10_000


# ---- the checks themselves, on pages made here with one fault each -------------------------

CHART = ('<svg xmlns="http://www.w3.org/2000/svg" width="400" height="300">'
         '<rect width="400" height="300" fill="white"/>{}</svg>')
FAULTY_PAGES = {
    "console.html": '<script>console.error("something broke")</script>',
    "outside.html": '<img src="https://cdn.example.org/chart.png" alt="A chart fetched from another site">',
    "missing.html": '<img src="no-such-image.png" alt="A chart whose file is missing">',
    "traceback.html": '<article><div class="cell_output"><div class="output traceback">'
                      '<pre>Traceback (most recent call last):\nValueError</pre></div></div></article>',
    "blank.html": '<article><figure id="fig-blank"><img src="_images/{}.svg" alt="A chart with nothing drawn on it">'
                  '<figcaption>A caption, which is not the figure.</figcaption></figure></article>'.format("0" * 64),
    "noalt.html": '<article><figure id="fig-noalt"><img src="chart.svg"></figure></article>',
}


def test_the_checks_catch_each_kind_of_fault(browser, tmp_path):
    (tmp_path / "_images").mkdir()
    (tmp_path / "_images" / f"{'0' * 64}.svg").write_text(CHART.format(""), encoding="utf-8")
    (tmp_path / "chart.svg").write_text(CHART.format('<path d="M20 280 L380 20" stroke="black" stroke-width="4"/>'),
                                        encoding="utf-8")
    for name, body in FAULTY_PAGES.items():
        (tmp_path / name).write_text(f'<!DOCTYPE html><html lang="en"><head><title>{name}</title>'
                                     f'<link rel="icon" href="data:,"></head><body><main>{body}</main></body></html>',
                                     encoding="utf-8")
    with serve(tmp_path) as base_url:
        inspect = Inspector(browser, tmp_path, base_url)
        assert any("something broke" in e for e in inspect("console.html").console_errors)
        assert inspect("outside.html").outside_requests == ["https://cdn.example.org/chart.png"]
        missing = inspect("missing.html")
        assert any("no-such-image.png" in f for f in missing.failed_requests)
        assert missing.broken_images == ["no-such-image.png"]
        assert len(inspect("traceback.html").tracebacks) == 2
        blank = inspect("blank.html").empty_figures
        assert any("blank" in p for p in blank) and any("no linked CSV" in p for p in blank)
        noalt = inspect("noalt.html")
        assert noalt.figures[0]["alt"] is None
        assert "image-alt" in {v["id"] for v in noalt.violations}
        assert inspect("console.html").violations == []


# ---- the Content-Security-Policy (migration_report.sphinx.csp) -----------------------------------

def _policy(page: str) -> dict[str, list[str]]:
    text = (HTML / page).read_text(encoding="utf-8")
    found = re.findall(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)"', text)
    assert len(found) == 1, f"{page}: {len(found)} policies"
    assert "<script" not in text or text.index(found[0]) < text.index("<script"), f"{page}: a script before the policy"
    return {d.split()[0]: d.split()[1:] for d in found[0].split("; ")}


@pytest.mark.parametrize("page", [p for p in PAGES if "?" not in p])
def test_every_page_has_a_strict_content_security_policy(page):
    policy = _policy(page)
    assert policy["default-src"] == ["'none'"] and policy["object-src"] == ["'none'"] and policy["base-uri"] == ["'none'"]
    assert policy["script-src"][0] == "'self'"
    assert all(s.startswith("'sha256-") or s in ("'self'", "'unsafe-hashes'") for s in policy["script-src"]), policy
    assert not [s for values in policy.values() for s in values if "://" in s or s in ("*", "https:", "http:")]


def test_the_policy_stops_code_that_reached_a_page_and_the_charts_still_draw(browser, tmp_path):
    """A chapter page with markup injected into its content, as a raw-HTML translation or a javascript: link once
    put it there: nothing of it runs, and the page's own scripts (theme, charts) still do."""
    for name in ("_static", "_images", "_downloads"):
        (tmp_path / name).symlink_to(HTML / name)
    (tmp_path / "chapters").mkdir()
    page = (HTML / "chapters" / "flow-statistics.html").read_text(encoding="utf-8")
    attack = ('<script>window.injected = "script"</script><img src="x.png" onerror="window.injected = \'handler\'">'
              '<a id="attack" href="javascript:window.injected = \'link\'">link</a>')
    (tmp_path / "chapters" / "attacked.html").write_text(page.replace("<article", attack + "<article", 1),
                                                           encoding="utf-8")
    with serve(tmp_path) as base_url:
        context = browser.new_context(viewport=VIEWPORT, color_scheme="light")
        tab = context.new_page()
        errors = []
        tab.on("console", lambda m: m.type == "error" and errors.append(m.text))
        tab.goto(base_url + "chapters/attacked.html", wait_until="load")
        tab.evaluate(CHARTS_READY)
        tab.click("#attack")
        tab.wait_for_timeout(300)
        assert tab.evaluate("window.injected") is None
        assert sum("Content Security Policy" in e for e in errors) >= 3, errors
        drawn = tab.evaluate("[...document.querySelectorAll('.vega-chart')].map(e => e.dataset.rendered)")
        assert drawn and set(drawn) == {"true"}
        context.close()
