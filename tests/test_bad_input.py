"""The bad-input suite: one fixture tree per case, each with a golden of its exact output.

Each folder under ``tests/bad_input/`` is a small knowledge base (the shared test taxonomy is
added unless the case brings its own) with a ``CASE`` file saying what it shows, and
``expected.txt``: the exact lines ``hindsight validate`` prints and its exit code (or another
command's, named in an optional ``COMMAND`` file). Update with ``make goldens``.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import FIXTURES, HERE, make_kb, run_cli
from generator.errors import Problems
from generator.records.load import load_record

CASES = sorted(p for p in (HERE / "bad_input").iterdir() if p.is_dir())


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_case(case: Path, tmp_path: Path, golden: Callable[[Path, str], None]) -> None:
    root = tmp_path / "kb"
    shutil.copytree(case, root, symlinks=True,
                    ignore=shutil.ignore_patterns("expected.txt", "COMMAND"))
    if not (root / "taxonomy.yml").exists():
        shutil.copy(FIXTURES / "taxonomy.yml", root / "taxonomy.yml")
    command = (case / "COMMAND").read_text().split() if (case / "COMMAND").exists() else ["validate"]
    result = run_cli(*command, "--root", str(root), "--as-of", "2026-06-15")
    assert "Traceback" not in result.output
    golden(case / "expected.txt", f"{result.output}exit: {result.exit_code}\n")


def test_suite_is_large_enough() -> None:
    assert len(CASES) >= 25
    for case in CASES:
        assert (case / "CASE").read_text().strip(), f"{case.name} says what it shows"


def test_bom_crlf_reads_the_same_data_as_its_clean_twin(tmp_path: Path) -> None:
    dirty = HERE / "bad_input" / "bom-crlf" / "retros" / "bom-crlf.md"
    clean = tmp_path / "retros" / "bom-crlf.md"
    clean.parent.mkdir()
    raw = dirty.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw
    clean.write_bytes(raw.removeprefix(b"\xef\xbb\xbf").replace(b"\r\n", b"\n"))
    a = load_record(dirty.parent.parent, dirty, Problems())
    b = load_record(tmp_path, clean, Problems())
    assert a is not None and b is not None
    assert a.doc.value == b.doc.value
    assert a.doc.positions == b.doc.positions
    assert a.body == b.body


def test_symlink_target_is_never_read(tmp_path: Path) -> None:
    root = tmp_path / "kb"
    shutil.copytree(HERE / "bad_input" / "symlink", root, symlinks=True)
    shutil.copy(FIXTURES / "taxonomy.yml", root / "taxonomy.yml")
    (root / "elsewhere.md").write_text("---\ntype: [broken\n---\n")  # would error if read
    result = run_cli("validate", "--root", str(root), "--as-of", "2026-06-15")
    assert "symbolic link" in result.output
    assert "broken" not in result.output and "elsewhere" not in result.output


def test_records_that_failed_the_schema_are_checked_across_records_in_parallel_too(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import datetime as dt

    from generator.records import validate

    root = tmp_path / "kb"
    shutil.copytree(HERE / "bad_input" / "schema-error-hides-nothing", root,
                    ignore=shutil.ignore_patterns("expected.txt", "CASE"))
    shutil.copy(FIXTURES / "taxonomy.yml", root / "taxonomy.yml")
    serial = [p.format() for p in validate.check(root, dt.date(2026, 6, 15)).problems.sorted()]
    monkeypatch.setattr(validate, "PARALLEL_FROM", 1)  # stubs travel back from worker processes
    parallel = [p.format() for p in validate.check(root, dt.date(2026, 6, 15)).problems.sorted()]
    assert parallel == serial
    assert any("unknown team 'sails'" in p for p in parallel)
    assert any("no action 'SAL-2026-04-9' exists" in p for p in parallel)


_SPELLED_RETRO = """---
type: {type}
period: 2026-{month:02d}
team: marketing
held: 2026-{held:02d}-03
facilitator: Noor Haddad
participants: [Noor Haddad]
format: stop-start-continue
indicators: {{pipeline-velocity: 41000}}
start: [{start}]
{more}---

