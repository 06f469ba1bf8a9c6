"""The actor network as an interactive chart, drawn with a layout for its width.

A network of 61 labelled actors does not shrink to a phone: scaled to a 390 px screen, the
drawing's labels were 5 CSS px. So the network is laid out twice, for the chart's two widths,
with every label at the charts' font size (charts.FONT_SIZE CSS px) and no two labels or points
overlapping: once for a desktop column (DESKTOP px wide) and once for a phone's (PHONE px wide,
taller). In the browser the chart takes the phone layout below BREAKPOINT px and the desktop
layout above, scaled to its width (never below the width it was laid out for, so a label never
covers another), and its height follows (charts.Figure's height_expr). The PDF shows the desktop
layout. Both start from `actors.layout` (force-directed, fixed seed), so each side keeps its
region and two builds draw the same picture.

Pointing at (or tapping) an actor shows its full name, side and kind; a link shows the relation.
"""

from __future__ import annotations

import math
import textwrap
from dataclasses import dataclass, field

import numpy as np
import networkx as nx
import pandas as pd

from migration_report.chapters.institutional_actors import analysis as net
from migration_report.core import charts, i18n
from migration_report.core import vegalite as vl
from migration_report.core.data import localized
from migration_report.core.i18n import _
from migration_report.core.outputs import COLUMNS
from migration_report.core.style import PALETTE, check_source_line

DESKTOP = 600  # CSS px: the desktop layout's width (a desktop column is 640-700 px)
PHONE = 300  # CSS px: the phone layout's width (a 320-390 px screen leaves 290-360 px)
BREAKPOINT = DESKTOP  # below it, the phone layout
LABEL_CHARS = 16  # a label wraps at this many characters
LINE_PX = charts.FONT_SIZE + 2  # a label's line height
MARKER_PX = 8  # half the space a point takes above its label
GAP_PX = 4  # between two actors' boxes, and between a box and the chart's edge
MARKER_SIZE = 90  # Vega symbol size (area, px²)
SETTLED_PX = 0.5  # boxes whose gaps overlap by less than this are far enough apart
# Vega's symbol shapes for the kinds of actor (actors.SHAPES: matplotlib's markers o, s, D, h).
SHAPES = {"o": "circle", "s": "square", "D": "diamond",
          "h": "M0,-1L0.866,-0.5L0.866,0.5L0,1L-0.866,0.5L-0.866,-0.5Z"}
OTHER_LINK = "#BBBBBB"
LINK_STYLES = {  # scope key: (colour, dash, width); any other scope is drawn as OTHER_LINK
    "bilateral": (PALETTE["black"], [1, 0], 1.5),
    "unilateral (Texas)": (PALETTE["vermillion"], [5, 3], 1.5),
}


@dataclass(frozen=True)
class Layout:
    """Where each actor's point is, in CSS px of a chart WIDTH px wide and HEIGHT px tall."""

    width: float
    height: float
    points: dict[str, tuple[float, float]] = field(hash=False)


def label_lines(label: str) -> list[str]:
    return textwrap.wrap(label, LABEL_CHARS, break_long_words=False) or [label]


def box(label: str) -> tuple[float, float]:
    """The width and height an actor takes in px: its point, and its label under it."""
    lines = label_lines(label)
    return max(charts.text_width(line) for line in lines), 2 * MARKER_PX + len(lines) * LINE_PX


