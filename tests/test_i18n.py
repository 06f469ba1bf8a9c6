"""Text, numbers and dates made by code, in each edition's language."""

from __future__ import annotations

import os
import datetime as dt

import pandas as pd
import pytest

from migration_report.core import i18n


def test_numbers_read_the_same_in_both_editions():
    for lang in ("en", "es"):
        assert i18n.number(272000, lang) == "272,000"
        assert i18n.number(30.14, lang, decimals=1) == "30.1"
        assert i18n.number(1234567.891, lang, decimals=2) == "1,234,567.89"


def test_percent_has_a_non_breaking_space_in_spanish():
    assert i18n.percent(30.14, "en") == "30.1%"
    assert i18n.percent(30.14, "es") == "30.1\u00a0%"


def test_months_and_dates_in_spanish():
    assert i18n.month(pd.Timestamp("2023-07-01"), "es") == "julio de 2023"
    assert i18n.month("2023-07", "en") == "July 2023"
    assert i18n.date(dt.date(2023, 7, 26), "es") == "26 de julio de 2023"
    assert i18n.date("2023-07-26", "en") == "26 July 2023"


def test_messages_come_from_the_spanish_catalogue(monkeypatch):
    assert i18n.gettext("supported", "es") == "se sostiene"
    assert i18n.gettext("supported", "en") == "supported"
    assert i18n.gettext("a message nobody wrote", "es") == "a message nobody wrote"
    monkeypatch.setenv(i18n.ENVIRONMENT, "es")
    assert i18n._("Verdict") == "Veredicto"


def test_an_unknown_language_is_refused(monkeypatch):
    monkeypatch.setenv(i18n.ENVIRONMENT, "fr")
    with pytest.raises(ValueError, match="MIGRATION_REPORT_LANGUAGE"):
        i18n.language()


def test_the_code_catalogue_holds_every_marked_message(root):
    from migration_report.build import code_messages

    extracted = {m.id for m in code_messages.template(root) if m.id}
    assert {"Cite this chapter", "supported", "Source: this book's claim register, computed from "} <= extracted
    assert extracted <= set(i18n._messages("es", str(i18n.catalogue_file("es")))), "run make translations"


def test_the_register_in_spanish_measures_in_spanish_whatever_the_environment(monkeypatch):
    from migration_report.register import claims

    monkeypatch.delenv("MIGRATION_REPORT_LANGUAGE", raising=False)
    spanish = claims.register(lang="es").set_index("claim_id")
    english = claims.register(lang="en").set_index("claim_id")
    assert "Border Patrol" in english.loc["may-june-drop", "conclusion"]
    assert "Border Patrol" not in spanish.loc["may-june-drop", "conclusion"]
    assert "Patrulla Fronteriza" in spanish.loc["may-june-drop", "conclusion"]
    assert os.environ.get("MIGRATION_REPORT_LANGUAGE") is None  # put back as it was


def test_english_titles_are_cut_out_only_in_another_edition():
    line = "OHSS del DHS, Immigration Enforcement and Legal Processes Monthly Tables (edición de agosto de 2024)"
    pieces = i18n.english_pieces(line, "es")
    assert pieces == [("OHSS del DHS, ", False), ("Immigration Enforcement and Legal Processes Monthly Tables", True),
                      (" (edición de agosto de 2024)", False)]
    assert "".join(piece for piece, _ in pieces) == line
    assert i18n.english_pieces(line, "en") == [(line, False)]
    # the longer title wins where one contains another
    assert ("Key Homeland Security Metrics: CBP Encounters", True) in i18n.english_pieces(
        "OHSS, Key Homeland Security Metrics: CBP Encounters, hoja", "es")


def test_the_parameters_help_is_a_message_of_the_code_catalogue(root):
    from migration_report.build import code_messages

    template = code_messages.template(root)
    help_text = 'first month of the overview, "YYYY-MM"; None means the first month in the data'
    message = template[help_text]
    assert message is not None and ("chapters/flow-statistics.ipynb", None) in message.locations
    assert i18n.gettext(help_text, "es") == 'primer mes del panorama general, "YYYY-MM"; None significa el primer mes de los datos'


def test_the_rerun_section_gives_each_parameters_help_in_the_editions_language(root):
    from docutils import nodes

    from migration_report.core import settings
    from migration_report.sphinx import boxes

    where = settings.Settings(base_url=None, repository_url=None)
    notebook = root / "chapters" / "flow-statistics.ipynb"

    def text(lang):
        return nodes.container("", *boxes.rerun_nodes(notebook, boxes.RERUN_DOC, where, html=True,
                                                            lang=lang)).astext()

    spanish, english = text("es"), text("en")
    assert "None significa el primer mes de los datos" in spanish and "None means" not in spanish
    assert '"USBP" (Patrulla Fronteriza) u "OFO" (Operaciones de Campo)' in spanish
    assert "None means the first month in the data" in english
