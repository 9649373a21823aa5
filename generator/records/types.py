"""Field types shared by the taxonomy and the record schema.

Each type checks what YAML gave it strictly and, when it refuses, says what was expected in
words a record author can act on (the messages end up in ``hindsight validate`` output).
"""

from __future__ import annotations

import calendar
import datetime as dt
import math
import os
import re
import unicodedata
from decimal import Decimal
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, Field, Strict, StringConstraints, WithJsonSchema
from pydantic_core import PydanticCustomError

from ..errors import ConfigError

SLUG = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,78}[a-z0-9])?")
ACTION_ID = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9._-]{0,62}[A-Za-z0-9])?")
# ASCII digits only (re.ASCII): Python's \d takes full-width ones too, which read a count
# "１０/４０" as 10/40 while YAML keeps a plain ４０ as text; each is refused, with its hint
# (`full_width_hint`).
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)
_DATETIME = re.compile(r"(\d{4}-\d{2}-\d{2})[T ](\d{1,2}):(\d{2})(?::(\d{2}))?(Z|[+-]\d{2}:?\d{2})?",
                       re.ASCII)
MONTH = re.compile(r"(\d{4})-(\d{2})", re.ASCII)
"""A month as records write it (``2026-02``)."""
QUARTER = re.compile(r"(\d{4})-Q([1-4])", re.ASCII)


def shown(value: Any) -> str:
    """A value as an error message quotes it (short, and never failing)."""
    if isinstance(value, float) and value in (math.inf, -math.inf):
        return "a number beyond 10^308"
    try:
        text = repr(value) if not isinstance(value, str) else f'"{value}"'
    except ValueError:  # an integer too long to print (over 4,300 digits)
        return f"a number of over {int(value.bit_length() * 0.30103)} digits"
    if len(text) <= 60:
        return text
    return text[:57] + ('..."' if isinstance(value, str) else "...")


LARGEST = 1e15
"""No figure a record holds is larger (a quadrillion): past it a number is a typo, and one
past the floating-point range would be infinite."""
TOO_LARGE = "must be a number no larger than 10^15 (got {got})"
TOO_LARGE_HINT = "check the number for a typo"


def out_of_range(value: int | float) -> bool:
    """Whether a number is too large (or infinite, or not a number) to be a figure."""
    try:
        number = float(value)
    except OverflowError:
        return True
    return not abs(number) <= LARGEST  # False for NaN too


def parse_day(value: Any) -> dt.date:
    """A calendar date written ``YYYY-MM-DD``; nothing looser."""
    if isinstance(value, dt.datetime):
        raise PydanticCustomError("hs_date", "must be a date, not a date and time")
    if isinstance(value, dt.date):
        _check_year(value.year, value, "hs_date_range", "date", "01-01", "12-31")
        return value
    if isinstance(value, str):
        text = value.strip()
        if _DATE.fullmatch(text):
            try:
                day = dt.date.fromisoformat(text)
            except ValueError:
                raise PydanticCustomError(
                    "hs_date", "{got} is not a real calendar date", {"got": shown(value)}
                ) from None
            # As for periods: year 1 made month ranges and charts go wrong ("1-02").
            _check_year(day.year, value, "hs_date_range", "date", "01-01", "12-31")
            return day
        if _DATETIME.fullmatch(text):
            raise PydanticCustomError(
                "hs_date_time",
                "must be a date like 2026-06-30, not a date and time (got {got})",
                {"got": shown(value)},
            )
    raise PydanticCustomError(
        "hs_date", "must be a date like 2026-06-30 (got {got})", {"got": shown(value)}
    )


_DAY_FIRST = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})(?:,?\s+(\d{1,2}):(\d{2})(?:\s*Uhr)?)?",
                        re.ASCII)
_MONTH_FIRST_OF_YEAR = re.compile(r"(\d{1,2})[./](\d{4})", re.ASCII)


