"""Fast tests for the institutional-actors tables and src/migration_report/chapters/institutional_actors/analysis.py.

Data checks read the CSV files directly (csv module), not through the code under test; the
centrality checks use small graphs whose answers are known by hand.
"""

from __future__ import annotations

import csv
from pathlib import Path

import networkx as nx
import pandas as pd
import pytest

from migration_report import ParameterError, load
from migration_report.chapters.institutional_actors import analysis as net
from migration_report.chapters.institutional_actors import figures as network

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"


def rows(name: str) -> list[dict]:
    with open(DATA / name, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


ACTORS = rows("actors.csv")
LINKS = rows("actor_links.csv")
IDS = [a["id"] for a in ACTORS]


# --- data integrity ---------------------------------------------------------------------------------


def test_actor_ids_and_link_ids_are_unique():
    assert len(IDS) == len(set(IDS))
    link_ids = [link["link_id"] for link in LINKS]
    assert len(link_ids) == len(set(link_ids))
    quads = [(link["source"], link["target"], link["relation"], link["note"]) for link in LINKS]
    assert len(quads) == len(set(quads)), "the same relation between the same pair needs a distinguishing note"


def test_every_link_end_is_an_actor():
    known = set(IDS)
    missing = [(link["link_id"], end) for link in LINKS for end in (link["source"], link["target"]) if end not in known]
    assert missing == []


def test_no_actor_is_isolated_and_no_link_is_a_loop():
    linked = {link["source"] for link in LINKS} | {link["target"] for link in LINKS}
    assert set(IDS) - linked == set()
    assert [link["link_id"] for link in LINKS if link["source"] == link["target"]] == []


def test_every_source_key_is_in_references_bib(bib_keys):
    keys = bib_keys
    used = {r["source_key"] for r in ACTORS + LINKS}
    used |= {r["source_key"] for r in rows("claim_evidence.csv") if r["claim_id"] == "officials-present"}
    assert used - keys == set()


def test_named_on_and_its_precision_go_together():
    for actor in ACTORS:
        assert bool(actor["named_on"]) == bool(actor["named_on_precision"]), actor["id"]
        if actor["named_on"]:
            assert actor["kind"] == "person", actor["id"]


def test_tables_match_their_schemas():
    # load() checks the hash, the Table Schema and the foreign keys to actors.id
    assert len(load("actors")) == len(ACTORS)
    assert len(load("actor-links")) == len(LINKS)


def test_attendees_are_the_people_the_claim_quotes():
    quote = next(r["quote"] for r in rows("article_claims.csv") if r["claim_id"] == "officials-present")
    names = {a["id"]: a["name"] for a in ACTORS}
    attended = [link["source"] for link in LINKS if link["target"] == "presser" and link["relation"] == "attended"]
    assert attended == ["alcalde", "sandoval", "ojeda"]
    for person in attended:
        assert names[person] in quote
        assert next(a for a in ACTORS if a["id"] == person)["named_in_article"] == "true"


def test_claim_evidence_for_officials_present():
    found = [r for r in rows("claim_evidence.csv") if r["claim_id"] == "officials-present" and r["question"] == "truth"]
    assert [r["finding"] for r in found] == ["no source found"]  # attendance: no record independent of the article


# --- centralities on small graphs with known answers ----------------------------------------------


def tiny(ids, edges, kinds=None, countries=None, levels=None):
    actors = pd.DataFrame(
        {
            "id": ids,
            "label": [i.upper() for i in ids],
            "kind": kinds or ["agency"] * len(ids),
            "country": countries or ["Mexico"] * len(ids),
            "level": levels or ["national"] * len(ids),
            "chapter": [None] * len(ids),
        }
    )
    links = pd.DataFrame(
        [
            {"link_id": f"l{i}", "source": s, "target": t, "relation": r, "note": "", "source_key": "k"}
            for i, (s, t, r) in enumerate(edges)
        ]
    )
    return actors, links


def test_path_of_three():
    actors, links = tiny(["a", "b", "c"], [("a", "b", "heads"), ("b", "c", "heads")])
    cent = net.centralities(net.build_graph(actors, links)).set_index("id")
    assert cent.loc["b", "betweenness"] == pytest.approx(1.0)
    assert cent.loc["a", "betweenness"] == 0.0 and cent.loc["c", "betweenness"] == 0.0
    assert list(cent["degree"].loc[["a", "b", "c"]]) == [1, 2, 1]
    assert cent.loc["b", "degree_centrality"] == pytest.approx(1.0)
    assert list(cent.index) == ["b", "a", "c"]  # sorted by betweenness, then degree, then id


def test_path_of_four():
    # b lies on the shortest paths a-c and a-d: 2 of the 3 pairs not involving b -> 2/3.
    actors, links = tiny(["a", "b", "c", "d"], [("a", "b", "heads"), ("b", "c", "heads"), ("c", "d", "heads")])
    cent = net.centralities(net.build_graph(actors, links)).set_index("id")
    assert cent.loc["b", "betweenness"] == pytest.approx(2 / 3)
    assert cent.loc["c", "betweenness"] == pytest.approx(2 / 3)


def test_star_centre_and_leaves():
    leaves = ["l1", "l2", "l3", "l4"]
    actors, links = tiny(["hub", *leaves], [("hub", leaf, "heads") for leaf in leaves])
    cent = net.centralities(net.build_graph(actors, links)).set_index("id")
    assert cent.loc["hub", "betweenness"] == pytest.approx(1.0)
    assert cent.loc["hub", "degree"] == 4
    assert all(cent.loc[leaf, "betweenness"] == 0.0 for leaf in leaves)
    assert all(cent.loc[leaf, "degree_centrality"] == pytest.approx(1 / 4) for leaf in leaves)


def test_parallel_and_reverse_links_count_once():
    actors, links = tiny(["a", "b", "c"], [("a", "b", "met_with"), ("b", "a", "met_with"), ("a", "b", "sued"), ("b", "c", "heads")])
    graph = net.build_graph(actors, links)
    assert graph.number_of_edges() == 4
    cent = net.centralities(graph).set_index("id")
    assert cent.loc["a", "degree"] == 1 and cent.loc["b", "degree"] == 2
    assert cent.loc["b", "betweenness"] == pytest.approx(1.0)


def test_build_graph_rejects_unknown_ends():
    actors, links = tiny(["a", "b"], [("a", "zz", "heads")])
    with pytest.raises(ValueError, match="zz"):
        net.build_graph(actors, links)


# --- sides and scopes ---------------------------------------------------------------------------------


def test_classify_links_on_a_small_example():
    ids = ["mx", "us", "tx", "txobj", "commission", "un", "land"]
    actors, links = tiny(
        ids,
        [
            ("mx", "us", "sent_note_to"),  # Mexico - US federal
            ("tx", "txobj", "installed"),  # Texas acts
            ("tx", "txobj", "heads"),  # structural, within Texas
            ("us", "tx", "sued"),  # federal acts on Texas
            ("mx", "txobj", "toured"),  # Mexico - Texas
            ("commission", "txobj", "surveyed"),  # binational
            ("un", "mx", "evaluated"),  # UN
            ("mx", "land", "announced_programmes_for"),  # programme country
            ("mx", "mx", "heads"),
        ],
        countries=["Mexico", "United States", "United States", "United States", "Binational", "International", "Cuba"],
        levels=["national", "national", "state", "state", "international", "international", "national"],
    )
    assert list(net.classify_links(actors, links)) == [
        "bilateral",
        "unilateral (Texas)",
        "within Texas",
        "federal–Texas",
        "Mexico–Texas",
        "bilateral",
        "international",
        "international",
        "within Mexico",
    ]


def test_scopes_of_the_real_links_counted_directly():
    actors, links = load("actors"), load("actor-links")
    scopes = net.classify_links(actors, links)
    side = {}
    for a in ACTORS:
        if a["country"] == "United States":
            side[a["id"]] = "TX" if a["level"] == "state" else "US"
        else:
            side[a["id"]] = {"Mexico": "MX", "Binational": "BI", "International": "UN"}.get(a["country"], "PC")
    mx_us = [
        link["link_id"]
        for link in LINKS
        if {side[link["source"]], side[link["target"]]} == {"MX", "US"} or "BI" in (side[link["source"]], side[link["target"]])
    ]
    assert sorted(links.loc[scopes == "bilateral", "link_id"]) == sorted(mx_us)
    # No link made by a Texas actor reaches a Mexican actor: Texas acts unilaterally.
    assert [link for link in LINKS if side[link["source"]] == "TX" and side[link["target"]] == "MX"] == []
    texas_acts = [link["link_id"] for link in LINKS if side[link["source"]] == "TX" and link["relation"] not in net.STRUCTURAL]
    assert sorted(links.loc[scopes == "unilateral (Texas)", "link_id"]) == sorted(texas_acts)
    assert "texasgov-installed-buoys" in texas_acts


def test_degree_of_the_sre_counted_directly():
    neighbours = {link["target"] for link in LINKS if link["source"] == "sre"}
    neighbours |= {link["source"] for link in LINKS if link["target"] == "sre"}
    cent = net.centralities(net.build_graph(load("actors"), load("actor-links"))).set_index("id")
    assert cent.loc["sre", "degree"] == len(neighbours)
    # and the largest betweenness, checked against networkx on a graph built here from the CSV rows
    simple = nx.Graph()
    simple.add_nodes_from(IDS)
    simple.add_edges_from((link["source"], link["target"]) for link in LINKS)
    expected = nx.betweenness_centrality(simple)
    assert max(expected, key=expected.get) == "sre" == cent.index[0]
    assert cent.loc["sre", "betweenness"] == pytest.approx(expected["sre"])


def test_chapters_reached():
    actors, links = tiny(["a", "b", "c", "d"], [("a", "b", "heads"), ("a", "c", "heads"), ("c", "d", "heads")])
    actors["chapter"] = ["flow-statistics", "rio-grande-dispute", None, "cooperation-and-funding"]
    reached = net.chapters_reached(net.build_graph(actors, links), actors)
    assert reached["a"] == ("flow-statistics", "rio-grande-dispute")
    assert reached["c"] == ("cooperation-and-funding", "flow-statistics")
    assert reached["b"] == ("flow-statistics", "rio-grande-dispute")


# --- the officials table -------------------------------------------------------------------------------


def test_officials_at_the_press_conference():
    table = net.officials_at_press_conference(load("actors"), load("actor-links"))
    assert list(table["id"]) == ["amlo", "barcena", "rosaicela", "alcalde", "sandoval", "ojeda"]
    assert list(table["institution"].fillna("")) == ["", "SRE", "SSPC", "SEGOB", "SEDENA", "SEMAR"]
    named = dict(zip(table["id"], table["named_on"]))
    assert named["barcena"] == pd.Timestamp("2023-06-13") and named["alcalde"] == pd.Timestamp("2023-06-19")
    assert pd.isna(named["amlo"])


def test_ordinal():
    assert [net.ordinal(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 22, 101, 111)] == [
        "1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "101st", "111th"
    ]


def test_format_date_keeps_the_precision():
    assert net.format_date(pd.Timestamp("2023-06-13"), "day") == "13 June 2023"
    assert net.format_date(pd.Timestamp("2023-06-01"), "month") == "June 2023"
    assert net.format_date(pd.Timestamp("2018-01-01"), "year") == "2018"
    assert net.format_date(pd.NaT, None) == ""


# --- parameters ------------------------------------------------------------------------------------------


def test_parameters_accept_good_values():
    assert net.check_kinds(None) is None
    assert net.check_kinds(["person", "agency", "person"]) == ["person", "agency"]
    assert net.check_country(None) is None
    assert net.check_country("Mexico") == "Mexico"


@pytest.mark.parametrize("value", ["person", [], ["person", "alien"], 3])
def test_bad_kinds_name_the_parameter(value):
    with pytest.raises(ParameterError, match="parameter 'kinds'"):
        net.check_kinds(value)


@pytest.mark.parametrize("value", ["Mars", "mexico", ["Mexico"]])
def test_bad_country_names_the_parameter(value):
    with pytest.raises(ParameterError, match="parameter 'country'"):
        net.check_country(value)


def test_a_selection_without_actors_is_an_error():
    with pytest.raises(ParameterError, match="parameter 'country'.*select none"):
        net.select(load("actors"), load("actor-links"), kinds=["court"], country="Cuba")


def test_select_keeps_only_links_inside_the_selection():
    actors, links = net.select(load("actors"), load("actor-links"), kinds=["person", "agency"], country="Mexico")
    assert set(actors["kind"]) == {"person", "agency"} and set(actors["country"]) == {"Mexico"}
    ids = set(actors["id"])
    expected = [link["link_id"] for link in LINKS if link["source"] in ids and link["target"] in ids]
    assert sorted(links["link_id"]) == sorted(expected)


# --- layout ------------------------------------------------------------------------------------------------


def test_layout_is_deterministic_and_ignores_row_order():
    actors, links = load("actors"), load("actor-links")
    first = network.layout(net.build_graph(actors, links), actors)
    shuffled = actors.sample(frac=1, random_state=1).reset_index(drop=True)
    second = network.layout(net.build_graph(shuffled, links.iloc[::-1].reset_index(drop=True)), shuffled)
    assert first == second
    assert set(first) == set(IDS)


# --- the directory of actors ---------------------------------------------------------------------


def test_the_directory_has_every_actor_once_with_the_label_the_figure_draws():
    actors, links = load("actors"), load("actor-links")
    table = net.directory(actors)
    assert len(table) == len(actors)
    graph = net.build_graph(actors, links)
    figure = network.draw(graph, actors, links, network.layout(graph, actors), source="Source: test")
    shown = [label.replace("{es}`", "").replace("`", "") for label in table[net.DIRECTORY_COLUMNS["label"]]]
    assert sorted(shown) == sorted(network.drawn_labels(figure))
    assert set(table[net.DIRECTORY_COLUMNS["side"]]) == set(net.SIDES)
    assert list(table[net.DIRECTORY_COLUMNS["side"]]) == sorted(table[net.DIRECTORY_COLUMNS["side"]], key=net.SIDES.index)


def test_spanish_names_are_marked_and_their_abbreviation_stays_outside_the_role():
    table = net.directory(load("actors")).set_index(net.DIRECTORY_COLUMNS["label"])
    assert table.loc["SEGOB", net.DIRECTORY_COLUMNS["name"]] == "{es}`Secretaría de Gobernación` (SEGOB)"
    assert table.loc["DHS", net.DIRECTORY_COLUMNS["name"]] == "US Department of Homeland Security (DHS)"
    assert table.loc["SRE", net.DIRECTORY_COLUMNS["source"]] == "{cite:t}`ap2023firstnote`"
    assert "{es}`Sembrando Vida`" in table.index


def test_every_source_of_a_relation_has_one_row_with_its_relations():
    actors, links = load("actors"), load("actor-links")
    table = net.relation_sources(links, actors)
    assert len(table) == links["source_key"].nunique()
    row = table[table[net.RELATION_SOURCE_COLUMNS["source"]] == "{cite:t}`ibwc_aboutus`"].iloc[0]
    assert row[net.RELATION_SOURCE_COLUMNS["relations"]].count(";") == 2  # the three IBWC structure rows
