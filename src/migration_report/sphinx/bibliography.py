"""Sphinx extension: every source has its own author–year label, in the text and in the list.

Many sources share an author and a year ("U.S. Customs and Border Protection, 2023" named three
documents, and a bare "[2023]" eleven), so a reader could not tell which one a citation meant.
Sources with the same author and year get letters after the year, in the order of their month
and title (2023a, 2023b, …); the letter is part of the year that sphinxcontrib-bibtex shows in
the citation and in the reference list, in HTML and PDF alike. Textual citations link the author
together with the year, so each link reads as one whole label; the reference list is labelled by
author and year rather than numbered.

A source in Spanish (``language = {spanish}`` in references.bib) has its title, author and
publisher in a ``lang="es"`` span in the HTML, so a screen reader pronounces them in Spanish; a
bracketed title is the book's own English description of a page it could not quote, so it is
not marked. A ``day`` field is shown before the month: "26 July 2023".

The reference list is written in the edition's language (`edition_language`, set when the
builder starts): dates ("26 de julio de 2023"), "visited on" / "consultado el", "n.d." / "s. f.",
the data-set mark and a Spanish ``note_es`` in the Spanish edition. The letter that tells two
sources of one author and year apart belongs to the label ("2023a"), not to the date in the
entry. An entry without a date says why (``undated = {page}`` or ``{institutional}``); a
document read in a copy names the copy after its own issuer and date (``readvia``,
``readviadate``, ``readviaurl``); the outlet is shown once, so ``howpublished`` is left out
when it repeats the author.
"""

from __future__ import annotations

import functools
import json
import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from string import ascii_lowercase

import pybtex.plugin
import pybtex_docutils
from pybtex.plugin import register_plugin as register_pybtex_plugin
from pybtex.richtext import HRef, Tag, Text
from pybtex.style import template as pybtex_template
from pybtex.style.labels import BaseLabelStyle
from pybtex.style.template import field, names, optional_field, tag, words
from sphinxcontrib.bibtex.plugin import register_plugin as register_bibtex_plugin
from sphinxcontrib.bibtex.style.referencing.author_year import AuthorYearReferenceStyle
from sphinxcontrib.bibtex.style.referencing.basic_author_year import BasicAuthorYearTextualReferenceStyle
from sphinxcontrib.bibtex.style.template import join, join2, post_text, pre_text, reference, year

from migration_report.sphinx import bibliography_check
from migration_report.core import i18n
from migration_report.core.i18n import N_
from migration_report.core.outputs import SPANISH_NAMES
from migration_report.sphinx.claims import lang_span

MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august",
          "september", "october", "november", "december"]
_YEAR = re.compile(r"^(\d{4})[a-z]?$")
REFERENCE_STYLE = "author_year_unique"  # bibtex_reference_style in _config.yml
LABEL_STYLE = "author_year"  # the reference list's labels, used by bibliography_style.TitleCaseStyle


SPANISH = "spanish"  # the value of a Spanish source's `language` field in references.bib
SPANISH_TAG = "lang-es"  # the pybtex tag that becomes a lang="es" span
DATE = words[optional_field("day"), optional_field("month"), field("year")]  # "26 July 2023"


def _spanish_span(rawsource, text, *children):
    return lang_span(rawsource, text, *children, lang="es")


# pybtex_docutils turns a rich-text tag into the node its `tags` table names; an unknown tag is
# dropped silently, so the Spanish one is registered here, where the style that uses it lives.
pybtex_docutils.Backend.tags[SPANISH_TAG] = _spanish_span


def is_spanish(entry) -> bool:
    return entry.fields.get("language", "").strip().lower() == SPANISH


def is_description(title: str) -> bool:
    """A bracketed title is the book's description of a page whose headline it could not read."""
    return title.strip().startswith("[")


@pybtex_template.node
def spanish_names(children, data):
    # An English title that names a Mexican programme ("Joint Statement on Sembrando
    # Oportunidades"): each name (outputs.SPANISH_NAMES) in the Spanish tag.
    text = pybtex_template.join[children].format_data(data)
    plain = str(text)
    found = sorted({name for name in SPANISH_NAMES if name in plain}, key=len, reverse=True)
    if not found:
        return text
    pieces, start = [], 0
    for match in re.finditer("|".join(map(re.escape, found)), plain):
        pieces += [text[start:match.start()], Tag(SPANISH_TAG, text[match.start():match.end()])]
        start = match.end()
    return Text(*pieces, text[start:])


