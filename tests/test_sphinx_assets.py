"""What a page loads (migration_report.sphinx.assets): the theme's blocks without the scripts no page
uses, and an icon font cut down to the icons the book shows."""

from __future__ import annotations

import io

import pytest

from migration_report.sphinx import assets as sphinx_assets

THEME_CSS = (r'.fa-sun:before{content:"\f185"}.fa-magnifying-glass:before,.fa-search:before{content:"\f002"}'
             r'.fa-unused:before{content:"\f0e7"}:root{--pst-icon-download:"\f019";'
             '--pst-breadcrumb-divider:"\uf105"}'  # the character itself, as the theme writes it
             r'.onthispage:after{content:"\f107";font-family:Font Awesome\ 6 Free}')


def test_without_scripts_takes_out_only_the_named_scripts():
    head = ('<script src="../_static/searchtools.js"></script>\n'
            '<script src="../searchindex.js"></script>\n'
            '<script defer src="../_static/scripts/fontawesome.js?digest=55c2"></script>\n'
            '<script src="../_static/doctools.js?v=9a2d"></script>')
    kept = sphinx_assets.without_scripts(head, "_static/searchtools.js", "searchindex.js", "scripts/fontawesome.js")
    assert str(kept).strip() == '<script src="../_static/doctools.js?v=9a2d"></script>'


def test_the_icons_kept_are_those_named_in_pages_and_drawn_by_stylesheets(tmp_path):
    assert sphinx_assets.icon_codepoints(THEME_CSS) == {"fa-sun": 0xF185, "fa-magnifying-glass": 0xF002,
                                                        "fa-search": 0xF002, "fa-unused": 0xF0E7}
    # Variables and pseudo-elements (download links, breadcrumbs, the contents toggle), escaped or not.
    assert sphinx_assets.drawn_codepoints(THEME_CSS) == {0xF019, 0xF105, 0xF107}
    static = tmp_path / "_static"
    static.mkdir()
    (tmp_path / "page.html").write_text('<i class="fa-solid fa-sun"></i>', encoding="utf-8")
    (static / "theme.js").write_text('icon.className = "fa-solid fa-magnifying-glass";', encoding="utf-8")
    (static / "theme.css").write_text(THEME_CSS, encoding="utf-8")
    assert sphinx_assets.used_codepoints(tmp_path, THEME_CSS) == {0xF185, 0xF002, 0xF019, 0xF105, 0xF107}


@pytest.fixture(scope="module")
def theme_font():
    import pydata_sphinx_theme
    from pathlib import Path

    font = (Path(pydata_sphinx_theme.__file__).parent / "theme" / "pydata_sphinx_theme" / "static" / "vendor"
            / "fontawesome" / "webfonts" / "fa-solid-900.ttf")
    assert font.is_file(), font
    return font


def test_the_subset_holds_the_icons_asked_for_and_is_the_same_every_time(theme_font, tmp_path):
    from fontTools.ttLib import TTFont

    wanted = {0xF185, 0xF002, 0xF019}
    sphinx_assets.write_subset(theme_font, tmp_path / "a.woff", wanted)
    sphinx_assets.write_subset(theme_font, tmp_path / "b.woff", wanted)
    data = (tmp_path / "a.woff").read_bytes()
    assert data == (tmp_path / "b.woff").read_bytes() and data[:4] == b"wOFF"
    assert len(data) < 5_000 < theme_font.stat().st_size
    font = TTFont(io.BytesIO(data))
    assert set(font.getBestCmap()) == wanted
    # The font's own name and copyright records stay (its licence, SIL OFL 1.1, asks for them).
    assert font["name"].getDebugName(1) == "Font Awesome 6 Free Solid"
    assert font["name"].getDebugName(0) == "Copyright (c) Font Awesome"
