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
                f"migration_report.sphinx_html patches {name} {expected[0]}.{expected[1]} internals, but {name} "
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


def setup(app):
    check_versions({"sphinx": sphinx.__version__, "docutils": docutils.__version__})
    app.connect("env-updated", _drop_duplicate_inline_scripts)
    app.connect("builder-inited", _copy_mystnb_css_first)
    app.add_node(nodes.citation, override=True, html=(visit_citation, HTMLTranslator.depart_citation))
    return {"parallel_read_safe": True, "parallel_write_safe": True}
