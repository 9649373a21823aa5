"""A lesson that replaces an earlier one (``replaces:``): which lesson of the record it names.

A later plan can show a lesson wrong or outdated ("Staff the stand with two AEs" after a show
where the AEs spent the day on calls). Its record names the earlier record under the new
lesson's ``replaces:``; the lesson meant is that record's only lesson, else its only lesson
sharing a plan kind with the new one, else the one numbered by ``lesson:`` (from 1). The
checklists leave the replaced lesson out (`generator.analysis.checklist`) and its record's
page says which record replaced it.
"""

from __future__ import annotations

from .corpus import Entry
from .schema import Lesson, Record


def replaced_index(lesson: Lesson, target: Record) -> int | str:
    """The index, in ``target.lessons``, of the lesson ``lesson`` replaces, or why there is
    none as a sentence naming the record by ``lesson.replaces.record``."""
    assert lesson.replaces is not None
    record_id, number = lesson.replaces.record, lesson.replaces.lesson
    lessons = target.lessons
    if not lessons:
        return f"{record_id} has no lessons to replace"
    if number is not None:
        if number > len(lessons):
            return (f"{record_id} has {len(lessons)} lesson{'s' * (len(lessons) != 1)}, "
                    f"not {number}")
        return number - 1
    if len(lessons) == 1:
        return 0
    kinds = set(lesson.applies_to)
    shared = [i for i, other in enumerate(lessons) if kinds & set(other.applies_to)]
    if len(shared) == 1:
        return shared[0]
    return (f"{record_id} has {len(shared) or len(lessons)} lessons"
            + (f" for {', '.join(sorted(kinds))} plans" if shared else "")
            + ": say which one this replaces")


def lesson_choices(record_id: str, target: Record, limit: int = 40) -> str:
    """The hint for a ``replaces:`` that names a record of several lessons: how to write the
    number, and each lesson's number with its opening words."""
    listed = "; ".join(
        f"{i} “{text if len(text) <= limit else text[:limit].rsplit(' ', 1)[0] + '…'}”"
        for i, text in enumerate((other.lesson for other in target.lessons), start=1))
    return f"write `replaces: {{record: {record_id}, lesson: N}}`, N one of {listed}"


def replacements(entries: list[Entry]) -> list[tuple[Entry, int, Entry, int]]:
    """Every lesson replaced, as (its record, its index, the replacing record, the replacing
    lesson's index), in the replacing records' order. A ``replaces:`` that validation refuses
    (no such record, a later one, no lesson meant) replaces nothing."""
    by_id = {entry.id: entry for entry in entries}
    found = []
    for entry in entries:
        for i, lesson in enumerate(entry.record.lessons):
            if lesson.replaces is None:
                continue
            target = by_id.get(lesson.replaces.record)
            if target is None or target is entry or target.date > entry.date:
                continue
            index = replaced_index(lesson, target.record)
            if isinstance(index, int):
                found.append((target, index, entry, i))
    return found
