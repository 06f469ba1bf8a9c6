"""Sphinx extension: the themes' own words in the edition's language, as a Spanish editor writes them.

Sphinx and both themes ship Spanish catalogues, and the Spanish edition uses them (Sphinx loads
them for ``language: es``). What a reader still saw in English or in poor Spanish is translated
in the book's catalogue of these words, ``locales/<lang>/LC_MESSAGES/theme.po``, which this
module puts in front of the shipped ones:

- Sphinx's own domain (``sphinx``: the footer's "Actualizado por última vez el 1 de diciembre",
  not "en") and sphinx-book-theme's (``booktheme``: the download menu's "Descargar esta página",
  not "Descarga esta pagina"): the book's messages first, the shipped catalogues as the fallback
  for every other word (`put_book_words_first`, when the configuration is read, before the
  templates are set up).
- The search page's words come from ``_static/translations.js``, which Sphinx copies from its
  package (its Spanish has "ningún documentos … usted allá seleccionado"): `rewrite_search_words`
  gives that file the book's translation of each message it holds.
- sphinx-book-theme writes its sidebar toggles' titles ("Toggle primary sidebar") into its
  templates, where no catalogue reaches: the book's copies of the two components
  (``templates_theme/``, first on the template path) ask `theme_word` for them.
- jupyter-book sets the search field's text ("Search this book...") as a theme option, which no
  catalogue reaches either: `migration_report.build.editions` sets it for each edition.

The catalogue is not Sphinx's ``sphinx.po``: `make translations` (sphinx-intl) keeps that one in
step with the messages of the book's own templates and would retire these. The English edition
has no such catalogue and keeps the themes' English.
"""

from __future__ import annotations

import gettext
import io
import json
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from sphinx import locale

CATALOGUE = "theme"  # locales/<lang>/LC_MESSAGES/theme.po
DOMAINS = ("sphinx", "booktheme")  # Sphinx's own and pydata-sphinx-theme's words; sphinx-book-theme's
TEMPLATES = Path(__file__).resolve().parent / "templates_theme"
TRANSLATIONS_JS = Path("_static") / "translations.js"
JS_PREFIX = "Documentation.addTranslations("


def book_catalogue(srcdir, locale_dirs, language: str | None):
    """The book's catalogue of the themes' words for LANGUAGE (a Babel catalogue), or None."""
    if not language or language == "en":
        return None
    for folder in locale_dirs:
        path = Path(srcdir) / folder / language / "LC_MESSAGES" / f"{CATALOGUE}.po"
        if path.is_file():
            with path.open("rb") as handle:
                return read_po(handle)
    return None


def finished(catalogue) -> dict[str, str]:
    """The catalogue's translated, non-fuzzy messages: {msgid: msgstr}."""
    return {m.id: m.string for m in catalogue if m.id and isinstance(m.id, str) and m.string and not m.fuzzy}


def _translations(catalogue, fallback) -> gettext.GNUTranslations:
    compiled = io.BytesIO()
    write_mo(compiled, catalogue)
    compiled.seek(0)
    ours = gettext.GNUTranslations(compiled)
    if fallback is not None:
        ours.add_fallback(fallback)
    return ours


def put_book_words_first(app, config) -> None:
    """The book's copies of the theme's components first on the template path, and the book's
    catalogue in front of each shipped one: `sphinx.locale.translators`, which get_translation()
    reads when a word is needed, and the application's translator, which the templates get."""
    config.templates_path = [str(TEMPLATES), *config.templates_path]
    catalogue = book_catalogue(app.srcdir, config.locale_dirs, config.language)
    if catalogue is None:
        return
    for domain in DOMAINS:
        key = ("general", domain)
        shipped = locale.translators.get(key)
        ours = _translations(catalogue, shipped)
        locale.translators[key] = ours
        if domain == "sphinx" and app.translator is shipped:
            app.translator = ours


def add_theme_word(app) -> None:
    """`theme_word(message)` in the templates: MESSAGE in the edition's language (the book's catalogue
    first), for words a theme writes into its templates untranslated."""
    if app.builder.format == "html":
        translator = app.translator
        app.builder.templates.environment.globals["theme_word"] = translator.gettext


def search_words(text: str, words: dict[str, str]) -> str:
    """TEXT of a translations.js with each message WORDS translates replaced by the book's translation."""
    start, end = text.index(JS_PREFIX) + len(JS_PREFIX), text.rindex(")")
    data = json.loads(text[start:end])
    messages = data.get("messages", {})
    for msgid in messages:
        if msgid in words:
            messages[msgid] = words[msgid]
    return JS_PREFIX + json.dumps(data, ensure_ascii=False, indent=4, sort_keys=True) + ");\n"


def rewrite_search_words(app, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    path = Path(app.outdir) / TRANSLATIONS_JS
    catalogue = book_catalogue(app.srcdir, app.config.locale_dirs, app.config.language)
    if catalogue is None or not path.is_file():
        return
    # From Sphinx's own file, not the copy in the output: a build that writes no page copies nothing,
    # and the copy is then the one this and the Content-Security-Policy step rewrote last time.
    shipped = app.builder._get_translations_js()  # private, but the one place Sphinx names the file it copies
    if not shipped:
        return
    text = Path(shipped).read_text(encoding="utf-8")
    path.write_text(search_words(text, finished(catalogue)), encoding="utf-8")


def setup(app):
    app.connect("config-inited", put_book_words_first)
    app.connect("builder-inited", add_theme_word)
    app.connect("build-finished", rewrite_search_words)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
