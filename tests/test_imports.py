"""The package's import graph has no cycle (every import counts: top-level, inside functions,
and under ``TYPE_CHECKING``), its stage packages import only the stages below them, and lower
stages never climb back up to render or the CLI."""

from __future__ import annotations

import ast
from pathlib import Path

from conftest import REPO

PACKAGE = REPO / "generator"
STAGES = ["", "records", "analysis", "site", "commands", "bench"]
"""The package's folders in pipeline order (``""`` is the shared top: errors, paths…)."""


def module_name(path: Path, package: Path = PACKAGE) -> str:
    """A module's dotted name inside the package: ``records.load``, ``errors``."""
    parts = list(path.relative_to(package).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports_of(path: Path, package: Path = PACKAGE) -> set[str]:
    """The modules of the package a module imports, by dotted name."""
    name = module_name(path, package)
    here = name.split(".") if name else []
    base = here if path.name == "__init__.py" else here[:-1]
    modules = {module_name(p, package) for p in package.rglob("*.py")}
    found: set[str] = set()

    def add(dotted: str, names: list[str]) -> None:
        # `from .site import render` imports the module site.render; `from .paths import X`
        # imports names of the module paths.
        submodules = {f"{dotted}.{n}".strip(".") for n in names} & modules
        if submodules:
            found.update(submodules)
        elif dotted in modules:
            found.add(dotted)

    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            names = [alias.name for alias in node.names]
            if node.level:
                parent = base[: len(base) - (node.level - 1)]
                add(".".join([*parent, *(node.module.split(".") if node.module else [])]), names)
            elif node.module == "generator" or (node.module or "").startswith("generator."):
                add((node.module or "").removeprefix("generator").lstrip("."), names)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("generator."):
                    add(alias.name.removeprefix("generator."), [])
    return found - {name}


def import_graph() -> dict[str, set[str]]:
    """Module → the package modules it imports."""
    return {module_name(p): imports_of(p) for p in sorted(PACKAGE.rglob("*.py"))}


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
    for name in ("paths", "site/__init__", "site/render", "site/figures", "site/x",
                 "commands/cli", "records/load"):
        (tmp_path / f"{name}.py").parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / f"{name}.py").write_text("", encoding="utf-8")
    (tmp_path / "site" / "x.py").write_text(
        "from typing import TYPE_CHECKING\nfrom . import render\n"
        "from ..paths import PAGES\nif TYPE_CHECKING:\n    from .figures import F\n"
        "from ..records import load\n"
        "def f():\n    from generator.commands.cli import main\n", encoding="utf-8")
    assert imports_of(tmp_path / "site" / "x.py", tmp_path) == {
        "site.render", "paths", "site.figures", "records.load", "commands.cli"}


def test_the_package_has_no_import_cycle() -> None:
    graph = import_graph()
    assert len(graph) > 20 and graph["site.render"], "the walk found no modules or no imports"
    cycle = find_cycle(graph)
    assert cycle is None, "import cycle: " + " → ".join(cycle or [])


def test_lower_stages_never_import_render_or_the_cli() -> None:
    graph = import_graph()
    # Commands sit above the pipeline: `prep` renders its draft through `render_template`.
    allowed = {"site.render": {"site.build", "commands.draft"},
               "commands.cli": {"__main__", "bench.run"}}
    for target, importers in allowed.items():
        found = {m for m, deps in graph.items() if target in deps}
        assert found <= importers, f"{sorted(found - importers)} import {target}"


def stage_of(module: str) -> str:
    """The stage package a module belongs to (``""`` for the shared top)."""
    first = module.split(".")[0]
    return first if first in STAGES else ""


def test_every_module_lives_in_a_stage_package() -> None:
    top = {m for m in import_graph() if stage_of(m) == ""}
    # The shared words every stage reaches without climbing back up: errors, paths, escaping.
    assert top == {"__main__", "code", "errors", "escape", "gcpause", "messages", "paths",
                   "progress"}, sorted(top)


def test_stages_import_only_the_stages_below_them() -> None:
    climbs = [f"{module} → {dep}" for module, deps in import_graph().items() for dep in deps
              if module != "__main__" and STAGES.index(stage_of(dep)) > STAGES.index(stage_of(module))]
    assert climbs == []
