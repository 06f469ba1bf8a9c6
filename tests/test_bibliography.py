"""Citation labels and the reference list (migration_report.sphinx.bibliography, references.bib)."""

from __future__ import annotations

import html
import re
from collections import defaultdict
from pathlib import Path

import pytest

from pybtex.richtext import Tag, Text

from migration_report.sphinx import bibliography
from migration_report.sphinx.bibliography import author_text, base_year, labelled_years

ROOT = Path(__file__).resolve().parents[1]
HTML = ROOT / "_build" / "html"


def test_every_source_has_its_own_author_year_label(bib_entries):
    years = labelled_years(bib_entries)
    labels = defaultdict(list)
    for key, entry in bib_entries.items():
        labels[(author_text(entry), years.get(key, "n.d."))].append(key)
    shared = {label: keys for label, keys in labels.items() if len(keys) > 1}
    assert not shared, shared


def test_letters_follow_the_month_and_only_where_needed(bib_entries):
    years = labelled_years(bib_entries)
    cbp = sorted((years[k], k) for k, e in bib_entries.items()
                 if author_text(e) == "U.S. Customs and Border Protection" and base_year(e.fields.get("year", "")) == "2023")
    assert [y for y, _ in cbp] == [f"2023{c}" for c in "abcdefghijklmnopqrstuvwxyz"[:len(cbp)]] and len(cbp) >= 3
    assert years["latinarepublic2023"] == "2023"  # the article is the only Latina Republic source


def test_a_cached_label_is_not_lettered_twice():
    assert base_year("2023b") == "2023" and base_year("2023") == "2023"


# The reader's labels in the built book: every citation link's text names one reference.
CITATION_LINK = re.compile(r'<span class="bibtex-citation"[^>]*>(.*?)</span>\s*(?=[^<]|<)', re.S)
LINK = re.compile(r'<a class="reference internal" href="(?:[^"#]*references\.html)?#(id\d+)"[^>]*>(.*?)</a>', re.S)


@pytest.mark.book
def test_no_two_references_share_a_citation_label_in_the_book():
    targets = defaultdict(set)
    for page in HTML.rglob("*.html"):
        for target, text in LINK.findall(page.read_text(encoding="utf-8")):
            label = " ".join(html.unescape(re.sub(r"<[^>]+>", "", text)).split())
            targets[label].add(target)
    assert targets, "no citation links found"
    shared = {label: ids for label, ids in targets.items() if len(ids) > 1}
    assert not shared, shared
    bare_years = [label for label in targets if re.fullmatch(r"\[?\d{4}[a-z]?\]?", label)]
    assert not bare_years, f"citation links that are only a year: {bare_years}"


# Phrases of the working notes that were removed from references.bib: how an entry was
# researched is not part of the reference. Titles are checked too: a title is the headline a
# stored copy shows, never a note on where a guess came from (tests/test_sources.py).
WORKING_NOTES = ["not captured", "excerpt read", "url slug", "from url", "background only", "per takethefifth",
                 "not recorded", "article bodies not read", "says barcena spoke", "quotes the",
                 "taken from contemporaneous", "seen only truncated", "used only for", "used for procedural",
                 "not the published headline"]
# Tertiary sources the book does not cite: each fact is taken from a primary source or the press.
TERTIARY = ["wikipedia"]


def test_no_reference_carries_a_working_note(bib_entries):
    found = [(key, name, phrase) for key, entry in bib_entries.items()
             for name, value in entry.fields.items()
             for phrase in WORKING_NOTES if phrase in value.lower()]
    assert not found, found


def test_no_reference_is_a_wikipedia_article(bib_entries):
    found = [key for key, entry in bib_entries.items()
             for value in [*entry.fields.values(), *(str(p) for p in entry.persons.get("author", []))]
             for word in TERTIARY if word in value.lower()]
    assert not found, found


def _rendered(entry, lang="en", monkeypatch=None):
    import pybtex_docutils

    from migration_report.sphinx import bibliography as sphinx_bib
    from migration_report.sphinx.bibliography_style import TitleCaseStyle

    if monkeypatch is not None:
        monkeypatch.setitem(sphinx_bib._EDITION, "language", lang)
    formatted = next(TitleCaseStyle().format_entries([entry]))
    return formatted.text.render_as("text"), pybtex_docutils.Backend().paragraph(formatted)


def _spanish_spans(paragraph):
    from migration_report.sphinx.claims import lang_span

    return [" ".join(n.astext().split()) for n in paragraph.findall(lang_span) if n["lang"] == "es"]


def test_a_spanish_source_is_marked_spanish_and_dated_to_the_day(bib_entries):
    text, paragraph = _rendered(bib_entries["sputnik2023fondos"])
    assert "26 July 2023." in text
    assert _plain_title(bib_entries["sputnik2023fondos"]) in _spanish_spans(paragraph)
    assert "Sputnik Mundo" in _spanish_spans(paragraph)  # the outlet's name is Spanish too


def _labelled(bib_entries, lang="en"):
    import copy

    labelled = copy.deepcopy(bib_entries)
    for key, shown in labelled_years(labelled, lang).items():
        labelled[key].fields["year"] = shown
    return labelled


def test_the_letter_belongs_to_the_label_not_to_the_date(bib_entries):
    labelled = _labelled(bib_entries)
    lettered = [k for k, e in labelled.items() if re.fullmatch(r"\d{4}[a-z]", e.fields.get("year", "")) and "day" in e.fields]
    assert lettered
    for key in lettered:
        text, _ = _rendered(labelled[key])
        assert not re.search(r"\d{4}[a-z]\b", text), (key, text)


