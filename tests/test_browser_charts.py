"""The interactive charts in a real browser: drawn, readable at a phone's and a desktop's width in
light and dark mode, and showing on hover the values the figure's CSV holds.

Chromium with every request outside the book blocked, as in tests/test_browser.py (whose checks
of console errors, requests and axe-core run on the same pages). Screenshots of every chart, in
each width and mode, go to _build/screenshots/charts/.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from urllib.parse import unquote

import pytest

from migration_report.core import charts
from test_browser import CHARTS_READY, HTML, SCREENSHOTS

pytestmark = pytest.mark.book

CHART_PAGES = sorted(p.relative_to(HTML).as_posix() for p in (HTML / "chapters").glob("*.html")
                     if 'class="vega-chart"' in p.read_text(encoding="utf-8")) if HTML.is_dir() else []
FIGURE_PAGES = sorted(p.relative_to(HTML).as_posix() for p in (HTML / "chapters").glob("*.html")
                      if "<figure" in p.read_text(encoding="utf-8")) if HTML.is_dir() else []
# The same pages of the Spanish edition, when it was built (BOOK_EDITIONS="en es").
FIGURE_PAGES_ES = sorted(p.relative_to(HTML).as_posix() for p in (HTML / "es" / "chapters").glob("*.html")
                         if "<figure" in p.read_text(encoding="utf-8")) if (HTML / "es").is_dir() else []
# The figure that was a static drawing scaled to its column (labels of 5 CSS px on a phone), now a
# chart laid out for its width (migration_report.chapters.institutional_actors.figures): its text size is also checked on
# its own, below.
STATIC_DRAWINGS = {"fig-actor-network"}
LAYOUTS = [(390, "light"), (390, "dark"), (1280, "light"), (1280, "dark")]
PLATES = [charts.PLATE.upper(), charts.DARK[charts.PLATE].upper()]  # behind labels, in each colour scheme

# Rendered size of every text in a figure, in CSS px: SVG text scaled by how its SVG is drawn,
# and for static images the SVG file's own font sizes scaled by the image's drawn width.
TEXT_SIZES = """async () => {
  const sizes = [];
  for (const svg of document.querySelectorAll("figure .vega-chart svg")) {
    const scale = svg.getBoundingClientRect().width / svg.width.baseVal.value;
    for (const t of svg.querySelectorAll("text")) {
      if (!t.textContent.trim()) continue;
      sizes.push({figure: svg.closest("figure").id, what: t.textContent.slice(0, 40),
                  px: parseFloat(getComputedStyle(t).fontSize) * scale});
    }
  }
  for (const p of document.querySelectorAll("figure .chart-source, figure .chart-hint")) {
    sizes.push({figure: p.closest("figure").id, what: p.textContent.slice(0, 40),
                px: parseFloat(getComputedStyle(p).fontSize)});
  }
  for (const img of document.querySelectorAll("figure img[src$='.svg']")) {
    const text = await (await fetch(img.src)).text();
    const doc = new DOMParser().parseFromString(text, "image/svg+xml");
    const root = doc.documentElement;
    const viewBox = root.viewBox.baseVal;
    const scale = img.getBoundingClientRect().width / (viewBox && viewBox.width ? viewBox.width : img.naturalWidth);
    for (const m of text.matchAll(/font(?:-size)?:[^;"]*?([\\d.]+)px/g)) {
      sizes.push({figure: img.closest("figure").id, what: img.getAttribute("src"), px: parseFloat(m[1]) * scale});
    }
  }
  return sizes;
}"""

# Figure pictures (static images and chart drawings) that are wider than their figure, or that an
# ancestor with hidden or scrolling overflow cuts off: a reader would not see all of the figure.
CUT_FIGURES = """() => {
  const cut = [];
  for (const el of document.querySelectorAll("article figure img, article figure .vega-chart svg")) {
    const figure = el.closest("figure");
    const r = el.getBoundingClientRect(), f = figure.getBoundingClientRect();
    const what = figure.id || el.getAttribute("src");
    if (!r.width) continue;
    if (r.left < f.left - 1 || r.right > f.right + 1) {
      cut.push(`${what}: drawn ${Math.round(r.width)} px wide in a figure of ${Math.round(f.width)} px`);
    }
    for (let box = el.parentElement; box && box !== document.body; box = box.parentElement) {
      const style = getComputedStyle(box);
      if (style.overflowX === "visible") continue;
      const b = box.getBoundingClientRect();
      if (r.left < b.left - 1 || r.right > b.right + 1) {
        cut.push(`${what}: cut by <${box.tagName.toLowerCase()} class="${box.className}"> ` +
                 `(${Math.round(b.left)}-${Math.round(b.right)} px) from ${Math.round(r.left)}-${Math.round(r.right)} px`);
        break;
      }
    }
  }
  if (document.documentElement.scrollWidth > window.innerWidth + 1) {
    cut.push(`the page is ${document.documentElement.scrollWidth} px wide in a ${window.innerWidth} px window`);
  }
  return cut;
}"""

# Chart texts that run past the left or right edge of their chart, where the page would cut them.
CUT_TEXT = """() => {
  const cut = [];
  for (const svg of document.querySelectorAll("figure .vega-chart svg")) {
    const box = svg.getBoundingClientRect();
    for (const t of svg.querySelectorAll("text")) {
      const r = t.getBoundingClientRect();
      if (!t.textContent.trim() || !r.width) continue;
      if (r.left < box.left - 1 || r.right > box.right + 1) {
        cut.push({figure: svg.closest("figure").id, what: t.textContent.slice(0, 40),
                  by: Math.round(Math.max(box.left - r.left, r.right - box.right))});
      }
    }
  }
  return cut;
}"""

# Labels a chart draws (its text marks: not axes, legends or titles) that overlap another label or
# a mark a reader sees, measured in the rendered SVG: each label's box, sampled every 2 px (1 px in
# from its sides, 2 px from its top and bottom), against every other label's box and against the painted fill or stroke of every
# visible mark (isPointInFill / isPointInStroke in the mark's own coordinates). Two placements are
# by design and allowed: a label wholly inside one bar (the bar's own label), and a label over a
# line or rule where a plate of the page's colour lies between the line and the label.
LABEL_COLLISIONS = """(plates) => {
  const found = [];
  const none = (v) => !v || v === "none" || v === "transparent";
  const opacity = (el) => {
    let o = 1;
    for (let e = el; e && e.tagName.toLowerCase() !== "svg"; e = e.parentElement) {
      if (e.getAttribute("opacity") !== null) o *= parseFloat(e.getAttribute("opacity"));
    }
    return o;
  };
  const paint = (el) => {
    const o = opacity(el);
    const fill = el.getAttribute("fill"), stroke = el.getAttribute("stroke");
    const fo = parseFloat(el.getAttribute("fill-opacity") ?? "1"), so = parseFloat(el.getAttribute("stroke-opacity") ?? "1");
    const sw = parseFloat(el.getAttribute("stroke-width") ?? "1");
    // A rule (an SVG line) is stroked black when Vega gives it no colour; a path is filled black.
    const isLine = el.tagName.toLowerCase() === "line";
    return {fill: !isLine && !none(fill ?? "black") && fo * o > 0.05,
            stroke: !none(stroke) && sw > 0 && so * o > 0.05,
            plate: !none(fill) && plates.includes(fill.toUpperCase())};
  };
  const overlap = (a, b) => Math.min(a.right, b.right) - Math.max(a.left, b.left) > 1 &&
                            Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > 1;
  for (const svg of document.querySelectorAll("figure .vega-chart svg")) {
    const figure = svg.closest("figure").id;
    const labels = [...svg.querySelectorAll("g.mark-text.role-mark text")]
      .filter((t) => t.textContent.trim() && opacity(t) > 0.05)
      .map((t) => ({el: t, box: t.getBoundingClientRect(), text: t.textContent.trim().slice(0, 40)}))
      .filter((l) => l.box.width > 0);
    const marks = [...svg.querySelectorAll("g.role-mark:not(.mark-text):not(.mark-group) > path, " +
                                           "g.role-mark:not(.mark-text):not(.mark-group) > line")]
      .map((el) => ({el, box: el.getBoundingClientRect(), ...paint(el)}))
      .filter((m) => m.fill || m.stroke || m.plate);
    const platesDrawn = marks.filter((m) => m.plate);
    for (let i = 0; i < labels.length; i++) {
      for (let j = i + 1; j < labels.length; j++) {
        if (overlap(labels[i].box, labels[j].box)) {
          found.push({figure, label: labels[i].text, with: "label " + labels[j].text});
        }
      }
    }
    const points = (box) => {
      const pts = [];
      // 2 px in from the top and bottom: a text's box has that much room above and below its letters.
      for (let x = box.left + 1; x <= box.right - 1; x += 2) {
        for (let y = box.top + 2; y <= box.bottom - 2; y += 2) pts.push([x, y]);
      }
      return pts;
    };
    const local = (el, x, y) => new DOMPoint(x, y).matrixTransform(el.getScreenCTM().inverse());
    const inFill = (m, x, y) => m.el.isPointInFill && m.el.isPointInFill(local(m.el, x, y));
    const inStroke = (m, x, y) => m.el.isPointInStroke(local(m.el, x, y));
    for (const label of labels) {
      const pts = points(label.box);
      for (const mark of marks) {
        if (mark.plate || !overlap(label.box, mark.box)) continue;
        const hit = pts.filter(([x, y]) => (mark.fill && inFill(mark, x, y)) || (mark.stroke && inStroke(mark, x, y)));
        if (!hit.length) continue;
        if (mark.fill && hit.length === pts.length) continue;  // wholly inside one bar: the bar's own label
        const behindPlate = !mark.fill && hit.every(([x, y]) => platesDrawn.some((plate) =>
          (mark.el.compareDocumentPosition(plate.el) & Node.DOCUMENT_POSITION_FOLLOWING) && inFill({el: plate.el}, x, y)));
        if (behindPlate) continue;
        const kind = mark.el.closest("g.role-mark").getAttribute("class").split(" ")[0];
        found.push({figure, label: label.text, with: `${kind} (${hit.length} of ${pts.length} points)`});
      }
    }
  }
  return found;
}"""

# Where a month (or a category) of a chart is on the screen, from the chart's own scales.
POINT_OF = """async ([figureId, panel, x, y]) => {
  const el = document.getElementById(figureId).querySelectorAll(".vega-chart")[panel];
  el.scrollIntoView({block: "center"});
  await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
  await el.vegaReady;  // a resize may have redrawn the chart: measure the one on the screen
  // origin() is the plot's corner inside the padding, which Vega adds around it.
  const view = el.vegaView, pad = view.padding(), origin = view.origin();
  const xs = view.scale("x"), ys = view.scale("y");
  const px = typeof x === "string" && x.match(/^\\d{4}-/) ? xs(new Date(x)) : xs(x) ;
  const py = y === null ? view.signal("height") / 2 : ys(y) + (ys.bandwidth ? ys.bandwidth() / 2 : 0);
  const again = el.querySelector("svg").getBoundingClientRect();
  return [again.left + pad.left + origin[0] + px, again.top + pad.top + origin[1] + py];
}"""


@pytest.fixture(scope="module")
def site(site):  # the book served (tests/conftest.py), once it has a page with a chart
    if not CHART_PAGES:
        pytest.fail(f"no page with an interactive chart in {HTML}; run `make book` first")
    return site


def open_page(browser, base_url, page_name, width=1280, scheme="light"):
    context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=scheme)
    outside = []

    def route(request_route):
        if request_route.request.url.startswith(base_url):
            request_route.continue_()
        else:
            outside.append(request_route.request.url)
            request_route.abort("blockedbyclient")

    context.route("**/*", route)
    if scheme == "dark":  # the theme's own switch, as a reader who chose dark mode has it
        context.add_init_script("localStorage.setItem('theme', 'dark'); localStorage.setItem('mode', 'dark');")
    page = context.new_page()
    errors = []
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(base_url + page_name, wait_until="load")
    page.wait_for_load_state("networkidle")
    page.evaluate(CHARTS_READY)
    return context, page, errors, outside


def csv_rows(page_name: str, figure: str) -> list[dict]:
    """The rows of the CSV that the figure's "Data for this figure" link downloads."""
    page = (HTML / page_name).read_text(encoding="utf-8")
    start = page.index(f'id="{figure}"')
    href = re.search(r'href="([^"]+\.csv)"', page[start:]).group(1)
    path = (HTML / page_name).parent / unquote(href)
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))


