"""How values are written on pages, in drafts and in chart text: one place for every format."""

from __future__ import annotations

import datetime as dt
import functools
import math
import re
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal

from .schema import Measure
from .taxonomy import RATIO_PERCENT, Unit

PERCENT_UNITS = (Unit.RATE.value, RATIO_PERCENT)
"""The units shown as a percentage: a rate, and a ratio declared ``shown_as: percent`` (net
revenue retention, 1.04 shown as 104.0%, a change of 0.04 as +4.0 pp)."""


def count(n: int, singular: str) -> str:
    """``count(2, "action")`` → ``2 actions``."""
    return f"{n} {noun(n, singular)}"


def possessive(name: str) -> str:
    """``Brightlane`` → ``Brightlane's``; a name ending in s takes the apostrophe alone
    (``Northwind Metrics'``), as style guides write a plural or a company's name."""
    return f"{name}'" if name.endswith(("s", "S")) else f"{name}'s"


def noun(n: int, singular: str, plural: str | None = None) -> str:
    """The noun for ``n`` of something, without the number (which a page may link):
    ``noun(1, "fix", "fixes")`` → ``fix``, ``noun(3, "fix", "fixes")`` → ``fixes``."""
    return singular if n == 1 else plural or f"{singular}s"


MINUS = "\u2212"
"""The sign of every negative figure on a page (−$800, −40%, −3.6 pp): a true minus, as the
changes columns always wrote it; a hyphen beside them ("-$800") read as another convention."""


def _minus(shown: str) -> str:
    """A formatted number with a leading hyphen-minus written as `MINUS`."""
    return MINUS + shown[1:] if shown.startswith("-") else shown


def pct(value: float | None, digits: int = 0) -> str:
    """``0.4167`` → ``42%``; halves round up (``0.625`` → ``63%``). A share short of all, or
    above none, never shows as ``100%`` or ``0%``: it gets a decimal or two more (``99.9%``),
    as a goal 0.1 % short was shown met at 100 % while counted missed."""
    if value is None:
        return "–"
    for places in range(digits, digits + 5):  # 99.98 %, 99.998 %: never "100.00%"
        shown = _half_up(value * 100, places)
        if not ((value < 1 and shown == _HUNDRED[places])
                or (value > 0 and shown == _ZERO[places])):
            break
    return f"{_minus(shown)}%"


_HUNDRED = {d: f"{100:.{d}f}" for d in range(8)}
_ZERO = {d: f"{0:.{d}f}" for d in range(8)}


def _half_up(value: float, digits: int) -> str:
    # Format rounds an exact half to even (62.5 → "62"); only such a tie, rare in measured
    # data, goes through Decimal. Pages format hundreds of thousands of rates.
    scaled = value * 10 ** digits
    if scaled - math.floor(scaled) != 0.5:
        return f"{value:.{digits}f}"
    step = Decimal(1).scaleb(-digits)
    return str(Decimal(repr(value)).quantize(step, rounding=ROUND_HALF_UP))


_currency = "$"
"""The sign money is shown with (`use_currency`)."""


def use_currency(sign: str) -> None:
    """Show money with ``sign`` from now on: the taxonomy's ``currency``, set as it is read,
    so every page, chart, command and export of the knowledge base shows the same sign."""
    global _currency
    _currency = sign


WHOLE_FROM = 100
"""Money of this many units or more is written to the whole unit (``$48,251`` for 48,250.50,
a half rounded up); smaller amounts keep their cents (`money`). A record's own page shows an
amount typed with cents with them (`as_typed`)."""

_SUB_CENT_PLACES = 4
"""The most decimals an amount under a dollar is written with: a hundredth of a cent. Anything
smaller is arithmetic's noise (a 3-month mean a billionth off the value), not a move."""


