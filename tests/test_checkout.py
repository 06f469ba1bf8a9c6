"""A copied checkout builds itself and writes only inside itself: its commands import its own src/
(make and the scripts put it first), and a command that would import another checkout's code stops."""

import json
import os
import subprocess
from pathlib import Path

import pytest
from conftest import copied_checkout

from migration_report.core import checkout

pytestmark = pytest.mark.venv  # the environment's Python and make, as a checkout has them after make venv

ROOT = Path(__file__).resolve().parents[1]


def without_pythonpath():
    return {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}


@pytest.fixture(scope="module")
def copy(tmp_path_factory):
    return copied_checkout(tmp_path_factory.mktemp("checkout"))


def test_the_environment_alone_would_import_the_first_checkout(copy):
    """The fault itself: the copy's Python, as it is, finds this checkout's package."""
    found = subprocess.run([str(copy / ".venv/bin/python"), "-c", "import importlib.util as u; "
                            "print(u.find_spec('migration_report').origin)"], cwd=copy, env=without_pythonpath(),
                           capture_output=True, text=True, check=True)
    assert found.stdout.strip() == str(ROOT / "src" / "migration_report" / "__init__.py")


def test_make_in_a_copy_rewrites_the_copys_data_only(copy):
    original = (ROOT / "data" / "datapackage.json").read_bytes()
    with open(copy / "data" / "actors.csv", "a", encoding="utf-8") as table:
        table.write("")  # unchanged content: the hash below must be the copy's own file's
    edited = (copy / "data" / "actors.csv").read_text(encoding="utf-8").replace("\n", "\r\n", 1)
    (copy / "data" / "actors.csv").write_text(edited, encoding="utf-8", newline="")
    result = subprocess.run(["make", "--no-print-directory", "-o", ".venv/.installed", "data-hashes"], cwd=copy,
                            env=without_pythonpath(), capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert (ROOT / "data" / "datapackage.json").read_bytes() == original
    described = {r["path"]: r for r in json.loads((copy / "data" / "datapackage.json").read_text())["resources"]}
    assert described["actors.csv"]["bytes"] == len(edited.encode("utf-8"))


@pytest.mark.parametrize("command", [["-m", "migration_report.build.data", "--rehash"],
                                     ["-m", "migration_report.build.chapter_run", "flow-statistics"],
                                     ["-m", "migration_report.core.checkout"]])
def test_a_command_that_would_run_another_checkouts_code_stops(copy, command):
    original = (ROOT / "data" / "datapackage.json").read_bytes()
    result = subprocess.run([str(copy / ".venv/bin/python"), *command], cwd=copy, env=without_pythonpath(), capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 1
    assert (f"error: this command works on the checkout {copy}, but Python imported migration_report from "
            f"{ROOT / 'src'}, another checkout") in result.stderr
    assert f"cd {copy} && rm -rf .venv && make venv" in result.stderr
    assert (ROOT / "data" / "datapackage.json").read_bytes() == original


def test_the_check_only_looks_at_checkouts(tmp_path):
    assert checkout.enclosing_checkout(ROOT / "chapters") == ROOT
    assert checkout.other_checkout_message(ROOT / "_build" / "runs") is None
    assert checkout.other_checkout_message(tmp_path) is None  # a small book or a folder of downloads


def test_a_checkout_git_will_not_read_is_reported_as_such(tmp_path):
    """Owned by another user, a checkout's history is refused by git ("dubious ownership"): the build says
    so and stops, instead of saying there is no history and dating the pages today."""
    import pwd

    if os.geteuid() != 0:
        pytest.skip("needs root, to give the checkout to another user")
    copy = copied_checkout(tmp_path)
    git = ["git", "-C", str(copy), "-c", "user.email=test@example.org", "-c", "user.name=Test"]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "commit", "-q", "--allow-empty", "-m", "first"], check=True)
    nobody = pwd.getpwnam("nobody")
    for path in [copy, *copy.rglob("*")]:
        if not path.is_symlink():
            os.chown(path, nobody.pw_uid, nobody.pw_gid)
    env = {k: v for k, v in without_pythonpath().items() if k != "SOURCE_DATE_EPOCH"}
    result = subprocess.run([str(copy / "scripts" / "build-book"), "html"], cwd=copy, env=env, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 1
    assert (f"error: git refuses to read the history of {copy}, which belongs to another user (git's \"dubious "
            f"ownership\" check)") in result.stderr
    assert f"git config --global --add safe.directory {copy}" in result.stderr
    assert "no git history" not in result.stderr and not (copy / "_build").exists()
