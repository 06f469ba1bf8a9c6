"""The Spanish edition's Sphinx machinery on a scratch book: glue inside translated messages,
glued Markdown kept out of the catalogues, the switcher's addresses, the generated settings."""

from __future__ import annotations

import json
import re

import nbformat
import pytest
import sphinx.locale
import yaml
from sphinx.application import Sphinx
from sphinx.util.docutils import docutils_namespace, patch_docutils

from migration_report.build import editions as edition
from migration_report.sphinx import i18n as sphinx_i18n


def _notebook() -> nbformat.NotebookNode:
    # An executed notebook, as the cache gives it: a glued number and a glued Markdown table.
    code = nbformat.v4.new_code_cell("glue(...)")
    code.outputs = [
        nbformat.v4.new_output("display_data", data={"text/plain": "272000"},
                               metadata={"scrapbook": {"name": "people", "mime_prefix": ""}}),
        nbformat.v4.new_output("display_data", data={"text/markdown": "| Country | People |\n| --- | --- |\n| Narnia | 5 |",
                                                     "text/plain": "<Markdown>"},
                               metadata={"scrapbook": {"name": "table", "mime_prefix": ""}}),
    ]
    return nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("# Title\n\nMore than {glue:text}`people:,` people entered."),
        code,
        nbformat.v4.new_markdown_cell("```{glue:md} table\n:format: myst\n```"),
    ], metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}})


def _book(tmp_path, translations: dict[str, str]):
    src = tmp_path / "src"
    (src / "locales" / "es" / "LC_MESSAGES").mkdir(parents=True)
    nbformat.write(_notebook(), src / "page.ipynb")
    entries = "".join(f"msgid {json.dumps(k, ensure_ascii=False)}\nmsgstr {json.dumps(v, ensure_ascii=False)}\n\n" for k, v in translations.items())
    (src / "locales" / "es" / "LC_MESSAGES" / "page.po").write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n' + entries, encoding="utf-8")
    return src


def _build(src, out, builder: str, language: str) -> Sphinx:
    overrides = {"extensions": ["myst_nb", "migration_report.sphinx.i18n"], "language": language,
                 "locale_dirs": ["locales"], "nb_execution_mode": "off", "root_doc": "page",
                 "exclude_patterns": ["_build", "locales"], "gettext_compact": False}
    # A namespace of its own, as sphinx-build has: docutils' registries are global to the process, and
    # so are Sphinx's loaded catalogues (another test's page.po would be read first).
    sphinx.locale.translators.clear()
    with patch_docutils(src), docutils_namespace():
        app = Sphinx(str(src), None, str(out), str(out / ".doctrees"), builder, confoverrides=overrides,
                     status=None, warning=None, freshenv=True, warningiserror=True)
        app.build()
    return app


def test_glue_roles_work_inside_translated_messages(tmp_path):
    src = _book(tmp_path, {"More than {glue:text}`people:,` people entered.":
                           "Entraron más de {glue:text}`people:,` personas."})
    _build(src, tmp_path / "html", "html", "es")
    page = (tmp_path / "html" / "page.html").read_text(encoding="utf-8")
    assert "Entraron más de" in page and "272,000" in page  # the number, from the page's glue data
    assert "No key" not in page


def test_a_translated_pages_saved_doctree_holds_no_other_document(tmp_path):
    import pickle

    from sphinx.environment import BuildEnvironment

    src = _book(tmp_path, {"Title": "Título", "More than {glue:text}`people:,` people entered.":
                           "Entraron más de {glue:text}`people:,` personas."})
    _build(src, tmp_path / "html", "html", "es")
    saved = (tmp_path / "html" / ".doctrees" / "page.doctree").read_bytes()
    doctree = pickle.loads(saved)
    assert "Entraron" in doctree.astext()  # translated
    assert all(getattr(node, "_document", None) in (None, doctree) for node in doctree.findall())
    # Nor, with its settings, the build environment (each message's own document named it).
    assert BuildEnvironment.__name__.encode() not in saved


def test_glued_markdown_is_not_extracted_for_translation(tmp_path):
    src = _book(tmp_path, {})
    _build(src, tmp_path / "gettext", "gettext", "en")
    pot = (tmp_path / "gettext" / "page.pot").read_text(encoding="utf-8")
    assert "More than {glue:text}`people:,` people entered." in pot
    assert "Narnia" not in pot and "Country" not in pot  # made by code from data: code translates it


