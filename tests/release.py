"""The release the tests expect, read from CITATION.cff, so that a release (a new version and date) breaks no test."""

from pathlib import Path

import yaml

_CFF = yaml.safe_load((Path(__file__).resolve().parents[1] / "CITATION.cff").read_text(encoding="utf-8"))
VERSION = str(_CFF["version"])
RELEASED = str(_CFF["date-released"])  # YYYY-MM-DD
YEAR = RELEASED[:4]
RELEASED_SLASHED = RELEASED.replace("-", "/")  # as RIS and the Highwire tags write it
DATE_PARTS = [int(part) for part in RELEASED.split("-")]  # as CSL-JSON's `issued` holds it
