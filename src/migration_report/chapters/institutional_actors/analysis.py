"""The institutional actors of the story as a network (chapter "institutional-actors").

    >>> from migration_report.chapters.institutional_actors import analysis as actors
    >>> from migration_report import load
    >>> people, links = actors.select(load("actors"), load("actor-links"), kinds=["person", "agency"])
    >>> graph = actors.build_graph(people, links)
    >>> actors.centralities(graph).head()

The tables `actors` and `actor-links` (data/) hold one sourced row per actor and per relation.
This module filters them (the chapter's `kinds` and `country` parameters), builds a networkx
graph, computes degree and betweenness, sorts each relation into bilateral, unilateral and the
other scopes, (`figures` lays the network out with a fixed seed, so two builds give the same figure, and draws it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import networkx as nx
import pandas as pd

from migration_report.core.data import load, localized, resource
from migration_report.core import i18n, params
from migration_report.core.i18n import N_, _
from migration_report.core.outputs import Markup, cite, escape, mark_spanish, spanish
from migration_report.core.params import ParameterError
from migration_report.core.style import PALETTE

LAYOUT_SEED = 20230726  # the day of the press conference; any fixed number gives a reproducible layout
LAYOUT_ITERATIONS = 200

# Relations that describe structure (who heads, belongs to, administers or represents what) rather than an act.
STRUCTURAL = frozenset({"heads", "part_of", "serves_in", "administers", "represented"})

# The chapters of this book that analyse an actor's action (the `chapter` column), in reading order.
CHAPTERS = ("cooperation-and-funding", "flow-statistics", "rio-grande-dispute")

SIDES = ("Mexico", "US federal", "Texas", "Binational or UN", "Programme countries")
SIDE_COLOURS = {
    "Mexico": PALETTE["green"],
    "US federal": PALETTE["blue"],
    "Texas": PALETTE["vermillion"],
    "Binational or UN": PALETTE["purple"],
    "Programme countries": PALETTE["orange"],
}
# Marker shape by kind of actor: people, organisations, programmes and facilities, events.
SHAPES = {
    "person": "o",
    "government": "s",
    "agency": "s",
    "court": "s",
    "commission": "s",
    "international": "s",
    "programme": "D",
    "infrastructure": "D",
    "event": "h",
}
SHAPE_NAMES = {"o": N_("Person"), "s": N_("Institution or government"), "D": N_("Programme or facility"),
               "h": N_("Event")}
# The sides and scopes as readers read them (messages; the keys are the identifiers used above).
SIDE_NAMES = {"Mexico": N_("Mexico"), "US federal": N_("US federal"), "Texas": "Texas",
              "Binational or UN": N_("Binational or UN"), "Programme countries": N_("Programme countries")}
SCOPE_NAMES = {"bilateral": N_("bilateral"), "unilateral (Texas)": N_("unilateral (Texas)"),
               "federal–Texas": N_("federal–Texas"), "Mexico–Texas": N_("Mexico–Texas"),
               "international": N_("international"), "within Mexico": N_("within Mexico"),
               "within US federal": N_("within US federal"), "within Texas": N_("within Texas")}
LEGEND = {"bilateral": N_("Bilateral link"), "unilateral": N_("Unilateral act by Texas"), "other": N_("Other link")}


def side_name(key: str) -> str:
    """A side ('US federal') in the edition's language."""
    return _(SIDE_NAMES[key])


def scope_name(key: str) -> str:
    """A scope of links ('bilateral') in the edition's language."""
    return _(SCOPE_NAMES[key])

SCOPES = (
    "bilateral",
    "unilateral (Texas)",
    "federal–Texas",
    "Mexico–Texas",
    "international",
    "within Mexico",
    "within US federal",
    "within Texas",
)


# --- parameters --------------------------------------------------------------------------------


def _enum(resource_name: str, field: str) -> list[str]:
    fields = resource(resource_name)["schema"]["fields"]
    return list(next(f for f in fields if f["name"] == field)["constraints"]["enum"])


def allowed_kinds() -> list[str]:
    """The kinds of actor the data may hold (the enum of actors.kind)."""
    return _enum("actors", "kind")