{start}.
"""


def test_a_record_whose_type_is_spelled_another_way_is_checked_as_that_type_everywhere(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import datetime as dt

    from generator.records import validate

    # February's retro wrote its type in capitals; March's updates the action it raised. The
    # type is February's only error: it is a retro to the rules across records too, on one
    # CPU, in worker processes (which re-create the record from its front matter) and from
    # the record cache.
    root = make_kb(tmp_path / "kb", {
        "retros/2026-02-marketing.md": _SPELLED_RETRO.format(
            type="RETRO", month=2, held=3, start="Weekly list checks", more=(
                "actions:\n  - {id: MKT-26-02-a, title: Audit the list, owner: Iris Bell, "
                "due: 2026-03-20}\n")),
        "retros/2026-03-marketing.md": _SPELLED_RETRO.format(
            type="retro", month=3, held=4, start="Pair on the audit", more=(
                "action_updates:\n  - {id: MKT-26-02-a, status: done, done_on: 2026-03-18}\n")),
    })
    as_of = dt.date(2026, 4, 10)
    serial = validate.check(root, as_of, cache=False)
    expected = ["retros/2026-02-marketing.md:2:7  type  must be retro, review or postmortem "
                "(got 'RETRO') (write `type: retro`; the rest of the record was checked as a "
                "retro)"]
    assert [p.format() for p in serial.problems.sorted()] == expected
    assert serial.kb is not None
    assert [e.id for e in serial.kb.retros] == ["2026-02-marketing", "2026-03-marketing"]
    cold = validate.check(root, as_of, cache=True)
    warm = validate.check(root, as_of, cache=True)
    monkeypatch.setattr(validate, "PARALLEL_FROM", 1)
    parallel = validate.check(root, as_of, cache=False)
    for result in (cold, warm, parallel):
        assert [p.format() for p in result.problems.sorted()] == expected


@pytest.mark.parametrize(("raw", "unit", "hint"), [
    ("31%", "rate", 'write 0.31 for 31%, or as counts, e.g. "18/52"'),
    (" 12.5 % ", "rate", 'write 0.125 for 12.5 %, or as counts, e.g. "18/52"'),
    ("$42,000", "usd", "write 42000, a plain number with no currency sign or thousands separator"),
    ("1,234,567.5", "count", "write 1234567.5, a plain number with no thousands separator"),
    ("45 days", "days", "write 45, a plain number with no unit; the unit is the indicator's, "
                        "in taxonomy.yml"),
    ("€ 1200", "usd", "write 1200, a plain number with no currency sign"),
    # 1200 in much of Europe, 1.2 elsewhere: both readings, no guess.
    ("1.200", "usd", "if it means 1,200, write 1200; if 1.2, write 1.2: a plain number, "
                     "with a point for decimals"),
    ("45,500", "days", "if it means 45,500, write 45500; if 45.5, write 45.5: a plain number, "
                       "with a point for decimals"),
    # A decimal comma where it can be nothing else: a leading 0, two decimals, a rate.
    ("0,31", "rate", "write 0.31 for 0,31: a plain number, with a point for decimals"),
    ("12,5", "days", "write 12.5 for 12,5: a plain number, with a point for decimals"),
    ("45,500", "rate", "write 45.5 for 45,500: a plain number, with a point for decimals"),
    ("12,5 %", "rate", 'write 0.125 for 12,5 %, or as counts, e.g. "18/52"'),
    # Points or spaces between the thousands, with a decimal comma or a euro sign.
    ("1.234,5", "usd", "write 1234.5 for 1.234,5: a plain number, with a point for decimals"),
    ("1.150.000 €", "usd", "write 1150000 for 1.150.000 €: a plain number, with a point for "
                           "decimals"),
    ("1 200 000", "count", "write 1200000 for 1 200 000: a plain number, with a point for "
                           "decimals"),
    ("$1,2", "usd", None),  # a dollar amount has no decimal comma: no guess
    # No hint past 18 digits (4,400 of them stopped every command: Python refuses to make an
    # int of so many).
    ("9" * 4400 + ",500", "usd", None),
    ("9" * 400 + ",5", "usd", None),
    # Full-width digits are named, and the hint writes the number in ASCII digits.
    ("１.２００", "usd", "full-width digits (１, ２００); if it means 1,200, write 1200; if 1.2, "
                       "write 1.2: a plain number, with a point for decimals"),
    ("４０", "days", "full-width digits (４０): write 40"),
    ("２０％", "rate", 'full-width digits (２０) and a full-width percent sign (％); write 0.2 for '
                     '20%, or as counts, e.g. "18/52"'),
    ("65日", "days", "write 65, a plain number with no unit; the unit is the indicator's, in "
                    "taxonomy.yml"),
    ("31%", "ratio", None),  # a percentage only reads as a rate
    ("150%", "rate", None),  # and never as a rate above 1
    ("about 40", "count", None),
    (31, "rate", None),
    ("42k", "usd", "write 42000 for 42k, a plain number"),
    ("$1.2M", "usd", "write 1200000 for $1.2M, a plain number"),
    ("3bn", "count", "write 3000000000 for 3bn, a plain number"),
])
def test_a_number_in_disguise_gets_the_plain_number_as_its_hint(
    raw: object, unit: str, hint: str | None
) -> None:
    from generator.records.taxonomy import Unit
    from generator.records.types import disguised_number_hint

    assert disguised_number_hint(raw, rate=Unit(unit) is Unit.RATE) == hint


def test_github_format_says_first_that_an_id_vanished_from_the_taxonomy(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """After a cause is renamed in taxonomy.yml, five untouched records fail. The pull-request
    check (`--format github`) says why first, on taxonomy.yml, before the five record errors
    (GitHub shows a step's first annotations only), and the job summary says it too."""
    root = tmp_path / "kb"
    shutil.copytree(HERE / "bad_input" / "cause-renamed-in-taxonomy", root)
    shutil.copy(FIXTURES / "taxonomy.yml", root / "taxonomy.yml")
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    result = run_cli("validate", "--root", str(root), "--format", "github",
                     "--as-of", "2026-07-01")
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0].startswith("::error file=taxonomy.yml,line=3,col=1::cause 'lead-leakage' "
                               "is unknown in 5 records: was it renamed or removed"), lines[0]
    assert sum(line.startswith("::error file=retros/") for line in lines) == 5
    assert "cause 'lead-leakage' is unknown in 5 records" in summary.read_text()


