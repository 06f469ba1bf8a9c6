"""Every field of references.bib checked before the bibliography is read.

pybtex reads a field's text as LaTeX: a bare `%` starts a comment, so "Fondos 50% rise" printed as
"Fondos 50." with no warning; an unbalanced brace makes the parser take the next fields (or entries)
as part of the value, or fail with a line number only. A `url` (or a `\\url`/`\\href` in any field)
becomes a link on the References page and in the citations' previews, so a `javascript:` address
would run in a reader's browser. The build stops on any of these, naming the entry and the field
(`check_bibliography`, run by `migration_report.sphinx.bibliography` before sphinxcontrib-bibtex reads the
file), and the link writer never links an address other than http, https or mailto (`safe_href`).

The scanner is this module's own: pybtex's parser cannot say which field an unbalanced brace is in,
and it does not keep a field's delimiters. It reads the BibTeX forms the book uses: `@type{key,`,
`name = {…}`, `name = "…"`, bare values (`jul`, `2023`) and `#` concatenation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

LINK_SCHEMES = ("http", "https", "mailto")
# Fields pybtex keeps as they are (raw=True in the style), where % is a URL's percent-encoding.
RAW_FIELDS = frozenset({"url", "doi", "eprint", "urldate"})
_ENTRY = re.compile(r"@\s*([A-Za-z]+)\s*[{(]")
_FIELD = re.compile(r"[A-Za-z][\w:.+-]*")
_NEXT_FIELD = re.compile(r"\n[ \t]*(?:[A-Za-z][\w:.+-]*[ \t]*=|@|[})][ \t]*\n)")
_BARE = re.compile(r"[\w.:+/-]+")
_LINK_COMMAND = re.compile(r"\\(?:url|href)\s*\{([^{}]*)\}")


@dataclass(frozen=True)
class Field:
    entry: str
    name: str
    value: str  # the text between the delimiters, pieces joined
    line: int


class _Scanner:
    def __init__(self, text: str):
        self.text, self.pos, self.problems, self.fields = text, 0, [], []

    def line(self, pos: int | None = None) -> int:
        return self.text.count("\n", 0, self.pos if pos is None else pos) + 1

    def skip_space(self) -> None:
        while self.pos < len(self.text) and self.text[self.pos] in " \t\r\n":
            self.pos += 1

    def problem(self, entry: str, name: str, line: int, what: str) -> None:
        self.problems.append((entry, name, line, what))

    def entries(self) -> None:
        while True:
            match = _ENTRY.search(self.text, self.pos)
            if match is None:
                return
            self.pos = match.end()
            kind = match.group(1).lower()
            if kind == "comment":
                self.delimited("{", "comment", "")
                continue
            key = ""
            if kind not in ("string", "preamble"):
                comma = self.text.find(",", self.pos)
                key = self.text[self.pos:comma].strip() if comma >= 0 else ""
                self.pos = comma + 1 if comma >= 0 else len(self.text)
            self.entry_fields(key or f"@{kind}")

    def entry_fields(self, entry: str) -> None:
        while True:
            self.skip_space()
            if self.pos >= len(self.text) or self.text[self.pos] == "@":  # the next entry starts, or the file ends
                self.problem(entry, "", self.line(), "the entry is never closed: end it with '}'")
                return
            if self.text[self.pos] in "})":
                self.pos += 1
                return
            if self.text[self.pos] == ",":
                self.pos += 1
                continue
            match = _FIELD.match(self.text, self.pos)
            equals = match and re.match(r"\s*=\s*", self.text[match.end():])
            if not equals:
                self.problem(entry, "", self.line(), "text that is not a field (name = value)")
                self.skip_line()
                continue
            name, start = match.group().lower(), self.line()
            self.pos = match.end() + equals.end()
            value = self.value(entry, name)
            if value is not None:
                self.fields.append(Field(entry, name, value, start))

    def skip_line(self) -> None:
        end = self.text.find("\n", self.pos)
        self.pos = len(self.text) if end < 0 else end + 1

    def value(self, entry: str, name: str) -> str | None:
        pieces = []
        while True:
            self.skip_space()
            char = self.text[self.pos:self.pos + 1]
            if char in ('{', '"'):
                piece = self.delimited(char, entry, name)
                if piece is None:
                    return None
                pieces.append(piece)
            else:
                bare = _BARE.match(self.text, self.pos)
                if bare is None:
                    self.problem(entry, name, self.line(), "no value after '='")
                    self.skip_line()
                    return None
                pieces.append(bare.group())
                self.pos = bare.end()
            self.skip_space()
            following = self.text[self.pos:self.pos + 1]
            if following == "#":
                self.pos += 1
                continue
            if following not in (",", "}", ")", ""):
                self.problem(entry, name, self.line(), "a closing brace '}' closes more than was opened (the value "
                             f"ends before {_shown(self.rest_of_line())!r}): remove it, or write a literal brace as '\\}}'")
                self.skip_line()
                return None
            return "".join(pieces)

    def rest_of_line(self) -> str:
        end = self.text.find("\n", self.pos)
        return self.text[self.pos:end if end >= 0 else len(self.text)]

    def delimited(self, opening: str, entry: str, name: str) -> str | None:
        """The text of a {…} or "…" value (braces inside must balance); None after a problem."""
        start, depth, pos = self.pos, 0, self.pos + 1
        closing = "}" if opening == "{" else '"'
        while pos < len(self.text):
            char = self.text[pos]
            if char == "\\":
                pos += 2
                continue
            if char == "\n" and depth + (opening == "{") > 0 and _NEXT_FIELD.match(self.text, pos) and name:
                break  # a new field begins while a brace is still open
            if char == "{":
                depth += 1
            elif char == "}":
                if depth == 0:
                    if closing == "}":
                        self.pos = pos + 1
                        return self.text[start + 1:pos]
                    self.problem(entry, name, self.line(start), "a closing brace '}' closes more than was opened: "
                                 "remove it, or write a literal brace as '\\}'")
                    self.pos = pos + 1
                    self.skip_line()
                    return None
                depth -= 1
            elif char == '"' and closing == '"' and depth == 0:
                self.pos = pos + 1
                return self.text[start + 1:pos]
            pos += 1
        if name:
            self.problem(entry, name, self.line(start), "an opening brace '{' is never closed: close it, or write "
                         "a literal brace as '\\{'")
        self.pos = pos
        return None


def _shown(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= 60 else text[:57] + "..."


def _scheme(address: str) -> str | None:
    match = re.match(r"\s*([A-Za-z][A-Za-z0-9+.-]*):", address)
    return match.group(1).lower() if match else None


def is_safe_address(address: str) -> bool:
    """An address that may be published as a link: http, https or mailto."""
    return _scheme(address) in LINK_SCHEMES


def field_problems(field: Field) -> list[str]:
    """What is wrong with one field's text."""
    found = []
    if field.name not in RAW_FIELDS and re.search(r"(?<!\\)%", field.value.replace("\\\\", "")):
        found.append("a bare '%' (LaTeX reads the rest of the field as a comment, so the text would be cut "
                     "there): write it as '\\%'")
    addresses = ([field.value.strip()] if field.name == "url" else []) + _LINK_COMMAND.findall(field.value)
    for address in addresses:
        if not is_safe_address(address):
            found.append(f"the address {_shown(address)!r} is not an http, https or mailto address; only those "
                         "are published as links")
    return found


