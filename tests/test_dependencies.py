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
    owners = packages_distributions()
    imported: set[str] = set()
    for path in (REPO / "generator").rglob("*.py"):
        if DEV_TOOLS in path.parents:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                imported.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                imported.add(node.module.split(".")[0])
    third_party = {name for name in imported
                   if name not in sys.stdlib_module_names and name not in ("generator", "__future__")}
    assert {"pandas", "cycler", "pydantic_core", "nh3", "markdown"} <= third_party
    missing = {name: owners.get(name) for name in third_party
               if not {_normal(d) for d in owners.get(name, [name])} & declared}
    assert not missing, f"imported but not declared in pyproject.toml: {missing}"


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
