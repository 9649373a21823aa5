"""A plan or scorecard row's unit that Hindsight does not know, and what it most likely meant.

A row may give any unit: ``months`` or ``hours`` are shown after the number as written. But
money written in a currency's own name (``unit: eur``) is then shown as a plain number,
"500,000 eur", not as money in the knowledge base's currency; a percentage (``unit: percent``)
escapes the check that a rate lies between 0 and 1; and ``Rate`` or ``day`` is not the unit
it looks like. Those are warned about, with the unit meant.
"""

from __future__ import annotations

import difflib
import unicodedata

from .formatting import KNOWN_UNITS, money, number

_PERCENT = frozenset({"%", "percent", "percents", "percentage", "percentages", "pct", "perc"})

_MONEY = frozenset({
    # The ISO codes of the currencies most often met, and the words for money.
    "usd", "eur", "gbp", "chf", "jpy", "cny", "rmb", "inr", "aud", "cad", "nzd", "sek", "nok",
    "dkk", "isk", "pln", "czk", "huf", "ron", "bgn", "brl", "mxn", "ars", "clp", "cop", "zar",
    "sgd", "hkd", "twd", "krw", "thb", "idr", "myr", "php", "vnd", "try", "ils", "aed", "sar",
    "qar", "kwd", "egp", "ngn", "kes", "uah",
    "euro", "euros", "dollar", "dollars", "pound", "pounds", "sterling", "franc", "francs",
    "yen", "yuan", "renminbi", "rupee", "rupees", "krona", "kronor", "krone", "kroner", "kr",
    "real", "reais", "peso", "pesos", "rand", "zloty", "money", "currency",
})

_PER_DAY = ("perday", "/day", "aday", "/d", "daily")
_SCALES = {"thousands": 1e3, "thousand": 1e3, "millions": 1e6, "million": 1e6, "mn": 1e6,
           "k": 1e3, "m": 1e6}


def _folded(text: str) -> str:
    return "".join(ch for ch in text.casefold() if ch not in " _-.")


def _money(word: str, currency: str) -> bool:
    """Whether ``word`` (folded) names money: a currency's code, name or sign, or the
    knowledge base's own currency (``CHF``, ``kr``)."""
    return bool(word) and (word in _MONEY or word == _folded(currency)
                           or any(unicodedata.category(ch) == "Sc" for ch in word))


def _scale(word: str, currency: str) -> float | None:
    """What one of ``word`` is worth when it is money counted in thousands or millions
    (``keur``, ``usd_k``, ``€m``), or None."""
    for scale, factor in _SCALES.items():
        if (word.endswith(scale) and _money(word[:-len(scale)], currency)) or \
                (word.startswith(scale) and _money(word[len(scale):], currency)):
            return factor
    return None


def unit_slip(unit: str, goal: float, currency: str) -> tuple[str, str] | None:
    """``(message, hint)`` for a row's ``unit`` that Hindsight does not know but that reads as
    money, a percentage or one of its own units misspelt; None for a known unit or one of the
    writer's own (``months``), shown after the number. ``goal`` shows how the row would read,
    ``currency`` is taxonomy.yml's ``currency:``."""
    if unit in KNOWN_UNITS:
        return None
    word = _folded(unit)
    if "%" in word or word in _PERCENT:
        return (f"{unit} is not a unit Hindsight knows, so the row is not checked or shown as a "
                "share",
                "write unit: rate, and goal and actual as shares between 0 and 1: 30% is 0.3, "
                "shown as 30%")
    per_day = next((tail for tail in _PER_DAY if word.endswith(tail) and word != tail), "")
    core = word[:-len(per_day)] if per_day else word
    factor = _scale(core, currency)
    if factor is not None or _money(core, currency):
        meant, what = ("usd_per_day", "money per day") if per_day else ("usd", "money")
        whole = goal * (factor or 1)
        as_money = money(whole, currency) + ("/day" if per_day else "")
        amount = (f", with the whole amount ({whole:.15g}, not {goal:.15g}),"
                  if factor is not None else "")
        return (f"{unit} is not a unit Hindsight knows: the row reads \"{number(goal)} {unit}\", "
                f"not \"{as_money}\"",
                f"unit: {meant} is {what} in the currency taxonomy.yml names, {currency}: write "
                f"it{amount} for amounts in {currency}; figures are never converted")
    close = difflib.get_close_matches(word, {_folded(u): u for u in KNOWN_UNITS}, n=1,
                                      cutoff=0.75)
    if close:
        meant = {_folded(u): u for u in KNOWN_UNITS}[close[0]]
        return (f"{unit} is not a unit Hindsight knows, so it is shown after the number as "
                f"written", f"did you mean {meant}?")
    return None
