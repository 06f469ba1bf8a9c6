"""The markup a translated message may use: only what its English has.

A translation (`msgstr` in locales/<lang>/LC_MESSAGES/*.po) is parsed again as MyST by Sphinx, so
markup typed into it becomes the page's markup: raw HTML (`<img onerror=…>`, `<script>`) would run in
readers' browsers, a `{raw}` or `{eval-rst}` directive would emit anything, an `{include}` would publish
any file, a `{{ … }}` substitution is a Jinja template evaluated at build time. A translator changes
words, not structure, so a translated message may contain the HTML, directives, roles, images and
substitutions of its English message and nothing more; links only to http, https and mailto addresses
(or within the book); never a directive or role that emits raw output, whatever the English has.

`problems(msgid, msgstr)` says what a message adds (the catalogue check, `catalogues --check`);
`unsafe_markup(msgstr)` what is refused without knowing the English (the Sphinx parse, when it cannot
find the message in its catalogue). The parser is MyST's own, with the book's extensions.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

# Directives and roles that emit raw output or another file's content, refused in any translation.
RAW_DIRECTIVES = frozenset({"raw", "eval-rst", "eval_rst", "include", "literalinclude", "csv-table"})
LINK_SCHEMES = ("http", "https", "mailto")
_SCHEME = re.compile(r"^\s*([a-zA-Z][a-zA-Z0-9+.-]*):")
MYST_EXTENSIONS = ("colon_fence", "deflist", "substitution")  # as parse.myst_enable_extensions in _config.yml


@lru_cache(maxsize=1)
def _parser():
    from markdown_it.renderer import RendererHTML
    from myst_parser.config.main import MdParserConfig
    from myst_parser.parsers.mdit import create_md_parser

    return create_md_parser(MdParserConfig(enable_extensions=set(MYST_EXTENSIONS)), RendererHTML)


def _tokens(text: str) -> Iterator:
    def walk(tokens):
        for token in tokens:
            yield token
            if token.children:
                yield from walk(token.children)

    return walk(_parser().parse(text))


def _directive(token) -> str | None:
    if token.type in ("fence", "colon_fence") and token.info.strip().startswith("{"):
        return token.info.strip()[1:].split("}", 1)[0].strip()
    return None


def markup(text: str) -> dict[str, set[str]]:
    """What TEXT uses, by kind: html, directive, role, image, substitution, link (addresses)."""
    found: dict[str, set[str]] = {kind: set() for kind in ("html", "directive", "role", "image", "substitution", "link")}
    for token in _tokens(text):
        if token.type in ("html_inline", "html_block"):
            found["html"].add(token.content.strip())
        elif _directive(token) is not None:
            found["directive"].add(_directive(token))
        elif token.type == "myst_role":
            found["role"].add(token.meta.get("name", ""))
        elif token.type == "image":
            found["image"].add(token.attrs.get("src", ""))
        elif token.type.startswith("substitution_"):
            found["substitution"].add(token.content.strip())
        elif token.type == "link_open":
            found["link"].add(str(token.attrs.get("href", "")))
    return found


def _shown(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= 80 else text[:77] + "..."


def unsafe_markup(msgstr: str) -> list[str]:
    """What a translation may never contain, whatever its English: raw output, substitutions, other links."""
    used = markup(msgstr)
    reasons = [f"raw HTML {_shown(html)!r}" for html in sorted(used["html"])]
    reasons += [f"the directive {{{name}}}, which emits raw output or a file's content"
                for name in sorted(used["directive"] & RAW_DIRECTIVES)]
    reasons += [f"the role {{{name}}}, which emits raw output" for name in sorted(used["role"])
                if name.startswith("raw") or name in RAW_DIRECTIVES]
    reasons += [f"a substitution {{{{ {_shown(name)} }}}}, which the build would evaluate"
                for name in sorted(used["substitution"])]
    reasons += [f"a link to {_shown(href)!r} (only http, https and mailto addresses are published)"
                for href in sorted(used["link"]) if _scheme(href) not in (None, *LINK_SCHEMES)]
    return reasons


def _scheme(href: str) -> str | None:
    match = _SCHEME.match(href)
    return match.group(1).lower() if match else None


def problems(msgid: str, msgstr: str) -> list[str]:
    """What the translation MSGSTR adds to the markup of its English MSGID, or uses that no translation may."""
    if not msgstr:
        return []
    english, translated = markup(msgid), markup(msgstr)
    for kind in ("directive", "role"):  # one reason for a raw directive or role: the one above
        translated[kind] = {name for name in translated[kind] if name not in RAW_DIRECTIVES and not name.startswith("raw")}
    unsafe = markup_allowed_by_english(english, translated)
    always = [reason for reason in unsafe_markup(msgstr)
              if not any(reason.startswith(prefix) for prefix in ("raw HTML", "a substitution"))]
    return always + unsafe


def markup_allowed_by_english(english: dict[str, set[str]], translated: dict[str, set[str]]) -> list[str]:
    """The HTML, directives, roles, images and substitutions of the translation that its English lacks."""
    words = {"html": "raw HTML {!r} that the English does not have",
             "directive": "the directive {{{}}}, which the English does not use",
             "role": "the role {{{}}}, which the English does not use",
             "image": "the image {!r}, which the English does not show",
             "substitution": "a substitution {{{{ {} }}}}, which the English does not have"}
    return [template.format(_shown(item)) for kind, template in words.items()
            for item in sorted(translated[kind] - english[kind])]
