"""migration_report.build.execute: how many notebooks it runs at a time."""

import pytest

from migration_report.build.execute import extra_kernels


@pytest.mark.parametrize(("value", "expected"), [(None, 0), ("", 0), ("0", 0), ("1", 1), ("3", 3)])
def test_extra_kernels_come_from_the_environment(monkeypatch, value, expected):
    if value is None:
        monkeypatch.delenv("BOOK_EXTRA_KERNELS", raising=False)
    else:
        monkeypatch.setenv("BOOK_EXTRA_KERNELS", value)
    assert extra_kernels() == expected


@pytest.mark.parametrize("value", ["-1", "one", "1.5"])
def test_a_value_that_is_not_a_count_is_refused_by_name(monkeypatch, value):
    monkeypatch.setenv("BOOK_EXTRA_KERNELS", value)
    with pytest.raises(SystemExit, match=f"BOOK_EXTRA_KERNELS must be a whole number of kernels, not '{value}'"):
        extra_kernels()
