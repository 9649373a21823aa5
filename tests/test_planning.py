"""``hindsight plan KIND``: the checklist before planning, on the sample (golden) and on a small
hand-worked knowledge base."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from conftest import HERE, REPO, make_kb, run_cli

AS_OF = "2026-12-03"


def test_plan_campaign_on_the_sample(golden: Callable[[Path, str], None]) -> None:
    result = run_cli("plan", "campaign", "--root", str(REPO), "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    golden(HERE / "goldens" / "plan-campaign.txt", result.output)
    markdown = run_cli("plan", "campaign", "--format", "markdown", "--root", str(REPO),
                       "--as-of", AS_OF)
    golden(HERE / "goldens" / "plan-campaign.md", markdown.output)


def _postmortem(slug: str, held: str, lessons: list[str], extra: str = "") -> tuple[str, str]:
    body = "".join(f'  - lesson: "{text}"\n    applies_to: [campaign]\n' for text in lessons)
    return (f"postmortems/{slug}.md",
            f"---\ntype: postmortem\nname: {slug.title()}\nkind: campaign\noutcome: loss\n"
            f"summary: What happened.\nteam: marketing\nevent_ended: {held}\nheld: {held}\n"
            f"keeper: Ann\nlessons:\n{body}{extra}---\n\nStory.\n")


def test_repeated_lessons_come_first_then_the_newest(tmp_path: Path) -> None:
    # Three post-mortems: "Validate the list" is learned twice (reworded), so it leads although
    # "Book the venue early" is newer; then the newest single lesson, then the oldest.
    root = make_kb(tmp_path / "kb", dict([
        _postmortem("alpha", "2026-01-10", ["Validate the bought list before any send.",
                                            "Name an owner for every sequence."]),
        _postmortem("bravo", "2026-02-10", ["Validate any bought list before the send."],
                    "assumptions:\n  - {statement: Lists were clean., held: false, note: 30% bounced.}\n"
                    "actions:\n  - {id: B-1, title: Buy a validation tool, owner: Bo, due: 2026-03-01}\n"),
        _postmortem("charlie", "2026-03-10", ["Book the venue early."]),
    ]))
    result = run_cli("plan", "campaign", "--root", str(root), "--as-of", "2026-03-11")
    assert result.exit_code == 0, result.output
    lessons = [line.strip() for line in result.output.splitlines() if line.strip().startswith("[ ]")]
    assert lessons == [
        "[ ] Validate any bought list before the send.",  # newest wording of the repeated one
        "[ ] Book the venue early.",
        "[ ] Name an owner for every sequence.",
        "[ ] We assumed: Lists were clean. — but 30% bounced.",
        # Due 2026-03-01, judged on 2026-03-11: ten days overdue.
        "[ ] B-1  Buy a validation tool — Bo, due 2026-03-01, overdue 10 days",
    ]
    assert "learned 2 times, last in Bravo, 2026-02" in result.output
