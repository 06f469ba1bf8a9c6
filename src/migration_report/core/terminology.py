"""The Spanish edition's terminology: one bilingual table, locales/es/terminology.csv, and its check.

Each row gives an English term, the Spanish term the book uses for it, whether the check below
applies to it (not for a word that is also a verb, like "claim"), a note for translators and,
where the choice follows an official Spanish name, its source (a references.bib key or the address
of the body's own Spanish page). The check: a translated message whose English contains a term
must contain its Spanish term, so "encounter" is always "encuentro", never "detención" or "cruce".
Matching ignores case and accents, allows a plural ending on each word, and looks only at the
words a reader sees: role targets (glue keys, citation keys, page names), code and link addresses
are left out, and a role's own text ({term}`encounters <Encounter>`) is kept.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

TERMINOLOGY = Path("locales") / "es" / "terminology.csv"

_ROLE = re.compile(r"\{([\w:-]+)\}`([^`]*)`")
_CODE = re.compile(r"`[^`]*`")
_LINK_ADDRESS = re.compile(r"\]\([^)]*\)")
_EXPLICIT_TITLE = re.compile(r"^(.*?)\s*<[^<>]*>$", re.S)
_ROLES_WITH_TEXT = {"term", "es", "verdict"}  # their text is what the reader reads


@dataclass(frozen=True)
class Term:
    english: str
    spanish: str
    checked: bool
    note: str
    source: str


def load_terms(root: Path) -> list[Term]:
    with (Path(root) / TERMINOLOGY).open(encoding="utf-8", newline="") as handle:
        return [Term(row["term_en"], row["term_es"], _yes_no(row["check"]), row["note"], row["source"])
                for row in csv.DictReader(handle)]


def _yes_no(value: str) -> bool:
    if value not in {"yes", "no"}:
        raise ValueError(f"{TERMINOLOGY}: check must be yes or no, not {value!r}")
    return value == "yes"


def fold(text: str) -> str:
    """Lower case without accents: 'Aprehensión' and 'aprehension' compare equal."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def _role_text(match: re.Match) -> str:
    role, content = match.group(1), match.group(2)
    titled = _EXPLICIT_TITLE.match(content)
    if titled and role in {"term", "doc", "ref", "numref"}:
        return titled.group(1)
    return content if role in _ROLES_WITH_TEXT else " "


def reader_text(message: str) -> str:
    """The words of a MyST message as a reader sees them, folded."""
    text = _ROLE.sub(_role_text, message)
    text = _LINK_ADDRESS.sub("]", _CODE.sub(" ", text))
    return fold(text)


def term_pattern(term: str) -> re.Pattern:
    """A whole-word pattern for a (folded) term, each word with an optional plural ending."""
    words = fold(term).split()
    return re.compile(r"\b" + r"\s+".join(re.escape(w) + r"(?:s|es)?" for w in words) + r"\b")


def missing_terms(msgid: str, msgstr: str, terms: list[Term]) -> list[Term]:
    """The terms whose English is in msgid but whose Spanish is not in msgstr."""
    english, spanish = reader_text(msgid), reader_text(msgstr)
    return [t for t in terms if t.checked and term_pattern(t.english).search(english)
            and not term_pattern(t.spanish).search(spanish)]
