"""Before you plan: a checklist's reading order (repeated lessons first, then the newest)."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from typing import Any

from generator.analysis.checklist import ranked
from generator.analysis.link import LessonItem


def test_a_lesson_written_twice_leads_the_checklist_even_when_older() -> None:
    def entry(record_id: str, day: str) -> Any:
        date = dt.date.fromisoformat(day)
        return SimpleNamespace(id=record_id, date=date, sort_key=(date, record_id))

    old_a, old_b, new = entry("a", "2026-01-10"), entry("b", "2026-02-10"), entry("c", "2026-05-01")
    items = [LessonItem(old_a, "Book the venue early.", "lesson"),
             LessonItem(new, "Name an owner for event leads", "lesson"),
             LessonItem(old_b, "book the venue  early", "lesson"),
             LessonItem(new, "Leads come in fast", "assumption", "they did not")]
    lessons = ranked(items, "lesson")
    # Worked by hand: "book the venue early" in two records (Jan, Feb) ranks before May's single lesson.
    assert [(r.text, r.count, [e.id for e in r.entries]) for r in lessons] == [
        ("book the venue  early", 2, ["b", "a"]), ("Name an owner for event leads", 1, ["c"])]
    assert [(r.text, r.notes) for r in ranked(items, "assumption")] == [
        ("Leads come in fast", ["they did not"])]
