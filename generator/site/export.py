"""Machine-readable exports beside the pages: every record and every action, as JSON and CSV,
and every reading with its comparison, as CSV.

Values are data, not markup; consumers must escape them for wherever they display them. CSV
cells that a spreadsheet would run as a formula are prefixed with a quote.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any

from ..analysis.link import Links, closed_on
from ..paths import EXPORTS, RenderOptions, owner_slug, record_path, served_url
from ..records.actions import ActionState, status_label
from ..records.corpus import Entry, KnowledgeBase, retro_cadence
from ..records.formatting import quarter_name
from ..records.schema import Postmortem, Retro
from ..records.taxonomy import Taxonomy, quarterly_at
from .page_cache import PageCache, fingerprint
from .tree import Content

if TYPE_CHECKING:
    import pandas as pd

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _csv_safe(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value  # OWASP CSV-injection advice: neutralise formula triggers
    return value


def _csv(rows: list[dict[str, Any]], columns: list[str]) -> bytes:
    buffer = io.StringIO()
    # A plain writer over lists writes what `csv.DictWriter` would (a missing key is an empty
    # cell, like None), without its per-row check for unknown keys.
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows([_csv_safe(row.get(k)) for k in columns] for row in rows)
    return buffer.getvalue().encode("utf-8")


_JSON_OPTIONS: dict[str, Any] = {"sort_keys": True, "ensure_ascii": False, "default": str}
_SCALARS = (str, int, float, bool, type(None))
# Between two members of a row at depth 1, as `json.dumps(indent=1)` writes them.
_ROW_SEPARATORS = (",\n  ", ": ")


def _json(data: Any) -> bytes:
    """``json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False, default=str)``, with
    a newline, byte for byte.

    An indent makes `json` use its pure-Python encoder, the slowest part of the exports at
    scale. A list of flat rows is written here instead: each row by the C encoder, whose
    separators put every member on its own line at the indented layout's depth (JSON strings
    never hold a raw newline, so the layout cannot be confused by a value). Anything else
    goes to `json.dumps` unchanged.
    """
    if not isinstance(data, list) or not data:
        return _json_plain(data)
    parts = []
    for row in data:
        if type(row) is dict and row and all(type(v) in _SCALARS for v in row.values()) \
                and all(type(k) is str for k in row):
            inner = json.dumps(row, separators=_ROW_SEPARATORS, **_JSON_OPTIONS)
            parts.append(" {\n  " + inner[1:-1] + "\n }")
        else:  # nested or unusual values: the standard encoder, shifted one level in
            parts.append(" " + json.dumps(row, indent=1, **_JSON_OPTIONS).replace("\n", "\n "))
    return ("[\n" + ",\n".join(parts) + "\n]\n").encode("utf-8")


def _json_plain(data: Any) -> bytes:
    return (json.dumps(data, indent=1, **_JSON_OPTIONS) + "\n").encode("utf-8")


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day is not None else None


RECORD_COLUMNS = ("id", "type", "title", "team", "date", "period", "kind", "outcome", "causes",
                  "actions", "source", "page", "url", "plan_kind", "renewal", "cadence",
                  "gives_readings")
"""The columns of ``data/records.*``, in order (an empty knowledge base's CSV has them too).
Columns added later go at the end, so a consumer reading them by position keeps reading
them."""
ACTION_COLUMNS = ("id", "title", "owner", "owner_id", "first_owner", "team", "first_team", "due",
                  "first_due",
                  "status", "label", "done_on", "done_date", "done_by", "closed_on", "cause", "indicator",
                  "segment", "raised_in", "raised_on", "status_changed_in", "age_days",
                  "days_overdue", "days_late", "note", "note_in", "segment_label", "done_team",
                  "team_changed_in")
"""The columns of ``data/actions.*``, in order (with no actions, the CSV has them too). Columns
added later go at the end, so a consumer reading them by position keeps reading them."""


def record_rows(kb: KnowledgeBase, options: RenderOptions | None = None) -> list[dict[str, Any]]:
    """One flat row per record. A value that does not apply is None: null in JSON, an empty
    cell in CSV, so each column holds one type."""
    options = options or RenderOptions()
    return [record_row(entry, options, kb.taxonomy) for entry in kb.entries]


def record_row(entry: Entry, options: RenderOptions, taxonomy: Taxonomy) -> dict[str, Any]:
    """A record as the records export lists it: what follows from its file, the options and
    ``taxonomy``. A post-mortem's ``plan_kind`` is the plan kind it informs (its own, else
    its kind's), and ``renewal`` whether that plan kind is of renewals (``renewal:`` in
    taxonomy.yml): a deal post-mortem informing one is a renewal kept or lost, as the win/loss
    page counts it, its ``outcome`` ``win`` read there as kept. Both are None for one that
    informs no plan kind (``kind: other`` without ``plan_kind:``), as for a retro. A retro's
    ``cadence`` is how its team met then, as the home page counts retros (`retro_cadence`), and
    ``gives_readings`` whether it gives indicator readings, the rows of ``data/readings.csv``
    naming it: of a sprint team's retros of a month, the one giving the month's."""
    record = entry.record
    page = record_path(entry.id)
    informs = record.informs if isinstance(record, Postmortem) else None
    return {
        "id": entry.id,
        "type": entry.type,
        "title": entry.title,
        "team": entry.team,
        "date": entry.date.isoformat(),
        "period": getattr(record, "period", None),
        "kind": getattr(getattr(record, "kind", None), "value", None),
        "outcome": getattr(getattr(record, "outcome", None), "value", None),
        "causes": " ".join(dict.fromkeys(c.cause for c in record.causes)),
        "actions": " ".join(a.id for a in record.actions),
        "source": entry.path,
        "page": served_url(page, options.directory_urls),
        "url": options.page_url(page),
        "plan_kind": informs,
        # A post-mortem informing no plan kind (`kind: other` without `plan_kind:`) is no
        # more a renewal than not: null, as its plan_kind is, not false.
        "renewal": taxonomy.renewal_kind(informs) if informs is not None else None,
        "cadence": retro_cadence(entry, {t.id for t in taxonomy.teams if t.biweekly})
        if isinstance(record, Retro) else None,
        "gives_readings": bool(entry.readings) if isinstance(record, Retro) else None,
    }


def action_row(state: ActionState, as_of: dt.date, taxonomy: Taxonomy) -> dict[str, Any]:
    """One action as it stands on ``as_of``, as a flat row: the site's ``data/actions.*`` and
    ``hindsight actions --format json`` both give these. A value that does not apply is None.
    ``note`` is the latest note written about it (its own, or a later update's: why it was
    dropped), as written, and ``note_in`` the record that wrote it; ``segment_label`` its
    segment as pages show it (its name in ``taxonomy``, else its id); ``done_team`` the team
    that held it when it was done, whose readings *Did it work?* reads it on; and
    ``team_changed_in`` the record that last handed it to another team.
    """
    note = state.note
    segment = state.action.segment
    handovers = state.team_handovers
    return {
        "id": state.id,
        "title": state.action.title,
        "owner": state.owner,
        "owner_id": owner_slug(state.owner),
        "first_owner": state.action.owner,
        "team": state.team,
        "first_team": state.first_team,
        "due": state.due.isoformat(),
        "first_due": state.action.due.isoformat(),
        "status": state.status.value,
        "label": status_label(state, as_of),
        "done_on": _iso(state.done_on),
        "done_date": _iso(state.done_date),
        "done_by": state.done_by.id if state.done_by else None,
        "closed_on": _iso(closed_on(state)),
        "cause": state.cause,
        "indicator": state.action.indicator,
        "segment": state.action.segment,
        "raised_in": state.entry.id,
        "raised_on": state.raised_on.isoformat(),
        "status_changed_in": state.status_changed_in.id,
        "age_days": state.days_open(as_of),
        "days_overdue": state.days_overdue(as_of),
        "days_late": state.days_late,
        "note": note.text if note else None,
        "note_in": note.entry.id if note else None,
        "segment_label": None if segment is None else _segment_label(
            taxonomy, state.action.indicator, segment),
        "done_team": state.done_team,
        "team_changed_in": handovers[-1][0].id if handovers else None,
    }


def _segment_label(taxonomy: Taxonomy, indicator: str | None, segment: str) -> str:
    """``segment`` of ``indicator`` as pages show it: its name, else its id."""
    found = next((i for i in taxonomy.indicators if i.id == indicator), None)
    return taxonomy.segment_name(found.segment_by if found else None, segment)


def action_rows(kb: KnowledgeBase, links: Links) -> list[dict[str, Any]]:
    """One flat row per action, as it stands as of the build date, in record order."""
    return [action_row(state, kb.as_of, kb.taxonomy) for state in
            sorted(links.actions.values(), key=lambda s: (s.entry.sort_key, s.index))]


READING_COLUMNS = ("period", "team", "indicator", "segment", "value", "numerator",
                   "denominator", "computed", "method", "record", "prior_period", "prior",
                   "trailing_mean", "vs_prior", "vs_trailing", "verdict", "segment_label",
                   "covers", "period_label")
"""The readings export's columns: each reading as the indicator pages show it. Columns added
later go at the end (``segment_label``: the segment as pages show it, its name where
taxonomy.yml gives one; ``covers``: ``month``, or ``quarter`` for the reading of a team that
meets quarterly, dated its quarter's last month; ``period_label``: the period as the
indicator pages show it, ``2026-06`` or ``Q3 2026``), so a consumer reading them by position
keeps reading them."""
_ADDED_COLUMNS = ("segment_label", "covers", "period_label")
"""The columns the export adds to the trend table's."""


