"""The two editions as built: a Spanish page for every English one, switcher links that resolve
both ways, hreflang alternates and the right <html lang> (run by make test after the build)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

pytestmark = [pytest.mark.book, pytest.mark.skipif(
    not (Path(__file__).resolve().parents[1] / "_build" / "html" / "es").is_dir(),
    reason="the Spanish edition is not built: make builds it only with BOOK_EDITIONS='en es' until it is translated")]

SWITCHER = re.compile(r'<p class="edition-switcher">.*?<a href="([^"]+)" hreflang="(\w+)"', re.S)


def _pages(root: Path) -> list[Path]:
    html = root / "_build" / "html"
    return sorted(p for p in (html / "chapters").glob("*.html"))


def _switch(page: Path) -> tuple[Path, str]:
    match = SWITCHER.search(page.read_text(encoding="utf-8"))
    assert match, f"{page}: no language switcher"
    return (page.parent / match[1]).resolve(), match[2]


def test_every_page_has_a_switcher_that_resolves_both_ways(root):
    pages = _pages(root)
    assert pages
    for english in pages:
        spanish, lang = _switch(english)
        assert lang == "es" and spanish == (root / "_build/html/es/chapters" / english.name).resolve()
        assert spanish.is_file(), f"{english.name}: the switcher's Spanish page is missing"
        back, lang = _switch(spanish)
        assert lang == "en" and back == english.resolve()


def test_html_lang_and_hreflang_alternates(root):
    for english in _pages(root):
        spanish = root / "_build/html/es/chapters" / english.name
        for page, lang in ((english, "en"), (spanish, "es")):
            text = page.read_text(encoding="utf-8")
            assert re.search(rf'<html lang="{lang}"', text), page
            alternates = dict(re.findall(r'<link rel="alternate" hreflang="(\w+)" href="([^"]+)"', text))
            assert set(alternates) == {"en", "es"}, page
            for href in alternates.values():
                if not href.startswith("http"):
                    assert (page.parent / href).resolve().is_file(), f"{page}: {href}"
