"""Near-duplicate lessons: has this lesson been learned before, in other words?

Two lessons are near-duplicates when their **token-set similarity is at least 0.85**
(`LESSON_SIMILARITY`). Both texts are cut into words (`words`); the words they share,
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

Words alone cannot tell advice from its opposite: lessons that differ by a *not* ("Do not let
the analyst run the trial" against "Let the analyst run the trial", or with a reason added, "Do
not run the webinar on a Tuesday; attendance halved" against "Run the webinar on a Tuesday")
or by a number ("six weeks" against "eight weeks") are never the same lesson, whatever they
score (`differs_in_kind`). An amount is read as its plain digits first (`plain_amounts`), so
"$50k", "$50,000" and "50 000" are one number, not three, and the same advice with its amount
written another way is the same lesson (failed assumptions are merged on it too); a *not*
that bears only on words its own side adds ("…before the verbal yes, not after") is a
contrast, and leaves them one lesson. Nor can words alone tell
which way round advice goes: "Follow up by phone before email" and "Follow up by email before
phone" share every word. Two lessons whose shared words swap sides of an ordering or
comparison word both use (before or after, than, over, instead of, not, vs) are never the
same lesson either (`order_turned`); the same advice with a clause moved ("Before the kickoff,
confirm the venue" against "Confirm the venue before the kickoff") swaps nothing, and stays one.

A short lesson whose few words all sit inside a long one scores 1.0 too ("Validate lists"
against "Validate bought or rented lists before they enter any live sequence, whoever the
vendor is"), yet it is not the long one's advice: the long one says which lists, when and
whose. So the words two lessons share must also make up at least half of the longer one
(`LONGER_COVERED`, counting characters as above: 14 of the 89 here, 0.16); on the sample
company the reworded pairs cover 0.58 of the longer one at the least ("Give every automated
sequence an owner and a review date." inside "Every automated sequence needs a named owner
and a review date, or it decays unnoticed.").

Lessons that share fewer than half of the shorter one's words are never compared (an
inverted index finds the candidates), which keeps a search over ten thousand records fast.

Words are Unicode words, not ASCII ones: "Rückmeldungen prüfen" is two words, not the four
fragments an ASCII pattern leaves ("r", "ckmeldungen", "pr", "fen"), and "Größe" matches the
Swiss "Grösse". Scripts written without spaces between words (Chinese, Japanese, Thai…) have no
words to cut, so each run of them counts as its overlapping pairs of characters ("見積書の承認"
is "見積", "積書", "書の", "の承", "承認"), the usual way to compare such text without a
dictionary: two Japanese lessons that share most of their text share most of their pairs,
and two that share only a Latin acronym such as "CRM" share almost nothing.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Generic, TypeVar

LESSON_SIMILARITY = 0.85
"""Token-set similarity at or above which two lessons count as the same lesson."""
LONGER_COVERED = 0.5
"""The least share of the longer lesson (characters of its words) that the shared words make."""

_ASCII_WORD = re.compile(r"[a-z0-9]+")
# Scripts written without spaces between words: Thai, Lao, Myanmar, Khmer, the kana, and Han
# (the CJK ideographs with their iteration and closing marks 々〆〇, and planes 2 and 3, which
# hold only ideographs). Hangul is left out: Korean puts spaces between words.
_UNSPACED = (
    "\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u19e0-\u19ff\ua9e0-\ua9ff\uaa60-\uaa7f"
    "\u2e80-\u2fdf\u3005-\u3007\u3021-\u3029\u3031-\u3035\u303b\u303c"
    "\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
    "\U0001b000-\U0001b16f\U00020000-\U0003ffff"
)
T = TypeVar("T")


# An amount: digits, then groups of three after a comma, a space (plain, no-break, narrow
# no-break, thin) or an apostrophe ("50,000", "50 000", "1'000"), or after points when there
# are two or more groups ("1.000.000": one ".500" group may be a decimal), or a decimal part;
# then perhaps a multiplier ("50k", "1.5 m", "2bn"). Not inside a word or a longer number.
_AMOUNT = re.compile(
    r"(?<![\w.,])(?P<int>\d{1,3}(?:(?:[,\u00a0\u202f\u2009' ]\d{3})+|(?:\.\d{3}){2,})(?!\d)"
    r"|\d+)(?:\.(?P<frac>\d+))?(?:\s?(?P<mult>k|m|mn|bn)\b)?(?![\w,.]\d)",
    re.IGNORECASE)
_MULTIPLIERS = {"k": 3, "m": 6, "mn": 6, "bn": 9}


def plain_amounts(text: str) -> str:
    """The text with each amount written as its plain digits, so "$50k", "$50,000" and
    "50 000" are one word, "50000", as are "€1.5m" and "€1,500,000": told apart, the same
    advice with an amount written another way read as another number (`differs_in_kind`),
    and two lessons that said the same stayed two. A plain number, a year or "2.5" is kept."""
    def plain(match: re.Match[str]) -> str:
        digits = re.sub(r"\D", "", match.group("int"))
        frac = match.group("frac") or ""
        mult = match.group("mult")
        if mult is None:
            return digits + (f".{frac}" if frac else "") if digits != match.group("int") \
                else match.group()
        shift = _MULTIPLIERS[mult.lower()]
        if len(frac) > shift:  # "1.2345k" is no amount anyone writes: kept as written
            return match.group()
        return str(int(digits + frac.ljust(shift, "0")))
    return _AMOUNT.sub(plain, text) if any(c.isdigit() for c in text) else text


@lru_cache(maxsize=65536)
def words(text: str) -> frozenset[str]:
    """The distinct words of a text, casefolded, each run of an unspaced script as its pairs.

    The text is NFKC-normalised first, so an "ü" typed as "u" and a combining diaeresis, a
    full-width "ＣＲＭ" and a half-width "ｶﾀｶﾅ" count as the letters they show. Amounts are
    read as their plain digits (`plain_amounts`): "$50k" and "$50,000" are the same word.
    """
    text = plain_amounts(text)
    if text.isascii():
        # The same words the Unicode path finds, without normalising (the common case is fast).
        return frozenset(_ASCII_WORD.findall(text.lower()))
    found: set[str] = set()
    for match in _word_pattern().finditer(unicodedata.normalize("NFKC", text).casefold()):
        run = match.group()
        if match.lastgroup == "unspaced" and len(run) > 1:
            found.update(run[i:i + 2] for i in range(len(run) - 1))
        else:
            found.add(run)
    return frozenset(found)


@lru_cache(maxsize=1)
def _word_pattern() -> re.Pattern[str]:
    """A run of letters, digits and combining marks: of an unspaced script, or of any other.

    Combining marks belong to the word they sit in (Thai vowels, Arabic short vowels,
    Devanagari vowel signs), but ``\\w`` does not match them, so the class lists them; it is
    built once, on the first text that is not ASCII.
    """
    marks = _ranges(c for c in range(sys.maxunicode + 1)
                    if unicodedata.category(chr(c)).startswith("M"))
    letter = f"(?:[^\\W_]|[{marks}])"
    return re.compile(f"(?P<unspaced>(?:(?=[{_UNSPACED}]){letter})+)"
                      f"|(?:(?![{_UNSPACED}]){letter})+")


def _ranges(points: Iterable[int]) -> str:
    """Code points as the body of a regular-expression class: ``\\U00000300-\\U0000036f…``."""
    spans: list[list[int]] = []
    for point in points:
        if spans and spans[-1][1] == point - 1:
            spans[-1][1] = point
        else:
            spans.append([point, point])
    return "".join(f"\\U{first:08x}-\\U{last:08x}" for first, last in spans)


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


def content(text: str) -> int:
    """How much a text says: the characters of its distinct words, sorted and joined by
    spaces (what `similarity` weighs), so "Book the venue early." and "book the venue  early"
    say as much, and a wording with more words says more."""
    return _joined(words(text))


def covers_longer(a: str, b: str) -> bool:
    """Whether the words two texts share make up at least `LONGER_COVERED` of the longer one
    (the one with more `content`): "Validate lists" covers 0.16 of "Validate bought or rented
    lists before they enter any live sequence, whoever the vendor is", and is not it."""
    wa, wb = words(a), words(b)
    return _joined(wa & wb) >= LONGER_COVERED * max(_joined(wa), _joined(wb))