def fit(start: dict[str, tuple[float, float]], labels: dict[str, str], width: float, rounds: int = 2000) -> Layout:
    """A layout WIDTH px wide from START (any units), as tall as it must be for no two actors'
    boxes (box) to overlap: the start is scaled to the width (and to a height that holds all the
    boxes' area), then overlapping boxes are pushed apart, on the axis where they overlap less,
    each kept inside the width. Deterministic: no randomness, a fixed number of rounds at most."""
    ids = sorted(start)
    sizes = np.array([box(labels[i]) for i in ids]) + GAP_PX
    xy = np.array([start[i] for i in ids], dtype=float)
    xy[:, 1] *= -1  # the start's y grows upwards, the screen's downwards
    span = np.ptp(xy, axis=0)
    span[span == 0] = 1
    # as tall as the boxes' area needs at this width (the pushing apart adds what it must)
    height = max(width, float((sizes[:, 0] * sizes[:, 1]).sum()) / width)
    half = sizes / 2
    low, high = half[:, 0], width - half[:, 0]
    xy = np.clip((xy - xy.min(axis=0)) / span * [width, height], np.c_[low, np.full(len(ids), -np.inf)],
                 np.c_[high, np.full(len(ids), np.inf)])
    # What every round uses unchanged, computed once: the distances at which two boxes touch, and
    # the order that breaks a tie between two boxes at the same place.
    reach_x, reach_y = half[:, None, 0] + half[None, :, 0], half[:, None, 1] + half[None, :, 1]
    by_order = np.sign(np.arange(len(ids))[:, None] - np.arange(len(ids))[None, :])
    for _round in range(rounds):
        dx = xy[:, None, 0] - xy[None, :, 0]
        dy = xy[:, None, 1] - xy[None, :, 1]
        over_x = reach_x - np.abs(dx)
        over_y = reach_y - np.abs(dy)
        overlap = (over_x > SETTLED_PX) & (over_y > SETTLED_PX)
        np.fill_diagonal(overlap, False)
        if not overlap.any():
            break
        along_x = overlap & (over_x < over_y)
        along_y = overlap & ~along_x
        # each of a pair moves half the overlap away from the other (ties broken by the order)
        sign_x = np.where(dx == 0, by_order, np.sign(dx))
        sign_y = np.where(dy == 0, by_order, np.sign(dy))
        xy[:, 0] += (np.where(along_x, over_x, 0) * sign_x).sum(axis=1) * 0.3
        xy[:, 1] += (np.where(along_y, over_y, 0) * sign_y).sum(axis=1) * 0.3
        xy[:, 0] = np.clip(xy[:, 0], low, high)
    top = (xy[:, 1] - half[:, 1]).min()
    xy[:, 1] -= top - GAP_PX
    tall = float((xy[:, 1] + half[:, 1]).max()) + GAP_PX
    # the point sits at the top of its box, the label under it
    points = {i: (round(float(x), 1), round(float(y - h / 2 + GAP_PX / 2 + MARKER_PX), 1))
              for i, (x, y), h in zip(ids, xy, sizes[:, 1])}
    return Layout(width=width, height=math.ceil(tall), points=points)


def overlaps(layout: Layout, labels: dict[str, str]) -> list[tuple[str, str]]:
    """The pairs of actors whose boxes overlap in LAYOUT (none, once `fit` has done its work)."""
    boxes = {}
    for i, (x, y) in layout.points.items():
        w, h = box(labels[i])
        boxes[i] = (x - w / 2, y - MARKER_PX, x + w / 2, y - MARKER_PX + h)
    ids = sorted(boxes)
    return [(a, b) for n, a in enumerate(ids) for b in ids[n + 1:]
            if boxes[a][0] < boxes[b][2] and boxes[b][0] < boxes[a][2] and boxes[a][1] < boxes[b][3]
            and boxes[b][1] < boxes[a][3]]


def _where(column: str, desktop: Layout, phone: Layout) -> str:
    """A Vega expression: the px position in the layout for the chart's width, scaled to that width."""
    return (f"width < {BREAKPOINT} ? datum.{column}_phone * max(width, {phone.width}) / {phone.width}"
            f" : datum.{column}_desktop * width / {desktop.width}")


def height_expr(desktop: Layout, phone: Layout) -> str:
    """The chart's height in the browser, for its width."""
    return (f"width < {BREAKPOINT} ? ceil({phone.height} * max(width, {phone.width}) / {phone.width})"
            f" : ceil({desktop.height} * width / {desktop.width})")