def day_first_hint(value: Any) -> str:
    """What to write for a date typed day first with points, as German, Austrian and Swiss
    teams write dates (``03.11.2026``, ``15.08.2026 14:30``): ``write 2026-11-03 for
    03.11.2026 (day.month.year)``; a month so typed (``11.2026``, which YAML reads as the
    number 11.2026) is given as ``YYYY-MM``. Empty for anything else, and for a date that
    is not in the calendar."""
    text = str(value).strip() if isinstance(value, str | float) else ""
    day = _DAY_FIRST.fullmatch(text)
    if day:
        try:
            iso = dt.date(int(day[3]), int(day[2]), int(day[1])).isoformat()
        except ValueError:
            return ""
        if day[4] is not None:
            if int(day[4]) > 23 or int(day[5]) > 59:
                return ""
            iso += f" {int(day[4]):02d}:{day[5]}"
        return f"{text} is day.month.year: write {iso}, year first"
    month = _MONTH_FIRST_OF_YEAR.fullmatch(text)
    if month and 1 <= int(month[1]) <= 12:
        return f"{text} is month.year: write {month[2]}-{int(month[1]):02d}, year first"
    return ""


def parse_moment(value: Any) -> dt.date | dt.datetime:
    """A date ``YYYY-MM-DD`` or a date and time ``YYYY-MM-DD HH:MM`` (for timelines)."""
    if isinstance(value, str):
        match = _DATETIME.fullmatch(value.strip())
        if match:
            date, hour, minute, second, _zone = match.groups()
            try:
                return dt.datetime.fromisoformat(
                    f"{date}T{int(hour):02d}:{minute}:{second or '00'}"
                )
            except ValueError:
                raise PydanticCustomError(
                    "hs_moment", "{got} is not a real date and time", {"got": shown(value)}
                ) from None
    try:
        return parse_day(value)
    except PydanticCustomError:
        raise PydanticCustomError(
            "hs_moment",
            "must be a date like 2026-06-30 or a date and time like 2026-06-30 14:00 (got {got})",
            {"got": shown(value)},
        ) from None


FIRST_YEAR, LAST_YEAR = 1900, 2999
"""The years a period may fall in: outside them it is a typo (and year 0 or 9999 would
leave the calendar at the period's end)."""


def parse_month(value: Any) -> str:
    """A month written ``YYYY-MM``, in the years `FIRST_YEAR` to `LAST_YEAR`."""
    if isinstance(value, str):
        match = MONTH.fullmatch(value.strip())
        if match and 1 <= int(match.group(2)) <= 12:
            _check_year(int(match.group(1)), value, "hs_month", "month", "01", "12")
            return value.strip()
    raise PydanticCustomError(
        "hs_month", "must be a month like 2026-05 (got {got})", {"got": shown(value)}
    )


_QUARTER_AS_SHOWN = (
    re.compile(r"[Qq]([1-4])\s*[/\s-]\s*(\d{4})", re.ASCII),     # Q4 2026, Q4/2026
    re.compile(r"(\d{4})\s*[/\s]\s*[Qq]([1-4])", re.ASCII),      # 2026 Q4, 2026/Q4
    re.compile(r"([1-4])\.\s*(?:Quartal|Q)\s*(\d{4})", re.ASCII),  # 4. Quartal 2026
)


def quarter_as_shown(value: Any) -> str | None:
    """A quarter written as people and the site's own pages write it, ``Q4 2026`` (or
    ``Q4/2026``, ``2026 Q4``, German's ``4. Quartal 2026``), as records write it: ``2026-Q4``;
    None for anything else."""
    text = value.strip() if isinstance(value, str) else ""
    for number, pattern in enumerate(_QUARTER_AS_SHOWN):
        found = pattern.fullmatch(text)
        if found:
            year, quarter = (found[2], found[1]) if number != 1 else (found[1], found[2])
            return f"{year}-Q{quarter}"
    return None


