"""Citations are made from CITATION.cff and the settings, as CSL-JSON first, then BibTeX, RIS and APA."""

import json
from pathlib import Path

import bibtexparser
import pytest
import rispy

from release import DATE_PARTS, RELEASED, RELEASED_SLASHED, VERSION, YEAR
from migration_report.core import citation, settings
from migration_report.core.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
UNSET = Settings(base_url=None, repository_url=None)
PUBLISHED = Settings(base_url="https://book.test/migration/", repository_url="https://git.test/team/migration-report")


def test_book_metadata_comes_from_citation_cff():
    meta = citation.book_metadata()
    cff = citation.read_cff()
    assert meta.title == cff["title"] == "Checking the claims: US–Mexico migration cooperation in 2023"
    assert meta.version == VERSION and meta.year == YEAR and meta.released == RELEASED


def test_citation_cff_agrees_with_the_settings_in_config():
    assert settings.cff_mismatches(settings.load(ROOT), citation.read_cff()) == []


def test_cff_mismatches_name_each_disagreement():
    cff = {"url": "https://book.test/migration"}
    assert settings.cff_mismatches(PUBLISHED, dict(cff, **{"repository-code": PUBLISHED.repository_url})) == []
    problems = settings.cff_mismatches(PUBLISHED, cff)
    assert problems == ["CITATION.cff repository-code is None but _config.yml repository.url is "
                        "'https://git.test/team/migration-report'"]
    assert len(settings.cff_mismatches(UNSET, cff)) == 1


def test_settings_read_both_addresses_from_config(tmp_path):
    (tmp_path / "_toc.yml").write_text("root: x\n", encoding="utf-8")
    (tmp_path / "chapters").mkdir()
    config = tmp_path / "_config.yml"
    config.write_text("html:\n  baseurl: https://book.test/b\nrepository:\n  url: https://git.test/r.git\n")
    found = settings.load(settings.book_root(tmp_path / "chapters"))  # as a notebook finds it
    assert found == Settings("https://book.test/b/", "https://git.test/r.git")
    assert found.page_url("flow-statistics", "fig-x") == "https://book.test/b/chapters/flow-statistics.html#fig-x"
    assert found.issues_url() == "https://git.test/r/issues" and found.notices() == []
    config.write_text("html:\n  baseurl: ''\n")
    unset = settings.load(tmp_path)
    assert unset == UNSET and unset.page_url("x") is None and unset.issues_url() is None
    assert [line.split()[1] for line in unset.notices()] == ["html.baseurl", "repository.url"]
    config.write_text("html:\n  baseurl: fill in later\n")
    with pytest.raises(ValueError, match="must be an http"):
        settings.load(tmp_path)


def test_the_spanish_edition_is_cited_at_its_own_address(tmp_path, monkeypatch):
    (tmp_path / "_toc.yml").write_text("root: x\n", encoding="utf-8")
    (tmp_path / "_config.yml").write_text("html:\n  baseurl: https://book.test/b\n", encoding="utf-8")
    spanish = settings.load(tmp_path, "es")
    assert spanish.page_url("flow-statistics") == "https://book.test/b/es/chapters/flow-statistics.html"
    assert spanish.file_url("book-es.pdf") == "https://book.test/b/es/book-es.pdf"
    monkeypatch.setenv("MIGRATION_REPORT_LANGUAGE", "es")  # a Spanish kernel
    assert settings.load(tmp_path) == spanish
    assert settings.load(tmp_path, "en").page_url("x") == "https://book.test/b/chapters/x.html"