def chart(nodes: pd.DataFrame, edges: pd.DataFrame, desktop: Layout, phone: Layout, *, static: bool = False):
    """The network's layers: links, then points coloured by side and shaped by kind, then labels on
    a plate of the page's colour. STATIC: the PDF's, at its fixed width and the desktop layout."""
    x, y = (vl.expr(_where(c, desktop, phone)) for c in ("x", "y"))
    sides = {name: colour for name, (colour,) in _legend_order(nodes, "side_name", "side_order", "colour").items()}
    kinds = {name: shape for name, (shape,) in _legend_order(nodes, "kind_name", "kind_order", "shape").items()}
    scopes = _legend_order(edges, "scope_name", "order", "colour", "dash")
    columns = i18n.translated(COLUMNS)
    # the PDF's legends in two columns each (the book's other charts' config; charts.js sets one on a phone)
    across = {"columns": 2} if static else {}
    links = vl.chart(edges, vl.mark("rule", strokeCap="round"), {
        "x": vl.value(x), "y": vl.value(y),
        "x2": vl.value(vl.expr(_where("x2", desktop, phone))), "y2": vl.value(vl.expr(_where("y2", desktop, phone))),
        "stroke": vl.field("scope_name:N", scale={"domain": list(scopes), "range": [c for c, _d in scopes.values()]},
                           legend={"symbolType": "stroke", "title": None, **across}),
        "strokeDash": vl.field("scope_name:N", scale={"domain": list(scopes), "range": [d for _c, d in scopes.values()]},
                               legend={"symbolType": "stroke", "title": None, **across}),
        "strokeWidth": vl.field("width:Q", scale=None),
        "tooltip": [vl.field("relation_text:N", title=columns["relation"])]})
    tip = [vl.field("name:N", title=columns["name"]), vl.field("side_name:N", title=columns["side"]),
           vl.field("kind_name:N", title=columns["kind"]), vl.field("degree:Q", title=columns["degree"])]
    points = vl.chart(nodes, vl.mark("point", filled=True, size=MARKER_SIZE, opacity=1, stroke="white",
                                     strokeWidth=0.8), {
        "x": vl.value(x), "y": vl.value(y),
        "color": vl.field("side_name:N", scale={"domain": list(sides), "range": list(sides.values())},
                          legend={"title": None, **across}),
        "shape": vl.field("kind_name:N", scale={"domain": list(kinds), "range": list(kinds.values())},
                          legend={"title": None, "symbolFillColor": PALETTE["grey"], **across}),
        "tooltip": tip})
    where_x, where_y = _where("x", desktop, phone), _where("y", desktop, phone)
    plate = vl.chart(nodes, vl.mark("rect", color=charts.PLATE, opacity=0.85, aria=False), {
        "x": vl.value(vl.expr(f"({where_x}) - datum.text_px / 2 - 1")),
        "x2": vl.value(vl.expr(f"({where_x}) + datum.text_px / 2 + 1")),
        "y": vl.value(vl.expr(f"({where_y}) + {MARKER_PX - 1}")),
        "y2": vl.value(vl.expr(f"({where_y}) + {MARKER_PX} + datum.lines * {LINE_PX}"))})
    labels = vl.chart(nodes, vl.mark("text", baseline="top", align="center", lineHeight=LINE_PX, dy=MARKER_PX), {
        "x": vl.value(x), "y": vl.value(y), "text": vl.field("label_lines:N"), "tooltip": tip})
    width = charts.WIDTH
    height = desktop.height * width / desktop.width if static else desktop.height
    return vl.layer(links, points, plate, labels, width=width, height=math.ceil(height))


def tables(graph, actors: pd.DataFrame, links: pd.DataFrame, desktop: Layout, phone: Layout):
    """The chart's data: one row per actor and one per link drawn, with their places in both layouts."""
    sides = net.side(actors)
    labels = dict(zip(actors["id"], localized(actors, "label")))
    degree = net.centralities(graph).set_index("id")["degree"]
    nodes = pd.DataFrame({
        "id": actors["id"].to_numpy(), "name": localized(actors, "name").to_numpy(),
        "side_name": [net.side_name(sides[i]) for i in actors["id"]],
        "colour": [net.SIDE_COLOURS[sides[i]] for i in actors["id"]],
        "kind_name": [_(net.SHAPE_NAMES[net.SHAPES[k]]) for k in actors["kind"]],
        "shape": [SHAPES[net.SHAPES[k]] for k in actors["kind"]],
        "label_lines": [label_lines(labels[i]) for i in actors["id"]],
        "lines": [len(label_lines(labels[i])) for i in actors["id"]],
        "text_px": [max(charts.text_width(line) for line in label_lines(labels[i])) for i in actors["id"]],
        "degree": [int(degree.get(i, 0)) for i in actors["id"]],
    })
    for name, layout in (("desktop", desktop), ("phone", phone)):
        nodes[f"x_{name}"] = [layout.points[i][0] for i in actors["id"]]
        nodes[f"y_{name}"] = [layout.points[i][1] for i in actors["id"]]
    # the legends list the sides and the kinds in these orders
    nodes["side_order"] = [net.SIDES.index(sides[i]) for i in actors["id"]]
    nodes["kind_order"] = [list(net.SHAPE_NAMES).index(net.SHAPES[k]) for k in actors["kind"]]
    scopes = net.classify_links(actors, links)
    edges = links.assign(scope=scopes.to_numpy(), relation_text=net.describe_links(links, actors))
    edges = edges.drop_duplicates(["source", "target", "scope"])  # parallel links of one scope are drawn once
    rows = []
    for row in edges.itertuples(index=False):
        colour, dash, width = LINK_STYLES.get(row.scope, (OTHER_LINK, [1, 0], 1.0))
        shown = row.scope if row.scope in LINK_STYLES else "other"
        entry = {"scope_name": _(net.LEGEND[{"bilateral": "bilateral", "unilateral (Texas)": "unilateral"}.get(
            shown, "other")]), "colour": colour, "dash": dash, "width": width, "relation_text": row.relation_text,
            "order": list(LINK_STYLES).index(row.scope) if row.scope in LINK_STYLES else len(LINK_STYLES)}
        for name, layout in (("desktop", desktop), ("phone", phone)):
            (x0, y0), (x1, y1) = layout.points[row.source], layout.points[row.target]
            entry |= {f"x_{name}": x0, f"y_{name}": y0, f"x2_{name}": x1, f"y2_{name}": y1}
        rows.append(entry)
    edges = pd.DataFrame(rows).sort_values("order", kind="stable", ascending=False)  # bilateral links on top
    return nodes, edges