def parse_quarter(value: Any) -> str:
    """A quarter written ``YYYY-Qn``, in the years `FIRST_YEAR` to `LAST_YEAR`."""
    match = QUARTER.fullmatch(value.strip()) if isinstance(value, str) else None
    if match:
        _check_year(int(match.group(1)), value, "hs_quarter", "quarter", "Q1", "Q4")
        return str(value).strip()
    raise PydanticCustomError(
        "hs_quarter", "must be a quarter like 2026-Q2 (got {got})", {"got": shown(value)}
    )


def _check_year(year: int, value: Any, kind: str, noun: str, first: str, last: str) -> None:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise PydanticCustomError(
            kind, "must be a {noun} from {start} to {end} (got {got})",
            {"noun": noun, "start": f"{FIRST_YEAR}-{first}", "end": f"{LAST_YEAR}-{last}",
             "got": shown(value)})


def parse_number(value: Any) -> float:
    """A plain number: never a boolean, never text that merely looks like one."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        hint = ""
        if isinstance(value, str) and re.fullmatch(r"[-+]?0[0-9]+(\.[0-9]+)?", value.strip()):
            hint = " — a leading zero is not allowed; drop it"
        elif isinstance(value, str) and _PERCENT.fullmatch(value):
            share = float(_PERCENT.fullmatch(value).group(1)) / 100  # type: ignore[union-attr]
            hint = f" — write {value.strip()} as {share:.15g}"
        raise PydanticCustomError(
            "hs_number", "must be a number (got {got}){hint}", {"got": shown(value), "hint": hint}
        )
    if out_of_range(value):
        raise PydanticCustomError("hs_too_large", TOO_LARGE, {"got": shown(value)})
    return float(value)


def parse_bool(value: Any) -> bool:
    """``true`` or ``false`` only (``yes``, ``no``, ``on`` and ``off`` are text in YAML 1.2)."""
    if isinstance(value, bool):
        return value
    raise PydanticCustomError(
        "hs_bool", "must be true or false (got {got})", {"got": shown(value)}
    )


UNKNOWN = "unknown"
"""How an assumption's ``held`` says it is too early to tell."""


