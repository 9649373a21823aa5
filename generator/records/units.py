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
from .taxonomy import RATIO_PERCENT

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

_ISO_CODES = """
    aed afn all amd ang aoa ars aud awg azn bam bbd bdt bgn bhd bif bmd bnd bob brl bsd btn bwp
    byn bzd cad cdf chf clp cny cop crc cuc cup cve czk djf dkk dop dzd egp ern etb eur fjd fkp
    gbp gel ghs gip gmd gnf gtq gyd hkd hnl htg huf idr ils inr iqd irr isk jmd jod jpy kes kgs
    khr kmf kpw krw kwd kyd kzt lak lbp lkr lrd lsl lyd mad mdl mga mkd mmk mnt mop mru mur mvr
    mwk mxn myr mzn nad ngn nio nok npr nzd omr pab pen pgk php pkr pln pyg qar ron rsd rub rwf
    sar sbd scr sdg sek sgd shp sle sll sos srd ssp stn svc syp szl thb tjs tmt tnd top try ttd
    twd tzs uah ugx usd uyu uzs ves vnd vuv wst xaf xcd xof xpf yer zar zmw zwl
"""

ISO_CURRENCIES = frozenset(_ISO_CODES.split())
"""ISO 4217's currency codes, as an indicator's ``unit:`` in taxonomy.yml may give one (where
a unit must be one of Hindsight's, ``all`` or ``top`` can mean nothing else)."""

_SIGN_OF = {"eur": "€", "euro": "€", "euros": "€", "gbp": "£", "pound": "£", "pounds": "£",
            "sterling": "£", "jpy": "¥", "yen": "¥", "inr": "₹", "rupee": "₹", "rupees": "₹",
            "krw": "₩", "ils": "₪"}
"""The sign `currency:` is best given for a currency's code or name (others: its code)."""

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


_AS_WRITTEN = {
    "rate": "a share between 0 and 1: 30% is 0.3",
    "ratio": "a ratio, such as 1.04 (104%) or 3.2",
    RATIO_PERCENT: "a ratio: 1.05 for 105%",
    "count": "a count, such as 58",
    "usd": "an amount in the currency taxonomy.yml names, in full: 42000, not 42k",
    "usd_per_day": "an amount a day in the currency taxonomy.yml names, in full: 41200",
    "days": "a number of days, such as 45",
}
"""How a figure of each unit is written in a row, by the unit it is shown in. A plain ratio's
example spans both kinds a ratio is: one near 1, such as net revenue retention (where "such as
3.2" alone read as 320%), and one well above it, such as pipeline coverage."""


def figure_as_written(unit: str) -> str:
    """How a row's figure in ``unit`` is written ("a share between 0 and 1: 30% is 0.3" for a
    rate), for a draft's comment on a goal left to fill in and validation's hint when it is
    left empty; a plain number for a unit of the writer's own (``months``) or none."""
    return _AS_WRITTEN.get(unit, "a plain number")


def reading_as_written(unit: str) -> str:
    """How a retro's reading in ``unit`` is written: as a row's figure (`figure_as_written`),
    and a rate also as its counts, which a reading takes and a row does not."""
    if unit == "rate":
        return 'a share between 0 and 1 (30% is 0.3) or its counts, "18/52"'
    return figure_as_written(unit)


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


def indicator_unit_hint(given: object) -> str | None:
    """The fix for an indicator's ``unit:`` in taxonomy.yml that is none of Hindsight's but
    reads as a percentage (``percent``, ``%``: a ``rate``) or as money in a currency
    (``eur``, ``GBP``, ``money``: ``usd``, with the currency's sign as ``currency:``); None
    for anything else. A closest spelling read ``percent`` as ``count``."""
    if not isinstance(given, str):
        return None
    word = _folded(given)
    if "%" in word or word in _PERCENT:
        # A rate stops at 100%: net revenue retention (104%) told "use rate" was then
        # refused at every reading, "a rate must be between 0 and 1 (got 1.04)".
        return ("use rate: a share, written in records as a decimal, 0.31, or as counts, "
                '"18/52", and shown as a percentage, 31.0%; for a figure that passes 100%, '
                "such as net revenue retention, use ratio with shown_as: percent: written "
                "1.04, shown as 104.0%")
    per_day = next((tail for tail in _PER_DAY if word.endswith(tail) and word != tail), "")
    core = word[:-len(per_day)] if per_day else word
    meant = "usd_per_day" if per_day else "usd"
    if (core == "usd" and not per_day) or core == "$":
        return f"write {meant}, in lowercase" if core == "usd" else f"use {meant}"
    signs = [ch for ch in core if unicodedata.category(ch) == "Sc"]
    if not (core in _MONEY or core in ISO_CURRENCIES or signs):
        return None
    sign = (_SIGN_OF.get(core) or ("".join(signs) if signs else "")
            or (core.upper() if core in ISO_CURRENCIES else ""))
    currency = (f'`currency: "{sign}"`' if sign else
                '`currency:` in taxonomy.yml set to your currency\'s sign, e.g. "€"')
    where = " in taxonomy.yml" if sign else ""
    return (f"use {meant} with {currency}{where}: {meant} is money in the currency "
            "taxonomy.yml names; figures are never converted")