def _legend_order(frame: pd.DataFrame, column: str, by: str, *values: str) -> dict:
    """Each value of COLUMN with its VALUES, in the order of BY (the legend's order)."""
    first = frame.sort_values(by, kind="stable").drop_duplicates(column)
    return {row[column]: tuple(row[v] for v in values) for _i, row in first.iterrows()}


class NetworkFigure(charts.Figure):
    """The network's Figure, which also tells the labels it draws (one line each)."""

    labels: list[str] = []

    # Its three legends one under the other: Vega sets legends at the top side by side, and three
    # fit neither a phone's width nor, at a legible size, the PDF's.
    LEGENDS = {"top": {"anchor": "start", "direction": "vertical", "margin": 6}}
    vega_config = {"legend": {"layout": LEGENDS}}

    def static_spec(self) -> dict:
        spec = super().static_spec()
        spec.setdefault("config", {}).setdefault("legend", {})["layout"] = self.LEGENDS
        return spec


def figure(graph, actors: pd.DataFrame, links: pd.DataFrame, pos: dict, *, source: str) -> NetworkFigure:
    """The network chart: its layouts fitted from POS (actors.layout), for a desktop and a phone."""
    labels = dict(zip(actors["id"], localized(actors, "label")))
    start = {i: pos[i] for i in actors["id"]}
    desktop, phone = fit(start, labels, DESKTOP), fit(start, labels, PHONE)
    nodes, edges = tables(graph, actors, links, desktop, phone)
    result = NetworkFigure(panels=[chart(nodes, edges, desktop, phone)], source=source, series=False,
                           name="actor-network", height_expr=height_expr(desktop, phone),
                           static_panels=[chart(nodes, edges, desktop, phone, static=True)])
    result.labels = [" ".join(lines) for lines in nodes["label_lines"]]
    result.layouts = {"desktop": desktop, "phone": phone}
    return result


def drawn_labels(figure) -> list[str]:
    """The actor labels drawn in a figure made by `draw`, unwrapped to one line each."""
    return list(figure.labels)


# --- layout and drawing --------------------------------------------------------------------------


# Where each side starts before the force-directed layout, so the sides keep to their own region.
SIDE_ANCHORS = {
    "Mexico": (-1.0, 0.1),
    "US federal": (0.9, -0.1),
    "Texas": (1.0, 1.1),
    "Binational or UN": (0.0, -1.0),
    "Programme countries": (-1.0, -1.1),
}


