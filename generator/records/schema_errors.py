"""Turn pydantic's validation errors into located, plain sentences that end in a fix."""

from __future__ import annotations

import difflib
import re
import types
import typing
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ValidationError

from ..errors import Problems
from ..messages import format_loc as format_loc
from ..paths import lossy, slugify, umlauts_spelled_out
from .taxonomy import SEGMENT_FORMS
from .types import (
    ACTION_ID,
    COUNTS,
    QUARTER,
    SLUG,
    TOO_LARGE_HINT,
    day_first_hint,
    disguised_number_hint,
    full_width_hint,
    parse_number,
    quarter_as_shown,
    rate_hint,
    shown,
)
from .units import figure_as_written, indicator_unit_hint
from .yamlpos import (
    UNSEEN_SPACES,
    Document,
    quoted_number,
    quoted_number_hint,
    spaces_said,
    typographic_slip,
)

if TYPE_CHECKING:
    from .taxonomy import Taxonomy

# What to say when a required field is missing, by field name.
_MISSING_HINTS = {
    "owner": "every action needs one accountable person; an action without an owner does "
    "not exist",
    "due": "every action needs a due date like 2026-06-30; an action without one does not exist",
    "type": "add `type: retro`, `type: review` or `type: postmortem`",
    "period": "add the period reviewed, e.g. `period: 2026-05` (or 2026-Q2 for a review)",
    "team": "add the team id from taxonomy.yml",
    "held": "add the date it was held, e.g. `held: 2026-06-03`",
    "applies_to": "name the plan kinds it applies to, e.g. `applies_to: [campaign]`",
    "status": "add `status:` open, in-progress, done or dropped; to move an action's due date "
    "alone, give its status as it stands with the new `due:`",
}

_YAML11_BOOLS = frozenset({"yes", "no", "on", "off", "y", "n"})
"""Words YAML 1.1 read as booleans, which YAML 1.2 (and Hindsight) read as text."""
_RETROS_HINT = ("use monthly, quarterly, or biweekly for a team that meets more often than "
                "monthly (every sprint); for a team with no fixed cadence (a retro per "
                "campaign, or as needed) leave retros: out: its retros are read month by month "
                "and no month is missing")

_ASSUMPTION_HELD_HINT = ("write `held: true` if the assumption held, `held: false` if not, "
                         "`held: unknown` if it is too early to tell")
"""What to write in an assumption's ``held``, missing or empty."""


def report(
    exc: ValidationError,
    model: type[BaseModel],
    rel: str,
    doc: Document,
    problems: Problems,
    units: Mapping[str, str] | None = None,
    taxonomy: Taxonomy | None = None,
) -> None:
    """Add one located problem per pydantic error. ``units`` gives the unit each indicator
    (and measure) is in, by id: a scorecard row missing its ``unit:`` is told which. With
    ``taxonomy``, an id field holding a name or title (``team: 東京営業``) is told the id
    it names."""
    for err in exc.errors(include_url=False):
        err = _without_forms(err)
        loc = _as_written(doc, tuple(err["loc"]))
        message, hint = _describe_figure(err, _row_unit(doc, loc)) or describe(err, model)
        vocabulary = vocabulary_at(loc)
        if taxonomy is not None and vocabulary is not None and _not_an_id(err) \
                and wide_comma(err["input"]) is None:
            hint = taxonomy.id_hint(vocabulary, err["input"])
        if taxonomy is not None and err["type"] == "string_pattern_mismatch" \
                and loc[-1:] in (("segment",), ("icp_tier",)) and isinstance(err["input"], str) \
                and (named := taxonomy.segment_named(err["input"])) is not None:
            # A segment written by the name pages show it by: its spelling as an id
            # (`enterprise-emea`) is no segment, the id the name stands for is.
            hint = named[2]
        if err["type"] in _TYPED_ERRORS:
            hint = typographic_hint(err.get("input")) or full_width_hint(err.get("input")) \
                or hint
        elif err["type"] in _CHOICE_ERRORS:
            # A team's id after the space alone: which ids there are, as for any unknown team.
            write = (f"the {vocabulary}'s id; {taxonomy.ids_listed(vocabulary)}"
                     if taxonomy is not None and vocabulary is not None else "the value")
            message, hint = _full_width_lead(err, message, hint, write) or (message, hint)
        if err["type"] == "missing" and units and (known := _unit_of_row(doc, loc, units)):
            hint = f"add `unit: {known[1]}`: {known[0]} is measured in {known[1]}"
        if err["type"] == "extra_forbidden" or err.get("at_key"):
            line, col = doc.key_position(loc)  # at the key: its value is not the mistake
        else:
            line, col = doc.position(loc if err["type"] != "missing" else loc[:-1])
        if err["type"] in _CHOICE_ERRORS:
            # At the full-width space that begins or ends the value (`status: open　`), not
            # its first character; a cause cited as `- 　id` is read as `cause:` of the item.
            line, col = doc.wide.get(loc) or doc.wide.get(loc[:-1]) or (line, col)
        if err["type"] == "missing" and len(loc) == 1:
            line, col = 1, 1
        problems.error(rel, line, col, format_loc(loc), message, hint)


