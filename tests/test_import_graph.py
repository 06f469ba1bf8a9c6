"""The package's layout as a rule: dependencies flow one way, core ← chapters ← register ← sphinx and build.

The graph is read from the source with `ast` (every import, also those inside a function, relative
ones resolved), so it sees what a run might import, not only what one run did. A module may import
its own package and the layers below it; a chapter imports no other chapter; sphinx and build import
neither each other; nothing imports in a cycle; no notebook imports the Sphinx extension.
"""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "migration_report"
# The layers, lowest first; a module may import from its own layer and those below it.
LAYERS = {"core": 0, "chapters": 1, "register": 2, "sphinx": 3, "build": 3}
MAX_LINES = 500  # about a screenful of a file's outline; a longer module is doing two things


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_modules(path: Path, known: set[str]) -> set[str]:
    """The package's modules that PATH imports: `from a import b` counts as a.b when that is a module."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module or ""
            targets = [f"{module}.{alias.name}" if f"{module}.{alias.name}" in known else module for alias in node.names]
        else:
            continue
        for target in targets:
            while target and target not in known:  # a name inside a module: the module
                target = target.rpartition(".")[0]
            if target and target != name:
                found.add(target)
    return found


def package_graph() -> dict[str, set[str]]:
    paths = sorted(PACKAGE.rglob("*.py"))
    known = {module_name(p) for p in paths}
    return {module_name(p): imported_modules(p, known) for p in paths}


def layer(module: str) -> str | None:
    """core, chapters, register, sphinx or build; None for the package's own __init__."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else None


def chapter(module: str) -> str | None:
    parts = module.split(".")
    return parts[2] if len(parts) > 2 and parts[1] == "chapters" else None


def wrong_direction(graph: dict[str, set[str]]) -> list[str]:
    wrong = []
    for module, targets in graph.items():
        for target in targets:
            mine, theirs = layer(module), layer(target)
            if mine is None or theirs is None or (mine == theirs and mine != "chapters"):
                continue
            if mine == theirs:  # two chapters, or a chapter's package and its modules
                if chapter(module) and chapter(target) and chapter(module) != chapter(target):
                    wrong.append(f"{module} -> {target} (a chapter imports another chapter)")
                continue
            if LAYERS[theirs] >= LAYERS[mine]:
                wrong.append(f"{module} -> {target} ({mine} imports {theirs})")
    return sorted(wrong)


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan's algorithm)."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


@pytest.fixture(scope="module")
def graph():
    return package_graph()


def test_the_graph_is_read_from_the_source(graph):
    # Not vacuous: the package's layers are all there, and known imports, also one inside a
    # function (the PDF image renderer imports the chart layer only when it draws), are seen.
    assert {layer(m) for m in graph} >= set(LAYERS)
    assert "migration_report.core.data" in graph["migration_report.chapters.flow_statistics.series"]
    assert "migration_report.core.charts" in graph["migration_report.core.chart_image"]
    assert "migration_report.chapters.rio_grande_dispute.analysis" in graph["migration_report.register.claims"]
    assert sum(len(targets) for targets in graph.values()) > 150


def test_dependencies_flow_one_way(graph):
    assert wrong_direction(graph) == []


def test_no_import_cycle(graph):
    assert cycles(graph) == []


def test_the_checks_catch_a_cycle_and_a_wrong_direction():
    made_up = {"migration_report.core.a": {"migration_report.register.claims"},
               "migration_report.register.claims": {"migration_report.core.a"},
               "migration_report.chapters.x.analysis": {"migration_report.chapters.y.figures"},
               "migration_report.sphinx.boxes": {"migration_report.build.editions"},
               "migration_report.build.editions": {"migration_report.core.a"}}
    assert cycles(made_up) == [["migration_report.core.a", "migration_report.register.claims"]]
    assert wrong_direction(made_up) == [
        "migration_report.chapters.x.analysis -> migration_report.chapters.y.figures (a chapter imports another chapter)",
        "migration_report.core.a -> migration_report.register.claims (core imports register)",
        "migration_report.sphinx.boxes -> migration_report.build.editions (sphinx imports build)"]


def test_no_notebook_imports_the_sphinx_extension():
    notebooks = sorted((ROOT / "chapters").glob("*.ipynb"))
    assert len(notebooks) >= 10
    offending = []
    for path in notebooks:
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        code = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
        tree = ast.parse("\n".join(line for line in code.splitlines() if not line.lstrip().startswith(("%", "!"))))
        for node in ast.walk(tree):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            offending += [f"{path.name}: {n}" for n in names if n == "migration_report.sphinx"
                          or n.startswith("migration_report.sphinx.")]
    assert offending == []


def test_no_module_is_over_500_lines():
    lengths = {p.relative_to(PACKAGE).as_posix(): len(p.read_text(encoding="utf-8").splitlines())
               for p in PACKAGE.rglob("*.py")}
    assert max(lengths.values()) > 200  # the lengths are real
    assert {path: n for path, n in lengths.items() if n > MAX_LINES} == {}
