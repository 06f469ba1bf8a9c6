"""Which sentences of the article the register checks, and why the others are not checked.

The book does not ship the article. `data/article_sentences.csv` holds, for each sentence, its
number, its first words, a SHA-256 of its text and either the claims that check it or the reason
it is not checked; `sentences()` and `sentence_hash()` recompute the split and the hashes from
the article's text, so a test can show the table covers the whole article and nothing else.
"""

from __future__ import annotations

import hashlib
import re

# A sentence ends at . ! ? (or a closing quotation mark after one) followed by a space and a
# capital, an opening quotation mark or a bracket; a full stop before a lower-case word (the
# article has two, "stand out. in" and "one state. of") does not end one.
_BOUNDARY = re.compile(r"(?<=[.!?])[”\"]?\s+(?=[“\"(A-ZÁÉÍÓÚÑ])")
FIRST_WORDS = 12


def sentences(text: str) -> list[str]:
    """The article's sentences in order: paragraphs split at blank lines, then at sentence ends."""
    out = []
    for paragraph in re.split(r"\n\s*\n", text.strip()):
        paragraph = " ".join(paragraph.split())
        if not paragraph:
            continue
        start = 0
        for match in _BOUNDARY.finditer(paragraph):
            out.append(paragraph[start:match.start() + (1 if paragraph[match.start()] in "”\"" else 0)].strip())
            start = match.end()
        out.append(paragraph[start:].strip())
    return [s for s in out if s]


def sentence_hash(sentence: str) -> str:
    return hashlib.sha256(" ".join(sentence.split()).encode("utf-8")).hexdigest()


def first_words(sentence: str, n: int = FIRST_WORDS) -> str:
    words = sentence.split()
    return " ".join(words[:n]) + (" …" if len(words) > n else "")
