"""``hindsight plan KIND``: the checklist to read before planning a campaign, a deal, a launch…

For one plan kind: the lessons that apply to it (near-duplicates merged, most repeated and
newest first), the assumptions that did not hold in post-mortems of that kind (repeats
merged, most repeated and newest first, as the site's checklists count them), and the open
actions those post-mortems raised. The same checklist feeds ``hindsight recall`` and the
"Before you start" block of a new post-mortem draft.
"""

from __future__ import annotations

import datetime as dt
import textwrap
from collections.abc import Callable
from dataclasses import dataclass

from ..escape import md, pasteable
from ..messages import sentence
from ..paths import RenderOptions, plan_path, record_path
from ..records.actions import ActionState
from ..records.corpus import Entry, KnowledgeBase
from ..records.schema import Postmortem, Status
from .checklist import RankedItem, ranked
from .link import Links


@dataclass
class Checklist:
    """Everything to read before planning one kind of thing."""

    kind: str
    title: str
    lessons: list[RankedItem]
    """Near-duplicates merged, most repeated then newest first, as the site's checklist."""
    assumptions: list[RankedItem]
    """Assumptions that did not hold, repeats merged, most repeated then newest first, as the
    site's checklist."""
    open_actions: list[ActionState]
    """Open actions raised in post-mortems of this kind, oldest due first."""

    @property
    def empty(self) -> bool:
        """Nothing recorded for this kind yet."""
        return not (self.lessons or self.assumptions or self.open_actions)



def checklist(kb: KnowledgeBase, links: Links, kind: str, exclude: str | None = None) -> Checklist:
    """The checklist for plan kind ``kind``, leaving out record ``exclude`` (a record id)."""
    items = [i for i in links.checklists.get(kind, []) if i.entry.id != exclude]
    actions = sorted(
        (s for s in links.actions.values()
         if s.is_open and s.entry.id != exclude
         and isinstance(s.entry.record, Postmortem) and s.entry.record.informs == kind),
        key=lambda s: (s.due, s.id))
    return Checklist(kind=kind, title=kb.taxonomy.plan_kind(kind).title,
                     lessons=ranked(items, "lesson"),
                     # Ranked as the site ranks them: one assumption failed in three records
                     # was listed three times here and once, "3 times", on the site.
                     assumptions=ranked(items, "assumption"),
                     open_actions=actions)


def _render_when(entry: Entry) -> str:
    # The day it was held: "April 2026, 2026-05" (a retro's month, then its held month) misled.
    return f"held {entry.date:%Y-%m-%d}"


def render_failed(group: RankedItem, name: Callable[[Entry], str] = lambda e: e.title) -> str:
    """"did not hold 3 times, last in " before the newest record of an assumption that failed
    in more than one, nothing before the one record of one that failed once. One that also
    held says where, each record written by ``name``: "did not hold 1 of 2 times (held in The
    Globex Win), in " (listed as failed alone, it read as an assumption that never holds)."""
    if group.held_in:
        held = ", ".join(name(e) for e in group.held_in)
        return (f"did not hold {group.count} of {group.checked} times (held in {held}), "
                + ("last in " if group.count > 1 else "in "))
    return f"did not hold {group.count} times, last in " if group.count > 1 else ""


def _render_status(state: ActionState, as_of: dt.date) -> tuple[str, str]:
    """Where an open action stands, as prep's *Before you start* and recall say it: the
    status (``overdue 5 days``, ``in progress`` or ``open``), and ``, in progress`` after an
    overdue one that was started (said as open, started work read as not begun)."""
    days = state.days_overdue(as_of)
    started = state.status is Status.IN_PROGRESS
    if days is not None:
        return f"overdue {days} day{'s' * (days != 1)}", ", in progress" if started else ""
    return ("in progress" if started else "open"), ""


def render_text(plan: Checklist, options: RenderOptions, as_of: dt.date,
                width: int | None = None) -> str:
    """The checklist for a terminal: plain text, addresses in full; each item on one line,
    or wrapped between words to ``width`` columns under its own indent (an address is never
    broken: it runs past the edge rather than be copied in pieces)."""
    text = _render_text(plan, options, as_of)
    if width is None:
        return text
    wrapped = []
    for line in text.splitlines():
        body = line.lstrip(" ")
        indent = " " * (len(line) - len(body))
        # An item's text runs on under its words, not under its box: "  [ ] " → 6 spaces.
        hanging = indent + "    " if body.startswith("[ ] ") else indent
        wrapped += textwrap.wrap(line, width=max(width, 20), subsequent_indent=hanging,
                                 break_long_words=False, break_on_hyphens=False) or [""]
    return "\n".join(wrapped) + "\n"


