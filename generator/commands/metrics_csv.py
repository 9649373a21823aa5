"""The metrics CSV ``hindsight prep --metrics`` reads: one row per reading, as a CRM or BI
tool exports it, every problem located at its line and column in the file."""

from __future__ import annotations

import bisect
import datetime as dt
import math
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..analysis.series import ALL
from ..errors import Problems, Severity
from ..records.corpus import Reading
from ..records.formatting import month_name
from ..records.record_rules import fraction_hint, fractional_count, written_figure
from ..records.taxonomy import (
    Indicator,
    Team,
    Unit,
    did_you_mean,
    dimension_plural,
    name_key,
    retired_after,
    retired_said,
    team_named,
)
from ..records.types import (
    COUNTS,
    TOO_LARGE,
    TOO_LARGE_HINT,
    disguised_number_hint,
    out_of_range,
    percent_hint,
    percent_of_ratio,
    rate_hint,
)
from ..records.yamlpos import looks_dotted

CSV_COLUMNS = ("indicator", "segment", "value")
"""The metrics CSV: one row per reading. ``segment`` is empty for unsegmented indicators,
else a segment's id, or its name in taxonomy.yml as a CRM exports it (``Enterprise EMEA``,
in any case; an id in any case, ``NORDICS``, ``EMEA-ENT``); ``value`` is a number, or
for rates the counts as ``converted/total`` (``18/52``). The site's readings export
(`generator.site.export.READING_COLUMNS`) reads as one too: its ``all`` segment,
``computed`` flag and ``numerator`` and ``denominator`` columns are read."""
_NUMBER = re.compile(r"\s*-?(\d+(\.\d*)?|\.\d+)\s*", re.ASCII)  # ASCII digits, as YAML reads


@dataclass
class MetricsFile:
    """Readings parsed from a metrics CSV: YAML-ready values and analysis-ready readings."""

    values: dict[str, object] = field(default_factory=dict)
    readings: list[Reading] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    """What was read and left out without an error (rows of other teams, computed rows), to
    be said as the draft is written."""