def layout(graph, actors: pd.DataFrame, seed: int = net.LAYOUT_SEED) -> dict:
    """Node positions: each side starts around its anchor (jittered with a fixed seed), then a
    force-directed layout with the same seed spreads the nodes. Same graph, same picture."""
    simple = net.simple_graph(graph) if graph.is_multigraph() or graph.is_directed() else graph
    if simple.number_of_nodes() == 1:
        return {next(iter(simple.nodes)): (0.0, 0.0)}
    sides = net.side(actors)
    rng = np.random.default_rng(seed)
    start = {}
    for node in simple.nodes:  # sorted order, so the jitter does not depend on the table's row order
        x, y = SIDE_ANCHORS[sides[node]]
        dx, dy = rng.uniform(-0.45, 0.45, size=2)
        start[node] = (x + dx, y + dy)
    k = 1.8 / simple.number_of_nodes() ** 0.5
    pos = nx.spring_layout(simple, pos=start, seed=seed, k=k, iterations=net.LAYOUT_ITERATIONS)
    nodes = list(simple.nodes)
    labels = localized(actors, "label").set_axis(actors["id"])
    lines = [_wrap(labels[n]).split("\n") for n in nodes]
    # Label box sizes in layout units (the layout spans about 2 units across the figure's width).
    widths = np.array([max(len(t) for t in text) * CHAR_WIDTH + 0.04 for text in lines])
    heights = np.array([len(text) * LINE_HEIGHT + 0.06 for text in lines])
    spread = _spread(np.array([pos[n] for n in nodes]), widths, heights)
    return {node: (round(float(x), 6), round(float(y), 6)) for node, (x, y) in zip(nodes, spread)}


CHAR_WIDTH = 0.02  # layout units per character of a label (the chart below then fits the layout in px)
LINE_HEIGHT = 0.042  # layout units per line of a label


def _spread(xy: np.ndarray, widths: np.ndarray, heights: np.ndarray, rounds: int = 500) -> np.ndarray:
    """Push apart nodes whose label boxes would collide, a share of the overlap at a time.

    Two nodes collide when they are inside the ellipse with half-axes the mean width and mean
    height of their label boxes. Deterministic: no randomness, fixed number of rounds at most.
    """
    xy = xy.astype(float).copy()
    gap_x = (widths[:, None] + widths[None, :]) / 2
    gap_y = (heights[:, None] + heights[None, :]) / 2
    for _round in range(rounds):
        dx = (xy[:, None, 0] - xy[None, :, 0]) / gap_x
        dy = (xy[:, None, 1] - xy[None, :, 1]) / gap_y
        dist = np.hypot(dx, dy)
        np.fill_diagonal(dist, 1e9)
        close = dist < 1.0
        if not close.any():
            break
        share = np.where(close, (1.0 - dist) / np.maximum(dist, 1e-9), 0.0)
        xy[:, 0] += 0.25 * (share * dx * gap_x).sum(axis=1)
        xy[:, 1] += 0.25 * (share * dy * gap_y).sum(axis=1)
    return xy


def _wrap(label: str, width: int = 16) -> str:
    return "\n".join(textwrap.wrap(label, width=width, break_long_words=False)) or label


def draw(graph, actors: pd.DataFrame, links: pd.DataFrame, pos: dict, *, source: str):
    """The network as an interactive chart with a layout for its width (`figure`): nodes
    coloured by side and shaped by kind, labelled; links styled by scope (bilateral links solid
    black, Texas's unilateral acts dashed vermillion, the rest light grey); the source line under it."""
    check_source_line(source)
    return figure(graph, actors, links, pos, source=source)


def figure_tables(graph, actors: pd.DataFrame, links: pd.DataFrame, pos: dict):
    """The data behind the figure: one row per actor (side, position, centralities) and per link (scope),
    its words in the edition's language."""
    cent = net.centralities(graph).set_index("id")
    sides = net.side(actors)
    nodes = actors[["id", "name", "label", "kind", "country", "level", "named_in_article", "source_key"]].copy()
    nodes["name"], nodes["label"] = localized(actors, "name").to_numpy(), localized(actors, "label").to_numpy()
    nodes.insert(6, "side", [sides[i] for i in nodes["id"]])
    nodes["x"] = [round(pos[i][0], 4) for i in nodes["id"]]
    nodes["y"] = [round(pos[i][1], 4) for i in nodes["id"]]
    nodes["degree"] = [int(cent.loc[i, "degree"]) for i in nodes["id"]]
    nodes["betweenness"] = [round(float(cent.loc[i, "betweenness"]), 4) for i in nodes["id"]]
    edges = links[["link_id", "source", "target", "relation", "note", "source_key"]].copy()
    edges["note"] = localized(links, "note").to_numpy()
    edges["relation"] = [i18n.gettext(net.VERBS[r]) for r in links["relation"]]
    edges.insert(4, "scope", [i18n.gettext(net.SCOPE_NAMES[s]) for s in net.classify_links(actors, links)])
    return nodes, edges
