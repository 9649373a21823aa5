"""Lessons and assumptions across records, as an events team writes them (its own plan kind
and team, amounts in euros, block lists): repeats within a record, amounts written two
ways, lessons a later record replaces, assumptions not known yet, and every record a
recalled item came from."""

from __future__ import annotations

from pathlib import Path

from conftest import event_kb, run_cli


def _events_kb(root: Path, files: dict[str, str]) -> Path:
    """A knowledge base with an ``event`` plan kind, an events team and euros."""
    event_kb(root, files)
    taxonomy = root / "taxonomy.yml"
    taxonomy.write_text(taxonomy.read_text(encoding="utf-8").replace(
        "teams:\n", "teams:\n  - id: events\n    name: Events\n", 1).replace(
        "company: Testco\n", 'company: Testco\ncurrency: "€"\n', 1), encoding="utf-8")
    return root


def _show(name: str, held: str, lessons: list[str], extra: str = "") -> str:
    """A trade-show post-mortem by the events team: lessons as block lists, applies_to first."""
    listed = "".join(f"  - applies_to:\n      - event\n    lesson: '{text}'\n" for text in lessons)
    return (f"---\ntype: postmortem\nname: '{name}'\nkind: event\noutcome: mixed\n"
            f"team: events\nevent_ended: {held}\nheld: {held}\nkeeper: 'Lea Brandt'\n"
            f"summary: 'The stand drew fewer visitors than planned.'\nlessons:\n{listed}"
            f"{extra}---\n\nWhat happened.\n")


def test_a_lesson_written_twice_in_one_record_is_warned_at_the_second(tmp_path: Path) -> None:
    # The second copy (other case, no full stop) was taken without a word: the checklist
    # showed it once, "learned in" the one record, and the lesson meant there was lost.
    root = _events_kb(tmp_path / "kb", {"postmortems/2026-03-dmexco.md": _show(
        "DMEXCO 2026", "2026-03-20",
        ["Book the stand before the early-bird deadline.", "Staff the stand with two AEs.",
         "book the stand before the early-bird deadline"])})
    result = run_cli("validate", "--root", str(root), "--as-of", "2026-04-01")
    assert result.exit_code == 0, result.output
    repeated = [line for line in result.output.splitlines() if "repeats" in line]
    # The third lesson's text is on line 20 of the file, the first one's on line 14.
    assert repeated == [
        "postmortems/2026-03-dmexco.md:20:13  lessons[2].lesson  warning: repeats lessons[0] on "
        "line 14 of this record (delete one of the two, or add the other plan kinds to the first "
        "one's applies_to)"], result.output