def allowed_countries() -> list[str]:
    """The countries the data may hold (the enum of actors.country)."""
    return _enum("actors", "country")


def check_kinds(value) -> list[str] | None:
    """The `kinds` parameter: None (all kinds) or a non-empty list of kinds of actor."""
    if value is None:
        return None
    allowed = allowed_kinds()
    expected = "None or a list of kinds of actor from " + ", ".join(map(repr, allowed))
    if isinstance(value, str) or not isinstance(value, (list, tuple)) or not value:
        raise ParameterError("kinds", value, expected + ", e.g. ['person', 'agency']")
    for item in value:
        if item not in allowed:
            raise ParameterError("kinds", item, "a kind of actor from " + ", ".join(map(repr, allowed)))
    return list(dict.fromkeys(value))


def check_country(value) -> str | None:
    """The `country` parameter: None (all countries) or one country of the data."""
    if value is None:
        return None
    allowed = allowed_countries()
    if value not in allowed:
        raise ParameterError("country", value, "None or one of " + ", ".join(map(repr, allowed)))
    return value


# --- selection and graph -----------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class ActorParams(params.Params):
    """The chapter's parameters, checked, with the actors and links they select.
    Unpacks as (kinds, country, actors, links)."""

    kinds: list[str] | None
    country: str | None
    actors: pd.DataFrame  # the selected actors
    links: pd.DataFrame  # the links between two selected actors
    output_dir: Path

    UNPACK = ("kinds", "country", "actors", "links")


def check_parameters(kinds, country, output_dir, actors: pd.DataFrame | None = None,
                     links: pd.DataFrame | None = None) -> ActorParams:
    """The chapter's papermill parameters, checked; `actors` and `links` default to the shipped tables."""
    folder = params.output_dir(output_dir)
    actors = load("actors") if actors is None else actors
    links = load("actor-links") if links is None else links
    chosen_kinds, chosen_country = check_kinds(kinds), check_country(country)
    selected, selected_links = select(actors, links, kinds=chosen_kinds, country=chosen_country)
    return ActorParams(chosen_kinds, chosen_country, selected, selected_links, folder)


def select(actors: pd.DataFrame, links: pd.DataFrame, *, kinds=None, country=None):
    """The actors of the given kinds and country, and the links between two of them.

    Raises ParameterError when the combination leaves no actor, naming the parameters.
    """
    keep = pd.Series(True, index=actors.index)
    if kinds is not None:
        keep &= actors["kind"].isin(kinds)
    if country is not None:
        keep &= actors["country"] == country
    chosen = actors[keep].reset_index(drop=True)
    if chosen.empty:
        raise ParameterError(
            "country" if country is not None else "kinds",
            country if country is not None else kinds,
            f"a value that leaves at least one actor (kinds={kinds!r} and country={country!r} select none)",
        )
    ids = set(chosen["id"])
    kept_links = links[links["source"].isin(ids) & links["target"].isin(ids)].reset_index(drop=True)
    return chosen, kept_links


def build_graph(actors: pd.DataFrame, links: pd.DataFrame) -> nx.MultiDiGraph:
    """A directed multigraph: one node per actor (with its columns as attributes), one edge per link.

    Nodes are added in sorted id order so the layout does not depend on the row order of the table.
    """
    graph = nx.MultiDiGraph()
    for row in actors.sort_values("id").itertuples(index=False):
        graph.add_node(row.id, **row._asdict())
    unknown = set(links["source"]).union(links["target"]) - set(graph)
    if unknown:
        raise ValueError(f"links refer to actors that are not in the table: {sorted(unknown)}")
    for row in links.itertuples(index=False):
        graph.add_edge(row.source, row.target, key=row.link_id, **row._asdict())
    return graph


def simple_graph(graph: nx.MultiDiGraph) -> nx.Graph:
    """The undirected simple graph: two actors are adjacent if any link joins them, either way."""
    simple = nx.Graph()
    simple.add_nodes_from(sorted(graph.nodes))
    simple.add_edges_from((u, v) for u, v in graph.edges() if u != v)
    return simple


