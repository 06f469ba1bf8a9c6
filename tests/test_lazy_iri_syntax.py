"""Every Python process of the environment starts without compiling jsonschema's IRI grammars
(src/lazy_iri_syntax.py, loaded by the .pth file make venv writes), and still checks IRIs."""

from __future__ import annotations

import subprocess
import sys

import pytest

CHECK = """
import sys, time
start = time.perf_counter()
import jsonschema
print("helpers at import:", "rfc3987_syntax.syntax_helpers" in sys.modules)
from jsonschema import Draft202012Validator
validator = Draft202012Validator({"format": "iri"}, format_checker=Draft202012Validator.FORMAT_CHECKER)
print("valid:", validator.is_valid("https://example.org/año?q=1"))
print("invalid:", validator.is_valid("http://exa mple.org/<>"))
print("helpers after a check:", "rfc3987_syntax.syntax_helpers" in sys.modules)
import rfc3987_syntax
print("other names:", rfc3987_syntax.parse("iri", "x:y").data, callable(rfc3987_syntax.is_valid_syntax_iri))
"""


@pytest.fixture(scope="module")
def printed() -> list[str]:
    """What CHECK prints in a fresh interpreter of the environment (one: compiling the grammars takes a second)."""
    result = subprocess.run([sys.executable, "-c", CHECK], capture_output=True, text=True, check=True)
    return result.stdout.splitlines()


def test_jsonschema_loads_the_iri_grammars_only_when_it_checks_an_iri(printed):
    assert printed[:4] == ["helpers at import: False", "valid: True", "invalid: False", "helpers after a check: True"]


def test_the_stand_in_gives_the_real_packages_other_names(printed):
    assert printed[4] == "other names: iri True"
