"""Checks for `make chapter` / `scripts/run-chapter`: the chapter name and the papermill parameters.

    python -m migration_report.build.chapter_run NAME [-p name value ...]
    NAME=flow-statistics PARAMS='-p start 2021-10' python -m migration_report.build.chapter_run

prints the papermill arguments, NUL-separated, for scripts/run-chapter to pass on, or exits
with status 2 and one line saying what is wrong. NAME and PARAMS are read from the environment
when no arguments are given, so make never pastes them into a shell command: a name such as
`x"; touch FILE; echo "` is only ever a string compared with the table of contents.
"""

from __future__ import annotations

import difflib
import os
import shlex
import sys
from pathlib import Path
from migration_report.core.book_structure import notebooks
from migration_report.core.checkout import require_own_code


ROOT = Path(__file__).resolve().parents[3]


class UsageError(ValueError):
    """A chapter name or parameter that scripts/run-chapter refuses, with what was expected."""


def toc_chapters(root: Path = ROOT) -> list[str]:
    """The stems of the notebooks listed in _toc.yml, in book order (pages that are not notebooks are left out:
    papermill cannot run them)."""
    return [path.stem for path in notebooks(root)]


def check_name(name: str, chapters: list[str]) -> str:
    if name not in chapters:
        raise UsageError(f"NAME={name!r} is not a chapter of the book; expected one of: {', '.join(chapters)}")
    return name


def split_params(text: str) -> list[str]:
    """PARAMS as a shell would split it (quotes group words), without running a shell."""
    try:
        return shlex.split(text)
    except ValueError as err:
        raise UsageError(f"PARAMS={text!r} cannot be split into words ({err}); expected -p name value ...") from None


def parameter_pairs(words: list[str]) -> list[tuple[str, str]]:
    """`-p name value` triples as (name, value) pairs; anything else is refused, since papermill would
    take a stray word for its output path or an option."""
    pairs, rest = [], list(words)
    while rest:
        if rest[0] not in ("-p", "--parameters") or len(rest) < 3:
            raise UsageError(f"got {shlex.join(rest)!r} in PARAMS; expected only -p name value, e.g. -p start 2021-10")
        pairs.append((rest[1], rest[2]))
        rest = rest[3:]
    return pairs


def notebook_parameters(notebook: Path) -> list[str]:
    """The names in the notebook's `parameters` cell, as papermill reads them (the one reader, `citation.parameters`)."""
    from migration_report.core.citation import parameters

    return [parameter.name for parameter in parameters(notebook)]


def check_parameter_names(name: str, pairs: list[tuple[str, str]], valid: list[str]) -> None:
    for parameter, _value in pairs:
        if parameter not in valid:
            close = difflib.get_close_matches(parameter, valid, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise UsageError(f"parameter {parameter!r} is not a parameter of {name}{hint}; "
                             f"expected one of: {', '.join(valid)}")


def papermill_arguments(pairs: list[tuple[str, str]], root: Path = ROOT) -> list[str]:
    """`-p name value` for papermill. A value naming an existing file relative to the repository
    becomes an absolute path, because the notebook runs in the run folder."""
    args = []
    for parameter, value in pairs:
        if not os.path.isabs(value) and (root / value).is_file():
            value = str(root / value)
        args += ["-p", parameter, value]
    return args


def arguments(name: str, words: list[str], root: Path = ROOT) -> list[str]:
    """The checked papermill arguments for a re-run of chapter `name` with `words` (-p name value ...)."""
    check_name(name, toc_chapters(root))
    pairs = parameter_pairs(words)
    if pairs:  # reading the notebook's parameters needs papermill, slow to import
        check_parameter_names(name, pairs, notebook_parameters(root / "chapters" / f"{name}.ipynb"))
    return papermill_arguments(pairs, root)


def check_text(what: str, text: str) -> str:
    """TEXT as given, if it is UTF-8: Python reads other bytes of the environment or the command line as
    lone surrogates, which papermill could not write into the notebook (after the last run's page was gone)."""
    for index, char in enumerate(text):
        if "\udc80" <= char <= "\udcff":
            raise UsageError(f"{what} is not UTF-8 text (byte 0x{ord(char) - 0xDC00:02x} at character {index + 1} of "
                             f"{text.encode('utf-8', 'surrogateescape')!r}); give the values as UTF-8")
    return text


def main(argv: list[str] | None = None, environ=os.environ) -> int:
    argv = sys.argv[1:] if argv is None else argv
    require_own_code(Path.cwd())
    if argv:
        name, words = argv[0], argv[1:]
    else:
        name, words = environ.get("NAME", ""), None
    try:
        check_text("NAME", name)
        for word in words or []:
            check_text("a parameter", word)
        if words is None:
            check_text("PARAMS", environ.get("PARAMS", ""))
        if not name:
            raise UsageError("no chapter given; usage: make chapter NAME=<chapter stem> PARAMS='-p name value ...'")
        if words is None:
            words = split_params(environ.get("PARAMS", ""))
        args = arguments(name, words)
    except UsageError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    sys.stdout.write("\0".join(args) + ("\0" if args else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
