"""Sphinx extension: nothing of the book is lost on the PDF's pages.

- Every table is a long table (LaTeX longtable), which breaks across pages. Sphinx makes one only of
  a table with more than 30 rows or the class `longtable`, and sets any other as one box: a table
  taller than what is left of its page ran through the footer, and the rest of its rows were never
  printed (the Rio Grande timeline lost its rows from September 2023 on). A long table needs set
  column widths (its columns would otherwise not wrap): a table without `:widths:` gets widths from
  its content, in the manner of tabulary, which sets Sphinx's other tables.
- A figure's image is made short enough for its caption to fit on the page under it: Sphinx lets an
  image be as tall as the text block, so a tall chart pushed its caption over the footer.

tests/test_pdf.py checks the result on the built PDFs: every row of every table is in the text,
and no text lies outside the text block.
"""

from __future__ import annotations

import math

import numpy as np
from docutils import nodes

# A table cell's text is set in the body font, about this many characters to the text width
# (measured on the built PDF: about 110 characters of running text to a line).
CHARACTERS_PER_LINE = 100
# A header's characters are about this much wider than the body's (bold sans-serif).
HEADER_WIDTH = 1.3
# Lines break between words, so a cell takes a little more than its length in characters.
WRAPPING = 1.1
# What a cell's line counts beside a line of the table's height: a cell broken over lines that
# the row needs anyway is still worse to read than one on a line.
BROKEN_CELL = 0.25
# Padding of a column (LaTeX's \tabcolsep on each side), in characters.
COLUMN_PADDING = 2
# A caption's lines are counted at fewer characters than a line holds, so a caption is never
# given less room than it takes (a word that does not fit starts the next line).
CAPTION_CHARACTERS_PER_LINE = 90
# Room kept in a float above and below its image and caption (\intextsep, \abovecaptionskip), in lines.
FIGURE_SPACING_LINES = 4
# A figure's image is never squeezed below this share of the text block.
FIGURE_MIN_HEIGHT = 0.35

# Table cells are set ragged right: justified, a narrow column spread its words with wide gaps.
# (Sphinx's own definition of its \\X column type, sphinxlatextables.sty, with \\raggedright.)
PDF_TABLE_CELLS = r"""
\makeatletter
\newcolumntype{\X}[2]{>{\raggedright\arraybackslash}p{\dimexpr
      (\linewidth-\spx@arrayrulewidth)*#1/#2-\tw@\tabcolsep-\spx@arrayrulewidth\relax}}
\makeatother
"""

# A long table opens on a page only with its caption, header and this many body rows under them (else
# on the next page), each row taken as tall as its tallest cell at the column widths, plus this much
# for the rows' padding, in lines.
TABLE_START_ROWS = 2
ROW_PADDING_LINES = 0.5
# A box's title bar and frame, in lines; a box of at most SHORT_BOX_LINES is never split.
BOX_FRAME_LINES = 3
SHORT_BOX_LINES = 24

# longtable starts a table on the next page when its first head, first body row and foot do not fit
# in what is left of this one, but it measures the first row by the first item of the table's body,
# which in Sphinx's tables is a rule or a strut, not the row: a table whose first rows wrap could open
# at a page's foot with nothing but its "continues on next page" line, its caption and header moved to
# the next page under "continued from previous page". Each long table says, just before it, how much
# taller its first rows are (\MRlongtablemargin, `table_start_margin`), and longtable counts that too.
PDF_LONGTABLE_START = r"""
\usepackage{etoolbox}
\makeatletter
\newdimen\MRlongtablemargin
\patchcmd{\LT@start}{\advance\dimen@ -\pagegoal}{\advance\dimen@ -\pagegoal \advance\dimen@ \MRlongtablemargin}{}%
  {\PackageError{migration-report}{longtable's start could not be given its first rows' height (a newer longtable?)}{}}
\makeatother
"""

# The image's largest height within one figure (the register is local to the figure's group).
PDF_FIGURE_HEIGHT = r"""
\makeatletter
\newcommand\MRfigureroom[1]{\spx@image@maxheight=\dimexpr\textheight-#1\baselineskip\relax
  \ifdim\spx@image@maxheight<\MRfigureminheight\textheight\spx@image@maxheight=\MRfigureminheight\textheight\fi}
\makeatother
"""


