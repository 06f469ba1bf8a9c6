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
"""

from __future__ import annotations

from pathlib import Path

from docutils import nodes
from docutils.writers._html_base import HTMLTranslator


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


def setup(app):
    app.connect("env-updated", _drop_duplicate_inline_scripts)
    app.connect("builder-inited", _copy_mystnb_css_first)
    app.add_node(nodes.citation, override=True, html=(visit_citation, HTMLTranslator.depart_citation))
    return {"parallel_read_safe": True, "parallel_write_safe": True}