def hover(page, figure, x, y=None, panel=0) -> str:
    point = page.evaluate(POINT_OF, [figure, panel, x, y])
    page.mouse.move(point[0] - 3, point[1])  # two moves, so the chart sees the pointer arrive
    page.mouse.move(*point)
    page.wait_for_selector(".chart-tooltip:not([hidden])")
    return page.inner_text(".chart-tooltip")


@pytest.mark.parametrize("page_name", CHART_PAGES)
def test_every_chart_is_drawn_with_no_error_and_no_request_outside(browser, site, page_name):
    context, page, errors, outside = open_page(browser, site, page_name)
    drawn = page.evaluate("""() => [...document.querySelectorAll('.vega-chart')].map(el =>
        ({rendered: el.dataset.rendered, marks: el.querySelectorAll('svg path, svg rect, svg line').length,
          label: el.closest('.vega-charts').getAttribute('aria-label')}))""")
    scripts = page.evaluate("() => [...document.scripts].map(s => s.getAttribute('src')).filter(Boolean)")
    context.close()
    assert drawn and all(d["rendered"] == "true" and d["marks"] > 20 for d in drawn), drawn
    assert all(d["label"] and d["label"] != "ALT" and len(d["label"]) > 40 for d in drawn), drawn
    assert any(s.endswith("vega-6.2.0.min.js") or "vega-6.2.0.min.js?" in s for s in scripts)
    assert not errors and not outside, (errors, outside)


