"""The book's three uses, checked on the built book: cite it, take the data, re-run it.

Once as built by `make test` (no address set: no URL-shaped placeholder anywhere, citations
without a URL), and once in a copy whose _config.yml and CITATION.cff give both addresses (the
addresses reach every place that needs them). Marker `book`.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import bibtexparser
import pytest
import rispy
import yaml
from zotero_rules import highwire_creators

from release import VERSION, YEAR
from migration_report.core import citation
from migration_report.core.book_structure import numbered_chapters

# One worker runs the whole module (make test runs the book checks on two): its module fixture is costly.
pytestmark = [pytest.mark.book, pytest.mark.xdist_group("test_reuse_book")]

ROOT = Path(__file__).resolve().parents[1]
HTML = ROOT / "_build" / "html"
SPANISH = HTML / "es"
PDF = ROOT / "_build" / "latex" / "book.pdf"
CHAPTERS = [Path(d).name for d in numbered_chapters(ROOT)]
BASE = "https://book.test/migration-report/"
# The theme must recognise the repository's host (GitHub, GitLab or Bitbucket) from its address.
REPOSITORY = "https://gitlab.test/team/migration-report"
# A made-up address of the kinds a template leaves: example domains, "fill in", "your-...", placeholders.
PLACEHOLDER = re.compile(r"(?:https?://[^\s\"'<>)]*(?:example\.(?:org|com|net)|fill-in|your-(?:org|name|repo)|"
                         r"placeholder|changeme)[^\s\"'<>)]*|\bexample\.(?:org|com|net)\b|\bfill-in/)", re.I)
TEXT_SUFFIXES = {".html", ".json", ".bib", ".ris", ".csv", ".md", ".txt", ".js", ".ipynb", ".tex"}


class Head(HTMLParser):
    def __init__(self):
        super().__init__()
        self.meta, self.links = [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta":
            self.meta.append((attrs.get("name") or attrs.get("property"), attrs.get("content")))
        elif tag == "link":
            self.links.append((attrs.get("rel"), attrs.get("href")))


def head(page: Path) -> Head:
    parsed = Head()
    parsed.feed(page.read_text(encoding="utf-8"))
    return parsed


def tags(parsed: Head, name: str) -> list[str]:
    return [content for key, content in parsed.meta if key == name]


def pdf_text(pdf: Path) -> str:
    return subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout


def placeholders_in(tree: Path) -> list[str]:
    found = []
    for path in tree.rglob("*"):
        if path.is_file() and path.suffix in TEXT_SUFFIXES and "_static" not in path.parts:
            found += [f"{path.relative_to(tree)}: {m}" for m in PLACEHOLDER.findall(path.read_text(errors="replace"))]
    return found


def check_citation_files(html: Path, stem: str, url: str | None):
    """The chapter's BibTeX, RIS and CSL-JSON parse with real parsers and agree with CITATION.cff."""
    from citeproc.source.json import CiteProcJSON

    cff = citation.read_cff(ROOT / "CITATION.cff")
    folder = html / "_downloads" / "citation"
    [entry] = bibtexparser.parse_file(str(folder / f"{stem}.bib")).entries
    [record] = rispy.load(folder / f"{stem}.ris")
    [item] = json.loads((folder / f"{stem}.json").read_text(encoding="utf-8"))
    source = CiteProcJSON([item])  # the CSL processor reads it
    assert str(source[item["id"]]["title"]) == item["title"]
    unbraced = {key: entry[key].replace("{", "").replace("}", "") for key in ("title", "booktitle")}
    assert unbraced["booktitle"] == record["secondary_title"] == item["container-title"] == cff["title"]
    assert entry["version"] == item["version"] == cff["version"]
    assert record["unknown_tag"]["M2"] == [f"version: {cff['version']}"] and "edition" not in record
    assert unbraced["title"] == record["title"] == item["title"]
    assert entry["year"] == record["year"] == str(cff["date-released"])[:4]
    assert record["date"] == str(cff["date-released"]).replace("-", "/")
    assert record["authors"] == [a["name"] for a in cff["authors"]]
    if url is None:
        assert "url" not in entry.fields_dict and "urls" not in record and "URL" not in item
    else:
        assert entry["url"] == record["urls"][0] == item["URL"] == url


