"""Names given on the command line in bytes that are not the locale's: read as UTF-8 where
they are, refused by the option's name where they are not, and never a half-written record."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import NORDFJORD, REPO, TOKYO_RETRO, event_kb, make_kb
from generator.commands.skeleton import write_new

LATIN1 = "Messe München".encode("latin-1")  # b"Messe M\xfcnchen": no UTF-8 text
C_LOCALE = {"LC_ALL": "C", "LANG": "C", "PYTHONCOERCECLOCALE": "0", "PYTHONUTF8": "0"}


def hindsight(*args: str | bytes, env: dict[str, str] | None = None,
              cwd: Path = REPO) -> subprocess.CompletedProcess[bytes]:
    """``hindsight ARGS`` as a script runs it: a process given these bytes as its arguments,
    no terminal on stdin."""
    return subprocess.run([sys.executable, "-m", "generator", *args], capture_output=True,
                          stdin=subprocess.DEVNULL, check=False, cwd=cwd,
                          env={**os.environ, "PYTHONPATH": str(REPO),
                               "HINDSIGHT_AS_OF": "2026-12-01", **(env or {})})


def records(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*.md"))


@pytest.mark.parametrize("args", [
    ["new", "postmortem", "--name", LATIN1, "--kind", "event", "--team", "marketing",
     "--ended", "2026-11-20", "--facilitator", "Ana"],
    ["new", "retro", "--team", "sales", "--period", "2026-11", "--facilitator", b"J\xfcrgen"],
    ["new", "review", "--period", "2026-Q3", "--facilitator", b"J\xfcrgen"],
    ["prep", "--team", "sales", "--period", "2026-11", "--facilitator", b"J\xfcrgen"],
], ids=["new-postmortem-name", "new-retro-facilitator", "new-review", "prep"])
def test_bytes_that_are_not_utf8_are_an_error_naming_the_option(
        tmp_path: Path, args: list[str | bytes]) -> None:
    # A Latin-1 name crashed with a traceback and left a 0-byte record that every command
    # then refused ("has no front matter") and `new` would not write over.
    root = event_kb(tmp_path / "kb", {})
    before = records(root)
    run = hindsight(*args, "--root", str(root))
    assert run.returncode == 2, run.stderr
    option = "--name" if LATIN1 in args else "--facilitator"
    shown = "Messe M\\xfcnchen" if LATIN1 in args else "J\\xfcrgen"
    assert run.stderr.decode() == (f'error: {option} is not UTF-8 text: "{shown}" has bytes of '
                                   "another encoding (such as Latin-1); write it in UTF-8\n")
    assert b"Traceback" not in run.stderr and run.stdout == b""
    assert records(root) == before  # nothing written, nothing left behind


def test_a_name_that_is_not_utf8_is_refused_wherever_names_are_given(tmp_path: Path) -> None:
    root = make_kb(tmp_path / "kb", {})
    for args, option in ((["actions", "--owner", b"J\xfcrgen"], "--owner"),
                         (["actions", b"M\xfcnchen"], "TEXT"),
                         (["plan", b"\xe9v\xe9nement"], "KIND")):
        run = hindsight(*args, "--root", str(root))
        assert run.returncode == 2, (args, run.stderr)
        assert run.stderr.decode().startswith(f"error: {option} is not UTF-8 text: "), run.stderr


def test_utf8_arguments_under_a_c_locale_are_read_as_utf8(tmp_path: Path) -> None:
    # A CI job's LC_ALL=C: "Messe München" arrived as undecodable bytes, the file name dropped
    # the ü (2026-11-messe-mnchen.md) and writing the name failed on them. Another company's
    # vocabulary: the plan kind is its own, the team Inbound SDR.
    root = make_kb(tmp_path / "kb", {})
    (root / "taxonomy.yml").write_text(NORDFJORD, encoding="utf-8")
    run = hindsight("new", "postmortem", "--name", "Messe München", "--kind", "other",
                    "--plan-kind", "campaign", "--team", "Inbound SDR", "--ended", "2026-11-20",
                    "--facilitator", "Jürgen Weiß", "--root", str(root), env=C_LOCALE)
    assert run.returncode == 0, run.stderr
    written = root / "postmortems" / "2026-11-messe-munchen.md"
    assert run.stdout.decode() == written.as_posix() + "\n"
    text = written.read_text(encoding="utf-8")
    assert 'name: "Messe München"' in text and 'keeper: "Jürgen Weiß"' in text
    checked = hindsight("validate", "--root", str(root), env=C_LOCALE)
    assert checked.returncode == 0 and b"\n0 errors," in checked.stdout, checked.stdout


def test_the_git_user_name_is_read_as_utf8_under_a_c_locale(tmp_path: Path) -> None:
    # The default facilitator: git writes its config in UTF-8, whatever the locale.
    root = make_kb(tmp_path / "kb", {})
    home = tmp_path / "home"
    home.mkdir()
    (home / ".gitconfig").write_text("[user]\n\tname = Jürgen Weiß\n", encoding="utf-8")
    run = hindsight("new", "retro", "--team", "sales", "--period", "2026-11", "--root",
                    str(root), env={**C_LOCALE, "HOME": str(home), "GIT_CONFIG_NOSYSTEM": "1",
                                    "XDG_CONFIG_HOME": str(home)})
    assert run.returncode == 0, run.stderr
    assert 'facilitator: "Jürgen Weiß"' in (root / "retros" / "2026-11-sales.md").read_text("utf-8")


def test_write_new_leaves_no_file_when_the_text_cannot_be_written(tmp_path: Path) -> None:
    path = tmp_path / "retros" / "2026-11-sales.md"
    with pytest.raises(UnicodeEncodeError):
        write_new(path, "---\nkeeper: J\udcfcrgen\n---\n")
    assert not path.exists()
    assert write_new(path, "---\nkeeper: Jürgen\n---\n") == path  # and the name is free


_TOKYO_SEMINAR = """---
type: postmortem
name: "春のセミナー"
kind: event
outcome: mixed
summary: "来場は多かったが、商談化が遅れた。"
team: tokyo-sales
event_ended: 2026-04-10
held: 2026-04-14
keeper: 山田 太郎
participants: [山田 太郎, 佐藤 花子]
good: [来場者が多かった]
bad: [フォローが遅れた]
actions:
  - {id: PM-haru-1, title: フォロー担当を事前に決める, owner: 山田 太郎, due: 2026-11-30}