def read_metrics(path: Path, shown: str, indicators: dict[str, Indicator],
                 problems: Problems, given_last: dict[str, list[str]] | None = None,
                 period: str | None = None, team: str | None = None,
                 teams: Sequence[Team] = ()) -> MetricsFile:
    """Parse a metrics CSV; every problem is located at the line and character column where
    its cell starts in the file, as an editor counts them. ``given_last``: the segments of
    each split indicator the team gave last time that validation compares this month with
    (`generator.commands.draft.segments_given_last`), which its rows must cover; an indicator
    not in it (or every one, when None) must cover the taxonomy's segments. ``period``: the
    month the draft is of, which the rows' month or date column, when the export has one,
    must be in. ``team``: the team the draft is of, one of ``teams``; when the export has a
    team column, the rows of the other teams are left out (said in `MetricsFile.notes`), a
    team it does not know is an error, and so is an export with no row of ``team``.

    The site's readings export is read as it is written: an unsegmented indicator's segment
    ``all`` is no segment; a split indicator's ``all`` (its overall value) and a row whose
    ``computed`` is true are left out, as validation computes them from the other rows; and
    a rate's ``numerator`` and ``denominator`` are its counts, which the draft writes."""
    result = MetricsFile()
    try:
        data = path.read_bytes()
    except OSError as exc:
        problems.error(shown, 1, 1, "", f"cannot be read: {exc.strerror or exc}",
                       "give a UTF-8 CSV file")
        return result
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        # At its row and column: a spreadsheet saved in its local encoding (an é in a name).
        before = data[:exc.start]
        line_start = before.rfind(b"\n") + 1
        problems.error(shown, before.count(b"\n") + 1, len(before) - line_start + 1, "",
                       f"is not UTF-8 (byte 0x{data[exc.start]:02x} here)",
                       "save it as UTF-8 (in Excel: CSV UTF-8)")
        return result
    rows, unclosed, separator = _split_rows(text)
    if unclosed is not None:
        problems.error(shown, *unclosed, "row", "a quote opens this cell and is never closed",
                       'close it; a quote inside a quoted cell is written twice ("")')
        return result
    if not rows:
        problems.error(shown, 1, 1, "", "is empty", f"start with a header row: {','.join(CSV_COLUMNS)}")
        return result
    header_row = rows[0]
    header = [_column_key(h) for h in header_row.cells]
    col = _columns(shown, header_row, header, problems)
    if col is None:
        return result
    # An export of every team (a BI tool's, or the site's readings export): the other teams'
    # rows would be written as this team's readings without a word.
    by_team = next((i for i, name in enumerate(header) if name in _TEAM_COLUMNS), None) \
        if team is not None else None

    def of_team(row: _Row) -> str | None:
        """The team the row is of (None: its team cell names no team)."""
        assert by_team is not None
        raw = row.cells[by_team] if by_team < len(row.cells) else ""
        return team_named(teams, raw)

    own = [row for row in rows[1:] if by_team is None or of_team(row) == team]
    decimal_comma, firsts = _decimal_convention(rows[1:], col["value"], separator)
    mixed = len(firsts) == 2
    read_comma: list[tuple[str, float]] = []  # values whose text a decimal comma changed
    # An export dated by row (a BI tool's month or snapshot date): its rows of another month
    # would be written as this month's readings without a word.
    dated = next((i for i, name in enumerate(header) if name in _MONTH_COLUMNS), None)
    if dated is not None and period is not None and \
            _all_of_another_month(shown, own, dated, header[dated], period, problems):
        return result
    # An export of several months that holds --period's (a BI tool's history, Hindsight's
    # own readings export): the other months' rows are left out and counted, as other teams'
    # are. An export with no row of --period is an error (above, or at each row).
    several = dated is not None and period is not None and any(
        _month_of(row.cells[dated]) == period for row in own if dated < len(row.cells))
    other_months: dict[str, int] = {}  # the rows of each other month, left out
    others: dict[str, int] = {}  # the rows of each other team, left out
    unknown = 0  # rows whose team cell names no team: each an error of its own
    overall: dict[str, tuple[int, int]] = {}  # a split indicator's `all` row, left out
    computed: dict[str, set[str | None]] = {}  # the segments of each computed row, left out
    seen: dict[tuple[str, str | None], int] = {}
    first_row: dict[str, tuple[int, int]] = {}
    segments_seen: dict[str, set[str]] = {}
    failed: set[str] = set()  # indicators with a bad row: "missing segment" would be noise
    retired: set[str] = set()  # retired indicators warned about (once each)
    # Segments written by their names or their ids in another case, read as these
    # ids, in file order; and which of the two ways the file wrote them.
    read_as: dict[str, str] = {}
    ways: set[str] = set()
    read = [*col.values(), *(i for i in (dated, by_team) if i is not None)]
    for row in rows[1:]:
        if not any(cell.strip() for cell in row.cells):
            continue
        number = row.line

        def cell(name: str, _row: list[str] = row.cells) -> str:
            index = col.get(name)
            return _row[index].strip() if index is not None and index < len(_row) else ""

        def at(name: str, _row: _Row = row) -> tuple[int, int]:
            """Where the cell of column ``name`` starts: its line and character column."""
            return _row.start_of(col.get(name, 0))

        extra = [i for i, value in enumerate(row.cells) if i >= len(header) and value.strip()]
        if extra:
            # More cells than the header names: an unquoted thousands separator ("1,200" read
            # as 1 and 200) would otherwise give a wrong reading without a word.
            problems.error(shown, *row.start_of(extra[0]), "row",
                           f"has {len(row.cells)} cells, but the header names {len(header)} "
                           "columns", _split_cell_hint(separator))
            failed.add(cell("indicator"))
            continue
        if len(row.cells) <= max(read):
            # Fewer cells than the header names: a value left out (`win-rate,enterprise`)
            # would otherwise read as a segment with nothing to measure.
            problems.error(shown, *row.end, "row",
                           f"has {len(row.cells)} cells, but the header names {len(header)} "
                           "columns", "write a cell for every column, an empty one where there "
                           "is nothing (a separator after the row's last cell)")
            failed.add(cell("indicator"))
            continue
        if by_team is not None:
            # Before its month: another team's rows are left out whatever month they are of.
            row_team = of_team(row)
            if row_team is None:
                _unknown_team(shown, row, by_team, header[by_team], teams, problems)
                unknown += 1
                continue
            if row_team != team:
                others[row_team] = others.get(row_team, 0) + 1
                continue
        if dated is not None and period is not None:
            month = _month_of(row.cells[dated].strip())
            if several and month is not None and month != period:
                other_months[month] = other_months.get(month, 0) + 1
                continue
            if not _in_period(shown, row, dated, header[dated], period, problems):
                continue
        ind_id = cell("indicator")
        indicator = indicators.get(ind_id)
        if indicator is None:
            problems.error(shown, *at("indicator"), "indicator",
                           f"{ind_id!r} is a total row, not an indicator" if _TOTAL.fullmatch(ind_id)
                           else f"unknown indicator {ind_id!r}", _suggest(ind_id, indicators))
            continue
        if (period is not None and indicator.retired is not None and ind_id not in retired
                and retired_after(indicator.retired, period)):
            # Kept, as validation keeps it: a retirement set too early is as likely.
            retired.add(ind_id)
            problems.warning(shown, *at("indicator"), "indicator",
                             f"{ind_id} was {retired_said(indicator.retired)} (taxonomy.yml), "
                             f"but this gives a reading of it for {period}",
                             "give it under the indicator that replaced it, or correct "
                             f"retired: of {ind_id} in taxonomy.yml")
        segment = cell("segment") or None
        if segment is not None and indicator.segment_by and segment.casefold() != ALL:
            # A CRM export writes a segment as the CRM and the site name it ("Enterprise
            # EMEA"), and one with no name as its id, in the CRM's case ("SMB"): read as its
            # id, which the draft writes, where it names one segment.
            names = _segment_names(indicator, indicators)
            meant = _segments_meant(segment, indicator, names)
            if len(meant) > 1:
                problems.error(shown, *at("segment"), "segment",
                               f"{segment!r} names {len(meant)} "
                               f"{dimension_plural(indicator.segment_by)} of {ind_id}: "
                               + _and(_with_name(s, names) for s in meant),
                               f"write the id of the one meant: {_and(meant, 'or')}")
                failed.add(ind_id)
                continue
            if meant and meant[0] != segment and (
                    _names_it(segment, meant[0], names) or _id_in_case(segment, meant[0])):
                ways.add("by their names" if _names_it(segment, meant[0], names)
                         else "by their ids in another case")
                read_as.setdefault(segment, meant[0])
                segment = meant[0]
        flag = cell("computed")
        if flag:
            # The readings export's computed rows (a derived indicator's, from its formula):
            # validation computes them again from the inputs the draft is given.
            is_computed = _FLAGS.get(flag.casefold())
            if is_computed is None:
                problems.error(shown, *at("computed"), "computed", f"{flag!r} is not true or false",
                               "write true for a value computed from other readings, false or "
                               "nothing for one measured")
                failed.add(ind_id)
                continue
            if is_computed:
                computed.setdefault(ind_id, set()).add(segment)
                continue
        if segment is not None and segment.casefold() == ALL and segment not in indicator.segments:
            # The readings export's `all`: no segment for an unsegmented indicator; for a
            # split one, its overall value, which validation combines from the segments.
            if indicator.segment_by:
                overall.setdefault(ind_id, at("segment"))
                continue
            segment = None
        if indicator.segment_by and segment is None:
            problems.error(shown, *at("segment"), "segment",
                           f"{ind_id} is split by {indicator.segment_by}; the segment is empty",
                           "one of: " + ", ".join(indicator.segments))
            failed.add(ind_id)
            continue
        if not indicator.segment_by and segment is not None:
            problems.error(shown, *at("segment"), "segment",
                           f"{ind_id} is not split by segment (got {segment!r})",
                           "leave the segment empty")
            failed.add(ind_id)
            continue
        if segment is not None and segment not in indicator.segments:
            problems.error(shown, *at("segment"), "segment",
                           f"{segment!r} is a total row, not a {indicator.segment_by}"
                           if _TOTAL.fullmatch(segment)
                           else f"unknown {indicator.segment_by} {segment!r}",
                           _suggest(segment, indicator.segments,
                                    _segment_names(indicator, indicators)))
            failed.add(ind_id)
            continue
        key = (ind_id, segment)
        if key in seen:
            problems.error(shown, *at("indicator"), "indicator",
                           f"{ind_id}{'/' + segment if segment else ''} is also on line "
                           f"{seen[key]}",
                           "give each reading once")
            failed.add(ind_id)
            continue
        seen[key] = number
        first_row.setdefault(ind_id, row.starts[0])
        if segment is not None:
            # Its segment is known even if its value is bad: a segment with no row at all is
            # said in the same run, not once the value is fixed.
            segments_seen.setdefault(ind_id, set()).add(segment)
        raw = cell("value")
        where, about = at("value"), "value"
        if cell("numerator") or cell("denominator"):
            counts = _counts(shown, row, col, indicator, raw, problems, decimal_comma)
            if counts is None:
                continue
            # The counts, as a record writes a rate (`"30/90"`), not the value computed
            # from them (0.333333333333), which would lose them.
            raw, where, about = counts, at("numerator"), "numerator"
        if not raw or (indicator.unit is Unit.RATE and _NO_TOTAL.fullmatch(raw)):
            # Nothing to measure this month (no deals in the segment): no reading, which the
            # draft writes as the segment with no value (`events:`), so validation knows it
            # was given, not left out; a 0 would be averaged in as a reading of 0.
            if segment is not None:
                result.values.setdefault(ind_id, {})[segment] = None  # type: ignore[index]
            else:
                # A record cannot say it either (`handoff-sla:` is refused): the reading
                # would vanish from the draft without a word.
                problems.error(shown, *where, about,
                               f"{'the value is empty' if not raw else repr(raw) + ' is no reading'}"
                               f", and {ind_id} is not split by segment: only a segment has a "
                               "'nothing to measure' form", "leave the row out, or give a value")
            continue
        written = _written_as(raw) if about == "value" else None
        if mixed and written is not None and written != firsts[0][0]:
            # `0.36` and `0,36` in one file: which of them is the file's way is a guess,
            # and a wrong one reads 43.900 as 43.9 or 43900 without a word.
            _mixed_error(shown, where, raw, written, firsts[0], problems)
            failed.add(ind_id)
            continue
        parsed = _parse_value(raw, indicator, decimal_comma)
        if isinstance(parsed, tuple) and isinstance(parsed[0], str):
            problems.error(shown, *where, about, parsed[0], str(parsed[1]))
            continue
        value, top, bottom = parsed
        kept: object = raw if top is not None else value
        if top is None and decimal_comma:
            # The text is the file's way of writing the number, not YAML's: the draft
            # writes the number read (48.250,50 as 48250.5), and nothing is asked about a
            # point, which here separates thousands.
            found = _comma_figure(value, raw, indicator,
                                  f"{ind_id}/{segment}" if segment else ind_id)
            if found is not None and found[0] is Severity.ERROR:
                problems.error(shown, *at("value"), "value", found[1], found[2])
                continue
            if found is not None:
                problems.warning(shown, *at("value"), "value", found[1], found[2])
                # Kept as written, so validating the draft asks again (`45,100` is no
                # number there) until it is settled, instead of holding a quiet 45.1.
                kept = AsWritten(raw.strip())
            elif re.search(r"[.,]", raw):
                read_comma.append((raw, value))
        elif top is None:
            # Checked as the validator checks the same text in a record: 18.000 for a deal
            # size is more likely 18,000 written the European way than 18.
            found = written_figure(value, indicator.unit.value, raw if looks_dotted(raw) else None,
                                   fractional_count(value)[1], reader="a metrics CSV",
                                   about=f"{ind_id}/{segment}" if segment else ind_id)
            if found is not None and found[0] is Severity.ERROR:
                problems.error(shown, *at("value"), "value", found[1], found[2])
                continue
            if found is not None:
                problems.warning(shown, *at("value"), "value", found[1], found[2])
                # The draft keeps it as written, so validating the draft asks again until
                # the number is settled, instead of holding a quiet 18.
                kept = AsWritten(raw)
        if segment is not None:
            result.values.setdefault(ind_id, {})[segment] = kept  # type: ignore[index]
        else:
            result.values[ind_id] = kept
        result.readings.append(Reading(ind_id, segment, value, top, bottom))
    # The draft lists an indicator's segments in the taxonomy's order, as records and the
    # site do, not the export's (a BI tool sorts them by name: enterprise, mid-market, smb).
    result.values = {
        ind_id: ({s: kept[s] for s in sorted(kept, key=_segment_rank(indicators[ind_id]))}
                 if isinstance(kept, dict) else kept)
        for ind_id, kept in result.values.items()}
    for ind_id, place in overall.items():
        if ind_id not in segments_seen and ind_id not in failed:
            # Its overall value alone: left out, the indicator would vanish without a word.
            indicator = indicators[ind_id]
            problems.error(shown, *place, "segment",
                           f"'all' is {ind_id}'s overall value, combined from its "
                           f"{indicator.segment_by}s, and no row gives one",
                           f"give a row per {indicator.segment_by}: "
                           + ", ".join(indicator.segments))
    if read_as:
        spelt: dict[str, list[str]] = {}  # each segment's spellings, in file order
        for written, segment in read_as.items():
            spelt.setdefault(segment, []).append(written)
        given = _and(sorted(ways, reverse=True), "or")  # names first
        result.notes.append(
            f"{shown}: segments given {given} were read as their ids ("
            + ", ".join(f"{_and(written)} as {segment}" for segment, written in spelt.items())
            + "), which the draft writes, as records do")
    if read_comma:
        result.notes.append(_decimal_comma_note(shown, separator, read_comma))
    totals = len([i for i in overall if i in segments_seen])
    formulas = sum(len(segs) for segs in computed.values())
    if by_team is not None and others:
        names = {t.id: t.name for t in teams}
        if not own:
            if not unknown:  # a misspelt team may be this one: said at its row
                assert team is not None
                problems.error(shown, *header_row.start_of(by_team), header[by_team],
                               f"no row is of {names.get(team, team)} (--team {team}): the "
                               f"rows are of {', '.join(names.get(t, t) for t in others)}",
                               f"export {names.get(team, team)}'s readings too, or give "
                               f"--team {next(iter(others))} to prepare its draft")
            return result
        skipped = sum(others.values())
        whose = (names.get(t, t) if len(others) == 1 else f"{names.get(t, t)} {n}"
                 for t, n in others.items())
        result.notes.append(
            f"{shown}: {skipped} row{'s' if skipped != 1 else ''} of "
            f"{'another team' if len(others) == 1 else 'other teams'} left out "
            f"({', '.join(whose)}): the draft holds {names.get(str(team), team)}'s readings")
    if other_months:
        skipped = sum(other_months.values())
        first, last = min(other_months), max(other_months)
        which = month_name(first) if first == last else \
            f"{len(other_months)} months, {month_name(first)} to {month_name(last)}"
        assert period is not None
        result.notes.append(
            f"{shown}: {skipped} row{'s' if skipped != 1 else ''} of other months left out "
            f"({which}): the draft holds {month_name(period)}'s readings")
    if totals or formulas:
        parts = [text for n, text in (
            (totals, f"{totals} overall value{'s' if totals != 1 else ''} of split indicators "
                     "(segment all)"),
            (formulas, f"{formulas} computed by a formula (computed true)")) if n]
        result.notes.append(
            f"{shown}: left out {totals + formulas} computed row"
            f"{'s' if totals + formulas != 1 else ''}, {' and '.join(parts)}: validation "
            f"computes {'them' if totals + formulas != 1 else 'it'} again from the other rows")
    if not result.values and not problems.errors:
        # A header alone is an export that came out empty, not "no readings this month"
        # (which is `hindsight prep` without --metrics).
        problems.error(shown, 1, 1, "", "has a header row and no readings",
                       "export the month's readings, one row per indicator and segment, or "
                       "leave out --metrics to prepare the draft without readings")
    for ind_id, segments in segments_seen.items():
        if ind_id in failed:
            continue
        # The segments the team gave last time, as validation expects them: a segment the
        # taxonomy gained since (or one the team never reports) is not asked for, nor one
        # written with no value that validation compares as if it were not written (none
        # at all where it wrote every segment so: that is not an indicator never given).
        wanted = given_last[ind_id] if given_last is not None and ind_id in given_last \
            else indicators[ind_id].segments
        absent = [s for s in wanted if s not in segments and s not in computed.get(ind_id, ())]
        if absent:
            problems.error(shown, *first_row[ind_id], "segment",
                           f"{ind_id} has no reading for {', '.join(absent)}",
                           "add a row per segment, so the month's overall value is complete; "
                           "a segment with nothing to measure this month (no deals) gets a row "
                           "with an empty value")
    return result


