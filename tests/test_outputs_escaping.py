"""Text from data or parameters never becomes markup: rendered through MyST, injected HTML stays text."""

import pandas as pd
import pytest
from docutils.core import publish_string
from myst_parser.parsers.docutils_ import Parser

from migration_report.register import page as register_page
from migration_report.core.outputs import Markup, cite, escape, link, markdown_table

ATTACK = "<img src=x onerror=alert(1)> **bold** {raw}`html` [x](javascript:alert(1)) `code` $math$"


def html_of(myst: str) -> str:
    return publish_string(myst, parser=Parser(), writer_name="html5",
                          settings_overrides={"myst_enable_extensions": ["deflist"], "report_level": 5,
                                              "output_encoding": "unicode"})


def test_a_table_cell_from_data_renders_as_text():
    table = markdown_table(pd.DataFrame({"Role": [ATTACK], "Count": [3]})).data
    page = html_of(table)
    assert "<img" not in page and "<strong>" not in page and "href=\"javascript" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page and "**bold**" in page


def test_markup_made_by_code_is_kept():
    assert isinstance(cite("doj2023complaint"), Markup)
    assert escape(cite("doj2023complaint")) == "{cite:t}`doj2023complaint`"
    with pytest.raises(ValueError, match="not a BibTeX key"):
        cite("x`} <img>")


def test_links_from_data_keep_only_plain_web_addresses():
    assert link("CBP", "https://www.cbp.gov/a") == "[CBP](https://www.cbp.gov/a)"
    assert link("x", "javascript:alert(1)") == "x"
    assert link("Write", "mailto:corrections@example.org") == "[Write](mailto:corrections@example.org)"
    assert link("CBP", "HTTPS://www.cbp.gov/a") == "[CBP](HTTPS://www.cbp.gov/a)"
    for address in ("JavaScript:alert(1)", " javascript:alert(1)", "javascript:alert(1)//https://x",
                    "data:text/html;base64,PHNjcmlwdD4=", "vbscript:x", "file:///etc/passwd", "ftp://example.org/x",
                    "https://x.org/a) [b](javascript:alert(1)", "https://x.org/\\", "//example.org/x", "www.cbp.gov"):
        assert link("x", address) == "x", address
        assert "href" not in html_of(link("x", address))
    assert "<img" not in html_of(link(ATTACK, "https://example.com/(x)"))


def test_register_text_from_data_renders_as_text():
    for text in (register_page.mark_spanish(ATTACK), register_page.not_checked(pd.DataFrame(
            {"sentence": [1], "first_words": [ATTACK], "claim_ids": [None], "reason": [ATTACK]}))):
        page = html_of(text)
        assert "<img" not in page and "<strong>" not in page


def test_a_table_cell_from_data_is_text_in_latex_too():
    table = markdown_table(pd.DataFrame({"Role": [ATTACK]})).data
    latex = publish_string(table, parser=Parser(), writer_name="latex",
                           settings_overrides={"report_level": 5, "output_encoding": "unicode"})
    assert "<img src=x onerror=alert(1)> **bold**" in latex  # plain text in LaTeX, not an image or bold
    assert r"\textbf{bold}" not in latex