def column_widths(cells: list[list[int]], line: int = CHARACTERS_PER_LINE) -> list[int]:
    """Relative widths (summing to 100) for a table's columns, from its cells' text: CELLS holds,
    row by row, each cell's (length, longest word) in characters.

    Each column starts as wide as its longest word; the rest of the line goes, a step at a time,
    where it saves the most lines of the whole table for each character given (a column of short
    phrases is widened until they fit on a line when that costs the long column little); what no
    line saves goes to the columns in proportion to their text.
    """
    lengths = np.array([[length for length, _ in row] for row in cells], dtype=float) * WRAPPING
    count = lengths.shape[1]
    words = np.array([max([word for _, word in (row[j] for row in cells)] + [1]) for j in range(count)], dtype=float)
    room = line - count * COLUMN_PADDING
    width = np.minimum(words, room / 2)
    if width.sum() > room:
        width *= room / width.sum()

    def height(trial):
        # the table's height in lines, and, between two of the same height, fewer broken cells
        lines = np.maximum(1, np.ceil(lengths / trial))
        return lines.max(axis=1).sum() + BROKEN_CELL * lines.sum()

    current = height(width)
    while width.sum() < room - 0.5:
        left = room - width.sum()
        best, best_gain = None, 0.0
        for j in range(count):
            lines = np.ceil(lengths[:, j] / width[j])
            # the widths at which a cell of this column takes one line fewer
            for candidate in np.unique(np.ceil(lengths[:, j] / np.maximum(lines - 1, 1))):
                if not width[j] < candidate <= width[j] + left:
                    continue
                trial = width.copy()
                trial[j] = candidate
                gain = (current - height(trial)) / (candidate - width[j])
                if gain > best_gain:
                    best, best_gain = trial, gain
        if best is None:
            break
        width, current = best, height(best)
    text = lengths.sum(axis=0)
    width += (room - width.sum()) * text / text.sum()
    width += COLUMN_PADDING
    rounded = [max(1, round(100 * w / width.sum())) for w in width]
    rounded[rounded.index(max(rounded))] += 100 - sum(rounded)  # whole percentages that add up
    return rounded


def _nested(table: nodes.table) -> bool:
    """A table inside another table, a box or a figure, where a longtable cannot go."""
    parent = table.parent
    while parent is not None:
        if isinstance(parent, (nodes.table, nodes.Admonition, nodes.topic, nodes.sidebar, nodes.figure,
                               nodes.footnote)):
            return True
        parent = parent.parent
    return False


def _cells(table: nodes.table) -> list[list[tuple[int, int]]]:
    """Each row's cells as (length, longest word) in characters; a cell spanning columns counts
    in none (it is shared), and a header's characters count wider (bold sans-serif)."""
    group = next(iter(table.findall(nodes.tgroup)))
    count = len(list(group.findall(nodes.colspec)))
    rows = []
    for row in group.findall(nodes.row):
        scale = HEADER_WIDTH if isinstance(row.parent, nodes.thead) else 1
        cells, column = [(0, 0)] * count, 0
        for entry in row.children:
            text = " ".join(entry.astext().split())
            span = entry.get("morecols", 0) + 1
            if span == 1 and column < count:
                cells[column] = (math.ceil(len(text) * scale), max([0] + [math.ceil(len(w) * scale) for w in text.split()]))
            column += span
        rows.append(cells)
    return rows


def tables_break_across_pages(doctree: nodes.Node) -> None:
    for table in list(doctree.findall(nodes.table)):  # a list: each gets a node before it
        if _nested(table):
            continue
        group = next(iter(table.findall(nodes.tgroup)), None)
        if group is None:
            continue
        cells = _cells(table)
        colspecs = list(group.findall(nodes.colspec))
        if "longtable" in table["classes"]:  # the page chose it, and its widths
            given = [float(c.get("colwidth", 1)) for c in colspecs]
            widths = [100 * w / sum(given) for w in given]
        else:
            table["classes"].append("longtable")
            # Widths from the content, also where the page set `:widths:` (chosen for the HTML): a
            # column of citations given a fixed 14 % ran each one over five lines.
            widths = column_widths(cells)
            for colspec, width in zip(colspecs, widths):
                colspec["colwidth"] = width
            if "colwidths-given" not in table["classes"]:
                table["classes"].append("colwidths-given")
        # The caption, the header and the first rows on one page: not a caption alone at a page's foot.
        _before(table, f"\\MRlongtablemargin={table_start_margin(table, cells, widths)}\\baselineskip\n")


