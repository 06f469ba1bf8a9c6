"""The built book against the claim register: the same verdicts everywhere, valid fact-check markup.

Marker `book`: needs the built HTML (and, for the PDF test, the built PDF).
"""

from __future__ import annotations

import json
import re
import subprocess
from html.parser import HTMLParser

import pytest

from migration_report.register import claimreview, claims
from test_browser import HTML, ROOT

pytestmark = pytest.mark.book

REGISTER_PAGE = HTML / "chapters" / "claim-register.html"
PDF = ROOT / "_build" / "latex" / "book.pdf"
VERDICT_OF = "verdict-of-"


class Badges(HTMLParser):
    """Every verdict badge on a page: (claim id, verdict word)."""

    def __init__(self):
        super().__init__()
        self.found: list[tuple[str, str]] = []
        self._claim = None

    def handle_starttag(self, tag, attrs):
        classes = (dict(attrs).get("class") or "").split()
        if tag == "span" and "verdict" in classes:
            self._claim = next((c[len(VERDICT_OF):] for c in classes if c.startswith(VERDICT_OF)), "")
            self._text = ""

    def handle_data(self, data):
        if self._claim is not None:
            self._text += data

    def handle_endtag(self, tag):
        if tag == "span" and self._claim is not None:
            self.found.append((self._claim, self._text.strip()))
            self._claim = None


def badges(path) -> list[tuple[str, str]]:
    parser = Badges()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser.found


@pytest.fixture(scope="module")
def register():
    return claims.register()


def _answers(register, lang="en") -> dict[str, set[str]]:
    """The words a page may show in a claim's badges: its truth verdict and its relay answer."""
    return {r.claim_id: {claims.verdict_word(a, lang) for a in (r.verdict, r.relay) if isinstance(a, str)}
            for r in register.itertuples()}


@pytest.mark.parametrize("chapter", ["introduction", "cooperation-and-funding", "flow-statistics",
                                     "rio-grande-dispute", "institutional-actors", "claim-register"])
def test_every_verdict_a_page_states_is_the_registers(register, chapter):
    answers = _answers(register)
    shown = badges(HTML / "chapters" / f"{chapter}.html")
    assert shown, f"{chapter}: no verdict badges"
    for claim_id, word in shown:
        if not claim_id:  # the register's summary headings and rubric rows: an answer that groups claims
            groups = {claims.verdict_word(v) for v in (*claims.VERDICTS, *claims.RELAY_ANSWERS)}
            assert chapter == "claim-register" and word in groups, word
            continue
        assert word in answers[claim_id], f"{chapter}: {claim_id} shown as {word!r}, register says {answers[claim_id]}"


@pytest.mark.parametrize("chapter", ["cooperation-and-funding", "flow-statistics", "rio-grande-dispute",
                                     "institutional-actors"])
def test_each_chapter_shows_the_verdict_of_every_claim_it_checks(register, chapter):
    own = set(register.loc[register["chapter"] == chapter, "claim_id"])
    shown = {claim_id for claim_id, _ in badges(HTML / "chapters" / f"{chapter}.html")}
    assert own <= shown, sorted(own - shown)


def test_no_page_states_a_verdict_in_plain_words():
    """'Verdict:' in a page is always followed by a badge, never by a typed word."""
    for page in sorted((HTML / "chapters").glob("*.html")):
        text = page.read_text(encoding="utf-8")
        for match in re.finditer(r"Verdict[^<:]{0,40}:\s*(?:</strong>)?\s*([^<]{0,30})", text):
            assert not re.match(r"\s*(partly supported|not supported|not verifiable|supported|faithful|partly faithful|"
                                r"not faithful|not checked)", match.group(1)), (page.name, match.group(0))


def test_every_claim_has_a_card_in_the_page_contents(register):
    text = REGISTER_PAGE.read_text(encoding="utf-8")
    for claim_id in register["claim_id"]:
        assert f'<section class="claim-card" id="claim-{claim_id}"' in text, claim_id
        assert f'href="#claim-{claim_id}"' in text, claim_id  # summary and page contents link to it


def _jsonld(text: str) -> list[dict]:
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', text, flags=re.S)
    assert len(blocks) == 1, f"expected one JSON-LD block, found {len(blocks)}"
    return json.loads(blocks[0])


def test_claimreview_records_are_valid_and_point_at_their_cards(register):
    text = REGISTER_PAGE.read_text(encoding="utf-8")
    records = _jsonld(text)
    judged = claims.substantive(register)
    assert len(records) == len(judged)  # a claim only about who said what has no truth verdict to review
    assert claimreview.validate(records) == []
    assert claimreview.anchors_missing(records, text) == []
    by_url = {r["url"].rsplit("#", 1)[1]: r for r in records}
    for row in judged.itertuples():
        record = by_url[f"claim-{row.claim_id}"]
        assert record["reviewRating"]["alternateName"] == row.verdict
        assert record["claimReviewed"] == row.claim_short and len(row.claim_short) < 75
        assert record["itemReviewed"]["appearance"]["url"].startswith("https://latinarepublic.com/")
        assert "example.org" not in json.dumps(record)


def test_register_downloads_hold_the_verdicts(register):
    folder = HTML / "_downloads" / "figure-data" / "chapters" / "claim-register"
    json_files = list(folder.glob("claim-register.json"))
    csv_files = list(folder.glob("claim-register.csv"))
    assert len(json_files) == 1 and len(csv_files) == 1
    rows = json.loads(json_files[0].read_text(encoding="utf-8"))
    assert [r["Verdict"] for r in rows] == [v if isinstance(v, str) else None for v in register["verdict"]]
    assert [r["Reported faithfully?"] for r in rows] == list(register["relay"])


ES_HTML = HTML / "es"


def test_the_spanish_register_shows_spanish_verdicts_records_and_downloads():
    register = claims.register(lang="es")
    answers = _answers(register, "es")
    page = ES_HTML / "chapters" / "claim-register.html"
    text = page.read_text(encoding="utf-8")
    for claim_id, word in badges(page):
        assert not claim_id or word in answers[claim_id], (claim_id, word)
    records = _jsonld(text)
    assert claimreview.validate(records) == [] and claimreview.anchors_missing(records, text) == []
    by_url = {r["url"].rsplit("#", 1)[1]: r for r in records}
    for row in claims.substantive(register).itertuples():
        record = by_url[f"claim-{row.claim_id}"]
        assert record["inLanguage"] == "es"
        assert record["reviewRating"]["alternateName"] == claims.verdict_word(row.verdict, "es")
        assert record["claimReviewed"] == row.claim_short and record["reviewBody"] == row.conclusion
    folder = ES_HTML / "_downloads" / "figure-data" / "chapters" / "claim-register"
    rows = json.loads((folder / "claim-register.json").read_text(encoding="utf-8"))
    assert [r["Veredicto"] for r in rows] == [claims.verdict_word(v, "es") if isinstance(v, str) else None
                                              for v in register["verdict"]]


@pytest.mark.skipif(not PDF.exists(), reason="no PDF built")
def test_the_pdf_carries_every_claim_card(register):
    text = subprocess.run(["pdftotext", "-layout", str(PDF), "-"], capture_output=True, text=True, check=True).stdout
    flat = _plain(text)
    for row in register.itertuples():
        assert _plain(row.conclusion)[:40] in flat, row.claim_id


def _plain(text: str) -> str:
    """Text as pdftotext gives it: LaTeX sets typographic quotes, and lines break anywhere."""
    return " ".join(text.translate(str.maketrans("’‘“”", "''\"\"")).split())