# ---- the book as make test builds it: no address set -------------------------------------------

def test_no_url_shaped_placeholder_anywhere_in_the_html_or_the_pdf():
    assert placeholders_in(HTML) == []
    assert PLACEHOLDER.findall(pdf_text(PDF)) == []


@pytest.mark.parametrize("stem", CHAPTERS)
def test_every_chapter_has_citation_and_open_graph_tags(stem):
    cff = citation.read_cff(ROOT / "CITATION.cff")
    page = head(HTML / "chapters" / f"{stem}.html")
    [title] = tags(page, "citation_title")
    assert title and title in (HTML / "chapters" / f"{stem}.html").read_text(encoding="utf-8")
    assert tags(page, "citation_author") == [f"{a['name']}," for a in cff["authors"]]
    assert tags(page, "citation_inbook_title") == [cff["title"]]
    assert tags(page, "citation_publication_date") == [str(cff["date-released"]).replace("-", "/")]
    assert tags(page, "citation_version") == [cff["version"]]
    assert tags(page, "citation_public_url") == [] and tags(page, "citation_pdf_url") == []
    assert tags(page, "og:title") and tags(page, "og:site_name") == [cff["title"]]
    assert tags(page, "og:url") == []  # no address, no og:url (it must be absolute)
    [description] = tags(page, "og:description")
    assert len(description) > 50 and tags(page, "description") == [description]
    check_citation_files(HTML, stem, None)


def _pages(html: Path) -> list[Path]:
    return sorted((html / "chapters").glob("*.html"))


@pytest.mark.parametrize("html", [HTML, SPANISH], ids=["en", "es"])
def test_zoteros_reader_takes_the_group_author_as_one_name_and_descriptions_hold_no_citation(html):
    cff = citation.read_cff(ROOT / "CITATION.cff")
    tagged = 0
    for path in _pages(html):
        page = head(path)
        authors = tags(page, "citation_author")
        if authors:
            tagged += 1
            language = tags(page, "citation_language")[0]
            assert highwire_creators(authors, language) == [{"name": a["name"]} for a in cff["authors"]], path.name
        for description in tags(page, "description") + tags(page, "og:description"):
            # no citation bracket ("(CBP)[ U.S. Customs and Border Protection, 2024,…"); "[Data set]" is the text's own
            assert not re.search(r"\[[^\]]*\b(?:19|20)\d\d", description), f"{path.name}: {description}"
    assert tagged >= len(CHAPTERS) + 1  # the chapters and the introduction


@pytest.mark.parametrize("html", [HTML, SPANISH], ids=["en", "es"])
def test_the_introduction_describes_the_whole_book(html):
    language = "en" if html == HTML else "es"
    meta = citation.book_metadata(ROOT / "CITATION.cff", language)
    page = head(html / "chapters" / "introduction.html")
    assert tags(page, "citation_title") == [meta.title] and tags(page, "citation_inbook_title") == []
    assert tags(page, "citation_language") == [language] and tags(page, "citation_version") == [meta.version]
    assert tags(page, "citation_publication_date") == [meta.released.replace("-", "/")]
    assert tags(page, "og:type") == ["book"]  # what Zotero's reader takes the item's type from here


@pytest.mark.parametrize("html", [HTML, SPANISH], ids=["en", "es"])
def test_the_book_and_its_data_package_have_citation_files_that_pandoc_reads(html):
    from test_citation_clients import rendered

    language = "en" if html == HTML else "es"
    meta = citation.book_metadata(ROOT / "CITATION.cff", language)
    folder = html / "_downloads" / "citation"
    for suffix in ("bib", "json"):
        lines = rendered(folder / f"{citation.BOOK_FILES}.{suffix}") + rendered(folder / f"{citation.DATA_FILES}.{suffix}")
        assert lines[0] == f"The migration-report maintainers. ({YEAR}). {meta.title} (Version {meta.version})."
        assert lines[1].startswith(f"The migration-report maintainers. ({YEAR}). Dat")
    [book] = rispy.load(folder / f"{citation.BOOK_FILES}.ris")
    [data] = rispy.load(folder / f"{citation.DATA_FILES}.ris")
    assert book["type_of_reference"] == "BOOK" and data["type_of_reference"] == "DATA"
    assert book["date"] == data["date"] == meta.released.replace("-", "/") and book["language"] == language
    how_to_cite = (html / "chapters" / "how-to-cite.html").read_text(encoding="utf-8")
    for name in (citation.BOOK_FILES, citation.DATA_FILES):
        for suffix in ("bib", "ris", "json"):
            assert f'href="../_downloads/citation/{name}.{suffix}"' in how_to_cite


