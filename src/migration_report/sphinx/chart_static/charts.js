// Draws the book's interactive charts (migration_report.core.charts) with the vendored Vega runtime.
// Each .vega-chart holds a Vega specification as inert JSON; it is drawn as SVG at the width of
// its column when it nears the screen, again when the column's width changes and when the reader
// switches light/dark mode.
// Added by migration_report.sphinx.charts only to pages that have a chart.
(function () {
  "use strict";

  function isDark() {
    return document.documentElement.dataset.theme === "dark";
  }

  // Swap every colour the chart layer lists in DARK (charts.py) for its dark-mode counterpart.
  function recolour(value, map) {
    if (typeof value === "string") {
      var key = value.toLowerCase();
      return Object.prototype.hasOwnProperty.call(map, key) ? map[key] : value;
    }
    if (Array.isArray(value)) return value.map(function (v) { return recolour(v, map); });
    if (value && typeof value === "object") {
      var out = {};
      Object.keys(value).forEach(function (k) { out[k] = recolour(value[k], map); });
      return out;
    }
    return value;
  }

  // Legends in one column on narrow screens, so no entry runs past the chart's edge.
  function fitLegends(node, columns) {
    if (Array.isArray(node)) { node.forEach(function (n) { fitLegends(n, columns); }); return; }
    if (!node || typeof node !== "object") return;
    if (Array.isArray(node.legends)) node.legends.forEach(function (l) { l.columns = columns; });
    Object.keys(node).forEach(function (k) { if (k !== "data") fitLegends(node[k], columns); });
  }

  var tip = null;
  function tooltip(handler, event, item, value) {
    if (!tip) {
      tip = document.createElement("div");
      tip.className = "chart-tooltip";
      tip.setAttribute("aria-hidden", "true"); // the same values are in the figure's CSV
      document.body.appendChild(tip);
    }
    if (value == null || value === "") { tip.hidden = true; return; }
    tip.textContent = "";
    var rows = typeof value === "object" ? value : { "": value };
    Object.keys(rows).forEach(function (k) {
      var line = document.createElement("div");
      if (k) {
        var name = document.createElement("span");
        name.className = "chart-tooltip-key";
        name.textContent = k + ": ";
        line.appendChild(name);
      }
      line.appendChild(document.createTextNode(String(rows[k])));
      tip.appendChild(line);
    });
    tip.hidden = false;
    var x = event.clientX + 14, y = event.clientY + 14;
    var box = tip.getBoundingClientRect();
    if (x + box.width > window.innerWidth - 4) x = Math.max(4, event.clientX - box.width - 14);
    if (y + box.height > window.innerHeight - 4) y = Math.max(4, event.clientY - box.height - 14);
    tip.style.left = x + window.scrollX + "px";
    tip.style.top = y + window.scrollY + "px";
  }

  // A tap answers as the pointer does. Vega shows a tooltip (and moves a chart's hover
  // highlight) on pointermove, which a finger's tap never fires: only pointerdown, pointerup and,
  // after them, a click. So a tap's click is passed on to the chart as the pointermove it lacked,
  // at the same place: the tooltip and highlight are the ones the pointer would show there.
  function answerTaps(el) {
    if (el.answersTaps) return;  // once per chart element, across redraws
    el.answersTaps = true;
    var pointer = "mouse";
    el.addEventListener("pointerdown", function (event) { pointer = event.pointerType; });
    el.addEventListener("click", function (event) {
      if (pointer === "mouse" || !event.isTrusted) return;  // a mouse has moved there already
      event.target.dispatchEvent(new PointerEvent("pointermove", {
        bubbles: true, cancelable: true, composed: true, clientX: event.clientX, clientY: event.clientY,
        screenX: event.screenX, screenY: event.screenY, pointerType: pointer, isPrimary: true
      }));
    });
  }

  function draw(el) {
    el.wanted = true; // drawn from now on, again at each change of width or mode
    var spec = el.vegaSpec;
    var width = Math.floor(el.clientWidth);
    if (!width) return;
    if (el.vegaView && el.drawnWidth === width && el.drawnDark === isDark()) return;
    if (el.vegaView) el.vegaView.finalize();
    var figure = el.closest(".chart-figure");
    var dark = figure && figure.dataset.dark ? JSON.parse(figure.dataset.dark) : {};
    var map = {};
    Object.keys(dark).forEach(function (k) { map[k.toLowerCase()] = dark[k]; });
    var copy = isDark() ? recolour(spec, map) : JSON.parse(JSON.stringify(spec));
    copy.background = null; // the page shows through: no white plate in dark mode
    copy.width = width;
    // On a narrow screen every legend takes one column; otherwise the spec says how many fit
    // (charts.legend_columns: one where two labels side by side would pass the edge).
    if (width < 520) fitLegends(copy, 1);
    // Expressions evaluated by vega-interpreter, not compiled with new Function: the pages' Content-Security-
    // Policy allows no eval (migration_report.sphinx.csp).
    var view = new vega.View(vega.parse(copy, null, { ast: true }),
                             { renderer: "svg", container: el, hover: true, expr: vega.expressionInterpreter });
    view.tooltip(tooltip);
    answerTaps(el);
    el.vegaView = view;
    el.drawnWidth = width;
    el.drawnDark = isDark();
    el.vegaReady = view.runAsync().then(function () { el.dataset.rendered = "true"; });
  }

  // A chart is drawn when it comes near the screen, and every chart before printing: drawing all
  // the charts of a long chapter as it loaded kept a phone busy for a second or more. Asking for
  // a chart's vegaReady (a promise of the drawn chart; the browser tests wait on it) draws it now.
  function drawnOnRequest(el) {
    var ready = null;
    Object.defineProperty(el, "vegaReady", {
      configurable: true,
      get: function () { if (!ready) draw(el); return ready || Promise.resolve(); },
      set: function (promise) { ready = promise; }
    });
  }

  function redraw(el) {
    if (el.wanted) draw(el);
  }

  function init() {
    var charts = Array.prototype.slice.call(document.querySelectorAll(".vega-chart"));
    charts.forEach(function (el) {
      var script = el.querySelector('script[type="application/json"]');
      el.vegaSpec = JSON.parse(script.textContent);
      drawnOnRequest(el);
    });
    if (window.IntersectionObserver) {
      var near = new IntersectionObserver(function (entries) {
        entries.forEach(function (entry) {
          if (entry.isIntersecting) { near.unobserve(entry.target); draw(entry.target); }
        });
      }, { rootMargin: "100% 0px" });
      charts.forEach(function (el) { near.observe(el); });
    } else {
      charts.forEach(draw);
    }
    window.addEventListener("beforeprint", function () { charts.forEach(draw); });
    if (window.ResizeObserver) {
      var observer = new ResizeObserver(function (entries) {
        entries.forEach(function (entry) { redraw(entry.target); });
      });
      charts.forEach(function (el) { observer.observe(el); });
    }
    new MutationObserver(function () { charts.forEach(redraw); })
      .observe(document.documentElement, { attributes: true, attributeFilter: ["data-theme"] });
    document.addEventListener("scroll", function () { if (tip) tip.hidden = true; }, { passive: true });
    // A tap elsewhere puts a tapped chart's tooltip away, as moving the pointer off the chart does.
    document.addEventListener("click", function (event) {
      if (tip && !(event.target.closest && event.target.closest(".vega-chart"))) tip.hidden = true;
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
