"""The prompts a new record's draft carries in place of its content.

``hindsight new`` writes them so the author sees what goes where; a record submitted with one
still in it would publish the prompt as if it were what happened. Validation warns about each
one left (`placeholders_left`), at its line, naming it and what to write instead; the
pull-request check (``validate --changed-since``) refuses a change that leaves one.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..messages import and_list
from .corpus import Entry
from .schema import Postmortem, Review
from .taxonomy import Taxonomy

STORY_PROMPTS = {
    "Write the story of the month here:":
        "write the story of the month: what the numbers said, what the team talked about and "
        "what it decided",
    "What the quarter taught us, why each big variance happened,":
        "write what the quarter taught, why each big variance happened and what changes next "
        "quarter",
    "Facts first: what happened, in order, and the numbers.":
        "write what happened, in order, with the numbers; then what went well and what did not",
    "What the numbers said, what the team discussed, what it decided.":
        "write the session's notes: what the numbers said, what the team discussed, what it "
        "decided",
}
"""The opening words of the body prompt of each draft (retro, review, post-mortem, and the
notes under the agenda ``hindsight prep`` writes), with what to write in its place."""


DEAL_WHY_PROMPT = "In the customer's words: why they chose us, or did not."
"""The ``why`` a new deal post-mortem's draft carries."""
CUSTOMER_PROMPT = "The customer's name"
"""The ``customer`` a new deal post-mortem's draft carries (the post-mortem's own name is
rarely the customer's: "The Brenner Loss")."""
NOBODY = "To be named"
"""The facilitator (or keeper) a draft names when git knows no user name."""
SCORECARD_EXAMPLE = ("New ARR", 1, 1)
"""The example row (metric, goal, actual) a new review's scorecard starts with where the
knowledge base measures new ARR (`scorecard_example`)."""


@dataclass(frozen=True)
class ScorecardRow:
    """The example row a new review's scorecard starts with, uncommented."""

    metric: str
    unit: str
    better: str
    goal: float = 1
    actual: float = 1

    @property
    def key(self) -> tuple[str, float, float]:
        """What a row left as the draft wrote it has: its metric, goal and actual."""
        return (self.metric, self.goal, self.actual)


def scorecard_example(taxonomy: Taxonomy | None) -> ScorecardRow:
    """The review draft's example row: New ARR where the taxonomy names the inputs of the
    ``new-arr`` measure (or there is no taxonomy), else the taxonomy's first indicator, in its
    unit (a Customer Success team measures no new ARR); goal and actual 1 either way."""
    if taxonomy is None or taxonomy.new_arr is not None or not taxonomy.indicators:
        metric, goal, actual = SCORECARD_EXAMPLE
        return ScorecardRow(metric, "usd", "up", goal, actual)
    first = taxonomy.indicators[0]
    return ScorecardRow(first.label, first.unit.value, first.better.value)
ANNUAL_GOALS_EXAMPLE = ("The year stands at 96% of its new-ARR plan to date; the rest of the "
                        "year needs more pipeline than it has.")
"""The example ``annual_goals`` a new review's draft offers, commented out, where the knowledge
base measures new ARR (`annual_goals_example`): uncommented and left as written, it would be
published as where the year stands."""


def annual_goals_example(taxonomy: Taxonomy | None) -> str:
    """The review draft's example ``annual_goals``: `ANNUAL_GOALS_EXAMPLE` where the example
    scorecard row is New ARR (`scorecard_example`), else in the knowledge base's own words: the
    row's indicator, and the plans of renewals (else its first plan kind) that must close the
    gap. A Customer Success team plans no new ARR: "its new-ARR plan" read as another
    company's."""
    if taxonomy is None or taxonomy.new_arr is not None or not taxonomy.indicators:
        return ANNUAL_GOALS_EXAMPLE
    kinds = [kind.title for kind in taxonomy.plan_kinds if kind.renews] \
        or [kind.title for kind in taxonomy.plan_kinds[:1]]
    plans = f"the rest of the year's {and_list(kinds)}" if kinds else "the rest of the year"
    return (f"The year stands behind its goal for {taxonomy.indicators[0].label} to date; "
            f"{plans} must close the gap.")


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


SUBMITTED = "the pull-request check refuses it while it stands"
"""Said with every placeholder: `validate --changed-since` makes it an error."""


def _prompt(text: str, write: str) -> tuple[str, str]:
    """The message and hint for the draft's prompt ``text`` still in a record."""
    return (f"still holds the draft's prompt ({text!r}), which would be published as written",
            f"{write}; {SUBMITTED}")


_NOBODY = ("still holds the draft's stand-in for a name ('To be named'), which would be "
           "published as who ran the session",
           f"write the name of who facilitated it; {SUBMITTED}")
_EXAMPLE_ROW = ("is the draft's example row, which would be published as a goal met",
                f"replace it with the quarter's goals; {SUBMITTED}")
_EXAMPLE_GOALS = ("is the draft's example, which would be published as where the year stands",
                  "write how the quarter ties back to the year's goals, or leave annual_goals "
                  f"out; {SUBMITTED}")


def placeholders_left(entry: Entry, taxonomy: Taxonomy | None = None) -> list[Placeholder]:
    """Each prompt or example still in the record, with what to write in its place (the
    review draft's example row is the one ``taxonomy`` gives it)."""
    found: list[Placeholder] = []
    record = entry.record
    if isinstance(record, Postmortem) and record.summary.strip() == summary_prompt(record.name):
        found.append(Placeholder(("summary",), None, *_prompt(
            record.summary.strip(), "write two or three sentences: what happened and what it "
            "means")))
    if isinstance(record, Postmortem) and record.deal and record.deal.why.strip() == DEAL_WHY_PROMPT:
        found.append(Placeholder(("deal", "why"), None, *_prompt(
            DEAL_WHY_PROMPT, "write why the customer chose us, or did not, in their words")))
    if isinstance(record, Postmortem) and record.deal \
            and record.deal.customer.strip() == CUSTOMER_PROMPT:
        found.append(Placeholder(("deal", "customer"), None, *_prompt(
            CUSTOMER_PROMPT, "write the customer's name")))
    # A draft made where git knows no user name: "To be named" would be published as a name.
    who = "keeper" if isinstance(record, Postmortem) else "facilitator"
    if str(getattr(record, who, "")).strip() == NOBODY:
        found.append(Placeholder((who,), None, *_NOBODY))
    if isinstance(record, Review):
        # A row naming an indicator or a measure was written by hand, whatever its figures.
        examples = {SCORECARD_EXAMPLE, scorecard_example(taxonomy).key}
        found += [Placeholder(("scorecard", i), None, *_EXAMPLE_ROW)
                  for i, row in enumerate(record.scorecard)
                  if (row.metric, row.goal, row.actual) in examples
                  and not (row.indicator or row.measure)]
        if record.annual_goals in (ANNUAL_GOALS_EXAMPLE, annual_goals_example(taxonomy)):
            found.append(Placeholder(("annual_goals",), None, *_EXAMPLE_GOALS))
    for index, line in enumerate(entry.source.body.split("\n")):
        prompt = next((p for p in STORY_PROMPTS if line.lstrip().startswith(p)), None)
        if prompt is not None:
            # Named by its opening words: the rest of its paragraph runs on below.
            shown = prompt if line.strip() == prompt else prompt.rstrip(",") + " …"
            found.append(Placeholder((), entry.source.body_line + index,
                                     *_prompt(shown, STORY_PROMPTS[prompt])))
    return found