# Characters a .bib must escape for LaTeX (a headline's "$40M") that pybtex's reader keeps with
# their backslash: the page shows the character, the downloadable .bib keeps its escape.
_ESCAPED = re.compile(r"\\([$&#_])")


@pybtex_template.node
def text_field(children, data, name=""):
    """A field as a reader reads it: its LaTeX, with escaped special characters shown as themselves."""
    assert not children
    return Text.from_latex(_ESCAPED.sub(r"\1", data["entry"].fields[name]))


def in_spanish(entry, template, *, title: bool = False):
    """The template in a lang="es" span when the entry is a Spanish source (a title only when it
    is the source's own, not the book's bracketed description); in any other title, the Spanish
    programme names it contains."""
    if not is_spanish(entry) or (title and is_description(entry.fields.get("title", ""))):
        return spanish_names[template] if title else template
    return tag(SPANISH_TAG)[template]


def base_year(value: str) -> str:
    """The year without a letter already added (a cached bibliography is labelled again)."""
    match = _YEAR.match(value.strip())
    return match.group(1) if match else value.strip()


def _plain(latex: str) -> str:
    return Text.from_latex(latex).render_as("text")


def author_text(entry, lang: str = "en") -> str:
    """Who a citation names, as the citation shows it: the authors' last names (else the
    editors', else the title), with "et al." after the first of more than two; two are joined
    by the edition's "and" ("y" in Spanish)."""
    for role in ("author", "editor"):
        people = [_plain(" ".join(p.prelast_names + p.last_names)) for p in entry.persons.get(role, [])]
        if len(people) > 2:
            return f"{people[0]} et al."
        if people:
            return f" {edition_text('and', lang)} ".join(people) if lang != "en" else " and ".join(people)
    return _plain(entry.fields.get("title", ""))


def _month_number(entry) -> int:
    month = entry.fields.get("month", "").strip().lower()
    return next((i + 1 for i, name in enumerate(MONTHS) if name.startswith(month[:3]) and month), 0)


def labelled_years(entries, lang: str | None = None) -> dict[str, str]:
    """key -> the year to show: with a letter when another entry has the same author and year.
    An undated entry shows "n.d." ("s. f." in Spanish), with "-a", "-b" when its author has
    another undated entry."""
    groups = defaultdict(list)
    for key, entry in entries.items():
        plain = "" if is_undated(entry) else base_year(entry.fields.get("year", ""))
        groups[(author_text(entry), plain)].append(key)
    years = {}
    for (_, plain), keys in groups.items():
        keys.sort(key=lambda k: (_month_number(entries[k]), entries[k].fields.get("title", ""), k))
        if not plain:
            shown = no_date_label(lang)
            for index, key in enumerate(keys):
                if is_undated(entries[key]):
                    years[key] = shown if len(keys) == 1 else f"{shown}-{ascii_lowercase[index]}"
            continue
        for index, key in enumerate(keys):
            years[key] = plain if len(keys) == 1 else plain + ascii_lowercase[index]
    return years


def label_the_years(app) -> None:
    # Runs after sphinxcontrib-bibtex has read references.bib (its builder-inited handler).
    entries = app.env.get_domain("cite").bibdata.data.entries
    for key, shown in labelled_years(entries, edition_language()).items():
        entries[key].fields["year"] = shown
    notes_in_edition(entries, edition_language())


def notes_in_edition(entries, lang: str) -> None:
    """In another edition, each entry's `note` becomes its translation (`note_es`) where it has
    one, so every entry type's template shows the note in the edition's language."""
    for entry in entries.values():
        if lang != "en" and f"note_{lang}" in entry.fields:
            entry.fields["note"] = entry.fields[f"note_{lang}"]


@dataclass
class LinkedTextualReferenceStyle(BasicAuthorYearTextualReferenceStyle):
    """"Author [2023a]" as one link, not the author as plain text and the year as the link."""

    def inner(self, role_name: str):
        label = join(sep=self.text_reference_sep)[
            self.person.author_or_editor_or_title(full="s" in role_name),
            join[self.bracket.left, year, self.bracket.right],
        ]
        return join2(sep1=self.pre_text_sep, sep2=self.post_text_sep)[pre_text, reference[label], post_text]