def _fixed(size: float, places: int) -> str:
    """``size`` (0 or more) to ``places`` decimals with thousands commas, a half rounded up as
    it was typed: format rounds half to even on the binary value (48,250.50 read "48,250",
    2.675 "2.67"); only such a tie, rare in measured data, goes through Decimal."""
    scaled = size * 10 ** places
    if abs(scaled - math.floor(scaled) - 0.5) > 1e-7:
        return f"{size:,.{places}f}"
    step = Decimal(1).scaleb(-places)
    return f"{Decimal(repr(size)).quantize(step, rounding=ROUND_HALF_UP):,.{places}f}"


def _amount(size: float, places: int | None) -> str:
    """``size`` (0 or more) as `money` writes its digits, without sign or currency."""
    if places is not None:
        return _fixed(size, places)
    if float(_fixed(size, 2).replace(",", "")) >= WHOLE_FROM:
        return _fixed(size, 0)
    # Cents, and under a dollar as many decimals as two significant digits take: a cost per
    # order of 4.64 shown "$5" read as 5.20 and 5.00 ("held at $5"), a move of 0.16 as "±$0",
    # and a cost per impression of 0.0042 would read "$0.00".
    places = 2
    if 0 < size < 1:
        places = min(_SUB_CENT_PLACES, max(2, 1 - math.floor(math.log10(size))))
    text = _fixed(size, places)
    if "." in text:
        text = text.rstrip("0")
        text = text + "0" * (2 - len(text.partition(".")[2]))  # down to the cent, not below
    # A whole amount is written whole (a cost per lead of $40 beside a goal of $40.40).
    return text[:-3] if text.endswith(".00") else text


def money_places(value: float) -> int:
    """How many decimals `money` writes ``value`` with by default: none for a whole amount or
    one of `WHOLE_FROM` or more, 2 for cents, up to 4 under a cent (``0.0042``)."""
    return len(_amount(abs(value), None).partition(".")[2])


def money(value: float, sign: str | None = None, places: int | None = None) -> str:
    """An amount in the knowledge base's currency: ``1234567`` → ``$1,234,567`` (``€1,234,567``,
    ``CHF 1,234,567``: a sign of letters is followed by a space); ``-800`` → ``−$800``.

    One rule wherever money is shown (pages, charts, drafts, commands): amounts of `WHOLE_FROM`
    (100) or more to the whole unit, where cents are noise beside the figure (``$48,250``,
    and ``$48,251`` for 48,250.50: a half always rounds up, at any number of places);
    smaller ones with their cents where they have any (``$4.64``, ``$0.16``, ``$5``, ``$40``),
    and under a dollar to two significant digits, at most a hundredth of a cent (``$0.0042``).
    ``places`` asks for exactly so many decimals instead (``$40.40``, an axis's ``$5.00``)."""
    sign = _currency if sign is None else sign
    spaced = f"{sign} " if any(ch.isalpha() for ch in sign) else sign
    shown = _amount(abs(value), places)
    # An amount that shows as nothing has no sign: "−$0" read as a loss.
    negative = value < 0 and any(c in "123456789" for c in shown)
    return f"{MINUS}{spaced}{shown}" if negative else f"{spaced}{shown}"


def money_ticks(values: Sequence[float], sign: str | None = None) -> list[str]:
    """Amounts as one axis labels them: all with as many decimals as the most precise one
    takes by `money`'s rule (``$4.40`` … ``$5.00`` … ``$5.20``, not ``$5`` among cents), more
    where two would still read the same: an axis from 4.4 to 5.2 read ``$5`` four times."""
    places = max((money_places(v) for v in values), default=0)
    while True:
        shown = [money(v, sign, places) for v in values]
        if len(set(shown)) == len(shown) or places >= 6:
            return shown
        places = 2 if places == 0 else places + 1  # no "$48,250.5": cents, then finer


def _money_places_at_most(value: float) -> int:
    """The most decimals an amount is ever written with: cents, or under a dollar as many as
    `money` gives it (two significant digits, down to a hundredth of a cent: ``$0.0042``)."""
    return max(2, money_places(value))


