"""The glossary: what the abbreviations a knowledge base uses and the site's own words mean.

New hires and managers met "NRR", "MQL→SQL", "−2.8 pp", "moved the wrong way", "held" and
"the fix did not stick" unexplained. The glossary page lists every indicator of taxonomy.yml
(its name, description and unit, from the taxonomy), the company's own terms (``glossary:``
in the taxonomy: "PQL", "Tier-1"), the go-to-market abbreviations the knowledge base's own
text uses, and the site's own terms; the home page and the indicator pages end with the terms
they use, each with its meaning and a link to its entry.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from ..paths import slugify
from ..records.taxonomy import Indicator, Taxonomy, Unit


@dataclass(frozen=True)
class Spelling:
    """One way a page writes a term, split as `TermFinder` looks for it: by its first
    character, then the rest."""

    first: str
    """Its first character."""
    rest: str
    """A regular expression of what follows the first character."""
    before: str
    """What must, or must not, come before the first character: a lookbehind written from
    just after it (`_WORD_START`, `_NAME_START`, `_AFTER_NUMBER`)."""
    any_case: bool = False
    """Found in any case (the first character in either)."""


@dataclass(frozen=True)
class Term:
    """One entry of the glossary."""

    anchor: str
    """Its id on the glossary page."""
    term: str
    """The word or abbreviation, as pages write it."""
    short: str
    """Its meaning in a few words (what a page's list of terms says)."""
    meaning: str
    """Its meaning in full (the glossary's entry)."""
    spellings: tuple[Spelling, ...] = field(default=(), compare=False)
    """How pages write it, for a company's own term (`company_terms`)."""


ABBREVIATIONS: dict[str, tuple[str, str]] = {
    "ABM": ("account-based marketing",
            "Marketing aimed at a named list of accounts rather than at a market."),
    "ACV": ("annual contract value",
            "What a customer's contract is worth per year, without one-off fees."),
    "AE": ("account executive", "The salesperson who owns a deal from the first qualified "
           "meeting to its close."),
    "ARR": ("annual recurring revenue",
            "Subscription revenue per year; new ARR is what deals won in a period add."),
    "BDR": ("business development representative",
            "A rep who prospects outbound and books first meetings for account executives."),
    "CAC": ("customer acquisition cost", "What sales and marketing spend to win one new "
            "customer; CAC payback is the months of a customer's margin that repay it."),
    "CRM": ("customer relationship management system",
            "Where leads, contacts, opportunities and their stages are recorded."),
    "CSM": ("customer success manager",
            "Who looks after a customer after the sale: adoption, renewal, expansion."),
    "GTM": ("go-to-market", "The teams that bring the product to buyers: marketing, sales "
            "development, sales, partners and customer success."),
    "ICP": ("ideal customer profile",
            "The description of the customers most likely to buy, succeed and stay."),
    "LTV": ("customer lifetime value",
            "What a customer is expected to bring in over the whole relationship."),
    "MDF": ("market development funds",
            "Money a vendor gives partners for marketing its product."),
    "MQL": ("marketing-qualified lead",
            "A lead marketing judges ready for sales to look at, by its fit and activity."),
    "MRR": ("monthly recurring revenue", "Subscription revenue per month."),
    "NRR": ("net revenue retention", "This year's recurring revenue from last year's "
            "customers, upgrades and downgrades and churn included, as a share of last "
            "year's: above 100% the base grows on its own."),
    "POC": ("proof of concept",
            "A trial in the buyer's own setting to prove the product does the job."),
    "QBR": ("quarterly business review",
            "The quarterly review of plan against actual: a review record."),
    "ROI": ("return on investment", "What the purchase gives back against what it costs."),
    "RFP": ("request for proposal", "A buyer's formal invitation to bid."),
    "SDR": ("sales development representative",
            "A rep who qualifies leads and books meetings for account executives."),
    "SLA": ("service-level agreement", "A promise of how fast something is done: here often "
            "how soon sales accepts or follows up a lead."),
    "SMB": ("small and medium-sized businesses", "The segment of smaller customers."),
    "SQL": ("sales-qualified lead",
            "A lead sales has accepted as worth working as a potential deal."),
}
"""Go-to-market abbreviations: (what it stands for, what it means). The glossary lists those
the knowledge base's own text uses."""

PRODUCT_TERMS: tuple[Term, ...] = (
    Term("pp", "pp", "percentage points",
         "Percentage points: the difference between two rates. From 25% to 23% is a fall "
         "of 2 pp (of 8% of the rate itself)."),
    Term("leading-indicator", "leading indicator", "a monthly figure that moves before revenue",
         "A figure each team reports in its retros, month by month (win rate, conversion, "
         "cycle length), that moves before revenue does. The taxonomy names them; each has "
         "its page."),
    Term("wrong-way", "wrong way", "worse than both the prior period and the trailing mean",
         "A reading moved the wrong way when it is worse than both the month before (the "
         "quarter before, for a team that meets quarterly) and the mean of the three before "
         "it, each by at least the usual noise (1 percentage point for a rate, 2% of the "
         "figure otherwise). A smaller move is flat."),
    Term("trailing-mean", "trailing mean", "the mean of the three periods before",
         "The mean of the three months (or quarters) before a reading: what it is compared "
         "with besides the period before."),
    Term("held", "held", "the day a meeting took place; of an assumption, proved right",
         "A record was held on the day its retro, review or post-mortem meeting took place: "
         "the date it speaks for. An assumption held when what the plan assumed came true; "
         "one that did not hold failed."),
    Term("cause", "cause", "a root cause from the taxonomy's list",
         "A root cause: one of the reasons, listed in the taxonomy, that records cite for "
         "what went wrong, so the same cause is counted across teams and years. Recurring: "
         "cited by two records or more."),
    Term("movement", "movement", "fixes whose before and after readings overlap, counted once",
         "Fixes of the same indicator, team and segment done close together are judged on "
         "the same readings before and after: they count as one movement, so one change in "
         "the figures is not credited to each fix."),
    Term("fix-horizon", "fix horizon", "how long after its fix a cause's return counts against it",
         "A cause cited again after the last action against it was done, later than the "
         "fix cadence and within the fix horizon (days, set in the taxonomy), is a fix that "
         "did not stick. Cited again later than that, it is back, but the fix is not blamed."),
    Term("follow-through", "follow-through", "actions done by their first due date",
         "The share of actions, due by now, that were done by the first date they were due "
         "(dropped ones left out)."),
)
"""The site's own words, as pages use them."""

_WORD_START = r"(?<!\w.)"
"""Before a word: no letter, digit or underscore just before it (a regular expression's
``\\b``)."""
_NAME_START = r"(?<![\w/#-].)"
"""Before an abbreviation or a company's term: nor a slash, hash or hyphen (the ``SQL`` of
``MQL→SQL``, not that of ``/SQL``, ``#SQL`` or an id such as ``PM-SQL-1``)."""
_AFTER_NUMBER = r"(?:(?<=\d.)|(?<=\d\s.))"
"""Before "pp": a number, with or without a space (``2 pp``, ``−2.8pp``)."""

_PRODUCT_SPELLINGS: dict[str, tuple[Spelling, ...]] = {
    "pp": (Spelling("p", r"p\b", _AFTER_NUMBER, any_case=True),),
    "leading-indicator": (Spelling("l", r"eading indicators?\b", _WORD_START, True),),
    "wrong-way": (Spelling("w", r"rong[ -]way\b", _WORD_START, True),),
    "trailing-mean": (Spelling("t", r"railing(?: 3-(?:month|quarter))? mean\b", _WORD_START,
                               True),),
    "held": (Spelling("h", r"eld\b", _WORD_START, True),),
    # "root causes" says "causes": one spelling finds both.
    "cause": (Spelling("c", r"auses?\b", _WORD_START, True),),
    "movement": (Spelling("m", r"ovements?\b", _WORD_START, True),),
    "fix-horizon": (Spelling("d", r"id not stick\b", _WORD_START, True),
                    Spelling("f", r"ix horizon\b", _WORD_START, True)),
    "follow-through": (Spelling("f", r"ollow-through\b", _WORD_START, True),),
}
"""How pages write the site's own terms (`PRODUCT_TERMS`, by anchor)."""
_ABBREVIATION = re.compile(r"(?<![\w/#-])(" + "|".join(sorted(ABBREVIATIONS)) + r")s?\b")
"""An abbreviation as prose writes it (``MQL``, ``MQLs``, ``SDR-to-AE``; not in an address)."""


def abbreviations_in(texts: Iterable[str]) -> set[str]:
    """The abbreviations of `ABBREVIATIONS` that ``texts`` use."""
    found: set[str] = set()
    for text in texts:
        found.update(_ABBREVIATION.findall(text))
    return found


def taxonomy_texts(taxonomy: Taxonomy) -> list[str]:
    """Every string of ``taxonomy`` (its labels, titles and descriptions)."""
    texts: list[str] = []

    def walk(value: object) -> None:
        if isinstance(value, str):
            texts.append(value)
        elif isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, list | tuple):
            for item in value:
                walk(item)

    walk(taxonomy.model_dump(mode="python"))
    return texts