def parse_held(value: Any) -> bool | None:
    """An assumption's ``held``: ``true``, ``false``, or ``unknown`` (read as None) while it is
    too early to tell; a planner who did not know yet had to leave the assumption out."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() == UNKNOWN:
        return None
    raise PydanticCustomError(
        "hs_held", "must be true, false or unknown (got {got})", {"got": shown(value)}
    )


def _text_list(value: Any) -> Any:
    # A single string where a list belongs is a common slip; say so rather than split it.
    if isinstance(value, str):
        raise PydanticCustomError(
            "hs_list", "must be a list; put each item on its own `- ` line", {}
        )
    if value is None:
        return []
    return value


_STR_SCHEMA = {"type": "string"}

Day = Annotated[
    dt.date,
    BeforeValidator(parse_day),
    WithJsonSchema({"type": "string", "format": "date", "examples": ["2026-06-30"]}),
]
Moment = Annotated[
    dt.date | dt.datetime,
    BeforeValidator(parse_moment),
    WithJsonSchema(
        {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}([T ]\d{1,2}:\d{2}(:\d{2})?)?$"}
    ),
]
Month = Annotated[
    str, BeforeValidator(parse_month), WithJsonSchema({"type": "string", "pattern": r"^\d{4}-\d{2}$"})
]
Quarter = Annotated[
    str,
    BeforeValidator(parse_quarter),
    WithJsonSchema({"type": "string", "pattern": r"^\d{4}-Q[1-4]$"}),
]
# Hot fields use pydantic's native (Rust) checks in strict mode: a string is never coerced
# from a number, a number never from text or a boolean. Their errors are put into words by
# `generator.records.schema_errors`.
def _in_range(value: float) -> float:
    if out_of_range(value):
        raise PydanticCustomError("hs_too_large", TOO_LARGE, {"got": shown(value)})
    return value


Number = Annotated[float, Strict(), AfterValidator(_in_range), WithJsonSchema({"type": "number"})]
Flag = Annotated[bool, BeforeValidator(parse_bool), WithJsonSchema({"type": "boolean"})]
Held = Annotated[
    bool | None, BeforeValidator(parse_held), WithJsonSchema({"enum": [True, False, UNKNOWN]})
]
"""Whether an assumption held: True, False, or None for ``unknown`` (not known yet)."""
Text = Annotated[
    str, Strict(), StringConstraints(strip_whitespace=True, min_length=1),
    WithJsonSchema({"type": "string", "minLength": 1}),
]
Slug = Annotated[
    str, Strict(), StringConstraints(strip_whitespace=True, pattern=f"^{SLUG.pattern}$"),
    WithJsonSchema({"type": "string", "pattern": f"^{SLUG.pattern}$"}),
]
ActionId = Annotated[
    str, Strict(), StringConstraints(strip_whitespace=True, pattern=f"^{ACTION_ID.pattern}$"),
    WithJsonSchema({"type": "string", "pattern": f"^{ACTION_ID.pattern}$"}),
]
TextList = Annotated[
    list[Text],
    BeforeValidator(_text_list),
    Field(default_factory=list),
]


def _none_is_empty(value: Any) -> Any:
    # A key with nothing after it (`causes:`, as a draft writes it above its commented
    # example) holds nothing, as `went_well:` already did: refused, uncommenting an example
    # under `causes: []` broke the YAML and `causes:` without the `[]` was "not a list".
    if value is None:
        return []
    return value


def _none_is_no_mapping(value: Any) -> Any:
    return {} if value is None else value


EMPTY_IF_NONE = BeforeValidator(_none_is_empty)
"""A list field written as a key with no value is an empty list."""
NO_MAPPING_IF_NONE = BeforeValidator(_none_is_no_mapping)
"""A mapping field written as a key with no value is an empty mapping."""


def month_of(day: dt.date) -> str:
    """The ``YYYY-MM`` month a date falls in."""
    return f"{day.year:04d}-{day.month:02d}"


def quarter_of_month(month: str) -> str:
    """The ``YYYY-Qn`` quarter a ``YYYY-MM`` month falls in."""
    year, mon = month.split("-")
    return f"{year}-Q{(int(mon) - 1) // 3 + 1}"


def months_of_quarter(quarter: str) -> list[str]:
    """The three ``YYYY-MM`` months of a ``YYYY-Qn`` quarter."""
    year, q = quarter.split("-Q")
    first = (int(q) - 1) * 3 + 1
    return [f"{year}-{m:02d}" for m in range(first, first + 3)]


def next_month(month: str) -> str:
    """The month after ``YYYY-MM``."""
    year, mon = (int(part) for part in month.split("-"))
    return f"{year + 1:04d}-01" if mon == 12 else f"{year:04d}-{mon + 1:02d}"


def period_last_day(period: str) -> dt.date:
    """The last day of a ``YYYY-MM`` month or a ``YYYY-Qn`` quarter."""
    last_month = months_of_quarter(period)[-1] if "-Q" in period else period
    year, month = (int(part) for part in last_month.split("-"))
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def previous_month(month: str) -> str:
    """The month before ``YYYY-MM``."""
    year, mon = (int(part) for part in month.split("-"))
    return f"{year - 1:04d}-12" if mon == 1 else f"{year:04d}-{mon - 1:02d}"


def default_held(months: list[str], today: dt.date) -> dt.date:
    """When a retro or review of ``months`` (in order) is held by default: today once the
    period is over (from its last day), else the first day after it. A record looks back on
    a whole period: one drafted before its month ends (`hindsight prep` a week ahead) dated
    today reviewed part of it, was published as held with its readings still to come, and
    validation warned of it until corrected; dated after it, it waits off the site until
    then."""
    if today >= period_last_day(months[-1]):
        return today
    return dt.date.fromisoformat(f"{next_month(months[-1])}-01")


AS_OF_ENV = "HINDSIGHT_AS_OF"
"""The environment variable that sets the build date when ``--as-of`` is not given."""


def parse_as_of(value: str | None) -> dt.date:
    """The build date: ``--as-of``, else ``$HINDSIGHT_AS_OF``, else today."""
    text = value or os.environ.get(AS_OF_ENV)
    if not text:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        source = "--as-of" if value else f"${AS_OF_ENV}"
        raise ConfigError(f"{source} must be a date like 2026-06-30 (got {text!r})") from None


_PERCENT = re.compile(r"\s*(\d+(?:\.\d+)?)\s*%\s*")
_NUMBER_AS_SHOWN = r"(-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)"  # 1,200.50 or 1200.50
_DECORATED = re.compile(rf"\s*[$€£]?\s*{_NUMBER_AS_SHOWN}\s*[$€£]?\s*[^\W\d_][^\W\d_ /]*\s*"
                        rf"|\s*(?:[$€£]|[A-Z]{{3}}\s)\s*{_NUMBER_AS_SHOWN}\s*"
                        r"|\s*(-?\d{1,3}(?:,\d{3})+(?:\.\d+)?)\s*")
"""A number written with a currency sign, thousands separators or a unit (``$42,000``,
``1,200``, ``45 days``, ``65日``, ``40일``, ``EUR 24980.40``): what a spreadsheet or a slide
shows, not a plain number."""
_CODE = re.compile(r"(?<![A-Za-z])[A-Z]{3}(?![A-Za-z])")
"""A currency's code beside an amount (``EUR``, ``CHF``)."""
_MAGNITUDE = re.compile(rf"\s*[$€£]?\s*{_NUMBER_AS_SHOWN}\s*(k|K|m|M|mm|MM|bn|BN|b|B)\s*[$€£]?\s*")
"""A number with a magnitude suffix (``42k``, ``$1.2M``, ``3bn``)."""
_GERMAN_MAGNITUDE = re.compile(
    r"(?:[$€£]|[A-Z]{3} )? ?(-?\d+(?:[,.]\d{1,2})?) ?"
    r"(Mio\.?|Millionen|Million|millions?|Mrd\.?|Milliarden|Milliarde|Tsd\.?|Tausend|"
    r"thousands?|T(?=€|EUR)|k|K)"
    r" ?(?:€|EUR|CHF|Euro)?")
