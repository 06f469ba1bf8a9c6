"""Values given to make (the README's forms: `make chapter NAME=… PARAMS=…`, `make data RAW=…`,
`make data-check RAW=…`, and any other variable) are text: never make or shell code, and they reach
the scripts as typed, `$` and quotes included."""

import os
import shlex
import subprocess
from pathlib import Path

import pytest

pytestmark = pytest.mark.venv  # the environment's Python and make, as a checkout has them after make venv

ROOT = Path(__file__).resolve().parents[1]


def hostile_values(planted: Path) -> list[str]:
    """Ways a value could run a command, if make or a shell read it as code."""
    return [
        f"$(shell touch {planted})",  # make's function
        f"$$(shell touch {planted})",  # make's escaped dollar
        f"$(touch {planted})",  # the shell's command substitution
        f"`touch {planted}`",
        f'x"; touch {planted}; echo "',
        f"x'; touch {planted}; echo '",
        f"x\ntouch {planted}",
        f"${{IFS}}$(touch {planted})",
    ]


def make(*args, env=None):
    # -o: the virtual environment is shared; never let make reinstall it from a test.
    return subprocess.run(["make", "--no-print-directory", "-o", ".venv/.installed", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=120, env=env)


@pytest.mark.parametrize("index", range(8))
def test_a_chapter_name_is_text_on_the_command_line_and_in_the_environment(tmp_path, index):
    planted = tmp_path / "planted"
    name = hostile_values(planted)[index]
    for result in (make("chapter", f"NAME={name}"), make("chapter", env={**os.environ, "NAME": name})):
        assert not planted.exists()
        assert result.returncode != 0
        assert f"error: NAME={name!r} is not a chapter of the book" in result.stderr


@pytest.mark.parametrize("index", [0, 2, 4, 6])  # each run reads the notebook's parameters (about 2 s)
def test_params_arrive_as_typed(tmp_path, index):
    """A parameter name made of a hostile value comes back in the error word for word."""
    planted = tmp_path / "planted"
    word = hostile_values(planted)[index]
    result = make("chapter", "NAME=flow-statistics", f"PARAMS=-p {shlex.quote(word)} 2021-10")
    assert not planted.exists()
    assert result.returncode != 0
    assert f"error: parameter {word!r} is not a parameter of flow-statistics" in result.stderr


@pytest.mark.parametrize("target", ["data", "data-check"])
def test_raw_is_a_folder_name_not_code(tmp_path, target):
    planted = tmp_path / "planted"
    values = hostile_values(planted)
    for raw in values if target == "data" else values[::3]:  # the same recipe line, run by a second target
        result = make(target, f"RAW={raw}")
        assert not planted.exists(), raw
        assert result.returncode != 0
        # build_data got the value as typed, and names it as the folder that lacks the raw files
        assert f"{raw}: missing raw file(s)" in result.stderr, raw


def test_any_other_variable_is_text_too(tmp_path):
    """PYTHON (pasted into the venv recipe before), BOOK_EDITIONS, a variable make does not know."""
    planted = tmp_path / "planted"
    for value in hostile_values(planted):
        # -n -B: print the venv recipe instead of running it (make still expands it, running any $(shell))
        shown = subprocess.run(["make", "--no-print-directory", "-n", "-B", ".venv/.installed", f"PYTHON={value}",
                                f"BOOK_EDITIONS={value}", f"OTHER={value}"], cwd=ROOT, capture_output=True, text=True,
                               timeout=60)
        assert not planted.exists(), value
        assert '"$PYTHON" -m venv .venv' in shown.stdout
    # and the scripts see the value as typed
    printed = subprocess.run(["make", "--no-print-directory", "-f", "Makefile", "-f", "-", "show", f"OTHER=$(shell touch {planted})"],
                             input="show:\n\t@printf '%s' \"$$OTHER\"\n", cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert printed.stdout == f"$(shell touch {planted})"
    assert not planted.exists()
