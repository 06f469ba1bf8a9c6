"""The chapters' text made by code, in the Spanish edition: Spanish words, the English edition's numbers.

Each test renders the same table, sentence or chart specification in both editions (the
language the build sets, MIGRATION_REPORT_LANGUAGE) and checks a Spanish word is there and the
numbers are the same, in the same order.
"""

from __future__ import annotations

import json
import re

import pandas as pd
import pytest

from migration_report.chapters.institutional_actors import analysis as actors
from migration_report.chapters.rio_grande_dispute import analysis as barrier
from migration_report.chapters.flow_statistics import figures as flow_charts, analysis as flows, text as flows_text
from migration_report.chapters.cooperation_and_funding import analysis as funding
from migration_report import load
from migration_report.core import data, i18n
from migration_report.core.data import localized

NUMBER = re.compile(r"\d+(?:,\d{3})*(?:\.\d+)?")  # 272,000; 30.1


def numbers(text: str) -> list[str]:
    return NUMBER.findall(text)


def in_both(monkeypatch, make):
    """MAKE() rendered in the English and then the Spanish edition."""
    monkeypatch.setenv(i18n.ENVIRONMENT, "en")
    english = make()
    monkeypatch.setenv(i18n.ENVIRONMENT, "es")
    return english, make()


def test_every_spanish_column_is_filled_where_its_english_is():
    package = data.package()
    checked = 0
    for entry in package["resources"]:
        assert entry.get("title_es"), f"{entry['name']}: no title_es"
        assert entry.get("sourceLine_es"), f"{entry['name']}: no sourceLine_es"
        names = [f["name"] for f in entry["schema"]["fields"]]
        for name in (n for n in names if n.endswith("_es")):
            english = name.removesuffix("_es")
            if english not in names:  # article_es: Spanish only
                continue
            frame = load(entry["name"])
            assert localized(frame, english, "es").notna().sum() == frame[english].notna().sum()
            checked += 1
    assert checked >= 14  # actors (3), actor-links, timeline (3), funding (3), facts (4)


def test_the_may_june_table_is_spanish_with_the_same_numbers(monkeypatch):
    changes = lambda: flows.may_june_change(load("sw-encounters"))  # noqa: E731 (labels follow the edition)
    english, spanish = in_both(monkeypatch, lambda: flows_text.may_june_table(changes()).data)
    assert "Patrulla Fronteriza (entre puertos de entrada)" in spanish and "Medida" in spanish
    assert "Border Patrol" not in spanish
    assert numbers(spanish) == numbers(english) and "206,690" in spanish and "\u221230.1\u00a0%" in spanish


def test_the_flow_sentences_words_are_spanish(monkeypatch):
    english, spanish = in_both(monkeypatch, lambda: (
        flows_text.month_text(pd.Timestamp("2021-02-01")), flows_text.window_label(flows.BEFORE_WINDOW),
        flows.describe_selection(["MEXICO", "HAITI"], ["CUBA"], "USBP"), flows_text.change_sentence("mexicans-12", -3.0),
        flows.no_data_text([pd.Timestamp("2021-03-01"), pd.Timestamp("2021-04-01")])))
    assert english == ("February 2021", "Jan–Apr 2023", "Border Patrol, citizens of Mexico and Haiti", "the count fell by 3.0 %",
                       "no data for March 2021 and April 2021")
    assert spanish == ("febrero de 2021", "ene–abr 2023", "Patrulla Fronteriza, ciudadanos de México y Haití",
                       "el conteo bajó un 3.0 %", "sin datos de marzo de 2021 y abril de 2021")


def _chart_values(spec: dict) -> list[str]:
    """The values a chart's data carry that start with a number (counts as shown), in order."""
    values = []
    for dataset in spec.get("data", []):
        for row in dataset.get("values", []):
            for value in row.values():
                if isinstance(value, str) and re.match(r"\d", value) and not re.match(r"\d{4}-\d\d-\d\dT", value):
                    values.append(NUMBER.match(value).group())
    return values


