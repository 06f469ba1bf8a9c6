"""A chart's PDF image is drawn by the PDF build, not by the notebook: the notebook's output holds
the static Vega-Lite specification, and MyST-NB's renderer (migration_report.core.chart_image) draws it
into the same PNG the notebook used to draw, for LaTeX (and gettext) builds only."""

from __future__ import annotations

import base64
import json
import subprocess
import sys
from importlib.metadata import entry_points
from types import SimpleNamespace

import pytest
import vl_convert

from migration_report.core import charts
from migration_report.chapters.flow_statistics import figures as flow_charts, analysis as flows
from migration_report import load, source_line
from migration_report.core.chart_image import IMAGE_BUILDERS, STATIC_MIME, StaticChartImage


@pytest.fixture(scope="module")
def figure():
    series = flows.measure_series(load("sw-encounters")).loc["2023-01-01":"2023-09-01"]
    return flow_charts.may_june_figure(series, source=source_line("sw-encounters"))


def test_a_notebook_output_holds_the_html_and_the_image_specification_but_no_image(figure):
    bundle = figure._repr_mimebundle_()
    assert set(bundle) == {"text/html", STATIC_MIME, "text/plain"}
    spec = bundle[STATIC_MIME]
    assert "vconcat" in spec and spec["autosize"] == {"type": "pad"}
    # It survives the notebook's JSON unchanged, so the PDF build draws what the kernel described.
    assert json.loads(json.dumps(spec)) == spec


def test_the_image_drawn_from_the_specification_is_the_one_the_notebook_drew_before(figure):
    spec = json.loads(json.dumps(figure._repr_mimebundle_()[STATIC_MIME]))  # as read back from the notebook
    before = vl_convert.vega_to_png(figure.static_spec(), scale=charts.PNG_SCALE)  # the former pipeline
    drawn = charts.static_png(spec)
    assert drawn.startswith(b"\x89PNG") and drawn == before == figure.png()


class Renderer:
    """The parts of MyST-NB's element renderer that the plugin uses."""

    def __init__(self, builder: str):
        self.renderer = SimpleNamespace(sphinx_env=SimpleNamespace(app=SimpleNamespace(
            builder=SimpleNamespace(name=builder))))
        self.images = []

    def render_image(self, data):
        self.images.append(data)
        return ["image node"]

    render_image_inline = render_image


def mime(content):
    from myst_nb.core.render import MimeData

    return MimeData(STATIC_MIME, content, cell_metadata={"tags": []}, output_metadata={}, line=7)


def test_a_pdf_build_gets_the_png_as_an_image_output(figure):
    spec = figure._repr_mimebundle_()[STATIC_MIME]
    renderer = Renderer("latex")
    assert StaticChartImage.handle_mime(renderer, mime(json.dumps(spec)), False) == ["image node"]
    (image,) = renderer.images
    assert image.mime_type == "image/png" and image.line == 7
    assert base64.b64decode(image.content) == figure.png()
    # gettext takes a figure's alt text from its image, so it gets one too (drawn the same way).
    assert IMAGE_BUILDERS == ("latex", "gettext")


def test_an_html_build_draws_nothing_and_other_outputs_are_left_to_myst_nb(figure):
    renderer = Renderer("html")
    assert StaticChartImage.handle_mime(renderer, mime(figure._repr_mimebundle_()[STATIC_MIME]), False) == []
    assert renderer.images == []
    from myst_nb.core.render import MimeData

    assert StaticChartImage.handle_mime(Renderer("latex"), MimeData("image/png", "x"), False) is None


def test_myst_nb_finds_the_renderer_and_loading_it_imports_no_chart_library():
    names = {ep.value for ep in entry_points(group="myst_nb.mime_renderers")}
    assert "migration_report.core.chart_image:StaticChartImage" in names  # pyproject.toml, installed by make venv
    code = ("import sys, migration_report.core.chart_image; "
            "print(sorted(m for m in ('altair', 'vl_convert', 'pandas', 'matplotlib') if m in sys.modules))")
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True).stdout.strip() == "[]"