def test_the_outlet_is_shown_once(bib_entries):
    text, _ = _rendered(bib_entries["estadonews2023boyas"])
    assert text.count("Estado.news") == 1 and "Gallardo" in text


def test_an_undated_source_says_why_and_is_labelled_n_d(bib_entries, monkeypatch):
    undated = [k for k, e in bib_entries.items() if "undated" in e.fields]
    assert undated
    labelled = _labelled(bib_entries)
    assert {labelled[k].fields["year"].split("-")[0] for k in undated} == {"n.d."}
    text, _ = _rendered(labelled["cila_quienes"], "en", monkeypatch)
    assert "Undated (an institutional page" in text
    text, _ = _rendered(labelled["telefonorojo2023inversion"], "en", monkeypatch)
    assert "Undated (the page shows no date)" in text


def test_a_copy_is_named_after_the_original(bib_entries, monkeypatch):
    text, _ = _rendered(bib_entries["whitehouse2023sullivan"], "en", monkeypatch)
    assert text.index("The White House") < text.index("28 July 2023") < text.index("Read via USA Daily News 24, 24 February 2024")
    assert "whitehouse.gov" in text and "usadailynews24.com" in text


def test_the_spanish_edition_lists_its_references_in_spanish(bib_entries, monkeypatch):
    labelled = _labelled(bib_entries, "es")
    text, _ = _rendered(labelled["whitehouse2023sullivan"], "es", monkeypatch)
    assert "28 de julio de 2023" in text and "Leído en USA Daily News 24, 24 de febrero de 2024" in text
    assert "(consultado el 6 de diciembre de 2026)" in text and "Disponible en:" in text
    assert "visited" not in text and "Read via" not in text
    text, _ = _rendered(labelled["cbp_nationwide_encounters"], "es", monkeypatch)
    assert "[Conjunto de datos]" in text and "Estadística oficial" in text
    text, _ = _rendered(labelled["fr2023clp"], "es", monkeypatch)
    assert "U.S. Department of Homeland Security y U.S. Department of Justice" in text
    assert {labelled[k].fields["year"].split("-")[0] for k, e in bib_entries.items() if "undated" in e.fields} == {"s. f."}
    text, _ = _rendered(labelled["cila_quienes"], "es", monkeypatch)
    assert "Sin fecha (página institucional" in text


def test_an_english_source_has_no_spanish_span(bib_entries):
    _, paragraph = _rendered(bib_entries["messenger2023mayorkas"])
    assert _spanish_spans(paragraph) == []


def test_the_only_language_a_source_declares_is_spanish(bib_entries):
    # any other value would be shown unmarked; sphinx_bib knows one language besides English
    assert {e.fields["language"] for e in bib_entries.values() if "language" in e.fields} == {"spanish"}


def test_a_day_is_only_given_with_its_month(bib_entries):
    bad = [k for k, e in bib_entries.items() if "day" in e.fields
           and ("month" not in e.fields or not 1 <= int(e.fields["day"]) <= 31)]
    assert not bad, bad


def _plain_title(entry) -> str:
    from pybtex.richtext import Text

    return " ".join(Text.from_latex(entry.fields["title"]).render_as("text").split())


@pytest.mark.book
def test_spanish_titles_carry_lang_es_on_the_references_page(bib_entries):
    from bs4 import BeautifulSoup

    page = BeautifulSoup((HTML / "chapters" / "references.html").read_text(encoding="utf-8"), "html.parser")
    marked = {" ".join(s.get_text().split()) for s in page.select('[lang="es"]')}
    spanish = {key: _plain_title(e) for key, e in bib_entries.items()
               if e.fields.get("language") == "spanish" and not e.fields["title"].startswith("[")}
    assert len(spanish) >= 10
    missing = {key: title for key, title in spanish.items() if title not in marked}
    assert not missing, missing
    english = _plain_title(bib_entries["messenger2023mayorkas"])
    assert english in page.get_text() and english not in marked


def test_a_spanish_programme_named_in_an_english_title_is_marked(bib_entries):
    text, paragraph = _rendered(bib_entries["usaid2021sembrando"])
    assert "Joint Statement on Sembrando Oportunidades" in text
    assert _spanish_spans(paragraph) == ["Sembrando Oportunidades"]


def test_pybtex_looks_up_each_installed_plugin_once(monkeypatch):
    """A plugin is found among the installed packages' entry points once per build, not each time
    pybtex formats a piece of an entry (the scans were two thirds of a build's time)."""
    import pybtex.plugin
    from pybtex.backends.plaintext import Backend

    scans = []
    real = pybtex.plugin.entry_points
    monkeypatch.setattr(pybtex.plugin, "entry_points", lambda **selection: scans.append(selection) or real(**selection))
    bibliography.remember_installed_plugins()
    for round in range(3):
        assert pybtex.plugin.find_plugin("pybtex.backends", "text") is Backend
        assert Text("a ", Tag("em", "b")).render_as("text") == "a b"
        if round == 0:
            first = list(scans)
    assert {"group": "pybtex.backends", "name": "text"} in first
    assert scans == first  # the second and third rounds scanned nothing
    bibliography.remember_installed_plugins()  # a second setup (two builds in one process) keeps one cache
    assert pybtex.plugin.find_plugin("pybtex.backends", "text") is Backend
    assert scans == first