"""An amount as German slides write it, with a decimal comma and a word for its magnitude
(``4,2 Mio. €``, ``850 T€``, ``850 Tsd. €``, ``1,2 Mrd``, ``1,2k``; English's ``3 million``
too, never ``billion``, a thousand times more in German), its spaces made single."""
_MAGNITUDE_WORD = re.compile(r"(?<![^\W\d_])(?:Mio|Mrd|Tsd|Millionen|Million|Milliarden|"
                             r"Milliarde|Tausend|millions?|billions?|thousands?)(?![^\W\d_])",
                             re.IGNORECASE)
"""A word for a number's magnitude, which no unit is: the figure without it is wrong."""
_GERMAN_TIMES = {"mio": 1e6, "million": 1e6, "millionen": 1e6, "millions": 1e6,
                 "thousand": 1e3, "thousands": 1e3, "mrd": 1e9, "milliarde": 1e9,
                 "milliarden": 1e9, "tsd": 1e3, "tausend": 1e3, "t": 1e3, "k": 1e3}
_GERMAN_PERCENT = re.compile(r"(\d+(?:[,.]\d+)?) ?(?:Prozent|v\. ?H\.)", re.IGNORECASE)
"""A share said in German words (``12 Prozent``, ``12,5 v. H.``)."""
_COUNTS_IN_WORDS = re.compile(r"([0-9]+) (?:of|out of) ([0-9]+)(?: [^\W\d_]+)*", re.IGNORECASE)
"""A rate said in words (``3 of 120 accounts``, ``18 out of 52``), its spaces made single."""
_TIMES = {"k": 1e3, "m": 1e6, "mm": 1e6, "b": 1e9, "bn": 1e9}