def _render_text(plan: Checklist, options: RenderOptions, as_of: dt.date) -> str:
    url = options.page_url(plan_path(plan.kind))
    lines = [f"Before you plan: {plan.title}" + (f"  {url}" if url else ""), ""]
    if plan.empty:
        return "\n".join([*lines, f"Nothing recorded for {plan.title} yet."]) + "\n"
    lines.append("Lessons (most repeated, then newest, first)")
    for group in plan.lessons:
        learned = f"learned {group.count} times, last in" if group.count > 1 else "learned in"
        lines.append(f"  [ ] {group.text}")
        lines.append(f"      {learned} {group.entries[0].title}, {_render_when(group.entries[0])}"
                     + _render_address(options, group.entries[0]))
        # Every record that wrote it, as the site lists them, each with its address: the
        # newest alone left the others to be found on the site.
        lines += [f"      also in {e.title}, {_render_when(e)}" + _render_address(options, e)
                  for e in group.entries[1:]]
    if not plan.lessons:
        lines.append("  none yet")
    lines += ["", "Assumptions that did not hold"]
    for group in plan.assumptions:
        but = f" What happened: {group.note}" if group.note else ""
        lines.append(f"  [ ] We assumed: {sentence(group.text)}{but}")
        lines.append(f"      {render_failed(group)}{group.newest.title}, "
                     f"{_render_when(group.newest)}" + _render_address(options, group.newest))
        # Every post-mortem it failed in, as a lesson's records: the newest alone left the
        # others to be found on the site.
        lines += [f"      also in {e.title}, {_render_when(e)}" + _render_address(options, e)
                  for e in group.entries[1:]]
    if not plan.assumptions:
        lines.append("  none yet")
    # The kind as the taxonomy titles it, as the heading does: "keep-grow post-mortems" named
    # the id of a kind titled "Keep & grow".
    lines += ["", f"Open actions from post-mortems of {plan.title}"]
    for state in plan.open_actions:
        status, started = _render_status(state, as_of)
        lines.append(f"  [ ] {state.id}  {state.action.title} — {state.owner}, due {state.due}, "
                     f"{status}{started}")
        lines.append(f"      raised in {state.entry.title}"
                     + _render_address(options, state.entry, "actions"))
    if not plan.open_actions:
        lines.append("  none")
    return "\n".join(lines) + "\n"


def _render_address(options: RenderOptions, entry: Entry, anchor: str = "") -> str:
    url = options.page_url(record_path(entry.id), anchor)
    return f"  {url}" if url else ""


def _render_link(options: RenderOptions, entry: Entry, anchor: str = "") -> str:
    url = options.page_url(record_path(entry.id), anchor)
    return f"[{_text(entry.title)}]({url})" if url else _text(entry.title)


def _text(value: object) -> str:
    """Record text in the Markdown checklist: escaped, and pasted into a GitHub issue it
    notifies nobody and links nothing ("@octocat", "#1", a bare address show as typed)."""
    return pasteable(md(value))


def render_markdown(plan: Checklist, options: RenderOptions, as_of: dt.date,
                    level: int = 2, limit: int | None = None) -> str:
    """The checklist as Markdown, for a planning document (``limit`` items per list)."""
    hashes = "#" * level
    url = options.page_url(plan_path(plan.kind))
    title = f"[{md(plan.title)}]({url})" if url else md(plan.title)
    lines = [f"{hashes} Before you plan: {title}", ""]
    if plan.empty:
        return "\n".join([*lines, f"Nothing recorded for {md(plan.title)} yet."]) + "\n"
    lines += [f"{hashes}# Lessons", ""]
    for group in plan.lessons[:limit]:
        learned = f"learned {group.count} times, in" if group.count > 1 else "learned in"
        sources = "; ".join(f"{_render_link(options, e)}, {_render_when(e)}"
                            for e in group.entries)
        lines.append(f"- [ ] {_text(group.text)} — {learned} {sources}")
    lines += [*_render_more(plan.lessons, limit), "" if plan.lessons else "None yet.", ""]
    lines += [f"{hashes}# Assumptions that did not hold", ""]
    for group in plan.assumptions[:limit]:
        but = f" What happened: {_text(group.note)}" if group.note else ""
        failed = render_failed(group, lambda e: _render_link(options, e))
        if group.count > 1:  # every record, as a lesson's: "…, last in [A]" named one
            failed = failed.removesuffix("last in ") + "in "
        sources = "; ".join(f"{_render_link(options, e)}, {_render_when(e)}"
                            for e in group.entries)
        lines.append(f"- [ ] We assumed: {_text(sentence(group.text))}{but} ({failed}{sources})")
    lines += [*_render_more(plan.assumptions, limit), "" if plan.assumptions else "None yet.", ""]
    lines += [f"{hashes}# Open actions from post-mortems of {md(plan.title)}", ""]
    for state in plan.open_actions[:limit]:
        status, started = _render_status(state, as_of)
        lines.append(f"- [ ] `{state.id}` {_text(state.action.title)} — {_text(state.owner)}, due "
                     f"{state.due}, **{status}**{started} "
                     f"({_render_link(options, state.entry, 'actions')})")
    lines += [*_render_more(plan.open_actions, limit), "" if plan.open_actions else "None.", ""]
    return "\n".join(line for i, line in enumerate(lines)
                     if line or (i and lines[i - 1])).rstrip() + "\n"


def _render_more(items: list[object] | list[RankedItem] | list[ActionState],
                 limit: int | None) -> list[str]:
    if limit is None or len(items) <= limit:
        return []
    return [f"- … and {len(items) - limit} more"]
