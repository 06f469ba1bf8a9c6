"""migration_report.core.outputs: the figure-data link carries the CSV it links to."""

import pandas as pd
import pytest

from migration_report.core.outputs import figure_data
from migration_report.sphinx.figure_data import _FIGURE_DATA, _decoded


@pytest.fixture(autouse=True)
def no_figure_made_before(monkeypatch):
    """The data of a figure carry the source line of the chart made last (style.last_source): none here."""
    from migration_report.core import style

    monkeypatch.setattr(style, "last_source", None)


def test_figure_data_writes_the_csv_and_the_link_carries_the_same_text(tmp_path):
    frame = pd.DataFrame({"month": ["2023-05", "2023-06"], "encounters": [206_690, 144_571]})
    link = figure_data(frame, tmp_path / "out", "fig-flows")
    written = (tmp_path / "out" / "fig-flows.csv").read_text(encoding="utf-8")
    assert written == "\ufeffMonth,Encounters (count)\n2023-05,206690\n2023-06,144571\n"
    assert link.data.startswith("{figure-data}`Data for this figure (CSV, 2 rows) <fig-flows.csv;base64,")
    match = _FIGURE_DATA.match(link.data.removeprefix("{figure-data}`").removesuffix("`"))
    assert match["title"] == "Data for this figure (CSV, 2 rows)" and match["name"] == "fig-flows.csv"
    assert _decoded(match["data"]) == written


def test_a_link_can_say_which_of_a_figures_tables_it_is_and_agrees_with_its_rows(tmp_path):
    # institutional-actors names its figure's two tables (actors, links)
    link = figure_data(pd.DataFrame({"a": [1]}), tmp_path, "fig-x", what="actors")
    match = _FIGURE_DATA.match(link.data.removeprefix("{figure-data}`").removesuffix("`"))
    assert match["title"] == "Data for this figure: actors (CSV, 1 row)"
    assert _decoded(match["data"]) == "\ufeffa\n1\n"


def test_a_bracket_cites_at_most_the_limit_of_sources():
    from migration_report.core.outputs import MAX_CITATION_KEYS, cite_p

    keys = [f"key{i}" for i in range(MAX_CITATION_KEYS + 1)]
    assert cite_p(keys[:MAX_CITATION_KEYS]) == "{cite:p}`" + ",".join(keys[:MAX_CITATION_KEYS]) + "`"
    with pytest.raises(ValueError, match="table"):
        cite_p(keys)


def test_spanish_names_in_data_text_are_marked_and_the_rest_escaped():
    from migration_report.core.outputs import mark_spanish

    text = "AMEXCID runs Sembrando Vida; *not* Jóvenes Construyendo el Futuro"
    assert mark_spanish(text) == ("AMEXCID runs {es}`Sembrando Vida`; \\*not\\* {es}`Jóvenes Construyendo el Futuro`")
    assert mark_spanish("no names <b>") == "no names \\<b\\>"


def test_reference_texts_read_as_the_latex_converter_reads_them():
    """Fields without LaTeX markup skip the converter: every reference of the book reads as the converter would give it."""
    from pylatexenc.latex2text import LatexNodes2Text

    from migration_report.core import outputs

    entries = outputs._bib()
    texts = outputs.reference_texts(entries)
    converter = LatexNodes2Text()
    skipped = 0
    for key, entry in entries.items():
        people = entry.persons.get("author", [])
        fields = entry.fields
        author = "; ".join(" ".join(p.last_names) for p in people) or fields.get("organization") or fields.get(
            "publisher", fields.get("journal", ""))
        composed = f"{author} ({fields.get('year') or 'n.d.'}), {fields.get('title', key)}"
        assert texts[key] == converter.latex_to_text(composed), key
        skipped += not outputs._LATEX_MARKUP.search(composed)
    assert 0 < skipped < len(entries)  # both ways are taken
    assert outputs.plain_text("Tratado de Aguas de 1944 --- {M}{\\'e}xico") == "Tratado de Aguas de 1944 — México"