_DIGIT_OF = {"O": "0", "o": "0", "l": "1", "I": "1"}
"""Letters typed for the digits they look like."""
_LOOKALIKE = re.compile(r"[-+]?[0-9OolI][0-9OolI,]*(?:\.[0-9OolI]+)?")


_EUROPEAN = re.compile(r"(?:[$€£]|([A-Z]{3}) )?(-?\d{1,3}(?:[. ]\d{3})+(?:,\d+)?|-?\d+,\d+) ?(%)? ?"
                       r"(?:[$€£]|([A-Z]{3}))?",
                       re.ASCII)  # digits 0-9 only: a hint writes them back as typed
"""A number written the way much of Europe writes it: a decimal comma (``0,125``, ``12,5 %``),
points or spaces between thousands (``1.150.000 €``, ``1 200 000``), or both (``1.234,5``), a
currency's code before or after it (``EUR 24.980,40``)."""

_COMMA_DECIMAL_NEVER = ("USD", "GBP")
"""Currencies whose amounts are not written with a decimal comma (as the ``$`` and ``£``)."""


_DIGITS_HINTED = 18
"""The most digits a number written the European way gets a hint for (a trillion to two
decimals has 15)."""


def _european_hint(raw: str, rate: bool) -> str | None:
    """The hint for a number written with a decimal comma or with points or spaces between
    its thousands; both readings where it could be either (``45,500``, ``€1.200``); None for
    any other text, and for ``$42,000`` (a dollar amount is written the American way)."""
    found = _EUROPEAN.fullmatch(raw)
    if not found or sum(c.isdigit() for c in found.group(2)) > _DIGITS_HINTED:
        return None  # no figure a record gives is that long: no number to suggest
    code, text, percent = found.group(1) or found.group(4), found.group(2), found.group(3)
    if "," in text and (any(sign in raw for sign in "$£") or code in _COMMA_DECIMAL_NEVER):
        return None  # a dollar or pound amount is not written with a decimal comma
    whole, _, decimals = text.replace(".", "").replace(" ", "").partition(",")
    separators = sum(text.count(c) for c in ".,")
    if separators == 1 and " " not in text and not percent and not rate \
            and whole.lstrip("-") not in ("", "0") \
            and len(text) - max(text.rfind("."), text.rfind(",")) - 1 == 3:
        digits = text.replace(".", "").replace(",", "")
        point = float(text.replace(",", "."))
        # 45,500 or 1.200: a thousand and more, or a decimal written the other way.
        return (f"if it means {int(digits):,}, write {digits}; if {point:g}, write {point:g}: "
                "a plain number, with a point for decimals")
    number = float(f"{whole}.{decimals}" if decimals else whole)
    if percent and rate:
        return f'write {number / 100:.15g} for {raw}, or as counts, e.g. "18/52"'
    # Cents as typed: 24.980,40 is 24980.40 (45,500 as a rate is still 45.5).
    plain = f"{whole}.{decimals}" if len(decimals) == 2 else f"{number:.15g}"
    return f"write {plain} for {raw}: a plain number, with a point for decimals"


COUNTS = re.compile(r"\s*([0-9]{1,15})\s*/\s*([0-9]{1,15})\s*")
"""Counts written converted/total (``"18/52"``), of up to 15 digits (`LARGEST`): a longer one
is not a count, and would not fit."""


def _decimals(value: float) -> int:
    """How many decimals ``value`` is written with (``49.7`` → 1)."""
    text = repr(float(value))
    return len(text.partition(".")[2]) if "e" not in text and not float(value).is_integer() else 0


