"""Hostile and broken YAML, end to end: validate, the core build and a real MkDocs build."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from hostile import BAD, case_root, fails_everywhere

CASES = {
    # case fixture (tests/bad_input/<name>) -> the message every entry point must give
    "python-tag": "YAML tag !!python/object/apply:os.system is not allowed",
    "custom-tag": "YAML tag !include is not allowed",
    "yaml-anchor-alias": "YAML anchor &people is not allowed",
    "alias-bomb": "YAML anchor &a is not allowed",
    "duplicate-key": "duplicate key 'team' (first on line 4)",
    "tab-indentation": "a tab character is used for indentation",
    "unclosed-front-matter": "front matter opened on line 1 is never closed",
    "empty-front-matter": "front matter is empty",
    "non-mapping-front-matter": "front matter is a list, not a mapping of fields",
    "multiple-documents": "a line `...` ends the front matter early",
    "yes-no-boolean": 'must be true, false or unknown (got "no")',
    "uppercase-no-boolean": 'must be true, false or unknown (got "NO")',
    "on-as-boolean": 'must be true, false or unknown (got "on")',
    "octal-like-number": 'must be a number (got "045") — a leading zero is not allowed',
    "sexagesimal-time": 'timeline[0].when  must be a date like 2026-06-30 or a date and time',
    "datetime-for-date": 'must be a date like 2026-06-30, not a date and time',
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_case_fails_with_its_message_everywhere(tmp_path: Path, case: str) -> None:
    fails_everywhere(tmp_path, case_root(tmp_path, case), CASES[case])


def test_bom_and_crlf_are_accepted_everywhere(tmp_path: Path) -> None:
    from conftest import run_cli

    root = case_root(tmp_path, "bom-crlf")
    assert run_cli("validate", "--root", str(root), "--as-of", "2026-06-15").exit_code == 0
    out = tmp_path / "out"
    result = run_cli("generate", "--out", str(out), "--root", str(root), "--as-of", "2026-06-15")
    assert result.exit_code == 0, result.output
    page = (out / "records" / "bom-crlf.md").read_text()
    assert "\r" not in page and "\ufeff" not in page and "Win rate" in page


def test_unsafe_tag_never_executes(tmp_path: Path) -> None:
    sentinel = tmp_path / "pwned"
    root = case_root(tmp_path, "python-tag")
    record = root / "retros" / "python-tag.md"
    record.write_text(record.read_text().replace("echo pwned", f"touch {sentinel}"))
    fails_everywhere(tmp_path, root, "is not allowed")
    assert not sentinel.exists()


def test_alias_bomb_is_refused_quickly_and_small(tmp_path: Path) -> None:
    # A billion-laughs document nine levels deep; refused at its first anchor, in a fresh
    # process whose own time and peak memory are measured.
    levels = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for i in range(1, 10):
        refs = ", ".join([f"*a{i - 1}"] * 9)
        levels.append(f"a{i}: &a{i} [{refs}]")
    text = "---\ntype: retro\n" + "\n".join(levels) + "\n---\n"
    path = tmp_path / "bomb.md"
    path.write_text(text)
    code = (
        "import resource, sys\n"
        "from pathlib import Path\n"
        "from generator.records.yamlpos import parse, YamlProblem\n"
        f"text = open({str(path)!r}).read().split('---')[1]\n"
        "try:\n    parse(text)\nexcept YamlProblem as e:\n    print('refused:', e.message)\n"
        # This process's own peak: on Linux the rusage figure also counts the process it was
        # started from (a large test run), so the peak since exec is read where it is known.
        "status = Path('/proc/self/status')\n"
        "hwm = [l for l in status.read_text().splitlines() if l.startswith('VmHWM')] "
        "if status.exists() else []\n"
        "peak = int(hwm[0].split()[1]) / 1024 if hwm else "
        "resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024\n"
        "print('peak_mib', peak)\n"
    )
    # An expanded bomb would not finish in time (nor fit in memory): the timeout fails the test.
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True, timeout=60)
    figures = dict(line.split(" ", 1) for line in result.stdout.splitlines())
    assert figures["refused:"] == "YAML anchor &a0 is not allowed"
    assert float(figures["peak_mib"]) < 256


def test_every_yaml_case_has_a_named_fixture() -> None:
    for case in CASES:
        assert (BAD / case / "CASE").is_file(), case