def readings_csv(trend: pd.DataFrame, taxonomy: Taxonomy, cache: PageCache | None = None
                 ) -> tuple[bytes, Callable[[], bytes]]:
    """The readings export's fingerprint, and how to make it: one row per reading (and per
    month's overall ``all`` value of a segmented indicator) with its comparison and verdict;
    an empty cell where a value does not apply. At 10,000 records it is 112,000 rows (18 MB),
    so it is CSV only (JSON would be 46 MB), written column-wise: the standard library's
    writer over whole columns takes two thirds of the time of pandas' ``to_csv``.

    The table is in series order, so the rows of one indicator and team are together: each
    such part is fingerprinted from the table's own hash (``repr`` of a hundred thousand rows
    would cost more than writing them), and with a ``cache`` only the parts that changed are
    written again (one record's change is one or two parts of a couple of thousand)."""
    import numpy as np
    import pandas as pd

    cache = cache if cache is not None else PageCache()
    covers, labels = _periods(trend, taxonomy)
    table = trend.loc[:, [c for c in READING_COLUMNS if c not in _ADDED_COLUMNS]].assign(
        segment_label=_segment_labels(trend, taxonomy), covers=covers, period_label=labels)
    hashed = pd.util.hash_pandas_object(table, index=False).to_numpy()
    indicators = trend["indicator"].to_numpy(dtype=object)
    teams = trend["team"].to_numpy(dtype=object)
    cuts = (np.flatnonzero((indicators[1:] != indicators[:-1]) | (teams[1:] != teams[:-1])) + 1
            ).tolist()
    bounds = list(zip([0, *cuts], [*cuts, len(trend)], strict=True)) if len(trend) else []
    keys = [hashlib.blake2b(hashed[a:b].tobytes(), digest_size=16).digest() for a, b in bounds]
    cache.keep_fragments(keys)

    def parts(missing: list[int]) -> list[str]:
        rows = np.concatenate([np.arange(*bounds[i]) for i in missing])
        lines = _reading_lines(table.iloc[rows])
        texts, at = [], 0
        for i in missing:
            size = bounds[i][1] - bounds[i][0]
            texts.append("".join(lines[at:at + size]))
            at += size
        return texts

    def make() -> bytes:
        header = ",".join(READING_COLUMNS) + "\n"
        return (header + "".join(cache.fragments_of(keys, parts))).encode("utf-8")

    return fingerprint("readings", b"".join(keys).hex()), make


