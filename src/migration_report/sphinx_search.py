"""Sphinx extension: the HTML search finds numbers and names written with or without accents.

A fact-check's readers search for the figures it checks ("272,000", "30.1") and for names they
may type without accents ("Barcena" for Bárcena). Sphinx's English search splits "272,000" into
"272" and "000" in the index, and its query parser then drops every all-digit term, so no number
could be found; and an accented word was indexed only as written.

These search languages, registered for English and Spanish (one per edition), keep a number with thousands separators or
decimals as one word (which the query parser keeps, as it is not all digits), and indexes every
accented word a second time without its accents. Its JavaScript splitter does the same to the
query and drops accents from it, so both spellings find both. The Python and JavaScript rules
must stay the same: tests/test_search.py checks the Python side, tests/test_reader.py the pages.

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

from sphinx.search.en import SearchEnglish
from sphinx.search.es import SearchSpanish

# A number with separators ("272,000", "30.1", "1,234.5") or a run of word characters.
WORD = re.compile(r"\d+(?:[.,]\d+)+|\w+")

# The same rule in JavaScript, written into language_data.js, which Sphinx renders as a template
# that escapes quotes and angle brackets: so no string literals and no arrow functions here.
JS_SPLITTER = r"""
function splitQuery(query) {
  var words = query.match(/\d+(?:[.,]\d+)+|[\p{Letter}\p{Number}_\p{Emoji_Presentation}]+/gu) || [];
  return words.map(function (word) {
    return word.normalize(/NFKD/.source).replace(/\p{Mark}/gu, String());
  });
}
"""


def without_accents(word: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c))


def split_words(text: str) -> list[str]:
    """The words of `text` for the index: numbers whole, accented words also without accents."""
    words = []
    for word in WORD.findall(text):
        words.append(word)
        plain = without_accents(word)
        if plain != word:
            words.append(plain)
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
_DROPPED = re.compile(r"<(script|style)\b.*?</\1>|<a class=\"headerlink\".*?</a>", re.S)
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


def setup(app):
    app.add_search_language(SearchEnglishNumbers)
    app.add_search_language(SearchSpanishNumbers)
    app.connect("build-finished", write_page_texts)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
