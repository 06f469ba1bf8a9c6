"""The claim register computed once per build and shared by the pages that show it.

Seven chapters show verdicts, and each used to compute the whole register (every chapter's
measurements, every table) in its own kernel, in each edition. `shared()` keeps the register in
the book's ``_build/register/``, under a key made of everything the register reads: the data
package, the package's code, the catalogues, the edition's language and the build date. The
first notebook of a build computes it; the others read it. Any change to those inputs is a new
key, so a stale register is never read.

Tests call `claims.register()`, which always computes: a test that patches a function must see
its patch.

The register is kept with pickle (one line why: its cells hold Python values, dicts of measured
figures among them, that CSV or JSON would not give back as they were). A cache file is only ever
read from the checkout's own ``_build/``, which holds the built book itself and is trusted as much.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from pathlib import Path

import pandas as pd

from ..core import checkout, data, i18n

CACHE = checkout.ROOT / "_build" / "register"
PACKAGE = Path(__file__).resolve().parents[1]
LOCALES = checkout.ROOT / "locales"
KEPT = 8  # registers kept: both editions of the last few builds


def inputs_key(lang: str) -> str:
    """A digest of everything the register of LANG is computed from."""
    digest = hashlib.sha256(f"{lang}\n{data.BUILD_DATE}\n".encode())
    for base, pattern in ((Path(data.DATA_DIR), "*"), (PACKAGE, "**/*.py"), (LOCALES, "**/*.po")):
        for path in sorted(p for p in base.glob(pattern) if p.is_file()):
            digest.update(f"{path.relative_to(base)}\n".encode())
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def _read(path: Path) -> pd.DataFrame | None:
    try:
        with path.open("rb") as handle:
            frame = pickle.load(handle)
    except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, ValueError):
        return None  # absent, or written by another version or cut short: computed again
    return frame if isinstance(frame, pd.DataFrame) else None


def _write(path: Path, frame: pd.DataFrame) -> None:
    """Written whole or not at all (two kernels of one build may finish it at once)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".register-", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            pickle.dump(frame, out, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, path)
    finally:
        Path(temporary).unlink(missing_ok=True)
    for old in sorted(path.parent.glob("*.pkl"), key=lambda p: p.stat().st_mtime, reverse=True)[KEPT:]:
        old.unlink(missing_ok=True)


def shared(compute, lang: str | None = None) -> pd.DataFrame:
    """The register of LANG (default: the build's edition) as COMPUTE(lang=...) makes it, computed
    once for the inputs it is made from."""
    lang = i18n.language(lang)
    path = CACHE / f"{inputs_key(lang)}.pkl"
    frame = _read(path)
    if frame is None:
        frame = compute(lang=lang)
        try:
            _write(path, frame)
        except OSError:
            pass  # a read-only checkout still gets its register, computed each time
    return frame.copy()