def check_bibliography(path: Path) -> list[str]:
    """Every problem of the .bib file at PATH, one line each, naming the entry and the field."""
    path = Path(path)
    scanner = _Scanner(path.read_text(encoding="utf-8"))
    scanner.entries()
    problems = [(f.entry, f.name, f.line, what) for f in scanner.fields for what in field_problems(f)]
    problems += scanner.problems
    return [f"{path.name}, entry '{entry}'" + (f", field '{name}'" if name else "") + f" (line {line}): {what}"
            for entry, name, line, what in sorted(problems, key=lambda p: p[2])]


def safe_href(format_href):
    """pybtex-docutils' link writer, which writes an address other than http, https or mailto as text."""
    def href(self, url, text, external=False):
        if is_safe_address(url):
            return format_href(self, url, text, external=external)
        return text

    return href


def _stop_on_problems(app) -> None:
    from sphinx.errors import SphinxError

    class BibliographyError(SphinxError):
        category = "Bibliography error"

    problems = [problem for name in (app.config.bibtex_bibfiles or [])
                for problem in check_bibliography(Path(app.confdir) / name)]
    if problems:
        raise BibliographyError("\n".join(problems) + "\nNothing was built; correct the bibliography and build again.")


def connect(app) -> None:
    """For migration_report.sphinx.bibliography's setup: check the .bib files before sphinxcontrib-bibtex reads them
    (its builder-inited handler has the default priority, 500), and write only safe addresses as links."""
    import pybtex_docutils

    backend = pybtex_docutils.Backend
    if not getattr(backend.format_href, "safe_addresses_only", False):
        backend.format_href = safe_href(backend.format_href)
        backend.format_href.safe_addresses_only = True
    app.connect("builder-inited", _stop_on_problems, priority=400)
