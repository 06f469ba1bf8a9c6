"""The register computed once per build: the same frame as `register()`, read back while its inputs
are unchanged, computed again when any of them changes or the kept copy is damaged."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest

from migration_report.core import data
from migration_report.register import claims, once


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setattr(once, "CACHE", tmp_path / "register")
    return tmp_path / "register"


def counting(calls):
    def compute(lang):
        calls.append(lang)
        return claims.register(lang=lang)
    return compute


def test_the_shared_register_is_the_register(cache):
    pd.testing.assert_frame_equal(claims.shared_register("en"), claims.register(lang="en"))
    pd.testing.assert_frame_equal(claims.shared_register("es"), claims.register(lang="es"))
    assert len(list(cache.glob("*.pkl"))) == 2  # one per edition


def test_it_is_computed_once_while_its_inputs_are_unchanged(cache):
    calls = []
    first = once.shared(counting(calls), "en")
    second = once.shared(counting(calls), "en")
    assert calls == ["en"]
    pd.testing.assert_frame_equal(first, second)
    second.loc[0, "verdict"] = "changed by a page"  # a caller's change stays its own
    assert once.shared(counting(calls), "en").loc[0, "verdict"] == first.loc[0, "verdict"]


def test_a_changed_data_file_or_language_is_a_new_key(tmp_path, monkeypatch):
    copy = tmp_path / "data"
    shutil.copytree(data.DATA_DIR, copy)
    monkeypatch.setattr(data, "DATA_DIR", copy)
    before = once.inputs_key("en")
    assert once.inputs_key("es") != before
    path = copy / "article_claims.csv"
    path.write_bytes(path.read_bytes() + b"\n")
    assert once.inputs_key("en") != before


@pytest.mark.parametrize("damage", [b"", b"not a pickle", b"\x80\x04K\x01."])  # empty, garbage, an int
def test_a_damaged_copy_is_computed_again(cache, damage):
    calls = []
    once.shared(counting(calls), "en")
    (kept,) = cache.glob("*.pkl")
    kept.write_bytes(damage)
    frame = once.shared(counting(calls), "en")
    assert calls == ["en", "en"] and len(frame) == len(claims.register(lang="en"))


def test_only_the_newest_copies_are_kept(cache):
    cache.mkdir()
    for i in range(once.KEPT + 3):
        (cache / f"old{i}.pkl").write_bytes(b"")
    once.shared(counting([]), "en")
    assert len(list(cache.glob("*.pkl"))) == once.KEPT
    assert not list(cache.glob(".register-*"))  # no temporary file left behind