def _without_forms(err: Any) -> Any:
    """``err`` located as the file writes it: without the form a value of several was read
    as (`SEGMENT_FORMS`: ``segments`` as a list or a mapping), and an error in a mapping's key
    (``[key]``) at that key, marked ``at_key``."""
    loc = tuple(err["loc"])
    kept = tuple(part for part in loc if part not in SEGMENT_FORMS)
    if kept[-1:] == ("[key]",):
        return {**err, "loc": kept[:-1], "at_key": True}
    return {**err, "loc": kept} if kept != loc else err


def _as_written(doc: Document, loc: tuple[str | int, ...]) -> tuple[str | int, ...]:
    """``loc`` as the record wrote it: a lesson's plain ``replaces: <id>``, read as
    ``{record: <id>}``, is ``replaces`` (a bad id was reported as ``replaces.record``, a
    field the record does not have)."""
    if len(loc) != 4 or loc[0] != "lessons" or loc[2:] != ("replaces", "record"):
        return loc
    lessons = doc.value.get("lessons") if isinstance(doc.value, dict) else None
    lesson = lessons[loc[1]] if isinstance(lessons, list) and isinstance(loc[1], int) \
        and loc[1] < len(lessons) else None
    written = lesson.get("replaces") if isinstance(lesson, dict) else None
    return loc[:3] if not isinstance(written, dict) else loc


_MEASURE_ROWS = ("scorecard", "plan_vs_actual")

_CHOICE_ERRORS = frozenset({"literal_error", "enum", "string_pattern_mismatch"})
"""Errors of a value that must be one of some words or an id: a full-width space typed
before one is named (`_full_width_lead`)."""
_IME_SPACE = "an input method types U+3000 for a space in Japanese, Chinese or Korean mode"


def _wide_edges(value: str) -> tuple[int, int]:
    """How many full-width spaces (U+3000) begin ``value`` and how many end it, ordinary
    spaces beside them aside (a quoted ``" 　open"``): (0, 0) for a value with neither."""
    inner = value.strip(" ")
    before = len(inner) - len(inner.lstrip("\u3000"))
    after = len(inner) - len(inner.rstrip("\u3000")) if before < len(inner) else 0
    return before, after


def _wide_said(before: int, after: int) -> str:
    """The full-width spaces at a value's edges, in words: "a full-width space (U+3000)",
    "2 full-width spaces (U+3000)"."""
    spaces = before + after
    return "a full-width space (U+3000)" if spaces == 1 \
        else f"{spaces} full-width spaces (U+3000)"


def _wide_where(before: int, after: int) -> str:
    """Where a value's full-width spaces are, as the message says it: "starts with", "ends
    with", "starts and ends with"."""
    return ("starts and ends with" if before and after
            else "starts with" if before else "ends with")


def _unseen_edges(value: str) -> tuple[str, str]:
    """The full-width (U+3000) and no-break (U+00A0) spaces that begin ``value`` and those
    that end it, ordinary spaces beside them aside (a quoted ``" 　open"``)."""
    inner = value.strip(" ")
    lead = inner[:len(inner) - len(inner.lstrip(UNSEEN_SPACES))]
    trail = inner[len(inner.rstrip(UNSEEN_SPACES)):] if lead != inner else ""
    return lead, trail


