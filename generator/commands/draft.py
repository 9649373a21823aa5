"""``hindsight prep``: next month's retro draft with the numbers, the agenda and the carry-over.

The draft holds the month's readings (from a CSV export, when given), the indicators that
moved the wrong way against last month and the trailing 3-month mean, the team's open and
overdue actions carried over by id, and the causes cited in the last three months.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..analysis.analyze import ALL, COLUMNS, Mover, add_overall, trends, wrong_way
from ..analysis.link import Links
from ..errors import Problems, Severity
from ..records.actions import ActionState
from ..records.corpus import KnowledgeBase, Reading
from ..records.derived import derive
from ..records.formatting import format_delta, format_value, month_name
from ..records.record_rules import fraction_hint, fractional_count, written_figure
from ..records.schema import Retro, RetroFormat
from ..records.taxonomy import Indicator, Unit, did_you_mean
from ..records.types import (
    COUNTS,
    TOO_LARGE,
    TOO_LARGE_HINT,
    disguised_number_hint,
    out_of_range,
    previous_month,
    rate_hint,
)
from ..records.yamlpos import looks_dotted
from ..site.figures import record_month
from ..site.render import render_template
from .skeleton import DEFAULT_RETRO_FORMAT, earlier_ids, examples, record_file, retro_title, write_new

CSV_COLUMNS = ("indicator", "segment", "value")
"""The metrics CSV: one row per reading. ``segment`` is empty for unsegmented indicators;
``value`` is a number, or for rates the counts as ``converted/total`` (``18/52``)."""
_NUMBER = re.compile(r"\s*-?(\d+(\.\d*)?|\.\d+)\s*")


@dataclass
class MetricsFile:
    """Readings parsed from a metrics CSV: YAML-ready values and analysis-ready readings."""

    values: dict[str, object] = field(default_factory=dict)
    readings: list[Reading] = field(default_factory=list)


def read_metrics(path: Path, shown: str, indicators: dict[str, Indicator],
                 problems: Problems, given_last: dict[str, list[str]] | None = None) -> MetricsFile:
    """Parse a metrics CSV; every problem is located by row and column. ``given_last``: the
    segments of each indicator the team gave last time, which a split indicator's rows must
    cover (by default, every segment of the taxonomy)."""
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
    # A spreadsheet set to a European language writes `;` between cells (its decimal comma
    # would be read as one), some exports a tab: the header row says which.
    header_line = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = max((";", "\t"), key=header_line.count) \
        if header_line.count(",") == 0 and (";" in header_line or "\t" in header_line) else ","
    rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    if not rows:
        problems.error(shown, 1, 1, "", "is empty", f"start with a header row: {','.join(CSV_COLUMNS)}")
        return result
    header = [h.strip().lower() for h in rows[0]]
    missing = [c for c in ("indicator", "value") if c not in header]
    if missing:
        problems.error(shown, 1, 1, "header", f"has no {' or '.join(missing)} column",
                       f"the header row is: {','.join(CSV_COLUMNS)}")
        return result
    col = {name: header.index(name) for name in CSV_COLUMNS if name in header}
    seen: dict[tuple[str, str | None], int] = {}
    first_row: dict[str, int] = {}
    segments_seen: dict[str, set[str]] = {}
    failed: set[str] = set()  # indicators with a bad row: "missing segment" would be noise
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue

        def cell(name: str, _row: list[str] = row) -> str:
            index = col.get(name)
            return _row[index].strip() if index is not None and index < len(_row) else ""

        def at(name: str) -> int:
            return col.get(name, 0) + 1

        extra = [i for i, value in enumerate(row) if i >= len(header) and value.strip()]
        if extra:
            # More cells than the header names: an unquoted thousands separator ("1,200" read
            # as 1 and 200) would otherwise give a wrong reading without a word.
            problems.error(shown, number, extra[0] + 1, "row",
                           f"has {len(row)} cells, but the header names {len(header)} columns",
                           "quote a value that holds a comma (\"1,200\"), or write it without "
                           "one (1200)")
            failed.add(cell("indicator"))
            continue
        ind_id = cell("indicator")
        indicator = indicators.get(ind_id)
        if indicator is None:
            problems.error(shown, number, at("indicator"), "indicator",
                           f"unknown indicator {ind_id!r}", did_you_mean(ind_id, set(indicators)))
            continue
        segment = cell("segment") or None
        if indicator.segment_by and segment is None:
            problems.error(shown, number, at("segment"), "segment",
                           f"{ind_id} is split by {indicator.segment_by}; the segment is empty",
                           "one of: " + ", ".join(indicator.segments))
            failed.add(ind_id)
            continue
        if not indicator.segment_by and segment is not None:
            problems.error(shown, number, at("segment"), "segment",
                           f"{ind_id} is not split by segment (got {segment!r})",
                           "leave the segment empty")
            failed.add(ind_id)
            continue
        if segment is not None and segment not in indicator.segments:
            problems.error(shown, number, at("segment"), "segment",
                           f"unknown {indicator.segment_by} {segment!r}",
                           did_you_mean(segment, set(indicator.segments)))
            failed.add(ind_id)
            continue
        key = (ind_id, segment)
        if key in seen:
            problems.error(shown, number, at("indicator"), "indicator",
                           f"{ind_id}{'/' + segment if segment else ''} is also on row {seen[key]}",
                           "give each reading once")
            failed.add(ind_id)
            continue
        seen[key] = number
        first_row.setdefault(ind_id, number)
        if segment is not None:
            # Its segment is known even if its value is bad: a segment with no row at all is
            # said in the same run, not once the value is fixed.
            segments_seen.setdefault(ind_id, set()).add(segment)
        raw = cell("value")
        if not raw or (indicator.unit is Unit.RATE and _NO_TOTAL.fullmatch(raw)):
            # Nothing to measure this month (no deals in the segment): no reading, which the
            # draft writes as the segment with no value (`events:`), so validation knows it
            # was given, not left out; a 0 would be averaged in as a reading of 0.
            if segment is not None:
                result.values.setdefault(ind_id, {})[segment] = None  # type: ignore[index]
            continue
        parsed = _parse_value(raw, indicator)
        if isinstance(parsed, tuple) and isinstance(parsed[0], str):
            problems.error(shown, number, at("value"), "value", parsed[0], str(parsed[1]))
            continue
        value, top, bottom = parsed
        kept: object = raw if top is not None else value
        if top is None:
            # Checked as the validator checks the same text in a record: 18.000 for a deal
            # size is more likely 18,000 written the European way than 18.
            found = written_figure(value, indicator.unit.value, raw if looks_dotted(raw) else None,
                                   fractional_count(value)[1], reader="a metrics CSV",
                                   about=f"{ind_id}/{segment}" if segment else ind_id)
            if found is not None and found[0] is Severity.ERROR:
                problems.error(shown, number, at("value"), "value", found[1], found[2])
                continue
            if found is not None:
                problems.warning(shown, number, at("value"), "value", found[1], found[2])
                # The draft keeps it as written, so validating the draft asks again until
                # the number is settled, instead of holding a quiet 18.
                kept = _AsWritten(raw)
        if segment is not None:
            result.values.setdefault(ind_id, {})[segment] = kept  # type: ignore[index]
        else:
            result.values[ind_id] = kept
        result.readings.append(Reading(ind_id, segment, value, top, bottom))
    if not result.readings and not problems.errors:
        # A header alone is an export that came out empty, not "no readings this month"
        # (which is `hindsight prep` without --metrics).
        problems.error(shown, 1, 1, "", "has a header row and no readings",
                       "export the month's readings, one row per indicator and segment, or "
                       "leave out --metrics to prepare the draft without readings")
    for ind_id, segments in segments_seen.items():
        if ind_id in failed:
            continue
        # The segments the team gave last time, as validation expects them: a segment the
        # taxonomy gained since (or one the team never reports) is not asked for.
        wanted = (given_last or {}).get(ind_id) or indicators[ind_id].segments
        absent = [s for s in wanted if s not in segments]
        if absent:
            problems.error(shown, first_row[ind_id], 1, "segment",
                           f"{ind_id} has no reading for {', '.join(absent)}",
                           "add a row per segment, so the month's overall value is complete; "
                           "a segment with nothing to measure this month (no deals) gets a row "
                           "with an empty value")
    return result


_NUMBER_HINT = 'write a plain number like 41200, or for a rate 0.31 or "18/52"'
_NO_TOTAL = re.compile(r"0+\s*/\s*0+")
"""A rate's counts with a total of none: no deals in the segment this month."""


