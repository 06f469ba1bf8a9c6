"""ruff, with the project's rules (pyproject.toml), finds unused names in code and notebooks."""

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
RUFF = shutil.which("ruff", path=str(Path(sys.executable).parent)) or shutil.which("ruff")
pytestmark = [pytest.mark.venv,
              pytest.mark.skipif(RUFF is None, reason="ruff is not installed (make venv installs it from requirements.txt)")]


def ruff(*paths):
    return subprocess.run([RUFF, "check", "--no-cache", "--output-format", "concise",
                           "--config", str(ROOT / "pyproject.toml"), *map(str, paths)],
                          capture_output=True, text=True)


def test_the_repository_is_clean():
    result = ruff(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr


def test_unused_imports_and_variables_are_found_in_a_notebook(tmp_path):
    cell = {"cell_type": "code", "metadata": {}, "execution_count": None, "outputs": [],
            "source": "import os\n\ndef f():\n    unused = 1\n"}
    page = {"cells": [cell], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    (tmp_path / "page.ipynb").write_text(json.dumps(page), encoding="utf-8")
    result = ruff(tmp_path / "page.ipynb")
    assert result.returncode == 1
    assert "F401" in result.stdout and "F841" in result.stdout
