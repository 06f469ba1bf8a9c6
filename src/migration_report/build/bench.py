"""Build, run and reading figures for the book, in one run on this machine (`make bench`).

    .venv/bin/python -m migration_report.build.bench [--repeat N] [--skip-pdf] [--skip-lighthouse] [--only SECTION ...]

Prints, all measured in this run with the project's pinned environment (issue 26's targets beside
each figure; the machine is shared, so read the ratios, which are measured in one run, not the seconds):
- the `jupyter-book create` template book, built clean: the baseline;
- the book's clean HTML build of both editions (a fresh copy of the sources, empty execution
  caches), its no-change rebuild, and a rebuild after editing a code cell of one chapter (which
  must re-execute that chapter alone, once per edition); the English edition alone, clean, for
  what the Spanish edition adds (the most that executing each notebook once for both could save);
- the PDF build of both editions after the HTML one (from the execution caches: what the PDF
  build itself costs, the charts' images included);
- each notebook under papermill, as `make chapter` runs it (the path a reader takes to re-run a
  chapter), next to a minimal notebook that only imports pandas and matplotlib (the floor);
- the claim register's computation, and read back as the other pages of a build read it;
- `make test`'s stages (wall time), from its last run, or measured with --with-tests;
- every page's weight as a browser receives it from a server that compresses text (gzip), its own
  figures left out, in both editions;
- Lighthouse (mobile profile, Debian's Chromium) on the introduction, the register and
  flow-statistics in both editions, when tools/lighthouse is installed (`make bench` installs it).
Work files go to _build/bench (removed at the end). Benchmarks are figures to read, not pass/fail
tests: the exit status is 0 whatever they show.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

from .bench_pages import LIGHTHOUSE, lighthouse, page_weights
from .determinism import copy_sources

ROOT = Path(__file__).resolve().parents[3]
BIN = ROOT / ".venv" / "bin"
WORK = ROOT / "_build" / "bench"
EDITED = "flow-statistics"  # the chapter whose code cell the rebuild figure edits
SECTIONS = ("builds", "pdf", "papermill", "register", "weights", "lighthouse")
LOGS = ROOT / "_build" / "bench-logs"  # the builds' messages (make bench keeps them)
STAGES = ROOT / "_build" / "test-stages.txt"  # written by make test (scripts/timed)

TARGETS = {"clean": 6.0, "nochange": 1.5, "chapter": 2.0, "page_kb": 350, "chart_page_kb": 550, "lighthouse": 90}


def children_cpu() -> float:
    """CPU seconds of this process's finished children and their descendants (each one waited for)."""
    import resource

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


CPU = {}  # label -> CPU seconds of the last command run with that label


def run(command, *, cwd=ROOT, env=None, label=""):
    """Run a command; return (seconds, combined output). Exit on failure. Its CPU time (with its
    children's: kernels, Sphinx) goes to CPU[label]: on a shared machine it varies far less than
    the wall time."""
    start, cpu = time.perf_counter(), children_cpu()
    result = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    CPU[label] = children_cpu() - cpu
    output = result.stdout + result.stderr
    if result.returncode != 0:
        print(output[-4000:], file=sys.stderr)
        sys.exit(f"error: {label or command[0]} failed (exit {result.returncode})")
    return seconds, output


def load() -> str:
    return f"load {os.getloadavg()[0]:.1f}"


def executed(output: str) -> list[str]:
    """The notebooks a build executed: by migration_report.build.execute, or by MyST-NB itself; a
    notebook executed once per edition is named once per edition."""
    names = []
    for part in output.split("---- the Spanish edition"):
        found = re.findall(r"^  Executed (\S+) in ", part, flags=re.M)
        found += [Path(m).stem for m in re.findall(r"(\S+\.(?:ipynb|md)): Executing notebook", part)]
        names += list(dict.fromkeys(found))
    return names


