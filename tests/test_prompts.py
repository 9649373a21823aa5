"""Asking at a terminal: the questions go to stderr, so a script capturing stdout gets the
created file's path alone, and the person at the terminal still sees what is asked."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from conftest import NORDFJORD, REPO, make_kb


def asked(root: Path, args: list[str], answers: list[str]) -> subprocess.CompletedProcess[str]:
    """``hindsight ARGS`` with a terminal on stdin answering ``answers`` in turn, and stdout
    and stderr captured, as ``p=$(hindsight new …)`` runs it at a terminal."""
    main, terminal = os.openpty()
    try:
        # Every answer typed ahead: the terminal hands them over a line at a time.
        os.write(main, "".join(f"{answer}\n" for answer in answers).encode())
        return subprocess.run([sys.executable, "-m", "generator", *args, "--root", str(root)],
                              stdin=terminal, capture_output=True, text=True, check=False,
                              cwd=REPO, timeout=120,
                              env={**os.environ, "PYTHONPATH": str(REPO),
                                   "HINDSIGHT_AS_OF": "2026-12-01"})
    finally:
        os.close(terminal)
        os.close(main)


def test_new_retro_asks_on_stderr_and_prints_only_the_path(tmp_path: Path) -> None:
    # Another company's teams: the team prompt lists them.
    root = make_kb(tmp_path / "kb", {})
    (root / "taxonomy.yml").write_text(NORDFJORD, encoding="utf-8")
    run = asked(root, ["new", "retro", "--period", "2026-11", "--facilitator", "Ane"],
                ["Field salse", "field sales"])
    assert run.returncode == 0, run.stderr
    assert run.stdout == (root / "retros" / "2026-11-field-sales.md").as_posix() + "\n"
    # The question, the wrong answer's explanation and the question again, all on stderr.
    assert run.stderr.count("Team (Inbound SDR, Field sales): ") == 2, run.stderr
    assert "Error: unknown team 'Field salse'" in run.stderr


def test_new_postmortem_asks_every_question_on_stderr(tmp_path: Path) -> None:
    root = make_kb(tmp_path / "kb", {})
    (root / "taxonomy.yml").write_text(NORDFJORD, encoding="utf-8")
    run = asked(root, ["new", "postmortem", "--facilitator", "Ane", "--plan-kind", "campaign"],
                ["Spring webinar series", "webinar", "inbound-sdr", "2026-11-20"])
    assert run.returncode == 0, run.stderr
    written = root / "postmortems" / "2026-11-spring-webinar-series.md"
    assert run.stdout == written.as_posix() + "\n"
    for question in ("Memorable name", "Kind (", "Team (Inbound SDR, Field sales)",
                     "When the event ended (YYYY-MM-DD) [2026-12-01]"):
        assert question in run.stderr, (question, run.stderr)
    assert "event_ended: 2026-11-20" in written.read_text(encoding="utf-8")