def abbreviation_terms(used: Iterable[str]) -> list[Term]:
    """The glossary's entries of the abbreviations ``used``, alphabetically."""
    return [Term(abbr.lower(), abbr, ABBREVIATIONS[abbr][0],
                 f"{ABBREVIATIONS[abbr][0][:1].upper()}{ABBREVIATIONS[abbr][0][1:]}. "
                 f"{ABBREVIATIONS[abbr][1]}")
            for abbr in sorted(set(used))]


_FIRST_SENTENCE = re.compile(r"(?<=[.!?])\s")


def company_terms(glossary: Mapping[str, str]) -> list[Term]:
    """The company's own terms (``glossary:`` in taxonomy.yml), in the order written: each
    anchored ``term-<its id>`` (apart from the built-in anchors: a company's "Held" is not the
    site's "held"), said on a page's list of words by its meaning's first sentence, and found
    as written when it is an abbreviation in capitals (``PQL``, ``PQLs``), else in any case
    (``Tier-1``, ``tier-1``)."""
    terms: list[Term] = []
    anchors: set[str] = set()
    for number, (term, meaning) in enumerate(glossary.items(), 1):
        said = " ".join(str(term).split())
        base = f"term-{slugify(said) or number}"
        anchor, again = base, 1
        while anchor in anchors:  # "Tier 1" and "Tier-1" make one id
            again += 1
            anchor = f"{base}-{again}"
        anchors.add(anchor)
        first = _FIRST_SENTENCE.split(meaning.strip(), 1)[0].rstrip(".")
        capitals = said.upper() == said and any(ch.isalpha() for ch in said)
        found = Spelling(said[0], re.escape(said[1:]).replace(r"\ ", r"\s+") + r"s?(?!\w)",
                         _NAME_START, any_case=not capitals)
        terms.append(Term(anchor, said, first, meaning.strip(), (found,)))
    return terms