def _parse_value(
    raw: str, indicator: Indicator
) -> tuple[float, int | None, int | None] | tuple[str, str]:
    """The value, numerator and denominator; or (message, hint) when it cannot be read."""
    fraction = COUNTS.fullmatch(raw)
    if fraction and indicator.unit is Unit.RATE:
        top, bottom = int(fraction.group(1)), int(fraction.group(2))
        if bottom == 0 or top > bottom:
            return f"{raw!r} is not a rate between 0 and 1", fraction_hint(top, bottom)[0]
        return top / bottom, top, bottom
    if not _NUMBER.fullmatch(raw):
        return ((f"{raw!r} is not a number" if raw else "the value is empty"),
                disguised_number_hint(raw, rate=indicator.unit is Unit.RATE) or _NUMBER_HINT)
    value = float(raw)
    if out_of_range(value):
        return TOO_LARGE.format(got=raw if len(raw) <= 20 else raw[:17] + "..."), TOO_LARGE_HINT
    if indicator.unit is Unit.RATE and not 0 <= value <= 1:
        return f"a rate must be between 0 and 1 (got {value:g})", rate_hint(value)
    if value < 0 and indicator.unit is not Unit.RATIO:
        return f"must not be negative (got {value:g})", "check the sign"
    return value, None, None  # a count's fraction is `written_figure`'s to refuse