def rate_hint(value: float) -> str:
    """How to fix a rate outside 0..1: usually a percentage written as a whole number."""
    if value >= 2:
        # 49.7% is 0.497, not 0.50: as many decimals as the percentage needs, two at least.
        return f"write {value:g}% as {round(value / 100, 12):.{max(2, _decimals(value) + 2)}f}"
    return "a rate is a share between 0 and 1; for a multiple such as NRR use unit: ratio"


_WIDE_NAMES = {"digit": "full-width digits", "%": "a full-width percent sign",
               "/": "a full-width slash", "-": "a full-width hyphen", ".": "a full-width point",
               ",": "a full-width comma", ":": "a full-width colon", " ": "a full-width space"}


def full_width_hint(raw: Any, rate: bool = False) -> str | None:
    """The hint for a number, counts or a date typed with the full-width digits, percent sign,
    slash or hyphen a Japanese, Chinese or Korean input method types (``４０``, ``20％``,
    ``"１０/４０"``, ``２０２６-10-15``): they named, with the value as the ASCII one is
    written and, for a number in another form (``２０％``, ``６５日``), its own hint (`write 0.2
    for 20%`); None for text with none of them."""
    if not isinstance(raw, str):
        return None
    normal = unicodedata.normalize("NFKC", raw).strip()
    wide = [c for c in raw if unicodedata.normalize("NFKC", c) != c
            and (unicodedata.normalize("NFKC", c).isdigit()
                 or unicodedata.normalize("NFKC", c) in _WIDE_NAMES)]
    if not wide:
        return None
    runs = [run for run in re.findall(r"\d+", raw) if not run.isascii()]
    names = ([f"full-width digits ({', '.join(runs)})"] if runs else []) + sorted(
        {f"{_WIDE_NAMES[unicodedata.normalize('NFKC', c)]} ({c})" for c in wide
         if not unicodedata.normalize("NFKC", c).isdigit()})
    said = " and ".join(names)
    if COUNTS.fullmatch(normal):
        return f'{said}: write "{normal.replace(" ", "")}"'
    # Checked before a plain number: "１.２００" is 1200 or 1.2, as "1.200" is.
    rest = disguised_number_hint(normal, rate)
    return f"{said}; {rest}" if rest else f"{said}: write {normal}"


PERCENT_READ_FROM = 10
"""The smallest percentage read as a ratio shown as one (``shown_as: percent``): ``104%`` is
1.04, but ``1.04%`` may as well be the ratio 1.04 with a % typed after it as 0.0104."""


def percent_of_ratio(raw: Any) -> float | None:
    """The ratio a percentage typed for a ratio shown as one stands for: ``104%`` → 1.04,
    ``91.5 %`` → 0.915; None for anything else, and for a percentage under
    `PERCENT_READ_FROM` (`percent_hint` asks which it is)."""
    found = _PERCENT.fullmatch(raw) if isinstance(raw, str) else None
    if found is None or float(found.group(1)) < PERCENT_READ_FROM:
        return None
    # Through Decimal: 114.99 / 100 is 1.1499000000000001 in floats.
    return float(Decimal(found.group(1)) / 100)


def percent_hint(raw: Any) -> str | None:
    """The hint for a percentage too small to read as a ratio shown as one (``1.04%``): the
    two numbers it may stand for; None for anything else."""
    found = _PERCENT.fullmatch(raw) if isinstance(raw, str) else None
    if found is None:
        return None
    number = Decimal(found.group(1))
    return (f"write {(number / 100).normalize():f} for {number:f}%, or {number:f} for "
            f"{(number * 100).normalize():f}%: "
            f"a percentage under {PERCENT_READ_FROM}% may be the decimal with a % after it, "
            "so it is not read")