def execution_by_edition(output: str) -> list[tuple[int, float, float]]:
    """For each edition of a build's output: (notebooks executed, their kernels' CPU seconds with the
    imports the kernel server made for them, the wall time of executing them), from
    migration_report.build.execute's lines."""
    rows = []
    for part in output.split("---- the Spanish edition"):
        # Not anchored at the end: a kernel's own warning on stderr may land on the same line.
        runs = re.findall(r"^  Executed \S+ in [\d.]+ s \(kernel CPU ([\d.]+) s\)", part, flags=re.M)
        summary = re.search(r"Notebooks executed in ([\d.]+) s \(kernels' CPU ([\d.]+) s", part)
        wall, cpu = (float(summary[1]), float(summary[2])) if summary else (0.0, sum(float(s) for s in runs))
        rows.append((len(runs), cpu, wall))
    return rows


def build(book: Path, builder: str = "html", editions: str = "en es", *, log: str):
    """(wall seconds, output, CPU seconds) of scripts/build-book on BOOK; its messages kept in LOGS/LOG.log."""
    env = dict(os.environ, BOOK_ROOT=str(book), BOOK_EDITIONS=editions)
    seconds, output = run([str(ROOT / "scripts" / "build-book"), builder], env=env, label=f"build-book {builder}")
    # Kept for reading after the work files are gone: each build's messages, the last of each kind.
    LOGS.mkdir(parents=True, exist_ok=True)
    (LOGS / f"{log}.log").write_text(output, encoding="utf-8")
    return seconds, output, CPU[f"build-book {builder}"]


def edit_code_cell(notebook: Path) -> None:
    """Append a comment to the last code cell: the code changes, so the cache must re-execute it."""
    data = json.loads(notebook.read_text(encoding="utf-8"))
    cell = [c for c in data["cells"] if c["cell_type"] == "code"][-1]
    source = "".join(cell["source"])
    cell["source"] = source + ("\n" if not source.endswith("\n") else "") + "# edited by migration_report.build.bench"
    notebook.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


# --- papermill ---------------------------------------------------------------------------------

FLOOR = {"cells": [{"cell_type": "code", "execution_count": None, "id": "floor", "metadata": {}, "outputs": [],
                    "source": "import matplotlib\nimport pandas"}],
         "metadata": {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}},
         "nbformat": 4, "nbformat_minor": 5}


# As scripts/run-chapter (`make chapter`, a reader's re-run) calls papermill: the notebook written
# at the end, not twice per cell; the kernel shut down once the last cell has run.
PAPERMILL_OPTIONS = ["--no-request-save-on-cell-execute", "--engine", "book"]


def papermill(notebook: Path, out: Path, repeat: int) -> tuple[float, float, float]:
    """(papermill's own duration, wall time of the command, CPU time of papermill and its kernel),
    the fastest of REPEAT runs, in the notebook's folder (some read ../_toc.yml) with its default
    parameters, with the options `make chapter` gives papermill."""
    best = None
    for _ in range(repeat):
        label = f"papermill {notebook.name}"
        seconds, _ = run([str(BIN / "papermill"), "--cwd", str(notebook.parent), "--log-level", "WARNING",
                          *PAPERMILL_OPTIONS, str(notebook), str(out)], label=label)
        duration = float(json.loads(out.read_text(encoding="utf-8"))["metadata"]["papermill"]["duration"])
        best = min(best or (duration, seconds, CPU[label]), (duration, seconds, CPU[label]))
    return best


def papermill_times(book: Path, repeat: int) -> tuple[tuple[float, float], list[tuple[str, float, float]]]:
    """The floor notebook's times and each book notebook's, measured in turns (floor, then the
    chapters, for each repeat) so that a change in the machine's load touches both alike."""
    out = WORK / "papermill"
    out.mkdir(parents=True, exist_ok=True)
    run([str(BIN / "python"), "-m", "compileall", "-q", str(ROOT / "src")], label="compileall")  # as make chapter does
    floor = book / "chapters" / "bench-floor.ipynb"
    floor.write_text(json.dumps(FLOOR), encoding="utf-8")
    floor_best, rows = None, {}
    for _ in range(repeat):
        floor_best = min(floor_best or (1e9, 1e9, 1e9), papermill(floor, out / floor.name, 1))
        for notebook in chapter_notebooks():
            copy = book / "chapters" / notebook.name
            rows[notebook.stem] = min(rows.get(notebook.stem, (1e9, 1e9, 1e9)), papermill(copy, out / notebook.name, 1))
    floor.unlink()
    return floor_best, [(stem, *times) for stem, times in rows.items()]


