"""What each notebook read when it executed, so the build re-executes exactly the stale ones.

jupyter-cache keys a cached notebook on its code cells only. migration_report.build.execute runs
each notebook with a probe around it: a first cell that records, through an audit hook, every
file the kernel opens for reading, and a last cell that reports those files and the source files
of the modules imported. Both cells are removed again before the notebook is cached, with the
record of its inputs (`NotebookInputs`) beside it. Before a build uses the cache, each cached
notebook's inputs are compared with the files as they are now; one whose input changed (a data
table, a module of this package, CITATION.cff, the target of a symlinked data file, the data
folder chosen by MIGRATION_REPORT_DATA, the pinned environment) is executed again, the others
are not.

Only files under the tracked roots count (the book, this package, the data folder); the
installed packages are covered by the environment lock (requirements.txt) instead.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

# Environment variables a module reads at import time, by the module that reads them: a
# notebook that imported the module depends on the value.
ENVIRONMENT_BY_MODULE = {"migration_report.core.data": ("MIGRATION_REPORT_DATA",),
                         "migration_report.core.i18n": ("MIGRATION_REPORT_LANGUAGE",)}  # the edition
# Under the tracked roots, but not inputs: build outputs, caches, virtual environments.
IGNORED_PARTS = {"_build", "__pycache__", ".git", ".venv", ".venv-cff", ".ipynb_checkpoints", ".pytest_cache"}
REPORT_PREFIX = "migration-report-inputs:"

# Run in the kernel before the notebook's first cell. Audit hooks cannot be removed, which is
# what is wanted: every open until the kernel stops is seen. The hook only collects paths;
# they are filtered and hashed afterwards, outside the kernel.
PROBE_START = """\
def _book_inputs_probe():
    import os, sys
    opened = sys.__dict__.setdefault("_book_inputs_opened", set())
    writing = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND
    def hook(event, args):
        if event != "open":
            return
        path, mode, flags = args
        if isinstance(path, int) or path is None:
            return
        if mode is not None and any(c in mode for c in "wax+"):
            return
        if mode is None and flags & writing:
            return
        opened.add(os.path.abspath(os.fsdecode(path)))
    sys.addaudithook(hook)
_book_inputs_probe()
del _book_inputs_probe
"""

# Run in the kernel after the notebook's last cell: one line of JSON on stdout.
PROBE_REPORT = f"""\
def _book_inputs_report():
    import json, os, sys
    environment = {ENVIRONMENT_BY_MODULE!r}
    modules = {{name: getattr(module, "__file__", None) for name, module in list(sys.modules.items())}}
    print({REPORT_PREFIX!r} + json.dumps({{
        "opened": sorted(sys.__dict__.get("_book_inputs_opened", ())),
        "modules": sorted({{os.path.abspath(path) for path in modules.values() if isinstance(path, str)}}),
        "environment": {{variable: os.environ.get(variable) for name, variables in environment.items()
                        if name in modules for variable in variables}},
    }}))
_book_inputs_report()
del _book_inputs_report
"""


def sha256(path: Path) -> str | None:
    """The SHA-256 of the file's content (a symlink's target), or None if there is none."""
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
        return None


def environment_lock(book_root: Path, repo_root: Path) -> str | None:
    """SHA-256 of the pinned environment: the book's requirements.txt, else the repository's."""
    for folder in (book_root, repo_root):
        if (Path(folder) / "requirements.txt").is_file():
            return sha256(Path(folder) / "requirements.txt")
    return None


def tracked_roots(book_root: Path) -> list[Path]:
    """The folders whose files count as a notebook's inputs: the book, this package, the data."""
    from migration_report.core.data import DATA_DIR

    package = Path(__file__).resolve().parents[1]  # the whole migration_report package
    return [Path(book_root).resolve(), package, Path(os.environ.get("MIGRATION_REPORT_DATA", DATA_DIR)).resolve()]


def _is_tracked(path: Path, roots: list[Path]) -> bool:
    resolved = path.resolve()
    for root in roots:
        for candidate in (path, resolved):  # a symlink inside the book to a file outside it counts
            if candidate.is_relative_to(root) and not IGNORED_PARTS & set(candidate.relative_to(root).parts):
                return True
    return False


@dataclass
class NotebookInputs:
    """What one execution read: file -> SHA-256 of its content, environment values, the lock."""

    files: dict[str, str | None] = field(default_factory=dict)
    environment: dict[str, str | None] = field(default_factory=dict)
    lock: str | None = None
    python: str = sys.version

    def to_json(self) -> dict:
        return {"files": self.files, "environment": self.environment, "lock": self.lock, "python": self.python}

    @classmethod
    def from_json(cls, data: dict) -> NotebookInputs:
        return cls(files=dict(data["files"]), environment=dict(data["environment"]), lock=data["lock"],
                   python=data["python"])

    def changed(self, lock: str | None) -> str | None:
        """The first input that differs now from when the notebook executed, or None."""
        if self.python != sys.version:
            return "the Python version"
        if self.lock != lock:
            return "the environment lock (requirements.txt)"
        for variable, value in sorted(self.environment.items()):
            if os.environ.get(variable) != value:
                return f"the environment variable {variable}"
        for path, digest in sorted(self.files.items()):
            if sha256(Path(path)) != digest:
                return path
        return None


def parse_report(stdout: str) -> dict:
    """The probe's report from the text of the report cell's output."""
    for line in stdout.splitlines():
        if line.startswith(REPORT_PREFIX):
            return json.loads(line[len(REPORT_PREFIX):])
    raise ValueError("the notebook's inputs probe printed no report")


def inputs_from_report(report: dict, roots: list[Path], lock: str | None) -> NotebookInputs:
    """The tracked files among those the kernel opened or imported, hashed now."""
    candidates = {Path(p) for p in report["opened"]} | {Path(p) for p in report["modules"]}
    files = {str(path): sha256(path) for path in sorted(candidates)
             if _is_tracked(path, roots) and path.suffix not in (".pyc",) and not path.is_dir()}
    return NotebookInputs(files=files, environment=dict(report["environment"]), lock=lock)
