"""The Content-Security-Policy each page gets: made from the page's own template scripts and handlers,
never allowing anything executable in the part of the page made from the sources."""

import base64
import hashlib

from migration_report.sphinx.csp import META_START, finish_page, policy

TOKEN = "0123456789abcdef"
THEME_SCRIPT = 'document.documentElement.dataset.mode = localStorage.getItem("mode") || "light";'
LD = '{"@context": "https://schema.org", "@type": "ClaimReview"}'


def sha(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"


def page(content: str) -> str:
    return ('<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8" />\n'
            f'<script>{THEME_SCRIPT}</script>\n<script src="_static/doctools.js"></script>\n'
            '</head>\n<body>\n<button onclick="window.print()">Print</button>\n<article>'
            f'<!--csp-content:{TOKEN}-->{content}<!--/csp-content:{TOKEN}-->'
            f'</article>\n<script type="application/ld+json">{LD}</script>\n</body>\n</html>\n')


def the_policy(html: str) -> str:
    return html.split(META_START, 1)[1].split('"', 1)[0]


def test_the_templates_inline_code_is_allowed_by_hash_and_nothing_else():
    html, problems = finish_page(page("<p>Text</p>"), TOKEN)
    assert problems == []
    csp = the_policy(html)
    assert f"script-src 'self' {sha(THEME_SCRIPT)} 'unsafe-hashes' {sha('window.print()')};" in csp
    assert "default-src 'none'" in csp and "object-src 'none'" in csp and "base-uri 'none'" in csp
    assert "'unsafe-eval'" not in csp and "script-src 'self' 'unsafe-inline'" not in csp
    assert "http" not in csp  # nothing from elsewhere
    # first in the head (after the charset), before any script; the markers gone; data blocks kept
    assert html.index(META_START) < html.index("<script")
    assert html.index('<meta charset="utf-8" />') < html.index(META_START)
    assert "csp-content" not in html and f'<script type="application/ld+json">{LD}</script>' in html


def test_executable_content_is_named_and_never_allowed():
    attacks = ("<p>x</p><script>alert(1)</script>", '<img src="x" onerror="alert(2)">',
               '<a href="javascript:alert(3)">x</a>', '<a href=" JavaScript:alert(4)">x</a>',
               '<svg><script>alert(5)</script></svg>', '<script type="module">alert(6)</script>')
    for attack in attacks:
        html, problems = finish_page(page(attack), TOKEN)
        assert len(problems) == 1, (attack, problems)
        for code in ("alert(1)", "alert(2)", "alert(5)", "alert(6)"):
            assert sha(code) not in the_policy(html)
    data = '<div class="vega-chart"><script type="application/json">{"marks": []}</script></div>'
    assert finish_page(page(data), TOKEN)[1] == []  # a chart's specification is data


def test_a_guessed_marker_does_not_move_code_out_of_the_content():
    fake = "<!--/csp-content:guess--><script>alert(1)</script><!--csp-content:guess-->"
    html, problems = finish_page(page(fake), TOKEN)
    assert problems and sha("alert(1)") not in the_policy(html)


def test_finishing_twice_gives_one_policy():
    once, _ = finish_page(page("<p>x</p>"), TOKEN)
    twice, _ = finish_page(once, None)
    assert twice.count(META_START) == 1 and the_policy(twice) == the_policy(once)


def test_the_policy_is_the_same_for_the_same_page():
    assert policy(["b", "a"], []) == policy(["a", "b", "a"], [])
    assert "'unsafe-hashes'" not in policy(["a"], [])


def test_sphinxs_translations_need_no_eval():
    """doctools.js compiles a translation's plural rule with new Function; the Spanish pages threw under the
    policy. The rewritten file sets the same messages, locale and rule with no eval."""
    import json

    from migration_report.sphinx.csp import translations_without_eval

    catalog = {"locale": "es", "messages": {"search": "buscar"}, "plural_expr": "n == 1 ? 0 : n != 0 && n % 1000000 == 0 ? 1 : 2"}
    rewritten = translations_without_eval(f"Documentation.addTranslations({json.dumps(catalog, indent=4)});\n")
    assert "addTranslations" not in rewritten and "Function" not in rewritten
    assert "Documentation.PLURAL_EXPR = function (n) { return (n == 1 ? 0 : n != 0 && n % 1000000 == 0 ? 1 : 2); };" in rewritten
    assert '"search": "buscar"' in rewritten and '"locale": "es"' in rewritten
    assert translations_without_eval(rewritten) is None  # already rewritten: left as it is
    import pytest

    with pytest.raises(ValueError, match="unexpected plural rule"):
        translations_without_eval('Documentation.addTranslations({"plural_expr": "alert(1)"});')
