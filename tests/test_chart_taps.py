"""Every chart of both editions answers a tap as it answers the pointer: on a phone (touch emulation,
no mouse), a tap on a chart shows the tooltip that the pointer shows at the same place.

A tap fires no pointermove, which is what shows a Vega chart's tooltip; charts.js passes the tap's
click on as one (migration_report.chart_static). Each chart is tried on one of its marks that has a
tooltip, the same mark in a page with a mouse and in a page with a touch screen. Run after the book
is built (marker `book`).
"""

from __future__ import annotations

import pytest

from test_browser import CHARTS_READY, HTML

pytestmark = pytest.mark.book

PHONE = {"width": 390, "height": 844}
CHART_PAGES = sorted(p.relative_to(HTML).as_posix() for edition in (HTML / "chapters", HTML / "es" / "chapters")
                     if edition.is_dir() for p in edition.glob("*.html")
                     if 'class="vega-chart"' in p.read_text(encoding="utf-8")) if HTML.is_dir() else []

# Each chart's marks that have a tooltip, in the middle of the chart first: [chart, [mark, ...]].
TIPPED_MARKS = """() => [...document.querySelectorAll('.vega-chart')].map((el, chart) => {
  const marks = [...el.querySelectorAll('svg *')].map((m, i) => [m, i])
    .filter(([m]) => m.__data__ && !Array.isArray(m.__data__) && m.__data__.tooltip != null);
  const half = Math.floor(marks.length / 2);
  return [chart, marks.slice(half).concat(marks.slice(0, half)).map(([, i]) => i)];
})"""

# Where a chart's mark is on the screen, once the chart is in view; null when something else covers
# its middle (the pointer or finger would reach that, not the mark).
MARK_AT = """async ([chart, mark]) => {
  const el = document.querySelectorAll('.vega-chart')[chart];
  el.scrollIntoView({block: 'center'});
  await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
  const m = el.querySelectorAll('svg *')[mark];
  const r = m.getBoundingClientRect();
  const x = r.left + r.width / 2, y = r.top + r.height / 2;
  const hit = document.elementFromPoint(x, y);
  return hit && (hit === m || hit.__data__ === m.__data__) ? [x, y] : null;
}"""

TOOLTIP = "(document.querySelector('.chart-tooltip:not([hidden])') || {}).innerText || ''"
HIDE_TOOLTIP = "() => { const tip = document.querySelector('.chart-tooltip'); if (tip) tip.hidden = true; }"


@pytest.fixture(scope="module")
def site(site):  # the book served (tests/conftest.py), once it has a page with a chart
    if not CHART_PAGES:
        pytest.fail(f"no page with an interactive chart in {HTML}; run `make book` first")
    return site


def _page(browser, url: str, touch: bool):
    context = browser.new_context(viewport=PHONE, has_touch=touch, is_mobile=touch, color_scheme="light")
    base = url.rsplit("/chapters/", 1)[0].rsplit("/es", 1)[0]
    context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(base)
                  else route.abort("blockedbyclient"))
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(url, wait_until="load")
    page.wait_for_load_state("networkidle")
    page.evaluate(CHARTS_READY)
    return context, page, errors


@pytest.mark.parametrize("page_name", CHART_PAGES)
def test_a_tap_on_each_chart_shows_what_the_pointer_shows(browser, site, page_name):
    mouse_context, mouse, mouse_errors = _page(browser, site + page_name, touch=False)
    touch_context, finger, touch_errors = _page(browser, site + page_name, touch=True)
    try:
        tried, without_tooltips, differ = 0, [], []
        for chart, marks in mouse.evaluate(TIPPED_MARKS):
            figure = mouse.evaluate("i => document.querySelectorAll('.vega-chart')[i].closest('figure').id", chart)
            if not marks:
                without_tooltips.append(figure)
                continue
            for mark in marks:  # the first mark both pages can reach
                at_mouse, at_finger = mouse.evaluate(MARK_AT, [chart, mark]), finger.evaluate(MARK_AT, [chart, mark])
                if at_mouse and at_finger:
                    break
            else:
                pytest.fail(f"{page_name}: no mark of chart {chart} ({figure}) with a tooltip can be reached")
            mouse.mouse.move(at_mouse[0] - 2, at_mouse[1])  # two moves, so the chart sees the pointer arrive
            mouse.mouse.move(*at_mouse)
            mouse.wait_for_selector(".chart-tooltip:not([hidden])")
            pointed = mouse.evaluate(TOOLTIP)
            mouse.mouse.move(1, 1)
            finger.evaluate(HIDE_TOOLTIP)
            finger.touchscreen.tap(*at_finger)
            finger.wait_for_timeout(100)
            tapped = finger.evaluate(TOOLTIP)
            tried += 1
            if not pointed or tapped != pointed:
                differ.append(f"chart {chart} ({figure}): pointer {pointed!r}, tap {tapped!r}")
        # a tap elsewhere on the page puts the tooltip away
        paragraph = finger.locator("article p").first
        paragraph.scroll_into_view_if_needed()
        box = paragraph.bounding_box()
        finger.touchscreen.tap(box["x"] + 5, box["y"] + box["height"] / 2)
        finger.wait_for_timeout(100)
        put_away = finger.evaluate(TOOLTIP) == ""
    finally:
        mouse_context.close()
        touch_context.close()
    assert tried, f"{page_name}: no chart with a tooltip"
    assert differ == [], f"{page_name}: a tap does not show what the pointer shows:\n" + "\n".join(differ)
    # Only a panel with no data of its own has no tooltip: the Belize panel of the flows figure and the
    # funding figure's panel of a kind with no entry ("none documented"), one of each at most.
    assert set(without_tooltips) <= {"fig-flows", "fig-funding"}, without_tooltips
    assert len(without_tooltips) == len(set(without_tooltips)), without_tooltips
    assert put_away, f"{page_name}: the tooltip stayed after a tap outside the chart"
    assert not mouse_errors and not touch_errors, mouse_errors + touch_errors