def _full_width_lead(err: Any, message: str, hint: str,
                     write: str = "the value") -> tuple[str, str] | None:
    """The message and hint for a value begun or ended by the full-width space (U+3000) an
    input method types after ``team: `` or leaves after the word (``team: 　Tokyo Sales``,
    ``status: open　``): YAML keeps it as part of the value, and the error said only that the
    value was no id or not one of the words, of a value that looked like one. ``write``: what
    to write instead of a value that is the space alone (a team's id: which ids there are).
    None for any other value."""
    got = err.get("input")
    if not isinstance(got, str):
        return None
    lead, trail = _unseen_edges(got)
    if not lead and not trail:
        return None
    rest = got.strip(" " + UNSEEN_SPACES)
    said, why = spaces_said(lead + trail)
    them = "it" if len(lead + trail) == 1 else "them"
    shown = f"(got {_shown(got)})"
    starts = (f"it {_wide_where(len(lead), len(trail))} {said}, which YAML keeps as part of "
              "the value" if rest else f"only {said}, which YAML keeps as the value")
    message = (message.replace(shown, f"{shown[:-1]}: {starts})") if shown in message
               else f"{message} ({starts})")
    name = next((p for p in reversed(err["loc"]) if isinstance(p, str)), "")
    # "did you mean open?" of "　open" is the same advice as deleting the space; any other
    # hint is of the value without it (the id of the team named so).
    if not rest:  # what the hint said of the value ("no team has this id") is of no value
        return message, f"delete {them} and write {write}; {why}"
    if hint in ("", f"did you mean {rest}?"):
        return message, f"delete {them}: {name}: {rest}; {why}"
    return message, f"delete {them}; {hint}; {why}"


def vocabulary_at(loc: tuple[str | int, ...]) -> str | None:
    """The vocabulary of taxonomy.yml whose id a record's field at ``loc`` holds (a key of
    `taxonomy.VOCABULARIES`), or None for a field that holds none."""
    names = tuple(part if isinstance(part, str) else 0 for part in loc)
    return _VOCABULARY_FIELDS.get(names)


_VOCABULARY_FIELDS = {
    ("team",): "team", ("actions", 0, "team"): "team",
    ("causes", 0): "cause", ("causes", 0, "cause"): "cause", ("actions", 0, "cause"): "cause",
    ("actions", 0, "indicator"): "indicator", ("scorecard", 0, "indicator"): "indicator",
    ("plan_vs_actual", 0, "indicator"): "indicator",
    ("plan_kind",): "plan kind", ("lessons", 0, "applies_to", 0): "plan kind",
    ("deal", "reasons", 0): "reason", ("assumptions", 0, "category"): "assumption category",
    ("action_updates", 0, "team"): "team"}
"""The fields holding an id of the taxonomy, list indexes as 0."""


_RECORD_IDS = {
    ("actions", 0, "segment"): SLUG, ("scorecard", 0, "segment"): SLUG,
    ("plan_vs_actual", 0, "segment"): SLUG, ("deal", "segment"): SLUG,
    ("deal", "icp_tier"): SLUG, ("related", 0): SLUG, ("lessons", 0, "replaces"): SLUG,
    ("lessons", 0, "replaces", "record"): SLUG, ("actions", 0, "id"): ACTION_ID,
    ("action_updates", 0, "id"): ACTION_ID}
"""The fields holding an id that is not one of a vocabulary (a segment, a record's, an
action's), list indexes as 0, with the pattern the id is written in."""


def id_pattern(loc: tuple[str | int, ...]) -> re.Pattern[str] | None:
    """The pattern of the id a record's field at ``loc`` holds (an id of the taxonomy, a
    segment's, a record's or an action's), or None for a field that holds no id."""
    names = tuple(part if isinstance(part, str) else 0 for part in loc)
    return SLUG if names in _VOCABULARY_FIELDS else _RECORD_IDS.get(names)


def full_width_around_ids(doc: Document, rel: str, problems: Problems) -> None:
    """A warning at each id a record gives (of the taxonomy, a segment, a record, an action)
    begun or ended by the full-width space (U+3000) an input method types after the key's
    colon or leaves after the word (``team: 　tokyo-sales``, ``team: tokyo-sales　``). An id
    is read without the spaces around it, so the record is read as meant, but the file does
    not say what is read (a search for ``team: tokyo-sales`` misses it, the shipped schema
    refuses it in an editor), and the same space beside a format or a status is an error:
    nothing said so of an id. The warning is at the space, as the errors are."""
    for path in doc.wide:
        pattern = id_pattern(path)
        value = _at(doc.value, path)
        if pattern is None or not isinstance(value, str) \
                or not pattern.fullmatch(read := value.strip(" \u3000")):
            continue  # not an id once the spaces are gone: the schema's error says so
        before, after = _wide_edges(value)
        side = ("before and after" if before and after else "before" if before else "after")
        line, col = doc.wide[path]
        written = f"{path[-1]}: {read}" if isinstance(path[-1], str) else f"- {read}"
        problems.warning(rel, line, col, format_loc(path),
                         f"{_wide_said(before, after)} {side} the id (got {_shown(value)}): "
                         f"read as {read}",
                         f"delete {'it' if before + after == 1 else 'them'}: {written}; "
                         f"{_IME_SPACE}")


