""""Before you start": what a new draft should remember, as comment lines at its top.

``hindsight new postmortem --kind K`` gets the highlights of the "before you plan" checklist
for K; ``hindsight prep`` gets the team's open actions and the causes it cited in the last
quarter, with how often each came back. Comments only, so the draft validates unchanged.
"""

from __future__ import annotations

import datetime as dt

from ..analysis.link import CauseStats, Links
from ..analysis.planning import checklist
from ..messages import sentence
from ..paths import RenderOptions, cause_path, plan_path
from ..records.actions import ActionState
from ..records.corpus import KnowledgeBase
from ..records.schema import Status

LESSONS = 3
"""How many checklist lessons a post-mortem draft recalls."""
ASSUMPTIONS = 2
"""How many failed assumptions it recalls."""
ITEMS = 5
"""How many open actions or causes a retro draft recalls."""
HEADING = "Before you start — what the knowledge base already knows:"


def postmortem_briefing(kb: KnowledgeBase, links: Links, plan_kind: str | None,
                        options: RenderOptions) -> list[str]:
    """The checklist highlights for a post-mortem whose lessons inform ``plan_kind``."""
    if not kb.taxonomy.plan_kinds:
        # "browse the “Before you plan” pages" sent the author to a page that lists none.
        return [HEADING, "  no plan checklist yet: taxonomy.yml has no plan_kinds, and each "
                "checklist gathers the lessons of one plan kind."]
    if plan_kind is None or plan_kind not in links.checklists:
        return [HEADING, "  this kind of post-mortem has no plan checklist; browse the "
                "“Before you plan” pages."]
    plan = checklist(kb, links, plan_kind)
    url = options.page_url(plan_path(plan_kind))
    lines = [HEADING, f"  Before you plan: {plan.title}" + (f" — {url}" if url else "")]
    if plan.empty:
        return [*lines, f"  nothing recorded for {plan_kind} plans yet: this record starts it."]
    # Every record of an item, newest first: the newest alone ("learned 3 times, last in
    # Porto") left the others to be looked up.
    for group in plan.lessons[:LESSONS]:
        times = f"learned {group.count} times, in" if group.count > 1 else "learned in"
        where = "; ".join(f"{e.title}, held {e.date:%Y-%m-%d}" for e in group.entries)
        lines.append(f"  - {group.text} ({times} {where})")
    for group in plan.assumptions[:ASSUMPTIONS]:
        times = f" {group.count} times" if group.count > 1 else ""
        held = ""
        if group.held_in:  # failed, and held elsewhere: not a sure miss
            times = f" {group.count} of {group.checked} times"
            held = "; held in " + ", ".join(e.title for e in group.held_in)
        lines.append(f"  - We assumed: {sentence(group.text)} It did not hold{times} "
                     f"({', '.join(e.title for e in group.entries)}{held}).")
    for state in plan.open_actions[:ITEMS]:
        lines.append(f"  - Still open: {state.id} {state.action.title} ({state.owner}, "
                     f"{_when(state, kb.as_of)})")
    lines += _more(len(plan.open_actions), "open action", "on the checklist")
    # Both lists are cut: counting the lessons alone hid the failed assumptions left out.
    more = [f"{n} more {noun}{'s' * (n != 1)}"
            for n, noun in ((len(plan.lessons) - LESSONS, "lesson"),
                            (len(plan.assumptions) - ASSUMPTIONS, "failed assumption"))
            if n > 0]
    if more:
        lines.append(f"  …and {' and '.join(more)} on the checklist.")
    return lines


