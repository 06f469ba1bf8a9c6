"""Check that a second, clean build of the book gives the same files as _build/html.

    .venv/bin/python -m migration_report.build.determinism        (make test runs it, offline)

The sources are copied to _build/determinism/book and built there from scratch, in another
folder and with an empty execution cache, so every notebook runs again. The PDF that the HTML
links (_build/latex/book.pdf, if built) is copied along; its own bytes are not compared. Then every file of
the two HTML trees is compared byte for byte:

- figures (`_images/`) and the figure data (`_downloads/`) must be identical;
- HTML pages must be identical too: the only date in them ("Last updated on ...",
  `html_last_updated_fmt` in _config.yml) comes from SOURCE_DATE_EPOCH, which scripts/build-book
  sets to the last commit's time, the same for both builds.

Then the copy is built once more with nothing changed: that rebuild must execute no notebook, write
no page, and leave every file as the clean build made it.

Exits 1 and lists the differing files, with the first differing lines, otherwise 0.
"""

from __future__ import annotations

import difflib
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from migration_report.build.execute import LEFT_TO_THE_BUILD
from migration_report.core import edition
from migration_report.core.i18n import LANGUAGES

ROOT = Path(__file__).resolve().parents[3]
REFERENCE = ROOT / "_build" / "html"
WORK = ROOT / "_build" / "determinism"
SOURCES = ["_config.yml", "_toc.yml", "references.bib", "CITATION.cff", "_static", "chapters", "data", "locales", "src"]


def copy_sources(target: Path) -> None:
    """A fresh copy of what a book build reads (SOURCES) into TARGET, without caches (also `make bench`'s)."""
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", ".ipynb_checkpoints", "*.egg-info")
    target.mkdir(parents=True)
    for name in SOURCES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, target / name, ignore=ignore)
        elif source.is_file():
            shutil.copy2(source, target / name)

def files(tree: Path) -> set[str]:
    return {p.relative_to(tree).as_posix() for p in tree.rglob("*") if p.is_file()}


def compare(first: Path, second: Path) -> list[str]:
    problems = []
    a, b = files(first), files(second)
    for name in sorted(a - b):
        problems.append(f"{name}: only in the first build")
    for name in sorted(b - a):
        problems.append(f"{name}: only in the second build")
    for name in sorted(a & b):
        one, two = (first / name).read_bytes(), (second / name).read_bytes()
        if one == two:
            continue
        kind = "figure" if name.startswith("_images/") else "figure data" if name.startswith("_downloads/") else "file"
        if name.endswith(".html"):
            text_one, text_two = one.decode("utf-8"), two.decode("utf-8")
            diff = list(difflib.unified_diff(text_one.splitlines(), text_two.splitlines(), "first", "second",
                                             n=0, lineterm=""))[2:8]
            problems.append(f"{name}: HTML differs:\n    " + "\n    ".join(
                line[:200] for line in diff))
        else:
            problems.append(f"{name}: {kind} differs ({len(one):,} vs {len(two):,} bytes)")
    return problems


def build_book(book: Path) -> tuple[str | None, str]:
    """(an error or None, the output) of scripts/build-book html on BOOK."""
    build = subprocess.run([str(ROOT / "scripts" / "build-book"), "html"], env=dict(os.environ, BOOK_ROOT=str(book)),
                           capture_output=True, text=True)
    output = build.stdout + build.stderr
    return (None if build.returncode == 0 else output[-5000:]), output


def executed_count(output: str) -> int:
    return len(re.findall(r"^  Executed \S+ in ", output, flags=re.M)) + output.count("Executed notebook")


def written_pages(output: str) -> list[str]:
    """The pages Sphinx wrote, in either edition ("writing output... [ 50%] chapters/corrections")."""
    return re.findall(r"writing output\.\.\. \S*\[\s*\d+%\]\s*\S*?([\w/.-]+)", re.sub(r"\x1b\[[\d;]*m", "", output))


def main() -> int:
    if not (REFERENCE / "index.html").is_file():
        print(f"error: no built book in {REFERENCE}; run `make book` first", file=sys.stderr)
        return 2
    shutil.rmtree(WORK, ignore_errors=True)
    book = WORK / "book"
    copy_sources(book)
    # The introduction links the PDF and the HTML carries a copy of it when one has been built
    # (migration_report.sphinx.boxes); give the second build the same PDF, which is not compared here.
    for language in LANGUAGES:  # each edition's PDF, which its pages link
        name = edition.pdf_path(language)
        if (ROOT / name).is_file():
            (book / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, book / name)
    print(f"Second clean build, in {book.relative_to(ROOT)} ...", flush=True)
    error, output = build_book(book)
    if error:
        print(error, file=sys.stderr)
        print("error: the second build failed", file=sys.stderr)
        return 1
    executed = executed_count(output)
    (WORK / "clean-build.log").write_text(output, encoding="utf-8")
    second = book / "_build" / "html"
    problems = compare(REFERENCE, second)
    total = len(files(REFERENCE))
    figures = len([n for n in files(REFERENCE) if n.startswith("_images/")])
    if problems:
        print(f"NOT DETERMINISTIC: {len(problems)} of {total} files differ between _build/html and "
              f"{second.relative_to(ROOT)}:")
        for problem in problems:
            print("  " + problem)
        return 1
    print(f"Deterministic: {total} files ({figures} figures) identical in two builds "
          f"({executed} notebooks re-executed).")
    fallback = [line.strip() for line in output.splitlines() if line.endswith(LEFT_TO_THE_BUILD)]
    if fallback:
        # A notebook the build executed itself (its parallel run failed) has no recorded inputs, so the
        # rebuild executes it again: that says nothing of the rebuild, and the note shows why it failed.
        print("Not checked: a rebuild with nothing changed (the clean build executed a notebook itself, after its "
              "parallel run failed):\n  " + "\n  ".join(fallback))
        shutil.rmtree(WORK)
        return 0
    clean = {name: (second / name).read_bytes() for name in files(second)}
    error, output = build_book(book)
    if error:
        print(error, file=sys.stderr)
        print("error: the rebuild with nothing changed failed", file=sys.stderr)
        return 1
    (WORK / "rebuild.log").write_text(output, encoding="utf-8")
    rebuilt = {name: (second / name).read_bytes() for name in files(second)}
    changed = sorted(name for name in clean.keys() | rebuilt.keys() if clean.get(name) != rebuilt.get(name))
    written, executed = written_pages(output), executed_count(output)
    if changed or written or executed:
        print(f"NOT STABLE: a rebuild with nothing changed executed {executed} notebook(s), wrote "
              f"{len(written)} page(s) ({', '.join(written) or 'none'}) and changed {len(changed)} file(s)"
              + "".join(f"\n  {name}" for name in changed[:20])
              + "".join(f"\n{line}" for line in output.splitlines() if line.endswith("; executing it again"))
              + f"\n(both builds' output: {WORK.relative_to(ROOT)}/clean-build.log, rebuild.log)")
        return 1
    print(f"Stable: a rebuild with nothing changed executed no notebook, wrote no page and left all {len(rebuilt)} "
          "files as they were.")
    shutil.rmtree(WORK)
    return 0


if __name__ == "__main__":
    sys.exit(main())