def chapter_notebooks() -> list[Path]:
    """The book's notebooks in table-of-contents order."""
    from migration_report.core.book_structure import notebooks

    return notebooks(ROOT)


# --- the pages as a browser receives them ------------------------------------------------------

LINE = "-" * 104


def register_times() -> tuple[float, float]:
    """Seconds to compute the claim register, and to read it back as the pages of a build do, each in a
    fresh process with its imports done first; the shared copy is kept in this run's work folder."""
    script = ("import sys, time\n"
              "from migration_report.register import claims, once\n"
              "from pathlib import Path\n"
              "once.CACHE = Path(sys.argv[1])\n"
              "start = time.perf_counter()\n"
              "(claims.register if sys.argv[2] == 'compute' else claims.shared_register)()\n"
              "print(time.perf_counter() - start)\n")
    cache = WORK / "register"
    seconds = {}
    subprocess.run([str(BIN / "python"), "-c", script, str(cache), "shared"], check=True, capture_output=True)
    for what in ("compute", "shared"):
        runs = [float(subprocess.run([str(BIN / "python"), "-c", script, str(cache), what], check=True,
                                     capture_output=True, text=True).stdout) for _ in range(3)]
        seconds[what] = min(runs)
    return seconds["compute"], seconds["shared"]


def verdict(ok: bool) -> str:
    return "ok" if ok else "MISSED"


