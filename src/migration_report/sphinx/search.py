"""Sphinx extension: the HTML search finds numbers and names written with or without accents and
thousands separators, in the page's text, and shows an excerpt of that text.

A fact-check's readers search for the figures it checks ("272,000", "30.1") and for names they
may type without accents ("Barcena" for Bárcena). Sphinx's English search splits "272,000" into
"272" and "000" in the index, and its query parser then drops every all-digit term, so no number
could be found; and an accented word was indexed only as written.

These search languages, registered for English and Spanish (one per edition), keep a number with thousands separators or
decimals as one word (which the query parser keeps, as it is not all digits), and indexes every
accented word a second time without its accents. Its JavaScript splitter does the same to the
query and drops accents from it, so both spellings find both. The Python and JavaScript rules
must stay the same: tests/test_search.py checks the Python side, tests/test_reader.py the pages.

A number is also indexed in one written form, its whole part grouped by thousands ("2023" also as
"2,023", "1234.5" as "1,234.5"), and the query's numbers are put in that form, so "272000" finds
"272,000" and "2023" finds 2023. (The query parser drops every all-digit word, so the grouped form
is the only one a query can carry; a number under 1,000 cannot be searched on its own.)

Code blocks (folded code, the BibTeX of a citation box, commands) are left out of the index, and
the excerpts (search_static/search-excerpts.js) come from the page's article without them: a word
found only in code is not a reason to offer a page, and an excerpt is words the reader can read.

The results' excerpts come from fetching each page, which a browser refuses for a book opened
from a local file. The text of every page is therefore also written to _static/search-texts.js;
_static/reader.js answers the search page's fetches from it when the book is a local file.
"""

from __future__ import annotations

import html
import json
import re
import unicodedata
from pathlib import Path

from docutils import nodes
from sphinx.search.en import SearchEnglish
from sphinx.search.es import SearchSpanish

# A number with separators ("272,000", "30.1", "1,234.5") or a run of word characters.
WORD = re.compile(r"\d+(?:[.,]\d+)+|\w+")
# A number in a form `grouped` can write: a whole part with or without thousands separators, and decimals.
NUMBER = re.compile(r"(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?")
THOUSANDS = re.compile(r"\B(?=(\d{3})+(?!\d))")

# The same rule in JavaScript, written into language_data.js, which Sphinx renders as a template
# that escapes quotes and angle brackets: so no string literals and no arrow functions here.
JS_SPLITTER = r"""
function splitQuery(query) {
  var words = query.match(/\d+(?:[.,]\d+)+|[\p{Letter}\p{Number}_\p{Emoji_Presentation}]+/gu) || [];
  return words.map(function (word) {
    var plain = word.normalize(/NFKD/.source).replace(/\p{Mark}/gu, String());
    var number = /^(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?$/.exec(plain);
    if (!number) { return plain; }
    var whole = number[1].replace(/,/g, String()).replace(/\B(?=(\d{3})+(?!\d))/g, /,/.source);
    return whole + (number[2] || String());
  });
}
"""


def without_accents(word: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c))


def grouped(word: str) -> str:
    """A number's one searchable form, its whole part grouped by thousands ("272000" -> "272,000",
    "1234.5" -> "1,234.5"); any other word as it is. The JavaScript splitter writes a query's numbers so."""
    number = NUMBER.fullmatch(word)
    if number is None:
        return word
    return THOUSANDS.sub(",", number[1].replace(",", "")) + (number[2] or "")


def split_words(text: str) -> list[str]:
    """The words of `text` for the index: numbers whole (and also grouped by thousands), accented
    words also without accents."""
    words = []
    for word in WORD.findall(text):
        words.append(word)
        # a word has accents or is a number, never both: at most one other form
        words += [other for other in dict.fromkeys((without_accents(word), grouped(word))) if other != word]
    return words


class NumbersAndPlainNames:
    """The word rule of both editions' search (their stemmers and stop words stay Sphinx's own)."""

    js_splitter_code = JS_SPLITTER

    def split(self, input: str) -> list[str]:
        return split_words(input)


class SearchEnglishNumbers(NumbersAndPlainNames, SearchEnglish):
    pass


class SearchSpanishNumbers(NumbersAndPlainNames, SearchSpanish):
    pass


TEXTS_FILE = "_static/search-texts.js"  # relative to the HTML output; read by _static/reader.js
_ARTICLE = re.compile(r"<article\b[^>]*>(.*?)</article>", re.S)
# As search-excerpts.js: scripts, code blocks, folded code's prompts, heading links and the link
# to the other edition are no text.
_DROPPED = re.compile(r"<(script|style|pre)\b.*?</\1>|<a class=\"headerlink\".*?</a>"
                      r"|<summary>\s*<span class=\"collapsed admonition-title\">.*?</summary>"
                      r"|<p class=\"edition-switcher\">.*?</p>", re.S)
_TAG = re.compile(r"<[^>]+>")


def page_text(page_html: str) -> str:
    """The reader's text of a built page: its article, without tags, scripts or heading links."""
    match = _ARTICLE.search(page_html)
    body = _DROPPED.sub(" ", match.group(1) if match else "")
    return " ".join(html.unescape(_TAG.sub(" ", body)).split())


def write_page_texts(app, exception):
    if exception is not None or app.builder.format != "html":
        return
    outdir = Path(app.outdir)
    texts = {}
    for docname in sorted(app.env.found_docs):
        page = outdir / f"{docname}.html"
        if page.is_file():
            texts[docname] = page_text(page.read_text(encoding="utf-8"))
    payload = json.dumps(texts, ensure_ascii=False, sort_keys=True)
    (outdir / TEXTS_FILE).write_text(f"window.bookPageTexts = {payload};\n", encoding="utf-8")


def index_text_only(app) -> None:
    """Leave code blocks out of the search index: the builder indexes each page's tree just before
    writing it, so they are set aside while it indexes and put back before it writes."""
    builder = app.builder
    if getattr(builder, "index_page", None) is None or getattr(builder, "_book_text_only", False):
        return
    index_page = builder.index_page

    def index_text(pagename, doctree, title):
        # a comment in each one's place, which the indexer skips
        set_aside = [(block.parent, block.parent.index(block), block) for block in doctree.findall(nodes.literal_block)]
        for parent, position, _ in set_aside:
            parent[position] = nodes.comment()
        try:
            index_page(pagename, doctree, title)
        finally:
            for parent, position, block in set_aside:
                parent[position] = block

    builder.index_page = index_text
    builder._book_text_only = True


STATIC = Path(__file__).with_name("search_static")  # not the book's _static/, whose every .js each page loads
EXCERPTS_SCRIPT = "search-excerpts.js"


def add_static_path(app, config) -> None:
    config.html_static_path = [*config.html_static_path, str(STATIC)]


def add_excerpts_script(app, pagename, templatename, context, doctree) -> None:
    if pagename == "search":
        app.add_js_file(EXCERPTS_SCRIPT)


def setup(app):
    app.add_search_language(SearchEnglishNumbers)
    app.add_search_language(SearchSpanishNumbers)
    app.connect("config-inited", add_static_path)
    app.connect("builder-inited", index_text_only)
    app.connect("html-page-context", add_excerpts_script)
    app.connect("build-finished", write_page_texts)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
