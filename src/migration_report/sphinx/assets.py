"""Sphinx extension: each page loads what it uses, and nothing that blocks its first paint in vain.

The theme (pydata-sphinx-theme 0.17, under sphinx-book-theme) gave every page, even one of plain
text, about 880 KB (gzip) before its own content:

- `fontawesome.js` (543 KB gzip), Font Awesome's script that swaps each `<i class="fa-…">` for an
  SVG, "so that users can add custom icons" (the book adds none), and the icon font that the
  theme's stylesheet declares for the same icons (`fa-solid-900.woff2`, 156 KB, some 1,400 icons).
  The script is left out (the theme's stylesheet draws every `<i class="fa-…">` from the font
  alone, as it does for its own pseudo-element icons), and the font a page gets is cut down to the
  icons the book's pages, the theme's scripts and its stylesheet's icon variables use
  (`_static/icons.woff`, a few KB; `icons.css` declares it after the theme's declaration, which it
  replaces, so the full font is never fetched).
- `searchtools.js`, `language_data.js` and the search index (`searchindex.js`, about 70 KB) in
  the `<head>` of every page, without `defer`: the theme loads them for "search as you type",
  which is off (`search_as_you_type`), so only the search page uses them, and it loads them
  itself. The search box of every page still opens the theme's search field, which goes to
  the search page.

- nine scripts in the `<head>` without `defer` (Sphinx's, the copy and toggle buttons', the book
  theme's, the book's own `reader.js`), each holding up the page's first paint on a slow phone,
  although none draws anything before the page is read. They are deferred: they still run in the
  same order, before the page's `DOMContentLoaded`, where they set themselves up. Two stay as
  they are: `documentation_options.js`, which the inline scripts after it extend, and every
  script of the search page, whose `searchtools.js` runs as it loads and needs them.

- the assets of two extensions jupyter-book always loads, on pages that do not use them: the
  stylesheet and script of sphinx-design (its tabs, cards, dropdowns: on a page whose body has an
  `sd-` class) and of sphinx-thebe (live code cells, which need the launch button that
  `launch_buttons: thebe` turns on, and the book leaves off). Each stylesheet held up first paint.

The first two are taken out of the theme's `<head>` by `templates/layout.html`, which extends the theme's
layout and filters its blocks with `without_scripts`. Font Awesome's icons are CC BY 4.0 and its
font SIL OFL 1.1 (the theme ships both); the subset keeps the font's own name and licence tables.
"""

from __future__ import annotations

import re
from pathlib import Path

from markupsafe import Markup
from sphinx.util import logging

TEMPLATES = Path(__file__).with_name("templates")
FONT = "vendor/fontawesome/webfonts/fa-solid-900.ttf"  # in the HTML's _static/ (the theme's copy)
THEME_CSS = "styles/pydata-sphinx-theme.css"
STATIC = Path(__file__).with_name("assets_static")  # icons.css, which declares SUBSET
SUBSET = "icons.woff"  # written into the HTML's _static/ when the build ends
SUBSET_CSS = "icons.css"

logger = logging.getLogger(__name__)


def without_scripts(block, *names: str):
    """BLOCK (rendered template HTML) without the <script src="…"> elements whose address contains one of NAMES."""
    text = str(block)
    for name in names:
        text = re.sub(r'\s*<script\b[^>]*\bsrc="[^"]*' + re.escape(name) + r'[^"]*"[^>]*>\s*</script>', "", text)
    return Markup(text)


def add_paths(app, config) -> None:
    config.templates_path = [*config.templates_path, str(TEMPLATES)]
    config.html_static_path = [*config.html_static_path, str(STATIC)]


def add_filter(app) -> None:
    if app.builder.format == "html":
        app.builder.templates.environment.filters["without_scripts"] = without_scripts
        app.add_css_file(SUBSET_CSS)


# --- the icons a page can show -------------------------------------------------------------------

_ICON_RULE = re.compile(r'((?:\.fa-[a-z0-9-]+:(?::)?before,?)+)\{content:"\\([0-9a-f]+)"\}')
_CLASS = re.compile(r"\bfa-[a-z0-9-]+")
# An icon a stylesheet draws without a class (an admonition's, a download link's, a breadcrumb's
# divider): a character of the Private Use Area, where the font's icons are, written as it is or
# as a CSS escape, in a `content` or a custom property.
_DRAWN = re.compile(r"\\([ef][0-9a-f]{3})\b|([\ue000-\uf8ff])")