def test_the_cite_boxes_say_how_to_cite_without_an_address():
    page = (HTML / "chapters" / "flow-statistics.html").read_text(encoding="utf-8")
    assert citation.TEXT["no_address"].split(":")[0] in page
    assert f"(Version {VERSION})." in page


def test_the_data_package_download_validates(tmp_path):
    from frictionless import validate

    meta = citation.book_metadata(ROOT / "CITATION.cff")
    archive = HTML / "_downloads" / "data" / f"migration-report-data-{meta.version}.zip"
    with zipfile.ZipFile(archive) as opened:
        opened.extractall(tmp_path)
    report = validate(tmp_path / f"migration-report-data-{meta.version}" / "datapackage.json")
    assert report.valid, report.flatten(["type", "note"])
    page = (HTML / "chapters" / "data-and-methods.html").read_text(encoding="utf-8")
    assert f'href="../_downloads/data/{archive.name}"' in page
    for resource in json.loads((ROOT / "data" / "datapackage.json").read_text())["resources"]:
        assert f'href="../_downloads/data/{resource["path"]}"' in page
        # the table as published, with the UTF-8 byte-order mark for spreadsheets (no cell today looks like a formula)
        offered = (HTML / "_downloads" / "data" / resource["path"]).read_bytes()
        assert offered == b"\xef\xbb\xbf" + (ROOT / "data" / resource["path"]).read_bytes()


def test_every_figure_download_has_its_descriptor_and_readable_columns():
    from frictionless import validate

    csvs = sorted((HTML / "_downloads" / "figure-data").rglob("fig-*.csv"))
    assert len(csvs) >= 12
    for csv in csvs:
        descriptor_path = csv.with_name(csv.stem + ".resource.json")
        descriptor = json.loads(descriptor_path.read_text(encoding="utf-8"))
        assert csv.read_bytes().startswith(b"\xef\xbb\xbf")  # read as UTF-8 by spreadsheets (spreadsheet.py)
        assert "spreadsheets" in descriptor and "apostrophe" in descriptor["spreadsheets"]
        header = csv.read_text(encoding="utf-8-sig").splitlines()[0]
        assert "_" not in header, f"{csv.name}: {header}"
        assert not re.search(r"\d\.\d{6,}", csv.read_text(encoding="utf-8")), f"{csv.name}: float noise"
        assert descriptor["title"] and descriptor["sources"] and descriptor["licenses"]
        stem = csv.parent.name
        page, anchor = descriptor["figure"].split("#")
        assert page == f"{stem}.html" and csv.stem.startswith(anchor)
        assert f'id="{anchor}"' in (HTML / "chapters" / page).read_text(encoding="utf-8")
        report = validate(descriptor_path)
        assert report.valid, (csv.name, report.flatten(["type", "note"])[:5])


