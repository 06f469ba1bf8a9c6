"""`make chapter` / scripts/run-chapter: only chapters of the book, only their parameters, no shell injection."""

import subprocess
from pathlib import Path

import pytest

from migration_report.build.chapter_run import UsageError, arguments, main, parameter_pairs, split_params, toc_chapters

ROOT = Path(__file__).resolve().parents[1]
FLOW_PARAMETERS = "start, end, citizenships, component, encounters_csv, output_dir"


def test_the_chapters_are_the_notebooks_of_the_table_of_contents():
    assert toc_chapters() == ["introduction", "cooperation-and-funding", "flow-statistics", "rio-grande-dispute",
                              "institutional-actors", "about", "claim-register", "corrections", "data-and-methods", "how-to-cite", "maintainers"]


def test_a_misspelt_parameter_names_the_valid_ones():
    with pytest.raises(UsageError) as caught:
        arguments("flow-statistics", ["-p", "strat", "2021-10"])
    assert str(caught.value) == (f"parameter 'strat' is not a parameter of flow-statistics (did you mean 'start'?); "
                                 f"expected one of: {FLOW_PARAMETERS}")


def test_good_parameters_pass_and_repository_files_become_absolute_paths():
    args = arguments("flow-statistics", split_params("-p start 2021-10 -p encounters_csv data/sw_encounters_monthly.csv"))
    assert args == ["-p", "start", "2021-10", "-p", "encounters_csv", str(ROOT / "data" / "sw_encounters_monthly.csv")]


def test_params_are_split_like_a_shell_but_not_run_by_one():
    assert split_params("-p citizenships '[\"MEXICO\", \"CUBA\"]' -p end \"2023-06\"") == [
        "-p", "citizenships", '["MEXICO", "CUBA"]', "-p", "end", "2023-06"]
    assert split_params("-p start $(touch x)") == ["-p", "start", "$(touch", "x)"]
    with pytest.raises(UsageError, match="cannot be split into words"):
        split_params("-p start '2021")
    with pytest.raises(UsageError, match="got 'out.ipynb' in PARAMS; expected only -p name value"):
        parameter_pairs(["-p", "start", "2021-10", "out.ipynb"])


def test_main_reads_name_and_params_from_the_environment(capsys):
    assert main([], environ={"NAME": "flow-statistics", "PARAMS": "-p start 2021-10"}) == 0
    assert capsys.readouterr().out == "-p\0start\0002021-10\0"
    assert main([], environ={"NAME": "flow-statistics", "PARAMS": "-p strat 2021-10"}) == 2
    assert "parameter 'strat' is not a parameter of flow-statistics" in capsys.readouterr().err
    assert main([], environ={}) == 2
    assert "no chapter given" in capsys.readouterr().err


