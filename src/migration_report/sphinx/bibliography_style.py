"""The reference list's pybtex style, `titlecase` (bibtex_default_style in _config.yml)."""

from __future__ import annotations

from pybtex.plugin import register_plugin
from pybtex.style.formatting import toplevel
from pybtex.style.formatting.plain import Style as PlainStyle
from pybtex.style.formatting.unsrt import pages as page_range
from pybtex.style.template import join, optional, sentence, words

from migration_report.sphinx import bibliography as sphinx_bib


class TitleCaseStyle(PlainStyle):
    """pybtex's plain style, but titles keep their case: headlines, names and acronyms
    ("US", "AMLO", "CBP One") are not lowered to sentence case; the reference list is labelled
    by author and year (sphinx_bib), like the citations, not numbered. A web source shows its
    day of publication, and a Spanish one is marked as Spanish (sphinx_bib.in_spanish); the
    words around them are in the edition's language (sphinx_bib.edition_language)."""

    default_label_style = sphinx_bib.LABEL_STYLE

    def format_title(self, e, which_field, as_sentence=True):
        title = sphinx_bib.in_spanish(e, sphinx_bib.text_field(name=which_field), title=True)
        return sentence[title] if as_sentence else title

    def format_names(self, role, as_sentence=True):
        # "A and B" / "A y B": the edition's word (sphinx_bib.names_in_edition)
        formatted = sphinx_bib.names_in_edition(role)
        return sentence[formatted] if as_sentence else formatted

    def format_editor(self, e, as_sentence=True):
        # plain's editors, with the edition's word after them ("editors" / "editores")
        editors = self.format_names("editor", as_sentence=False)
        if "editor" not in e.persons:
            return editors
        result = join(sep=", ")[editors, sphinx_bib.edition_text("editors" if len(e.persons["editor"]) > 1
                                                                  else "editor")]
        return sentence[result] if as_sentence else result

    def get_inproceedings_template(self, e):
        # plain's inproceedings template with the edition's "In" / "En" and note
        return toplevel[
            sentence[self.format_names("author")],
            self.format_title(e, "title"),
            words[
                sphinx_bib.edition_text("in"),
                sentence[
                    optional[self.format_editor(e, as_sentence=False)],
                    self.format_btitle(e, "booktitle", as_sentence=False),
                    self.format_volume_and_series(e, as_sentence=False),
                    optional[page_range],
                ],
                self.format_address_organization_publisher_date(e),
            ],
            sentence[sphinx_bib.edition_note],
            self.format_web_refs(e),
        ]

    def get_misc_template(self, e):
        # plain's misc template in the edition's language (sphinx_bib): the data-set mark, the
        # outlet once, the day in the date or the reason there is no date, the edition's note,
        # and the source's address or the copy it was read in
        return toplevel[
            optional[sentence[sphinx_bib.in_spanish(e, self.format_names("author", as_sentence=False))]],
            optional[self.format_title(e, "title")],
            sentence(capfirst=True)[
                sphinx_bib.kind_mark,
                sphinx_bib.in_spanish(e, sphinx_bib.publisher),
                sphinx_bib.date_or_reason,
            ],
            sentence[sphinx_bib.edition_note],
            sentence[sphinx_bib.edition_web_refs],
        ]


register_plugin("pybtex.style.formatting", "titlecase", TitleCaseStyle)
