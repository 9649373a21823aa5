"""The prompts a new record's draft carries in place of its content.

``hindsight new`` writes them so the author sees what goes where; a record submitted with one
still in it would publish the prompt as if it were what happened. Validation warns about each
one left (`check_placeholders`), at its line.
"""

from __future__ import annotations

from .corpus import Entry
from .schema import Postmortem, Review

STORY_PROMPTS = (
    "Write the story of the month here:",
    "What the quarter taught us, why each big variance happened,",
    "Facts first: what happened, in order, and the numbers.",
)
"""The opening words of the body prompt of each draft (retro, review, post-mortem)."""


DEAL_WHY_PROMPT = "In the customer's words: why they chose us, or did not."
"""The ``why`` a new deal post-mortem's draft carries."""
SCORECARD_EXAMPLE = ("New ARR", 1, 1)
"""The example row (metric, goal, actual) a new review's scorecard starts with."""


def summary_prompt(name: str) -> str:
    """The summary a new post-mortem's draft carries."""
    return f"One or two sentences on what happened in {name}."


def placeholders_left(entry: Entry) -> list[tuple[tuple[str | int, ...], int | None, str]]:
    """Each prompt still in the record: (its field's path, its body line or None, the field)."""
    found: list[tuple[tuple[str | int, ...], int | None, str]] = []
    record = entry.record
    if isinstance(record, Postmortem) and record.summary.strip() == summary_prompt(record.name):
        found.append((("summary",), None, "summary"))
    if isinstance(record, Postmortem) and record.deal and record.deal.why.strip() == DEAL_WHY_PROMPT:
        found.append((("deal", "why"), None, "deal.why"))
    if isinstance(record, Review):
        found += [(("scorecard", i), None, f"scorecard[{i}]") for i, row in enumerate(record.scorecard)
                  if (row.metric, row.goal, row.actual) == SCORECARD_EXAMPLE]
    for index, line in enumerate(entry.source.body.split("\n")):
        if any(line.lstrip().startswith(prompt) for prompt in STORY_PROMPTS):
            found.append(((), entry.source.body_line + index, "body"))
    return found
