"""The shared data module: typed loading, and a clear error for every kind of bad file."""

import copy
import csv
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest

from migration_report import DataError, load, load_file, resource_names
from migration_report.core.data import PACKAGE_FILE, latest_month, resource
from migration_report.build.failure_modes import DATA_CASES, prepare, run

ROOT = Path(__file__).resolve().parents[1]


def raw_rows(name):
    with open(ROOT / "data" / name, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_every_resource_loads_with_typed_columns():
    for name in resource_names():
        frame = load(name)
        assert len(frame) > 0 or name == "claim-evidence", name
        if "month" in frame:
            assert pd.api.types.is_datetime64_any_dtype(frame["month"]), name


def test_counts_are_integers_and_months_are_dates():
    encounters = load("sw-encounters")
    assert encounters["encounter_count"].dtype == "int64"
    assert encounters["month"].min() == pd.Timestamp("2019-10-01")
    assert encounters["month"].max() == pd.Timestamp("2024-09-01")


def test_june_2023_totals_match_the_csv_read_directly():
    rows = [r for r in raw_rows("sw_encounters_monthly.csv") if r["month"] == "2023-06"]
    by_component = {}
    for r in rows:
        by_component[r["component"]] = by_component.get(r["component"], 0) + int(r["encounter_count"])
    # CBP's later releases give 99,538 USBP and 144,556 total for June 2023 (PROVENANCE notes).
    assert by_component == {"USBP": 99538, "OFO": 45018}
    encounters = load("sw-encounters")
    june = encounters[encounters["month"] == pd.Timestamp("2023-06-01")]
    assert june.groupby("component")["encounter_count"].sum().to_dict() == by_component


def test_nullable_counts_stay_blank_not_zero():
    appointments = load("cbp-one-appointments")
    before = appointments[appointments["month"] < "2023-01-01"]
    assert before["total"].isna().all()
    assert appointments.loc[appointments["month"] == "2023-01-01", "total"].item() == 10380


@pytest.mark.parametrize("case", DATA_CASES, ids=[c.name for c in DATA_CASES])
def test_bad_file_gives_one_clear_error(case, tmp_path):
    error = run(case, tmp_path)
    message = str(error)
    assert isinstance(error, DataError)
    assert case.expected in message
    assert message.startswith(str(error.path))
    named = "datapackage.json" if case.target == "package" else Path(resource(case.resource)["path"]).name
    assert error.path.name == named
    assert error.row == case.row and (case.row is None or re.search(rf"\brow {case.row}[,:]", message))
    assert error.column == case.column and (case.column is None or f"column '{case.column}'" in message)
    assert error.key == case.key and (case.key is None or f"key '{case.key}'" in message)


@pytest.mark.parametrize("case", DATA_CASES, ids=[c.name for c in DATA_CASES])
def test_frictionless_rejects_what_the_project_rejects(case, tmp_path):
    """The standard's own validator, on the same input: it must reject it too, unless the case
    says why frictionless accepts it (then the project is deliberately stricter)."""
    frictionless = pytest.importorskip("frictionless")
    path = prepare(case, tmp_path)
    rejected = _frictionless_rejects(frictionless, case, path)
    assert rejected == (not case.frictionless_accepts), case.frictionless_accepts or "frictionless accepted it"


def _frictionless_rejects(frictionless, case, path) -> bool:
    try:
        if case.target == "package" or case.check_hash:
            target = frictionless.Package(str(path / PACKAGE_FILE)).get_resource(case.resource)
        else:
            schema = _with_build_month(resource(case.resource)["schema"])
            target = frictionless.Resource(path=path.name, basepath=str(path.parent),
                                           schema=frictionless.Schema.from_descriptor(schema))
        return not target.validate().valid
    except frictionless.FrictionlessException:
        return True


def _with_build_month(schema: dict) -> dict:
    """The schema with the project's rule "no month after the build's" written as Table Schema maxima."""
    schema = copy.deepcopy(schema)
    for field in schema["fields"]:
        if field.get("type") == "yearmonth":
            field.setdefault("constraints", {})["maximum"] = f"{latest_month():%Y-%m}"
    return schema


def test_user_file_with_another_schema_is_rejected(tmp_path):
    other = tmp_path / "other.csv"
    other.write_text("month,total\n2023-01,5\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"other\.csv, row 1, column 'component': column is missing"):
        load_file(other, like="sw-encounters")


def test_user_file_with_the_same_schema_loads_without_hash(tmp_path):
    rows = (ROOT / "data" / "sw_encounters_monthly.csv").read_text(encoding="utf-8").split("\n")[:3]
    newer = tmp_path / "newer-release.csv"
    newer.write_text("\n".join(rows) + "\n", encoding="utf-8")
    frame = load_file(newer, like="sw-encounters")
    assert list(frame["encounter_count"]) == [17, 5]


def test_foreign_key_is_checked(tmp_path):
    evidence = tmp_path / "evidence.csv"
    evidence.write_text(
        "evidence_id,claim_id,question,finding,statement,value,unit,source_key,short,statement_es,source_kind,source_voice,short_es\n"
        "e1,no-such-claim,truth,agrees,Something.,,,latinarepublic2023,,Algo.,news,other,\n",
        encoding="utf-8",
    )
    with pytest.raises(DataError, match=r"row 2, column 'claim_id'.*resource 'article-claims'"):
        load_file(evidence, like="claim-evidence")


def test_unknown_resource_names_the_known_ones():
    with pytest.raises(DataError, match="no resource named 'encounters'; expected one of sw-encounters"):
        load("encounters")


def test_the_build_date_comes_from_source_date_epoch_when_set():
    from migration_report.core.data import build_date

    assert build_date({"SOURCE_DATE_EPOCH": "1700000000"}) == pd.Timestamp("2023-11-14")
    assert build_date({"SOURCE_DATE_EPOCH": "0"}) == pd.Timestamp("1970-01-01")
    today = pd.Timestamp.now(tz="UTC").tz_localize(None).normalize()
    assert build_date({}) == today and build_date({"SOURCE_DATE_EPOCH": ""}) == today
    with pytest.raises(ValueError, match="SOURCE_DATE_EPOCH='yesterday': expected whole seconds since 1970"):
        build_date({"SOURCE_DATE_EPOCH": "yesterday"})


def test_a_user_file_with_a_month_after_the_build_is_refused(tmp_path, monkeypatch):
    from migration_report.core import data

    rows = (ROOT / "data" / "sw_encounters_monthly.csv").read_text(encoding="utf-8").split("\n")[:3]
    newer = tmp_path / "newer-release.csv"
    newer.write_text("\n".join([rows[0], rows[1], rows[2].replace("2019-10", "2023-07")]) + "\n", encoding="utf-8")
    monkeypatch.setattr(data, "BUILD_DATE", pd.Timestamp("2023-06-30"))
    with pytest.raises(DataError, match="row 3, column 'month': got '2023-07', expected a month not after 2023-06"):
        load_file(newer, like="sw-encounters")
    monkeypatch.setattr(data, "BUILD_DATE", pd.Timestamp("2023-07-01"))
    assert load_file(newer, like="sw-encounters")["month"].max() == pd.Timestamp("2023-07-01")


def test_every_count_column_is_bounded_so_sums_cannot_overflow():
    from migration_report.core.data import package

    bounds = {}
    for entry in package()["resources"]:
        for field in entry["schema"]["fields"]:
            if field["type"] == "integer":
                bounds[f"{entry['name']}.{field['name']}"] = field["constraints"].get("maximum")
    assert "sw-encounters.encounter_count" in bounds and len(bounds) == 22
    assert set(bounds.values()) == {10_000_000}
    # A billion rows at the bound still sum inside int64.
    assert 10_000_000 * 10**9 < 2**63 - 1


def test_structural_faults_of_the_descriptor_name_the_key(tmp_path):
    from migration_report.core.data import check_package

    path = tmp_path / "datapackage.json"
    good = {"name": "sw-encounters", "path": "x.csv", "schema": {"fields": [{"name": "a"}]}}
    for descriptor, key, phrase in [
        ({"resources": []}, "resources", "is missing or empty"),
        ({"resources": [good, dict(good)]}, "resources[1].name", "used by an earlier resource"),
        ({"resources": [{**good, "path": "../secret.csv"}]}, "resources[0].path", "a path inside the data folder"),
        ({"resources": [{**good, "schema": ["a"]}]}, "resources[0].schema", "is a JSON array"),
        ({"resources": [{**good, "schema": {"fields": []}}]}, "resources[0].schema.fields", "is missing or empty"),
        ({"resources": ["x.csv"]}, "resources[0]", "is a JSON string"),
    ]:
        with pytest.raises(DataError) as caught:
            check_package(descriptor, path)
        assert caught.value.key == key and phrase in str(caught.value), (key, str(caught.value))


def test_localized_reads_the_editions_column_and_refuses_a_missing_translation():
    import pandas as pd

    from migration_report.core.data import localized

    frame = pd.DataFrame({"topic": ["Funding", "Flows", ""], "topic_es": ["Financiamiento", "Flujos", ""]},
                         index=["usd-40m", "flows-50", "empty"])
    assert localized(frame, "topic", "en").tolist() == ["Funding", "Flows", ""]
    assert localized(frame, "topic", "es").tolist() == ["Financiamiento", "Flujos", ""]
    frame.loc["flows-50", "topic_es"] = ""
    with pytest.raises(DataError, match=r"'topic_es'.*row\(s\) flows-50"):
        localized(frame, "topic", "es")
    with pytest.raises(DataError, match="'role_es' is missing"):
        localized(frame.rename(columns={"topic": "role"}), "role", "es")


def test_describe_gives_every_resources_text_in_spanish_and_refuses_a_missing_translation(tmp_path):
    import json

    from migration_report import describe, resource_names
    from migration_report.core.data import DATA_DIR, release_titles

    for name in resource_names():  # every shipped resource has its Spanish fields
        english, spanish = describe(name, lang="en"), describe(name, lang="es")
        assert spanish.description and spanish.description != english.description, name
        assert spanish.publisher and spanish.publisher != english.publisher, name
        assert all(s.get("path") == e.get("path") for s, e in zip(spanish.sources, english.sources, strict=True))
    sw = describe("sw-encounters", lang="es")
    assert sw.licences[0]["title"].startswith("Obra del Gobierno de los Estados Unidos: no sujeta a derechos de autor")
    assert sw.sources[0]["title"] == ("CBP, Nationwide Encounters, archivo por área de responsabilidad AF2020–AF2023 "
                                      "(publicación de noviembre de 2023)")
    assert describe("sw-encounters", lang="en").publisher == "U.S. Customs and Border Protection (CBP)"
    # the releases a reader cites, without the copies the project used, in the edition's language
    assert release_titles("chnv-process", "cbp-one-appointments", lang="es") == (
        "Oficina de Estadísticas de Seguridad Nacional del DHS, Immigration Enforcement and Legal Processes Monthly "
        "Tables, edición de agosto de 2024 (libro "
        "2024_1206_ohss_immigration-enforcement-and-legal-processes-tables-august-2024.xlsx)")
    assert "Copia usada" not in release_titles("sw-encounters", lang="es")
    assert release_titles("sw-encounters", lang="en").endswith("(release of October 2024)")

    descriptor = json.loads((DATA_DIR / PACKAGE_FILE).read_text(encoding="utf-8"))
    del descriptor["resources"][0]["sources"][1]["title_es"]
    (tmp_path / PACKAGE_FILE).write_text(json.dumps(descriptor), encoding="utf-8")
    with pytest.raises(DataError, match=r"a source of resource 'sw-encounters', .*has no title_es"):
        describe("sw-encounters", data_dir=tmp_path, lang="es")


def test_a_table_is_checked_once_per_process_and_each_caller_gets_its_own_copy(tmp_path, monkeypatch):
    from migration_report.core import data, schema

    shutil.copytree(ROOT / "data", tmp_path / "data")
    reads = []
    real = schema.read_table
    monkeypatch.setattr(data, "read_table", lambda *a, **k: reads.append(a[0]) or real(*a, **k))
    first = load("cbp-one-appointments", data_dir=tmp_path / "data")
    first.loc[0, "mexico"] = -1  # a caller's change stays its own
    second = load("cbp-one-appointments", data_dir=tmp_path / "data")
    assert len(reads) == 1 and pd.isna(second.loc[0, "mexico"])
    assert second.attrs["path"] == str(tmp_path / "data" / resource("cbp-one-appointments")["path"])
    # The same file with other bytes of the same length is read and checked again: here it fails its hash.
    path = tmp_path / "data" / resource("cbp-one-appointments")["path"]
    text = path.read_text(encoding="utf-8")
    changed = text.replace("2023-01", "2023-02", 1)
    assert len(changed) == len(text) and changed != text
    path.write_text(changed, encoding="utf-8")
    with pytest.raises(DataError, match="SHA-256"):
        load("cbp-one-appointments", data_dir=tmp_path / "data")
    assert len(reads) == 2
