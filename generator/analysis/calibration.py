"""Which of our assumptions are usually wrong: every post-mortem assumption, counted by its
category (demand, timeline, channel…) and the kind of plan it belonged to.

An assumption not known yet (``held: unknown``) is not counted: it has held or failed in no
plan yet. An assumption's plan kind is its post-mortem's (a ``deal-won`` or ``deal-lost`` post-mortem
informs deal plans); one without a category counts as *uncategorised*. A category *failed
repeatedly* for a plan kind when at least ``REPEATED`` (three) of its assumptions did not hold
and they failed more often than they held: two misses in a row is bad luck, three is a habit. The
"before you plan" checklist of a kind leads with its worst-calibrated categories, among those
with at least one failure (uncategorised ones left out): ranked by evidence, the most failures
first, then the lowest share held. A share alone would put one miss out of one (0 %) above three
misses out of four (25 %); the count of failures is what a single data point cannot inflate.
A share of fewer than ``FEW`` (three) assumptions is shown with its counts and said to be too
few to judge.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from ..records.corpus import Entry, KnowledgeBase
from ..records.formatting import pct
from ..records.schema import Assumption, Postmortem

UNCATEGORISED = "uncategorised"
"""The category of an assumption that names none."""
OTHER_KIND = "other"
"""The plan kind of a post-mortem whose kind informs no plan kind."""
REPEATED = 3
"""How many failures of one category in one plan kind (failing more often than holding) make
a repeated failure."""
FEW = 3
"""Under this many checked assumptions, a share held is too few to judge."""


def share_held(held: int, total: int) -> str:
    """A share held with the counts behind it: ``25% (1 of 4)``; under ``FEW`` checked it says
    so (``100% (1 of 1: too few to judge)``), as one assumption is no rate."""
    if not total:
        return "–"
    few = ": too few to judge" if total < FEW else ""
    return f"{pct(held / total)} ({held} of {total}{few})"


@dataclass(frozen=True)
class Checked:
    """One assumption, where it was checked."""

    entry: Entry
    index: int
    assumption: Assumption

    @property
    def category(self) -> str:
        """Its category id (or ``uncategorised``)."""
        return self.assumption.category or UNCATEGORISED

    @property
    def plan_kind(self) -> str:
        """The plan kind its post-mortem informs (or ``other``)."""
        assert isinstance(self.entry.record, Postmortem)
        return self.entry.record.informs or OTHER_KIND


@dataclass
class Cell:
    """The assumptions of one category (and, unless ``kind`` is None, one plan kind)."""

    category: str
    kind: str | None
    held: list[Checked] = field(default_factory=list)
    failed: list[Checked] = field(default_factory=list)

    @property
    def anchor(self) -> str:
        """The anchor prefix of this cell's lists of records on the ledger."""
        return f"{self.category}-{self.kind or 'any'}"

    @property
    def total(self) -> int:
        """How many assumptions were checked."""
        return len(self.held) + len(self.failed)

    @property
    def held_rate(self) -> float | None:
        """The share that held."""
        return len(self.held) / self.total if self.total else None

    @property
    def too_few(self) -> bool:
        """Whether its share held rests on too few assumptions to judge."""
        return self.total < FEW

    def by_year(self) -> list[tuple[int, int, int]]:
        """The trend: (year, held, checked) per year the post-mortems were held."""
        years: dict[int, list[int]] = defaultdict(lambda: [0, 0])
        for item in self.held:
            years[item.entry.date.year][0] += 1
        for item in self.failed:
            years[item.entry.date.year][1] += 1
        return [(y, h, h + f) for y, (h, f) in sorted(years.items())]


@dataclass
class Calibration:
    """Every checked assumption by category, and by category and plan kind."""

    categories: list[Cell]
    """One cell per category (all plan kinds), in taxonomy order, uncategorised last."""
    cells: dict[tuple[str, str], Cell]
    """(category, plan kind) → cell."""

    @property
    def repeated_failures(self) -> list[Cell]:
        """Category and plan-kind cells that failed at least ``REPEATED`` times and more often
        than they held, most failures first."""
        cells = [c for c in self.cells.values()
                 if len(c.failed) >= REPEATED and len(c.failed) > len(c.held)]
        return sorted(cells, key=lambda c: (-len(c.failed), c.held_rate or 0.0, c.anchor))

    def worst_for(self, kind: str) -> list[Cell]:
        """A plan kind's categories with at least one failure, most failures first, then the
        lowest share held (uncategorised assumptions name no kind of assumption to check, so
        they are left out). Failures lead because a share from one assumption (held 0 of 1)
        would otherwise outrank a category that failed three times in four."""
        cells = [c for (cat, k), c in self.cells.items()
                 if k == kind and c.failed and cat != UNCATEGORISED]
        return sorted(cells, key=lambda c: (-len(c.failed), c.held_rate or 0.0, c.category))

    def cells_of(self, category: str) -> list[Cell]:
        """A category's cells, one per plan kind, by plan kind."""
        return sorted((c for (cat, _), c in self.cells.items() if cat == category),
                      key=lambda c: c.kind or "")


def calibrate(kb: KnowledgeBase) -> Calibration:
    """Count every post-mortem assumption by category and plan kind."""
    order = [c.id for c in kb.taxonomy.assumption_categories]
    categories: dict[str, Cell] = {}
    cells: dict[tuple[str, str], Cell] = {}
    for entry in kb.postmortems:
        record = entry.record
        assert isinstance(record, Postmortem)
        for index, assumption in enumerate(record.assumptions):
            if assumption.held is None:  # not known yet: neither held nor failed
                continue
            item = Checked(entry, index, assumption)
            for cell in (categories.setdefault(item.category, Cell(item.category, None)),
                         cells.setdefault((item.category, item.plan_kind),
                                          Cell(item.category, item.plan_kind))):
                (cell.held if assumption.held else cell.failed).append(item)
    rank = {c: i for i, c in enumerate(order)}
    ordered = sorted(categories.values(), key=lambda c: (rank.get(c.category, len(rank)), c.category))
    return Calibration(ordered, dict(sorted(cells.items())))