def _joined(group: frozenset[str]) -> int:
    """The length of the words sorted and joined by single spaces."""
    return sum(len(w) for w in group) + len(group) - 1 if group else 0


def _own(group: frozenset[str]) -> int:
    return _joined(group) + 1 if group else 0


_NEGATIONS = frozenset({
    "not", "no", "never", "nor", "neither", "none", "nothing", "without", "cannot", "t",
    "nicht", "kein", "keine", "nie", "niemals", "pas", "jamais", "ne", "nunca", "nada", "non"})
"""Words that turn advice around ("t" is what is left of "don't" and "isn't")."""
_NUMBER_WORDS = frozenset({
    "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
    "twelve", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
    "hundred", "thousand", "million", "half", "double", "twice"})
"""Quantities: two lessons that differ in one give other advice. Not the ordinals: "Send the
deck first" is "Send the deck" said again."""


_AUXILIARIES = frozenset({"do", "does", "did", "don", "doesn", "didn", "should", "shouldn",
                          "must", "mustn", "ever", "we", "you", "to"})
"""Words that come with a negation ("do not", "don't"): the rest of what two lessons do not
share tells a turned-around advice ("Do not let…" against "Let…") from an added contrast
("…before the verbal yes, not after" against "…before the verbal yes": the same advice)."""