def unit_said(indicator: Indicator, currency: str) -> str:
    """An indicator's unit in words: "a rate (a share, shown as a percentage; changes in
    percentage points)", "money per day ($)"."""
    return {
        Unit.RATE: "a rate (a share, shown as a percentage; changes in percentage points, pp)",
        Unit.DAYS: "days",
        Unit.COUNT: "a count",
        Unit.USD: f"money ({currency})",
        Unit.USD_PER_DAY: f"money per day ({currency} per day)",
        Unit.RATIO: "a ratio (shown with ×)",
    }[indicator.unit]


_HIDDEN = re.compile(r'<div class="hs-search-terms" hidden>[^<]*</div>')
"""A record page's search terms (its causes' aliases, its words' other spellings): in the
page for search, hidden from its reader."""


class TermFinder:
    """The glossary's entries a rendered page uses, found in one pass of one compiled
    pattern: ``abbreviations``, those of `ABBREVIATIONS` the glossary lists; ``company``, the
    company's own terms (`company_terms`); and, with ``product``, the site's own terms.

    A page was searched once per term: a dozen passes, 1.5 ms over a record page of the
    sample, and 10,000 record pages end with their words. The pattern starts each of its
    branches with a term's first character, so the search skips in one step to a character
    some term starts with, and a branch looks at every term starting with it there: two
    terms starting together ("Tier-1" and "Tier-1 account") are both found."""

    def __init__(self, abbreviations: Iterable[str], company: Sequence[Term] = (),
                 product: bool = True) -> None:
        listed = sorted(set(abbreviations) & ABBREVIATIONS.keys())
        # Without the site's own terms (``product``) for record pages: their header and
        # headings say "held", "cause" and "leading indicator" on every one, a line that
        # would name them on all 10,000 pages says nothing; the record's own words are the
        # abbreviations and the company's terms.
        self._order: list[Term] = [*abbreviation_terms(listed), *company,
                                   *(PRODUCT_TERMS if product else ())]
        spelled: list[tuple[int, Spelling]] = [
            (number, Spelling(abbr[0], re.escape(abbr[1:]) + r"s?\b", _NAME_START))
            for number, abbr in enumerate(listed)]
        for number, term in enumerate(self._order[len(listed):], len(listed)):
            spellings = term.spellings or _PRODUCT_SPELLINGS.get(term.anchor, ())
            spelled.extend((number, spelling) for spelling in spellings)
        by_first: dict[str, list[tuple[int, str]]] = {}
        for number, spelling in spelled:
            rest = f"(?i:{spelling.rest})" if spelling.any_case else spelling.rest
            firsts = ({spelling.first.lower(), spelling.first.upper()} if spelling.any_case
                      else {spelling.first})
            for first in sorted(ch for ch in firsts if len(ch) == 1):
                by_first.setdefault(first, []).append((number, spelling.before + rest))
        # One branch per first character, each an empty group per term spelled with it: the
        # groups that took part in a match are the terms found there.
        branches: list[str] = []
        self._groups: list[int] = []
        for first, starting in by_first.items():
            if len(starting) == 1:
                checks = [f"(?={starting[0][1]})()"]
            else:
                checks = [f"(?={'|'.join(found for _, found in starting)})"]
                checks.extend(f"(?:(?={found})()|)" for _, found in starting)
            branches.append(re.escape(first) + "".join(checks))
            self._groups.extend(number for number, _ in starting)
        self._pattern = re.compile("|".join(branches)) if branches else None

    def terms_on(self, page: str) -> list[Term]:
        """The glossary's entries ``page`` (rendered Markdown) uses, as its reader sees it (a
        record's hidden search terms left out): its abbreviations, then the company's own
        terms, then the site's own terms, in the glossary's order."""
        if self._pattern is None:
            return []
        page = _HIDDEN.sub(" ", page, count=1)
        found: set[int] = set()
        for match in self._pattern.finditer(page):
            found.update(self._groups[group - 1]
                         for group, said in enumerate(match.groups(), 1) if said is not None)
        return [self._order[number] for number in sorted(found)]


__all__ = ["ABBREVIATIONS", "PRODUCT_TERMS", "Spelling", "Term", "TermFinder",
           "abbreviation_terms", "abbreviations_in", "company_terms", "taxonomy_texts",
           "unit_said"]
