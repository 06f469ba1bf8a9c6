"""Keep the notebook execution cache (jupyter-cache, `_build/.jupyter_cache`) trustworthy.

A build killed while jupyter-cache was writing leaves a cache that breaks every later build:
an empty or half-written cached notebook (nbformat's NotJSONError when Sphinx reads it) or a
damaged `global.db` (a bare sqlite3.DatabaseError). `open_cache` finds such damage before
anything reads the cache, says so in one line and discards the damaged part, so the notebooks
concerned simply execute again.
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import nbformat
from sqlalchemy.exc import SQLAlchemyError


def _say(message: str) -> None:
    print(message, flush=True)


def _database_error(cache) -> str | None:
    """The error reading the cache's database, or None if every record can be listed."""
    try:
        cache.list_cache_records()
        cache.list_project_records()
    except (SQLAlchemyError, sqlite3.Error) as err:
        return _first_line(err)
    except RuntimeError as err:  # jupyter-cache wraps sqlalchemy's OperationalError (e.g. an empty file)
        if isinstance(err.__cause__, (SQLAlchemyError, sqlite3.Error)):
            return _first_line(err.__cause__)
        raise
    return None


def _first_line(err: BaseException) -> str:
    return f"{err.__class__.__name__}: {str(err).splitlines()[0]}"


def _notebook_error(path: Path) -> str | None:
    """Why the cached notebook at `path` cannot be read, or None if it can."""
    try:
        nbformat.reads(path.read_text(encoding="utf-8"), nbformat.NO_CONVERT)
    except FileNotFoundError:
        return "its notebook file is missing"
    except Exception as err:  # NotJSONError, a validation error, a decoding error: all unusable
        return f"{err.__class__.__name__}"
    return None


def remove_record(cache, record) -> None:
    """Drop one cache record and its folder, whatever state the folder is in."""
    from jupyter_cache.cache.db import NbCacheRecord

    shutil.rmtree(Path(cache.path) / "executed" / record.hashkey, ignore_errors=True)
    NbCacheRecord.remove_records([record.pk], cache.db)


def discard_broken_records(cache) -> list[str]:
    """Remove the records whose cached notebook is missing or unreadable; their URIs."""
    removed = []
    for record in cache.list_cache_records():
        problem = _notebook_error(Path(cache.path) / "executed" / record.hashkey / "base.ipynb")
        if problem is not None:
            _say(f"Execution cache: the cached {Path(record.uri).name} is unreadable ({problem}); "
                 "discarding it, the notebook executes again")
            remove_record(cache, record)
            removed.append(record.uri)
    return removed


def open_cache(path):
    """The jupyter-cache at `path`, with any damage a killed build left discarded first."""
    from jupyter_cache import get_cache

    cache = get_cache(path)
    problem = _database_error(cache)
    if problem is not None:
        _say(f"Execution cache: {Path(path) / 'global.db'} is damaged ({problem}); "
             "discarding the whole cache, every notebook executes again")
        cache.clear_cache()
        cache = get_cache(path)
    discard_broken_records(cache)
    return cache
