"""The linter sees every module: an exclusion meant for the built site (``site/``) once
matched the ``generator/site/`` package too, and its modules went unchecked."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from conftest import REPO


def test_ruff_checks_every_module_of_the_package_and_the_tests() -> None:
    ruff = Path(sys.executable).with_name("ruff")
    listed = subprocess.run([str(ruff), "check", "--no-cache", "--show-files", "generator", "tests"],
                            cwd=REPO, capture_output=True, text=True, check=True).stdout
    seen = {Path(line.strip()).resolve() for line in listed.splitlines() if line.strip()}
    modules = {p.resolve() for folder in ("generator", "tests")
               for p in (REPO / folder).rglob("*.py")}
    assert len(modules) > 100
    assert sorted(str(p.relative_to(REPO)) for p in modules - seen) == []