@pytest.mark.parametrize("where", [UNSET, PUBLISHED])
def test_bibtex_ris_and_csl_json_parse_and_agree_with_citation_cff(where):
    meta, cff = citation.book_metadata(), citation.read_cff()
    item = citation.chapter_item("flow-statistics", "Flow statistics", meta, where)
    [entry] = bibtexparser.parse_string(citation.bibtex(item)).entries
    assert entry.entry_type == "incollection" and entry.key == f"migration-report-{YEAR}-flow-statistics"
    assert entry["title"] == "{Flow} statistics"  # capitals braced, so no style lowers them
    assert entry["booktitle"] == "{Checking} the claims: {US–Mexico} migration cooperation in 2023"
    assert entry["author"] == "{The migration-report maintainers}" and entry["langid"] == "english"
    assert entry["version"] == cff["version"] and entry["year"] == YEAR and entry["date"] == RELEASED
    assert "note" not in entry.fields_dict and "language" not in entry.fields_dict
    [record] = rispy.loads(citation.ris(item))
    assert record["type_of_reference"] == "CHAP" and record["title"] == "Flow statistics"
    assert record["secondary_title"] == cff["title"] and "edition" not in record
    assert record["unknown_tag"] == {"M2": [f"version: {cff['version']}"]}
    assert record["authors"] == ["The migration-report maintainers"] and record["date"] == RELEASED_SLASHED
    [csl] = json.loads(citation.csl_json(item))
    assert csl["container-title"] == cff["title"] and csl["version"] == cff["version"]
    assert csl["issued"] == {"date-parts": [DATE_PARTS]}
    url = "https://book.test/migration/chapters/flow-statistics.html"
    if where is PUBLISHED:
        assert entry["url"] == url and record["urls"] == [url] and csl["URL"] == url
    else:
        assert "url" not in entry.fields_dict and "urls" not in record and "URL" not in csl


def test_bibtex_escapes_latex_and_braces_only_words_with_capitals():
    assert citation.bibtex_title("The Rio Grande dispute") == "{The} {Rio} {Grande} dispute"
    assert citation.bibtex_title("Data for “US–Mexico” (CBP), 50% & more") == \
        "{Data} for “{US–Mexico}” ({CBP}), 50\\% \\& more"
    assert citation.bibtex_title("entre México y Estados Unidos") == "entre {México} y {Estados} {Unidos}"
    assert citation.bibtex_text("a_b {c} #1 $2 \\") == "a\\_b \\{c\\} \\#1 \\$2 \\textbackslash{}"


def test_each_edition_has_its_own_identifiers_and_language():
    english, spanish = citation.book_metadata(lang="en"), citation.book_metadata(lang="es")
    assert citation.book_item(english, UNSET)["id"] == f"migration-report-{YEAR}"
    assert citation.book_item(spanish, UNSET)["id"] == f"migration-report-{YEAR}-es"
    assert citation.chapter_item("about", "x", spanish, UNSET)["id"] == f"migration-report-{YEAR}-es-about"
    assert "langid = {spanish}" in citation.bibtex(citation.book_item(spanish, UNSET))
    assert "LA  - es" in citation.ris(citation.book_item(spanish, UNSET))


def test_a_figure_citation_is_one_line_with_the_number_left_to_the_caller():
    meta = citation.book_metadata()
    chapter = citation.chapter_item("flow-statistics", "Flow statistics", meta, PUBLISHED)
    before, after = citation.figure_line(chapter, "Flow statistics")
    assert (before, after) == (f"The migration-report maintainers ({YEAR}). Flow statistics, ", f". Version {VERSION}.")
    assert len(before + "figure 2.10" + after) < 90