def test_json_format_gives_the_rename_line_and_the_records_held_later(tmp_path: Path) -> None:
    """`validate --format json` left out two facts the text gives: the line for an id five
    records name but taxonomy.yml lacks (a renamed cause), and the summary's "N more held
    after DATE, left out of the site until then". Both are in the JSON now."""
    root = tmp_path / "kb"
    shutil.copytree(HERE / "bad_input" / "cause-renamed-in-taxonomy", root)
    shutil.copy(FIXTURES / "taxonomy.yml", root / "taxonomy.yml")
    text = run_cli("validate", "--root", str(root), "--as-of", "2026-07-01")
    (vanished,) = [line for line in text.output.splitlines() if "was it renamed" in line]
    result = run_cli("validate", "--root", str(root), "--format", "json", "--as-of", "2026-07-01")
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert report["notes"] == [vanished]
    assert vanished.startswith("cause 'lead-leakage' is unknown in 5 records: was it renamed")
    # While there are errors no site is built: no count of records, nor of those held later.
    assert (report["summary"]["records"], report["summary"]["held_later"]) == (None, None)
    assert report["summary"]["as_of"] == "2026-07-01"

    # The cause restored, and the as-of day moved back before the last two retros were held.
    taxonomy = root / "taxonomy.yml"
    taxonomy.write_text(taxonomy.read_text().replace("causes:\n", "causes:\n  - id: lead-leakage\n"
                        "    title: Lead leakage\n    description: Leads go cold unworked.\n", 1))
    held = sorted(line.split(":", 1)[1].strip() for path in (root / "retros").glob("*.md")
                  for line in path.read_text().splitlines() if line.startswith("held:"))
    as_of = held[-3]
    text = run_cli("validate", "--root", str(root), "--as-of", as_of)
    assert text.exit_code == 0, text.output
    assert text.output.splitlines()[-1].endswith(
        f"; 2 more held after {as_of}, left out of the site until then"), text.output
    report = json.loads(run_cli("validate", "--root", str(root), "--format", "json",
                                "--as-of", as_of).stdout)
    assert report["notes"] == []
    assert report["summary"]["records"] == len(held) - 2
    assert report["summary"]["held_later"] == 2 and report["summary"]["as_of"] == as_of