class _AsWritten(str):
    """A number kept in the draft as the CSV wrote it (``18.000``): written plain, not quoted."""


@dataclass
class AgendaItem:
    """An indicator that moved the wrong way, with its numbers."""

    label: str
    segment: str
    value: str
    prior: str
    """The prior reading, with its month when that is not the month before (after a pause)."""
    trailing: str
    vs_prior: str
    vs_trailing: str


def agenda(kb: KnowledgeBase, readings: pd.DataFrame, team: str, period: str,
           metrics: MetricsFile | None) -> tuple[str, list[AgendaItem], list[AgendaItem]]:
    """The wrong-way movers for the draft: this month's if readings were given, else last's;
    and the readings back after a pause (no 3-month trend yet) that are worse than the
    team's last reading before it, which the movers cannot list (a fall of 21 points after
    eight months away read as "no indicator moved the wrong way")."""
    frame = readings
    target = period
    if metrics is not None and metrics.readings:
        # What the draft will hold once it is a record: derived indicators computed from the
        # CSV's inputs (SQLs and MQLs give MQL→SQL conversion), as validation computes them.
        given, _, _ = derive(metrics.readings, kb.taxonomy)
        extra = pd.DataFrame([
            {"period": period, "team": team, "indicator": r.indicator,
             "segment": r.segment or ALL, "value": r.value, "numerator": r.numerator,
             "denominator": r.denominator, "record": "draft"} for r in given
        ], columns=COLUMNS)
        base = frame[(frame["segment"] != ALL) | ~frame["indicator"].isin(
            [i.id for i in kb.taxonomy.indicators if i.segment_by])]
        frame = add_overall(pd.concat([base, extra], ignore_index=True), kb.taxonomy)
    else:
        earlier = frame[(frame["team"] == team) & (frame["period"] < period)]
        target = str(earlier["period"].max()) if not earlier.empty else period
    table = trends(frame, kb.taxonomy) if not frame.empty else None
    movers: list[Mover] = wrong_way(table, target, team) if table is not None else []
    items = []
    for mover in movers:
        unit = kb.taxonomy.indicator(mover.indicator).unit
        prior = format_value(mover.prior, unit)
        if mover.prior_period and mover.prior_period != previous_month(target):
            prior += f" ({month_name(mover.prior_period)})"
        items.append(AgendaItem(
            label=kb.taxonomy.indicator(mover.indicator).label, segment=mover.segment,
            value=format_value(mover.value, unit), prior=prior,
            trailing=format_value(mover.trailing_mean, unit),
            vs_prior=format_delta(mover.value - mover.prior, unit),
            vs_trailing=format_delta(mover.value - mover.trailing_mean, unit),
        ))
    returning = []
    if table is not None:
        back = table[(table["period"] == target) & (table["team"] == team)
                     & (table["verdict"] == "new") & (table["vs_prior_verdict"] == "worse")
                     & (table["prior_period"] < previous_month(previous_month(target)))]
        for row in back.to_dict("records"):
            indicator = kb.taxonomy.indicator(str(row["indicator"]))
            now, last = float(row["value"]), float(row["prior"])
            returning.append(AgendaItem(
                label=indicator.label, segment=str(row["segment"]),
                value=format_value(now, indicator.unit),
                prior=f"{format_value(last, indicator.unit)} "
                      f"({month_name(str(row['prior_period']))})",
                trailing="–", vs_prior=format_delta(now - last, indicator.unit),
                vs_trailing="–"))
    return target, items, returning


def carried_over(links: Links, team: str) -> list[ActionState]:
    """The team's actions still open, oldest due first."""
    return sorted((s for s in links.actions.values() if s.team == team and s.is_open),
                  key=lambda s: (s.due, s.id))