def test_edition_links_point_at_the_same_page_in_each_edition():
    english = sphinx_i18n.edition_links("chapters/flow-statistics", "en", "https://example.org/book/")
    spanish = sphinx_i18n.edition_links("chapters/flow-statistics", "es", "https://example.org/book/es/")
    assert [link["lang"] for link in english] == ["en", "es"] and [link["lang"] for link in spanish] == ["es", "en"]
    assert english[1]["relative"] == "../es/chapters/flow-statistics.html"
    assert spanish[1]["relative"] == "../../chapters/flow-statistics.html"
    assert english[1]["absolute"] == spanish[0]["absolute"] == "https://example.org/book/es/chapters/flow-statistics.html"
    assert english[0]["absolute"] == spanish[1]["absolute"] == "https://example.org/book/chapters/flow-statistics.html"
    assert sphinx_i18n.edition_links("index", "en", None)[1]["absolute"] is None


@pytest.mark.parametrize("baseurl", ["", "https://book.test/b/es/"])
def test_the_head_links_each_edition_and_the_english_one_as_the_default(monkeypatch, baseurl):
    from types import SimpleNamespace

    monkeypatch.setenv("BOOK_EDITIONS", "en es")
    app = SimpleNamespace(config=SimpleNamespace(language="es", html_baseurl=baseurl))
    context = {"metatags": "", "body": "<p>x</p>"}
    sphinx_i18n.add_edition_links(app, "chapters/about", "page.html", context, doctree=object())
    links = dict(re.findall(r'<link rel="alternate" hreflang="([\w-]+)" href="([^"]+)" />', context["metatags"]))
    if baseurl:  # absolute, as search engines require, once the book has an address
        assert links == {"es": "https://book.test/b/es/chapters/about.html", "en": "https://book.test/b/chapters/about.html",
                         "x-default": "https://book.test/b/chapters/about.html"}
    else:
        assert links == {"es": "../../es/chapters/about.html", "en": "../../chapters/about.html",
                         "x-default": "../../chapters/about.html"}


@pytest.mark.parametrize("baseurl", ["", "https://example.org/book/"])
def test_spanish_settings_and_toc_are_made_from_the_english_ones(tmp_path, baseurl):
    root = tmp_path / "book"
    (root / "locales" / "es" / "LC_MESSAGES" / "chapters").mkdir(parents=True)
    (root / "_config.yml").write_text(yaml.safe_dump({
        "title": "A book", "html": {"baseurl": baseurl}, "execute": {"cache": "_build/.jupyter_cache"},
        "sphinx": {"config": {"language": "en", "html_css_files": ["custom.css"]}}}), encoding="utf-8")
    (root / "_toc.yml").write_text(yaml.safe_dump({
        "format": "jb-book", "root": "chapters/introduction",
        "parts": [{"caption": "Chapters", "chapters": [{"file": "chapters/a"}]}, {"caption": "Untranslated", "chapters": []}]}))
    (root / "locales" / "es" / "LC_MESSAGES" / "chapters" / "introduction.po").write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\nmsgid "A book"\nmsgstr "Un libro"\n\n'
        'msgid "Chapters"\nmsgstr "Capítulos"\n\n#, fuzzy\nmsgid "Untranslated"\nmsgstr "Viejo"\n', encoding="utf-8")
    config_path, toc_path = edition.write_edition(root, "es", root / "_build" / "es")
    config, toc = yaml.safe_load(config_path.read_text()), yaml.safe_load(toc_path.read_text())
    assert config["title"] == "Un libro"
    assert config["sphinx"]["config"]["language"] == "es" and config["sphinx"]["config"]["locale_dirs"] == ["locales"]
    assert config["sphinx"]["config"]["html_css_files"] == ["custom.css"]  # everything else as in English
    assert config["execute"]["cache"] == "_build/.jupyter_cache-es"
    assert config["sphinx"]["config"]["today_fmt"] == config["sphinx"]["config"]["html_last_updated_fmt"] == "%-d de %B de %Y"
    assert config["sphinx"]["config"]["nb_code_prompt_show"] == "Mostrar el código que dibuja esta gráfica"
    assert config["html"]["baseurl"] == ("https://example.org/book/es/" if baseurl else "")
    assert [part["caption"] for part in toc["parts"]] == ["Capítulos", "Untranslated"]  # a fuzzy one is not used


# ---- a translated message is text: the markup it adds is refused, naming its catalogue and line ----

def _build_warnings(src, out) -> str:
    import io

    overrides = {"extensions": ["myst_nb", "migration_report.sphinx.i18n"], "language": "es",
                 "locale_dirs": ["locales"], "nb_execution_mode": "off", "root_doc": "page",
                 "exclude_patterns": ["_build", "locales"], "gettext_compact": False}
    warnings = io.StringIO()
    sphinx.locale.translators.clear()
    with patch_docutils(src), docutils_namespace():
        Sphinx(str(src), None, str(out), str(out / ".doctrees"), "html", confoverrides=overrides, status=None,
               warning=warnings, freshenv=True).build()
    return warnings.getvalue()


