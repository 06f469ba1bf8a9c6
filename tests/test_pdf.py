"""Both PDFs lose nothing: every row of every table of the HTML book is in the PDF's text, no text
lies outside the page's text block, and the running foot names the part of the book it is in.

The positions come from poppler (`pdftotext -bbox-layout`), the text block from the geometry LaTeX
wrote in the build's log. Run by `make test` after the PDFs and the HTML are built (marker `book`);
the helpers are checked on made-up pages first, so that a check that cannot fail shows.
"""

from __future__ import annotations

import re
import subprocess
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import pytest
from lxml import etree

ROOT = Path(__file__).resolve().parents[1]
LATEX = ROOT / "_build" / "latex"
HTML = ROOT / "_build" / "html"
# edition: (its HTML folder, its PDF, the LaTeX log beside it, the contents' title)
EDITIONS = {"en": (HTML, LATEX / "book.pdf", LATEX / "book.log", "Contents"),
            "es": (HTML / "es", LATEX / "es" / "book-es.pdf", LATEX / "es" / "book-es.log", "Índice")}
BP_PER_PT = 72 / 72.27  # PDF positions are in big points, TeX's lengths in points
XHTML = {"x": "http://www.w3.org/1999/xhtml"}
# A page's last line may hang below the text block by TeX's \maxdepth (5 pt in the book class),
# and poppler's box of a line reaches the font's descent below that; 8 bp covers both.
BELOW = 8
ABOVE = 3  # the first line's box may start above the block by the difference of font ascents
ASIDE = 1  # rounding
RUNNING_LINE = 4  # a running head's or foot's line lies this close to its baseline


@dataclass(frozen=True)
class TextBlock:
    left: float
    right: float
    top: float
    bottom: float
    head: float  # the running head's baseline
    foot: float  # the running foot's baseline


def text_block(log: str) -> TextBlock:
    """The page's text block, from the geometry package's report in a LaTeX log (its `verbose` lines)."""
    lengths = {name: float(value) for name, value in re.findall(r"^\* \\(\w+)=(-?[\d.]+)pt", log, re.M)}
    inch = 72.27
    left = (inch + lengths["oddsidemargin"]) * BP_PER_PT
    top = (inch + lengths["topmargin"] + lengths["headheight"] + lengths["headsep"]) * BP_PER_PT
    bottom = top + lengths["textheight"] * BP_PER_PT
    return TextBlock(left=left, right=left + lengths["textwidth"] * BP_PER_PT, top=top, bottom=bottom,
                     head=top - lengths["headsep"] * BP_PER_PT, foot=bottom + lengths["footskip"] * BP_PER_PT)


@dataclass(frozen=True)
class Line:
    page: int
    text: str
    x0: float
    y0: float
    x1: float
    y1: float


def pdf_lines(bbox_xhtml: bytes) -> list[Line]:
    """The lines of text of `pdftotext -bbox-layout` output, with their pages and boxes."""
    lines = []
    for number, page in enumerate(etree.fromstring(bbox_xhtml).iterfind(".//x:page", XHTML), 1):
        for line in page.iterfind(".//x:line", XHTML):
            words = line.findall("x:word", XHTML)
            lines.append(Line(number, " ".join(w.text or "" for w in words),
                              *(float(line.get(k)) for k in ("xMin", "yMin", "xMax", "yMax"))))
    return lines


def running_line(line: Line, block: TextBlock) -> str | None:
    """'head' or 'foot' for a line of the running head or foot, else None."""
    for name, baseline in (("head", block.head), ("foot", block.foot)):
        if abs(line.y1 - baseline) <= RUNNING_LINE:
            return name
    return None


def outside(lines: list[Line], block: TextBlock) -> list[str]:
    """Each line that reaches out of the text block (or, above or below it, is no running head or foot)."""
    found = []
    for line in lines:
        sideways = line.x0 < block.left - ASIDE or line.x1 > block.right + ASIDE
        in_block = line.y0 >= block.top - ABOVE and line.y1 <= block.bottom + BELOW
        if sideways or not (in_block or running_line(line, block)):
            found.append(f"page {line.page}, x {line.x0:.0f}–{line.x1:.0f}, y {line.y0:.0f}–{line.y1:.0f} "
                         f"(text block x {block.left:.0f}–{block.right:.0f}, y {block.top:.0f}–{block.bottom:.0f}): "
                         f"{line.text[:80]!r}")
    return found


