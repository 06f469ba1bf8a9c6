"""Execute the book's notebooks that the execution cache does not hold, one per core.

    .venv/bin/python -m migration_report.build.execute      (scripts/build-book runs it in the book root)

jupyter-book executes notebooks one after another while Sphinx reads them, and most of that
time is each kernel starting and importing pandas and the book's other libraries. This runs the notebooks the
cache lacks beforehand, as many at a time as there are cores, the same way MyST-NB would (in the
notebook's folder, with the timeout of _config.yml), with kernels forked from a server that has
imported those libraries once (migration_report.build.forked_kernels), and stores the results in
the same jupyter-cache; Sphinx then reads them from the cache. A notebook that fails here is left out of
the cache, so the build runs it again itself and reports the failing cell as it always does.
Only for `execute_notebooks: cache`; otherwise it does nothing.

Each notebook runs with a probe (migration_report.build.inputs) that records what it read: the files
it opened, the modules it imported, the environment values they depend on, and the environment
lock. The record is cached with the notebook; a cached notebook whose inputs have changed since
is executed again, and only such notebooks are.
"""

from __future__ import annotations

import copy
import fnmatch
import os
import sys
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path

import nbformat
import yaml

REPO = Path(__file__).resolve().parents[3]
# What a notebook's line says when its run here failed (the determinism check reads it too).
LEFT_TO_THE_BUILD = "the build runs it again and shows where it fails"


def with_probe(notebook):
    """A copy of the notebook between the two cells of the inputs probe."""
    from migration_report.build.inputs import PROBE_REPORT, PROBE_START

    probed = copy.deepcopy(notebook)
    probed.cells = [nbformat.v4.new_code_cell(PROBE_START)] + probed.cells + [nbformat.v4.new_code_cell(PROBE_REPORT)]
    return probed


def without_probe(probed):
    """The executed notebook as if run without the probe: its cells, numbered from 1; the report text."""
    report = "".join(o.get("text", "") for o in probed.cells[-1].outputs if o.get("output_type") == "stream")
    notebook = copy.deepcopy(probed)
    notebook.cells = notebook.cells[1:-1]
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        if cell.get("execution_count") is not None:
            cell.execution_count -= 1
        for output in cell.outputs:
            if output.get("execution_count") is not None:
                output.execution_count -= 1
    return notebook, report


def children_cpu() -> float:
    """CPU seconds of this process's finished children (the kernel server, once it has ended, with its
    kernels)."""
    import resource

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def execute(path: str, timeout: int, roots: list[Path], lock: str | None, server):
    """Run one notebook in its folder, its kernel forked from SERVER: (path, executed notebook or None,
    seconds, error text, inputs, the kernel's CPU seconds)."""
    from jupyter_cache.executors.utils import single_nb_execution

    from migration_report.build.forked_kernels import manager_class
    from migration_report.build.inputs import inputs_from_report, parse_report

    kernel_cpu = []
    for attempt in (1, 2):
        probed = with_probe(nbformat.read(path, as_version=4))
        try:
            # Shut down "immediate"ly: once the last cell has run, the notebook has written all it writes,
            # and a graceful shutdown waited 2-4 s more for ipykernel to exit in a fifth of the runs.
            result = single_nb_execution(probed, cwd=str(Path(path).parent), timeout=timeout, allow_errors=False,
                                         meta_override=True, kernel_manager_class=manager_class(server, kernel_cpu.append),
                                         shutdown_kernel="immediate")
            break
        except Exception as err:  # a kernel that did not start or died: once more, then the build's own run
            if attempt == 2:
                return path, None, 0.0, f"{err.__class__.__name__}: {err}", None, 0.0
    if result.err is not None:  # a failing cell: the build's own run shows it
        return path, None, result.time, f"{result.err.__class__.__name__}: {str(result.err)[:300]}", None, 0.0
    notebook, report = without_probe(probed)
    inputs = inputs_from_report(parse_report(report), roots, lock)
    return path, notebook, result.time, None, inputs.to_json(), sum(kernel_cpu)