def _at(value: Any, path: tuple[str | int, ...]) -> Any:
    """The value at ``path`` in a document's value, or None where there is none."""
    for part in path:
        if isinstance(value, dict) and isinstance(part, str):
            value = value.get(part)
        elif isinstance(value, list) and isinstance(part, int) and part < len(value):
            value = value[part]
        else:
            return None
    return value


def _not_an_id(err: Any) -> bool:
    """Whether ``err`` is text refused for not being written as an id."""
    return (err["type"] == "string_pattern_mismatch" and isinstance(err.get("input"), str)
            and str((err.get("ctx") or {}).get("pattern", "")) == f"^{SLUG.pattern}$")
_TYPED_ERRORS = frozenset({
    "hs_number", "float_type", "float_parsing", "int_type", "int_parsing", "hs_date",
    "hs_date_time", "hs_moment", "hs_month", "hs_quarter"})
"""Errors of a number or a date, whose hint names curly quotes and dashes typed into it."""


def typographic_hint(got: Any) -> str | None:
    """The hint for a number or a date a word processor or a phone keyboard typed
    (`typographic_slip`): ``“30/90”``, ``2026–12–03``. The plain hint ("write the calendar
    date as YYYY-MM-DD") did not say what was wrong with a value that looked right."""
    slip = typographic_slip(got)
    if slip is None:
        return None
    said, written = slip
    # "“12,500”" is still no number without its quotes: the fix of what is left.
    rest = disguised_number_hint(written)
    return f"{said}; {rest}" if rest else f"{said}: write {written}"
_NUMBER_ERRORS = ("hs_number", "float_type", "float_parsing", "int_type")


def _row_unit(doc: Document, loc: tuple[str | int, ...]) -> str | None:
    """The ``unit:`` of the scorecard or plan-vs-actual row whose ``goal`` or ``actual`` is
    at ``loc`` ("" for a row without one); None for any other field."""
    if len(loc) != 3 or loc[0] not in _MEASURE_ROWS or loc[2] not in ("goal", "actual"):
        return None
    rows = doc.value.get(loc[0]) if isinstance(doc.value, dict) else None
    row = rows[loc[1]] if isinstance(rows, list) and isinstance(loc[1], int) \
        and loc[1] < len(rows) else None
    unit = row.get("unit") if isinstance(row, dict) else None
    return unit.strip() if isinstance(unit, str) else ""


def _unit_of_row(doc: Document, loc: tuple[str | int, ...],
                 units: Mapping[str, str]) -> tuple[str, str] | None:
    """The indicator (or measure) a scorecard or plan-vs-actual row names and its unit, when
    ``loc`` is that row's missing ``unit``."""
    if len(loc) != 3 or loc[0] not in _MEASURE_ROWS or loc[2] != "unit":
        return None
    rows = doc.value.get(loc[0]) if isinstance(doc.value, dict) else None
    row = rows[loc[1]] if isinstance(rows, list) and isinstance(loc[1], int) \
        and loc[1] < len(rows) else None
    if not isinstance(row, dict):
        return None
    name = row.get("indicator") or row.get("measure")
    return (name, units[name]) if isinstance(name, str) and name in units else None


def _describe_figure(err: Any, unit: str | None) -> tuple[str, str] | None:
    """A row's goal or actual that is no number, told by the row's unit where that says the
    fix: counts ("25/100", which a row does not take) as the decimal they make, and a quoted
    rate above 1 ("25") as the rate it stands for. Dropping the quotes, as the plain hint
    said, gave the same error again for the counts, and the next run's "a rate must be
    between 0 and 1" for the rate."""
    got = err.get("input")
    if unit is not None and err["type"] in _NUMBER_ERRORS and got is None:
        # `goal:` with nothing after it, as a draft leaves a goal it has no reading to take
        # from: "must be a number (got None)", "write a plain number without quotes" did not
        # say what number.
        said = "what the plan said" if err["loc"][-1] == "goal" else "what happened"
        return "is empty: must be a number", f"write {said}, as {figure_as_written(unit)}"
    if unit is None or err["type"] not in _NUMBER_ERRORS or not isinstance(got, str):
        return None
    counts = COUNTS.fullmatch(got)
    if counts:
        top, bottom = (int(n) for n in counts.groups())
        return f"must be a number (got {_shown(got)})", _counts_hint(top, bottom, unit)
    number = quoted_number(got)
    if unit == "rate" and number is not None and not 0 <= number <= 1:
        return (f"a rate must be between 0 and 1 (got {_shown(got)})",
                f"{rate_hint(float(number))}; write it without quotes")
    return None