COLUMN_NAMES = {"indicator": ("indicator", "indicator id", "indikator"),
                "segment": ("segment",), "value": ("value", "wert"), "numerator": ("numerator",),
                "denominator": ("denominator",), "computed": ("computed",)}
"""The header names each column is read by, compared as `_column_key` makes them: in any
case, with a space, ``_`` or ``-`` between words (``Indicator ID``, ``indicator_id``), as CRM
and BI tools name an id column; and in German (``Indikator``, ``Wert``; ``Segment`` and
``Team`` are the same words), each the one word for its column. Not ``metric``: those tools
also call the number a metric (Google Analytics' metrics and dimensions), so a column named
so may hold the value."""


def _column_key(name: str) -> str:
    """A header cell as `COLUMN_NAMES` and `_MONTH_COLUMNS` name it (``Indicator_ID`` →
    ``indicator id``)."""
    return re.sub(r"[\s_-]+", " ", name.strip()).casefold()


def _columns(shown: str, header_row: _Row, header: list[str],
             problems: Problems) -> dict[str, int] | None:
    """The index of each column of `CSV_COLUMNS` the header names; None (with its error)
    when it names no indicator or no value column, or one column twice (``Indicator`` and
    ``Indicator ID``: a name beside its id, and which to read is a guess)."""
    col: dict[str, int] = {}
    twice: list[str] = []
    for name, accepted in COLUMN_NAMES.items():
        found = [i for i, key in enumerate(header) if key in accepted]
        if len(found) > 1:
            first, second = (header_row.cells[i].strip() for i in found[:2])
            problems.error(shown, *header_row.start_of(found[1]), "header",
                           f"{first!r} and {second!r} both name the {name} column",
                           f"keep the one holding {_COLUMN_EXAMPLES[name]}, and rename or "
                           "remove the other")
            twice.append(name)
        elif found:
            col[name] = found[0]
    missing = [name for name in ("indicator", "value") if name not in col and name not in twice]
    if missing:
        got = ", ".join(cell.strip() for cell in header_row.cells if cell.strip())
        problems.error(shown, *header_row.starts[0], "header",
                       f"has no {' or '.join(missing)} column: the header row names "
                       f"{got or 'none'}", _HEADER_HINT)
    return None if twice or missing else col


