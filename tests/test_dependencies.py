"""Every package the generator imports directly is declared in pyproject.toml."""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions

from conftest import REPO


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _names(specs: list[str]) -> set[str]:
    return {_normal(re.split(r"[<>=!~\[; ]", spec, maxsplit=1)[0]) for spec in specs}


# Development tools inside the package (run with `python -m`, never by the site build) may
# import what the `dev` extra declares: the benchmarks' folder.
DEV_TOOLS = REPO / "generator" / "bench"


def test_every_direct_import_is_a_declared_dependency() -> None:
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    declared = _names(project["dependencies"])
    # A package of an optional extra (Zensical's) may be imported only where its absence is
    # caught: the code then does without it.
    extras = {name for extra, specs in project["optional-dependencies"].items()
              if extra != "dev" for name in _names(specs)}
    owners = packages_distributions()
    imported: set[str] = set()  # anywhere
    guarded: set[str] = set()  # by import statements whose ImportError is caught
    unguarded: set[str] = set()  # by any other import statement
    for path in (REPO / "generator").rglob("*.py"):
        if DEV_TOOLS in path.parents:
            continue
        tree = ast.parse(path.read_text())
        caught: set[int] = set()  # the import statements inside such a try
        for node in ast.walk(tree):
            if isinstance(node, ast.Try) and any(
                    isinstance(handler.type, ast.Name)
                    and handler.type.id in ("ImportError", "ModuleNotFoundError")
                    for handler in node.handlers):
                caught.update(id(inner) for statement in node.body
                              for inner in ast.walk(statement))
        for node in ast.walk(tree):
            names = _imported(node)
            imported.update(names)
            (guarded if id(node) in caught else unguarded).update(names)
    third_party = {name for name in imported
                   if name not in sys.stdlib_module_names and name not in ("generator", "__future__")}
    assert {"pandas", "cycler", "pydantic_core", "nh3", "markdown"} <= third_party
    assert "zensical" in guarded  # the check below sees the guarded import

    def allowed(name: str) -> set[str]:
        return declared if name in unguarded else declared | extras

    missing = {name: owners.get(name) for name in third_party
               if not {_normal(d) for d in owners.get(name, [name])} & allowed(name)}
    assert not missing, f"imported but not declared in pyproject.toml: {missing}"


def _imported(node: ast.AST) -> set[str]:
    """The top-level package names an import statement imports (none for other nodes)."""
    if isinstance(node, ast.Import):
        return {alias.name.split(".")[0] for alias in node.names}
    if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
        return {node.module.split(".")[0]}
    return set()


def test_development_tools_import_only_declared_packages() -> None:
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    declared = _names(project["dependencies"]) | _names(project["optional-dependencies"]["dev"])
    owners = packages_distributions()
    imported: set[str] = set()
    for path in DEV_TOOLS.rglob("*.py"):
        tree = ast.parse(path.read_text())
        imported |= {alias.name.split(".")[0] for node in ast.walk(tree)
                     if isinstance(node, ast.Import) for alias in node.names}
        imported |= {node.module.split(".")[0] for node in ast.walk(tree)
                     if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module}
    third_party = {n for n in imported if n not in sys.stdlib_module_names
                   and n not in ("generator", "__future__")}
    assert "playwright" in third_party
    missing = {n for n in third_party if not {_normal(d) for d in owners.get(n, [n])} & declared}
    assert not missing, f"the benchmarks import undeclared packages: {missing}"