@dataclass
class UniqueAuthorYearReferenceStyle(AuthorYearReferenceStyle):
    def __post_init__(self):
        super().__post_init__()
        # made when the builder starts, after set_edition_language: "A y B" in Spanish
        word = edition_text("and")
        if word != "and":
            self.person.sep2, self.person.last_sep = f" {word} ", f" {word} "
        for index, style in enumerate(self.styles):
            if type(style) is BasicAuthorYearTextualReferenceStyle:
                linked = LinkedTextualReferenceStyle(
                    bracket=style.bracket, person=style.person, text_reference_sep=style.text_reference_sep,
                    pre_text_sep=style.pre_text_sep, post_text_sep=style.post_text_sep)
                self.styles[index] = linked
                self.role_style.update((name, linked) for name in linked.role_names())


class AuthorYearLabelStyle(BaseLabelStyle):
    """Reference-list labels "Author, 2023a", matching the citations in the text."""

    def format_labels(self, sorted_entries):
        for entry in sorted_entries:
            yield f"{author_text(entry, edition_language())}, {entry.fields.get('year') or no_date_label()}"


# The reference list in the edition's language. Sphinx gives a pybtex style no access to the
# build, so the language is kept here when the builder starts (before any entry is formatted;
# parallel readers are forked after it).
_EDITION = {"language": "en"}
UNDATED_REASONS = ("page", "institutional")  # the values of `undated` in references.bib
DATA_SET = "dataset"  # `kind = {dataset}`: a data set, marked as one after its title
TEXT = {
    "no_date": N_("n.d."),  # the label of an undated source: "U.S. Customs and Border Protection, n.d."
    "undated_page": N_("undated (the page shows no date)"),
    "undated_institutional": N_("undated (an institutional page, kept up to date)"),
    "data_set": N_("[Data set]"),
    "read_via": N_("Read via"),  # "Read via Devdiscourse, 28 July 2023: https://…"
    "url": N_("URL:"),
    "visited": N_("visited on {date}"),
    "and": N_("and"),  # between two authors
    "in": N_("In"),  # "In <editors>, <proceedings>"
    "editor": N_("editor"),
    "editors": N_("editors"),
}


def set_edition_language(app) -> None:
    _EDITION["language"] = i18n.language(app.config.language)


def edition_language() -> str:
    return _EDITION["language"]


def edition_text(name: str, lang: str | None = None) -> str:
    return i18n.gettext(TEXT[name], lang or edition_language())


def no_date_label(lang: str | None = None) -> str:
    return edition_text("no_date", lang)


def is_undated(entry) -> bool:
    return "undated" in entry.fields


def _iso(year: str, month: int = 0, day: str = "") -> str:
    return f"{year}-{month:02d}-{int(day):02d}" if day and month else f"{year}-{month:02d}" if month else year


def entry_date(entry, lang: str | None = None) -> str:
    """The entry's date as the edition writes it, without the label's letter: 26 July 2023 /
    26 de julio de 2023, July 2023 / julio de 2023, 2023; "" when it has none."""
    lang = lang or edition_language()
    year = base_year(entry.fields.get("year", ""))
    if is_undated(entry) or not re.fullmatch(r"\d{4}", year):
        return ""
    return written_date(_iso(year, _month_number(entry), entry.fields.get("day", "")), lang)


def written_date(iso: str, lang: str | None = None) -> str:
    """An ISO date (2023-07-28, 2023-07 or 2023) as the edition writes it."""
    iso = iso.strip()
    if len(iso) == 10:
        return i18n.date(iso, lang or edition_language())
    if len(iso) == 7:
        return i18n.month(iso, lang or edition_language())
    return iso


def undated_reason(entry, lang: str | None = None) -> str:
    reason = entry.fields.get("undated", "").strip()
    return edition_text(f"undated_{reason}", lang) if reason in UNDATED_REASONS else ""


def publisher_text(entry) -> str:
    """`howpublished`, unless it repeats the author (the outlet is named once)."""
    outlet = entry.fields.get("howpublished", "")
    return "" if _plain(outlet).strip() == author_text(entry).strip() else outlet


def note_text(entry, lang: str | None = None) -> str:
    """The entry's note in the edition's language: `note_es` in Spanish when there is one."""
    lang = lang or edition_language()
    return entry.fields.get(f"note_{lang}", "") if lang != "en" and f"note_{lang}" in entry.fields \
        else entry.fields.get("note", "")


