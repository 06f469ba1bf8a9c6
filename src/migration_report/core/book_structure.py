"""The book's structure, read once from _toc.yml with the parser jupyter-book itself uses.

Every part of the project that needs the reading order, the notebooks or the numbered chapters
asks here, so a change to _toc.yml (a new page, a renamed caption) reaches all of them alike.
"Chapters" are the pages of the numbered parts: nothing depends on a caption's wording.
"""

from __future__ import annotations

from pathlib import Path

from sphinx_external_toc.parsing import parse_toc_yaml

ROOT = Path(__file__).resolve().parents[3]


def pages(root: Path = ROOT) -> list[str]:
    """Every page's docname (e.g. 'chapters/flow-statistics'), in reading order, the root first."""
    site = parse_toc_yaml(Path(root) / "_toc.yml")
    order = [site.root.docname]

    def walk(docname):
        for subtree in site[docname].subtrees:
            for item in subtree.items:
                if isinstance(item, str):
                    order.append(item)
                    walk(item)

    walk(site.root.docname)
    return order


def numbered_chapters(root: Path = ROOT) -> list[str]:
    """The docnames of the pages in numbered parts: the book's chapters, as opposed to its appendices."""
    site = parse_toc_yaml(Path(root) / "_toc.yml")
    return [item for subtree in site[site.root.docname].subtrees if subtree.numbered
            for item in subtree.items if isinstance(item, str)]


def appendices(root: Path = ROOT) -> list[str]:
    """The docnames of the pages in unnumbered parts (the appendices), in reading order."""
    site = parse_toc_yaml(Path(root) / "_toc.yml")
    return [item for subtree in site[site.root.docname].subtrees if not subtree.numbered
            for item in subtree.items if isinstance(item, str)]


def notebooks(root: Path = ROOT) -> list[Path]:
    """The pages that are notebooks, in reading order, as paths."""
    return [Path(root) / f"{page}.ipynb" for page in pages(root) if (Path(root) / f"{page}.ipynb").is_file()]


REFERENCES_DOC = "chapters/references"  # the References page: an appendix that the PDF makes its bibliography


def appendix_docnames(root: Path = ROOT) -> list[str]:
    """The appendices that LaTeX letters (A, B …): every unnumbered part's page but the References."""
    return [d for d in appendices(root) if d != REFERENCES_DOC]
