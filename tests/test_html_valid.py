"""Every HTML file of both editions passes the Nu Html Checker (vnu.jar, the W3C validator's
engine) with no error. One Java run over the whole built book (the Spanish edition is in es/).

The checker comes from the npm registry's `vnu-jar` package, which `make test` installs into
.venv/vnu (see the Makefile); it runs on the machine's Java. Run after the book is built
(marker `book`).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
HTML = ROOT / "_build" / "html"
VNU_JAR = Path(os.environ.get("VNU_JAR", ROOT / ".venv" / "vnu" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"))

pytestmark = pytest.mark.book


def test_every_page_of_both_editions_is_valid_html():
    if not VNU_JAR.is_file():
        pytest.fail(f"no Nu Html Checker at {VNU_JAR}: make book-checks installs it "
                    "(npm install --prefix .venv/vnu --no-save --ignore-scripts vnu-jar@<VNU_VERSION in the Makefile>)")
    if shutil.which("java") is None:
        pytest.fail("no java: apt-get install default-jre-headless (make system-packages)")
    pages = list(HTML.rglob("*.html"))
    assert (HTML / "es" / "chapters" / "glossary.html") in pages and len(pages) > 30, "build both editions first"
    run = subprocess.run(["java", "-jar", str(VNU_JAR), "--skip-non-html", "--errors-only", "--format", "json",
                          str(HTML)], capture_output=True, text=True, timeout=600)
    report = json.loads(run.stderr or run.stdout)
    errors = [f"{m.get('url', '').split('/_build/html/')[-1]}:{m.get('lastLine')}: {m['message']} "
              f"[{m.get('extract', '').strip()[:80]}]" for m in report["messages"] if m["type"] in ("error", "non-document-error")]
    assert errors == [], f"{len(errors)} errors of the Nu Html Checker:\n" + "\n".join(errors[:60])
    assert run.returncode == 0
