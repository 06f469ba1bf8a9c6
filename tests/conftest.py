from pathlib import Path

import pytest
from pybtex.database import parse_file

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def bib_keys() -> set[str]:
    """The entry keys of references.bib."""
    return set(parse_file(ROOT / "references.bib").entries)