def test_a_renamed_teams_hint_applied_makes_its_records_valid(tmp_path: Path) -> None:
    """The rename line's advice, followed: the earlier id kept in the renamed team's aliases,
    the five untouched retros validate, as one team (no month of it is missing)."""
    root = tmp_path / "kb"
    shutil.copytree(HERE / "bad_input" / "team-renamed-in-taxonomy", root,
                    ignore=shutil.ignore_patterns("expected.txt", "CASE"))
    taxonomy = root / "taxonomy.yml"
    text = taxonomy.read_text()
    assert text.count("  - id: growth-marketing\n") == 1
    taxonomy.write_text(text.replace("  - id: growth-marketing\n",
                                     "  - id: growth-marketing\n    aliases: [marketing]\n"))
    result = run_cli("validate", "--root", str(root), "--as-of", "2026-06-15")
    assert result.output.splitlines() == [
        "0 errors, 0 warnings; 5 files checked",
        "5 records: 5 retros, 0 quarterly reviews, 0 post-mortems"]
    assert result.exit_code == 0


def test_a_counts_hint_applied_makes_the_row_valid(tmp_path: Path) -> None:
    """`actual: 25/100`, the first hint ("write a plain number without quotes") applied to
    `"25/100"`, was told the same again; the hint now gives the number to write, and written,
    it validates. By hand: 18 of 52 is 0.346154 to six places."""
    root = tmp_path / "kb"
    record = root / "postmortems" / "2026-06-the-partner-webinar.md"
    record.parent.mkdir(parents=True)
    shutil.copy(FIXTURES / "taxonomy.yml", root / "taxonomy.yml")
    text = ("---\ntype: postmortem\nname: The partner webinar\nkind: webinar\nteam: marketing\n"
            "outcome: loss\nsummary: Few came.\nevent_ended: 2026-06-10\nheld: 2026-06-12\n"
            "keeper: Ann\nplan_vs_actual:\n  - {metric: Show rate, goal: 0.5, unit: rate, "
            "actual: 18/52}\n---\n\nWhat happened.\n")
    record.write_text(text)
    first = run_cli("validate", "--root", str(root), "--as-of", "2026-06-15")
    assert first.exit_code == 1
    assert first.output.splitlines()[0] == (
        "postmortems/2026-06-the-partner-webinar.md:12:56  plan_vs_actual[0].actual  must be a "
        'number (got "18/52") (counts are not accepted here; write the rate as a decimal: '
        "0.346154)")
    record.write_text(text.replace("18/52", "0.346154"))
    second = run_cli("validate", "--root", str(root), "--as-of", "2026-06-15")
    assert second.exit_code == 0, second.output


def test_a_line_break_hint_applied_makes_the_record_valid(tmp_path: Path) -> None:
    """`"a\\nb"` in a quoted value was refused as "the invisible character U+000A LINE FEED";
    it is refused as a line break, and the hint, followed (a title on one line, a note and a
    timeline entry as `|` blocks), gives a record that validates."""
    root = tmp_path / "kb"
    shutil.copytree(HERE / "bad_input" / "line-break-in-quoted-value", root,
                    ignore=shutil.ignore_patterns("expected.txt", "CASE"))
    shutil.copy(FIXTURES / "taxonomy.yml", root / "taxonomy.yml")
    record = root / "postmortems" / "2026-05-the-partner-summit.md"
    first = run_cli("validate", "--root", str(root), "--as-of", "2026-06-15")
    assert first.exit_code == 1
    assert first.output.splitlines()[2] == (
        "postmortems/2026-05-the-partner-summit.md:23:43  actions[0].title  contains a line "
        "break, which only a `|` block may hold (a title or a name goes on one line: delete the "
        "break; for a note or other text over several lines, write it as a `|` block)")
    text = record.read_text()
    for written, fixed in (
            ('"Doors open\\nKeynote at 10"', "|\n      Doors open\n      Keynote at 10"),
            ('"Most came alone.\\nTwo brought a prospect."',
             "|\n      Most came alone.\n      Two brought a prospect."),
            ('"Invite each partner\'s customer\\ndirectly"',
             "Invite each partner's customer directly")):
        assert written in text
        text = text.replace(written, fixed)
    record.write_text(text)
    second = run_cli("validate", "--root", str(root), "--as-of", "2026-06-15")
    assert second.exit_code == 0, second.output


