"""The themes' own words in the Spanish edition (migration_report.sphinx.theme_words, issue 24)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import sphinx
import sphinx_book_theme
from babel.messages.pofile import read_po

from migration_report.sphinx import theme_words as words

SHIPPED_JS = Path(sphinx.__file__).parent / "locale" / "es" / "LC_MESSAGES" / "sphinx.js"
BOOK_THEME = Path(sphinx_book_theme.__file__).parent / "theme" / "sphinx_book_theme"


def _catalogue(root):
    return words.finished(words.book_catalogue(root, ["locales"], "es"))


def test_the_search_page_gets_the_books_spanish_and_keeps_sphinxs_other_words(root):
    shipped = SHIPPED_JS.read_text(encoding="utf-8")
    rewritten = words.search_words(shipped, _catalogue(root))
    messages = json.loads(rewritten[len(words.JS_PREFIX):rewritten.rindex(")")])["messages"]
    before = json.loads(shipped[shipped.index("(") + 1:shipped.rindex(")")])["messages"]
    no_match = ("Your search did not match any documents. Please make sure that all words are spelled correctly "
                "and that you've selected enough categories.")
    assert "ningún documentos" in before[no_match] and "usted allá" in before[no_match]  # what readers saw
    assert messages[no_match].startswith("Su búsqueda no coincidió con ninguna página.")
    assert set(messages) == set(before)
    assert {k: v for k, v in messages.items() if v != before[k]} == {
        k: v for k, v in _catalogue(root).items() if k in before and v != before[k]}
    assert rewritten.startswith(words.JS_PREFIX) and rewritten.endswith(");\n")


def test_the_catalogue_replaces_the_shipped_spanish_it_corrects(root):
    mine = _catalogue(root)
    assert mine["Download this page"] == "Descargar esta página"
    assert mine["Last updated on %(last_updated)s."] == "Actualizado por última vez el %(last_updated)s."
    with open(BOOK_THEME / "static" / "locales" / "es" / "LC_MESSAGES" / "booktheme.po", "rb") as handle:
        shipped = {m.id: m.string for m in read_po(handle) if m.id}
    assert shipped["Download this page"] == "Descarga esta pagina"  # the theme's, without its accent


def test_the_book_copies_the_theme_components_but_for_their_translated_title():
    for name in ("toggle-primary-sidebar.html", "toggle-secondary-sidebar.html"):
        theirs = (BOOK_THEME / "components" / name).read_text(encoding="utf-8")
        ours = (words.TEMPLATES / name).read_text(encoding="utf-8")
        title = re.search(r'title="([^"]+)"', theirs).group(1)
        ours_body = re.sub(r"\{#-.*?-#\}\n", "", ours, count=1)
        assert ours_body == theirs.replace(f'title="{title}"', f"title=\"{{{{ theme_word('{title}') }}}}\""), name
