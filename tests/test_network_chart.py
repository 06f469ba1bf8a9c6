"""The actor network's chart (migration_report.chapters.institutional_actors.figures): a layout per width in which every
label is at the charts' font size and no two actors overlap; the browser checks its text size in
tests/test_browser_charts.py."""

import math

import pytest

from migration_report.chapters.institutional_actors import analysis as net
from migration_report.core import charts
from migration_report import load
from migration_report.chapters.institutional_actors import figures as nc


@pytest.fixture(scope="module")
def network():
    actors, links = load("actors"), load("actor-links")
    graph = net.build_graph(actors, links)
    figure = nc.draw(graph, actors, links, nc.layout(graph, actors), source="Source: test")
    return actors, links, figure


def test_each_width_has_a_layout_in_which_no_two_actors_overlap(network):
    actors, _, figure = network
    labels = dict(zip(actors["id"], actors["label"]))
    for name, width in (("desktop", nc.DESKTOP), ("phone", nc.PHONE)):
        layout = figure.layouts[name]
        assert layout.width == width and set(layout.points) == set(actors["id"])
        assert nc.overlaps(layout, labels) == [], name
        for actor, (x, y) in layout.points.items():  # every label inside the chart's width and height
            w, h = nc.box(labels[actor])
            assert w / 2 <= x + 0.5 and x + w / 2 <= width + 0.5, (name, actor, x)
            assert y - nc.MARKER_PX >= 0 and y - nc.MARKER_PX + h <= layout.height, (name, actor, y)
    # the phone's is narrower and taller: there is no other way for 61 labels to keep their size
    assert figure.layouts["phone"].height > figure.layouts["desktop"].height


def test_overlapping_actors_are_found():
    layout = nc.Layout(width=300, height=100, points={"a": (100, 20), "b": (110, 25), "c": (250, 80)})
    assert nc.overlaps(layout, {"a": "SRE", "b": "SEGOB", "c": "IOM"}) == [("a", "b")]


def test_the_layout_is_the_same_for_the_same_network(network):
    actors, links, figure = network
    graph = net.build_graph(actors, links)
    again = nc.draw(graph, actors, links, nc.layout(graph, actors), source="Source: test")
    assert again.layouts == figure.layouts


def test_the_browser_takes_the_layout_for_the_chart_width_and_sizes_the_chart_to_it(network):
    _, _, figure = network
    desktop, phone = figure.layouts["desktop"], figure.layouts["phone"]
    spec = figure.panel_specs()[0]
    height = [s for s in spec["signals"] if s["name"] == "height"]
    assert "height" not in spec and height == [{"name": "height", "update": nc.height_expr(desktop, phone)}]
    assert f"width < {nc.BREAKPOINT}" in height[0]["update"]
    # the three legends one under the other: Vega config, added to the compiled panel
    assert spec["config"]["legend"]["layout"] == {"top": {"anchor": "start", "direction": "vertical", "margin": 6}}
    assert "usermeta" not in spec
    # the PDF's image is the desktop layout at the PDF's fixed chart width (above the breakpoint)
    assert charts.WIDTH >= nc.BREAKPOINT
    assert figure.static_panels[0]["height"] == math.ceil(desktop.height * charts.WIDTH / desktop.width)


def test_points_and_labels_tell_the_actor_and_links_the_relation(network):
    _, _, figure = network
    spec = figure.panel_specs()[0]
    tooltips = [m["encode"]["update"]["tooltip"]["signal"] for m in spec["marks"]
                if "tooltip" in m.get("encode", {}).get("update", {})]
    assert any("Name" in t and "Side" in t and "Kind" in t for t in tooltips), tooltips
    assert any("Relation" in t for t in tooltips), tooltips
