"""The PDF's table columns and figure heights (migration_report.sphinx.pdf); the built PDFs are
checked in tests/test_pdf.py."""

from docutils import nodes

from migration_report.sphinx.pdf import (CHARACTERS_PER_LINE, COLUMN_PADDING, column_widths, figures_leave_room_for_captions,
                                         tables_break_across_pages)


def _cell(text):
    return (len(text), max(len(word) for word in text.split()))


def test_short_phrases_keep_one_line_when_a_long_column_can_give_the_room():
    rows = [[_cell("Jul 2019"), _cell("USD 30 million"), _cell("Mexico's Foreign Secretary announces " * 4)]] * 10
    widths = column_widths(rows)
    assert sum(widths) == 100
    room = CHARACTERS_PER_LINE / 100
    # the two short columns hold their phrases on one line; the long one takes the rest
    assert widths[0] * room - COLUMN_PADDING >= len("Jul 2019") and widths[1] * room - COLUMN_PADDING >= len("USD 30 million")
    assert widths[2] == max(widths)


def test_no_column_is_narrower_than_its_longest_word():
    rows = [[_cell("Construyendo"), _cell("a long sentence of many short words " * 6)]] * 5
    widths = column_widths(rows)
    assert widths[0] * CHARACTERS_PER_LINE / 100 - COLUMN_PADDING >= len("Construyendo")


def test_a_table_that_fits_shares_the_line_by_its_text():
    widths = column_widths([[_cell("abc"), _cell("abcdef")]])
    assert sum(widths) == 100 and widths[1] > widths[0]


def _table(rows, classes=()):
    table = nodes.table(classes=list(classes))
    group = nodes.tgroup(cols=len(rows[0]))
    table += group
    group += [nodes.colspec(colwidth=1) for _ in rows[0]]
    body = nodes.tbody()
    group += body
    for cells in rows:
        row = nodes.row()
        row += [nodes.entry("", nodes.paragraph(text=text)) for text in cells]
        body += row
    return table


def test_every_table_but_a_nested_one_becomes_a_long_table_with_widths():
    document = nodes.section()
    top = _table([["When", "What happened in a long sentence that wraps"]] * 3)
    box = nodes.note()
    inner = _table([["a", "b"]])
    box += inner
    document += [top, box]
    tables_break_across_pages(document)
    assert {"longtable", "colwidths-given"} <= set(top["classes"])
    assert sum(c["colwidth"] for c in top.findall(nodes.colspec)) == 100
    assert "longtable" not in inner["classes"]
    # longtable is told how tall the table's first rows are, so that it opens the table on a page with room
    assert isinstance(document[0], nodes.raw) and document[0].astext().startswith("\\MRlongtablemargin=")


def test_a_table_the_page_made_long_keeps_its_widths_and_is_told_its_first_rows():
    document = nodes.section()
    table = _table([["When", "What happened"]] * 3)
    table["classes"].append("longtable")
    for colspec, width in zip(table.findall(nodes.colspec), (30, 70)):
        colspec["colwidth"] = width
    document += table
    tables_break_across_pages(document)
    assert [c["colwidth"] for c in table.findall(nodes.colspec)] == [30, 70]
    assert [n.astext() for n in document.findall(nodes.raw)] == ["\\MRlongtablemargin=2.0\\baselineskip\n"]


def test_a_figure_leaves_its_caption_room_by_its_length():
    figure = nodes.figure()
    figure += nodes.image(uri="x.png")
    figure += nodes.caption(text="word " * 100)  # 500 characters: several lines
    document = nodes.section()
    document += figure
    figures_leave_room_for_captions(document)
    room = figure[0]
    assert isinstance(room, nodes.raw) and room.astext().startswith("\\MRfigureroom{")
    assert int(room.astext().split("{")[1].split("}")[0]) >= 6 + 4


def test_longtable_is_told_how_much_taller_than_a_line_a_tables_first_rows_are():
    import re

    def margin(caption, cell):
        document = nodes.section()
        table = _table([["Jul 2019", cell]] * 6)
        if caption:
            table.insert(0, nodes.title(text=caption))
        document += table
        tables_break_across_pages(document)
        return float(re.search(r"MRlongtablemargin=([\d.]+)", document[0].astext()).group(1))

    short = margin("", "a word")
    # two body rows of one line each, with their padding, less the one line longtable counts itself
    assert short == 2 + 2 * 0.5 - 1
    # the caption is longtable's to count (it is part of the table's first head)
    assert margin("Money documented for the two programmes abroad, with the date of the report " * 2, "a word") == short
    # cells that wrap: each of the first two rows as tall as its tallest cell
    assert margin("", "Judge Ezra grants the preliminary injunction and orders the barrier moved " * 3) > short + 2