def retro_briefing(kb: KnowledgeBase, links: Links, team: str, period: str,
                   options: RenderOptions) -> list[str]:
    """The team's open actions and the causes it cited in the three months before ``period``."""
    from .draft import carried_over, owned_elsewhere, recent_causes

    lines = [HEADING]
    open_actions = carried_over(links, team)
    overdue = [s for s in open_actions if s.is_overdue(kb.as_of)]
    names = {t.id: t.name for t in kb.taxonomy.teams}
    elsewhere = {s.id: owned_elsewhere(s, team, names) for s in open_actions}
    raised = sum(1 for s in open_actions if elsewhere[s.id])
    if open_actions:
        own = len(open_actions) - raised
        # Another team's action its own records raised is the team's to follow up too.
        others = (f" and {raised} that its records raised for other teams" if raised else "")
        lines.append(f"  {own} open action{'s' * (own != 1)} of this team{others}, "
                     f"{len(overdue)} overdue:")
        for state in open_actions[:ITEMS]:
            owned = f", {elsewhere[state.id]}" if elsewhere[state.id] else ""
            lines.append(f"  - {state.id} {state.action.title} ({state.owner}{owned}, "
                         f"{_when(state, kb.as_of)})")
        # Six open and five listed read as five: the rest are named by how to see them
        # (`actions --team` lists the team's own alone).
        unlisted = open_actions[ITEMS:]
        lines += _more(len(open_actions), "open action",
                       "under `action_updates:` below" if any(elsewhere[s.id] for s in unlisted)
                       else f"in `hindsight actions --team {team}`")
    else:
        lines.append("  no open actions for this team.")
    causes = recent_causes(kb, links, period, team)
    cited = [c for c in causes.own if c.id in links.causes]
    if cited:
        lines.append("  Causes this team cited in the last quarter:")
        # The team's own count: the company's alone, under this heading, read as the team's.
        for cause in cited[:ITEMS]:
            lines.append(f"  - {cause.title}: cited {_times(len(cause.own))} by this team in the "
                         "last quarter "
                         + _history(links.causes[cause.id], options))
        lines += _more(len(cited), "cause", "under Causes cited in the last three months below")
    else:
        # The team cited none: what the rest of the company cited most is still worth a look.
        recurring = [c for c in causes.recurring if c.id in links.causes]
        if recurring:
            lines.append("  Causes other teams cited most in the last quarter (this team cited "
                         "none):")
        for cause in recurring:
            lines.append(f"  - {cause.title}: {cause.spread} in the last quarter "
                         + _history(links.causes[cause.id], options))
    return lines


def _times(count: int) -> str:
    return f"{count} time{'s' * (count != 1)}"


def _history(stats: CauseStats, options: RenderOptions) -> str:
    """A cause's record across the company, "(company-wide 17 times since 2025-08-05; 5 open
    actions)", and its page's address."""
    came_back = len(stats.recurred_after_fix)
    back = f"; came back after its fix {_times(came_back)}" if came_back else ""
    still = len([a for a in stats.actions if a.is_open])
    url = options.page_url(cause_path(stats.cause.id))
    return (f"(company-wide {_times(stats.count)} since {stats.citations[0].entry.date}{back}; "
            f"{still} open action{'s' * (still != 1)})" + (f" — {url}" if url else ""))


def _more(count: int, noun: str, where: str) -> list[str]:
    """"…and N more <noun>s <where>." when ``count`` is more than `ITEMS` were listed."""
    more = count - ITEMS
    return [f"  …and {more} more {noun}{'s' * (more != 1)} {where}."] if more > 0 else []


def _when(state: ActionState, as_of: dt.date) -> str:
    days = state.days_overdue(as_of)
    started = ", in progress" if state.status is Status.IN_PROGRESS else ""
    if days is not None:
        return f"due {state.due}, overdue {days} day{'s' * (days != 1)}{started}"
    return f"due {state.due}{started}"


def as_comments(lines: list[str]) -> str:
    """Lines as a YAML comment block (record text folded onto one line each)."""
    out = []
    for line in lines:
        indent = len(line) - len(line.lstrip(" "))
        out.append("# " + " " * indent + " ".join(line.split()) if line.strip() else "#")
    return "\n".join(out)