def differs_in_kind(a: str, b: str) -> bool:
    """Whether two lessons say different things however many words they share: one is the
    other with a *not* ("Let the analyst run the trial" against "Do not let the analyst run
    the trial"), or they give different numbers ("six weeks" against "eight weeks", "over
    50k" against "over 30k"). Sharing nearly every word, such pairs scored as one lesson, and
    a checklist showed only one side of the advice."""
    wa, wb = words(a), words(b)
    differ = wa ^ wb
    if any(word in _NUMBER_WORDS or any(c.isdigit() for c in word) for word in differ):
        return True
    if order_turned(a, b):
        return True
    if not differ & _NEGATIONS:
        return False
    if not differ - _NEGATIONS - _AUXILIARIES:
        return True
    # More words differ: a negation one side alone has turns the advice around when it bears
    # on what both say ("Do not run the webinar on a Tuesday; attendance halved" against "Run
    # the webinar on a Tuesday": "not" before "run"), not when it bears on what only its own
    # side adds ("…before the verbal yes, not after").
    shared = wa & wb
    return any(_negates_shared(text, own & _NEGATIONS, shared)
               for text, own in ((a, wa - wb), (b, wb - wa)))


_ORDERINGS = {"before": "before", "after": "before", "than": "than", "over": "over",
              "instead": "instead", "not": "not", "vs": "vs", "versus": "vs"}
"""Words that set what comes before them against what comes after ("phone before email",
"better than trade shows", "AEs, not SDRs", "phone instead of email"), each with the word it
is compared as: "X after Y" says what "Y before X" says. "rather than" is "than"."""


_FUNCTION_WORDS = frozenset({
    "a", "an", "the", "any", "every", "each", "all", "some", "this", "that", "these", "those",
    "its", "it", "their", "them", "they", "our", "us", "we", "your", "you", "his", "her",
    "of", "to", "in", "on", "at", "by", "for", "with", "from", "and", "or", "is", "are", "be"})
"""Words that say which or how, not what: moved across an ordering word they turn nothing
around ("Validate the bought list before any send" against "Validate any bought list before
the send")."""


