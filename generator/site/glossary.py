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
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from ..paths import slugify
from ..records.taxonomy import Indicator, Taxonomy, Unit


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
    pattern: re.Pattern[str] | None = field(default=None, compare=False)
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

_PRODUCT_PATTERNS = {
    "pp": r"\d\s?pp\b",
    "leading-indicator": r"\bleading indicators?\b",
    "wrong-way": r"\bwrong[ -]way\b",
    "trailing-mean": r"\btrailing(?: 3-(?:month|quarter))? mean\b",
    "held": r"\bheld\b",
    "cause": r"\b(?:root )?causes?\b",
    "movement": r"\bmovements?\b",
    "fix-horizon": r"\bdid not stick\b|\bfix horizon\b",
    "follow-through": r"\bfollow-through\b",
}
_PRODUCT = {term.anchor: re.compile(_PRODUCT_PATTERNS[term.anchor], re.IGNORECASE)
            for term in PRODUCT_TERMS}
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
        pattern = re.compile(
            r"(?<![\w/#-])" + re.escape(said).replace(r"\ ", r"\s+") + r"(?:s)?(?![\w])",
            0 if capitals else re.IGNORECASE)
        terms.append(Term(anchor, said, first, meaning.strip(), pattern))
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


def terms_on(page: str, abbreviations: Iterable[str],
             company: Iterable[Term] = ()) -> list[Term]:
    """The glossary's entries a rendered page (Markdown) uses: its abbreviations of those the
    glossary lists (``abbreviations``), then the company's own terms (``company``,
    `company_terms`), then the site's own terms, in the glossary's order."""
    listed = set(abbreviations)
    found = abbreviations_in([page]) & listed
    theirs = [term for term in company if term.pattern is not None and term.pattern.search(page)]
    own = [term for term in PRODUCT_TERMS if _PRODUCT[term.anchor].search(page)]
    return abbreviation_terms(found) + theirs + own


__all__ = ["ABBREVIATIONS", "PRODUCT_TERMS", "Term", "abbreviation_terms", "abbreviations_in",
           "company_terms", "taxonomy_texts", "terms_on", "unit_said"]