def exact_value(value: float, unit: str) -> str:
    """A goal or an actual as a plan or scorecard row gives it, in its unit: `format_value`,
    but money with its cents wherever it has any, even from `WHOLE_FROM` up, where `money`
    writes whole units: a goal is met or missed by the cent ($2,000,000.50 against a goal of
    $2,000,000; a cost per lead of $40.40 against $40 read "$40" twice, as met); and a number
    typed with more decimals than the unit shows with all of them (a goal of 1.055, "1.05" or
    "1.06" on the page, misstated it; an NRR of 1.048 is "1.048"; 39.75 days as typed). Days
    computed (more decimals than anyone types) are written to a tenth, as tables write them:
    a quarter's mean of 53.333 days is "53.3 days" (`exact_pair` adds decimals where a goal
    would read as met: 45.04 days beside a goal of 45 is "45.04 days"). Money stops at the cent
    (a computed €40,758.125 is "€40,758.13", a cost of $1.125 "$1.13"), under a dollar at
    what `money` shows (``$0.0042``). A rate keeps its percentage's decimal."""
    written = _written_places(value)
    if unit in (Unit.USD, Unit.USD_PER_DAY):
        shows = money_places(value)
        # Never past the cent (a dollar's worth or more): a quarter's mean of €40,758.125 is
        # arithmetic, not a figure anyone paid, and read as a typo beside a typed €81,516.25.
        places = (min(max(written, 2), _money_places_at_most(value)) if written > shows
                  else 2 if shows == 0 and abs(value - round(value)) >= 0.005 else None)
        if places is not None:
            return money(value, places=places) + ("/day" if unit == Unit.USD_PER_DAY else "")
        return format_value(value, unit)
    if unit == Unit.DAYS:
        if written == 0 and not float(value).is_integer():
            # A computed figure (a quarter's mean of 61, 55 and 44 days) to a tenth, as every
            # table writes days: "53.33 days" beside a goal of 45 read as typed to the hundredth.
            return format_value(value, unit)
        return f"{_as_written(value, written)} {'day' if value == 1 else 'days'}"  # as typed
    if unit in PERCENT_UNITS:
        return format_value(value, unit)
    if unit == Unit.RATIO:  # two decimals at least, as `format_value` writes a ratio
        return _minus(f"{value:,.{max(written, 2)}f}")
    return _as_written(value, written)


def as_typed(value: float, unit: str) -> str:
    """A record's own figure where its page shows it as itself (a reading, a deal's value):
    money with the cents it was typed with at any size (`exact_value`: €48,250.50, where
    tables across records write €48,251), any other unit as `format_value` writes it."""
    if unit in (Unit.USD, Unit.USD_PER_DAY):
        return exact_value(value, unit)
    return format_value(value, unit)


_WRITTEN_MAX = 6
"""The most decimals a typed figure is taken to have been written with: a computed mean
(1.0466666666666666) has more, and is shown as its unit shows it."""


def _written_places(value: float) -> int:
    """How many decimals ``value`` was typed with, as its shortest form gives it back (1.048 →
    3, 40.0 → 0); 0 for a figure with more than `_WRITTEN_MAX` (a computed one)."""
    text = repr(float(value))
    if "e" in text or "n" in text:  # 1e-07, inf, nan: not as anyone types a goal
        return 0
    places = len(text.partition(".")[2].rstrip("0"))
    return places if places <= _WRITTEN_MAX else 0


def _as_written(value: float, written: int) -> str:
    """`number`, or with the ``written`` decimals where there are more than its two."""
    return _minus(f"{value:,.{written}f}") if written > 2 else number(value)


def number(value: float) -> str:
    """A number without noise: ``41.0`` → ``41``, ``1.25`` → ``1.25``."""
    return _minus(f"{value:,.0f}" if float(value).is_integer()
                  else f"{value:,.2f}".rstrip("0"))


