"""The PDF's image of a chart, drawn when a PDF is built rather than each time a notebook runs.

A chart (`charts.Figure`) gives the notebook its interactive HTML and, under STATIC_MIME, the
static Vega-Lite specification of its image (its panels stacked, the source line under them). A
notebook run, the HTML book's build and a papermill re-run need no image, and drawing one was
most of a chart's cost. `StaticChartImage`, a MyST-NB mime renderer (registered in pyproject.toml
under `myst_nb.mime_renderers`), draws the PNG from that specification in the builds that show
images (LaTeX, and gettext, which takes the figures' alt text from their images) and gives it to
MyST-NB as the `image/png` output it used to get from the notebook: the same pixels, file name
and place in the PDF, byte-identical from one build to the next (`charts.static_png`).

Kept apart from `charts` so that loading the renderer, which MyST-NB does in every build of this
environment, imports neither Altair nor vl-convert.
"""

from __future__ import annotations

import base64
import json

from migration_report.core.style import STATIC_MIME

IMAGE_BUILDERS = ("latex", "gettext")


class StaticChartImage:
    """MyST-NB mime renderer plugin for STATIC_MIME (see the module's docstring)."""

    # Chosen where the builder prefers it to what else a chart output holds (its HTML, its text).
    mime_priority_overrides = [("latex", STATIC_MIME, 15), ("gettext", STATIC_MIME, 7)]

    @staticmethod
    def handle_mime(renderer, data, inline: bool):
        if data.mime_type != STATIC_MIME:
            return None
        if builder_name(renderer) not in IMAGE_BUILDERS:
            return []  # an HTML build shows the chart's HTML: nothing to draw
        from myst_nb.core.render import MimeData

        from migration_report.core.charts import static_png

        spec = data.content if isinstance(data.content, dict) else json.loads(data.content)
        png = MimeData("image/png", base64.b64encode(static_png(spec)).decode("ascii"),
                       cell_metadata=data.cell_metadata, output_metadata=data.output_metadata, line=data.line)
        return renderer.render_image_inline(png) if inline else renderer.render_image(png)


def builder_name(renderer) -> str | None:
    """The Sphinx builder the notebook is rendered for (None outside Sphinx)."""
    env = getattr(renderer.renderer, "sphinx_env", None)
    app = getattr(env, "app", None)
    return getattr(getattr(app, "builder", None), "name", None)