def centralities(graph) -> pd.DataFrame:
    """Degree and betweenness of every actor, on the undirected simple graph.

    degree: the number of distinct actors linked to it; degree_centrality: degree / (n - 1);
    betweenness: the share of shortest paths between two other actors that pass through it
    (normalised, networkx's `betweenness_centrality`). Sorted by betweenness, then degree, then id.
    """
    simple = simple_graph(graph) if graph.is_multigraph() or graph.is_directed() else graph
    n = simple.number_of_nodes()
    between = nx.betweenness_centrality(simple, normalized=True)
    frame = pd.DataFrame(
        {
            "id": list(simple.nodes),
            "degree": [simple.degree(v) for v in simple.nodes],
            "degree_centrality": [simple.degree(v) / (n - 1) if n > 1 else 0.0 for v in simple.nodes],
            "betweenness": [between[v] for v in simple.nodes],
        }
    )
    return frame.sort_values(["betweenness", "degree", "id"], ascending=[False, False, True]).reset_index(drop=True)


# --- sides, scopes, chapters ---------------------------------------------------------------------


def side(actors: pd.DataFrame) -> pd.Series:
    """Which side each actor is on: Mexico, US federal, Texas, Binational or UN, Programme countries."""

    def one(row) -> str:
        if row["country"] == "Mexico":
            return "Mexico"
        if row["country"] == "United States":
            return "Texas" if row["level"] == "state" else "US federal"
        if row["country"] in ("Binational", "International"):
            return "Binational or UN"
        return "Programme countries"

    return pd.Series([one(r) for _, r in actors.iterrows()], index=actors["id"].to_numpy(), name="side")


def classify_links(actors: pd.DataFrame, links: pd.DataFrame) -> pd.Series:
    """The scope of each link (indexed like `links`), by the sides of its two ends, in this order:

    - bilateral: joins Mexico and the US federal side, or involves a binational actor
      (the boundary commission, the bilateral meeting);
    - international: involves a UN body or a programme country;
    - unilateral (Texas): an act (not a structural relation) by a Texas actor;
    - federal–Texas, Mexico–Texas: joins those two sides;
    - within Mexico / within US federal / within Texas: both ends on one side.
    """
    sides = side(actors)
    country = actors.set_index("id")["country"]

    def one(row) -> str:
        a, b = sides[row["source"]], sides[row["target"]]
        pair = {a, b}
        if "Binational" in (country[row["source"]], country[row["target"]]) or pair == {"Mexico", "US federal"}:
            return "bilateral"
        if "Binational or UN" in pair or "Programme countries" in pair:
            return "international"
        if a == "Texas" and row["relation"] not in STRUCTURAL:
            return "unilateral (Texas)"
        if pair == {"US federal", "Texas"}:
            return "federal–Texas"
        if pair == {"Mexico", "Texas"}:
            return "Mexico–Texas"
        return f"within {a}"

    return pd.Series([one(r) for _, r in links.iterrows()], index=links.index, name="scope", dtype=object)


def chapters_reached(graph, actors: pd.DataFrame) -> pd.Series:
    """For each actor, the chapters (of CHAPTERS) of itself and the actors linked to it, in reading order."""
    simple = simple_graph(graph) if graph.is_multigraph() or graph.is_directed() else graph
    chapter = actors.set_index("id")["chapter"]
    reached = {}
    for node in simple.nodes:
        found = {chapter.get(v) for v in [node, *simple.neighbors(node)]}
        reached[node] = tuple(c for c in CHAPTERS if c in found)
    return pd.Series(reached, name="chapters")