def day(value: dt.date | dt.datetime | None) -> str:
    """ISO date (and time where there is one)."""
    if value is None:
        return "–"
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    return value.isoformat()


def month_name(period: str) -> str:
    """``2026-05`` → ``May 2026``."""
    year, month = period.split("-")
    return dt.date(int(year), int(month), 1).strftime("%B %Y")


def quarter_name(period: str) -> str:
    """The quarter a ``YYYY-MM`` month falls in, as pages name a quarterly team's retro:
    ``2026-06`` → ``Q2 2026``."""
    year, month = period.split("-")
    return f"Q{(int(month) - 1) // 3 + 1} {year}"


@functools.lru_cache(maxsize=4096)  # the same few spans for thousands of actions
def period_span(first: str, last: str, quarterly: bool = False) -> str:
    """The months ``first`` to ``last`` (``YYYY-MM``) in a few words: ``May–Jul 2025``,
    ``Nov 2025–Jan 2026``, ``May 2025``; for a team that meets quarterly (each reading dated
    its quarter's last month) the quarters: ``Q1–Q3 2025``, ``Q4 2025–Q1 2026``."""
    def short(period: str) -> tuple[str, str]:
        year, month = period.split("-")
        if quarterly:
            return f"Q{(int(month) - 1) // 3 + 1}", year
        return dt.date(int(year), int(month), 1).strftime("%b"), year

    (start, start_year), (end, end_year) = short(first), short(last)
    if (start, start_year) == (end, end_year):
        return f"{end} {end_year}"
    if start_year == end_year:
        return f"{start}–{end} {end_year}"
    return f"{start} {start_year}–{end} {end_year}"


def period_name(period: str, quarterly: bool = False) -> str:
    """A retro's period as pages show it: its month (``June 2026``), or, for a team that
    meets quarterly (its retro dated the quarter's last month), its quarter (``Q2 2026``)."""
    return quarter_name(period) if quarterly else month_name(period)


def format_value(value: float, unit: str) -> str:
    """A measured value in its unit, for tables and sentences: a rate as a percentage to a
    tenth, money as `money` writes it, days to a tenth, a ratio to the hundredth (``1.00``),
    other numbers as `number` writes them. A ratio shown as a percentage (`PERCENT_UNITS`)
    is written as a rate is: 1.04 as ``104.0%``."""
    if unit in PERCENT_UNITS:
        return pct(value, 1)
    if unit == Unit.USD:
        return money(value)
    if unit == Unit.USD_PER_DAY:
        return money(value) + "/day"
    if unit == Unit.DAYS:
        # To a tenth, as changes in days are: "32.67 days" beside "+2.3 days" read as two
        # precisions of one measure.
        shown = round(value, 1)
        return f"{number(shown)} {'day' if shown == 1 else 'days'}"
    if unit == Unit.RATIO:
        # Always two decimals: a month's NRR of exactly 1 read "1" between "0.98" and "1.02".
        return _minus(f"{value:,.2f}")
    return number(value)


KNOWN_UNITS = frozenset(unit.value for unit in Unit)
"""The units `format_value` and `format_delta` write their own way; any other unit a plan or
scorecard row gives (``months``, ``hours``) is written after the number, as the record gives it."""

_SHOWN_UNITS = KNOWN_UNITS | {RATIO_PERCENT}
"""`KNOWN_UNITS` and the unit a ratio shown as a percentage is shown in (no record writes it)."""


def unit_after(unit: str) -> str:
    """What follows a number in ``unit`` as `format_value` leaves it: nothing for the units it
    writes itself, else the unit as the record gives it (a bare 18 is not 18 months)."""
    return "" if unit in _SHOWN_UNITS else unit


