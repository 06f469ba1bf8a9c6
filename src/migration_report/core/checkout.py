"""Which checkout of the book a command works on, and a refusal when Python runs another one's code.

    python -m migration_report.core.checkout [FOLDER]     (scripts/build-book and scripts/translations run it)

A checkout's virtual environment holds an editable install of the checkout it was made in. Copy
the checkout with its `.venv` (`cp -a book copy`) and that install still points at the first one:
`make book` in the copy would publish the first checkout's data and `make data` rewrite its data/.
make and the scripts put the checkout's own `src/` first on the path; this check stops any command
that would still import another checkout's `migration_report`, saying so and what to do.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]  # the checkout whose code this is


def enclosing_checkout(start: Path) -> Path | None:
    """The checkout START is in (a folder with the Makefile and src/migration_report), or None."""
    here = Path(start).resolve()
    for folder in (here, *here.parents):
        if (folder / "Makefile").is_file() and (folder / "src" / "migration_report" / "__init__.py").is_file():
            return folder
    return None


def other_checkout_message(start: Path) -> str | None:
    """Why the code imported here is not START's checkout's own, or None when it is (or START is in none)."""
    checkout = enclosing_checkout(start)
    if checkout is None or checkout == ROOT:
        return None
    return (f"error: this command works on the checkout {checkout}, but Python imported migration_report from "
            f"{ROOT / 'src'}, another checkout (the virtual environment {sys.prefix} was made there, or copied "
            f"from there); nothing was built or written. Run the command through make in {checkout}, which puts "
            f"its own src/ first, or give the checkout its own environment: cd {checkout} && rm -rf .venv && make venv")


def require_own_code(start: Path) -> None:
    """Stop (SystemExit, status 1) when the migration_report in use is not START's checkout's."""
    message = other_checkout_message(start)
    if message:
        raise SystemExit(message)


class NotebookNeeds(RuntimeError):
    """A chapter notebook run where it cannot be: what it needs, and what is missing."""


def check_notebook_needs(needs: str) -> None:
    """For a chapter's first cell: stop with NEEDS (what the notebook needs, said in that cell) and what is
    missing, when the book's data package is not there or the code is another checkout's."""
    from migration_report.core.data import DATA_DIR, PACKAGE_FILE

    missing = []
    if not (Path(DATA_DIR) / PACKAGE_FILE).is_file():
        missing.append(f"there is no data package at {Path(DATA_DIR) / PACKAGE_FILE}")
    other = other_checkout_message(Path.cwd())
    if other:
        missing.append(other.removeprefix("error: "))
    if missing:
        raise NotebookNeeds(f"{needs} ({'; '.join(missing)})")


def main(argv: list[str]) -> int:
    require_own_code(Path(argv[0]) if argv else Path.cwd())
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