@pytest.mark.venv  # make chapter runs scripts/run-chapter with .venv's Python
def test_a_name_with_shell_code_runs_nothing_and_says_it_is_not_a_chapter(tmp_path):
    planted = tmp_path / "planted"
    name = f'x"; touch {planted}; echo "'
    # -o: the virtual environment is shared; never let make reinstall it from a test.
    result = subprocess.run(["make", "--no-print-directory", "-o", ".venv/.installed", "chapter", f"NAME={name}",
                             f"PARAMS=-p start 2021-10; touch {planted}"],
                            cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert not planted.exists()
    assert result.returncode != 0
    assert f"error: NAME={name!r} is not a chapter of the book; expected one of: introduction," in result.stderr


def test_the_structure_is_read_from_the_toc_not_from_caption_words(tmp_path):
    from migration_report.core import book_structure

    (tmp_path / "_toc.yml").write_text(
        "format: jb-book\nroot: intro\nparts:\n  - caption: Capítulos\n    numbered: true\n    chapters:\n"
        "      - file: one\n      - file: two\n  - caption: Anexos\n    chapters:\n      - file: notes\n",
        encoding="utf-8")
    for stem in ("intro", "one", "two"):
        (tmp_path / f"{stem}.ipynb").write_text("{}", encoding="utf-8")
    assert book_structure.pages(tmp_path) == ["intro", "one", "two", "notes"]
    assert book_structure.numbered_chapters(tmp_path) == ["one", "two"]  # the caption's words do not matter
    assert [p.stem for p in book_structure.notebooks(tmp_path)] == ["intro", "one", "two"]


@pytest.mark.book
def test_markup_in_a_parameter_is_inert_in_the_rendered_chapter(tmp_path):
    """A reader's parameter value reaches the page only as text (here in the injected-parameters cell)."""
    attack = str(ROOT / "_build" / "test-figure-data" / tmp_path.name / "<img src=x onerror=alert(1)>")  # inside _build/
    run = subprocess.run(["make", "--no-print-directory", "-o", ".venv/.installed", "chapter", "NAME=rio-grande-dispute",
                          f"PARAMS=-p output_dir '{attack}'"], cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr[-2000:]
    page = (ROOT / "_build" / "runs" / "rio-grande-dispute" / "html" / "rio-grande-dispute.html").read_text(encoding="utf-8")
    assert "onerror=alert(1)" in page  # the value is on the page …
    assert "<img src=x onerror" not in page  # … but never as an element


def test_parameters_that_are_not_utf8_are_refused_before_anything_is_deleted(tmp_path):
    import os

    assert main([], environ={"NAME": "flow-statistics", "PARAMS": "-p start 2021-10\udcff"}) == 2
    for name, params in ((b"flow-statistics", b"-p start \xff\xfe"), (b"flow-statistics\xe9", b""),
                         (b"flow-statistics", b"-p citizenships '[\"M\xc9XICO\"]'")):
        run = ROOT / "_build" / "runs" / "flow-statistics"
        run.mkdir(parents=True, exist_ok=True)
        kept = run / f"kept-{os.getpid()}"
        kept.write_text("the last run's page\n", encoding="utf-8")
        env = {**{k.encode(): v.encode() for k, v in os.environ.items()}, b"NAME": name, b"PARAMS": params}
        result = subprocess.run([str(ROOT / "scripts" / "run-chapter")], cwd=ROOT, env=env, capture_output=True,
                                timeout=60)
        assert result.returncode == 2
        assert b"is not UTF-8 text (byte 0x" in result.stderr and b"Traceback" not in result.stderr
        assert kept.read_text(encoding="utf-8") == "the last run's page\n"  # nothing was deleted
        kept.unlink()


def test_a_second_run_of_the_same_chapter_waits_then_stops_with_a_clear_message():
    import fcntl
    import os

    (ROOT / "_build" / "runs").mkdir(parents=True, exist_ok=True)
    with open(ROOT / "_build" / "runs" / "corrections.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # a run of the chapter in progress
        result = subprocess.run(["make", "--no-print-directory", "-o", ".venv/.installed", "chapter", "NAME=corrections"],
                                cwd=ROOT, capture_output=True, text=True, timeout=120,
                                env={**os.environ, "BUILD_LOCK_WAIT": "1"})
    assert result.returncode != 0
    assert "Another make chapter NAME=corrections is running (lock _build/runs/corrections.lock); waiting" in result.stderr
    assert ("error: another run of corrections is still going after 1 s (lock _build/runs/corrections.lock); "
            "nothing was run or deleted") in result.stderr


def test_make_chapters_papermill_engine_shuts_the_kernel_down_once_the_last_cell_has_run(tmp_path, monkeypatch):
    """`--engine book` (scripts/run-chapter): papermill's nbclient engine, with the kernel shut down at once rather
    than asked and waited for (ipykernel 7 sometimes leaves the request unread, and papermill then waited 2.5 s)."""
    import nbformat
    import papermill
    import papermill.engines as engines

    assert engines.papermill_engines.get_engine("book").__name__ == "ImmediateShutdownEngine"
    seen = []

    class Client(engines.PapermillNotebookClient):
        def execute(self, **kwargs):
            seen.append(self.shutdown_kernel)
            return super().execute(**kwargs)

    monkeypatch.setattr(engines, "PapermillNotebookClient", Client)
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("6 * 7")])
    notebook.metadata.kernelspec = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(notebook, tmp_path / "in.ipynb")
    papermill.execute_notebook(str(tmp_path / "in.ipynb"), str(tmp_path / "out.ipynb"), engine_name="book",
                               progress_bar=False, cwd=str(tmp_path))
    assert seen == ["immediate"]
    executed = nbformat.read(tmp_path / "out.ipynb", as_version=4)
    assert executed.cells[0].outputs[0]["data"]["text/plain"] == "42"
