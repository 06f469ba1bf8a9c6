"""migration_report.build.bench: reading a build's messages."""

from migration_report.build.bench import executed, execution_by_edition

OUTPUT = """Executing 2 notebook(s), 2 at a time: a, b
  Executed a in 1.5 s (kernel CPU 0.4 s)[IPKernelApp] WARNING | Kernel is running over TCP without encryption.
  Executed b in 2.0 s (kernel CPU 0.6 s)
Notebooks executed in 2.1 s (kernels' CPU 1.9 s, with the imports they share)
/book/chapters/c.ipynb: Executing notebook using local CWD
---- the Spanish edition (html) ----
  Executed a in 1.0 s (kernel CPU 0.3 s)
Notebooks executed in 1.2 s (kernels' CPU 1.1 s, with the imports they share)
"""


def test_each_editions_runs_are_counted_with_their_kernels_cpu():
    # A kernel's warning on the same line as a run does not hide the run.
    assert execution_by_edition(OUTPUT) == [(2, 1.9, 2.1), (1, 1.1, 1.2)]


def test_the_runs_of_the_build_itself_are_named_too():
    assert executed(OUTPUT) == ["a", "b", "c", "a"]
