"""What the book offers for download: figure data a reader can read, and the data package in one ZIP."""

import io
import json
import zipfile
from pathlib import Path

import pandas as pd
from frictionless import validate

from migration_report.core import charts, downloads
from migration_report.chapters.introduction import figures as verdict_chart
from migration_report.core.outputs import figure_data, readable
from migration_report.sphinx.figure_data import _FIGURE_DATA, _decoded

ROOT = Path(__file__).resolve().parents[1]


def test_figure_data_have_named_columns_with_units_and_no_float_noise():
    frame = pd.DataFrame({"amount_usd": [30000000.0, None], "share_pct": [24.59016393442623, 75.40983606557377],
                          "some_new_column": ["a", "b"], "Already readable": [1, 2]})
    shown = readable(frame, "fig-x")
    assert list(shown.columns) == ["Amount (US dollars)", "Share of the total length (%)", "Some new column",
                                   "Already readable"]
    assert shown.to_csv(index=False, lineterminator="\n").splitlines()[1:] == ["30000000,24.59,a,1", ",75.41,b,2"]
    assert list(readable(pd.DataFrame({"total": [1]}), "fig-flow-mexico").columns) == ["All Mexican nationals (encounters)"]


def test_a_source_key_becomes_the_reference_it_stands_for(tmp_path, bib_keys):
    key = "cbp_nationwide_encounters"
    assert key in bib_keys
    charts.Figure([verdict_chart.verdict_figure(pd.Series({"supported": 1}), source="Source: x").panels[0]],
                  source="Source: CBP, a release")  # a figure made just before its data names its source
    link = figure_data(pd.DataFrame({"month": ["2023-05"], "source_key": [key]}), tmp_path, "fig-y")
    match = _FIGURE_DATA.match(link.data.removeprefix("{figure-data}`").removesuffix("`"))
    assert _decoded(match["data"]) == ('\ufeffMonth,Source,Source of the figure\n'
                                       '2023-05,"U.S. Customs and Border Protection (2024), Nationwide Encounters",'
                                       '"CBP, a release"\n')
    meta = json.loads(_decoded(match["meta"]))
    assert meta["fields"] == [{"name": "Month", "type": "string"}, {"name": "Source", "type": "string"},
                              {"name": "Source of the figure", "type": "string"}]
    assert [s["title"] for s in meta["sources"]] == ["CBP, a release",
                                                     "U.S. Customs and Border Protection (2024), Nationwide Encounters"]
    assert meta["licenses"][0]["name"] == "CC-BY-4.0"


def test_the_figure_descriptor_validates_with_its_csv(tmp_path):
    (tmp_path / "fig-z.csv").write_text("Month,Encounters (count)\n2023-05,206690\n2023-06,\n", encoding="utf-8")
    meta = {"fields": [{"name": "Month", "type": "string"}, {"name": "Encounters (count)", "type": "integer"}],
            "sources": [{"title": "CBP"}], "licenses": [{"name": "CC-BY-4.0", "path": "https://creativecommons.org/licenses/by/4.0/"}]}
    descriptor = downloads.figure_resource(meta, name="fig-z.csv", title="Encounters", figure_url="flow.html#fig-z")
    (tmp_path / "fig-z.resource.json").write_text(json.dumps(descriptor), encoding="utf-8")
    report = validate(tmp_path / "fig-z.resource.json")
    assert report.valid, report.flatten(["type", "note"])


def test_the_data_package_zip_holds_every_table_and_validates(tmp_path):
    archive = downloads.data_package_zip(ROOT / "data", ROOT / "references.bib", version="9.9.9", book_title="Book")
    assert archive == downloads.data_package_zip(ROOT / "data", ROOT / "references.bib", version="9.9.9",
                                                 book_title="Book")  # the same bytes every time
    with zipfile.ZipFile(io.BytesIO(archive)) as opened:
        names = opened.namelist()
        opened.extractall(tmp_path)
    folder = tmp_path / "migration-report-data-9.9.9"
    descriptor = json.loads((ROOT / "data" / "datapackage.json").read_text(encoding="utf-8"))
    assert {f"migration-report-data-9.9.9/{r['path']}" for r in descriptor["resources"]} < set(names)
    readme = (folder / "README.md").read_text(encoding="utf-8")
    assert "Version 9.9.9 of the data package" in readme and "sw_encounters_monthly.csv" in readme
    assert "U.S. Government Work" in readme and "Creative Commons Attribution 4.0" in readme
    assert "python -m migration_report" not in readme and "no public address yet" in readme
    report = validate(folder / "datapackage.json")
    assert report.valid, report.flatten(["type", "note"])