def main() -> int:

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=2, metavar="N",
                        help="time the template build and each notebook N times and keep the fastest (default 2; "
                             "the book's builds run once each)")
    parser.add_argument("--skip-pdf", action="store_true", help="leave out the PDF build")
    parser.add_argument("--with-tests", action="store_true", help="also run make test in this checkout and print its "
                        "stages as measured (about 12 minutes; without it, the stages of its last run)")
    parser.add_argument("--skip-lighthouse", action="store_true", help="leave out Lighthouse")
    parser.add_argument("--lighthouse-runs", type=int, default=3, metavar="N",
                        help="run Lighthouse N times on each page and keep the median (default 3)")
    parser.add_argument("--only", nargs="+", choices=SECTIONS, help="measure only these (the template is always built; "
                        "weights and lighthouse need a built book: the build's, or _build/html)")
    args = parser.parse_args()
    sections = set(args.only or SECTIONS) - ({"pdf"} if args.skip_pdf else set()) - (
        {"lighthouse"} if args.skip_lighthouse else set())
    shutil.rmtree(WORK, ignore_errors=True)
    WORK.mkdir(parents=True)
    load_before = os.getloadavg()[0]
    print(f"Benchmark on {os.cpu_count()} cores, load average {load_before:.2f}; work files in "
          f"{WORK.relative_to(ROOT)}; the template and the notebooks: fastest of {args.repeat}", flush=True)

    print(f"  the template: jupyter-book create + clean build ({load()}) ...", flush=True)
    run([str(BIN / "jupyter-book"), "create", str(WORK / "template")], label="jupyter-book create")
    baselines = []
    for _ in range(args.repeat):
        shutil.rmtree(WORK / "template" / "_build", ignore_errors=True)
        seconds = run([str(BIN / "jupyter-book"), "build", str(WORK / "template")], label="template build")[0]
        baselines.append((seconds, CPU["template build"]))
    baseline, baseline_cpu = min(b[0] for b in baselines), min(b[1] for b in baselines)

    book = WORK / "book"
    copy_sources(book)
    html = ROOT / "_build" / "html"
    figures = {}
    if "builds" in sections:
        print(f"  both editions: clean HTML build ({load()}) ...", flush=True)
        figures["clean"] = build(book, log="clean")
        html = book / "_build" / "html"
        print(f"  both editions: no-change rebuild ({load()}) ...", flush=True)
        figures["nochange"] = build(book, log="nochange")
        print(f"  both editions: rebuild after editing a code cell of {EDITED} ({load()}) ...", flush=True)
        edit_code_cell(book / "chapters" / f"{EDITED}.ipynb")
        figures["edited"] = build(book, log="edited")
        # The English edition alone, clean: what the Spanish edition adds to a clean build is the
        # most that executing each notebook once for both editions could save.
        print(f"  the English edition alone: clean HTML build ({load()}) ...", flush=True)
        english = WORK / "english"
        copy_sources(english)
        figures["english"] = build(english, editions="en", log="english")
        shutil.rmtree(english)
        if "pdf" in sections:
            if shutil.which("xelatex") and shutil.which("latexmk"):
                print(f"  both editions: PDF build after the HTML ({load()}) ...", flush=True)
                figures["pdf"] = build(book, "pdf", log="pdf")
            else:
                print("  PDF build skipped: xelatex/latexmk not installed (make system-packages)")
    chapters = None
    if "papermill" in sections:
        print(f"  papermill: the floor and each notebook, in turns ({load()}) ...", flush=True)
        floor, chapters = papermill_times(book, args.repeat)
    register = register_times() if "register" in sections else None
    tests_note = "from the last run of make test"
    if args.with_tests:
        print(f"  make test in this checkout ({load()}) ...", flush=True)
        subprocess.run(["make", "--no-print-directory", "test"], cwd=ROOT, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, check=False)
        tests_note = "measured in this run"
    if STAGES.is_file():
        tests_note += time.strftime(" (%Y-%m-%d %H:%M)", time.localtime(STAGES.stat().st_mtime))
    weights = None
    if "weights" in sections and (html / "index.html").is_file():
        print(f"  page weights in Chromium ({load()}) ...", flush=True)
        weights = page_weights(html)
    scores = None
    if "lighthouse" in sections and (html / "index.html").is_file():
        if LIGHTHOUSE.is_file() and shutil.which("node"):
            print(f"  Lighthouse, mobile ({load()}) ...", flush=True)
            scores = lighthouse(html, args.lighthouse_runs, WORK, run)
        else:
            print("  Lighthouse skipped: not installed (make bench installs it into tools/lighthouse)")

    print(f"\n{LINE}\n{'Builds':56} {'wall s':>7} {'x tmpl':>7} {'CPU s':>7} {'x tmpl':>7}   target (wall)\n{LINE}")

    def row(label, seconds, cpu, target=""):
        print(f"{label:56} {seconds:7.1f} {seconds / baseline:7.2f} {cpu:7.1f} {cpu / baseline_cpu:7.2f}   {target}")

    row("template: jupyter-book create, clean build", baseline, baseline_cpu)
    if "clean" in figures:
        seconds, out, cpu = figures["clean"]
        clean_cpu = cpu
        row(f"both editions: clean HTML build ({len(executed(out))} notebook runs)", seconds, cpu,
            f"<= {TARGETS['clean']:.0f}x  {verdict(seconds / baseline <= TARGETS['clean'])}")
        by_edition = execution_by_edition(out)
        for name, (count, kernels, wall) in zip(("English", "Spanish"), by_edition):
            print(f"{f'  {name}: {count} notebooks executed side by side':56} {wall:7.1f} {'':7} {kernels:7.1f}"
                  f"   (the kernels' CPU)")
        seconds, out, cpu = figures["nochange"]
        row(f"both editions: no-change rebuild ({len(executed(out))} executed)", seconds, cpu,
            f"<= {TARGETS['nochange']:.1f}x  {verdict(seconds / baseline <= TARGETS['nochange'])}")
        seconds, out, cpu = figures["edited"]
        runs = executed(out)
        row(f"both editions: {EDITED}'s code edited ({len(runs)} executed)", seconds, cpu,
            f"re-executed only {EDITED}: {verdict(set(runs) == {EDITED})}")
    if "english" in figures:
        seconds, out, cpu = figures["english"]
        row(f"English alone: clean HTML build ({len(executed(out))} notebook runs)", seconds, cpu)
        spanish_kernels = by_edition[1][1] if len(by_edition) == 2 else 0.0
        print(f"  the Spanish edition adds {clean_cpu - cpu:.1f} s of CPU to a clean build "
              f"({100 * (clean_cpu - cpu) / clean_cpu:.0f} %), its kernels {spanish_kernels:.1f} s "
              f"({100 * spanish_kernels / clean_cpu:.0f} %): the most one execution for both editions could save")
    if "pdf" in figures:
        seconds, out, cpu = figures["pdf"]
        row(f"both editions: PDF build after the HTML ({len(executed(out))} executed)", seconds, cpu)

    if chapters is not None:
        print(f"\n{LINE}\n{'Each notebook under papermill':44} {'papermill s':>11} {'x floor':>8} {'wall s':>7} "
              f"{'CPU s':>6} {'x floor':>8}   target (papermill s)")
        print(LINE)
        print(f"{'floor: a notebook importing pandas, matplotlib':44} {floor[0]:11.2f} {1:8.2f} {floor[1]:7.2f} "
              f"{floor[2]:6.2f} {1:8.2f}")
        for stem, duration, wall, cpu in chapters:
            ratio = duration / floor[0]
            print(f"{stem:44} {duration:11.2f} {ratio:8.2f} {wall:7.2f} {cpu:6.2f} {cpu / floor[2]:8.2f}   "
                  f"<= {TARGETS['chapter']:.0f}x  {verdict(ratio <= TARGETS['chapter'])}")
        print("(CPU: papermill's and its kernel's, which a busy machine changes far less than the durations)")

    if register is not None:
        computed, shared = register
        print(f"\n{LINE}\nThe claim register, in a fresh process (imports left out)\n{LINE}")
        print(f"{'computed (every chapter measurement, every table)':56} {computed:7.2f} s")
        print(f"{'read back by the other pages of a build (shared)':56} {shared:7.2f} s")
        print("(seven chapters show verdicts in each edition: the first of a build computes the register, "
              "the others read it)")
    print(f"\n{LINE}\nmake test, by stage (wall time), {tests_note}\n{LINE}")
    print(STAGES.read_text(encoding="utf-8").rstrip() if STAGES.is_file() else "no run of make test on record")

    if weights is not None:
        print(f"\n{LINE}\n{'Pages as Chromium receives them (gzip), own figures left out':62} {'KB':>7} {'scripts KB':>11} "
              f"{'blocking':>9}   target\n{LINE}")
        for name, total, scripts, chart, blocking in weights:
            limit = TARGETS["chart_page_kb"] if chart else TARGETS["page_kb"]
            print(f"{name + (' (chart)' if chart else ''):62} {total / 1000:7.1f} {scripts / 1000:11.1f} {blocking:9}   "
                  f"<= {limit} KB  {verdict(total / 1000 <= limit)}")
        print(f"(heaviest {max(w[1] for w in weights) / 1000:.1f} KB; 'blocking': scripts in <head> without defer or async)")

    if scores is not None:
        print(f"\n{LINE}\n{'Lighthouse 12, mobile (median run)':40} {'performance':>12} {'accessibility':>14} {'best practices':>15} "
              f"{'KB':>7} {'LCP s':>6} {'TBT ms':>7} {'blocking':>9}\n{LINE}")
        for name, s in scores:
            ok = s["performance"] >= TARGETS["lighthouse"] and s["accessibility"] == 100 and s["best-practices"] == 100
            print(f"{name:40} {s['performance']:12} {s['accessibility']:14} {s['best-practices']:15} "
                  f"{s['bytes'] / 1000:7.0f} {s['lcp']:6.1f} {s['tbt']:7.0f} {s['blocking']:9}   {verdict(ok)}"
                  f"   (runs: {', '.join(map(str, s['all']))})")
        print(f"(targets: performance >= {TARGETS['lighthouse']}, accessibility and best practices 100; "
              "simulated mobile throttling, so a loaded machine scores lower)")
    print(LINE)
    print(f"Load average {load_before:.2f} before, {os.getloadavg()[0]:.2f} after (other work on the machine "
          "slows every figure).")
    shutil.rmtree(WORK)
    return 0


if __name__ == "__main__":
    sys.exit(main())
