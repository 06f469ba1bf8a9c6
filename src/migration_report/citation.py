"""How to cite the book and each chapter, and how to re-run a chapter.

Everything comes from one place: the book's metadata in CITATION.cff (title, authors, version,
release date, URL), the chapter's title and its stable URL (the file stem), and the chapter's
`parameters` cell. The Sphinx extension `migration_report.sphinx_ext` puts the boxes built
from these at the end of every chapter.
"""

from __future__ import annotations

import ast
import io
import json
import tokenize
from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class BookMetadata:
    title: str
    authors: tuple[str, ...]
    version: str
    released: str  # ISO date
    url: str  # where the HTML book is published, ending in "/"
    licence: str

    @property
    def year(self) -> str:
        return self.released[:4]


def book_metadata(cff_path: Path = ROOT / "CITATION.cff") -> BookMetadata:
    cff = yaml.safe_load(Path(cff_path).read_text(encoding="utf-8"))
    authors = tuple(a.get("name") or f"{a['family-names']}, {a['given-names']}" for a in cff["authors"])
    url = cff["url"] if cff["url"].endswith("/") else cff["url"] + "/"
    return BookMetadata(
        title=cff["title"],
        authors=authors,
        version=str(cff["version"]),
        released=str(cff["date-released"]),
        url=url,
        licence=cff["license"],
    )


def chapter_url(stem: str, meta: BookMetadata) -> str:
    return f"{meta.url}chapters/{stem}.html"


def bibtex(stem: str, chapter_title: str, meta: BookMetadata) -> str:
    authors = " and ".join("{" + a + "}" for a in meta.authors)
    fields = {
        "author": authors,
        "title": chapter_title,
        "booktitle": meta.title,
        "year": meta.year,
        "version": meta.version,
        "url": chapter_url(stem, meta),
        "note": f"Version {meta.version}",
    }
    body = ",\n".join(f"  {key} = {{{value}}}" for key, value in fields.items())
    return f"@incollection{{{citation_key(stem, meta)},\n{body}\n}}"


def citation_key(stem: str, meta: BookMetadata) -> str:
    return f"migration-report-{meta.year}-{stem}"


def apa(stem: str, chapter_title: str, meta: BookMetadata) -> str:
    """An APA-style reference line (plain text; the book title would be italic in print)."""
    authors = ", ".join(meta.authors)
    return (
        f"{authors}. ({meta.year}). {chapter_title}. In {meta.title} (Version {meta.version}). "
        f"{chapter_url(stem, meta)}"
    )


def book_bibtex(meta: BookMetadata) -> str:
    authors = " and ".join("{" + a + "}" for a in meta.authors)
    fields = {"author": authors, "title": meta.title, "year": meta.year, "version": meta.version,
              "url": meta.url, "note": f"Version {meta.version}"}
    body = ",\n".join(f"  {key} = {{{value}}}" for key, value in fields.items())
    return f"@book{{migration-report-{meta.year},\n{body}\n}}"


def book_apa(meta: BookMetadata) -> str:
    return f"{', '.join(meta.authors)}. ({meta.year}). {meta.title} (Version {meta.version}). {meta.url}"


@dataclass(frozen=True)
class Parameter:
    name: str
    default: str  # as written in the notebook
    help: str  # the comment after it: what the value means and which values are valid


def parameters(notebook_path: Path) -> list[Parameter]:
    """The parameters of a chapter: the assignments in its cell tagged `parameters`."""
    notebook = json.loads(Path(notebook_path).read_text(encoding="utf-8"))
    cell = next(
        (c for c in notebook["cells"] if "parameters" in c.get("metadata", {}).get("tags", [])), None
    )
    if cell is None:
        return []
    source = "".join(cell["source"])
    comments = {
        token.start[0]: token.string.lstrip("#").strip()
        for token in tokenize.generate_tokens(io.StringIO(source).readline)
        if token.type == tokenize.COMMENT
    }
    result = []
    for node in ast.parse(source).body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            default = ast.get_source_segment(source, node.value)
            result.append(Parameter(node.targets[0].id, default, comments.get(node.lineno, "")))
    return result


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