def test_the_spanish_data_package_readme_describes_the_tables_in_spanish(monkeypatch):
    descriptor = json.loads((ROOT / "data" / "datapackage.json").read_text(encoding="utf-8"))
    monkeypatch.setenv("MIGRATION_REPORT_LANGUAGE", "es")
    readme = downloads.readme(descriptor, version="9.9.9", book_title="Libro", rows={})
    assert "Obra del Gobierno de los Estados Unidos: no sujeta a derechos de autor" in readme
    assert "Oficina de Aduanas y Protección Fronteriza de Estados Unidos (CBP)" in readme
    assert "(publicación de noviembre de 2023) <https://www.cbp.gov/" in readme
    assert "U.S. Government Work" not in readme and "release of November 2023" not in readme
    assert readme.startswith("# Datos del libro «Verificación de datos") and "Tablas pequeñas derivadas" in readme


def test_download_list_links_the_zip_and_each_table():
    descriptor = {"resources": [{"name": "a", "path": "a.csv", "title": "Table `A` <x>"}]}
    assert downloads.download_list(descriptor, "1.0").splitlines() == [
        downloads.TEXT["download_package"].format(path="_downloads/data/migration-report-data-1.0.zip"),
        downloads.TEXT["download_descriptor"].format(path="_downloads/data/datapackage.json"),
        "- {book-file}`Table 'A' ‹x› (a.csv) <_downloads/data/a.csv>`",
    ]


def test_the_executed_notebook_keeps_outputs_and_drops_timings():
    notebook = {"cells": [{"cell_type": "code", "metadata": {"execution": {"iopub.status.busy": "2026"}, "tags": ["x"]},
                           "outputs": [{"output_type": "stream", "text": "1"}]}]}
    clean = downloads.executed_notebook(notebook)
    assert clean["cells"][0]["metadata"] == {"tags": ["x"]} and clean["cells"][0]["outputs"] == notebook["cells"][0]["outputs"]
    assert "execution" in notebook["cells"][0]["metadata"]


def _table_section(readme: str, path: str) -> str:
    start = readme.index(f"`{path}`")
    return readme[start:readme.index("\n### ", start) if "\n### " in readme[start:] else len(readme)]


def test_the_readme_names_each_curated_tables_sources_by_title_with_their_addresses():
    import csv

    from pybtex.database import parse_file

    archive = downloads.data_package_zip(ROOT / "data", ROOT / "references.bib", version="9.9.9", book_title="Book",
                                         repository="https://git.test/team/migration-report")
    with zipfile.ZipFile(io.BytesIO(archive)) as opened:
        readme = opened.read("migration-report-data-9.9.9/README.md").decode("utf-8")
    entries = parse_file(ROOT / "references.bib").entries
    descriptor = json.loads((ROOT / "data" / "datapackage.json").read_text(encoding="utf-8"))
    curated = [r for r in descriptor["resources"] if "source_key" in [f["name"] for f in r["schema"]["fields"]]]
    assert len(curated) >= 9
    for resource in curated:
        section = _table_section(readme, resource["path"])
        assert "creativecommons.org" not in section.split("- Licence:")[0], resource["path"]  # not a licence for a source
        with open(ROOT / "data" / resource["path"], encoding="utf-8") as table:
            keys = {row["source_key"] for row in csv.DictReader(table) if row["source_key"]}
        for key in keys:
            url = entries[key].fields.get("url")
            if url:
                assert f"<{url}>" in section, (resource["path"], key)
    quotations = _table_section(readme, "quotations.csv")
    assert "See the source_key" not in quotations
    claims = _table_section(readme, "article_claims.csv")  # the article, named by the descriptor and by its rows: once
    assert claims.count(f"<{entries['latinarepublic2023'].fields['url']}>") == 1
    assert "<https://git.test/team/migration-report>" in readme and "make data RAW=folder" in readme


def test_a_figure_csv_carries_its_source_line(tmp_path):
    charts.Figure([verdict_chart.verdict_figure(pd.Series({"supported": 1}), source="Source: x").panels[0]],
                  source="Source: CBP, Nationwide Encounters (release of October 2024)")
    link = figure_data(pd.DataFrame({"month": ["2023-05", "2023-06"], "encounters": [206690, 144556]}), tmp_path, "fig-z")
    match = _FIGURE_DATA.match(link.data.removeprefix("{figure-data}`").removesuffix("`"))
    assert _decoded(match["data"]) == (
        "\ufeffMonth,Encounters (count),Source of the figure\n"
        "2023-05,206690,\"CBP, Nationwide Encounters (release of October 2024)\"\n"
        "2023-06,144556,\"CBP, Nationwide Encounters (release of October 2024)\"\n")
    assert (tmp_path / "fig-z.csv").read_text(encoding="utf-8") == _decoded(match["data"])  # the BOM kept