_COLUMN_EXAMPLES = {"indicator": "taxonomy.yml's indicator ids",
                    "segment": "taxonomy.yml's segment ids or names", "value": "the readings",
                    "numerator": "a rate's count on top", "denominator": "a rate's count below",
                    "computed": "true or false"}
_FLAGS = {"true": True, "false": False, "yes": True, "no": False, "1": True, "0": False}
"""How a ``computed`` cell is read (in any case): the readings export writes True and False."""
_WHOLE = re.compile(r"\s*(\d+)(?:\.0*)?\s*", re.ASCII)
"""A count as an export writes it: 30, or 30.0."""
_HEADER_HINT = ("name the columns indicator or indicator id, segment, and value, in any "
                "case and order: Indicator ID,Segment,Value")
_TEAM_COLUMNS = ("team", "team id", "team name")
"""Names of a column giving each row's team (the first one the header has): its id, its name
or an alias in taxonomy.yml, in any case (``Customer Success``, ``customer-success``)."""
_MONTH_COLUMNS = ("month", "period", "date", "monat")
"""Names of a column giving each row's month, or a day in it (the first one the header has),
``Monat`` as a German export names it."""
_MONTH = re.compile(r"(\d{4})-(\d{1,2})(?:-(\d{1,2})(?:[T ][\d:.]+(?:Z|[+-][\d:]+)?)?)?")
"""A month (2026-11) or a date in it (2026-11-30, with a time as BI tools write a timestamp)."""


