"""``hindsight new``: skeletons validate unchanged and are never written over."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import make_kb, run_cli


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["retro", "--team", "sales", "--period", "2026-05", "--held", "2026-06-03"],
         "retros/2026-05-sales.md"),
        (["review", "--period", "2026-Q2", "--held", "2026-07-08"], "retros/2026-q2-review.md"),
        (["postmortem", "--name", "The Apollo Launch!", "--kind", "launch", "--team", "marketing",
          "--ended", "2026-04-30", "--held", "2026-05-04"],
         "postmortems/2026-04-the-apollo-launch.md"),
        (["postmortem", "--name", "Northwind renewal", "--kind", "deal-won", "--team", "sales",
          "--ended", "2026-04-30", "--held", "2026-05-04", "--outcome", "win"],
         "postmortems/2026-04-northwind-renewal.md"),
    ],
    ids=["retro", "review", "postmortem", "deal-postmortem"],
)
def test_new_writes_a_skeleton_that_validates(tmp_path: Path, args: list[str], expected: str) -> None:
    root = make_kb(tmp_path, {})
    result = run_cli("new", *args, "--facilitator", "Mia Chen", "--root", str(root))
    assert result.exit_code == 0, result.output
    assert result.output.strip() == (root / expected).as_posix()
    written = (root / expected).read_text()
    assert written.startswith("---\n") and "# " in written

    checked = run_cli("validate", "--root", str(root), "--as-of", "2026-06-15")
    assert checked.exit_code == 0, checked.output
    assert "0 errors" in checked.output

    again = run_cli("new", *args, "--facilitator", "Someone Else", "--root", str(root))
    assert again.exit_code != 0
    assert "already exists; not overwriting" in again.output
    assert (root / expected).read_text() == written  # untouched


def test_new_retro_refuses_unknown_team_and_bad_period(tmp_path: Path) -> None:
    root = make_kb(tmp_path, {})
    result = run_cli("new", "retro", "--team", "sails", "--period", "2026-05", "--root", str(root))
    assert result.exit_code == 2
    assert "unknown team 'sails' (did you mean sales?)" in result.output
    result = run_cli("new", "retro", "--team", "sales", "--period", "May", "--root", str(root))
    assert result.exit_code == 2
    assert "--period must be a month like 2026-05" in result.output
    assert not (root / "retros").exists() or not any((root / "retros").iterdir())


def test_new_without_terminal_names_the_missing_flag(tmp_path: Path) -> None:
    root = make_kb(tmp_path, {})
    result = run_cli("new", "postmortem", "--kind", "launch", "--root", str(root))
    assert result.exit_code == 2
    assert "--name is required" in result.output
