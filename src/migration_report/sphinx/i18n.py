"""Sphinx extension for the book's two editions (English, and Spanish from gettext catalogues).

- Glue in translated messages. Sphinx's Locale transform re-parses each translated message
  (`sphinx.transforms.i18n.publish_msgstr`) with the page's parser on a new, empty document.
  MyST-NB's parser sees the ``<translated>`` source and falls back to plain MyST, and by then
  it has already removed its element renderer, which holds the notebook's glue data, from the
  page's document: every ``{glue:text}`` or ``{glue:md}`` role inside a translated paragraph
  fails with "No key … found in glue data". `NotebookParser` keeps the page's renderer for the
  rest of the page's reading (in ``env.temp_data``) and lends it to the documents of the
  translated messages, so they see the same glue data, from the same execution, as the original.
  Upstream: the fallback is MyST-NB 1.4.0's `myst_nb.sphinx_.Parser.parse` (the ``<translated>``
  branch); a search of the stored MyST-NB issue threads found no report of it, so none is linked.
- Glued Markdown is not for translation: tables and text made by code from data would put
  data-dependent messages into the catalogues (a new month, a new row: a new "untranslated"
  message). Everything MyST-NB renders from a glued or displayed ``text/markdown`` output is
  marked ``translatable = False``; code translates such text itself (`migration_report.core.i18n`).
- Ids unique in a page. Each translated message is parsed on a new document, whose automatic ids
  start again at ``id1`` (a citation's ``{cite}`` role takes one): the Spanish glossary had three
  ``id1``. A repeated id is renumbered, keeping the one the page's document registered.
- A translated message is text, not new markup: before Sphinx publishes it, it is checked against its
  English (`migration_report.core.message_markup`), and after parsing for raw output. Raw HTML, a directive
  or role its English lacks, a raw directive, a link elsewhere than http, https or mailto is refused
  with a warning (an error under -W) naming the message's catalogue file and line, and the message is
  published as plain text, so nothing of it runs even when warnings do not stop the build.
- A glossary in alphabetical order in every edition: the English one is written in order, and a
  translation sorts its translated terms (accents and case aside, numbers by value: "Título 8"
  before "Título 42"), so a Spanish reader finds "Año fiscal" among the A's.
- Every HTML page links the same page in the other edition (a language switcher at the top of
  the page), with ``<link rel="alternate" hreflang>`` for both and ``x-default`` for the English
  one (absolute once the book has an address); ``<html lang>`` is Sphinx's ``language``, which each
  edition's configuration sets.
"""

from __future__ import annotations

import html
import os
import re
import unicodedata
from pathlib import Path, PurePosixPath

from docutils import nodes
from sphinx import addnodes
from myst_nb.sphinx_ import Parser as MystNbParser

from sphinx.util import logging

from migration_report.core.edition import PREFIX, catalogue_path

RENDERER_KEY = "migration_report_nb_renderer"  # in env.temp_data: the page's MyST-NB element renderer
TRANSLATED_SUFFIX = "<translated>"  # how publish_msgstr names the source of a translated message

# The editions: where each one's root is relative to the English root.
EDITIONS = {"en": "", **PREFIX}

logger = logging.getLogger(__name__)


class _KeepRenderer(dict):
    """A document's attributes, which remember the MyST-NB renderer when the parser removes it."""

    def __init__(self, attributes: dict, temp_data: dict):
        super().__init__(attributes)
        self._temp_data = temp_data

    def __setitem__(self, key, value):
        if key == "nb_renderer":
            _untranslatable_markdown(value)
            self._temp_data[RENDERER_KEY] = value
        super().__setitem__(key, value)


def _untranslatable_markdown(renderer) -> None:
    """Mark every node the renderer parses from a text/markdown output as not to be translated."""
    base = renderer._render_markdown_base

    def render(data, *, fmt, inline):
        result = base(data, fmt=fmt, inline=inline)
        for node in result:
            for element in node.findall(nodes.TextElement):
                # Not on inline nodes: Sphinx's RemoveTranslatableInline unwraps any inline that
                # carries the key, which would strip the verdict badges' classes; inline nodes are
                # never extracted on their own anyway.
                if not isinstance(element, nodes.Inline):
                    element["translatable"] = False
        return result

    renderer._render_markdown_base = render


