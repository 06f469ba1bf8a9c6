"""A small Sphinx extension that fixes two faults in the HTML the pinned toolchain writes.

Listed under `sphinx: extra_extensions` in _config.yml; the browser checks in
tests/test_browser.py fail without it.

1. Sphinx 7.4 writes every inline script that an extension registers after the builder has
   started twice: once from the builder's own list (filename None) and once more when it
   re-reads the registry before writing (filename ''). sphinx-thebe registers
   `const THEBE_JS_URL = ...` that way, so every page threw "Identifier 'THEBE_JS_URL' has
   already been declared" in the browser console. The copies in the builder's list are dropped
   once reading is done; the registry puts each back once.
2. MyST-NB copies its stylesheet into _static only when the build finishes, so on a clean build
   no page gets the stylesheet's `?v=` checksum while on a rebuild the re-written pages do: two
   builds of the same sources differed. The stylesheet is copied before any page is written.
3. Docutils 0.21 marks each bibliography entry with the ARIA role `doc-biblioentry`, which
   DPUB-ARIA 1.1 deprecates; axe-core then sees a `role="list"` whose children are not list
   items (a critical violation on the References page). Entries are written as `listitem`.

4. MyST-NB writes each folded code cell's toggle as `<summary aria-label="Toggle hidden content">`
   holding two `<p>` (its "Show"/"Hide" prompts): HTML allows no `<p>` in a `<summary>` (the Nu
   Html Checker's error on every such page), and the label a screen reader announced differed
   from the words on the screen (WCAG's "label in name"). The prompts are written as `<span>`s
   (styled as MyST-NB styles its `<p>`s, in _static/custom.css), and the summary is named by the
   one that shows.

5. The book's address with no page (index.html) is a redirect to the introduction, which
   sphinx-external-toc writes as a bare `<meta http-equiv="Refresh">` line: no doctype, title or
   language. It is written here first, as a whole page in the edition's language with a link.
6. The themes copy two Jinja macro files (webpack-macros.html, sbt-webpack-macros.html) from their
   static folders into the book's _static, unrendered: pages nobody should open, which no page
   uses (the themes read them from their own folders). They are removed from the output.

Fixes 1 and 3 reach into internals (`app.builder._js_files`, docutils' `_html_base` translator),
so `setup` checks the versions they were written for and stops the build, loudly, on any other:
re-check each fault against the new version, then widen `PATCHED_FOR`.
"""

from __future__ import annotations

from pathlib import Path

import docutils
import sphinx
from docutils import nodes
from docutils.writers._html_base import HTMLTranslator
from sphinx.errors import ExtensionError

# The release series each patch was written against (major, minor).
PATCHED_FOR = {
    # Fix 1: duplicated inline scripts. Fixed upstream by https://github.com/sphinx-doc/sphinx/pull/13402
    # (Sphinx 8.2): on such a version drop _drop_duplicate_inline_scripts instead of widening this.
    "sphinx": (7, 4),
    # Fix 3: role="doc-biblioentry", deprecated by DPUB-ARIA 1.1 (https://github.com/w3c/dpub-aria/pull/22);
    # docutils 0.21 still writes it.
    "docutils": (0, 21),
}


def check_versions(versions: dict[str, str]) -> None:
    """Stop the build if a patched package is not at the release series its patch was written for."""
    for name, expected in PATCHED_FOR.items():
        found = tuple(int(part) for part in versions[name].split(".")[:2])
        if found != expected:
            raise ExtensionError(
                f"migration_report.sphinx.html patches {name} {expected[0]}.{expected[1]} internals, but {name} "
                f"{versions[name]} is installed: check the patch against it (see the module's docstring and "
                "PATCHED_FOR for the upstream fix) before widening the guard"
            )


def _drop_duplicate_inline_scripts(app, env) -> None:
    scripts = getattr(app.builder, "_js_files", None)
    if scripts is None:
        return
    registered = [
        ({k: v for k, v in attrs.items() if k != "priority"}, attrs.get("priority", 500))
        for filename, attrs in app.registry.js_files
        if not filename
    ]
    scripts[:] = [
        js for js in scripts
        if not (js.filename is None and (js.attributes, js.priority) in registered)
    ]


def _copy_mystnb_css_first(app) -> None:
    if app.builder.format != "html":
        return
    from myst_nb.sphinx_ext import add_global_html_resources

    (Path(app.outdir) / "_static").mkdir(parents=True, exist_ok=True)
    add_global_html_resources(app, None)


def visit_citation(self, node) -> None:
    if not isinstance(node.previous_sibling(), type(node)):
        self.body.append('<div role="list" class="citation-list">\n')
    self.body.append(self.starttag(node, "div", classes=[node.tagname], role="listitem"))


def visit_hidden_cell(self, node) -> None:
    from html import escape

    classes = " ".join(node["classes"])
    self.body.append(f'<details class="admonition hide {classes}">\n<summary>\n')
    for state, prompt in (("collapsed", node["prompt_show"]), ("expanded", node["prompt_hide"])):
        self.body.append(f'<span class="{state} admonition-title">{escape(prompt)}</span>\n')
    self.body.append("</summary>\n")


def depart_hidden_cell(self, node) -> None:
    self.body.append("</details>\n")


REDIRECT_PAGE = """<!DOCTYPE html>
<html lang="{language}">
<head>
<meta charset="utf-8">
<meta http-equiv="Refresh" content="0; url={target}">
<title>{title}</title>
</head>
<body>
<p><a href="{target}">{title}</a></p>
</body>
</html>
"""
THEME_TEMPLATES = ("_static/webpack-macros.html", "_static/sbt-webpack-macros.html")


def write_redirect_page(app, exception) -> None:
    if exception is not None or app.builder.format != "html" or app.config.root_doc == "index":
        return
    from html import escape

    target = app.builder.get_target_uri(app.config.root_doc)
    page = REDIRECT_PAGE.format(language=escape(app.config.language or "en"), target=escape(target),
                                title=escape(app.config.html_title or app.config.project))
    (Path(app.outdir) / "index.html").write_text(page, encoding="utf-8")


def remove_theme_templates(app, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    for name in THEME_TEMPLATES:
        (Path(app.outdir) / name).unlink(missing_ok=True)


def setup(app):
    check_versions({"sphinx": sphinx.__version__, "docutils": docutils.__version__})
    app.connect("env-updated", _drop_duplicate_inline_scripts)
    app.connect("builder-inited", _copy_mystnb_css_first)
    app.add_node(nodes.citation, override=True, html=(visit_citation, HTMLTranslator.depart_citation))
    from myst_nb.sphinx_ import HideCodeCellNode

    app.add_node(HideCodeCellNode, override=True, html=(visit_hidden_cell, depart_hidden_cell))
    # before sphinx-external-toc's (priority 500), which writes a bare redirect when there is none
    app.connect("build-finished", write_redirect_page, priority=400)
    app.connect("build-finished", remove_theme_templates)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
