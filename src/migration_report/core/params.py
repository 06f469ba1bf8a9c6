"""Checks for the papermill parameters of the chapters.

Each check returns the cleaned value or raises `ParameterError`, whose message names the
parameter, the value received and what was expected, so a bad `-p` stops a re-run at once.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import ClassVar
from pathlib import Path

import pandas as pd


class ParameterError(ValueError):
    """A chapter parameter has a value the chapter cannot use."""

    def __init__(self, name: str, value, expected: str):
        self.name = name
        self.value = value
        self.expected = expected
        super().__init__(f"parameter '{name}': got {value!r}, expected {expected}")


@dataclass(frozen=True, eq=False)
class Params:
    """Base of a chapter's checked parameters: each chapter module's `check_parameters(**params)`
    returns a frozen dataclass derived from it (FundingParams, FlowParams, ...).

    Iterating yields the fields named in UNPACK and `checked["name"]` reads a field, because the
    notebooks written before these classes unpack a tuple or index a dict, and must keep working.
    (eq=False: the fields include DataFrames, which have no single truth value.)
    """

    UNPACK: ClassVar[tuple[str, ...]] = ()

    def __iter__(self):
        return (getattr(self, name) for name in self.UNPACK)

    def __getitem__(self, name: str):
        try:
            return getattr(self, name)
        except AttributeError:
            raise KeyError(name) from None


_MONTH = re.compile(r"\d{4}-(0[1-9]|1[0-2])")


def month(name: str, value, *, first: pd.Timestamp, last: pd.Timestamp) -> pd.Timestamp:
    """A 'YYYY-MM' string inside [first, last], as the Timestamp of its first day."""
    if not isinstance(value, str) or not _MONTH.fullmatch(value):
        raise ParameterError(name, value, "a month as a 'YYYY-MM' string, e.g. '2023-06'")
    stamp = pd.Timestamp(value + "-01")
    if not first <= stamp <= last:
        raise ParameterError(name, value, f"a month from {first:%Y-%m} to {last:%Y-%m} (the months in the data)")
    return stamp


def window(start, end, *, first: pd.Timestamp, last: pd.Timestamp, start_name="start", end_name="end"):
    """Two months (None means the first or last month of the data) with start <= end."""
    start_ts = first if start is None else month(start_name, start, first=first, last=last)
    end_ts = last if end is None else month(end_name, end, first=first, last=last)
    if end_ts < start_ts:
        raise ParameterError(end_name, end, f"a month not before {start_name} ({start_ts:%Y-%m})")
    return start_ts, end_ts


def choice(name: str, value, allowed: Sequence):
    """One of a fixed set of values."""
    if value not in allowed:
        raise ParameterError(name, value, "one of " + ", ".join(map(repr, allowed)))
    return value


def subset(name: str, values, allowed: Iterable[str], *, default: Sequence[str] | None = None) -> list[str]:
    """A list of values from `allowed`; None means `default` (or all of `allowed`)."""
    allowed = list(allowed)
    if values is None:
        return list(default if default is not None else allowed)
    if isinstance(values, str) or not isinstance(values, (list, tuple)):
        raise ParameterError(name, values, "a list of names, e.g. ['MEXICO', 'CUBA']")
    if not values:
        raise ParameterError(name, values, "a non-empty list")
    unknown = [v for v in values if v not in allowed]
    if unknown:
        raise ParameterError(name, unknown[0], "one of " + ", ".join(map(repr, allowed)))
    return list(dict.fromkeys(values))


def integer(name: str, value, *, allowed: Sequence[int]) -> int:
    """A whole number from a known set (for example the fiscal years in the data)."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise ParameterError(name, value, "a whole number")
    if value not in allowed:
        raise ParameterError(name, value, f"one of {min(allowed)}–{max(allowed)} (the values in the data)")
    return value


def output_dir(value, name: str = "output_dir", *, book: Path | None = None) -> Path:
    """The folder for the chapter's figure data, resolved: inside the `_build/` folder of the book the
    notebook belongs to, and not an existing file.

    The book is the one the kernel runs in (settings.book_root: the folder with _config.yml at or above
    the working folder, where the book build and make chapter run a notebook), else the checkout whose
    code the notebook imports (papermill or Jupyter started anywhere else). A relative path is read from
    the book's chapters/ folder, where the notebooks are, never from the folder papermill was started in:
    the default `../_build/figure-data/<chapter>` is the same folder however the chapter is run. A path
    outside `_build/` (`../../../../chapters`, another folder) is refused: a run writes nowhere else."""
    if not isinstance(value, (str, os.PathLike)) or not str(value).strip():
        raise ParameterError(name, value, "a folder path as a string, e.g. 'figure-data'")
    from migration_report.core.settings import book_root

    book = Path(book or book_root()).resolve()
    path = Path(value)
    resolved = (path if path.is_absolute() else book / "chapters" / path).resolve()
    allowed = (book / "_build").resolve()
    if not resolved.is_relative_to(allowed):
        raise ParameterError(name, value, f"a folder inside {allowed}, the book's _build folder (relative paths are "
                                          "read from its chapters folder; figure data are written nowhere else)")
    if resolved.exists() and not resolved.is_dir():
        raise ParameterError(name, value, "a folder (this path is an existing file)")
    return resolved