_DOTTED = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")
"""A day as German (and most of Europe's) spreadsheets write it: ``30.11.2026``, day first.
A date with slashes is not read: ``11/10/2026`` is October or November by the writer's
country."""


def _month_of(raw: str) -> str | None:
    """The month ``raw`` names (``2026-11-30`` or ``30.11.2026`` → ``2026-11``), or None when
    it names none."""
    dotted = _DOTTED.fullmatch(raw.strip())
    found = _MONTH.fullmatch(raw.strip())
    if dotted is not None:
        day, month, year = (int(part) for part in dotted.groups())
    elif found is not None:
        year, month, day = (int(part) if part else 1 for part in found.groups())
    else:
        return None
    try:
        dt.date(year, month, day)
    except ValueError:
        return None
    return f"{year:04d}-{month:02d}"


def _all_of_another_month(shown: str, rows: list[_Row], dated: int, name: str, period: str,
                          problems: Problems) -> bool:
    """Whether every row is of one month that is not ``period`` (an export of last month,
    or the draft asked for the wrong one): said once, at the first row, not at each."""
    given = [row for row in rows if any(cell.strip() for cell in row.cells)]
    months = {_month_of(row.cells[dated]) if dated < len(row.cells) else None for row in given}
    if len(months) != 1 or None in months or period in months:
        return False
    other = str(next(iter(months)))
    problems.error(shown, *given[0].start_of(dated), name,
                   f"every row is of {month_name(other)}, not of --period {period}",
                   f"export {month_name(period)}'s readings, or give --period {other} to "
                   f"prepare {month_name(other)}'s draft")
    return True


def _segment_rank(indicator: Indicator) -> Callable[[str], int]:
    """A sort key putting ``indicator``'s segments in the taxonomy's order."""
    rank = {segment: i for i, segment in enumerate(indicator.segments)}
    return lambda segment: rank.get(segment, len(rank))


def _unknown_team(shown: str, row: _Row, index: int, name: str, teams: Sequence[Team],
                  problems: Problems) -> None:
    """The error for a row whose team cell names no team of taxonomy.yml, at that cell."""
    raw = row.cells[index].strip() if index < len(row.cells) else ""
    ids = sorted(t.id for t in teams)
    if raw:
        # Compared as an id is written, so `Slaes` is asked about as sales.
        problems.error(shown, *row.start_of(index), name, f"unknown team {raw!r}",
                       did_you_mean(re.sub(r"[\s_]+", "-", raw.casefold()),
                                    {*ids, *(a for t in teams for a in t.aliases)},
                                    "A team taxonomy.yml does not have is added there, or "
                                    "its rows left out"))
    else:
        problems.error(shown, *row.start_of(index), name, "the team is empty",
                       f"write the row's team as taxonomy.yml names it: {', '.join(ids)}, "
                       "or a team's name")


def _in_period(shown: str, row: _Row, dated: int, name: str, period: str,
               problems: Problems) -> bool:
    """Whether ``row``'s month is ``period``; else its error, at its month's cell."""
    raw = row.cells[dated].strip() if dated < len(row.cells) else ""
    month = _month_of(raw)
    if month == period:
        return True
    if month is None:
        problems.error(shown, *row.start_of(dated), name,
                       f"{raw!r} is not a month" if raw else "the month is empty",
                       f"write the row's month as {period}, or a date in it as {period}-01")
    else:
        problems.error(shown, *row.start_of(dated), name,
                       f"{raw!r} is in {month_name(month)}, not in --period {period}",
                       f"leave out the rows of other months: the draft holds "
                       f"{month_name(period)}'s readings")
    return False


def _counts(shown: str, row: _Row, col: dict[str, int], indicator: Indicator, value: str,
            problems: Problems, decimal_comma: bool = False) -> str | None:
    """A rate's counts from the row's ``numerator`` and ``denominator`` cells, written as a
    record writes them (``30/90``); None, with its error, when they cannot be read, are not
    a rate's, or the row's ``value`` is not what they make."""
    cells = {name: row.cells[col[name]].strip() if name in col and col[name] < len(row.cells)
             else "" for name in ("numerator", "denominator")}
    given = next(name for name, text in cells.items() if text)
    if indicator.unit is not Unit.RATE:
        problems.error(shown, *row.start_of(col[given]), given,
                       f"{indicator.id} is not a rate: a {given} is a rate's count",
                       "leave the numerator and denominator empty, and give the value")
        return None
    counts: list[int] = []
    for name, text in cells.items():
        whole = _WHOLE.fullmatch(text)
        if whole is None:
            problems.error(shown, *row.start_of(col.get(name, col[given])), name,
                           f"{text!r} is not a count" if text else f"the {name} is empty"
                           if name in col else f"the header names no {name} column",
                           "a rate's numerator and denominator are whole numbers (30 and 90 "
                           "for 30/90 deals), both given or neither")
            return None
        counts.append(int(whole.group(1)))
    top, bottom = counts
    parsed = _parse_value(value, indicator, decimal_comma) if value else None
    if isinstance(parsed, tuple) and isinstance(parsed[0], str):
        problems.error(shown, *row.start_of(col["value"]), "value", parsed[0], str(parsed[1]))
        return None
    if parsed is not None and bottom and \
            not math.isclose(float(parsed[0]), top / bottom, rel_tol=1e-9, abs_tol=1e-12):
        # Twelve significant digits, as the readings export writes a value, agree.
        problems.error(shown, *row.start_of(col["value"]), "value",
                       f"{value!r} is not {top}/{bottom} ({top / bottom:.12g}), the row's "
                       "numerator and denominator",
                       "give the value those counts make, or leave it empty")
        return None
    return f"{top}/{bottom}"