def test_pages_without_a_chart_do_not_load_the_chart_scripts():
    page = (HTML / "chapters" / "glossary.html").read_text(encoding="utf-8")
    assert "vega-6.2.0.min.js" not in page and "charts.js" not in page


def test_hover_shows_the_may_june_values_of_the_csv(browser, site):
    page_name = "chapters/flow-statistics.html"
    rows = {row["Month"]: row for row in csv_rows(page_name, "fig-flow-may-june")}
    context, page, errors, _ = open_page(browser, site, page_name)
    text = hover(page, "fig-flow-may-june", "2023-05-15T00:00:00Z")
    context.close()
    assert "May 2023" in text
    for measure in ("All Southwest border encounters", "Border Patrol (between ports)", "Field Operations (at ports)"):
        assert f"{measure}: {int(float(rows['2023-05'][measure])):,} encounters" in text, text
    assert not errors


def test_hover_on_a_stacked_chart_shows_every_series_of_that_month(browser, site):
    page_name = "chapters/flow-statistics.html"
    rows = {row["Month"]: row for row in csv_rows(page_name, "fig-flow-monthly")}
    context, page, _, _ = open_page(browser, site, page_name, width=390)
    text = hover(page, "fig-flow-monthly", "2021-03-10T00:00:00Z")
    context.close()
    assert "March 2021" in text
    for series in ("Border Patrol, Title 8", "Border Patrol, Title 42", "Field Operations, Title 8"):
        assert f"{series}: {int(float(rows['2021-03'][series])):,} encounters" in text, text