@pytest.mark.parametrize("stem", CHAPTERS)
def test_the_executed_notebook_has_outputs_and_the_chapter_links_how_to_rerun_it(stem):
    # The chapter ends with one line to its section of the re-users' page, which has the notebook
    # and the commands; the chapter itself shows neither.
    import nbformat

    notebook = nbformat.read(HTML / "_downloads" / "notebooks" / f"{stem}.ipynb", as_version=4)
    assert sum(len(c.get("outputs", [])) for c in notebook.cells if c.cell_type == "code") > 0
    page = (HTML / "chapters" / f"{stem}.html").read_text(encoding="utf-8")
    link = re.search(r'<p class="rerun-link">(.*?)</p>', page, re.S)
    assert link and f'href="maintainers.html#rerun-{stem}"' in link[1], stem
    assert "make lab" not in page and "make chapter" not in page
    reusers = (HTML / "chapters" / "maintainers.html").read_text(encoding="utf-8")
    section = re.search(rf'<section id="[^"]*">\s*<span id="rerun-{stem}"></span>(.*?)</section>', reusers, re.S)
    assert section, stem
    text = re.sub(r"<[^>]+>", "", section[1])  # the commands are highlighted, tag by tag
    assert f'href="../_downloads/notebooks/{stem}.ipynb"' in section[1]
    assert "make lab" in text and f"make chapter NAME={stem}" in text


def test_each_figure_and_claim_card_has_a_one_line_citation():
    page = (HTML / "chapters" / "flow-statistics.html").read_text(encoding="utf-8")
    assert page.count("Cite this figure: ") == page.count('<figure class="align-default" id="fig-')
    for html, word in ((HTML, "figure"), (SPANISH, "figura")):
        lines = [re.sub(r"<[^>]+>", "", line) for path in _pages(html)
                 for line in re.findall(r'<p class="citation-line figure-citation">(.*?)</p>', path.read_text(encoding="utf-8"), re.S)]
        assert len(lines) >= 12
        for line in lines:  # the chapter and the figure's number, linked: one line, not the caption again
            assert re.search(rf", {word} \d+(\.\d+)*\. Versi", line) and len(line) < 120, line
    register = (HTML / "chapters" / "claim-register.html").read_text(encoding="utf-8")
    assert register.count("Cite this claim") == register.count('class="claim-card')


def test_the_data_packages_readme_names_sources_and_says_where_the_code_is_not(tmp_path):
    meta = citation.book_metadata(ROOT / "CITATION.cff")
    with zipfile.ZipFile(HTML / "_downloads" / "data" / f"migration-report-data-{meta.version}.zip") as opened:
        readme = opened.read(f"migration-report-data-{meta.version}/README.md").decode("utf-8")
    sources = re.findall(r"- Sources:\n((?:  - .*\n)+)", readme)
    assert len(sources) == len(json.loads((ROOT / "data" / "datapackage.json").read_text())["resources"])
    assert not [s for s in sources if "creativecommons.org" in s or "See the source_key" in s]
    assert "python -m" not in readme and "no public address yet" in readme


def test_the_about_page_says_the_repository_has_no_address_yet():
    from migration_report.chapters.about.text import TEXT

    page = (HTML / "chapters" / "about.html").read_text(encoding="utf-8")
    assert TEXT["report_without_repository"].split(",")[0].replace("'", "’") in page  # Sphinx's smart quotes
    assert 'href="corrections.html"' in page and "claim-register.html#register-rules" in page


# ---- a copy of the book with both addresses set ------------------------------------------------

SOURCES = ["_config.yml", "_toc.yml", "references.bib", "CITATION.cff", "_static", "chapters", "data", "src",
           "requirements.txt"]


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    book = tmp_path_factory.mktemp("published") / "book"
    book.mkdir()
    for name in SOURCES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, book / name, ignore=shutil.ignore_patterns("__pycache__", ".ipynb_checkpoints"))
        else:
            shutil.copy2(source, book / name)
    config = yaml.safe_load((book / "_config.yml").read_text(encoding="utf-8"))
    config["html"]["baseurl"], config["repository"]["url"] = BASE, REPOSITORY
    (book / "_config.yml").write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    with open(book / "CITATION.cff", "a", encoding="utf-8") as cff:
        cff.write(f'url: "{BASE}"\nrepository-code: "{REPOSITORY}"\n')
    env = dict(os.environ, BOOK_ROOT=str(book), PYTHONPATH=str(book / "src"))
    logs = []
    for builder in ("pdf", "html"):  # the PDF first: the HTML's head names it
        result = subprocess.run([str(ROOT / "scripts" / "build-book"), builder], env=env, capture_output=True, text=True)
        assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
        logs.append(result.stdout + result.stderr)
    return book, "\n".join(logs)