def read_via_copies(entry) -> list[tuple[str, str, str]]:
    """(copy's name, date read there as ISO, its address) for each copy a `readvia` entry names."""
    names_ = [n.strip() for n in entry.fields.get("readvia", "").split(";") if n.strip()]
    urls = entry.fields.get("readviaurl", "").split()
    dates = [d.strip() for d in entry.fields.get("readviadate", "").split(";")]
    return [(name, dates[i] if i < len(dates) else dates[-1], urls[i] if i < len(urls) else "")
            for i, name in enumerate(names_)]


def _link(url: str):
    return HRef(url, url)


@pybtex_template.node
def date_or_reason(children, data):
    """The date, or the reason the entry has none."""
    entry = data["entry"]
    return Text(entry_date(entry) or undated_reason(entry))


@pybtex_template.node
def publisher(children, data):
    outlet = publisher_text(data["entry"])
    return Text.from_latex(outlet) if outlet else Text()


@pybtex_template.node
def kind_mark(children, data):
    return Text(edition_text("data_set")) if data["entry"].fields.get("kind", "") == DATA_SET else Text()


@pybtex_template.node
def edition_note(children, data):
    note = note_text(data["entry"])
    return Text.from_latex(note) if note else Text()


@pybtex_template.node
def edition_web_refs(children, data):
    """"URL: <address> (visited on <date>)" for the source itself; for a source read in a copy,
    its own address (if known) and then "Read via <copy>, <date>: <address>", the visit after it."""
    entry = data["entry"]
    visited = entry.fields.get("urldate", "")
    visit = Text(" (", edition_text("visited").format(date=written_date(visited)), ")") if visited else Text()
    copies = read_via_copies(entry)
    parts = []
    url = entry.fields.get("url", "")
    if url:
        parts.append(Text(edition_text("url"), " ", _link(url), Text() if copies else visit))
    if copies:
        shown = []
        for name, when, address in copies:
            piece = Text(Text.from_latex(name), ", ", written_date(when)) if when else Text(Text.from_latex(name))
            shown.append(Text(piece, ": ", _link(address)) if address else piece)
        parts.append(Text(edition_text("read_via"), " ", Text("; ").join(shown), visit))
    return Text(". ").join(parts)


def names_in_edition(role: str):
    """The names of ROLE joined as the edition joins them ("A and B" / "A y B")."""
    word = edition_text("and")
    return names(role, sep=", ", sep2=f" {word} ", last_sep=f", {word} " if word == "and" else f" {word} ")


register_bibtex_plugin("sphinxcontrib.bibtex.style.referencing", REFERENCE_STYLE, UniqueAuthorYearReferenceStyle)
register_pybtex_plugin("pybtex.style.labels", LABEL_STYLE, AuthorYearLabelStyle)

CITED_KEYS_FILE = "cited-keys.json"  # written beside the HTML output folder, for the tests


def record_cited_keys(app, exception):
    # The bibliography lists exactly the cited entries; the tests compare them with references.bib.
    if exception is not None or app.builder.format != "html":
        return
    domain = app.env.get_domain("cite")
    keys = sorted({citation.key for citation in domain.citations})
    (Path(app.outdir).parent / CITED_KEYS_FILE).write_text(json.dumps(keys, indent=1) + "\n", encoding="utf-8")


def remember_installed_plugins() -> None:
    """pybtex looks up a plugin (the text backend, a style) among every installed package's entry
    points each time it formats a piece of an entry: some 1,100 scans of the environment's metadata
    per build, which were two thirds of a build's time. What is installed does not change during a
    build, so each lookup is made once (plugins registered at run time are still looked up first)."""
    if getattr(pybtex.plugin.entry_points, "remembered", False):
        return
    lookup = pybtex.plugin.entry_points

    @functools.lru_cache(maxsize=None)
    def remembered(**selection):
        return tuple(lookup(**selection))

    remembered.remembered = True
    pybtex.plugin.entry_points = remembered


def setup(app):
    remember_installed_plugins()
    app.connect("builder-inited", set_edition_language, priority=400)  # before sphinxcontrib-bibtex (500)
    bibliography_check.connect(app)  # every field checked first; links only to http, https, mailto
    app.connect("builder-inited", label_the_years, priority=600)  # after sphinxcontrib-bibtex (500)
    app.connect("build-finished", record_cited_keys)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}

