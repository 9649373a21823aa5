"""Measuring a child process as a user would run it: wall and CPU seconds, peak memory.

Every benchmark step runs in its own process, so its peak memory is its own; the build date
is fixed (`AS_OF`) so runs compare.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import click

AS_OF = "2026-11-23"
"""The build date every benchmark run judges actions by."""
REPO = Path(__file__).resolve().parent.parent.parent
"""The repository the benchmark runs from (its mkdocs.yml, docs and overrides are copied)."""


def child(args: list[str], cwd: Path) -> str:
    """Run a command in ``cwd``; return its standard output."""
    env = {**os.environ, "HINDSIGHT_AS_OF": AS_OF, "NO_MKDOCS_2_WARNING": "1",
           "PYTHONPATH": os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")])}
    proc = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        raise click.ClickException(f"{' '.join(args[:3])} failed:\n{proc.stderr[-2000:]}")
    return proc.stdout


def measure(code: str, cwd: Path) -> dict[str, Any]:
    """Run Python ``code`` in a fresh interpreter that reports its own time and peak memory."""
    wrapper = (
        "import json, resource, sys, time\n"
        "t0 = time.perf_counter()\n"
        f"{code}\n"
        "peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024\n"
        "child_peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024\n"
        "cpu = sum(u.ru_utime + u.ru_stime for u in (resource.getrusage(resource.RUSAGE_SELF),"
        " resource.getrusage(resource.RUSAGE_CHILDREN)))\n"
        "print('@@' + json.dumps({'seconds': time.perf_counter() - t0, 'peak_mib': peak,"
        " 'child_peak_mib': child_peak,"
        " 'cpu': cpu, **globals().get('extra', {})}))\n"
    )
    out = child([sys.executable, "-c", wrapper], cwd)
    line = next(line for line in out.splitlines() if line.startswith("@@"))
    return dict(json.loads(line[2:]))


def run_command(args: list[str], cwd: Path) -> dict[str, Any]:
    """Run the ``hindsight`` program as a user does: wall and CPU seconds, peak memory."""
    script = Path(sys.executable).with_name("hindsight")
    argv = ([str(script)] if script.is_file()
            else [sys.executable, "-c", "from generator.commands.cli import run; run()"]) + args
    env = {**os.environ, "HINDSIGHT_AS_OF": AS_OF, "NO_MKDOCS_2_WARNING": "1"}
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(argv, cwd=cwd, env=env, stdout=out, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)  # this process's own CPU time and memory
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode != 0:
            err.seek(0)
            raise click.ClickException(f"hindsight {' '.join(args)} failed:\n"
                                       f"{err.read().decode(errors='replace')[-2000:]}")
        out.seek(0)
        chars = len(out.read().decode())
        err.seek(0)
        messages = err.read().decode(errors="replace")
    return {"seconds": wall, "cpu": usage.ru_utime + usage.ru_stime,
            "peak_mib": usage.ru_maxrss / 1024, "chars": chars, "stderr": messages[-4000:]}