def comparable(text: str) -> str:
    """Text as both the HTML and the PDF hold it: without spaces and line breaks (a cell's lines are
    broken differently on the page), hyphens (a word hyphenated at a line's end) and case."""
    text = unicodedata.normalize("NFKC", text).lower().replace("\u00ad", "")
    return re.sub(r"[\s\-\u2010\u2011]+", "", text)


def table_rows(page_html: str) -> list[list[str]]:
    """The text of each cell of each row of every table in a page's article."""
    from bs4 import BeautifulSoup

    article = BeautifulSoup(page_html, "lxml").find("article")
    return [[" ".join(cell.get_text(" ").split()) for cell in row.find_all(["th", "td"])]
            for table in (article.find_all("table") if article else []) for row in table.find_all("tr")]


def rows_missing(rows: list[list[str]], pdf_text: str) -> list[list[str]]:
    """The rows whose cells, one after another, are not in the PDF's text (in its content-stream order,
    `pdftotext -raw`, where a table's cells come row by row, each cell whole)."""
    text = comparable(pdf_text)
    return [row for row in rows if "".join(comparable(cell) for cell in row) not in text]


# ---- the checks, on made-up pages -----------------------------------------------------------

GEOMETRY_LOG = """*geometry* verbose mode - [ preamble ] result:
* \\textwidth=469.75502pt
* \\textheight=650.43001pt
* \\oddsidemargin=0.0pt
* \\topmargin=-37.0pt
* \\headheight=12.0pt
* \\headsep=25.0pt
* \\footskip=30.0pt
"""


def bbox_page(*lines: tuple[str, float, float, float, float]) -> bytes:
    body = "".join(f'<line xMin="{x0}" yMin="{y0}" xMax="{x1}" yMax="{y1}"><word xMin="{x0}" yMin="{y0}" '
                   f'xMax="{x1}" yMax="{y1}">{text}</word></line>' for text, x0, y0, x1, y1 in lines)
    return (f'<html xmlns="http://www.w3.org/1999/xhtml"><body><doc><page width="612" height="792"><flow><block>'
            f'{body}</block></flow></page></doc></body></html>').encode()


def test_the_text_block_is_read_from_the_latex_log():
    block = text_block(GEOMETRY_LOG)
    assert (round(block.left), round(block.right), round(block.top), round(block.bottom)) == (72, 540, 72, 720)
    assert round(block.head) == 47 and round(block.foot) == 750


def test_text_outside_the_text_block_is_found():
    block = text_block(GEOMETRY_LOG)
    page = bbox_page(("Title", 72, 40, 300, 49),  # the running head
                     ("A line of the text", 72, 100, 540, 110),
                     ("its last line", 72, 709, 540, 719),
                     ("12", 530, 741, 540, 751),  # the running foot
                     ("Fig. 1.1: a caption over the foot", 72, 723, 540, 733),
                     ("a row past the page's foot", 72, 760, 540, 770),
                     ("a cell in the margin", 500, 300, 580, 310))
    found = outside(pdf_lines(page), block)
    assert [f.split(": ", 1)[1] for f in found] == ["'Fig. 1.1: a caption over the foot'",
                                                    "\"a row past the page's foot\"", "'a cell in the margin'"]


def test_a_table_row_missing_from_the_pdf_is_found():
    page = ("<article><table><tr><th>When</th><th>What happened</th></tr>"
            "<tr><td>Aug 2023</td><td>Texas moves the buoys toward the US bank</td></tr>"
            "<tr><td>Sep 2023</td><td>Fifth Circuit panel stays the injunction</td></tr></table></article>")
    pdf = "When What happened\nAug 2023 Texas moves the buoys to-\nward the US bank\nContinued on next page"
    assert rows_missing(table_rows(page), pdf) == [["Sep 2023", "Fifth Circuit panel stays the injunction"]]


# ---- the built PDFs -----------------------------------------------------------------------------