def test_with_addresses_set_the_build_prints_no_notice(published):
    _, log = published
    assert "notice:" not in log


def test_the_published_address_reaches_every_place(published):
    book, _ = published
    html = book / "_build" / "html"
    for stem in CHAPTERS:
        url = f"{BASE}chapters/{stem}.html"
        page_text = (html / "chapters" / f"{stem}.html").read_text(encoding="utf-8")
        page = head(html / "chapters" / f"{stem}.html")
        assert ("canonical", url) in page.links, stem  # canonical link (html_baseurl)
        assert tags(page, "og:url") == [url] and tags(page, "citation_public_url") == [url]
        assert tags(page, "citation_pdf_url") == [f"{BASE}book.pdf"]
        assert f'href="{url}"' in page_text  # the cite box's reference
        check_citation_files(html, stem, url)
    # the re-run instructions, on the re-users' page (highlighted: compared without the tags)
    reusers = (html / "chapters" / "maintainers.html").read_text(encoding="utf-8")
    assert f"git clone {REPOSITORY}" in re.sub(r"<[^>]+>", "", reusers)
    introduction = head(html / "chapters" / "introduction.html")
    assert tags(introduction, "citation_public_url") == [BASE] and tags(introduction, "citation_pdf_url") == [f"{BASE}book.pdf"]
    assert tags(introduction, "og:url") == [f"{BASE}chapters/introduction.html"]
    with zipfile.ZipFile(html / "_downloads" / "data" / f"migration-report-data-{VERSION}.zip") as opened:
        readme = opened.read(f"migration-report-data-{VERSION}/README.md").decode("utf-8")
    assert f"<{REPOSITORY}>" in readme and "make data RAW=folder" in readme
    [data] = json.loads((html / "_downloads" / "citation" / f"{citation.DATA_FILES}.json").read_text(encoding="utf-8"))
    assert data["URL"] == f"{BASE}_downloads/data/migration-report-data-{VERSION}.zip"
    flows = (html / "chapters" / "flow-statistics.html").read_text(encoding="utf-8")
    assert f"{BASE}chapters/flow-statistics.html#fig-flow-monthly" in flows  # figure citation's link
    descriptor = json.loads((html / "_downloads" / "figure-data" / "chapters" / "flow-statistics"
                             / "fig-flow-monthly.resource.json").read_text(encoding="utf-8"))
    assert descriptor["figure"] == f"{BASE}chapters/flow-statistics.html#fig-flow-monthly"
    register = (html / "chapters" / "claim-register.html").read_text(encoding="utf-8")
    records = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', register, re.S)[1])
    records = records if isinstance(records, list) else records.get("@graph", [records])
    assert records and all(r["url"].startswith(f"{BASE}chapters/claim-register.html#claim-") for r in records)
    assert f"{BASE}chapters/claim-register.html\\#claim-" in register or f"{BASE}chapters/claim-register.html#claim-" in register
    about = (html / "chapters" / "about.html").read_text(encoding="utf-8")
    assert f'href="{REPOSITORY}/issues"' in about
    how_to_cite = re.sub(r"<[^>]+>", "", (html / "chapters" / "how-to-cite.html").read_text(encoding="utf-8"))
    assert f"{BASE}chapters/flow-statistics.html" in how_to_cite and f"url = {{{BASE}}}" in how_to_cite
    # the PDF links the HTML: the figure data, the citation files and the executed notebooks
    tex = (book / "_build" / "latex" / "book.tex").read_text(encoding="utf-8")
    tex = tex.replace("\\_", "_")  # LaTeX escapes the underscores of URLs
    assert f"\\sphinxhref{{{BASE}_downloads/figure-data/chapters/flow-statistics/fig-flow-monthly.csv}}" in tex
    assert f"\\sphinxhref{{{BASE}_downloads/notebooks/flow-statistics.ipynb}}" in tex
    assert f"{BASE}chapters/flow-statistics.html" in pdf_text(book / "_build" / "latex" / "book.pdf")
    assert placeholders_in(html) == []
