"""No broken internal link or anchor anywhere in the built HTML.

LinkChecker (from PyPI) crawls every page of _build/html with its AnchorCheck plugin on, so a
link to a missing page, file, image or `#anchor` (on the same page or another) fails. Links to
other sites are not followed: the check runs offline. Marker `book`: needs the built book.

The pages are read from a world-readable copy: run as root, LinkChecker drops its privileges
to `nobody`, who may not be able to read the checkout.
"""

from __future__ import annotations

import html
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from test_browser import HTML, SKIP_DIRS

pytestmark = pytest.mark.book

LINKCHECKER = Path(sys.executable).with_name("linkchecker")


def check_links(folder: Path, tmp_path: Path) -> list[str]:
    """Every broken link and missing anchor in the HTML pages under `folder`, one line each."""
    config = tmp_path / "linkcheckerrc"
    config.write_text("[checking]\nthreads=4\n[filtering]\ncheckextern=0\n[AnchorCheck]\n", encoding="utf-8")
    copy = Path(tempfile.mkdtemp(prefix="linkcheck-"))
    try:
        copy.chmod(0o755)
        shutil.copytree(folder, copy / "site", copy_function=shutil.copyfile)
        for path in [copy / "site", *(copy / "site").rglob("*")]:
            path.chmod(0o755 if path.is_dir() else 0o644)
        pages = sorted(p.relative_to(copy / "site").as_posix() for p in (copy / "site").rglob("*.html")
                       if not SKIP_DIRS & set(p.relative_to(copy / "site").parts))
        assert pages, f"no HTML pages in {folder}"
        base_url = (copy / "site").as_uri() + "/"
        result = subprocess.run(
            [str(LINKCHECKER), "--config", str(config), "--no-status", "--output", "xml",
             *[base_url + page for page in pages]],
            capture_output=True, text=True, timeout=600, cwd=copy)
    finally:
        shutil.rmtree(copy)
    assert result.returncode in (0, 1), f"linkchecker failed to run:\n{result.stderr}"
    problems = []
    for entry in ET.fromstring(result.stdout).iter("urldata"):
        warnings = [" ".join(w.text.split()) for w in entry.iter("warning")]
        valid = entry.findtext("valid") == "1"
        if valid and not warnings:
            continue
        parent = entry.find("parent")
        where = (parent.text or "").replace(base_url, "") if parent is not None else "(start page)"
        line = parent.get("line") if parent is not None else "?"
        result_text = entry.find("valid").get("result", "invalid") if entry.find("valid") is not None else "invalid"
        what = "; ".join(warnings) if valid else " ".join(html.unescape(result_text).split())
        problems.append(f"{where}, line {line}: {entry.findtext('url')}: {what}")
    if result.returncode == 1 and not problems:
        problems.append("linkchecker reported a problem it did not list:\n" + result.stdout[-2000:])
    return problems


def test_no_broken_internal_link_or_anchor(tmp_path):
    if not HTML.is_dir():
        pytest.fail(f"no built book in {HTML}; run `make book` first")
    problems = check_links(HTML, tmp_path)
    assert not problems, "broken links:\n" + "\n".join(problems)


def test_the_link_check_catches_a_missing_page_and_a_missing_anchor(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text(
        '<html><body><a href="other.html#here">fine</a> <a href="other.html#gone">no anchor</a> '
        '<a href="#nowhere">no anchor here either</a> <a href="missing.html">no page</a> '
        '<a href="https://example.org/">not followed</a></body></html>', encoding="utf-8")
    (site / "other.html").write_text('<html><body><p id="here">here</p></body></html>', encoding="utf-8")
    problems = check_links(site, tmp_path)
    assert len(problems) == 3, problems
    assert any("other.html#gone" in p and "Anchor" in p for p in problems)
    assert any("#nowhere" in p for p in problems)
    assert any("missing.html" in p and "No such file" in p for p in problems)
