"""references.bib field by field: a bare %, an unbalanced brace or an address other than http, https or
mailto stops the build naming the entry and the field; no such address is ever written as a link."""

import io
from pathlib import Path

import pytest
from docutils import nodes

from migration_report.sphinx.bibliography_check import check_bibliography, is_safe_address

ROOT = Path(__file__).resolve().parents[1]
ENTRY = """@misc{fondos2023,
  author       = {{Sputnik}},
  title        = {Fondos para Centroamérica},
  year         = {2023},
  month        = jul,
  url          = {https://example.org/fondos%20uno},
  note         = "read via {Google} News"
}
"""


def problems_of(tmp_path, text):
    (tmp_path / "references.bib").write_text(text, encoding="utf-8")
    return check_bibliography(tmp_path / "references.bib")


def test_the_books_bibliography_passes(root):
    assert check_bibliography(root / "references.bib") == []


def test_a_well_formed_entry_passes_percent_encoding_in_its_address_included(tmp_path):
    assert problems_of(tmp_path, ENTRY + ENTRY.replace("fondos2023", "otro2023")) == []


@pytest.mark.parametrize("field, before, after, fixed", [
    ("title", "Fondos para Centroamérica", "Fondos 50% rise", "Fondos 50\\% rise"),
    ("title", "Fondos para Centroamérica", "Fondos 50\\\\% rise", "Fondos 50\\\\\\% rise"),  # \\ then a bare %
    ("note", "read via {Google} News", "read via {Google} News 100%", "read via {Google} News 100\\%"),
    ("author", "{Sputnik}", "{Sput%nik}", "{Sput\\%nik}"),
])
def test_a_bare_percent_in_any_field_is_named(tmp_path, field, before, after, fixed):
    found = problems_of(tmp_path, ENTRY.replace(before, after))
    assert len(found) == 1 and found[0].startswith(f"references.bib, entry 'fondos2023', field '{field}' (line ")
    assert "a bare '%' (LaTeX reads the rest of the field as a comment" in found[0]
    assert problems_of(tmp_path, ENTRY.replace(before, fixed)) == []


@pytest.mark.parametrize("before, after, field, what", [
    ("Fondos para Centroamérica}", "Fondos {para Centroamérica}", "title", "an opening brace '{' is never closed"),
    ("Fondos para Centroamérica}", "Fondos} para Centroamérica}", "title", "a closing brace '}' closes more than"),
    ('"read via {Google} News"', '"read via {Google News"', "note", "an opening brace '{' is never closed"),
    ('"read via {Google} News"', '"read via Google} News"', "note", "a closing brace '}' closes more than"),
    ("{{Sputnik}}", "{{Sputnik}", "author", "an opening brace '{' is never closed"),
])
def test_an_unbalanced_brace_is_named_with_its_field(tmp_path, before, after, field, what):
    found = problems_of(tmp_path, ENTRY.replace(before, after) + ENTRY.replace("fondos2023", "otro2023"))
    assert found and found[0].startswith(f"references.bib, entry 'fondos2023', field '{field}' (line ")
    assert what in found[0]
    assert not any("otro2023" in problem for problem in found)  # the next entry is read as it is


@pytest.mark.parametrize("address", ["javascript:alert(1)", "JavaScript:alert(1)", " javascript:alert(1)",
                                     "data:text/html;base64,PHNjcmlwdD4=", "vbscript:x", "file:///etc/passwd",
                                     "ftp://example.org/x", "example.org/no-scheme"])
def test_an_address_other_than_http_https_mailto_is_named(tmp_path, address):
    found = problems_of(tmp_path, ENTRY.replace("https://example.org/fondos%20uno", address))
    assert len(found) == 1 and found[0].startswith("references.bib, entry 'fondos2023', field 'url' (line 6): the address")
    assert "is not an http, https or mailto address; only those are published as links" in found[0]
    in_text = problems_of(tmp_path, ENTRY.replace("read via {Google} News", f"see \\\\href{{{address.strip()}}}{{here}}"))
    assert len(in_text) == 1 and "field 'note'" in in_text[0]
    assert not is_safe_address(address)


def test_safe_addresses():
    assert all(is_safe_address(a) for a in ("https://example.org", "HTTP://example.org", "mailto:a@example.org"))


def test_an_unsafe_address_is_never_written_as_a_link():
    import pybtex_docutils

    from migration_report.sphinx import bibliography_check

    bibliography_check.connect(type("App", (), {"connect": lambda *a, **k: None})())
    backend = pybtex_docutils.Backend()
    text = [nodes.Text("the page")]
    assert backend.format_href("javascript:alert(1)", text) == text
    assert isinstance(backend.format_href("https://example.org/", text)[0], nodes.reference)


def test_the_build_stops_naming_the_entry_and_field(tmp_path):
    from sphinx.application import Sphinx
    from sphinx.errors import SphinxError
    from sphinx.util.docutils import docutils_namespace, patch_docutils

    (tmp_path / "index.rst").write_text("Title\n=====\n\n:cite:p:`fondos2023`\n\n.. bibliography::\n", encoding="utf-8")
    (tmp_path / "references.bib").write_text(ENTRY.replace("Centroamérica", "50% más"), encoding="utf-8")
    overrides = {"extensions": ["sphinxcontrib.bibtex", "migration_report.sphinx.bibliography"], "bibtex_bibfiles": ["references.bib"]}
    with patch_docutils(tmp_path), docutils_namespace(), pytest.raises(SphinxError) as stopped:
        Sphinx(str(tmp_path), None, str(tmp_path / "html"), str(tmp_path / "doctrees"), "html", confoverrides=overrides,
               status=io.StringIO(), warning=io.StringIO(), freshenv=True).build()
    assert "references.bib, entry 'fondos2023', field 'title' (line 3): a bare '%'" in str(stopped.value)
    assert not (tmp_path / "html" / "index.html").exists()