class NotebookParser(MystNbParser):
    """MyST-NB's notebook parser, whose translated messages see the page's glue data."""

    def parse(self, inputstring: str, document: nodes.document) -> None:
        env = getattr(document.settings, "env", None) or self.env
        if document.current_source and document.current_source.endswith(TRANSLATED_SUFFIX):
            renderer = env.temp_data.get(RENDERER_KEY)
            if renderer is not None:
                document.attributes["nb_renderer"] = renderer
            where, msgid = catalogue_entry(env, inputstring)
            refused = refuse(env, where, translation_problems(msgid, inputstring))
            try:
                super().parse(_as_text(inputstring) if refused else inputstring, document)
            finally:
                document.attributes.pop("nb_renderer", None)
            raw = [] if refused else list(document.findall(nodes.raw))
            if refuse(env, where, [f"raw output {_shown(node.astext())!r}" for node in raw]):
                for node in raw:
                    node.replace_self(nodes.Text(node.astext()))
            return None
        document.attributes = _KeepRenderer(document.attributes, env.temp_data)
        super().parse(inputstring, document)


def translation_problems(msgid: str | None, msgstr: str) -> list[str]:
    from migration_report.core.message_markup import problems, unsafe_markup

    return problems(msgid, msgstr) if msgid is not None else unsafe_markup(msgstr)


def refuse(env, where: str, reasons: list[str]) -> bool:
    """Warn about each reason once (Sphinx may publish a message twice), and say whether there was one."""
    reported = env.temp_data.setdefault("migration_report_refused_markup", set())
    for reason in reasons:
        if (where, reason) in reported:
            continue
        reported.add((where, reason))
        logger.warning(f"the translation has {reason}; a translation keeps the markup of its English and adds "
                       "none, so it is published as plain text", location=where, type="i18n", subtype="markup")
    return bool(reasons)


