"""Sphinx extension: a strict Content-Security-Policy on every HTML page, made from what the page loads.

The book loads nothing from elsewhere, so each page says so to the browser, in a
`<meta http-equiv="Content-Security-Policy">` at the top of its head: scripts, styles, images, fonts
and fetches from the book's own files only; no plugin, no `<base>`, forms only to the book; no eval
(the charts' expressions go through vega-interpreter: chart_static/vendor/README.md). Markup that
reached a page some other way (a translation, a bibliography field, data) cannot run: an inline
script or handler the policy does not name is refused by the browser.

The policy is generated for each page from the page as written, not kept by hand, so a change of
theme or of the scripts a page loads needs no edit here: the theme's own inline scripts (the ones in
the page's template, around its content) are allowed by their SHA-256, and its inline handlers
(`onclick="window.print()"`) by theirs with 'unsafe-hashes'. The content part of the page
(Sphinx's `body`, which holds everything made from the sources) is marked while the page is
rendered, with a token new for each build, and nothing executable in it is ever allowed: an inline
script, an event handler or a `javascript:` address there is a build warning (an error under -W)
naming the page. Data blocks (`<script type="application/json">`, the JSON-LD records) are not
code and stay as they are. Styles may be inline ('unsafe-inline' in style-src): the theme's icon
script injects its stylesheet at run time, and a style cannot run code.

Pages are finished when the build ends (build-finished), so the policy covers what every other
extension wrote into them; a page an incremental build did not rewrite keeps the policy it has.
"""

from __future__ import annotations

import base64
import hashlib
import re
import secrets
from html.parser import HTMLParser
from pathlib import Path

from docutils import nodes
from sphinx.util import logging

logger = logging.getLogger(__name__)

META_START = '<meta http-equiv="Content-Security-Policy" content="'
# Script types a browser runs; any other type is a data block (JSON, JSON-LD, the Thebe settings).
SCRIPT_TYPES = {"", "text/javascript", "application/javascript", "module", "text/ecmascript", "application/ecmascript",
                "text/jscript", "text/livescript", "application/x-javascript", "text/x-javascript"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data"}
SKIPPED_FOLDERS = {"_static", "_downloads", "_sources", "_images"}
TOKEN = "migration_report_csp_token"  # on the builder: one for each build


def _hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


class _Inline(HTMLParser):
    """The executable inline code of a piece of HTML: script texts, event handlers, javascript: addresses."""

    def __init__(self):
        super().__init__(convert_charrefs=False)
        self.scripts, self.handlers, self.addresses = [], [], []
        self._script: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name.startswith("on"):
                self.handlers.append(value or "")
            elif name in URL_ATTRIBUTES and value and re.match(r"\s*javascript:", value, re.I):
                self.addresses.append(value)
        if tag == "script":
            values = dict(attrs)
            runs = "src" not in values and (values.get("type") or "").strip().lower() in SCRIPT_TYPES
            self._script = [] if runs else None

    def handle_data(self, data):
        if self._script is not None:
            self._script.append(data)

    def handle_endtag(self, tag):
        if tag == "script" and self._script is not None:
            self.scripts.append("".join(self._script))
            self._script = None


def inline_code(html: str) -> _Inline:
    parser = _Inline()
    parser.feed(html)
    parser.close()
    return parser


def policy(scripts: list[str], handlers: list[str]) -> str:
    """The page's policy: its own files only, and the given inline scripts and handlers by their hash."""
    script_src = ["'self'", *sorted({_hash(s) for s in scripts})]
    if handlers:
        script_src += ["'unsafe-hashes'", *sorted({_hash(h) for h in handlers})]
    directives = {
        "default-src": ["'none'"], "script-src": script_src, "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"], "font-src": ["'self'"], "connect-src": ["'self'"],
        "form-action": ["'self'"], "base-uri": ["'none'"], "object-src": ["'none'"],
    }
    return "; ".join(f"{name} {' '.join(values)}" for name, values in directives.items())


def template_handlers(html: str, token: str | None) -> list[str]:
    """The event handlers of a page's template (outside its content)."""
    start, end = f"<!--csp-content:{token}-->", f"<!--/csp-content:{token}-->"
    if token and start in html and end in html:
        before, rest = html.split(start, 1)
        html = before + rest.split(end, 1)[1]
    return inline_code(html).handlers


