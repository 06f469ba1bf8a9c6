"""Every source as it was published (issue 22): references.bib, the kinds of source behind each
finding, and the searches for each government's own word (data/source_searches.csv)."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path


from migration_report.sphinx.bibliography import UNDATED_REASONS, author_text, is_undated, read_via_copies

ROOT = Path(__file__).resolve().parents[1]
CITE = re.compile(r"\{cite:[a-z]+\}`([^`]+)`")
ISO_DAY_OR_MONTH = re.compile(r"\d{4}-\d{2}(-\d{2})?")
# Every claim the article makes comes from the Mexican government's press conference of 26 July 2023.
CLAIMANT = "mexico-gov"
# Claims about US money, US commitments or joint actions: each needs a search of the US side.
US_SIDE_CLAIMS = {"usd-40m", "usd-first-time", "usd-raise", "six-countries", "programme-results", "un-partners",
                  "multi-service-space", "new-paths", "labour-routes"}
# Rio Grande claims whose evidence includes US sources: each needs a search of the Mexican side.
MEXICAN_SIDE_CLAIMS = {"barrier-length", "barrier-split", "who-toured", "second-note", "federal-lawsuit",
                       "federal-support", "barrier-structures"}


def _rows(name: str) -> list[dict[str, str]]:
    with (ROOT / "data" / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_no_title_begins_with_a_bracket(bib_entries):
    # A headline counts only as a stored copy shows it; the book never describes a page instead.
    bracketed = [key for key, e in bib_entries.items() if e.fields.get("title", "").lstrip("{").startswith("[")]
    assert not bracketed, bracketed


def test_every_entry_is_dated_or_says_why_not(bib_entries):
    problems = {}
    for key, entry in bib_entries.items():
        year, reason = entry.fields.get("year", ""), entry.fields.get("undated", "")
        if is_undated(entry):
            if reason not in UNDATED_REASONS or year:
                problems[key] = f"undated = {reason!r}, year = {year!r}"
        elif not re.fullmatch(r"\d{4}", year):
            problems[key] = f"year = {year!r} and no `undated` reason"
    assert not problems, problems


def test_a_copy_names_the_original_issuer_and_date(bib_entries):
    problems = {}
    for key, entry in bib_entries.items():
        read_via = {name for name in entry.fields if name.startswith("readvia")}
        if not read_via:
            continue
        copies = read_via_copies(entry)
        if not {"readvia", "readviaurl"} <= read_via:  # the copy's own date when it shows one
            problems[key] = f"has {sorted(read_via)}"
        elif not entry.persons.get("author") or not re.fullmatch(r"\d{4}", entry.fields.get("year", "")):
            problems[key] = "a copy's entry must name the original issuer (author) and its year"
        elif not all((not when or ISO_DAY_OR_MONTH.fullmatch(when)) and address.startswith("http")
                     for _, when, address in copies):
            problems[key] = f"each copy needs an ISO date and an address: {copies}"
        elif len(copies) != len(entry.fields["readviaurl"].split()):
            problems[key] = "one address per copy named in readvia"
    assert not problems, problems
    assert len([k for k, e in bib_entries.items() if "readvia" in e.fields]) >= 5


def test_the_outlet_is_named_once(bib_entries):
    from pybtex.richtext import Text

    repeated = [key for key, e in bib_entries.items() if "howpublished" in e.fields
                and Text.from_latex(e.fields["howpublished"]).render_as("text") == author_text(e)]
    assert not repeated, repeated


def _cited_keys() -> dict[str, set[str]]:
    """key -> where it is cited: the chapters, the Spanish catalogues, and the data's source keys."""
    found: dict[str, set[str]] = {}

    def add(key: str, where: str) -> None:
        found.setdefault(key.strip(), set()).add(where)

    for path in [*(ROOT / "chapters").glob("*.*"), *(ROOT / "locales").rglob("*.po")]:
        for match in CITE.finditer(path.read_text(encoding="utf-8")):
            for key in match.group(1).split(","):
                add(key, path.name)
    for path in (ROOT / "data").glob("*.csv"):
        for row in _rows(path.name):
            if row.get("source_key"):
                add(row["source_key"], path.name)
    for row in _rows("../locales/es/terminology.csv"):
        if row.get("source") and not row["source"].startswith("https://"):
            add(row["source"], "terminology.csv")
    return found


def test_every_cited_key_resolves(bib_entries):
    cited = _cited_keys()
    assert len(cited) >= 50
    unknown = {key: sorted(where) for key, where in cited.items() if key not in bib_entries}
    assert not unknown, unknown


def test_every_finding_says_what_kind_of_source_it_rests_on():
    package = json.loads((ROOT / "data" / "datapackage.json").read_text(encoding="utf-8"))
    fields = {f["name"]: f for r in package["resources"] if r["name"] == "claim-evidence" for f in r["schema"]["fields"]}
    kinds, voices = set(fields["source_kind"]["constraints"]["enum"]), set(fields["source_voice"]["constraints"]["enum"])
    rows = _rows("claim_evidence.csv")
    assert {r["source_kind"] for r in rows} <= kinds and {r["source_voice"] for r in rows} <= voices
    assert {r["source_kind"] for r in rows} >= {"record", "statement", "news", "relay"}


def test_each_claim_is_heard_beyond_the_claimants_government():
    searched = {r["claim_id"] for r in _rows("source_searches.csv")}
    voices: dict[str, set[str]] = {}
    for row in _rows("claim_evidence.csv"):
        voices.setdefault(row["claim_id"], set()).add(row["source_voice"])
    unheard = sorted(c for c, v in voices.items() if v <= {CLAIMANT} and c not in searched)
    assert not unheard, f"only the claimant's government and no search that says why: {unheard}"


def test_both_governments_are_searched_where_the_brief_asks():
    rows = _rows("source_searches.csv")
    sides = {(r["claim_id"], r["side"]) for r in rows}
    missing = sorted(({(c, "us-gov") for c in US_SIDE_CLAIMS} | {(c, "mexico-gov") for c in MEXICAN_SIDE_CLAIMS}) - sides)
    assert not missing, missing


def test_a_search_names_the_source_it_read_unless_it_found_none(bib_entries):
    problems = []
    for row in _rows("source_searches.csv"):
        if row["outcome"] != "nothing found" and not row["source_key"]:
            problems.append((row["search_id"], "an outcome other than 'nothing found' names its source"))
        if row["source_key"] and row["source_key"] not in bib_entries:
            problems.append((row["search_id"], f"unknown key {row['source_key']}"))
        if not row["result"].strip() or "\n" in row["result"] or not row["result_es"].strip():
            problems.append((row["search_id"], "the result is one line, in English and Spanish"))
    assert not problems, problems


def test_every_kind_voice_and_outcome_has_reader_words_in_both_editions():
    from migration_report.register import source_kinds

    rows, searches = _rows("claim_evidence.csv"), _rows("source_searches.csv")
    pairs = [(source_kinds.kind_word, r["source_kind"]) for r in rows] + \
            [(source_kinds.voice_word, r["source_voice"]) for r in rows] + \
            [(source_kinds.voice_word, r["side"]) for r in searches] + \
            [(source_kinds.outcome_word, r["outcome"]) for r in searches]
    for word, key in pairs:
        assert word(key, "en") and word(key, "es") != word(key, "en"), key
    assert source_kinds.kind_word("relay", "es") == "declaración recogida por la prensa"