def _shown(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= 80 else text[:77] + "..."


def _as_text(msgstr: str) -> str:
    from migration_report.core.outputs import escape

    return escape(msgstr)


_CATALOGUES: dict[tuple[str, str], dict[str, tuple[int, str]]] = {}


def catalogue_entry(env, msgstr: str) -> tuple[str, str | None]:
    """Where the message MSGSTR of the page being read is in its catalogue ("file:line", relative to the
    book) and its English; the page's translated source line and None when it is not found there."""
    from babel.messages.pofile import read_po

    language, docname = env.config.language or "en", env.docname
    path = catalogue_path(Path(env.srcdir), language, docname)
    key = (str(path), language)
    if key not in _CATALOGUES:
        entries = {}
        if path.is_file():
            with path.open("rb") as handle:
                for message in read_po(handle):
                    if message.id and message.string and isinstance(message.string, str):
                        entries.setdefault(message.string, (message.lineno, message.id))
        _CATALOGUES[key] = entries
    # Sphinx underlines a section title's translation (Locale.apply), "title\n====", before parsing it
    plain = re.sub(r"\n=+\Z", "", msgstr.removesuffix("\n\n   dummy literal"))
    found = _CATALOGUES[key].get(plain)
    if found is None:
        return f"{env.doc2path(docname)}", None
    return f"{path.relative_to(Path(env.srcdir)).as_posix()}:{found[0]}", found[1]


def edition_links(pagename: str, language: str, base_url: str | None) -> list[dict]:
    """Each edition's address of PAGENAME (relative to the page, and absolute when the book has an
    address), for the switcher and the hreflang links; the current edition first."""
    here = EDITIONS[language]
    up = "../" * PurePosixPath(pagename).as_posix().count("/") + "../" * here.count("/")
    root = base_url[: len(base_url) - len(here)] if base_url and here and base_url.endswith(here) else base_url
    links = []
    for lang in sorted(EDITIONS, key=lambda code: code != language):
        target = f"{EDITIONS[lang]}{pagename}.html"
        links.append({"lang": lang, "relative": up + target,
                      "absolute": (root + target) if root else None, "current": lang == language})
    return links


# The switcher's link, in the language of the page it leads to (a reader who needs it reads that one).
SWITCHER_TEXT = {"en": "This page in English", "es": "Esta página en español"}


def editions_built() -> list[str]:
    """The editions this build publishes (scripts/build-book exports BOOK_EDITIONS); English alone by default."""
    return os.environ.get("BOOK_EDITIONS", "en").split()


def add_edition_links(app, pagename, templatename, context, doctree):
    language = app.config.language or "en"
    if language not in EDITIONS or doctree is None or len(set(editions_built()) & set(EDITIONS)) < 2:
        return  # no switcher to an edition that is not published
    links = edition_links(pagename, language, app.config.html_baseurl or None)
    default = next(link for link in links if link["lang"] == "en")  # for a reader of neither language
    head = "".join(f'<link rel="alternate" hreflang="{lang}" href="{html.escape(link["absolute"] or link["relative"])}" />\n'
                   for lang, link in [(link["lang"], link) for link in links] + [("x-default", default)])
    context["metatags"] = context.get("metatags", "") + head
    other = [link for link in links if not link["current"]]
    items = " · ".join(f'<a href="{html.escape(link["relative"])}" hreflang="{link["lang"]}" lang="{link["lang"]}">'
                       f'{html.escape(SWITCHER_TEXT[link["lang"]])}</a>' for link in other)
    context["body"] = f'<p class="edition-switcher">{items}</p>\n' + context.get("body", "")


def unique_ids(app, doctree) -> None:
    """Renumber the ids that translated messages repeated (see the module's docstring)."""
    elements = list(doctree.findall(nodes.Element))
    in_page = {id(element) for element in elements}  # the document may still register replaced nodes
    taken = {id_ for element in elements for id_ in element["ids"]}
    seen: set[str] = set()
    counter = 1
    for element in elements:
        ids = []
        for id_ in element["ids"]:
            owner = doctree.ids.get(id_)
            if id_ in seen or (owner is not None and owner is not element and id(owner) in in_page):
                while f"id{counter}" in taken:
                    counter += 1
                id_ = f"id{counter}"
                taken.add(id_)
                doctree.ids[id_] = element
            seen.add(id_)
            ids.append(id_)
        element["ids"] = ids


def adopt_translated_nodes(app, doctree) -> None:
    """Make the page's document the document of the nodes that translated messages brought in.

    Sphinx parses each translated message as a document of its own and moves its nodes into the
    page, where they still name that document as theirs, and it names the build environment in
    its settings: so the page's saved doctree held a copy of the environment (every figure's data)
    for each of them, 500 KB a page, read back each time a page is written or a number resolved.
    """
    for tree in (doctree, *doctree.ids.values()):
        for node in tree.findall():
            if getattr(node, "_document", None) not in (None, doctree):
                node.document = doctree


def sort_key(term: str) -> tuple:
    """A glossary term's place in alphabetical order: without accents or case, numbers by value."""
    folded = "".join(c for c in unicodedata.normalize("NFKD", term) if not unicodedata.combining(c)).casefold()
    return tuple((0, int(part), "") if part.isdigit() else (1, 0, part) for part in re.split(r"(\d+)", folded) if part)


def sort_glossaries(app, doctree) -> None:
    """Each glossary of a translated page in the alphabetical order of its translated terms."""
    if (app.config.language or "en") == "en":
        return
    for glossary in doctree.findall(addnodes.glossary):
        for entries in glossary.findall(nodes.definition_list):
            items = sorted(entries.children, key=lambda item: sort_key(item[0].astext()))
            entries.children = []
            entries.extend(items)


def setup(app):
    from migration_report.sphinx import theme_words

    theme_words.setup(app)  # the themes' own words in the edition's language
    app.add_source_parser(NotebookParser, override=True)
    app.connect("html-page-context", add_edition_links)
    app.connect("doctree-read", unique_ids)
    app.connect("doctree-read", sort_glossaries)
    app.connect("doctree-read", adopt_translated_nodes)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