def _counts_hint(top: int, bottom: int, unit: str) -> str:
    """How to write counts (``25/100``) as the one number a row takes: the decimal they make
    for a rate or a ratio (``0.25``), to six places at most."""
    if unit not in ("rate", "ratio"):
        return "counts are not accepted here; write one plain number"
    decimal = f"write the {unit} as a decimal" + (" between 0 and 1" * (unit == "rate"))
    if bottom == 0:
        return f"counts are not accepted here, and a total of 0 makes no {unit}: {decimal}"
    if unit == "rate" and top > bottom:
        return f"counts are not accepted here, and {top} of {bottom} is more than all: {decimal}"
    return ("counts are not accepted here; write the "
            f"{unit} as a decimal: {f'{top / bottom:.6f}'.rstrip('0').rstrip('.')}")


_SAME_AS = {"plan": "goal", "planned": "goal", "target": "goal", "forecast": "goal",
            "result": "actual", "achieved": "actual", "actuals": "actual"}
"""Other words for a plan-vs-actual or scorecard row's fields, as spreadsheets head them."""


def describe(err: Any, model: type[BaseModel]) -> tuple[str, str]:
    """A plain sentence and a hint for one pydantic error."""
    kind: str = err["type"]
    loc = tuple(err["loc"])
    got = err.get("input")
    ctx = err.get("ctx") or {}
    name = next((p for p in reversed(loc) if isinstance(p, str)), "")
    # An assumption's `held` is whether it held, not the day a record was held: the record's
    # hint ("add the date it was held") told a planner to write a date into a true/false.
    assumption_held = name == "held" and "assumptions" in loc
    if kind == "missing":
        if assumption_held:
            return "is required", _ASSUMPTION_HELD_HINT
        return "is required", _MISSING_HINTS.get(name, f"add `{name}:` with a value")
    if kind == "hs_held":
        # `held:` with nothing after it: YAML reads null, which is no yes/no slip.
        if got is None:
            return "is empty: must be true, false or unknown", _ASSUMPTION_HELD_HINT
        yaml11 = isinstance(got, str) and got.strip().lower() in _YAML11_BOOLS
        return (f"must be true, false or unknown (got {_shown(got)})",
                ("YAML 1.2 reads yes/no/on/off as text; " if yaml11 else "")
                + _ASSUMPTION_HELD_HINT)
    if kind == "hs_bool" and got is None:
        return "is empty: must be true or false", "write true or false"
    if kind == "extra_forbidden":
        fields = _fields_at(model, loc[:-1])
        close = difflib.get_close_matches(str(loc[-1]), fields, n=1, cutoff=0.6)
        meant = _SAME_AS.get(str(loc[-1]).lower())
        if not close and meant in fields:
            close = [meant]  # a spreadsheet's word for it: "plan" is the row's goal
        hint = f"did you mean {close[0]}?" if close else "known fields: " + ", ".join(fields)
        return "is not a known field", hint
    if kind in ("literal_error", "enum"):
        expected = str(ctx.get("expected", "")).replace("'", "")
        choices = [c.strip() for c in expected.replace(" or ", ", ").split(",") if c.strip()]
        close = (_status_meant(got, choices) if name == "status"
                 else difflib.get_close_matches(str(got), choices, n=1, cutoff=0.5))
        hint = f"did you mean {close[0]}?" if close else f"use one of: {', '.join(choices)}"
        # A percentage or a currency is no misspelling: "percent" read as "count", "eur"
        # got the list alone.
        meant = indicator_unit_hint(got) if name == "unit" else None
        if name == "retros" and str(got).strip().lower() not in choices:
            # "biweekly", "per-campaign": a cadence Hindsight has no word for. The closest
            # spelling ("bimonthly" → monthly) would guess; what to write depends on whether
            # the team meets more often than monthly or at no fixed interval.
            meant = _RETROS_HINT
        if name == "shown_as" and not close:
            meant = ("shown_as: percent shows a ratio as a percentage, 1.04 as 104.0%; "
                     "leave it out to show it as written, 1.04")
        hint = meant or hint
        return f"must be one of {', '.join(choices)} (got {_shown(got)})", hint
    if kind == "list_type":
        return f"must be a list (got {_shown(got)})", "put each item on its own `- ` line"
    if kind in ("dict_type", "model_type", "model_attributes_type") and name == "replaces":
        # "must be a mapping of fields" did not say that the usual spelling is a plain id.
        first = got[0] if isinstance(got, list) and got and isinstance(got[0], str) else None
        example = first or "2026-03-dmexco"
        many = ("a lesson replaces one earlier lesson; " if isinstance(got, list) and len(got) > 1
                else "")
        return (f"must be a record id, or a {{record: <id>, lesson: <n>}} mapping (got "
                f"{_shown(got)})",
                f"{many}write the id of the record whose lesson this one replaces, "
                f"`replaces: {example}`, or `replaces: {{record: {example}, lesson: 2}}` for "
                "the second of its lessons")
    if kind == "dict_type" and name == "glossary":
        return (f"must be a mapping of terms to their meanings (got {_shown(got)})",
                'write one `TERM: "its meaning"` line per term, indented under glossary:')
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return (f"must be a mapping of fields (got {_shown(got)})",
                "write `field: value` lines, indented under this one")
    if kind == "too_short":
        return "must have at least one item", "add one `- ` line"
    if "segments" in loc[-3:-1] and isinstance(got, dict) and kind == "too_long":
        # `- {smb: SMB, mid-market: Mid-market}`: two segments in one item of the list.
        return ("must be one segment: its id, or its id and its name",
                "put each segment on its own `- ` line, e.g. `- emea-ent: Enterprise EMEA`")
    if "segments" in loc[-3:-1] and got is None and kind == "string_type":
        # `- smb:` in a list: a name left empty, where the segment's id alone was meant.
        return ("is empty: a segment's name follows its id",
                f"write its name after the colon, or its id alone: `- {name}`")
    if kind == "hs_list" and name == "participants" and isinstance(got, str) \
            and len(comma_items(got)) > 1:
        # `participants: 山田、佐藤、鈴木`, as a list of names is written in Japanese: the
        # names to write in brackets, whichever comma was typed between them.
        comma = wide_comma(got)
        said = f"`{comma}` does not separate names in YAML; " if comma else ""
        return err["msg"], f"{said}write participants: [{', '.join(comma_items(got))}]"
    if kind == "hs_number":  # "1,840,000", "$1.9M": the number it stands for
        return err["msg"], _number_hint(got)
    if kind == "hs_month" and name == "period" and _quarter_meant(got):
        return err["msg"], _quarter_meant(got)
    if kind == "hs_quarter" and quarter_as_shown(got):
        # `period: Q3 2026`, as the site's own pages write a quarter.
        return err["msg"], f"write {quarter_as_shown(got)}"
    if kind in ("hs_date", "hs_moment", "hs_month") and day_first_hint(got):
        # `held: 03.11.2026`, as a German team types a date: the date it stands for.
        return err["msg"], day_first_hint(got)
    if kind.startswith("hs_"):
        return err["msg"], _CUSTOM_HINTS.get(kind, "")
    if kind == "string_type":
        if got is None:
            return "must not be empty", _CUSTOM_HINTS["hs_text"]
        if isinstance(got, list):
            return ("must be one value, not a list",
                    "write one value on this line (quote it if it holds a comma or a colon)")
        return f"must be text (got {_shown(got)}); quote it", _CUSTOM_HINTS["hs_text"]
    if kind == "string_too_short":
        return "must not be empty", _CUSTOM_HINTS["hs_text"]
    if kind == "string_pattern_mismatch":
        if str(ctx.get("pattern", "")) == f"^{SLUG.pattern}$":
            return (f"must be an id of lowercase ASCII letters (a-z), digits and hyphens (got "
                    f"{_shown(got)})", _segment_hint(got) if "segments" in loc[-3:-1]
                    else _slug_hint(got))
        return (f"must be an id of ASCII letters (A-Z, a-z), digits, '.', '_' and '-' (got "
                f"{_shown(got)})", _CUSTOM_HINTS["hs_action_id"])
    if kind in ("int_parsing", "int_from_float") or (kind == "int_type" and not _is_number(got)):
        # Whole numbers in taxonomy.yml (days): "three weeks", 2.5.
        return (f"must be a whole number (got {_shown(got)})",
                f"write {round(got)}, or another whole number" if _is_number(got)
                else quoted_number_hint(got) or disguised_number_hint(got)
                or "write a whole number, e.g. 30, without quotes")
    if kind in ("float_type", "float_parsing", "int_type"):
        return parse_number_message(got)
    if kind in ("greater_than_equal", "less_than_equal"):
        limit = f"at least {ctx['ge']}" if "ge" in ctx else f"at most {ctx.get('le')}"
        low, high = _bound(model, loc, "ge"), _bound(model, loc, "le")
        between = f"from {low} to {high}" if low is not None and high is not None else limit
        return f"must be {limit} (got {_shown(got)})", f"write a number {between}"
    if kind == "value_error":
        return str(ctx.get("error", err["msg"])), ""
    return err["msg"], ""