def test_a_chart_specification_is_spanish_with_the_same_numbers(monkeypatch):
    series = flows.measure_series(load("sw-encounters")).loc["2023-01-01":"2023-09-01"]

    def spec():
        figure = flow_charts.may_june_figure(series, source=data.source_line("sw-encounters"))
        return figure.panel_specs()[0], figure.html()

    (english, english_html), (spanish, spanish_html) = in_both(monkeypatch, spec)
    text = json.dumps(spanish, ensure_ascii=False)
    assert "Encuentros por mes" in text and "Título 42 vigente" in text
    assert '\\"ene\\"' in text and '\\"Jan\\"' not in text  # the axis's month names (inside a Vega expression)
    assert "mayo de 2023" in text and "Encounters per month" not in text
    # The release's English title is marked as English (lang="en"); the words around it are Spanish.
    assert ('Fuente: CBP, <span lang="en">Nationwide Encounters</span> (publicaciones de noviembre de 2023'
            in spanish_html and "Pase el cursor sobre la gráfica" in spanish_html)
    assert 'Source: CBP, Nationwide Encounters (releases of Nov 2023' in english_html and 'lang="en"' not in english_html
    assert _chart_values(spanish) == _chart_values(english) and len(_chart_values(english)) > 20


def test_the_funding_tables_are_spanish_with_the_same_numbers(monkeypatch):
    money = funding.check_funding(load("programme-funding"))
    english, spanish = in_both(monkeypatch, lambda: funding.funding_display(money).to_markdown())
    assert "millones de dólares" in spanish and "compromiso anunciado" in spanish and "Belice" in spanish
    assert numbers(spanish) == numbers(english)
    facts = load("programme-facts")
    english, spanish = in_both(monkeypatch, lambda: funding.facts_display(facts).to_markdown())
    assert "meta de beneficiarios" in spanish and "10,000 personas" in spanish
    assert numbers(spanish) == numbers(english)


def test_the_actors_are_named_as_the_spanish_edition_names_them(monkeypatch):
    table, links = load("actors"), load("actor-links")
    english, spanish = in_both(monkeypatch, lambda: actors.directory(table).to_markdown())
    assert "Departamento de Justicia de EE. UU. (DOJ)" in spanish and "Secretaria de Relaciones Exteriores" in spanish
    assert "Gobierno federal de EE. UU." in spanish  # the side
    assert numbers(spanish) == numbers(english)
    built = links[links["link_id"].isin(["texasgov-installed-buoys", "doj-sued-texasgov"])]
    english, spanish = in_both(monkeypatch, lambda: actors.describe_links(built, table))
    assert english == ["Texas installed the buoy barrier", "DOJ sued Texas"]
    assert spanish == ["Texas instaló la barrera de boyas", "el DOJ demandó a Texas"]


def test_the_timeline_table_is_spanish_with_the_same_dates(monkeypatch):
    timeline = load("rio-grande-timeline")
    english, spanish = in_both(monkeypatch, lambda: barrier.timeline_sources(timeline))
    assert list(spanish.columns[:2]) == ["Cuándo", "Qué pasó"] and len(spanish) == len(english)
    assert spanish.iloc[0, 0] == "20 mar 2020" and english.iloc[0, 0] == "20 Mar 2020"
    assert "Título 42" in spanish.iloc[0, 1]


@pytest.mark.parametrize("name", sorted(load("sw-encounters")["citizenship"].unique()))
def test_every_cbp_citizenship_has_a_spanish_name(name):
    if name != "OTHER":
        assert name in i18n.COUNTRY_CODES
        assert i18n.country_name(name, "es") != ""
    assert i18n.country_name("HAITI", "es") == "Haití" and i18n.country_name("HAITI", "en") == "Haiti"


def test_the_register_sentences_of_the_flow_and_barrier_checks_are_spanish_with_the_same_numbers(monkeypatch):
    names = ("barrier-geometry", "article-claims", "sw-encounters", "flow-cited-figures", "chnv-process",
             "cbp-one-appointments")
    tables = {n: load(n) for n in names}

    def sentences():
        measured = {**flows.checks(tables), **barrier.checks(tables)}
        return {k: (m.found, m.found_short) for k, m in measured.items()}

    english, spanish = in_both(monkeypatch, sentences)
    assert spanish["may-june-drop"][0].startswith("De mayo a junio de 2023: todos los encuentros")
    assert "al cierre de junio de 2023" in spanish["chnv-272000"][0] and "end of June 2023" in english["chnv-272000"][0]
    assert "medición" in spanish["barrier-length"][1]
    for key in english:
        for en, es in zip(english[key], spanish[key]):
            assert numbers(es) == numbers(en), key
