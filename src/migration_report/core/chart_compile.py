"""A chart's Vega-Lite compiled to the Vega the HTML book's pages draw, when the HTML book is built.

A notebook run writes each chart panel as Vega-Lite (`charts.Figure.html`, in a
`<script type="application/vnd.vegalite+json">`); the HTML build compiles it to Vega with vl-convert
(`migration_report.sphinx.charts`), so that pages load only the Vega runtime, not the Vega-Lite
compiler. Compiling in the kernel cost each chart chapter about 0.3 s of vl-convert's start-up, in
every run and in both editions; the build's Sphinx process starts it once.

What Vega-Lite cannot say rides along in the panel's ``usermeta`` under BOOK_KEY and is applied to
the compiled Vega: a height computed from the chart's width (`height_expr`) and Vega config
(`vega_config`, the actor network's stacked legends). Kept apart from `charts` so that the build
imports neither Altair nor pandas to compile.
"""

from __future__ import annotations

import json
import re

VEGA_LITE = "6.4"  # the Vega-Lite version vl-convert compiles with; the vendored Vega runtime matches it
VEGA_LITE_TYPE = "application/vnd.vegalite+json"  # a data block to the browser, like application/json
BOOK_KEY = "migration_report"
_PANEL = re.compile(r'<script type="' + re.escape(VEGA_LITE_TYPE) + r'">(.*?)</script>', re.S)


def compile_panel(vegalite: dict) -> dict:
    """A panel's Vega-Lite (with the book's adjustments in its usermeta) as the Vega a page draws; also
    the PDF image's stacked specification (`charts.static_png`): the one place that calls vl-convert's
    compiler, at VEGA_LITE."""
    import vl_convert

    vegalite = dict(vegalite)
    usermeta = dict(vegalite.pop("usermeta", {}))
    book = usermeta.pop(BOOK_KEY, {})
    if usermeta:
        vegalite["usermeta"] = usermeta
    spec = vl_convert.vegalite_to_vega(vegalite, vl_version=VEGA_LITE)
    if book.get("height_expr"):  # Vega's own height signal, computed from the width charts.js sets
        spec.pop("height", None)
        spec["signals"] = [s for s in spec.get("signals", []) if s.get("name") != "height"] + [
            {"name": "height", "update": book["height_expr"]}]
    for section, settings in (book.get("vega_config") or {}).items():
        spec.setdefault("config", {}).setdefault(section, {}).update(settings)
    return spec


def inert_json(spec: dict) -> str:
    """JSON that a <script type="application/json"> cannot end early: <, > and & as \\u escapes."""
    text = json.dumps(spec, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def vegalite_script(spec: dict) -> str:
    """A panel's Vega-Lite as the inert script a notebook's HTML output carries."""
    return f'<script type="{VEGA_LITE_TYPE}">{inert_json(spec)}</script>'


def has_vegalite(html: str) -> bool:
    return f'type="{VEGA_LITE_TYPE}"' in html


def compile_html(html: str) -> str:
    """HTML with each panel's Vega-Lite script replaced by the compiled Vega's."""
    return _PANEL.sub(lambda m: f'<script type="application/json">{inert_json(compile_panel(json.loads(m.group(1))))}'
                      "</script>", html)


STACK_SPACING = 24  # px between stacked panels in the PDF's image
OWN_SCALES = ("color", "fill", "stroke", "shape", "strokeDash", "strokeWidth")


def stack_vegalite(panels: list[dict], source_lines: list[str], *, width: int | None, source_font_size: int) -> dict:
    """The PDF's image of a figure as one Vega-Lite specification: its PANELS (each a top-level
    Vega-Lite spec with the book's config) one under the other, at WIDTH (None: their own), with the
    source line under them. What `alt.vconcat` gives, made from the panels' specifications, so that
    a notebook run need not build it: only a PDF build draws the image (`chart_image`)."""
    first = panels[0]
    stacked = {"$schema": first["$schema"], "config": first["config"], "autosize": {"type": "pad"}}
    datasets, params, children = {}, {}, []
    for panel in panels:
        child = {k: v for k, v in panel.items() if k not in ("$schema", "config", "datasets", "params", "usermeta")}
        if width is not None:
            child["width"] = width
        children.append(child)
        datasets.update(panel.get("datasets", {}))
        for param in panel.get("params", []):  # a selection names the views it lives in; one entry per name
            if param["name"] in params and "views" in param:
                merged = params[param["name"]]
                merged["views"] = list(dict.fromkeys([*merged.get("views", []), *param["views"]]))
            else:
                params[param["name"]] = dict(param)
    if params:
        stacked["params"] = list(params.values())
    stacked["resolve"] = {"scale": dict.fromkeys(OWN_SCALES, "independent")}  # each panel's legend its own
    stacked["spacing"] = STACK_SPACING
    stacked["title"] = {"text": source_lines, "anchor": "start", "fontSize": source_font_size, "fontWeight": "normal",
                        "offset": 14, "orient": "bottom"}
    stacked["vconcat"] = children
    if datasets:
        stacked["datasets"] = datasets
    return stacked
