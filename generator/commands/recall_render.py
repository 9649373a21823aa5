"""``hindsight recall`` written out: Markdown for people, the same under a heading for GitHub.

The GitHub form is what the ``validate`` workflow writes to the job summary and what the
comment workflow posts on the pull request. Record text is escaped where it lands.
"""

from __future__ import annotations

import re

from ..analysis.recall import ActionRef, RecallReport, RecordRecall, RecordRef, UpdateEvent
from ..escape import md, no_autolinks, no_mentions
from ..messages import sentence

GITHUB_HEADING = "## What the knowledge base already knows"
PREVIOUS = 3
"""How many earlier wrong-way months of an indicator, and earlier records of a repeated lesson,
are written out (JSON has them all)."""
TEAMS = 5
"""How many of the teams citing a cause are named (JSON names them all)."""
OPEN_ACTIONS = 5
"""How many of a cause's open actions raised by other records are written out, overdue first:
ICP drift had 13 at 40 teams; the rest are counted, with the command that lists them (JSON has
them all)."""


def render_markdown(report: RecallReport, level: int = 1) -> str:
    """The recall as Markdown: a section per record, or one calm line when nothing bears on them."""
    hashes = "#" * level
    # The note and the records the change deleted come first, then what is recalled.
    head = [report.note] if report.note else []
    if report.removed:
        head.append("Removed: " + ", ".join(md(path) for path in report.removed) + ".")
    if head and not report.records:
        return "\n\n".join(head) + "\n"
    parts = ["\n\n".join(head) + "\n"] if head else []
    if all(r.quiet for r in report.records):
        return "\n".join([*parts, _render_calm(report.records) + "\n"])
    # A cause's history is written once, under the first record citing it; the records after
    # refer to it. Forty retros of a month citing ICP drift wrote its history forty times
    # (261 KB, cut by the pull-request comment's limit to 13 of the 40 records).
    said: dict[str, RecordRef] = {}
    for item in report.records:
        title = f"{hashes} Recall for {_render_ref(item.record)}"
        parts.append(f"{title}\n\n{_render_calm([item])}\n" if item.quiet
                     else f"{title}\n\n{_render_record(item, level + 1, said)}")
    parts.append(f"_Actions as of {report.as_of}._\n")
    return "\n".join(parts)


def render_github(report: RecallReport) -> str:
    """The recall for the job summary and the pull-request comment: record text notifies
    nobody and links nowhere (`no_mentions`, `no_autolinks`); the links to the site stay."""
    parts = _LINK_TARGET.split(render_markdown(report, level=3))
    # Odd parts are the destinations of the links this module writes, kept as they are.
    body = "".join(part if i % 2 else no_autolinks(no_mentions(part))
                   for i, part in enumerate(parts))
    return f"{GITHUB_HEADING}\n\n{body}"


# `md` escapes every "]" and "(" of record text, so a bare "](" is always one of ours: a link
# to the site written by `_render_ref` or `_render_link`.
_LINK_TARGET = re.compile(r"(\]\([^()\s]*\))")
def _render_calm(records: list[RecordRecall]) -> str:
    names = ", ".join(_render_ref(r.record) for r in records)
    return (f"Nothing earlier in the knowledge base bears on {names}: no cause it cites, action it "
            "updates, lesson or indicator move has come up before.")


def _render_refs(refs: list[RecordRef]) -> str:
    """Records with the month each was held, newest first: "[A](…), 2026-06; [B](…), 2026-04"."""
    return "; ".join(f"{_render_ref(ref)}, {ref.date:%Y-%m}" for ref in refs)


def _render_ref(ref: RecordRef, anchor: str = "") -> str:
    text = md(ref.title)
    return f"[{text}]({ref.url}{'#' + anchor if anchor and ref.url else ''})" if ref.url else text


def _render_link(text: str, url: str | None) -> str:
    return f"[{md(text)}]({url})" if url else md(text)