def officials_at_press_conference(actors: pd.DataFrame, links: pd.DataFrame, event: str = "presser") -> pd.DataFrame:
    """The people linked to the press conference, with office, institution they head and date named.

    Columns: id, name, role, institution, named_on, named_on_precision, source_key, relation;
    in the order of the links table (the order the article names them).
    """
    at = links[(links["target"] == event) & (links["source"].isin(actors.loc[actors["kind"] == "person", "id"]))]
    heads = links[links["relation"] == "heads"].drop_duplicates("source").set_index("source")["target"]
    label = localized(actors, "label").set_axis(actors["id"])
    shown = actors.assign(name=localized(actors, "name"), role=localized(actors, "role"))
    people = shown.set_index("id").loc[at["source"]]
    return pd.DataFrame(
        {
            "id": at["source"].to_numpy(),
            "name": people["name"].to_numpy(),
            "role": people["role"].to_numpy(),
            "institution": [label.get(heads.get(p), None) for p in at["source"]],
            "named_on": people["named_on"].to_numpy(),
            "named_on_precision": people["named_on_precision"].to_numpy(),
            "source_key": people["source_key"].to_numpy(),
            "relation": at["relation"].to_numpy(),
        }
    )


# How a relation reads in a sentence ("Texas installed the buoy barrier"), as messages: every
# relation of actor-links.relation, so the Spanish edition has a verb for each.
VERBS = {
    "administers": N_("administers"), "affirmed": N_("affirmed"), "announced": N_("announced"),
    "announced_programmes_for": N_("announced the programmes for"), "attended": N_("attended"),
    "built_without_permit_from": N_("built the barrier without a permit from"),
    "cited_data_from": N_("cited data from"), "coordinates_with": N_("coordinates with"),
    "drafted_plan_for": N_("drafted plan for"), "enjoined": N_("enjoined"), "evaluated": N_("evaluated"),
    "heads": N_("heads"), "holds_site_for": N_("holds the site for"), "hosted": N_("hosted"),
    "implements": N_("implements"), "installed": N_("installed"), "led_delegation_at": N_("led delegation at"),
    "met_with": N_("met with"), "operates": N_("runs"), "operates_in": N_("operates in"),
    "oversaw_installation": N_("oversaw the installation of"), "part_of": N_("part of"),
    "partner_in": N_("is a partner in"), "partners_with": N_("partners with"), "petitioned": N_("petitioned"),
    "pledged_funds_to": N_("pledged funds to"), "presented_at": N_("presented at"),
    "represented": N_("represented"), "sent_note_to": N_("sent note to"), "serves_in": N_("serves in"),
    "spoke_at": N_("spoke at"), "sued": N_("sued"), "supports": N_("supports"), "surveyed": N_("surveyed"),
    "toured": N_("toured"), "vacated": N_("vacated"), "wrote_to": N_("wrote to"),
}


def verb(relation: str) -> str:
    """How a relation ('sent_note_to') reads in a sentence, in the edition's language."""
    return _(VERBS[relation]) if relation in VERBS else relation.replace("_", " ")


def _english_name(text: str, kind: str) -> str:
    """An actor's label inside an English sentence: 'the buoy barrier', 'the Fifth Circuit', 'SRE'."""
    if kind == "infrastructure":
        return "the " + text[0].lower() + text[1:]
    if kind in ("agency", "court", "commission") and not text.isupper():
        return "the " + text
    if kind == "government" and "government" in text:
        return "the " + text
    return text


def describe_links(links: pd.DataFrame, actors: pd.DataFrame) -> list[str]:
    """Each link as a short sentence fragment: 'Texas installed the buoy barrier' ('Texas instaló
    la barrera de boyas': in Spanish each label takes its article from the table's article_es)."""
    info = actors.set_index("id")
    labels = localized(actors, "label").set_axis(actors["id"])
    spanish_article = i18n.language() == "es"

    def name(actor_id: str) -> str:
        if spanish_article:
            text, article = labels[actor_id], info.loc[actor_id, "article_es"]
            if info.loc[actor_id, "kind"] == "infrastructure":  # a thing, not a name: "la barrera de boyas"
                text = text[0].lower() + text[1:]
            return f"{article} {text}" if isinstance(article, str) and article else text
        return _english_name(labels[actor_id], info.loc[actor_id, "kind"])

    texts = [f"{name(r.source)} {verb(r.relation)} {name(r.target)}" for r in links.itertuples(index=False)]
    # Spanish contracts a preposition with the article: "de el" -> "del", "a el" -> "al".
    return [t.replace(" de el ", " del ").replace(" a el ", " al ") for t in texts] if spanish_article else texts