_NUMBER_HINT = 'write a plain number like 41200, or for a rate 0.31 or "18/52"'
_NO_TOTAL = re.compile(r"0+\s*/\s*0+")
"""A rate's counts with a total of none: no deals in the segment this month."""


def _parse_value(
    raw: str, indicator: Indicator, decimal_comma: bool = False
) -> tuple[float, int | None, int | None] | tuple[str, str]:
    """The value, numerator and denominator; or (message, hint) when it cannot be read.
    ``decimal_comma``: the file writes numbers with a decimal comma and a point between
    thousands (``48.250,50``), as spreadsheets in much of Europe do."""
    fraction = COUNTS.fullmatch(raw)
    if fraction and indicator.unit is Unit.RATE:
        top, bottom = int(fraction.group(1)), int(fraction.group(2))
        if bottom == 0 or top > bottom:
            return f"{raw!r} is not a rate between 0 and 1", fraction_hint(top, bottom)[0]
        return top / bottom, top, bottom
    number = _point_form(raw) if decimal_comma else raw
    if indicator.percent and percent_of_ratio(raw) is not None:
        # A ratio shown as a percentage, typed as its pages show it: 104% is 1.04.
        return float(percent_of_ratio(raw) or 0.0), None, None
    if number is None or not _NUMBER.fullmatch(number):
        return ((f"{raw!r} is not a number" if raw else "the value is empty"),
                _not_a_number_hint(raw, indicator))
    value = float(number)
    if out_of_range(value):
        return TOO_LARGE.format(got=raw if len(raw) <= 20 else raw[:17] + "..."), TOO_LARGE_HINT
    if indicator.unit is Unit.RATE and not 0 <= value <= 1:
        return f"a rate must be between 0 and 1 (got {value:g})", rate_hint(value)
    if value < 0 and indicator.unit is not Unit.RATIO:
        return f"must not be negative (got {value:g})", "check the sign"
    return value, None, None  # a count's fraction is `written_figure`'s to refuse


_COMMA_NUMBER = re.compile(r"\s*([+-]?)(\d{1,3}(?:\.\d{3})+|\d*)(?:,(\d*))?\s*")
"""A number written with a decimal comma, a point between thousands or not (``48.250,50``,
``43.900``, ``0,36``, ``41200``)."""
_SAME_EITHER_WAY = re.compile(r"[1-9]\d{0,2}[.,]\d{3}")
"""``43.900`` or ``45,100``: a thousands separator one way, a decimal mark the other, so
it tells nothing of which way the file writes numbers."""
_CLEAR = {
    "comma": re.compile(r"\d{1,3}(?:\.\d{3})+,\d*|\d{1,3}(?:\.\d{3}){2,}|\d*,\d+"),
    "point": re.compile(r"\d{1,3}(?:,\d{3})+\.\d*|\d{1,3}(?:,\d{3}){2,}|\d*\.\d+"),
}
"""A number only one way of writing numbers writes: with a decimal comma (``0,36``,
``48.250,50``, ``1.234.567``) or a decimal point (``0.36``, ``48,250.50``)."""


def _written_as(raw: str) -> str | None:
    """Which way ``raw`` is clearly written, "comma" (a decimal comma) or "point"; None for a
    whole number, ``43.900`` or ``45,100`` (either way), or what is no number."""
    text = raw.strip().lstrip("+-")
    if _SAME_EITHER_WAY.fullmatch(text):
        return None
    return next((way for way, clear in _CLEAR.items() if clear.fullmatch(text)), None)


def _decimal_convention(rows: Sequence[_Row], value: int, separator: str
                        ) -> tuple[bool, list[tuple[str, int, str]]]:
    """Whether the file writes numbers with a decimal comma; and the first value written
    clearly each way (`_written_as`), in file order, as (way, line, text).

    A file split by commas keeps the decimal point (a comma in its numbers is quoted, and
    ``"1,200"`` is asked about). One split by ``;`` is how Excel in much of Europe writes
    CSV, because the comma is its decimal mark: a decimal comma unless its numbers are
    clearly written with a point. One split by tabs takes the way its numbers are clearly
    written, a point when none is."""
    firsts: list[tuple[str, int, str]] = []
    if separator != ",":
        for row in rows:
            raw = row.cells[value] if value < len(row.cells) else ""
            way = _written_as(raw)
            if way is not None and all(way != first[0] for first in firsts):
                firsts.append((way, row.starts[value][0], raw.strip()))
    if not firsts:
        return separator == ";", firsts
    return firsts[0][0] == "comma", firsts


def _point_form(raw: str) -> str | None:
    """A number written with a decimal comma as Python reads it (``48.250,50`` →
    ``48250.50``); None when it is not written so."""
    found = _COMMA_NUMBER.fullmatch(raw)
    if found is None or not (found.group(2) or found.group(3)):
        return None
    sign, whole, decimals = found.groups()
    return f"{sign}{whole.replace('.', '') or '0'}{'.' + decimals if decimals else ''}"


def _mixed_error(shown: str, where: tuple[int, int], raw: str, way: str,
                 first: tuple[str, int, str], problems: Problems) -> None:
    """The error for a value written the other way than the file's first clear one: a
    decimal point in a file of decimal commas, or the reverse."""
    mark = {"comma": "a decimal comma", "point": "a decimal point"}
    _, line, example = first

    def turned(text: str, written: str) -> str:
        """``text`` written the other way, with no thousands separator (``48250.50``)."""
        if written == "comma":
            return _point_form(text) or text
        return text.replace(",", "").replace(".", ",")

    problems.error(shown, *where, "value",
                   f"{raw.strip()!r} has {mark[way]}, but {example!r} on line {line} has "
                   f"{mark[first[0]]}: the file writes numbers both ways",
                   f"write the file's numbers one way: {turned(raw.strip(), way)} for "
                   f"{raw.strip()}, as line {line} writes them, or {turned(example, first[0])} "
                   f"on line {line}")