def _render_action(action: ActionRef) -> str:
    if action.label == "overdue":
        state = f"**overdue {action.days_overdue} day{'s' * (action.days_overdue != 1)}**"
        # Started but late, as `hindsight actions` and the site say it: not the same as untouched.
        state += ", in progress" if action.status == "in-progress" else ""
    elif action.done_date:
        state = f"{action.label} {action.done_date}"
    else:
        state = action.label
    # Lateness counts from the first due date: say so where the due date was moved, as
    # `hindsight actions` does ("due 04-30, done late 04-28" read as a contradiction).
    moved = f" (first due {action.first_due})" if action.first_due != action.due else ""
    return (f"`{action.id}` {md(action.title)} — {md(action.owner)}, due {action.due}{moved}, "
            f"{state} "
            f"(raised in {_render_ref(action.raised_in, 'actions')})")


def _render_record(item: RecordRecall, level: int, said: dict[str, RecordRef]) -> str:
    """One record's recall. ``said`` maps the causes (by id) and lessons (by ``lesson:`` and
    their words) whose history an earlier record's section wrote to that record; this record's
    not in it are written out and added."""
    hashes = "#" * level
    lines: list[str] = []
    if item.causes:
        lines += [f"{hashes} Causes it cites", ""]
        for cause in item.causes:
            if cause.id in said:
                lines.append(f"- **{_render_link(cause.title, cause.url)}**: see above, under "
                             f"{md(said[cause.id].title)}.")
                continue
            said[cause.id] = item.record
            seen = ""
            if cause.first_seen and cause.last_seen:
                seen = (f"cited in {cause.cited_elsewhere} other record"
                        # Days, not months: a retro of July is held in August.
                        f"{'s' * (cause.cited_elsewhere != 1)} since {cause.first_seen.date} "
                        f"({_render_ref(cause.first_seen)}), last in {_render_ref(cause.last_seen)}, "
                        f"{cause.last_seen.date}")
                # Company-wide reviews are of no team: counted beside the teams, so the teams
                # account for every record citing it (as on the cause pages).
                reviews = ([f"{cause.company_reviews} company-wide review"
                            f"{'s' * (cause.company_reviews != 1)}"]
                           if cause.company_reviews else [])
                # 24 teams' long names made a line of 1,200 characters: the first few, counted.
                teams = [md(t) for t in cause.teams[:TEAMS]]
                if len(cause.teams) > TEAMS:
                    more = len(cause.teams) - TEAMS
                    teams.append(f"{more} more team{'s' * (more != 1)}")
                if teams or reviews:
                    seen += f"; teams: {', '.join([*teams, *reviews])}"
            else:
                seen = "not cited by any other record"
            lines.append(f"- **{_render_link(cause.title, cause.url)}**: {seen}.")
            for stuck in cause.fix_did_not_stick[:PREVIOUS]:
                fixes = ", ".join(f"`{a.id}` (done {a.done_date})" for a in stuck.fixes_done_before)
                more = stuck.fixes_total - len(stuck.fixes_done_before)
                fixes += f", the last of {stuck.fixes_total} actions done against it" if more > 0 else ""
                days = f"{stuck.days_after_fix} days " if stuck.days_after_fix is not None else ""
                lines.append(f"  - The fix did not stick: it came back in {_render_ref(stuck.record)}, "
                             f"{stuck.record.date}, {days}after {fixes or 'its actions were closed'}.")
            if cause.came_back > PREVIOUS:
                lines.append(f"  - It came back after its fixes {cause.came_back} times in all.")
            still_open = [a for a in cause.actions if a.status in ("open", "in-progress")]
            for action in still_open[:OPEN_ACTIONS]:
                lines.append(f"  - {_render_action(action)}")
            more = len(still_open) - OPEN_ACTIONS
            if more > 0:
                lines.append(f"  - and {more} more open: `hindsight actions {cause.id}`")
            closed = cause.closed_actions
            if closed:
                # Open ones are listed above; these are all the closed ones (done or dropped),
                # including any named in "the fix did not stick".
                lines.append(f"  - {closed} action{'s' * (closed != 1)} against it done or "
                             f"dropped ({_render_link('the cause page', cause.url)} lists them)")
        lines.append("")
    if item.action_updates:
        lines += [f"{hashes} Actions it updates", ""]
        for history in item.action_updates:
            # The record that raised it is linked just before, and this one is the section's:
            # named again, two long team names made each line 600 characters.
            steps = "; ".join(
                (f"raised {e.record.date}" if e.record.id == history.action.raised_in.id
                 and e.status == "raised" else
                 f"this record, {e.record.date}: {e.status}" if e.record.id == item.record.id
                 else f"{_render_ref(e.record)} {e.record.date}: {e.status}")
                + _handed(e) + (f", due {e.due}" if e.due else "")
                + (f" ({md(e.note)})" if e.note else "")
                for e in history.history)
            lines.append(f"- {_render_action(history.action)}. History: {steps}.")
        lines.append("")
    plan = item.checklist
    if plan and (plan.lessons or plan.failed_assumptions or plan.open_actions):
        lines += [f"{hashes} Before you plan: {_render_link(plan.title, plan.url)}", ""]
        for lesson in plan.lessons:
            times = f"learned {lesson.times} times, in" if lesson.times > 1 else "learned in"
            lines.append(f"- [ ] {md(lesson.lesson)} — {times} "
                         f"{_render_refs(lesson.learned_in)}")
        if plan.lessons_total > len(plan.lessons):
            lines.append(f"- … {plan.lessons_total - len(plan.lessons)} more on "
                         f"{_render_link('the checklist', plan.url)}")
        for statement, count, refs in zip(plan.failed_assumptions, plan.failed_assumption_times,
                                          plan.failed_assumption_records, strict=True):
            again = f" {count} times," if count > 1 else ""
            lines.append(f"- [ ] We assumed: {md(sentence(statement))} It did not hold{again} "
                         f"in {_render_refs(refs)}.")
        for action in plan.open_actions:
            lines.append(f"- [ ] Still open: {_render_action(action)}")
        lines.append("")
    if item.repeated_lessons:
        lines += [f"{hashes} Lessons learned before", ""]
        for repeated in item.repeated_lessons:
            # The same lesson in several records recalled together: its history once, as a
            # cause's (five lessons of forty retros of a month wrote theirs forty times).
            key = "lesson:" + " ".join(repeated.lesson.casefold().split())
            if key in said:
                lines.append(f"- {md(repeated.lesson)} — see above, under "
                             f"{md(said[key].title)}.")
                continue
            said[key] = item.record
            pairs = list(zip(repeated.learned_before, repeated.earlier_wording, strict=True))
            before = "; ".join(f"{_render_ref(r)}, {r.date:%Y-%m} (“{md(w)}”)"
                               for r, w in pairs[:PREVIOUS])
            # Years of retros repeat a lesson dozens of times: the newest say it; a count the rest.
            older = len(pairs) - PREVIOUS
            rest = f"; and {older} earlier time{'s' * (older != 1)}" if older > 0 else ""
            lines.append(f"- {md(repeated.lesson)} — learned before in {before}{rest}")
        lines.append("")
    if item.indicators:
        lines += [f"{hashes} Indicators that moved the wrong way before", ""]
        for indicator in item.indicators:
            segment = "" if indicator.segment == "all" else f" ({md(indicator.segment_label)})"
            lines.append(f"- {_render_link(indicator.label, indicator.url)}{segment}:")
            for move in indicator.previous[:PREVIOUS]:
                done = "; ".join(_render_action(a) for a in move.actions) or "no action aimed at it"
                lines.append(f"  - {move.period}, {_render_ref(move.record)}: {done}")
            if indicator.times_before > PREVIOUS:
                earlier = indicator.times_before - PREVIOUS
                lines.append(f"  - and {earlier} earlier time{'s' * (earlier != 1)}")
        lines.append("")
    return "\n".join(lines)


def _handed(event: UpdateEvent) -> str:
    """An update's hand-over, as its history says it: ", handed to Account Executives (Luis
    Ortega)", ", handed to Luis Ortega"; nothing for an update that hands nothing over."""
    if not event.handed_over:
        return ""
    team = event.team_name or event.team
    if team and event.owner:
        return f", handed to {md(team)} ({md(event.owner)})"
    return f", handed to {md(team or event.owner or '')}"