def ordinal(n: int) -> str:
    """1st, 2nd, 3rd, 4th, …, 11th, 12th, 13th, …, 21st (Spanish: 1.º, 2.º …)."""
    if i18n.language() == "es":
        return f"{n}.º"
    if 10 <= n % 100 <= 20:
        return f"{n}th"
    return f"{n}{ {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th') }"


def format_date(value, precision) -> str:
    """A date at its precision: '13 June 2023', 'June 2023' or '2023'; '' when missing."""
    if value is None or pd.isna(value):
        return ""
    stamp = pd.Timestamp(value)
    if precision == "year":
        return f"{stamp.year}"
    if precision == "month":
        return i18n.month(stamp)
    return i18n.date(stamp)


# --- the directory of actors --------------------------------------------------------------------

# The directory's column headings (reader text: one place, for the Spanish edition).
DIRECTORY_COLUMNS = {
    "name": N_("Actor"),
    "label": N_("In the figure"),
    "side": N_("Side"),
    "role": N_("Role in July 2023"),
    "source": N_("Source"),
}


def _abbreviation(name: str) -> tuple[str, str]:
    """'Secretaría de Gobernación (SEGOB)' -> ('Secretaría de Gobernación', '(SEGOB)')."""
    match = re.fullmatch(r"(.*?)(?: (\([A-Z][A-Za-z.]*\)))?", name)
    return match.group(1), match.group(2) or ""


def _in_language(text: str, language: str, *, abbreviation: bool = False) -> Markup:
    """A name as MyST: Spanish names in the `{es}` role (an abbreviation such as SRE stays plain)."""
    if language != "es" or (abbreviation and text.isupper()):
        return Markup(escape(text))
    words, abbr = _abbreviation(text)
    return Markup(spanish(words) + (" " + escape(abbr) if abbr else ""))


def directory(actors: pd.DataFrame) -> pd.DataFrame:
    """Every actor, one row each: full name, the label the network figure draws, side, role, source.

    Ordered by side (in the order of SIDES), then as in the table, so each side's people come
    before its institutions. Cells are MyST (`Markup`): names escaped, Spanish names marked.
    """
    sides = side(actors)
    order = {s: i for i, s in enumerate(SIDES)}
    frame = actors.assign(side=[sides[i] for i in actors["id"]])
    frame = frame.iloc[sorted(range(len(frame)), key=lambda i: order[frame["side"].iloc[i]])]
    frame.attrs = actors.attrs
    columns = i18n.translated(DIRECTORY_COLUMNS)
    # In the Spanish edition the names are the Spanish ones (official names of the bodies) and
    # are not marked as another language; in the English one Spanish names are marked.
    languages = frame["name_language"] if i18n.language() == "en" else ["en"] * len(frame)
    return pd.DataFrame(
        {
            columns["name"]: [_in_language(n, lang) for n, lang in zip(localized(frame, "name"), languages)],
            columns["label"]: [
                _in_language(lab, lang, abbreviation=True) for lab, lang in zip(localized(frame, "label"), languages)
            ],
            columns["side"]: frame["side"].map(side_name).to_numpy(),
            columns["role"]: localized(frame, "role").to_numpy(),
            columns["source"]: [cite(k) for k in frame["source_key"]],
        }
    ).reset_index(drop=True)


RELATION_SOURCE_COLUMNS = {"source": N_("Source"), "relations": N_("Relations it supports")}


def relation_sources(links: pd.DataFrame, actors: pd.DataFrame) -> pd.DataFrame:
    """One row per source of the links table, with the relations it supports as short sentences,
    in the order of the links table (so the reader sees which source backs which relation)."""
    described = links.assign(text=describe_links(links, actors))
    rows = [
        (cite(key), mark_spanish("; ".join(group["text"])))
        for key, group in described.groupby("source_key", sort=False)
    ]
    columns = i18n.translated(RELATION_SOURCE_COLUMNS)
    return pd.DataFrame(rows, columns=[columns["source"], columns["relations"]])