def finish_page(html: str, token: str | None, handlers=()) -> tuple[str, list[str]]:
    """HTML with its policy in the head and the content markers removed, and what the content part holds
    that would run (never allowed). A page without markers is all template (search, index pages).
    HANDLERS: the template handlers of the other pages too, allowed on each (the search page parses the
    pages it finds, and the browser checks their handlers against the search page's policy)."""
    html = re.sub(re.escape(META_START) + r'[^"]*"\s*/?>\n?', "", html)
    start, end = (f"<!--csp-content:{token}-->", f"<!--/csp-content:{token}-->") if token else ("", "")
    problems, template, content = [], html, ""
    if token and start in html and end in html:
        before, rest = html.split(start, 1)
        content, after = rest.split(end, 1)
        template = before + after
        html = before + content + after
        found = inline_code(content)
        problems = ([f"an inline script ({' '.join(s.split())[:60]!r})" for s in found.scripts]
                    + [f"an event handler ({h[:60]!r})" for h in found.handlers]
                    + [f"a javascript: address ({a[:60]!r})" for a in found.addresses])
    allowed = inline_code(template)
    meta = f'{META_START}{policy(allowed.scripts, [*allowed.handlers, *handlers])}" />\n'
    charset = re.search(r"<meta charset=[^>]*>\s*", html, re.I)
    head = re.search(r"<head[^>]*>\s*", html, re.I)
    at = charset.end() if charset else head.end() if head else 0
    return html[:at] + meta + html[at:], problems


def mark_content(app, pagename, templatename, context, doctree) -> None:
    if "body" in context:
        token = getattr(app.builder, TOKEN, None) or secrets.token_hex(16)  # new for each build
        setattr(app.builder, TOKEN, token)
        context["body"] = f"<!--csp-content:{token}-->{context['body']}<!--/csp-content:{token}-->"


# Sphinx's doctools.js compiles a translation's plural rule with new Function (addTranslations), which the
# policy forbids: the Spanish edition's translations.js threw on every page. The file is rewritten to set
# the same messages and locale, with the rule (Babel's CLDR expression, not text from the sources)
# written out as a function.
_TRANSLATIONS = re.compile(r"\s*Documentation\.addTranslations\((\{.*\})\);\s*", re.S)
_PLURAL = re.compile(r"[n0-9\s?:!=<>&|%()+*/-]+")


def translations_without_eval(text: str) -> str | None:
    """Sphinx's translations.js (TEXT) rewritten to need no eval; None if it is not in Sphinx's form."""
    import json

    match = _TRANSLATIONS.fullmatch(text)
    if match is None:
        return None
    catalog = json.loads(match.group(1))
    plural = catalog.pop("plural_expr", "n == 1 ? 0 : 1")
    if not _PLURAL.fullmatch(plural):
        raise ValueError(f"translations.js: an unexpected plural rule {plural!r}")
    return ("// Sphinx's translations.js without eval, for the pages' Content-Security-Policy (migration_report.sphinx.csp).\n"
            "(function (catalog) {\n"
            "  Object.assign(Documentation.TRANSLATIONS, catalog.messages);\n"
            f"  Documentation.PLURAL_EXPR = function (n) {{ return ({plural}); }};\n"
            "  Documentation.LOCALE = catalog.locale;\n"
            f"}})({json.dumps(catalog, ensure_ascii=False, indent=4, sort_keys=True)});\n")


def finish_pages(app, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    translations = Path(app.outdir) / "_static" / "translations.js"
    if translations.is_file():
        rewritten = translations_without_eval(translations.read_text(encoding="utf-8"))
        if rewritten is not None:
            translations.write_text(rewritten, encoding="utf-8")
    token = getattr(app.builder, TOKEN, None)
    outdir = Path(app.outdir)
    pages, handlers = {}, set()
    for path in sorted(outdir.rglob("*.html")):
        if SKIPPED_FOLDERS & set(path.relative_to(outdir).parts[:1]):
            continue
        html = path.read_text(encoding="utf-8")
        # Every page's handlers, those an earlier build finished too: a rebuild that writes some pages
        # (or none) gives each the policy a clean build gives it.
        handlers.update(template_handlers(html, token))
        if META_START in html and not (token and f"<!--csp-content:{token}-->" in html):
            continue  # written by an earlier build and not since
        pages[path] = html
    handlers = sorted(handlers)
    for path, html in pages.items():
        finished, problems = finish_page(html, token, handlers)
        for problem in problems:
            logger.warning(f"{path.relative_to(outdir)}: the page's content has {problem}, which its Content-Security-"
                           "Policy does not allow: content made from the sources never runs code",
                           type="csp", subtype="content")
        if finished != html:
            path.write_text(finished, encoding="utf-8")


# sphinx-thebe, which jupyter-book always loads, appends `<script>kernelName = 'python3'</script>` to every
# page's content for its "launch" button. The book has no such button, and thebe would load its code
# from unpkg.com, which the policy refuses; the script is removed rather than allowed into the content.
_THEBE_KERNEL = re.compile(r"<script>kernelName = '[\w.-]*'</script>")


def drop_thebe_kernel_script(app, doctree, docname) -> None:
    for node in list(doctree.findall(nodes.raw)):
        if "html" in node.get("format", "").split() and _THEBE_KERNEL.fullmatch(node.astext().strip()):
            node.parent.remove(node)


def setup(app):
    app.connect("doctree-resolved", drop_thebe_kernel_script, priority=600)  # after sphinx-thebe's (500)
    app.connect("html-page-context", mark_content, priority=900)  # after every extension that adds to the body
    app.connect("build-finished", finish_pages, priority=900)  # after every extension that writes pages
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