def recent_causes(kb: KnowledgeBase, links: Links, period: str,
                  team: str) -> list[tuple[str, str, list[str], list[str]]]:
    """Causes cited in the three months before ``period``: (id, title, the ids of ``team``'s
    records citing it, the other records' ids); the causes the team cited first."""
    months = []
    month = period
    for _ in range(3):
        month = previous_month(month)
        months.append(month)
    found = []
    for stats in links.causes_ranked():
        recent = [c.entry for c in stats.citations if record_month(c.entry) in months]
        own = [e.id for e in recent if e.team == team]
        others = [e.id for e in recent if e.team != team]
        if recent:
            found.append((stats.cause.id, stats.cause.title, own, others))
    # Stable: within each group, the ranking of causes_ranked.
    return sorted(found, key=lambda cause: not cause[2])


def segments_given_last(kb: KnowledgeBase, team: str, period: str) -> dict[str, list[str]]:
    """For each split indicator, the segments the team's latest retro before ``period`` that
    gave it gave (in the taxonomy's order)."""
    given: dict[str, set[str]] = {}
    for entry in sorted((e for e in kb.retros if e.team == team), key=lambda e: e.sort_key):
        record = entry.record
        if not isinstance(record, Retro) or record.period >= period:
            continue
        latest: dict[str, set[str]] = {}
        for reading in entry.readings:
            if reading.segment is not None and not reading.computed:
                latest.setdefault(reading.indicator, set()).add(reading.segment)
        # A segment written with no value (nothing to measure) was given too: validation
        # compares the next month with it, so the export is asked for it.
        for ind_id, written in record.indicators.items():
            if isinstance(written, dict):
                latest.setdefault(ind_id, set()).update(
                    str(segment) for segment, value in written.items() if value is None)
        given.update(latest)
    order = {i.id: i.segments for i in kb.taxonomy.indicators}
    return {ind: [s for s in order.get(ind, []) if s in segments] for ind, segments in given.items()}


def write_draft(kb: KnowledgeBase, links: Links, readings: pd.DataFrame, team: str,
                period: str, held: dt.date, facilitator: str,
                metrics: MetricsFile | None, format: str = DEFAULT_RETRO_FORMAT,
                before: str = "") -> Path:
    """Render and write ``retros/<period>-<team>.md``; refuses to overwrite.

    ``before`` is the "Before you start" comment block put at the top of the front matter.
    """
    target, items, returning = agenda(kb, readings, team, period, metrics)
    team_name = kb.taxonomy.team(team).name
    month = dt.date.fromisoformat(f"{period}-01").strftime("%B %Y")
    from_csv = metrics is not None
    text = render_template("prep.md.j2",
        team=team, team_name=team_name, period=period, month=month, held=held.isoformat(),
        title=json.dumps(retro_title(team_name, period), ensure_ascii=False), format=format,
        format_fields=RetroFormat(format).fields,
        facilitator=json.dumps(facilitator, ensure_ascii=False),
        indicators=block_yaml(metrics.values) if metrics else "",
        agenda=items, agenda_period=target, from_csv=from_csv, returning=returning,
        # Without a CSV the agenda is the team's latest retro: name its month, not "this month".
        value_label="This month" if from_csv else month_name(target),
        prior_label="Last month" if from_csv else "Month before",
        actions=carried_over(links, team), as_of=kb.as_of, before=before,
        causes=recent_causes(kb, links, period, team), md=_md,
        example=examples(kb.taxonomy, _reported_last(kb, team, period)),
    )
    return write_new(record_file(kb.root, "retros", f"{period}-{team}", period[:4],
                                 earlier_ids(kb.taxonomy, team, period)), text)


def _reported_last(kb: KnowledgeBase, team: str, period: str) -> list[str]:
    """The indicators the team's latest retro before ``period`` gave (none: it has none)."""
    earlier = [e.record for e in kb.retros if e.team == team and isinstance(e.record, Retro)]
    latest = max((r for r in earlier if r.period < period), key=lambda r: r.period, default=None)
    return list(latest.indicators) if latest is not None else []


def block_yaml(values: dict[str, object], indent: int = 2) -> str:
    """Readings as block-style YAML, one per line: numbers plain, counts quoted ("18/52"), a
    segment with nothing to measure with no value."""
    lines = []
    for key, value in values.items():
        if isinstance(value, dict):
            lines.append(f"{' ' * indent}{key}:")
            lines.append(block_yaml(value, indent + 2))
        elif value is None:
            lines.append(f"{' ' * indent}{key}:  # {NO_READING_NOTE}")
        else:
            lines.append(f"{' ' * indent}{key}: {_yaml_scalar(value)}")
    return "\n".join(lines)


NO_READING_NOTE = "nothing to measure this month: no reading"
"""The comment beside a segment the draft writes with no value."""


def _yaml_scalar(value: object) -> str:
    if isinstance(value, _AsWritten):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, int):
        return str(value)
    return json.dumps(str(value), ensure_ascii=False)  # a JSON string is a YAML string


def _md(value: object) -> str:
    from ..escape import md

    return md(value)