def told_apart(first: float, second: float, unit: str) -> tuple[str, str]:
    """Two values that differ, in their unit (`format_value`), with as many more decimals as it
    takes for them to read differently (``$76,700.4`` and ``$76,700.0``, not ``$76,700``
    twice; money no further than the cent); see `_apart`. Money `money` writes
    whole (from `WHOLE_FROM` up) stays whole beside an amount with cents that reads apart from
    it (``$150`` beside ``$4.64``, not ``$150.33``)."""
    return _apart(first, second, unit, (format_value(first, unit), format_value(second, unit)),
                  even=unit not in (Unit.USD, Unit.USD_PER_DAY))


def exact_pair(first: float, second: float, unit: str) -> tuple[str, str]:
    """A goal and its figure as `exact_value` writes them, with as many more decimals as it
    takes for two that differ to read differently (a mean cost per lead of $40.30 against a
    goal of $40 is missed: "$40" twice read as met), money no further than the cent; see
    `_apart`."""
    return _apart(first, second, unit, (exact_value(first, unit), exact_value(second, unit)))


def exact_against(value: float, others: tuple[float, ...], unit: str) -> str:
    """``value`` as `exact_pair` writes it beside each of ``others``, with the most decimals
    any of them takes: a computed NRR of 1.0467 beside a typed 1.048 and a goal of 1.047 is
    "1.0467" (beside the typed figure alone it was "1.047", the goal, which it misses)."""
    return max((exact_pair(value, other, unit)[0] for other in others), key=decimals_shown)


def _apart(first: float, second: float, unit: str, shown: tuple[str, str],
           even: bool = True) -> tuple[str, str]:
    """``shown``, two values as each is written alone, set side by side.

    One rounded to fewer decimals than the other shows is given as many (an NRR of 1.0467
    beside a goal of 1.048 is "1.047", not "1.05", which read as beating it); one exact at
    fewer keeps them ("$40" beside "$40.40"). Two that differ yet read alike take more
    decimals than either shows, never fewer: a goal of 1.05 and a computed 1.0467 were "1.1"
    and "1.0 (computed)", the goal misstated; they are "1.050" and "1.047". Without ``even``
    one rounded is left as it is where the two read apart.

    The more decimals start after the most either shows, never fewer; money stops at the cent
    (under a dollar at what `money` shows): two amounts a tenth of a cent apart both read
    "$4.64", as no one pays the difference."""
    most = max(decimals_shown(text) for text in shown)
    first_shown, second_shown = (
        text if decimals_shown(text) == most or not even or _exact(value, unit, text)
        else with_places(value, unit, most)
        for value, text in ((first, shown[0]), (second, shown[1])))
    shown = first_shown, second_shown
    if shown[0] != shown[1] or first == second:
        return shown
    last = most + 6
    if unit in (Unit.USD, Unit.USD_PER_DAY):  # never past the cent (`exact_value`)
        last = max(_money_places_at_most(first), _money_places_at_most(second))
    for places in range(most + 1, last + 1):
        shown = with_places(first, unit, places), with_places(second, unit, places)
        if shown[0] != shown[1]:
            break
    return shown


def decimals_shown(shown: str) -> int:
    """How many decimals a shown figure has ("23.97%" → 2, "$1,970,200" → 0, "1.048" → 3)."""
    found = re.search(r"\.(\d+)", shown)
    return len(found.group(1)) if found else 0


def _exact(value: float, unit: str, shown: str) -> bool:
    """Whether ``shown`` gives ``value`` without rounding it ("$40" for 40, not for 40.003)."""
    scaled = value * 100 if unit in PERCENT_UNITS else value
    places = decimals_shown(shown)
    return abs(scaled - round(scaled, places)) <= 1e-9 * max(1.0, abs(scaled))


def with_places(value: float, unit: str, decimals: int) -> str:
    """A value in its unit with exactly ``decimals`` decimals (a rate's of its percentage)."""
    if unit in PERCENT_UNITS:
        return pct(value, decimals)
    if unit in (Unit.USD, Unit.USD_PER_DAY):  # in the knowledge base's currency, not "$"
        return money(value, places=decimals) + ("/day" if unit == Unit.USD_PER_DAY else "")
    text = f"{abs(value):,.{decimals}f}"
    sign = MINUS if value < 0 else ""
    return f"{sign}{text}" + (" days" if unit == Unit.DAYS else "")


