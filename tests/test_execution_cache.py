"""The execution cache survives the damage a killed build leaves (migration_report.build.execution_cache)."""

import nbformat
import pytest
from jupyter_cache.base import CacheBundleIn

from migration_report.build.execution_cache import open_cache


def executed_notebook(text):
    notebook = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell(f"print({text!r})", execution_count=1)
    cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text=text + "\n")]
    notebook.cells = [cell]
    return notebook


@pytest.fixture
def cache_with_two(tmp_path):
    cache = open_cache(tmp_path / "cache")
    for name in ("one", "two"):
        cache.cache_notebook_bundle(CacheBundleIn(executed_notebook(name), str(tmp_path / f"{name}.ipynb")),
                                    check_validity=False)
    return tmp_path / "cache"


def test_an_intact_cache_keeps_every_record(cache_with_two, capsys):
    assert len(open_cache(cache_with_two).list_cache_records()) == 2
    assert capsys.readouterr().out == ""


@pytest.mark.parametrize("damage", ["", "{\"cells\": [", "not json"])
def test_an_unreadable_cached_notebook_is_discarded_with_one_line(cache_with_two, capsys, damage):
    first = next(iter((cache_with_two / "executed").iterdir()))
    (first / "base.ipynb").write_text(damage, encoding="utf-8")
    cache = open_cache(cache_with_two)
    assert len(cache.list_cache_records()) == 1
    assert not first.exists()
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 1 and "unreadable" in lines[0] and "executes again" in lines[0]
    # the notebook that is left still reads back
    record = cache.list_cache_records()[0]
    assert cache.get_cache_bundle(record.pk).nb.cells[0].outputs


def test_a_missing_cached_notebook_is_discarded(cache_with_two):
    first = next(iter((cache_with_two / "executed").iterdir()))
    (first / "base.ipynb").unlink()
    assert len(open_cache(cache_with_two).list_cache_records()) == 1


@pytest.mark.parametrize("damage", [b"", b"garbage that is not sqlite" * 100, b"SQLite format 3\x00" + b"\xff" * 500])
def test_a_damaged_database_discards_the_cache_with_one_line(cache_with_two, capsys, damage):
    (cache_with_two / "global.db").write_bytes(damage)
    cache = open_cache(cache_with_two)
    assert cache.list_cache_records() == []
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 1 and "global.db is damaged" in lines[0]
    # and the fresh cache works
    cache.cache_notebook_bundle(CacheBundleIn(executed_notebook("three"), "three.ipynb"), check_validity=False)
    assert len(open_cache(cache_with_two).list_cache_records()) == 1
