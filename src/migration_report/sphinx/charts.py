"""Sphinx extension: the interactive charts' scripts, on the pages that have a chart.

- The Vega runtime and `charts.js` (in `chart_static/`, with the runtime's licences; see
  `chart_static/vendor/README.md`) are copied into the HTML's `_static/` and added only to
  pages whose body has a `migration_report.core.charts` chart, after the theme's scripts. They stay
  outside the book's own `_static/` folder, whose every .js jupyter-book adds to every page.
- `charts.css` goes to every page that has a figure (charts and static images alike).
- Each chart panel's Vega-Lite, as the notebook wrote it, is compiled to Vega when the page is
  read (`migration_report.core.chart_compile`), once per build rather than in every kernel.
- `{glue:figure}` keeps its `:alt:` text for a chart: MyST-NB applies `:alt:` to images only,
  so the chart's HTML carries a placeholder that the figure's alt text replaces, and the chart
  is announced with the same description that the PDF's image has. Sphinx translates a page's
  text after the directives have run, so the alt text, a message of the page's catalogue, is
  translated here, from the same catalogue Sphinx reads.
"""

from __future__ import annotations

import html
from pathlib import Path

from docutils import nodes
from myst_nb.ext.glue.directives import PasteFigureDirective
from sphinx.locale import init as init_locale
from sphinx.util import logging
from sphinx.util.i18n import docname_to_domain

from migration_report.core import chart_compile

STATIC = Path(__file__).with_name("chart_static")
VEGA_SCRIPT = "vendor/vega-6.2.0.min.js"
# Evaluates the charts' expressions without new Function, which the pages' Content-Security-Policy forbids.
INTERPRETER_SCRIPT = "vendor/vega-interpreter-2.2.1.js"
CHART_MARK = 'class="vega-chart"'
ALT_PLACEHOLDER = 'aria-label="ALT"'

logger = logging.getLogger(__name__)


class ChartFigure(PasteFigureDirective):
    """`{glue:figure}` that also gives a chart the figure's alt text."""

    def run(self):
        result = super().run()
        alt = self.options.get("alt")
        for figure in result:
            for raw in figure.findall(nodes.raw) if isinstance(figure, nodes.Element) else ():
                text = raw.astext()
                if ALT_PLACEHOLDER not in text:
                    continue
                if not alt:
                    logger.warning("a chart's {glue:figure} needs :alt: text", location=figure)
                    continue
                label = self.translated(" ".join(alt.split()))
                labelled = text.replace(ALT_PLACEHOLDER, f'aria-label="{html.escape(label, quote=True)}"')
                raw.parent.replace(raw, nodes.raw("", labelled, format="html", classes=raw["classes"]))
        return result

    def translated(self, message: str) -> str:
        """MESSAGE in the edition's language, from the page's catalogue (as Sphinx's own Locale transform finds it)."""
        env = self.state.document.settings.env
        config = env.config
        if not config.language or config.language == "en":
            return message
        dirs = [str(Path(env.srcdir, folder)) for folder in config.locale_dirs]
        catalog, found = init_locale(dirs, config.language, docname_to_domain(env.docname, config.gettext_compact))
        return catalog.gettext(message) if found else message


def compile_charts(app, doctree) -> None:
    """Each chart panel's Vega-Lite, as a notebook wrote it, compiled to the Vega the page draws
    (`chart_compile`); only the HTML book draws charts (the PDF has their images)."""
    if app.builder.format != "html":
        return
    for raw in list(doctree.findall(nodes.raw)):
        text = raw.astext()
        if "html" in raw.get("format", "").split() and chart_compile.has_vegalite(text):
            raw.parent.replace(raw, nodes.raw("", chart_compile.compile_html(text), format=raw["format"],
                                              classes=raw.get("classes", [])))


def add_static_path(app, config) -> None:
    config.html_static_path = [*config.html_static_path, str(STATIC)]


def add_chart_files(app, pagename, templatename, context, doctree) -> None:
    body = context.get("body", "")
    if CHART_MARK in body:
        # defer: run after the page is parsed, in this order (the runtime first).
        app.add_js_file(VEGA_SCRIPT, loading_method="defer")
        app.add_js_file(INTERPRETER_SCRIPT, loading_method="defer")
        app.add_js_file("charts.js", loading_method="defer")
    if "<figure" in body:
        app.add_css_file("charts.css")


def setup(app):
    app.connect("config-inited", add_static_path)
    app.connect("doctree-read", compile_charts)
    app.connect("html-page-context", add_chart_files)
    app.add_directive_to_domain("glue", "figure", ChartFigure, override=True)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