def table_start_margin(table: nodes.table, cells: list[list[tuple[int, int]]], widths: list[int]) -> float:
    """How many lines more than one a long table's first TABLE_START_ROWS body rows take (each row as
    tall as its tallest cell at the column widths WIDTHS, in percent, with its padding): what longtable
    must add to the one line by which it measures a table's first row."""
    thead = next(iter(table.findall(nodes.thead)), None)
    header = len(list(thead.findall(nodes.row))) if thead is not None else 0
    rows = cells[header: header + TABLE_START_ROWS]
    room = [max(1.0, w * CHARACTERS_PER_LINE / 100 - COLUMN_PADDING) for w in widths]
    tall = sum(max([1] + [math.ceil(length * WRAPPING / r) for (length, _), r in zip(row, room)]) for row in rows)
    return max(0.0, tall + ROW_PADDING_LINES * len(rows) - 1)


def _before(node: nodes.Element, latex: str) -> None:
    node.parent.insert(node.parent.index(node), nodes.raw("", latex, format="latex"))


def _lines(node: nodes.Element) -> int:
    """About how many lines NODE takes on the page."""
    lines = 0
    for part in node.findall(lambda n: isinstance(n, (nodes.paragraph, nodes.literal_block, nodes.title))):
        text = part.astext()
        lines += (text.count("\n") + 1 if isinstance(part, nodes.literal_block)
                  else max(1, math.ceil(len(" ".join(text.split())) / CHARACTERS_PER_LINE)))
    return lines


def short_boxes_stay_whole(doctree: nodes.Node) -> None:
    # A box split across pages left, when its last line (a code block) ended a page, an empty
    # strip of its frame alone on the next; a short box (the "Cite this chapter" box) moves whole.
    for box in list(doctree.findall(nodes.Admonition)):
        lines = _lines(box) + BOX_FRAME_LINES
        if lines <= SHORT_BOX_LINES and box.parent is not None:
            _before(box, f"\\needspace{{{lines}\\baselineskip}}\n")


def caption_lines(figure: nodes.figure) -> int:
    """How many lines a figure's caption and legend take at most."""
    lines = 0
    for part in figure.children:
        if isinstance(part, (nodes.caption, nodes.legend)):
            for paragraph in (part.findall(nodes.paragraph) if isinstance(part, nodes.legend) else [part]):
                lines += max(1, math.ceil(len(" ".join(paragraph.astext().split())) / CAPTION_CHARACTERS_PER_LINE))
    return lines


def figures_leave_room_for_captions(doctree: nodes.Node) -> None:
    for figure in doctree.findall(nodes.figure):
        lines = caption_lines(figure) + FIGURE_SPACING_LINES
        figure.insert(0, nodes.raw("", f"\\MRfigureroom{{{lines}}}\n", format="latex"))


def adapt_for_pdf(app, doctree, docname):
    # doctree-resolved: the LaTeX builder calls it once with the whole book, with each citation's
    # text in place (a cell's length is what the page shows).
    if app.builder.format != "latex":
        return
    tables_break_across_pages(doctree)
    short_boxes_stay_whole(doctree)
    figures_leave_room_for_captions(doctree)


def pdf_preamble(app, config):
    elements = dict(config.latex_elements or {})
    elements["preamble"] = (elements.get("preamble", "") + f"\\newcommand\\MRfigureminheight{{{FIGURE_MIN_HEIGHT}}}\n"
                            + PDF_FIGURE_HEIGHT + PDF_TABLE_CELLS + PDF_LONGTABLE_START)
    config.latex_elements = elements


def setup(app):
    app.connect("config-inited", pdf_preamble)
    app.connect("doctree-resolved", adapt_for_pdf)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
