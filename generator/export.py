"""Machine-readable exports beside the pages: every record and every action, as JSON and CSV.

Values are data, not markup; consumers must escape them for wherever they display them. CSV
cells that a spreadsheet would run as a formula are prefixed with a quote.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from .actions import status_label
from .corpus import KnowledgeBase
from .link import Links, closed_on
from .paths import EXPORTS, record_path

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _csv_safe(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value  # OWASP CSV-injection advice: neutralise formula triggers
    return value


def _csv(rows: list[dict[str, Any]], columns: list[str]) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: _csv_safe(row.get(k)) for k in columns})
    return buffer.getvalue().encode("utf-8")


def _json(data: Any) -> bytes:
    return (json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False, default=str) + "\n"
            ).encode("utf-8")


def _blank_if_none(value: int | None) -> int | str:
    # One type per column in both files: an empty cell (CSV) or "" (JSON) when not applicable.
    return "" if value is None else value


def record_rows(kb: KnowledgeBase) -> list[dict[str, Any]]:
    """One flat row per record."""
    rows = []
    for entry in kb.entries:
        record = entry.record
        rows.append({
            "id": entry.id,
            "type": entry.type,
            "title": entry.title,
            "team": entry.team or "",
            "date": entry.date.isoformat(),
            "period": getattr(record, "period", ""),
            "kind": getattr(getattr(record, "kind", None), "value", ""),
            "outcome": getattr(getattr(record, "outcome", None), "value", ""),
            "causes": " ".join(c.cause for c in record.causes),
            "actions": " ".join(a.id for a in record.actions),
            "source": entry.path,
            "page": record_path(entry.id),
        })
    return rows


def action_rows(kb: KnowledgeBase, links: Links) -> list[dict[str, Any]]:
    """One flat row per action, as it stands as of the build date."""
    rows = []
    for state in sorted(links.actions.values(), key=lambda s: (s.entry.sort_key, s.index)):
        closed = closed_on(state)
        rows.append({
            "id": state.id,
            "title": state.action.title,
            "owner": state.owner,
            "team": state.team or "",
            "due": state.due.isoformat(),
            "first_due": state.action.due.isoformat(),
            "status": state.status.value,
            "label": status_label(state, kb.as_of),
            "done_on": state.done_on.isoformat() if state.done_on else "",
            "done_date": state.done_date.isoformat() if state.done_date else "",
            "done_by": state.done_by.id if state.done_by else "",
            "closed_on": closed.isoformat() if closed else "",
            "cause": state.cause or "",
            "indicator": state.action.indicator or "",
            "raised_in": state.entry.id,
            "raised_on": state.raised_on.isoformat(),
            "status_changed_in": state.status_changed_in.id,
            "age_days": state.days_open(kb.as_of),
            "days_overdue": _blank_if_none(state.days_overdue(kb.as_of)),
            "days_late": _blank_if_none(state.days_late),
        })
    return rows


def exports(kb: KnowledgeBase, links: Links) -> dict[str, bytes]:
    """The export files by path."""
    records = record_rows(kb)
    actions = action_rows(kb, links)
    return {
        EXPORTS["records_json"]: _json(records),
        EXPORTS["records_csv"]: _csv(records, list(records[0]) if records else ["id"]),
        EXPORTS["actions_json"]: _json(actions),
        EXPORTS["actions_csv"]: _csv(actions, list(actions[0]) if actions else ["id"]),
    }
