"""Every CSV the book offers opens safely in a spreadsheet: a text cell that would start a formula is
neutralised (an apostrophe in front), each file begins with the UTF-8 byte-order mark, and the
descriptors say so (migration_report.core.spreadsheet)."""

import io
import json
import shutil
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from migration_report.core import downloads, spreadsheet
from migration_report.core.outputs import figure_data
from migration_report.sphinx.figure_data import _FIGURE_DATA, _decoded

ROOT = Path(__file__).resolve().parents[1]
FORMULA = '=HYPERLINK("http://example.org/x","Click for sources")'


@pytest.mark.parametrize("text", [FORMULA, "+1+1", "-50 percent (May 2023–June 2023)", "@SUM(A1:A9)", "\t=1+1",
                                  "\r=1+1", "=1", "-", "+cmd|' /C calc'!A0", "-2+3"])
def test_text_a_spreadsheet_would_take_for_a_formula_gets_an_apostrophe(text):
    assert spreadsheet.neutral(text) == "'" + text


@pytest.mark.parametrize("value", ["-5", "+3.5", "-0.25e3", "2023-05", "Border Patrol", "", " =not first", "'=quoted",
                                   -50, 3.5, None])
def test_numbers_and_other_text_are_left_as_they_are(value):
    assert spreadsheet.neutral(value) == value


def test_a_figures_csv_is_neutralised_and_marked(tmp_path):
    frame = pd.DataFrame({"month": ["2023-05", "2023-06"], "note": [FORMULA, "-50 percent"], "amount_usd": [-50, 3]})
    link = figure_data(frame, tmp_path, "fig-x")
    written = (tmp_path / "fig-x.csv").read_bytes()
    assert written.startswith(b"\xef\xbb\xbf")
    rows = pd.read_csv(tmp_path / "fig-x.csv")
    assert list(rows["Note"]) == ["'" + FORMULA, "'-50 percent"] and list(rows["Amount (US dollars)"]) == [-50, 3]
    match = _FIGURE_DATA.match(link.data.removeprefix("{figure-data}`").removesuffix("`"))
    assert _decoded(match["data"]).encode("utf-8") == written  # the page's download is the same file
    resource = downloads.figure_resource(json.loads(_decoded(match["meta"])), name="fig-x.csv", title="X",
                                         figure_url="x.html#fig-x")
    assert resource[spreadsheet.PROPERTY] == spreadsheet.NOTE


def test_the_claim_registers_csv_is_neutralised(tmp_path):
    from migration_report.register.claimreview import write_downloads

    register = pd.DataFrame({"claim_id": ["may-june-drop"], "stated": ["-50 percent (May 2023–June 2023)"],
                             "topic": [FORMULA]})
    paths = write_downloads(register, tmp_path)
    text = paths["csv"].read_bytes().decode("utf-8")
    assert text.startswith("\ufeff") and "'-50 percent (May 2023–June 2023)" in text and "'=HYPERLINK" in text
    assert json.loads(paths["json"].read_text(encoding="utf-8"))[0]["Topic"] == FORMULA  # JSON is not for spreadsheets


def test_the_data_package_offered_is_the_data_with_a_mark_and_hashes_of_its_own():
    offered = spreadsheet.downloadable_package(ROOT / "data")
    descriptor = json.loads(offered["datapackage.json"])
    shipped = json.loads((ROOT / "data" / "datapackage.json").read_text(encoding="utf-8"))
    assert descriptor[spreadsheet.PROPERTY] == spreadsheet.NOTE and "apóstrofo" in descriptor[f"{spreadsheet.PROPERTY}_es"]
    for resource, original in zip(descriptor["resources"], shipped["resources"]):
        assert offered[resource["path"]] == b"\xef\xbb\xbf" + (ROOT / "data" / resource["path"]).read_bytes()
        assert resource["bytes"] == original["bytes"] + 3 and resource["hash"] != original["hash"]


def test_a_formula_in_a_curated_table_is_neutralised_in_every_download_and_the_package_validates(tmp_path):
    from frictionless import validate

    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    table = pd.read_csv(data / "actor_links.csv", dtype=str, keep_default_na=False)
    table.loc[0, "note"] = FORMULA
    table.loc[1, "note"] = "-50 percent"
    table.to_csv(data / "actor_links.csv", index=False, lineterminator="\n")
    offered = spreadsheet.downloadable_package(data)
    rows = pd.read_csv(io.BytesIO(offered["actor_links.csv"]), dtype=str, keep_default_na=False)
    assert rows.loc[0, "note"] == "'" + FORMULA and rows.loc[1, "note"] == "'-50 percent"
    assert rows.drop(columns="note").equals(table.drop(columns="note"))  # nothing else changed
    archive = downloads.data_package_zip(data, ROOT / "references.bib", version="9.9.9", book_title="Book")
    with zipfile.ZipFile(io.BytesIO(archive)) as opened:
        opened.extractall(tmp_path / "zip")
        assert opened.read("migration-report-data-9.9.9/actor_links.csv") == offered["actor_links.csv"]
    report = validate(tmp_path / "zip" / "migration-report-data-9.9.9" / "datapackage.json")
    assert report.valid, report.flatten(["type", "note"])