# Two labels of the May–June figure moved as a faulty layout would put them: the first onto the
# middle of the total's line, the second onto the first.
MOVE_LABELS = """() => {
  const figure = document.getElementById("fig-flow-may-june");
  const [a, b] = figure.querySelectorAll("g.mark-text.role-mark text");
  const line = figure.querySelector("g.mark-line path");
  const point = line.getPointAtLength(line.getTotalLength() / 2).matrixTransform(line.getScreenCTM());
  const place = (text, x, y) => {
    const at = new DOMPoint(x, y).matrixTransform(text.parentNode.getScreenCTM().inverse());
    const box = text.getBBox();
    text.setAttribute("transform", `translate(${at.x - box.width / 2},${at.y})`);
  };
  place(a, point.x, point.y);
  place(b, point.x, point.y);
  return [a.textContent, b.textContent];
}"""


def test_the_label_check_finds_labels_over_the_data_and_over_each_other(browser, site):
    context, page, _, _ = open_page(browser, site, "chapters/flow-statistics.html", 390)
    before = [c for c in page.evaluate(LABEL_COLLISIONS, PLATES) if c["figure"] == "fig-flow-may-june"]
    moved = page.evaluate(MOVE_LABELS)
    after = [c for c in page.evaluate(LABEL_COLLISIONS, PLATES) if c["figure"] == "fig-flow-may-june"]
    context.close()
    assert before == []
    assert any(c["with"].startswith("mark-line") for c in after), after
    assert any(c["with"] == "label " + moved[1][:40].strip() for c in after), after