def test_a_full_width_space_before_an_id_is_told_and_one_alone_lists_the_ids(
        tmp_path: Path) -> None:
    """Another company's records (Nordfjord's teams and causes, a cause cited as a list item,
    an action's cause): an id after the full-width space an input method types (U+3000) was
    read as the id without a word, though the same space before a format or a status is an
    error; each is now a warning at the space, saying what was read and what to write, and the
    record is read and checked as meant. A team that is the space alone was told to "write the
    value"; it is told which team ids there are, as any unknown team is."""
    from conftest import NORDFJORD

    kb = tmp_path / "kb"
    (kb / "retros").mkdir(parents=True)
    (kb / "taxonomy.yml").write_text(NORDFJORD, encoding="utf-8")
    read = ("---\ntype: retro\nperiod: 2026-05\nteam: \u3000field-sales\nheld: 2026-06-03\n"
            "facilitator: Ingrid Dahl\nformat: went-well-didnt\n"
            "indicators:\n  meetings-booked: {dach: 22, nordics: 15}\ncauses:\n"
            "  - \u3000unclear-territories\nactions:\n  - id: FS-2026-05-1\n"
            "    title: Split the DACH accounts by postcode\n    owner: Ingrid Dahl\n"
            "    due: 2026-06-30\n    cause: \u3000\u3000unclear-territories\n---\n\nA slow May.\n")
    (kb / "retros" / "2026-05-field-sales.md").write_text(read, encoding="utf-8")
    result = run_cli("validate", "--root", str(kb), "--as-of", "2026-06-15")
    assert result.exit_code == 0 and "Traceback" not in result.output, result.output
    ime = "an input method types U+3000 for a space in Japanese, Chinese or Korean mode"
    assert result.output.splitlines()[:4] == [
        "retros/2026-05-field-sales.md:4:7  team  warning: a full-width space (U+3000) before "
        f'the id (got "\u3000field-sales"): read as field-sales (delete it: team: field-sales; '
        f"{ime})",
        "retros/2026-05-field-sales.md:11:5  causes[0]  warning: a full-width space (U+3000) "
        'before the id (got "\u3000unclear-territories"): read as unclear-territories (delete '
        f"it: - unclear-territories; {ime})",
        "retros/2026-05-field-sales.md:17:12  actions[0].cause  warning: 2 full-width spaces "
        '(U+3000) before the id (got "\u3000\u3000unclear-territories"): read as '
        f"unclear-territories (delete them: cause: unclear-territories; {ime})",
        "0 errors, 3 warnings; 1 file checked"], result.output
    (kb / "retros" / "2026-06-field-sales.md").write_text(
        read.replace("team: \u3000field-sales", "team: \u3000").replace("2026-05", "2026-06")
        .replace("2026-06-03", "2026-07-02"),
        encoding="utf-8")
    result = run_cli("validate", "--root", str(kb), "--as-of", "2026-07-15")
    assert result.exit_code != 0 and "Traceback" not in result.output, result.output
    assert ("retros/2026-06-field-sales.md:4:7  team  must be an id of lowercase ASCII letters "
            '(a-z), digits and hyphens (got "\u3000": only a full-width space (U+3000), which '
            "YAML keeps as the value) (delete it and write the team's id; the ids, listed under "
            f"teams: there, are field-sales, inbound-sdr; {ime})") in result.output, result.output