def format_delta(value: float | None, unit: str) -> str:
    """A change in its unit, signed: ``+2.1 pp``, ``-3 days``, ``+$1,200``, ``+$0.16`` (money
    as `money` writes it: a move of 16 cents was "±$0")."""
    if value is None or value != value:  # None or NaN
        return "–"
    size = abs(value)
    if unit in PERCENT_UNITS:
        shown = f"{size * 100:.1f} pp"
    elif unit in (Unit.USD, Unit.USD_PER_DAY):
        shown = money(size)
    elif unit == Unit.DAYS:
        shown = f"{number(round(size, 1))} {'day' if round(size, 1) == 1 else 'days'}"
    elif unit == Unit.RATIO:  # to the hundredth, as the ratios it is between (`format_value`)
        shown = f"{size:,.2f}"
    else:
        shown = f"{number(round(size, 2))}"
    # A change too small to show is no change: "±0.0 pp", never "−0.0 pp". (The whole text:
    # the units and a currency of letters hold no digit; its first word alone was "CHF",
    # and every change in francs read as none.)
    if not any(c in "123456789" for c in shown):
        return f"±{shown}"
    return ("+" if value > 0 else "−") + shown


def attainment(measure: Measure, actual: float | None = None) -> float | None:
    """Actual over goal, inverted when lower is better; None where no ratio says how near
    the goal is: a goal of zero or below (−3,000 against a goal of −5,000 is "60 %" as a
    ratio, yet beats it), or a lower-is-better figure of zero or below (goal ÷ figure turns
    over). A higher-is-better goal above zero keeps its ratio whatever the figure: −200,000
    against 500,000 is −40 %, the furthest short. `met_without_ratio` judges the others.

    ``actual`` stands in for a row with no typed actual (the figure computed for it).
    """
    value = measure.actual if measure.actual is not None else actual
    if value is None:
        return None
    if measure.better == "down":
        # A goal of 0 has no ratio either way: 0 ÷ 5 escalations read "0%", though README
        # says such a row reads met or not met.
        return measure.goal / value if measure.goal > 0 and value > 0 else None
    return value / measure.goal if measure.goal > 0 else None


def met_without_ratio(measure: Measure, actual: float | None = None) -> bool | None:
    """Whether a goal with a figure but no `attainment` ratio is met, by comparing the two:
    a lower-is-better goal brought down to nothing (no churned logo against a ceiling of 5),
    a goal of 0, a goal or figure below zero (a net burn of −6,000 against −5,000, lower is
    better). None where there is a ratio, or no figure."""
    value = measure.actual if measure.actual is not None else actual
    if value is None or attainment(measure, actual) is not None:
        return None
    return value <= measure.goal if measure.better == "down" else value >= measure.goal


def goal_met(measure: Measure, actual: float | None = None) -> bool | None:
    """Whether a goal was met or beaten: a ratio of 1 or more, or `met_without_ratio` where
    there is none. None with no figure. ``actual`` stands in as `attainment` takes it."""
    ratio = attainment(measure, actual)
    if ratio is not None:
        return ratio >= 1
    return met_without_ratio(measure, actual)


def no_ratio_label(measure: Measure, actual: float | None = None) -> str:
    """How a goal judged by `met_without_ratio` is said in the attainment column: "met at 0"
    (a lower-is-better goal brought down to nothing), "met its goal of 0", else "met" or
    "not met"."""
    value = measure.actual if measure.actual is not None else actual
    if not met_without_ratio(measure, actual):
        return "not met"
    if measure.better == "down" and value == 0:
        return "met at 0"
    return "met its goal of 0" if measure.goal == 0 else "met"
