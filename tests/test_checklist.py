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
    assert [(r.text, [n for _, n in r.notes]) for r in ranked(items, "assumption")] == [
        ("Leads come in fast", ["they did not"])]


def test_near_duplicate_lessons_are_one_item_as_hindsight_plan_counts_them() -> None:
    # The site's checklists merged only the same words while `hindsight plan` merged
    # near-duplicates, so the two listed different lessons; both now rank with this function.
    def entry(record_id: str, day: str) -> Any:
        date = dt.date.fromisoformat(day)
        return SimpleNamespace(id=record_id, date=date, sort_key=(date, record_id))

    tokyo, osaka, nagoya = (entry("tokyo", "2026-03-20"), entry("osaka", "2026-06-15"),
                            entry("nagoya", "2026-10-10"))
    quote_flow = "展示会の前に、見積書の承認フローを確認しておくこと。"
    # Worked by hand: "必ず" turns the pair "を確" into "を必", "必ず", "ず確"; the other 21 of the
    # 22 pairs are shared. Shared: 21 pairs and 20 spaces = 62 characters; the closer side's
    # own pair "を確" adds 3: 2 * 62 / (62 + 65) = 0.976, a near-duplicate.
    quote_flow_reworded = "展示会の前に、見積書の承認フローを必ず確認しておくこと。"
    # Sharing only "crm", "るこ" and "こと" of 21 and 23 words: two lessons.
    thanks = "参加者へのお礼メールは翌日までにCRMから送ること。"
    cards = "名刺データは展示会終了後48時間以内にCRMへ登録すること。"
    items = [LessonItem(tokyo, quote_flow, "lesson"), LessonItem(tokyo, cards, "lesson"),
             LessonItem(osaka, "Validate the bought list before any send.", "lesson"),
             LessonItem(osaka, thanks, "lesson"),
             LessonItem(nagoya, quote_flow_reworded, "lesson"),
             LessonItem(nagoya, "Validate any bought list before the send.", "lesson")]
    assert [(r.text, [e.id for e in r.entries]) for r in ranked(items, "lesson")] == [
        (quote_flow_reworded, ["nagoya", "tokyo"]),
        ("Validate any bought list before the send.", ["nagoya", "osaka"]),
        (thanks, ["osaka"]),
        (cards, ["tokyo"]),
    ]