def _comma_figure(value: float, raw: str, indicator: Indicator, about: str
                  ) -> tuple[Severity, str, str] | None:
    """What is wrong with a count, money or days read with a decimal comma, if anything:
    `written_figure`'s check turned about. ``43.900`` is asked nothing (a point separates
    thousands here), and ``45,100`` is asked about as ``45.100`` is where the point is a
    decimal point: three decimals are rare in these units, so a comma between thousands is
    as likely."""
    text = raw.strip().lstrip("+")
    if not _SAME_EITHER_WAY.fullmatch(text) or value.is_integer():
        return written_figure(value, indicator.unit.value, None, fractional_count(value)[1],
                              reader="a metrics CSV", about=about)
    if indicator.unit not in (Unit.COUNT, Unit.USD, Unit.USD_PER_DAY, Unit.DAYS):
        return None
    thousands = int(text.replace(",", ""))
    if indicator.unit is Unit.COUNT:
        return (Severity.ERROR, f"a count must be a whole number ({text} for {about} reads "
                f"as {value:g}: in this file the comma is a decimal comma)",
                f"if it means {thousands:,}, write {thousands}")
    return (Severity.WARNING, f"{text} for {about} reads as {value:g}: in this file the comma "
            "is a decimal comma", f"if it means {thousands:,}, write {thousands}; if "
            f"{value:g}, write {f'{value:g}'.replace('.', ',')}")


def _decimal_comma_note(shown: str, separator: str, read: list[tuple[str, float]]) -> str:
    """The note that the numbers were read with a decimal comma, with how the first of each
    kind was read (``0,36 as 0.36``, ``43.900 as 43900``)."""
    kinds = [next((pair for pair in read if "," in pair[0]), None),
             next((pair for pair in read if "," not in pair[0]), None)]
    shown_as = ", ".join(f"{raw.strip()} as {value:.12g}" for raw, value in
                         (k for k in kinds if k is not None))
    why = "as Excel in much of Europe writes them in a file split by semicolons" \
        if separator == ";" else "as the file's numbers are written"
    return (f"{shown}: numbers were read with a decimal comma ({shown_as}), {why}; a point "
            "in them separates thousands")


_TOTAL = re.compile(r"(grand\s*|sub\s*-?\s*)?totals?", re.IGNORECASE)
"""A spreadsheet's total row (``Total``, ``Grand Total``) left in the export."""


def _segment_names(indicator: Indicator, indicators: dict[str, Indicator]) -> dict[str, str]:
    """The names of ``indicator``'s segments, given on any indicator split alike (a name is
    the segment's wherever its dimension splits an indicator)."""
    return {segment: name for other in indicators.values()
            if other.segment_by == indicator.segment_by
            for segment, name in other.segment_names.items() if segment in indicator.segments}


def _segments_meant(written: str, indicator: Indicator, names: dict[str, str]) -> list[str]:
    """The segments of ``indicator`` that ``written`` may mean, in the taxonomy's order: the
    one whose id it is, or whose name (``names``) it is exactly or in another case, and one
    whose id it is written in another case or with spaces (``SMB``, ``Tier 1``), which is
    read as it only where `_id_in_case` says so, else told its id. More than one: which is
    meant is a guess."""
    as_id = re.sub(r"[\s_]+", "-", written.strip()).casefold()
    return [segment for segment in indicator.segments
            if segment in (written, as_id) or _names_it(written, segment, names)]


def _names_it(written: str, segment: str, names: dict[str, str]) -> bool:
    """Whether ``written`` is ``segment`` itself or its name, exactly or in another case,
    with spaces around it (`` smb ``, ``enterprise emea`` for ``Enterprise EMEA``)."""
    name = names.get(segment)
    return written == segment or (
        name is not None and name.strip().casefold() == written.strip().casefold())


def _id_in_case(written: str, segment: str) -> bool:
    """Whether ``written`` is the id of ``segment`` in another case, with spaces around it
    (``SMB``, `` Nordics `` for ``nordics``, ``EMEA-ENT`` for ``emea-ent`` named Enterprise
    EMEA), as a name is read: an unnamed segment's id is what the site shows of it, so what a
    CRM is given to show, and a named one's id in capitals is still plainly that id. An id
    otherwise spaced (``Tier 1`` for ``tier-1``) is no such spelling and stays an error, told
    the id."""
    return written.strip().casefold() == segment.casefold()


def _with_name(segment: str, names: dict[str, str]) -> str:
    """A segment's id, with its name beside it where it has one: ``emea-ent (named
    Enterprise EMEA)``."""
    return f"{segment} (named {names[segment]})" if segment in names else segment


def _and(words: Iterable[str], joined: str = "and") -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    listed = list(words)
    return listed[0] if len(listed) == 1 else f"{', '.join(listed[:-1])} {joined} {listed[-1]}"


def _suggest(word: str, known: Iterable[str], names: dict[str, str] | None = None) -> str:
    """The hint for an unknown indicator or segment: a total row is removed; an id written
    in another case or with spaces (``SMB``, ``Tier 1``) is named, as difflib does not; a
    segment written by its name otherwise spaced (``Enterprise-EMEA``), or close to an id or a
    name, is told both; with nothing close, the segments are listed with their names, which
    a CRM export may give as well as the ids."""
    if _TOTAL.fullmatch(word):
        return "remove the total row: prep sums nothing"
    choices = list(known)
    same = [c for c in sorted(choices) if c == re.sub(r"[\s_]+", "-", word.strip()).casefold()]
    if same:
        return f"did you mean {same[0]}?"
    names = names or {}
    named = [segment for segment, name in names.items() if name_key(name) == name_key(word)]
    if named:
        return f"did you mean {names[named[0]]} ({named[0]})?"
    hint = did_you_mean(word, {*choices, *names.values()})
    if not names:
        return hint
    of_name = {name: segment for segment, name in names.items()}
    close = re.fullmatch(r"did you mean (.*)\?", hint)
    if close is not None:
        meant = close.group(1)
        return f"did you mean {meant} ({of_name[meant]})?" if meant in of_name \
            else f"did you mean {_with_name(meant, names)}?"
    # Nothing close: every segment, in the taxonomy's order, by id and name.
    more = len(choices) - 8
    return "known: " + ", ".join(f"{s} ({names[s]})" if s in names else s
                                 for s in choices[:8]) + (f" and {more} more" if more > 0 else "")


