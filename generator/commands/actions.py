"""``hindsight actions``: the actions register in the terminal, or as data."""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
import textwrap
from pathlib import Path
from typing import Any

import click

from ..records.types import parse_as_of
from .options import as_of_option, check_team, complete_team, handle_errors, no_cache_option, root_option
from .validate import valid_knowledge_base

_COLUMNS = ["Action", "Title", "Owner", "Team", "Due", "Status", "Days overdue", "Days late",
            "Raised in", "Raised"]
"""The table's columns in order."""
_LEFT_OUT_FIRST = ["Raised", "Raised in", "Days late", "Team"]
"""The columns a narrow terminal goes without, the least needed first (ten columns at 80
leave a few letters each and break every id and date)."""
_WRAPPED_WIDTH = 20
"""The width a column that wraps (a title, a name) is given when judging whether the table
fits: narrower, a title takes a line per word."""
_WRAPPING = {"Title", "Owner", "Team", "Status"}
"""The columns that wrap when the terminal is narrow (ids, dates and counts never do)."""
_HEADERS = {"Days overdue": "Days\noverdue", "Days late": "Days\nlate"}
"""Headers over two lines, so a column of two- and three-digit numbers stays narrow."""
TABLE_FROM = 90
"""Narrower terminals get each action as a short block of lines instead of a table."""


@click.command()
@click.option("--owner", help="Only this owner's actions (name, case-insensitive).")
@click.option("--team", shell_complete=complete_team, help="Only this team's actions.")
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
    from ..errors import ConfigError
    from ..paths import owner_slug
    from ..records.taxonomy import did_you_mean
    from ..site.export import action_row

    day = parse_as_of(as_of)
    if team:
        team = check_team(root, team)  # a typo is an error, not an empty register
    kb = valid_knowledge_base(root, day, "run hindsight validate")
    links = link(kb)
    states = sorted(links.actions.values(), key=lambda s: (s.due, s.id))
    if owner:
        owners = links.owner_names  # each owner as the site names them
        if owner_slug(owner) not in owners:
            raise ConfigError(f"no action has the owner {owner!r} "
                              f"({did_you_mean(owner, set(owners.values()))})")
        states = [s for s in states if owner_slug(s.owner) == owner_slug(owner)]
    if team:
        states = [s for s in states if s.team == team]
    if overdue:
        states = [s for s in states if s.is_overdue(day)]
    elif not show_all:
        states = [s for s in states if s.is_open]
    if fmt == "json":
        click.echo(json.dumps({"as_of": day.isoformat(), "actions": [
            action_row(state, day) for state in states]}, indent=2, ensure_ascii=False))
        return
    # Piped output is 160 wide unless COLUMNS says otherwise (rich reads it itself).
    console = Console(width=None if sys.stdout.isatty() or os.environ.get("COLUMNS") else 160,
                      highlight=False, soft_wrap=False)
    rows = [_cells(state, day) for state in states]
    if console.width < TABLE_FROM:
        for row in rows:
            _print_block(console, row)
        click.echo("\n".join(textwrap.wrap(
            f"{len(states)} action{'s' * (len(states) != 1)} as of {day.isoformat()}",
            width=max(console.width, 1), break_long_words=False, break_on_hyphens=False)))
        return
    shown = _columns_that_fit(rows, console.width)
    table = Table(title=f"Actions as of {day.isoformat()}", title_justify="left")
    for column in shown:
        # Action ids, dates, statuses and day counts never break: when the table is too
        # wide, rich narrows the columns that may wrap (titles, names, record ids).
        table.add_column(_HEADERS.get(column, column), no_wrap=column not in _WRAPPING,
                         overflow="fold")
    for row in rows:
        # Titles and names are data: `[/]` or `[q3]` must print as typed, not as rich markup.
        table.add_row(*(escape(row[column]) for column in shown))
    console.print(table)
    left_out = [c for c in _COLUMNS if c not in shown]
    if left_out:
        console.print(f"{', '.join(left_out)} left out at {console.width} columns "
                      "(a wider terminal shows them; --format json has every field)")
    click.echo(f"{len(states)} action{'s' * (len(states) != 1)}")


def _columns_that_fit(rows: list[dict[str, str]], width: int) -> list[str]:
    """The columns shown at ``width``: all of them if they fit, else without the least needed
    ones until they do. A column fits at its widest cell (its header's widest line if wider),
    one that wraps at `_WRAPPED_WIDTH` at most; each column takes three more for its rule
    and padding."""
    from rich.cells import cell_len  # a character of a CJK name takes two cells

    def needed(column: str) -> int:
        widest = max([cell_len(line) for line in _HEADERS.get(column, column).split("\n")]
                     + [cell_len(row[column]) for row in rows])
        return min(widest, _WRAPPED_WIDTH) if column in _WRAPPING else widest

    shown = list(_COLUMNS)
    for column in _LEFT_OUT_FIRST:
        if sum(needed(c) + 3 for c in shown) + 1 <= width:
            break
        shown.remove(column)
    return shown


def _print_block(console: Any, row: dict[str, str]) -> None:
    """One action as a few lines, for a narrow terminal: id, status and due date, then the
    title, then who owns it and where it was raised."""
    from rich.text import Text

    late = f" {row['Days overdue']} days" if row["Days overdue"] else ""
    first = f"{row['Action']}  {row['Status']}{late}  due {row['Due']}"
    owner = (f"{row['Owner']} · {row['Team']} · raised in {row['Raised in']}, "
             f"{row['Raised']}")
    # Wrapped between words only (indented as a block under its action): an id, a date or a
    # record id wider than the terminal runs past its edge, never broken. Text, not markup:
    # titles and names print as typed.
    for text, indent in ((first, ""), (row["Title"], "  "), (owner, "  ")):
        for i, line in enumerate(textwrap.wrap(
                text, width=max(console.width, 1), initial_indent=indent,
                subsequent_indent=indent, break_long_words=False, break_on_hyphens=False)):
            shown = Text(line)
            if text is first and i == 0:
                shown.stylize("bold", 0, len(row["Action"]))
            console.print(shown, soft_wrap=True)
    console.print()


def _cells(state: Any, day: dt.date) -> dict[str, str]:
    """One action (an `ActionState`) as the table's cells, by column."""
    from ..records.actions import status_label

    label = status_label(state, day)
    if state.done_by is not None:
        label += f" by {state.done_by.id}"
    elif state.done_date is not None:
        label += f" {state.done_date.isoformat()}"
    overdue_days, late_days = state.days_overdue(day), state.days_late
    return {
        "Action": state.id, "Title": state.action.title, "Owner": state.owner,
        "Team": state.team or "–", "Due": state.due.isoformat(),
        # Overdue is the loudest fact; a started action still says it was started.
        "Status": (label.upper() + (" (in progress)" if state.status.value == "in-progress"
                                    else "")) if label == "overdue" else label,
        "Days overdue": "" if overdue_days is None else str(overdue_days),
        # Lateness counts from the first due date: say so where the due date was moved.
        "Days late": "" if late_days is None else str(late_days) + (
            f" (first due {state.action.due.isoformat()})" if state.due != state.action.due
            else ""),
        "Raised in": state.entry.id, "Raised": state.raised_on.isoformat(),
    }
