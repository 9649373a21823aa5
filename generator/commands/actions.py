"""``hindsight actions``: the actions register in the terminal, or as data."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import Any

import click

from ..records.types import parse_as_of
from .options import as_of_option, handle_errors, no_cache_option, root_option
from .validate import valid_knowledge_base


@click.command()
@click.option("--owner", help="Only this owner's actions (name, case-insensitive).")
@click.option("--team", help="Only this team's actions.")
@click.option("--overdue", is_flag=True, help="Only actions past their due date.")
@click.option("--all", "show_all", is_flag=True, help="Include done and dropped actions.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table",
              show_default=True, help="json prints every row as data.")
@root_option
@as_of_option
@no_cache_option
@handle_errors
def actions(owner: str | None, team: str | None, overdue: bool, show_all: bool, fmt: str,
            root: Path, as_of: str | None) -> None:
    """Print the actions register as a table (open and overdue actions by default)."""
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    from ..analysis.link import link
    from ..paths import owner_slug
    from ..records.actions import status_label

    day = parse_as_of(as_of)
    kb = valid_knowledge_base(root, day, "run hindsight validate")
    states = sorted(link(kb).actions.values(), key=lambda s: (s.due, s.id))
    if owner:
        states = [s for s in states if owner_slug(s.owner) == owner_slug(owner)]
    if team:
        states = [s for s in states if s.team == team]
    if overdue:
        states = [s for s in states if s.is_overdue(day)]
    elif not show_all:
        states = [s for s in states if s.is_open]
    if fmt == "json":
        click.echo(json.dumps({"as_of": day.isoformat(), "actions": [
            _action_row(state, day) for state in states]}, indent=2, ensure_ascii=False))
        return
    table = Table(title=f"Actions as of {day.isoformat()}", title_justify="left")
    for column in ("Action", "Title", "Owner", "Team", "Due", "Status", "Days overdue",
                   "Days late", "Raised in", "Raised"):
        table.add_column(column, overflow="fold")
    for state in states:
        label = status_label(state, day)
        if state.done_by is not None:
            label += f" by {state.done_by.id}"
        elif state.done_date is not None:
            label += f" {state.done_date.isoformat()}"
        overdue_days, late_days = state.days_overdue(day), state.days_late
        # Titles and names are data: `[/]` or `[q3]` must print as typed, not as rich markup.
        table.add_row(*(escape(cell) for cell in (
            state.id, state.action.title, state.owner, state.team or "–",
            state.due.isoformat(), label.upper() if label == "overdue" else label,
            "" if overdue_days is None else str(overdue_days),
            "" if late_days is None else str(late_days),
            state.entry.id, state.raised_on.isoformat())))
    console = Console(width=None if sys.stdout.isatty() else 160, highlight=False,
                      soft_wrap=False)
    console.print(table)
    click.echo(f"{len(states)} action{'s' * (len(states) != 1)}")


def _action_row(state: Any, day: dt.date) -> dict[str, Any]:
    """One row of the actions register as data, with the same figures as the table."""
    from ..records.actions import status_label

    return {
        "id": state.id, "title": state.action.title, "owner": state.owner, "team": state.team,
        "due": state.due.isoformat(), "status": status_label(state, day),
        "done_on": state.done_date.isoformat() if state.done_date else None,
        "done_by": state.done_by.id if state.done_by is not None else None,
        "days_overdue": state.days_overdue(day), "days_late": state.days_late,
        "raised_in": state.entry.id, "raised_on": state.raised_on.isoformat(),
    }