def test_the_readable_reference_is_the_apa_style_of_the_csl_item():
    meta = citation.book_metadata()
    chapter = citation.chapter_item("flow-statistics", "Flow statistics", meta, PUBLISHED)
    assert citation.formatted(chapter) == (
        f"The migration-report maintainers. ({YEAR}). Flow statistics. In <i>{meta.title}</i> (Version {VERSION}). "
        "https://book.test/migration/chapters/flow-statistics.html")
    unset = citation.chapter_item("flow-statistics", "Flow statistics", meta, UNSET)
    assert citation.formatted(unset).endswith(f"(Version {VERSION}).")
    assert citation.formatted_markdown(unset) == (
        f"The migration-report maintainers. ({YEAR}). Flow statistics. In *{meta.title}* (Version {VERSION}).")
    figure = citation.part_item("figure", "fig-flow-monthly", "Monthly encounters", chapter, PUBLISHED,
                                "flow-statistics")
    assert citation.formatted(figure).startswith(f"The migration-report maintainers. ({YEAR}). Flow statistics, "
                                                 "figure: Monthly encounters. In <i>")
    assert citation.formatted(figure).endswith("chapters/flow-statistics.html#fig-flow-monthly")


def test_book_citation_comes_from_the_same_metadata():
    meta = citation.book_metadata()
    item = citation.book_item(meta, UNSET)
    assert citation.bibtex(item).startswith(f"@book{{migration-report-{YEAR},")
    assert citation.formatted(item) == f"The migration-report maintainers. ({YEAR}). <i>{meta.title}</i> (Version {VERSION})."


def test_parameters_are_read_with_their_defaults_and_comments(tmp_path):
    source = ('start = None  # first month, "YYYY-MM"\n'
              '# Example: -p start 2021-10\n'
              'component = "all"  # "all", "USBP" or "OFO"\n'
              'countries = ["A", "B"]\n'
              '# A comment line above an assignment is not its help (papermill reads only the one after it).\n'
              'kinds = None  # Countries, as CBP spells them; case is ignored.\n')
    notebook = {"cells": [{"cell_type": "code", "metadata": {"tags": ["parameters"]}, "source": source,
                           "outputs": [], "execution_count": None}], "metadata": {}, "nbformat": 4, "nbformat_minor": 4}
    path = tmp_path / "chapter.ipynb"
    path.write_text(json.dumps(notebook), encoding="utf-8")
    params = citation.parameters(path)
    assert [(p.name, p.default, p.help) for p in params] == [
        ("start", "None", 'first month, "YYYY-MM"'),
        ("component", '"all"', '"all", "USBP" or "OFO"'),
        ("countries", '["A", "B"]', ""),
        ("kinds", "None", "Countries, as CBP spells them; case is ignored."),
    ]
    assert citation.rerun_example(path) == "make chapter NAME=chapter PARAMS='-p start 2021-10'"


def test_each_claim_card_has_its_one_line_citation():
    from migration_report.register import claims, page as register_page
    from migration_report import load
    from migration_report.core.outputs import escape

    register, quotations = claims.register(), load("quotations")
    meta = citation.book_metadata()
    published = register_page.cards(register, quotations, meta, PUBLISHED)
    for row in register.itertuples():
        assert (f"{register_page.TEXT['cite']}\n:class: dropdown claim-citation\nThe migration-report maintainers. "
                f"({YEAR}). Claim register, claim: {escape(row.topic)}") in published
        assert f"https://book.test/migration/chapters/claim-register.html\\#{row.card_label}" in published
    unset = register_page.cards(register, quotations, meta, UNSET)
    assert unset.count(register_page.TEXT["cite"]) == len(register) and "https://book.test" not in unset


def test_the_spanish_edition_is_cited_as_itself(root):
    from migration_report.core import citation, settings
    from migration_report.core.edition import book_title

    english, spanish = citation.book_metadata(lang="en"), citation.book_metadata(lang="es")
    assert spanish.language == "es" and english.language == "en"
    assert spanish.title == book_title(root, "es", english.title) != english.title  # the root page's translation
    where = settings.load(root)
    reference = citation.formatted(citation.chapter_item("flow-statistics", "Estadísticas de flujos", spanish, where))
    assert f"En <i>{spanish.title}</i> (Versión {spanish.version})" in reference  # the CSL es-MX locale
    assert "langid = {spanish}" in citation.bibtex(citation.chapter_item("flow-statistics", "x", spanish, where))
