"""The prompts a new record's draft carries in place of its content.

``hindsight new`` writes them so the author sees what goes where; a record submitted with one
still in it would publish the prompt as if it were what happened. Validation warns about each
one left (`check_placeholders`), at its line.
"""

from __future__ import annotations

from dataclasses import dataclass

from .corpus import Entry
from .schema import Postmortem, Review

STORY_PROMPTS = (
    "Write the story of the month here:",
    "What the quarter taught us, why each big variance happened,",
    "Facts first: what happened, in order, and the numbers.",
    "What the numbers said, what the team discussed, what it decided.",
)
"""The opening words of the body prompt of each draft (retro, review, post-mortem, and the
notes under the agenda ``hindsight prep`` writes)."""


DEAL_WHY_PROMPT = "In the customer's words: why they chose us, or did not."
"""The ``why`` a new deal post-mortem's draft carries."""
CUSTOMER_PROMPT = "The customer's name"
"""The ``customer`` a new deal post-mortem's draft carries (the post-mortem's own name is
rarely the customer's: "The Brenner Loss")."""
NOBODY = "To be named"
"""The facilitator (or keeper) a draft names when git knows no user name."""
SCORECARD_EXAMPLE = ("New ARR", 1, 1)
"""The example row (metric, goal, actual) a new review's scorecard starts with."""
ANNUAL_GOALS_EXAMPLE = ("The year stands at 96% of its new-ARR plan to date; the rest of the "
                        "year needs more pipeline than it has.")
"""The example ``annual_goals`` a new review's draft offers, commented out: uncommented and left
as written, it would be published as where the year stands."""


def summary_prompt(name: str) -> str:
    """The summary a new post-mortem's draft carries."""
    return f"One or two sentences on what happened in {name}."


@dataclass(frozen=True)
class Placeholder:
    """A draft's prompt still in a record, with what the warning about it says."""

    path: tuple[str | int, ...]
    """The front-matter field it is in (empty for the body)."""
    body_line: int | None
    """Its line in the file, for the body (None: the field's position is looked up)."""
    message: str
    hint: str


_PROMPT = ("still holds the draft's prompt, which would be published as written",
           "replace it with what happened")
_NOBODY = ("still holds the draft's stand-in for a name, which would be published as who "
           "ran the session", "write the name of who facilitated it")
_EXAMPLE_ROW = ("is the draft's example row, which would be published as a goal met",
                "replace it with the quarter's goals")
_EXAMPLE_GOALS = ("is the draft's example, which would be published as where the year stands",
                  "write how the quarter ties back to the year's goals, or leave annual_goals out")


def placeholders_left(entry: Entry) -> list[Placeholder]:
    """Each prompt or example still in the record."""
    found: list[Placeholder] = []
    record = entry.record
    if isinstance(record, Postmortem) and record.summary.strip() == summary_prompt(record.name):
        found.append(Placeholder(("summary",), None, *_PROMPT))
    if isinstance(record, Postmortem) and record.deal and record.deal.why.strip() == DEAL_WHY_PROMPT:
        found.append(Placeholder(("deal", "why"), None, *_PROMPT))
    if isinstance(record, Postmortem) and record.deal \
            and record.deal.customer.strip() == CUSTOMER_PROMPT:
        found.append(Placeholder(("deal", "customer"), None, *_PROMPT))
    # A draft made where git knows no user name: "To be named" would be published as a name.
    who = "keeper" if isinstance(record, Postmortem) else "facilitator"
    if str(getattr(record, who, "")).strip() == NOBODY:
        found.append(Placeholder((who,), None, *_NOBODY))
    if isinstance(record, Review):
        found += [Placeholder(("scorecard", i), None, *_EXAMPLE_ROW)
                  for i, row in enumerate(record.scorecard)
                  if (row.metric, row.goal, row.actual) == SCORECARD_EXAMPLE]
        if record.annual_goals == ANNUAL_GOALS_EXAMPLE:
            found.append(Placeholder(("annual_goals",), None, *_EXAMPLE_GOALS))
    for index, line in enumerate(entry.source.body.split("\n")):
        if any(line.lstrip().startswith(prompt) for prompt in STORY_PROMPTS):
            found.append(Placeholder((), entry.source.body_line + index, *_PROMPT))
    return found