_STATUS_WORDS = {
    "done": ("completed", "complete", "closed", "finished", "resolved", "fixed", "shipped",
             "delivered", "implemented"),
    "dropped": ("cancelled", "canceled", "abandoned", "wontdo", "wontfix", "rejected",
                "descoped"),
    "in-progress": ("inprogress", "wip", "workinprogress", "started", "ongoing", "underway",
                    "doing", "active"),
    "open": ("todo", "notstarted", "new", "pending", "planned", "backlog"),
}
_STATUS_OF_WORD = {word: status for status, words in _STATUS_WORDS.items() for word in words}
"""Other words for an action's status, compared in lowercase without spaces, hyphens,
underscores or apostrophes (``Completed``, ``won't do``, ``In Progress``, ``to-do``)."""


def _status_meant(got: Any, choices: list[str]) -> list[str]:
    """The status a word for one means (``Completed`` is done, ``cancelled`` dropped), or one a
    typo is close to (``dnoe``). The spelling alone misled: ``Completed`` is nearest to
    dropped and ``complete`` to open, so following that hint recorded the opposite; a word
    neither known nor close to one gets no guess."""
    if not isinstance(got, str):
        return []
    word = "".join(ch for ch in got.casefold() if ch not in " \t-_'’")
    meant = _STATUS_OF_WORD.get(word)
    if meant in choices:
        return [meant]
    squeezed = {c.replace("-", ""): c for c in choices}
    close = difflib.get_close_matches(word, list(squeezed), n=1, cutoff=0.7)
    return [squeezed[close[0]]] if close else []


