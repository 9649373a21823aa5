"""The package's import graph has no cycle (every import counts: top-level, inside functions,
and under ``TYPE_CHECKING``), and lower stages never climb back up to render or the CLI."""

from __future__ import annotations

import ast
from pathlib import Path

from conftest import REPO

PACKAGE = REPO / "generator"


def imports_of(path: Path) -> set[str]:
    """The sibling modules of the package a module imports, by name."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level == 1 and node.module:  # from .x import y
                found.add(node.module.split(".")[0])
            elif node.level == 1:  # from . import x, y
                found.update(alias.name for alias in node.names)
            elif node.level == 0 and node.module and node.module.startswith("generator."):
                found.add(node.module.split(".")[1])
            elif node.level == 0 and node.module == "generator":
                found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.Import):
            found.update(a.name.split(".")[1] for a in node.names if a.name.startswith("generator."))
    modules = {p.stem for p in PACKAGE.glob("*.py")}
    return (found & modules) - {path.stem}


def import_graph() -> dict[str, set[str]]:
    """Module → the package modules it imports."""
    return {p.stem: imports_of(p) for p in sorted(PACKAGE.glob("*.py"))}


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle as a path of module names (first == last), or None."""
    state: dict[str, int] = {}  # 1: on the current path, 2: finished
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for target in sorted(graph.get(node, ())):
            if state.get(target) == 1:
                return [*stack[stack.index(target):], target]
            if target not in state and (cycle := visit(target)):
                return cycle
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (cycle := visit(node)):
            return cycle
    return None


def test_the_walk_sees_a_cycle_when_there_is_one(tmp_path: Path) -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert find_cycle(graph) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set(), "c": {"a", "b"}}) is None


def test_the_walk_reads_every_kind_of_import(tmp_path: Path) -> None:
    module = tmp_path / "x.py"
    module.write_text("from typing import TYPE_CHECKING\nfrom . import render\n"
                      "from .paths import PAGES\nif TYPE_CHECKING:\n    from .figures import F\n"
                      "def f():\n    from generator.cli import main\n", encoding="utf-8")
    assert imports_of(module) == {"render", "paths", "figures", "cli"}


def test_the_package_has_no_import_cycle() -> None:
    graph = import_graph()
    assert len(graph) > 20 and graph["render"], "the walk found no modules or no imports"
    cycle = find_cycle(graph)
    assert cycle is None, "import cycle: " + " → ".join(cycle or [])


def test_lower_stages_never_import_render_or_the_cli() -> None:
    graph = import_graph()
    # Commands sit above the pipeline: `prep` renders its draft through `render_template`.
    allowed = {"render": {"site", "prep"}, "cli": {"__main__"}}
    for target, importers in allowed.items():
        found = {m for m, deps in graph.items() if target in deps}
        assert found <= importers, f"{sorted(found - importers)} import {target}"