def icon_codepoints(theme_css: str) -> dict[str, int]:
    """Each icon class of the theme's stylesheet (fa-sun, fa-arrow-up …) and its glyph's code point."""
    icons = {}
    for selectors, code in _ICON_RULE.findall(theme_css):
        for name in re.findall(r"\.(fa-[a-z0-9-]+)", selectors):
            icons[name] = int(code, 16)
    return icons


def drawn_codepoints(css: str) -> set[int]:
    """The icons a stylesheet draws itself: every icon character it holds outside the rules that
    give each icon class its glyph."""
    rest = _ICON_RULE.sub("", css)
    return {int(escaped, 16) if escaped else ord(raw) for escaped, raw in _DRAWN.findall(rest)}


def used_codepoints(outdir: Path, theme_css: str) -> set[int]:
    """The glyphs the built book can show: the icon classes named in its pages and scripts, and
    the icons its stylesheets draw (admonitions, download links, breadcrumbs …)."""
    icons = icon_codepoints(theme_css)
    names = set()
    static = outdir / "_static"
    for path in [*outdir.rglob("*.html"), *static.rglob("*.js")]:
        names.update(_CLASS.findall(path.read_text(encoding="utf-8", errors="replace")))
    used = {icons[name] for name in names if name in icons}
    for path in static.rglob("*.css"):
        used |= drawn_codepoints(path.read_text(encoding="utf-8", errors="replace"))
    return used


def write_subset(source: Path, target: Path, codepoints: set[int]) -> None:
    """The font at SOURCE cut down to CODEPOINTS, as WOFF (zlib: fontTools' WOFF2 needs brotli).
    The same input gives the same bytes (fontTools keeps the font's own timestamps)."""
    from fontTools import subset

    options = subset.Options()
    options.flavor = "woff"
    options.name_IDs = ["*"]  # keep the copyright and licence records
    options.notdef_outline = True
    font = subset.load_font(str(source), options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted(codepoints))
    subsetter.subset(font)
    subset.save_font(font, str(target), options)


def write_icons(app, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    static = Path(app.outdir) / "_static"
    theme_css = (static / THEME_CSS).read_text(encoding="utf-8")
    write_subset(static / FONT, static / SUBSET, used_codepoints(Path(app.outdir), theme_css))


# --- deferred scripts -----------------------------------------------------------------------------

KEEP_BLOCKING = ("documentation_options.js",)  # the inline scripts after it set DOCUMENTATION_OPTIONS.*


# Assets of an extension, and whether a page uses it: (file names, inline script marker, test).
SD_CLASS = re.compile(r'class="[^"]*\bsd-')


def unused_assets(app, body: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(file names, inline script markers) of the extensions' assets that a page with BODY does not use."""
    files, inline = [], []
    if not SD_CLASS.search(body):
        files += ["sphinx-design.min.css", "design-tabs.js"]
    launch = (app.config.html_theme_options or {}).get("launch_buttons") or {}
    if not launch.get("thebe"):
        files += ["sphinx-thebe.css", "sphinx-thebe.js"]
        inline += ["THEBE_JS_URL"]
    return tuple(files), tuple(inline)


def drop_unused_assets(app, pagename, templatename, context, doctree) -> None:
    """Leave out of the page the stylesheets and scripts of extensions it does not use (see the
    module's docstring); Sphinx restores its lists after each page."""
    files, inline = unused_assets(app, context.get("body", ""))
    for key in ("css_files", "script_files"):
        assets = context.get(key)
        if assets is None:
            continue
        assets[:] = [a for a in assets if not (
            str(a.filename or "").split("?")[0].endswith(files)
            or (not a.filename and any(m in a.attributes.get("body", "") for m in inline)))]


def defer_scripts(app, pagename, templatename, context, doctree) -> None:
    """Give the page's script files `defer` (see the module's docstring); Sphinx restores its
    list of scripts after each page."""
    from sphinx.builders.html._assets import _JavaScript

    scripts = context.get("script_files")
    if pagename == "search" or not scripts:
        return
    for index, script in enumerate(scripts):
        name = str(script.filename or "")
        if (not name or "://" in name or name.endswith(KEEP_BLOCKING)
                or {"defer", "async"} & set(script.attributes) or script.attributes.get("type") == "module"):
            continue
        scripts[index] = _JavaScript(script.filename, priority=script.priority, **script.attributes, defer="defer")


def setup(app):
    app.connect("config-inited", add_paths)
    app.connect("builder-inited", add_filter)
    # After the extensions that add a page's own scripts.
    app.connect("html-page-context", drop_unused_assets, priority=900)
    app.connect("html-page-context", defer_scripts, priority=901)
    app.connect("build-finished", write_icons)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