def order_turned(a: str, b: str) -> bool:
    """Whether two lessons set the same words against each other the other way round: both
    use one ordering or comparison word (`_ORDERINGS`), and one word they share comes before
    it in one lesson and after it in the other while another shared word goes the opposite way
    ("Follow up by *phone* before *email*" against "Follow up by *email* before *phone*";
    "Staff the booth with AEs, not SDRs" against "…with SDRs, not AEs"). A word on both sides
    of it in one lesson ("the") counts for neither side. Words alone score such pairs 1.0.

    The same advice said in another order swaps no pair and stays one lesson: a clause moved
    ("Before the kickoff, confirm the venue" against "Confirm the venue before the kickoff":
    nothing of the first comes before its "before"), or "after" for "before" with the sides
    swapped ("Book the venue before the caterer" against "Book the caterer after the venue").
    A comparison turned round with its word ("better than" against "worse than") reads as
    turned: the pair is kept apart, which shows both wordings rather than hide one."""
    clauses_a, clauses_b = _clauses(a), _clauses(b)
    shared = ({w for c in clauses_a for w in c} & {w for c in clauses_b for w in c}) \
        - _ORDERINGS.keys() - _FUNCTION_WORDS
    sides_b = [side for clause in clauses_b for side in _sides(clause, shared)]
    for kind, before_a, after_a in (side for c in clauses_a for side in _sides(c, shared)):
        for other, before_b, after_b in sides_b:
            if other == kind and before_a & after_b and after_a & before_b:
                return True
    return False


_CLAUSE_END = re.compile(r"[.;:!?\u3002\uff1b\uff1a\uff01\uff1f]+(?:\s|$)")


def _clauses(text: str) -> list[list[str]]:
    """A text's clauses (cut at . ; : ! ? before a space or the end) as `_ordered_words`: an
    ordering word compares what its own clause says ("Partner events vs own events: partner
    events win." sets "partner" before "vs", though "partner" comes again after it)."""
    return [words for part in _CLAUSE_END.split(text) if (words := _ordered_words(part))]


def _sides(tokens: list[str], shared: set[str]) -> list[tuple[str, set[str], set[str]]]:
    """For each ordering word in ``tokens``: the word it is compared as, and the ``shared``
    words only before it and only after it (an "after" with its sides swapped)."""
    found = []
    for at, token in enumerate(tokens):
        kind = _ORDERINGS.get(token)
        if kind is None:
            continue
        left, right = set(tokens[:at]) & shared, set(tokens[at + 1:]) & shared
        left, right = left - right, right - left
        found.append((kind, right, left) if token == "after" else (kind, left, right))
    return found


def _negates_shared(text: str, negations: frozenset[str], shared: frozenset[str]) -> bool:
    """Whether one of ``negations`` in ``text`` is followed, past any auxiliaries and other
    negations ("do not", "don't", "must never"), by a word of ``shared``."""
    if not negations:
        return False
    tokens = _ordered_words(text)
    for at, token in enumerate(tokens):
        if token not in negations:
            continue
        following = next((t for t in tokens[at + 1:]
                          if t not in _AUXILIARIES and t not in _NEGATIONS), None)
        if following is not None and following in shared:
            return True
    return False


def _ordered_words(text: str) -> list[str]:
    """A text's words in order, as `words` finds them (an unspaced run as one token: no
    negation word is written in those scripts)."""
    text = plain_amounts(text)
    if text.isascii():
        return _ASCII_WORD.findall(text.lower())
    return [m.group() for m in _word_pattern().finditer(
        unicodedata.normalize("NFKC", text).casefold())]


def same_lesson(a: str, b: str) -> bool:
    """Whether two lessons are near-duplicates (similarity at least `LESSON_SIMILARITY`, the
    shared words `covers_longer`, and not `differs_in_kind`)."""
    return _comparable(words(a), words(b)) and _near(similarity(a, b), a, b)


def _near(score: float, a: str, b: str) -> bool:
    # The one rule `same_lesson` and `LessonIndex.matches` both apply to a pair's score.
    return (score >= LESSON_SIMILARITY and covers_longer(a, b)
            and not differs_in_kind(a, b))


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
            if _near(score, text, other):
                found.append((score, index))
        found.sort(key=lambda pair: (-pair[0], pair[1]))
        return [(score, self.items[index][1]) for score, index in found]
