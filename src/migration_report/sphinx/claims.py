"""Sphinx extension for the claim register: verdict badges, Spanish spans, claim cards as sections.

- ``{verdict}`supported``` is a badge: the word itself (so a screen reader and the PDF read it) in
  a span whose class carries a colour-blind-safe colour in HTML (``_static/custom.css``).
- ``{es}`texto``` marks Spanish words with ``lang="es"`` in HTML, so screen readers pronounce them in Spanish;
  ``{en}`words``` marks the article's English words quoted in the Spanish edition.
- A ``claim-card`` container (written by `migration_report.register.page` into glued Markdown)
  becomes a section titled by its first heading. MyST renders headings inside glued output as
  rubrics, which are not sections and so never reach the page contents; the transform runs
  before docutils moves the card's label onto the element after it, so ``#claim-<id>`` and
  ``{ref}`claim-<id>``` point at the section.
"""

from __future__ import annotations

from docutils import nodes
from sphinx.transforms import SphinxTransform

from migration_report.register import claims
from migration_report.core.i18n import N_, translator

CARD_CLASS = "claim-card"
VERDICT_OF = "verdict-of-"  # class prefix naming the claim a verdict badge belongs to
# The verdict and relay words for the catalogue (the badge's class keeps the English word, the register's key).
VERDICT_WORDS = (N_("supported"), N_("partly supported"), N_("not supported"), N_("not verifiable"),
                 N_("faithful"), N_("partly faithful"), N_("not faithful"), N_("not checked"))
BADGE_WORDS = claims.VERDICTS + claims.RELAY_ANSWERS
assert set(VERDICT_WORDS) == set(BADGE_WORDS), "a verdict without its word in the catalogue"


class lang_span(nodes.inline):
    """Inline text in another language."""


def spanish_nodes(text: str) -> list[nodes.Node]:
    """Plain text as nodes, each Spanish name in it (outputs.SPANISH_NAMES) in a lang="es" span:
    for text that code turns into nodes directly (a citation line that repeats a caption)."""
    import re

    from migration_report.core.outputs import SPANISH_NAMES

    found = sorted({n for n in SPANISH_NAMES if n in text}, key=len, reverse=True)
    if not found:
        return [nodes.Text(text)]
    out, start = [], 0
    for match in re.finditer("|".join(re.escape(n) for n in found), text):
        out += [nodes.Text(text[start:match.start()]), lang_span(match.group(), match.group(), lang="es")]
        start = match.end()
    return out + [nodes.Text(text[start:])]


def _visit_lang_html(self, node):
    self.body.append(f'<span lang="{node["lang"]}" class="lang-{node["lang"]}">')


def _depart_lang_html(self, node):
    self.body.append("</span>")


def _skip(self, node):
    pass


def verdict_role(name, rawtext, text, lineno, inliner, options=None, content=None):
    """``{verdict}`supported``` or ``{verdict}`supported <claim-id>```: the claim, when given, is kept as
    a class, so a test can compare every verdict a page shows with the register's."""
    text, _, claim_id = text.partition(" <")
    claim_id = claim_id.rstrip(">")
    if text not in BADGE_WORDS:
        message = inliner.reporter.error(f"verdict {text!r} is not one of {', '.join(BADGE_WORDS)}", line=lineno)
        return [inliner.problematic(rawtext, rawtext, message)], [message]
    classes = ["verdict", "verdict-" + text.replace(" ", "-")] + ([VERDICT_OF + claim_id] if claim_id else [])
    env = getattr(inliner.document.settings, "env", None)
    word = translator(env.config.language if env is not None else "en")(text)
    badge = nodes.inline(word, word, classes=classes)
    return [nodes.strong("", "", badge)], []


def spanish_role(name, rawtext, text, lineno, inliner, options=None, content=None):
    span = lang_span(text, text, lang="es")
    return [span], []


def english_role(name, rawtext, text, lineno, inliner, options=None, content=None):
    """The article's own English words quoted in another edition (lang="en")."""
    span = lang_span(text, text, lang="en")
    return [span], []


class ClaimCardSections(SphinxTransform):
    default_priority = 250  # after the glued Markdown is parsed, before PropagateTargets (260)

    def apply(self, **kwargs):
        for container in list(self.document.findall(nodes.container)):
            if CARD_CLASS not in container["classes"]:
                continue
            heading = next((c for c in container.children if isinstance(c, nodes.rubric)), None)
            if heading is None:
                continue
            section = nodes.section(classes=[CARD_CLASS])
            section += nodes.title(heading.rawsource, "", *heading.children)
            section.extend(c for c in container.children if c is not heading)
            section.source, section.line = container.source, container.line
            container.replace_self(section)


def setup(app):
    app.add_role("verdict", verdict_role)
    app.add_role("es", spanish_role)
    app.add_role("en", english_role)
    app.add_node(lang_span, html=(_visit_lang_html, _depart_lang_html),
                 latex=(_skip, _skip), text=(_skip, _skip), man=(_skip, _skip), texinfo=(_skip, _skip))
    app.add_transform(ClaimCardSections)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