def _segment_labels(trend: pd.DataFrame, taxonomy: Taxonomy) -> list[str]:
    """Each reading's segment as pages show it: its name where taxonomy.yml gives one, else
    its id (``all`` for an unsegmented indicator and a month's overall value), so a BI tool
    labels the rows without reading taxonomy.yml."""
    dimensions = {indicator.id: indicator.segment_by or "" for indicator in taxonomy.indicators}
    names = taxonomy.segment_names
    return [names.get((dimensions.get(indicator, ""), segment), segment) for indicator, segment
            in zip(trend["indicator"].tolist(), trend["segment"].tolist(), strict=True)]


def _periods(trend: pd.DataFrame, taxonomy: Taxonomy) -> tuple[list[str], list[str]]:
    """What each reading's period covers, ``month`` or ``quarter``, and the period as the
    indicator pages show it (``2026-06``, ``Q3 2026``). A team that meets quarterly gives one
    reading a quarter, dated the quarter's last month, from its ``quarterly_from`` quarter on
    (`Taxonomy.quarterly_since`, as the trend's series step): summed or charted with monthly
    rows it would read as one month's."""
    since = taxonomy.quarterly_since()
    found: dict[tuple[Any, Any], tuple[str, str]] = {}  # a few thousand distinct pairs at most
    covers: list[str] = []
    labels: list[str] = []
    for team, period in zip(trend["team"].tolist(), trend["period"].tolist(), strict=True):
        known = found.get((team, period))
        if known is None:
            quarter = quarterly_at(since, team, period)
            known = found[(team, period)] = (("quarter", quarter_name(str(period))) if quarter
                                             else ("month", str(period)))
        covers.append(known[0])
        labels.append(known[1])
    return covers, labels


