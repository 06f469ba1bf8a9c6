"""How Zotero reads what the book gives it, re-implemented from Zotero's own code so the tests can
check the book's tags and files against it without running Zotero.

- `highwire_creators`: the author rule of Zotero's "Embedded Metadata" web translator
  (zotero/translators, Embedded Metadata.js, `processHighwireCreators`, lastUpdated 2024-06-13),
  which calls `cleanAuthor` (zotero/utilities, utilities.js) and `fixCase` (the translator), and
  the rule by which Zotero saves a creator without a first name as one name
  (`itemToAPIJSON`: `if (!creator.firstName || creator.fieldMode == 1)` → `{name: lastName}`).
- `ris_fields`: the part of Zotero's RIS import (zotero/translators, RIS.js: `fieldMap`,
  `processTag`, `dateRIStoZotero`) that covers the tags the book writes.

Only the branches the book's values can reach are kept; each function says what it leaves out.
"""

from __future__ import annotations

import re

_ALL_CAPS = re.compile(r"^[A-Z\u0400-\u042f]+$")
_INITIAL = re.compile(r"^-?[A-Z\u0400-\u042f]$")


def _fix_case(name: str) -> str:
    """fixCase: a name all in upper or all in lower case is title-cased (ZU.capitalizeTitle(name, true),
    which for one or two plain words capitalises each word's first letter)."""
    if name.upper() == name or name.lower() == name:
        return " ".join(word[:1].upper() + word[1:].lower() for word in name.split(" "))
    return name


def clean_author(author: str, use_comma: bool) -> dict:
    """ZU.cleanAuthor(author, "author", useComma)."""
    author = re.sub(r"^[\s\u00A0.,/\[\]:]+", "", author)
    author = re.sub(r"[\s\u00A0.,/\[\]:]+$", "", author)
    author = re.sub(r"[\s\u00A0]+", " ", author, count=1)
    first = None
    if use_comma:
        author = re.sub(r"\.([^ ])", r". \1", author, count=1)
        names = re.split(r"[,،] ?", author)
        last, first = (names[0], names[1]) if len(names) > 1 else (author, None)
    else:
        # "Firstname Lastname [Country]": the last name is the last word that starts with a letter
        space = len(author)
        while True:
            space = author.rfind(" ", 0, space)  # lastIndexOf(" ", space - 1)
            last, first = author[space + 1:], author[:space] if space > 0 else ""
            if (last[:1].isalpha()) or space <= 0:
                break
    if first and _ALL_CAPS.match(first) and len(first) < 4 and (len(first) == 1 or last.upper() != last):
        first = " ".join(f"{char}." for char in first)  # initials
    if first:
        names = re.split(r"(?:[\s.]+|(?=-))", re.sub(r"\s*([\u002D\u00AD\u2010-\u2015\u2212\u2E3A\u2E3B])\s*", "-",
                                                      re.sub(r"[\s,]+$", "", re.sub(r"^[\s.]+", "", first)), count=1))
        first = " ".join(name + ("." if _INITIAL.match(name) else "") for name in names).replace(" -", "-").strip()
    return {"firstName": first, "lastName": last}


def highwire_creators(values: list[str], language: str | None = None) -> list[dict]:
    """The creators Zotero saves from the page's citation_author tags, in its item JSON: a person as
    {"firstName", "lastName"}, one name (an organisation) as {"name"}."""
    creators, previous = [], None
    for value in values:
        parts = re.split(r"\s*;\s*", value)
        if len(parts) == 1 and len(values) == 1:
            by_comma = re.split(r"\s*,\s*", parts[0])
            two_word_spanish = (len(by_comma) == 2 and language in ("es", "spa", "Spanish", "español")
                                and len(by_comma[0].split(" ")) == 2)
            if len(by_comma) > 1 and " " in by_comma[0] and " " in by_comma[1] and not two_word_spanish:
                parts = by_comma
        for part in parts:
            part = part.strip()
            if not part or not re.search(r"[^\s,\-.;]", part) or part == previous:
                continue
            previous = part
            creator = clean_author(part, "," in part)
            if creator["firstName"]:
                creator = {"firstName": _fix_case(creator["firstName"]), "lastName": _fix_case(creator["lastName"])}
            # itemToAPIJSON: no first name, one field
            creators.append(creator if creator["firstName"] else {"name": creator["lastName"]})
    return creators


# RIS.js fieldMap and degenerateImportFieldMap, for the tags the book writes and the types it uses
# (BOOK → book, CHAP → bookSection, DATA → document); ET shown for what the book no longer writes.
_RIS_FIELDS = {"TI": "title", "T2": {"bookSection": "bookTitle"}, "AU": "creators", "PY": "backupDate",
               "DA": "date", "ET": "edition", "M2": "extra", "LA": "language", "UR": "url"}
_RIS_TYPES = {"BOOK": "book", "CHAP": "bookSection", "DATA": "document"}


def ris_date(value: str) -> str:
    """dateRIStoZotero, as the ISO date Zotero stores ("2026/12/01" → "2026-12-01"; "2026" → "2026")."""
    parts = re.split(r"\s*/\s*(?:0*(?=\d))?", value)
    if len(parts) == 1:
        return value
    kept = []
    for part in parts[:3]:
        if not part or not int(part):
            break
        kept.append(int(part))
    return "-".join([str(kept[0])] + [f"{p:02d}" for p in kept[1:]])


def ris_fields(text: str) -> dict:
    """The Zotero item an RIS record becomes (one record; notes for unknown tags left out)."""
    item: dict = {"creators": []}
    for line in text.splitlines():
        match = re.match(r"^([A-Z][A-Z0-9])  - ?(.*)$", line)
        if not match:
            continue
        tag, value = match[1], match[2].strip()
        if tag == "TY":
            item["itemType"] = _RIS_TYPES[value]
            continue
        field = _RIS_FIELDS.get(tag)
        if isinstance(field, dict):
            field = field.get(item["itemType"])
        if not field or not value:
            continue
        if field == "creators":
            # processTag: split at commas into lastName, firstName; no first name → one field (itemToAPIJSON)
            names = re.split(r"\s*,\s*", value)
            item["creators"].append({"lastName": names[0], "firstName": names[1]} if len(names) > 1 and names[1]
                                    else {"name": names[0]})
        elif field in ("date", "backupDate"):
            item[field] = ris_date(value)
        else:
            item.setdefault(field, value)
    if "backupDate" in item:
        item.setdefault("date", item.pop("backupDate"))
    return item