def _edition(language: str):
    html, pdf, log, contents = EDITIONS[language]
    if not pdf.is_file() or not log.is_file():
        pytest.fail(f"{pdf} or its log is missing: make pdf builds both editions' PDFs")
    return html, pdf, log, contents


def _run(*command: str) -> str:
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout


@pytest.mark.book
@pytest.mark.parametrize("language", EDITIONS)
def test_every_row_of_every_table_reaches_the_pdf(language):
    # A table taller than the rest of its page ran off it, and its last rows were never printed
    # (the Rio Grande timeline lost September 2023 to August 2024): the PDF's tables break across pages.
    html, pdf, _, _ = _edition(language)
    text = _run("pdftotext", "-raw", str(pdf), "-")
    pages = sorted((html / "chapters").glob("*.html"))
    rows = {page.stem: table_rows(page.read_text(encoding="utf-8")) for page in pages}
    assert sum(map(len, rows.values())) > 100, "the HTML book has hardly any table rows: is it built?"
    missing = [f"{stem}: {' | '.join(row)[:120]}" for stem, page_rows in rows.items()
               for row in rows_missing(page_rows, text)]
    assert missing == [], f"{len(missing)} table rows of the HTML are not in {pdf.name}:\n" + "\n".join(missing)


@pytest.mark.book
@pytest.mark.parametrize("language", EDITIONS)
def test_no_text_lies_outside_the_text_block(language):
    # A caption printed over the running foot, a table's rows past the page's foot.
    _, pdf, log, contents = _edition(language)
    block = text_block(log.read_text(encoding="utf-8", errors="replace"))
    lines = pdf_lines(subprocess.run(["pdftotext", "-bbox-layout", str(pdf), "-"], capture_output=True,
                                     check=True).stdout)
    assert len({line.page for line in lines}) > 50
    found = outside(lines, block)
    assert found == [], f"{len(found)} lines of {pdf.name} outside the text block:\n" + "\n".join(found)
    # The running foot names the chapter or section it is in; the introduction's read "CONTENTS".
    feet = [line for line in lines if running_line(line, block) == "foot"]
    assert feet and not [f"page {line.page}: {line.text}" for line in feet if contents.lower() in line.text.lower()]


@pytest.mark.book
def test_the_spanish_pdfs_tables_continue_in_spanish_as_an_editor_writes_it():
    # Sphinx's own Spanish is an instruction, "continúe en la próxima página"; the book's theme words say it.
    _, pdf, _, _ = _edition("es")
    text = _run("pdftotext", str(pdf), "-")
    assert "continúa en la página siguiente" in text and "viene de la página anterior" in text
    assert "continúe en la próxima página" not in text and "proviene de la página anterior" not in text


def tables_opened_without_rows(pages: list[str]) -> list[str]:
    """Long tables that open at a page's foot with nothing but their "continues on next page" line:
    the next page has the table's continued head and, under it, the table's own caption."""
    found = []
    for number, page in enumerate(pages[1:], 2):
        for match in re.finditer(r"(Table|Tabla) ([A-Z0-9]+\.\d+) [–-] (continued from previous page|"
                                 r"viene de la página anterior)", page):
            if re.search(rf"(Table|Tabla) {re.escape(match.group(2))}:", page):
                found.append(f"{match.group(1)} {match.group(2)} (page {number - 1})")
    return found


def test_a_table_opened_without_rows_is_found():
    continued = "Table 4.2 – continued from previous page\nActor Side\nTable 4.2: The actors.\nActor Side\nA B"
    assert tables_opened_without_rows(["text\ncontinues on next page", continued]) == ["Table 4.2 (page 1)"]
    assert tables_opened_without_rows(["Table 4.2: The actors.\nA B\ncontinues on next page",
                                       "Table 4.2 – continued from previous page\nC D"]) == []


@pytest.mark.book
@pytest.mark.parametrize("language", EDITIONS)
def test_no_table_opens_at_a_pages_foot_without_rows(language):
    # longtable measured a table's first row by its first line, and the actors' directory opened at a
    # page's foot with only "continues on next page" (migration_report.sphinx.pdf: \MRlongtablemargin).
    _, pdf, _, _ = _edition(language)
    pages = _run("pdftotext", "-layout", str(pdf), "-").split("\f")
    assert tables_opened_without_rows(pages) == []