def _reading_lines(table: pd.DataFrame) -> list[str]:
    """Each row of ``table`` as a CSV line, column-wise (NaN and "" as empty cells)."""
    columns: list[list[Any]] = []
    for name in READING_COLUMNS:
        column = table[name]
        if name == "computed":
            values: list[Any] = [bool(v) for v in column.tolist()]
        elif column.dtype.kind == "f":
            # NaN: an empty cell. Twelve significant digits: what the records hold, without the
            # noise of binary fractions (41 ÷ 200 pooled is 0.205, not 0.20500000000000002);
            # a whole number as one (138 deals, not 138.0).
            values = [None if v != v else _figure(v) for v in column.tolist()]
        else:
            values = [None if v is None or v != v or v == "" else v
                      for v in column.to_numpy(dtype=object).tolist()]
        columns.append(values)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    # Every text column holds validated ids or fixed words: nothing a spreadsheet would run.
    # Each row's length as written, to cut the text into rows (a quoted cell may hold any
    # character).
    sizes = [writer.writerow(row) for row in zip(*columns, strict=True)]
    text, lines, at = out.getvalue(), [], 0
    for size in sizes:
        lines.append(text[at:at + size])
        at += size
    return lines


def _figure(value: float) -> float | int:
    """``value`` to twelve significant digits, as an int when it is a whole number; a
    difference of two equal figures is 0 (the mean of 15 % and 30 % less 22.5 % is
    -2.8e-17 in binary fractions: no figure a record holds is that small)."""
    rounded = float(f"{value:.12g}") if abs(value) >= 1e-9 else 0.0
    return int(rounded) if rounded.is_integer() and abs(rounded) < 1e15 else rounded


def exports(kb: KnowledgeBase, links: Links, cache: PageCache | None = None,
            options: RenderOptions | None = None,
            trend: pd.DataFrame | None = None) -> dict[str, Content]:
    """The export files by path.

    With a ``cache`` (opened by the caller, saved after), a file is written again only when
    its rows changed: the rows' ``repr`` (plain text and numbers, keys in order) is its
    fingerprint, and everything else it depends on is in the cache's stamp.
    """
    cache = cache if cache is not None else PageCache()
    options = options or RenderOptions()
    files: dict[str, Content] = {}
    # Fingerprints from what each row is made of, not from the rows: a record's row is kept by
    # its content digest and an action's by its state, so an unchanged export costs neither
    # making its rows nor hashing them (the options and the as-of date are in the stamp).
    states = sorted(links.actions.values(), key=lambda s: (s.entry.sort_key, s.index))
    tables = (
        ("records", fingerprint("records", [cache.text_of(e, "record row", partial(
            record_row, e, options, kb.taxonomy)) for e in kb.entries]),
         partial(record_rows, kb, options),
         RECORD_COLUMNS),
        ("actions", fingerprint("actions", [cache.action_token(s) for s in states]),
         partial(action_rows, kb, links), ACTION_COLUMNS),
    )
    for name, key, make, columns in tables:
        json_path, csv_path = EXPORTS[f"{name}_json"], EXPORTS[f"{name}_csv"]
        rows = _Rows(make, columns)
        files[json_path] = cache.page(json_path, key, rows.json)
        files[csv_path] = cache.page(csv_path, key, _marked(rows.csv, options.csv_bom))
    if trend is not None:
        key, render = readings_csv(trend, kb.taxonomy, cache)
        files[EXPORTS["readings_csv"]] = cache.page(EXPORTS["readings_csv"], key,
                                                    _marked(render, options.csv_bom))
    return files


UTF8_BOM = b"\xef\xbb\xbf"
"""UTF-8's byte-order mark: what tells Excel that a CSV is UTF-8 (it reads one without it in
the system's code page)."""


def _marked(render: Callable[[], bytes], bom: bool) -> Callable[[], bytes]:
    """``render``, its CSV started with `UTF8_BOM` when ``bom`` (the plugin's ``csv_bom``)."""
    return (lambda: UTF8_BOM + render()) if bom else render


class _Rows:
    """An export's rows, made the first time either of its files asks for them."""

    def __init__(self, make: Callable[[], list[dict[str, Any]]], columns: tuple[str, ...]) -> None:
        self._make = make
        self._columns = columns
        self._rows: list[dict[str, Any]] | None = None

    def get(self) -> list[dict[str, Any]]:
        if self._rows is None:
            self._rows = self._make()
        return self._rows

    def json(self) -> bytes:
        return _json(self.get())

    def csv(self) -> bytes:
        # The header from the declared columns: a consumer bound to them (a spreadsheet's
        # query, a seed file) breaks on a header of one column when there are no rows.
        return _csv(self.get(), list(self._columns))
