"""The prompts a new record's draft carries in place of its content.

``hindsight new`` writes them so the author sees what goes where; a record submitted with one
still in it would publish the prompt as if it were what happened. Validation warns about each
one left (`placeholders_left`), at its line, naming it and what to write instead; the
pull-request check (``validate --changed-since``) refuses a change that leaves one.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from .corpus import Entry
from .schema import Postmortem, Review
from .taxonomy import PlanKind, Taxonomy

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
READING_PROMPT = "?"
"""What a retro draft's example reading stands at where the team has no reading to take it
from (`generator.commands.skeleton.examples`): uncommented and left so, it is an error at the
reading, saying what to write (`reading_prompt_left`), not a figure made up by unit ("18/52"
for every rate, a retention of 35%) that validates and is published as the month's reading.
An error, not a warning as the other prompts here are: a warning lets `build` publish the
figure, and an empty value is no prompt but a reading: nothing to measure that month."""


def reading_prompt_left(unit: str, segment: bool) -> tuple[str, str]:
    """The message and hint for a reading left at `READING_PROMPT`, in ``unit`` (as it is
    shown), of a segment (``segment``) or of an indicator given whole."""
    from .units import reading_as_written

    rest = ("; with nothing to measure this month, delete it: no reading" if segment
            else "; or leave the indicator out")
    return (f"is \"{READING_PROMPT}\", the draft's stand-in for a reading",
            f"write the reading, as {reading_as_written(unit)}{rest}")


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


def annual_goals_example(taxonomy: Taxonomy | None, informed: Iterable[str | None] = ()) -> str:
    """The review draft's example ``annual_goals``: `ANNUAL_GOALS_EXAMPLE` where the example
    scorecard row is New ARR (`scorecard_example`), else in the knowledge base's own words: the
    row's indicator, and the plans of `goals_plan_kind` (``informed``: the plan kind each of
    the knowledge base's deal post-mortems informs) that must close the gap. A Customer
    Success team plans no new ARR: "its new-ARR plan" read as another company's."""
    if taxonomy is None or taxonomy.new_arr is not None or not taxonomy.indicators:
        return ANNUAL_GOALS_EXAMPLE
    kind = goals_plan_kind(taxonomy, informed)
    return _annual_goals(taxonomy, kind.title if kind is not None else None)


def _annual_goals(taxonomy: Taxonomy, plans: str | None) -> str:
    """The example ``annual_goals`` naming the plans (a plan kind's title) that must close the
    gap; without one, the rest of the year."""
    rest = f"the rest of the year's {plans}" if plans else "the rest of the year"
    return (f"The year stands behind its goal for {taxonomy.indicators[0].label} to date; "
            f"{rest} must close the gap.")


def annual_goals_examples(taxonomy: Taxonomy | None) -> set[str]:
    """Every example ``annual_goals`` a review draft may offer in this knowledge base, whichever
    plan kind `goals_plan_kind` chose when it was drafted (a post-mortem filed since may have
    changed the choice): a draft's example left as written is recognised still."""
    found = {ANNUAL_GOALS_EXAMPLE}
    if taxonomy is not None and taxonomy.indicators:
        found |= {_annual_goals(taxonomy, kind.title) for kind in taxonomy.plan_kinds}
        found.add(_annual_goals(taxonomy, None))
    return found


NEW_BUSINESS = "deal"
"""The plan kind a deal post-mortem informs unless it names another (`PostmortemKind`)."""


