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
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from string import ascii_lowercase

import pybtex_docutils
from pybtex.plugin import register_plugin as register_pybtex_plugin
from pybtex.richtext import Tag, Text
from pybtex.style import template as pybtex_template
from pybtex.style.labels import BaseLabelStyle
from pybtex.style.template import field, optional_field, tag, words
from sphinxcontrib.bibtex.plugin import register_plugin as register_bibtex_plugin
from sphinxcontrib.bibtex.style.referencing.author_year import AuthorYearReferenceStyle
from sphinxcontrib.bibtex.style.referencing.basic_author_year import BasicAuthorYearTextualReferenceStyle
from sphinxcontrib.bibtex.style.template import join, join2, post_text, pre_text, reference, year

from . import bibliography_check
from .outputs import SPANISH_NAMES
from .sphinx_claims import lang_span

MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august",
          "september", "october", "november", "december"]
_YEAR = re.compile(r"^(\d{4})[a-z]?$")
REFERENCE_STYLE = "author_year_unique"  # bibtex_reference_style in _config.yml
LABEL_STYLE = "author_year"  # the reference list's labels, used by sphinx_ext.TitleCaseStyle


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


def author_text(entry) -> str:
    """Who a citation names, as the citation shows it: the authors' last names (else the
    editors', else the title), with "et al." after the first of more than two."""
    for role in ("author", "editor"):
        people = [_plain(" ".join(p.prelast_names + p.last_names)) for p in entry.persons.get(role, [])]
        if len(people) > 2:
            return f"{people[0]} et al."
        if people:
            return " and ".join(people)
    return _plain(entry.fields.get("title", ""))


def _month_number(entry) -> int:
    month = entry.fields.get("month", "").strip().lower()
    return next((i + 1 for i, name in enumerate(MONTHS) if name.startswith(month[:3]) and month), 0)


def labelled_years(entries) -> dict[str, str]:
    """key -> the year to show: with a letter when another entry has the same author and year."""
    groups = defaultdict(list)
    for key, entry in entries.items():
        groups[(author_text(entry), base_year(entry.fields.get("year", "")))].append(key)
    years = {}
    for (_, plain), keys in groups.items():
        if not plain:
            continue
        keys.sort(key=lambda k: (_month_number(entries[k]), entries[k].fields.get("title", ""), k))
        for index, key in enumerate(keys):
            years[key] = plain if len(keys) == 1 else plain + ascii_lowercase[index]
    return years


def label_the_years(app) -> None:
    # Runs after sphinxcontrib-bibtex has read references.bib (its builder-inited handler).
    entries = app.env.get_domain("cite").bibdata.data.entries
    for key, shown in labelled_years(entries).items():
        entries[key].fields["year"] = shown


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
            yield f"{author_text(entry)}, {entry.fields.get('year', 'n.d.')}"


register_bibtex_plugin("sphinxcontrib.bibtex.style.referencing", REFERENCE_STYLE, UniqueAuthorYearReferenceStyle)
register_pybtex_plugin("pybtex.style.labels", LABEL_STYLE, AuthorYearLabelStyle)


def setup(app):
    bibliography_check.connect(app)  # every field checked first; links only to http, https, mailto
    app.connect("builder-inited", label_the_years, priority=600)  # after sphinxcontrib-bibtex (500)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