def test_hover_on_a_bar_shows_its_count(browser, site):
    page_name = "chapters/introduction.html"
    counts = {}
    for row in csv_rows(page_name, "fig-claim-verdicts"):
        counts[row["Verdict"]] = counts.get(row["Verdict"], 0) + 1
    context, page, _, _ = open_page(browser, site, page_name)
    text = hover(page, "fig-claim-verdicts", 0.5, "supported")
    context.close()
    assert f"Claims in the article (number): {counts['supported']:,}" in text, text


def test_clicking_a_legend_entry_highlights_its_series(browser, site):
    context, page, _, _ = open_page(browser, site, "chapters/flow-statistics.html")
    chart = page.locator("#fig-flow-may-june .vega-chart")
    chart.scroll_into_view_if_needed()
    chart.locator("g.role-legend-label text", has_text="Field Operations (at ports)").click()
    page.wait_for_timeout(300)
    opacities = page.evaluate("""() => [...document.querySelectorAll('#fig-flow-may-june g.mark-line path')]
        .map(p => parseFloat(p.getAttribute('opacity') ?? '1'))""")
    context.close()
    assert max(opacities) == 1.0 and min(opacities) < 0.5, opacities


# One load of each figure page per layout serves every check of how its figures are drawn there.
@pytest.mark.parametrize("width,scheme", LAYOUTS)
@pytest.mark.parametrize("page_name", FIGURE_PAGES + FIGURE_PAGES_ES)
def test_figures_are_legible_whole_and_fit_their_column_at_phone_and_desktop_width(browser, site, page_name,
                                                                                   width, scheme):
    context, page, errors, _ = open_page(browser, site, page_name, width, scheme)
    page.evaluate("() => Promise.all([...document.images].map(img => img.decode().catch(() => null)))")
    sizes = page.evaluate(TEXT_SIZES)
    cut = page.evaluate(CUT_TEXT)
    cut_figures = page.evaluate(CUT_FIGURES)
    # Where labels sit does not depend on the colour scheme: measured once per width.
    collisions = page.evaluate(LABEL_COLLISIONS, PLATES) if scheme == "light" else []
    if scheme == "light":  # a picture of each figure at each width, to look at (dark mode is checked above)
        shots = SCREENSHOTS / "charts"
        shots.mkdir(parents=True, exist_ok=True)
        figures = page.locator("article figure")
        edition = "es-" if page_name.startswith("es/") else ""
        for i in range(figures.count()):
            figures.nth(i).scroll_into_view_if_needed()
            figures.nth(i).screenshot(path=str(shots / f"{edition}{Path(page_name).stem}-{i + 1}-{width}.png"))
    context.close()
    small = [s for s in sizes if s["px"] < charts.MIN_TEXT_PX - 0.01]
    assert sizes, "no figure text found"
    assert not small, f"figure text below {charts.MIN_TEXT_PX} CSS px:\n" + "\n".join(
        f"{s['px']:.1f} px: {s['what']}" for s in small[:15])
    assert not cut, "chart text cut at the chart's edge:\n" + "\n".join(
        f"{c['figure']}: {c['what']!r} by {c['by']} px" for c in cut[:15])
    assert not cut_figures, "figures not seen whole:\n" + "\n".join(cut_figures)
    assert not collisions, "chart labels over other labels or over marks:\n" + "\n".join(
        f"{c['figure']}: {c['label']!r} over {c['with']}" for c in collisions[:20])
    assert not errors