lessons:
  - lesson: セミナー後のフォロー担当を事前に決める
    applies_to: [event]
---

# 春のセミナー

来場は多かった。
"""
_TOKYO_TAXONOMY = REPO / "tests" / "bad_input" / "full-width-input" / "taxonomy.yml"


def _tokyo_kb(root: Path, broken: bool = False) -> Path:
    """A Tokyo team's knowledge base written in Japanese; ``broken``: its retro's team is an
    unknown one, so validate has an error to print."""
    retro = TOKYO_RETRO.replace("team: tokyo-sales", "team: 東京営業部") if broken else TOKYO_RETRO
    return make_kb(root, {"retros/2026-05-tokyo-sales.md": retro,
                          "postmortems/2026-04-haru-seminar.md": _TOKYO_SEMINAR},
                   taxonomy=_TOKYO_TAXONOMY)


_PRINTING = [(["validate"], 0, "2 records"), (["actions", "--all"], 0, "見積りテンプレートを統一する"),
             (["recall", "postmortems/2026-04-haru-seminar.md"], 0, "春のセミナー"),
             (["plan", "event"], 0, "セミナー後のフォロー担当を事前に決める")]


@pytest.mark.parametrize(("args", "code", "shown"), _PRINTING,
                         ids=[args[0] for args, _, _ in _PRINTING])
def test_japanese_records_print_as_utf8_under_an_ascii_locale(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str], code: int,
        shown: str) -> None:
    # LC_ALL=C with UTF-8 mode and locale coercion off: stdout says ASCII. `actions` ended in
    # a UnicodeEncodeError traceback at the first Japanese title rich printed (exit 1), while
    # click.echo, which the other commands print with, writes UTF-8 there: all write UTF-8.
    monkeypatch.delenv("PYTHONIOENCODING", raising=False)
    root = _tokyo_kb(tmp_path / "kb")
    run = hindsight(*args, "--root", str(root), env=C_LOCALE, cwd=root)
    assert b"Traceback" not in run.stderr, run.stderr.decode(errors="replace")
    assert run.returncode == code
    assert shown in run.stdout.decode("utf-8")


def test_validate_errors_in_japanese_print_under_an_ascii_locale(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PYTHONIOENCODING", raising=False)
    root = _tokyo_kb(tmp_path / "kb", broken=True)
    run = hindsight("validate", "--root", str(root), env=C_LOCALE)
    assert b"Traceback" not in run.stderr and run.returncode == 1
    assert 'team  must be an id of lowercase ASCII letters (a-z), digits and hyphens (got ' \
        '"東京営業部")' in run.stdout.decode("utf-8")


def test_an_output_encoding_without_japanese_shows_question_marks_by_width(
        tmp_path: Path) -> None:
    # A Windows console's cp1252 has no Japanese: every command ended in a traceback (exit
    # 1), click.echo's too. A character it cannot write is a `?` per column it takes, so the
    # actions table stays aligned, and each command exits as it would.
    root = _tokyo_kb(tmp_path / "kb", broken=True)
    cp1252 = {"PYTHONIOENCODING": "cp1252"}
    run = hindsight("validate", "--root", str(root), env=cp1252)
    assert b"Traceback" not in run.stderr and run.returncode == 1
    assert '(got "??????????")' in run.stdout.decode("cp1252")
    root = _tokyo_kb(tmp_path / "kb2")
    run = hindsight("actions", "--all", "--root", str(root), env=cp1252)
    assert b"Traceback" not in run.stderr and run.returncode == 0
    table = [line for line in run.stdout.decode("cp1252").splitlines() if line.startswith("|")]
    assert any("| ???????????????????????????? |" in line for line in table)  # 14 characters
    assert len({len(line) for line in table}) == 1, table
