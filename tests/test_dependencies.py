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


def test_every_direct_import_is_a_declared_dependency() -> None:
    declared = {_normal(re.split(r"[<>=!~\[; ]", spec, maxsplit=1)[0])
                for spec in tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
                ["dependencies"]}
    owners = packages_distributions()
    imported: set[str] = set()
    for path in (REPO / "generator").rglob("*.py"):
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