ENGLISH = "More than {glue:text}`people:,` people entered."


@pytest.mark.parametrize("translation, reason, live", [
    ("Entraron <img src=x onerror=alert(1)> {glue:text}`people:,` personas.",
     "raw HTML '<img src=x onerror=alert(1)>'", "<img src"),
    ("<script>alert(1)</script> {glue:text}`people:,`", "raw HTML '<script>alert(1)</script>", "<script>alert"),
    ("Entraron <SVG OnLoad=alert(1)> {glue:text}`people:,`", "raw HTML '<SVG OnLoad=alert(1)>'", "<SVG"),
    ('Entraron <a href="javascript:alert(1)">aquí</a> {glue:text}`people:,`',
     """raw HTML '<a href="javascript:alert(1)">'""", 'href="javascript'),
    ("Entraron {raw-html}`<b>x</b>` {glue:text}`people:,`", "the role {raw-html}, which emits raw output", "<b>x</b>"),
    ("Entraron {{ cycler.__init__.__globals__ }} {glue:text}`people:,`",
     "a substitution {{ cycler.__init__.__globals__ }}", "__globals__ }}<"),
    ("Entraron {doc}`page` {glue:text}`people:,`", "the role {doc}, which the English does not use",
     'class="reference internal" href="#"'),
])
def test_markup_a_translation_adds_is_refused_at_the_sphinx_parse(tmp_path, translation, reason, live):
    src = _book(tmp_path, {ENGLISH: translation, "Title": "<b>Tí</b>tulo"})
    warnings = _build_warnings(src, tmp_path / "html")
    # named by the catalogue file and the message's line in it, for each message
    assert f"locales/es/LC_MESSAGES/page.po:5: WARNING: the translation has {reason}" in warnings
    assert "locales/es/LC_MESSAGES/page.po:8: WARNING: the translation has raw HTML '<b>'" in warnings
    page = (tmp_path / "html" / "page.html").read_text(encoding="utf-8")
    assert live not in page  # published as text, so nothing of it is markup even where warnings pass
    assert "<h1>&lt;b&gt;Tí&lt;/b&gt;tulo" in page


def test_a_refused_translation_fails_a_build_whose_warnings_are_errors(tmp_path):
    from sphinx.errors import SphinxError

    src = _book(tmp_path, {ENGLISH: "Entraron <img src=x onerror=alert(1)> {glue:text}`people:,` personas."})
    with pytest.raises(SphinxError, match=r"^locales/es/LC_MESSAGES/page\.po:5:the translation has raw HTML '<img"):
        _build(src, tmp_path / "html", "html", "es")


def test_a_link_elsewhere_than_http_is_never_live(tmp_path):
    # MyST itself leaves [x](javascript:…) as text; the check refuses the other schemes it would link
    src = _book(tmp_path, {ENGLISH: "Entraron [aquí](javascript:alert(1)) [o aquí](ftp://example.org/x) "
                                    "[y](https://example.org/) {glue:text}`people:,`"})
    warnings = _build_warnings(src, tmp_path / "html")
    assert "a link to 'ftp://example.org/x' (only http, https and mailto addresses are published)" in warnings
    page = (tmp_path / "html" / "page.html").read_text(encoding="utf-8")
    assert 'href="javascript' not in page and 'href="ftp:' not in page


def test_a_translated_glossary_is_in_the_alphabetical_order_of_its_translated_terms():
    from types import SimpleNamespace

    from docutils import nodes
    from sphinx import addnodes

    def glossary(*terms):
        entries = nodes.definition_list()
        for term in terms:
            entries += nodes.definition_list_item("", nodes.term(text=term), nodes.definition())
        node = addnodes.glossary()
        node += entries
        document = nodes.document(None, None)
        document += node
        return document

    # the English order of the book's glossary, translated: "Fiscal year" came after "First release"
    terms = ("Encuentro", "Primera publicación", "Año fiscal", "Título 8", "Título 42", "Aprehensión", "AMEXCID")
    spanish = glossary(*terms)
    sphinx_i18n.sort_glossaries(SimpleNamespace(config=SimpleNamespace(language="es")), spanish)
    assert [t.astext() for t in spanish.findall(nodes.term)] == [
        "AMEXCID", "Año fiscal", "Aprehensión", "Encuentro", "Primera publicación", "Título 8", "Título 42"]
    english = glossary(*terms)  # the English edition keeps the order it is written in
    sphinx_i18n.sort_glossaries(SimpleNamespace(config=SimpleNamespace(language="en")), english)
    assert tuple(t.astext() for t in english.findall(nodes.term)) == terms