_CUSTOM_HINTS = {
    "hs_date": "write the calendar date as YYYY-MM-DD",
    "hs_date_range": "check the year for a typo",
    "hs_date_time": "drop the time, or quote it if this field takes a date and time",
    "hs_moment": "write YYYY-MM-DD, or YYYY-MM-DD HH:MM",
    "hs_month": "write YYYY-MM",
    "hs_quarter": "write YYYY-Qn",
    "hs_bool": "YAML 1.2 reads yes/no/on/off as text; write true or false",
    "hs_number": "write a plain number without quotes",
    "hs_too_large": TOO_LARGE_HINT,
    "hs_text": "write some text, quoted if it looks like a number or date",
    "hs_slug": "ids are lowercase words joined by hyphens, e.g. icp-drift",
    "hs_action_id": "e.g. SAL-2026-05-1",
    "hs_list": "",
}


def _quarter_meant(got: Any) -> str:
    """The hint for a retro's ``period`` written as a quarter (``2026-Q3``): "write YYYY-MM"
    did not say that a retro is of a month, nor where a quarter's review goes. Empty for
    anything else."""
    found = QUARTER.fullmatch(got.strip()) if isinstance(got, str) else None
    if not found:
        return ""
    year, quarter = found.groups()
    last = f"{year}-{int(quarter) * 3:02d}"
    return (f"a retro's period is a month: a team that meets quarterly writes the quarter's "
            f"last month, `period: {last}`; a quarterly review is `type: review` with "
            f"`period: {got.strip()}`")


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _shown(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return shown(value)


def _fields_at(model: type[BaseModel], loc: tuple[str | int, ...]) -> list[str]:
    """The field names (aliases where set) of the model found at ``loc``."""
    found = _model_at(model, loc)
    return sorted(_by_alias(found)) if found is not None else []


def _bound(model: type[BaseModel], loc: tuple[str | int, ...], which: str) -> Any:
    """The ``ge`` or ``le`` bound the field at ``loc`` declares (None when it has none)."""
    name = loc[-1] if loc else None
    owner = _model_at(model, loc[:-1]) if isinstance(name, str) else None
    info = _by_alias(owner).get(name) if owner is not None and isinstance(name, str) else None
    return next((getattr(meta, which) for meta in (info.metadata if info else ())
                 if getattr(meta, which, None) is not None), None)


def _model_at(model: type[BaseModel], loc: tuple[str | int, ...]) -> type[BaseModel] | None:
    """The model found at ``loc`` in ``model`` (None where it is not a model)."""
    current: Any = model
    for part in loc:
        current = _unwrap(current)
        if isinstance(part, int):
            args = typing.get_args(current)
            current = args[0] if args else None
        elif isinstance(current, type) and issubclass(current, BaseModel):
            info = _by_alias(current).get(part)
            current = info.annotation if info else None
        else:
            current = None
    current = _unwrap(current)
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _by_alias(model: type[BaseModel]) -> dict[str, Any]:
    return {(info.alias or name): info for name, info in model.model_fields.items()}


def _unwrap(annotation: Any) -> Any:
    """Strip Annotated, Optional and unions down to the interesting type."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            options = [a for a in typing.get_args(annotation) if a is not type(None)]
            annotation = options[0] if options else None
        else:
            return annotation


def parse_number_message(got: Any) -> tuple[str, str]:
    """The words for a value that should have been a number."""
    try:
        parse_number(got)
    except ValueError as exc:  # PydanticCustomError is a ValueError
        return str(exc), _number_hint(got)
    return f"must be a number (got {_shown(got)})", _number_hint(got)


def _number_hint(got: Any) -> str:
    """The plain number ``got`` stands for (``1,840,000``, ``$1.9M``), or how to write one."""
    if isinstance(got, str) and got.strip().endswith("%"):
        return "a plain number, without quotes"  # the message says which one already
    if isinstance(got, str) and COUNTS.fullmatch(got):
        # "without quotes" was no fix: 25/100 unquoted is the same text.
        return "counts are not accepted here; write one plain number"
    return quoted_number_hint(got) or disguised_number_hint(got) or _CUSTOM_HINTS["hs_number"]


WIDE_COMMAS = "、，､"
"""The ideographic and full-width commas Japanese, Chinese and Korean input methods type."""
_ANY_COMMA = re.compile(f"[{WIDE_COMMAS},]")


def wide_comma(text: Any) -> str | None:
    """The first ideographic or full-width comma in ``text`` (``、`` in ``山田、佐藤``), or
    None."""
    return next((c for c in WIDE_COMMAS if isinstance(text, str) and c in text), None)


def comma_items(text: str) -> list[str]:
    """``text`` split at its commas, ASCII, ideographic or full-width, as YAML splits a
    bracketed list at its ASCII ones (``山田、佐藤`` → ``山田``, ``佐藤``)."""
    return [item.strip() for item in _ANY_COMMA.split(text) if item.strip()]


def _segment_hint(got: Any) -> str:
    """How a segment written by its name (``Enterprise EMEA``) is written: its id, followed by
    the name pages are to show it by."""
    written = slugify(got) if isinstance(got, str) and not lossy(got) else ""
    if not written or written == got:
        return _slug_hint(got)
    german = _umlauts_id(got)
    if german and german != written:
        return (f"as an id it is written {_spelled_both(german, written)}; to show it as "
                f"{got.strip()}, give the name after the id: `- {german}: {got.strip()}`")
    return (f"as an id it is written {written}; to show it as {got.strip()}, give the name "
            f"after the id: `- {written}: {got.strip()}`")


def _umlauts_id(got: str) -> str:
    """``got`` as an id with ä, ö and ü spelled ae, oe and ue, as German writes them where
    they cannot be (``Vertrieb Süd`` is ``vertrieb-sued``); empty without them."""
    spelled = umlauts_spelled_out(got)
    return slugify(spelled) if spelled is not None else ""


def _spelled_both(german: str, plain: str) -> str:
    """The two ids a name with umlauts gives: dropping their dots made ``Süd`` ``sud`` and
    ``Kündigung`` ``kundigung``, which a German team would not write."""
    return f"{german} (ä, ö and ü written ae, oe and ue, as in German) or {plain}"


def _slug_hint(got: Any) -> str:
    """How a value that is not an id is written as one: its ASCII spelling (``preisdrück`` is
    ``preisdruck``, ``Vertrieb DACH`` is ``vertrieb-dach``) where it has one, so the hint
    is what to type; an id of the taxonomy by its own name is the taxonomy's id."""
    comma = wide_comma(got)
    if comma is not None:
        # `[deal、event]` is one item to YAML: the comma an input method types separates none.
        return f"`{comma}` does not separate items in YAML; write [{', '.join(comma_items(got))}]"
    if isinstance(got, str) and got.strip() and not lossy(got) and not any(
            c in got for c in "/\\"):  # a path is no name to spell out
        written = slugify(got)
        german = _umlauts_id(got)
        if written and german and german != written:
            return (f"as an id it is written {_spelled_both(german, written)}; "
                    f"{_CUSTOM_HINTS['hs_slug']}")
        if written and written != got:
            return f"as an id it is written {written}; {_CUSTOM_HINTS['hs_slug']}"
    return _CUSTOM_HINTS["hs_slug"]