@pytest.mark.parametrize("width", [390, 1280])
def test_static_drawings_are_legible_when_they_fit_their_column(browser, site, width):
    context, page, errors, _ = open_page(browser, site, "chapters/institutional-actors.html", width)
    sizes = [s for s in page.evaluate(TEXT_SIZES) if s["figure"] in STATIC_DRAWINGS]
    context.close()
    assert sizes, "no text found in the static drawings"
    assert min(s["px"] for s in sizes) >= charts.MIN_TEXT_PX - 0.01, min(s["px"] for s in sizes)


def test_hover_on_a_stacked_bar_shows_the_part_of_the_csv(browser, site):
    page_name = "chapters/rio-grande-dispute.html"
    rows = {(row["Figure set"], row["Part"]): row for row in csv_rows(page_name, "fig-barrier-split")}
    us = rows[("mexico-sre", "united-states")]
    context, page, errors, _ = open_page(browser, site, page_name, width=390)
    text = hover(page, "fig-barrier-split", float(us["Length (metres)"]) / 2, "Mexico's figures (26 July 2023)")
    context.close()
    assert "Mexico's figures (26 July 2023)" in text and "United States" in text, text
    assert f"Length: {float(us['Length (metres)']):,.1f} m" in text, text
    assert f"Share of the set's total: {float(us['Share of the total length (%)']):.1f} %" in text, text
    assert not errors


@pytest.mark.parametrize("width", [390, 1280])
def test_hover_on_a_timeline_row_shows_the_date_event_and_source_of_the_csv(browser, site, width):
    page_name = "chapters/rio-grande-dispute.html"
    rows = {row["Label"]: row for row in csv_rows(page_name, "fig-rio-grande-timeline")}
    letter = rows["DOJ warns Texas by letter"]  # the low-confidence row, in the second period's panel
    assert letter["Confidence"] == "low"
    context, page, errors, _ = open_page(browser, site, page_name, width=width)
    text = hover(page, "fig-rio-grande-timeline", letter["Date"] + "T00:00:00Z", letter["Label"], panel=1)
    shown = page.evaluate("""() => [...document.querySelectorAll('#fig-rio-grande-timeline .vega-chart')[1]
        .querySelectorAll('svg text')].map(t => t.textContent)""")
    context.close()
    assert f"When: {letter['When']}" in text, text
    assert f"What happened: {letter['Event']}" in text, text
    assert f"Source: {letter['Source']}" in text, text
    assert "Confidence in the source: low" in text, text
    assert "DOJ warns Texas by letter (low confidence)" in shown  # the figure says so without hovering
    assert not errors