def disguised_number_hint(raw: Any, rate: bool = False, ratio: bool = False) -> str | None:
    """The plain number ``raw`` stands for, as a hint, when it is one written as a slide or a
    spreadsheet shows it (``31%`` for a rate, ``104%`` for a ratio such as NRR, ``$42,000``,
    ``1,200``, ``45 days``, ``42k``, ``1.2M``); else None. ``rate``: the reading is a rate's,
    ``ratio``: a ratio's."""
    if not isinstance(raw, str):
        return None
    wide = full_width_hint(raw, rate)
    if wide:
        return wide
    # One space at most between the parts: runs of `\s*` next to each other made matching a
    # value of 20,000 spaces take half a minute (quadratic backtracking).
    raw = " ".join(raw.split())
    if _LOOKALIKE.fullmatch(raw) and any(c.isdigit() for c in raw) and \
            any(c in _DIGIT_OF for c in raw):
        # "5OO": letters typed for digits, not 5 with a unit "OO".
        meant = "".join(_DIGIT_OF.get(c, c) for c in raw if c != ",")
        letters = sorted({c for c in raw if c in _DIGIT_OF})
        said = " and ".join(repr(c) for c in letters)
        return f"write {meant}: {said} " + ("is a letter, not a digit" if len(letters) == 1
                                             else "are letters, not digits")
    european = _european_hint(raw, rate)
    if european:
        return european
    percent = _PERCENT.fullmatch(raw)
    if percent and rate and float(percent.group(1)) <= 100:
        return f'write {float(percent.group(1)) / 100:.15g} for {raw}, or as counts, e.g. "18/52"'
    share = _COUNTS_IN_WORDS.fullmatch(raw) if rate else None
    if share:
        # "3 of 120 accounts", as a churn slide says it: the counts a rate is written as.
        return f'write "{share.group(1)}/{share.group(2)}" for {raw}: a rate as counts'
    if percent and ratio:
        # NRR's "104%" is the ratio 1.04: "write a plain number" left the 100 to guess.
        return (f"write {float(percent.group(1)) / 100:.15g} for {raw}: a ratio is written as "
                "a decimal, 1 for 100%")
    amount = _GERMAN_MAGNITUDE.fullmatch(raw)
    if amount:
        # "4 Mio" was told "write 4, a plain number with no unit": four, not four million.
        times = _GERMAN_TIMES[amount.group(2).rstrip(".").lower()]
        in_full = round(float(amount.group(1).replace(",", ".")) * times, 2)
        return f"write {in_full:.15g} for {raw}, a plain number"
    in_words = _GERMAN_PERCENT.fullmatch(raw)
    if in_words:
        # "12 Prozent" was told "write 12, a plain number with no unit": twelve, not 0.12.
        part = float(in_words.group(1).replace(",", ".")) / 100
        return f"write {part:.15g} for {raw}" + (', or as counts, e.g. "18/52"' if rate else "")
    magnitude = _MAGNITUDE.fullmatch(raw)
    if magnitude:
        number = float(magnitude.group(1).replace(",", "")) * _TIMES[magnitude.group(2).lower()]
        return f"write {number:.15g} for {raw}, a plain number"
    decorated = _DECORATED.fullmatch(raw)
    if not decorated:
        return None
    number_text = next(g for g in decorated.groups() if g is not None)
    if re.fullmatch(r"-?\d{1,3}(?:\.\d{3})+", number_text):
        return None  # "1.200" is 1200 in much of Europe and 1.2 elsewhere: no guess
    if _MAGNITUDE_WORD.search(raw):
        return None  # "1,250 Mio" is no 1250: a million or a thousand times it, unsure which
    code = _CODE.search(raw)
    extras = [name for name, present in (
        ("currency sign", any(sign in raw for sign in "$€£")),
        ("currency code", code is not None),
        ("thousands separator", "," in number_text),
        ("unit", any(c.isalpha() for c in _CODE.sub("", raw)))) if present]
    digits = number_text.replace(",", "")
    # Cents as typed (24980.40, not 24980.4).
    plain = digits if len(digits.partition(".")[2]) == 2 else f"{float(digits):.15g}"
    return (f"write {plain}, a plain number with no "
            + " or ".join(extras)
            + ("; the unit is the indicator's, in taxonomy.yml" if "unit" in extras else ""))