def goals_plan_kind(taxonomy: Taxonomy, informed: Iterable[str | None] = ()) -> PlanKind | None:
    """The plan kind whose plans a review's example ``annual_goals`` says must close the
    year's gap: the one the knowledge base's deal post-mortems inform most (``informed``, one
    plan kind a post-mortem), new business before renewals on a tie; with none, the plan kind
    of new business (``deal``) where the taxonomy plans it, else its first of renewals, else
    its first. Taking renewals whenever the taxonomy had them told a company that plans both
    that its renewals, not its new deals, must close the gap, whichever it listed first."""
    kinds = list(taxonomy.plan_kinds)
    counts = Counter(kind for kind in informed if kind is not None)
    most = max((counts[kind.id] for kind in kinds), default=0)
    if most:
        # New business before renewals, then as taxonomy.yml lists them.
        return min((kind for kind in kinds if counts[kind.id] == most),
                   key=lambda kind: (kind.renews, kinds.index(kind)))
    new_business = next((kind for kind in kinds if kind.id == NEW_BUSINESS and not kind.renews),
                        None)
    return new_business or next((kind for kind in kinds if kind.renews),
                                kinds[0] if kinds else None)


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


_EXAMPLE_ACTUAL = ("is the draft's example actual (1), left under its example metric {metric!r} "
                   "with only the goal written, and would be published as the quarter's figure",
                   f"write what the quarter came to; {SUBMITTED}")
_EXAMPLE_FIGURES = ("keeps the draft's example goal and actual (1 and 1) and its unit and "
                    "direction ({unit}, {better}) under another metric, and would be published "
                    "as a goal met", f"write the quarter's goal and actual; {SUBMITTED}")


def _written_one(row: object, key: str) -> bool:
    """Whether the row's ``key`` is written ``1``, as the draft writes its example's goal and
    actual: a figure written ``1.0`` (a ratio's goal of 100%, "NRR held") was typed."""
    value = row.get(key) if isinstance(row, dict) else None
    return type(value) is int and value == 1


def _example_rows(entry: Entry, record: Review, example: ScorecardRow) -> list[Placeholder]:
    """The review draft's example row (``example``) left in the scorecard, in part or whole:
    its metric, goal and actual as written; its metric and actual with only the goal written
    (the actual, 1, published as the quarter's); or its goal and actual, unit and direction
    as written under a metric renamed. A row naming an indicator or a measure was written by
    hand, whatever its figures; and a 1 written otherwise than the draft writes it (``1.0``)
    was typed. Recognised by metric, goal and actual together only, an example whose goal
    alone was edited, or its metric renamed, was published with no warning."""
    metrics = {SCORECARD_EXAMPLE[0], example.metric}
    rows = entry.source.doc.value.get("scorecard") \
        if isinstance(entry.source.doc.value, dict) else None
    found: list[Placeholder] = []
    for i, row in enumerate(record.scorecard):
        if row.indicator or row.measure:
            continue
        raw = rows[i] if isinstance(rows, list) and i < len(rows) else None
        if (row.metric, row.goal, row.actual) in {SCORECARD_EXAMPLE, example.key}:
            found.append(Placeholder(("scorecard", i), None, *_EXAMPLE_ROW))
        elif row.metric.strip() in metrics and _written_one(raw, "actual"):
            message, hint = _EXAMPLE_ACTUAL
            found.append(Placeholder(("scorecard", i, "actual"), None,
                                     message.format(metric=row.metric.strip()), hint))
        elif _written_one(raw, "goal") and _written_one(raw, "actual") \
                and isinstance(raw, dict) and raw.get("unit") == example.unit \
                and raw.get("better") == example.better:
            message, hint = _EXAMPLE_FIGURES
            found.append(Placeholder(("scorecard", i), None,
                                     message.format(unit=example.unit, better=example.better),
                                     hint))
    return found


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
        found += _example_rows(entry, record, scorecard_example(taxonomy))
        if record.annual_goals in annual_goals_examples(taxonomy):
            found.append(Placeholder(("annual_goals",), None, *_EXAMPLE_GOALS))
    for index, line in enumerate(entry.source.body.split("\n")):
        prompt = next((p for p in STORY_PROMPTS if line.lstrip().startswith(p)), None)
        if prompt is not None:
            # Named by its opening words: the rest of its paragraph runs on below.
            shown = prompt if line.strip() == prompt else prompt.rstrip(",") + " …"
            found.append(Placeholder((), entry.source.body_line + index,
                                     *_prompt(shown, STORY_PROMPTS[prompt])))
    return found
