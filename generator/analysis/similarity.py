"""Near-duplicate lessons: has this lesson been learned before, in other words?

Two lessons are near-duplicates when their **token-set similarity is at least 0.85**
(`LESSON_SIMILARITY`). Both texts are lower-cased and cut into words; the words they share,
sorted and joined, are set against each side's full sorted words (shared first, then its own):
the similarity is ``2·len(shared) / (len(shared) + len(side))`` for the closer side — the
ratio `difflib.SequenceMatcher` gives for a string against one that begins with it, which is
how the token-set ratio of fuzzy matching scores a text against its shared words. Word order
and repeated words do not matter, and counting characters gives long words more weight than
"a" or "the". "Commit only deals with a mutual close plan" and "Commit deals only with a mutual
close plan" score 1.0; two lessons that merely share a theme ("Start legal on commit deals by
the first week of the quarter's last month" vs "Start legal on quarter-end commits in the
quarter's last month") score 0.72 and are kept apart. On the sample company every pair at or
above 0.85 is the same advice reworded (the lowest, 0.87, is "Certify reps before a price
change goes live…" against "Certify every rep before a pricing change goes live…"); the next
pair down scores 0.74.

Lessons that share fewer than half of the shorter one's words are never compared (an
inverted index finds the candidates), which keeps a search over ten thousand records fast.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Generic, TypeVar

LESSON_SIMILARITY = 0.85
"""Token-set similarity at or above which two lessons count as the same lesson."""

_WORD = re.compile(r"[a-z0-9]+")
T = TypeVar("T")


@lru_cache(maxsize=65536)
def words(text: str) -> frozenset[str]:
    """The distinct lower-case words of a text."""
    return frozenset(_WORD.findall(text.lower()))


def similarity(a: str, b: str) -> float:
    """Token-set similarity of two texts, from 0 (no word shared) to 1 (the same words)."""
    wa, wb = words(a), words(b)
    if not wa or not wb:
        return 1.0 if wa == wb else 0.0
    common = wa & wb
    if not common:
        return 0.0
    shared = _joined(common)
    # The closer side is the one with fewer characters of its own ("shared" + " " + rest).
    side = shared + min(_own(wa - wb), _own(wb - wa))
    return 2 * shared / (shared + side)


def _joined(group: frozenset[str]) -> int:
    """The length of the words sorted and joined by single spaces."""
    return sum(len(w) for w in group) + len(group) - 1 if group else 0


def _own(group: frozenset[str]) -> int:
    return _joined(group) + 1 if group else 0


def same_lesson(a: str, b: str) -> bool:
    """Whether two lessons are near-duplicates (similarity at least `LESSON_SIMILARITY`)."""
    return _comparable(words(a), words(b)) and similarity(a, b) >= LESSON_SIMILARITY


def _comparable(wa: frozenset[str], wb: frozenset[str]) -> bool:
    smaller = min(len(wa), len(wb))
    return smaller > 0 and 2 * len(wa & wb) >= smaller


@dataclass
class LessonIndex(Generic[T]):
    """Lessons indexed by word, to find the near-duplicates of a text among many."""

    items: list[tuple[str, T]] = field(default_factory=list)
    _postings: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))

    def add(self, text: str, item: T) -> None:
        """Index one lesson text with what it stands for."""
        index = len(self.items)
        self.items.append((text, item))
        for word in words(text):
            self._postings[word].append(index)

    def matches(self, text: str) -> list[tuple[float, T]]:
        """Every indexed item whose text is a near-duplicate of ``text``, best first (stable)."""
        query = words(text)
        shared: Counter[int] = Counter()
        for word in query:
            shared.update(self._postings.get(word, ()))
        found: list[tuple[float, int]] = []
        for index, count in shared.items():
            other = self.items[index][0]
            if 2 * count < min(len(query), len(words(other))):
                continue
            score = similarity(text, other)
            if score >= LESSON_SIMILARITY:
                found.append((score, index))
        found.sort(key=lambda pair: (-pair[0], pair[1]))
        return [(score, self.items[index][1]) for score, index in found]