def stale_reason(record, lock: str | None) -> str | None:
    """Why a cached notebook must execute again (an input changed, or none was recorded), or None."""
    from migration_report.build.inputs import NotebookInputs

    recorded = (record.data or {}).get("inputs")
    if recorded is None:
        return "its inputs were not recorded when it executed"
    changed = NotebookInputs.from_json(recorded).changed(lock)
    if changed is None:
        return None
    if Path(changed).is_absolute() and Path(changed).is_relative_to(Path.cwd()):
        changed = Path(changed).relative_to(Path.cwd()).as_posix()
    return f"{changed} changed since it executed"


def extra_kernels() -> int:
    """How many kernels beyond one per core to run at a time: BOOK_EXTRA_KERNELS (scripts/build-book
    gives the Spanish edition one), 0 if unset."""
    value = os.environ.get("BOOK_EXTRA_KERNELS") or "0"
    if not value.isdigit():
        raise SystemExit(f"error: BOOK_EXTRA_KERNELS must be a whole number of kernels, not {value!r}")
    return int(value)


def main() -> int:
    from migration_report.core.checkout import require_own_code

    require_own_code(REPO)
    # BOOK_CONFIG: another edition's settings (scripts/build-book), with an execution cache of its own
    config = yaml.safe_load(Path(os.environ.get("BOOK_CONFIG", "_config.yml")).read_text(encoding="utf-8")) or {}
    settings = config.get("execute", {}) or {}
    if settings.get("execute_notebooks", "auto") != "cache":
        return 0
    from jupyter_cache.base import CacheBundleIn

    from migration_report.build.execution_cache import open_cache, remove_record
    from migration_report.build.inputs import environment_lock, tracked_roots

    cache = open_cache(settings.get("cache") or "_build/.jupyter_cache")
    excluded = settings.get("exclude_patterns", []) or []
    from migration_report.core.book_structure import pages

    notebooks = [f"{name}.ipynb" for name in pages(Path.cwd()) if Path(f"{name}.ipynb").is_file()
                 and not any(fnmatch.fnmatch(f"{name}.ipynb", pattern) for pattern in excluded)]
    lock = environment_lock(Path.cwd(), REPO)
    to_run = []
    for name in notebooks:
        try:
            record = cache.match_cache_notebook(nbformat.read(name, as_version=4))
        except KeyError:
            to_run.append(str(Path(name).resolve()))
            continue
        reason = stale_reason(record, lock)
        if reason is not None:
            print(f"  {Path(name).stem}: {reason}; executing it again", flush=True)
            remove_record(cache, record)
            to_run.append(str(Path(name).resolve()))
    if not to_run:
        return 0
    to_run.sort(key=lambda p: Path(p).stat().st_size, reverse=True)  # the longest (likely) first
    workers = min(len(to_run), (os.cpu_count() or 1) + extra_kernels())
    timeout = int(settings.get("timeout", 30))
    print(f"Executing {len(to_run)} notebook(s), {workers} at a time: "
          + ", ".join(Path(p).stem for p in to_run), flush=True)
    from migration_report.build.forked_kernels import KernelServer

    start, cpu = time.perf_counter(), children_cpu()
    server = KernelServer()
    # Threads: each only waits for its kernel's replies; the kernels are the server's processes.
    with server, ThreadPoolExecutor(max_workers=workers) as pool:
        roots = tracked_roots(Path.cwd())
        futures = [pool.submit(execute, path, timeout, roots, lock, server) for path in to_run]
        for future in as_completed(futures):
            path, executed, seconds, error, inputs, kernel_cpu = future.result()
            if executed is None:
                print(f"  {Path(path).stem}: {error}; {LEFT_TO_THE_BUILD}", flush=True)
                continue
            cache.cache_notebook_bundle(CacheBundleIn(executed, path, data={"execution_seconds": seconds, "inputs": inputs}),
                                        check_validity=False, overwrite=True)
            # The kernel's CPU time reads the same on a busy machine (make bench adds it up).
            print(f"  Executed {Path(path).stem} in {seconds:.1f} s (kernel CPU {kernel_cpu:.1f} s)", flush=True)
    print(f"Notebooks executed in {time.perf_counter() - start:.1f} s (kernels' CPU {children_cpu() - cpu:.1f} s, "
          "with the imports they share)", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