def _not_a_number_hint(raw: str, indicator: Indicator) -> str:
    """How to write ``raw`` as the number ``indicator``'s unit takes."""
    if raw.upper() == "#DIV/0!":
        # The spreadsheet divided by a total of 0: nothing to measure, which only a
        # segment can say.
        if not indicator.segment_by:
            return "the spreadsheet divided by 0: give the value, or leave the row out"
        return ("leave it empty or write 0/0 for a rate with nothing to measure"
                if indicator.unit is Unit.RATE
                else "leave it empty for a segment with nothing to measure")
    if indicator.unit is Unit.COUNT:
        counts = COUNTS.fullmatch(raw)
        if counts:
            # "18/52" is how a rate is written; a count is one of the two numbers.
            return f"{indicator.id} is a count: write the one number counted, a whole number"
        grouped = re.fullmatch(r"\s*(\d{1,3}(?:,\d{3})+)\s*", raw)
        if grouped:
            # 1,234 is a thousand and more: a count is whole, so it is not 1.234.
            return f"write {grouped.group(1).replace(',', '')} for {raw.strip()}: a plain " \
                   "number, with no thousands separator"
    if indicator.percent and percent_hint(raw) is not None:
        return str(percent_hint(raw))
    return disguised_number_hint(raw, rate=indicator.unit is Unit.RATE,
                                 ratio=indicator.unit is Unit.RATIO) or _NUMBER_HINT


class AsWritten(str):
    """A number kept in the draft as the CSV wrote it (``18.000``): written plain, not quoted."""


@dataclass(frozen=True)
class _Row:
    """One record of the CSV: its cells, where each starts, and where the record ends."""

    cells: list[str]
    starts: list[tuple[int, int]]
    """The line and character column (both from 1) where each cell starts in the file."""
    end: tuple[int, int]
    """The line and column just past the record's last character: where a missing cell goes."""

    @property
    def line(self) -> int:
        """The line the record starts on (a quoted cell may take it over several lines)."""
        return self.starts[0][0]

    def start_of(self, index: int) -> tuple[int, int]:
        """Where cell ``index`` starts; for a cell the row does not have, where it would go."""
        return self.starts[index] if index < len(self.starts) else self.end


def _split_cell_hint(separator: str) -> str:
    """How to keep a value whole in a file split by ``separator``: a comma file's thousands
    separator splits a number; in a file split by semicolons or tabs, "1,200" is one cell
    (a decimal comma there), and only the file's own separator splits one."""
    if separator == ",":
        return 'quote a value that holds a comma ("1,200"), or write it without one (1200)'
    named = {";": "a semicolon", "\t": "a tab"}.get(separator, f"a {separator!r}")
    return f"quote a value that holds {named}, the file's separator, or write it without one"


_SEPARATOR_LINE = re.compile(r"[ \t]*sep=(.)[ \t]*", re.IGNORECASE)
"""Excel's first line naming the separator (``sep=;``), which it writes and honours."""
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def _split_rows(text: str) -> tuple[list[_Row], tuple[int, int] | None, str]:
    """The file's records with the position of every cell (blank lines left out), as Excel
    and Python's csv module split them; or where a quote opens a cell it never closes; and
    the separator they are split by.

    The csv module says neither where a cell starts (the line it reports for a record that
    holds a quoted line break is where the record ends) nor that a quote was never closed
    (it reads the rest of the file into the cell), so the split is done here."""
    breaks = [0] + [m.end() for m in _LINE_BREAK.finditer(text)]

    def position(offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(breaks, offset)
        return line, offset - breaks[line - 1] + 1

    first = next((m for m in re.finditer(r"[^\r\n]*", text) if m.group().strip()), None)
    offset = 0
    separator = None
    if first is not None:
        named = _SEPARATOR_LINE.fullmatch(first.group())
        if named:
            separator = named.group(1)
            offset = first.end()
        else:
            # The separator the header uses most, outside quotes (a column named
            # "Notes, comments" in a file split by `;`); a comma where it is a tie.
            separator = max(",;\t", key=lambda sep: len(_split_record(text, first.start(),
                                                                        sep)[0]))
    rows: list[_Row] = []
    while offset < len(text):
        gap = _LINE_BREAK.match(text, offset)
        if gap:  # a blank line
            offset = gap.end()
            continue
        starts, cells, end = _split_record(text, offset, separator or ",")
        if end is None:
            return rows, position(starts[-1]), separator or ","
        ended = _LINE_BREAK.match(text, end)
        rows.append(_Row(cells, [position(start) for start in starts], position(end)))
        offset = ended.end() if ended else end
    return rows, None, separator or ","


def _split_record(text: str, offset: int, separator: str) -> tuple[list[int], list[str], int | None]:
    """The cells of the record at ``offset``: where each starts, their text, and where the
    record ends (None: a quoted cell is never closed, and starts[-1] is where it opens).

    As Excel writes them: a cell that starts with a quote runs to the next lone quote (``""``
    in it is one quote, a line break is kept); any other cell to the next separator or line
    break."""
    stop = re.compile(f"[{re.escape(separator)}\\r\\n]")
    starts: list[int] = []
    cells: list[str] = []
    while True:
        starts.append(offset)
        kept = ""
        if text.startswith('"', offset):
            quoted = _QUOTED.match(text, offset)
            if quoted is None:
                return starts, cells, None
            kept, offset = quoted.group(1).replace('""', '"'), quoted.end()
        found = stop.search(text, offset)
        end = found.start() if found else len(text)
        cells.append(kept + text[offset:end])
        offset = end
        if not text.startswith(separator, offset):
            return starts, cells, offset
        offset += len(separator)


_QUOTED = re.compile(r'"((?:[^"]|"")*)"')
