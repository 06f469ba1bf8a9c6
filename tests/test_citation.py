"""Citation and re-run boxes are generated from CITATION.cff and the parameters cell."""

import json
from pathlib import Path

from migration_report import citation

ROOT = Path(__file__).resolve().parents[1]


def test_book_metadata_comes_from_citation_cff():
    meta = citation.book_metadata()
    assert meta.title == "Checking the claims: US–Mexico migration cooperation in 2023"
    assert meta.version == "0.2.0" and meta.year == "2026"
    assert meta.url.endswith("/")


def test_chapter_citation_uses_the_stable_url_and_version():
    meta = citation.book_metadata()
    entry = citation.bibtex("flow-statistics", "Flow statistics", meta)
    assert entry.startswith("@incollection{migration-report-2026-flow-statistics,")
    assert f"url = {{{meta.url}chapters/flow-statistics.html}}" in entry
    assert "version = {0.2.0}" in entry and "title = {Flow statistics}" in entry
    line = citation.apa("flow-statistics", "Flow statistics", meta)
    assert line == (f"The migration-report maintainers. (2026). Flow statistics. In {meta.title} "
                    f"(Version 0.2.0). {meta.url}chapters/flow-statistics.html")


def test_parameters_are_read_with_their_defaults_and_comments(tmp_path):
    source = ('start = None  # first month, "YYYY-MM"\n'
              '# Example: -p start 2021-10\n'
              'component = "all"  # "all", "USBP" or "OFO"\n'
              'countries = ["A", "B"]\n')
    notebook = {"cells": [{"cell_type": "code", "metadata": {"tags": ["parameters"]}, "source": source,
                           "outputs": [], "execution_count": None}], "metadata": {}, "nbformat": 4, "nbformat_minor": 4}
    path = tmp_path / "chapter.ipynb"
    path.write_text(json.dumps(notebook), encoding="utf-8")
    params = citation.parameters(path)
    assert [(p.name, p.default, p.help) for p in params] == [
        ("start", "None", 'first month, "YYYY-MM"'),
        ("component", '"all"', '"all", "USBP" or "OFO"'),
        ("countries", '["A", "B"]', ""),
    ]
    assert citation.rerun_example(path) == "make chapter NAME=chapter PARAMS='-p start 2021-10'"


def test_book_citation_comes_from_the_same_metadata():
    meta = citation.book_metadata()
    assert citation.book_bibtex(meta).startswith("@book{migration-report-2026,")
    assert citation.book_apa(meta) == (f"The migration-report maintainers. (2026). {meta.title} (Version 0.2.0). {meta.url}")
