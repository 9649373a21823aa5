"""``hindsight actions``: the actions register in the terminal, or as data."""

from __future__ import annotations

import datetime as dt
import json
import textwrap
import unicodedata
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from ..site.settings import command_as_of
from .options import (
    as_of_option,
    check_team,
    complete_team,
    handle_errors,
    no_cache_option,
    output_width,
    root_option,
    stdout_console,
)
from .validate import valid_knowledge_base

if TYPE_CHECKING:
    from ..records.actions import ActionState
    from ..records.corpus import Entry
    from ..records.taxonomy import Cause

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
@click.argument("text", required=False)
@click.option("--owner", help="Only this owner's actions: the name, or a whole word of it (a first "
              "or last name), in any case and with or without accents.")
@click.option("--team", shell_complete=complete_team, help="Only this team's actions.")
@click.option("--overdue", is_flag=True, help="Only actions past their due date.")
@click.option("--all", "show_all", is_flag=True, help="Include done and dropped actions.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table",
              show_default=True, help="json prints every row as data.")
@root_option
@as_of_option
@no_cache_option
@handle_errors
def actions(text: str | None, owner: str | None, team: str | None, overdue: bool,
            show_all: bool, fmt: str, root: Path, as_of: str | None) -> None:
    """Print the actions register as a table (open and overdue actions by default).

    TEXT, if given, keeps the actions whose id, title, owner, cause (its id, title or an
    alias) or raising record (its id or title) contain it (in any case); an action's id shows
    that action whatever its status."""
    from rich.table import Table
    from rich.text import Text

    from ..analysis.link import link
    from ..errors import ConfigError
    from ..messages import and_list
    from ..paths import owner_slug
    from ..records.taxonomy import did_you_mean
    from ..site.export import action_row

    day = command_as_of(root, as_of)
    if team:
        team = check_team(root, team)  # a typo is an error, not an empty register
    kb = valid_knowledge_base(root, day, "run hindsight validate")
    links = link(kb)
    causes = {cause.id: cause for cause in kb.taxonomy.causes}
    states = sorted(links.actions.values(), key=lambda s: (s.due, s.id))
    notes: list[str] = []
    if owner:
        owners = links.owner_names  # each owner as the site names them
        former = _former_owners(states, day)
        spellings: dict[str, set[str]] = {slug: {s.owner for s in owned}
                                          for slug, owned in links.owners.items()}
        for slug, handed in former.items():
            spellings.setdefault(slug, set()).update(before for _, _, before, _ in handed)
        named, whole = owners_named(owner, spellings)
        slugs = {slug for slug in named if slug in links.owners}
        # Someone who handed every action over owns none now, yet a manager asking for them
        # means them: say what they owned and to whom it went, not "no such owner".
        handed_notes = [_handed_over(former[slug]) for slug in sorted(named)
                        if slug in former]
        if not slugs and not handed_notes:
            raise ConfigError(f"no action has the owner {owner!r} "
                              f"({did_you_mean(owner, set(owners.values()))})")
        if not slugs:
            names = sorted({former[slug][0][2] for slug in named if slug in former})
            notes.append(f"no action is {and_list(names, 'or')}'s now: "
                         + "; ".join(handed_notes))
        else:
            notes.extend(handed_notes)
        if whole and len(slugs) > 1:
            # "Müller, Jürgen" is the Jürgen Müller asked for, but the site cannot tell: say
            # so, or the table reads as one person's whole list.
            others = [repr(owners[s]) for s in sorted(slugs) if s != owner_slug(owner)]
            notes.append(f"{owner!r} is also written {and_list(others, 'and')}: the site "
                         f"shows {len(slugs)} owners ({'both' if len(slugs) == 2 else 'all'} "
                         "listed here; write the name one way)")
        elif len(slugs) > 1:
            notes.append(f"{len(slugs)} owners are named {owner!r}: "
                         f"{', '.join(sorted(owners[slug] for slug in slugs))} "
                         "(give the whole name for one of them)")
        states = [s for s in states if owner_slug(s.owner) in slugs]
    if team:
        states = [s for s in states if s.team == team]
    # An action raised by a record held after the as-of day is not yet raised as of that
    # day: in no list, as on the site; said in one line, since validation only warns.
    later = [s for s in states if s.raised_on > day and (not text or s.id == text
                                                        or _mentions(s, text, causes))]
    states = [s for s in states if s.raised_on <= day]
    if later:
        notes.append(_raised_later(later, day))
    if text and text in links.actions:
        # An action asked for by its id is shown whatever its status.
        states = [s for s in states if s.id == text]
    else:
        if text:
            states = [s for s in states if _mentions(s, text, causes)]
        kept = ([s for s in states if s.is_overdue(day)] if overdue
                else states if show_all else [s for s in states if s.is_open])
        # What the filters asked for, in words, when they asked for something: an owner
        # whose actions are all done printed an empty table and "0 actions", nothing more.
        asked = " and ".join([*([f"matching {text!r}"] if text else []),
                              *([f"of {owner!r}"] if owner else []),
                              *([f"of the team {team}"] if team else [])])
        if asked and not show_all:
            notes.extend(_hidden_matches(asked, [s for s in states if s not in kept], overdue))
        states = kept
    if fmt == "json":
        click.echo(json.dumps({"as_of": day.isoformat(), "actions": [
            action_row(state, day, kb.taxonomy) for state in states]}, indent=2, ensure_ascii=False))
        for note in notes:  # the data stays clean for a program; a person still reads why
            click.echo(note, err=True)
        return
    # Piped output is 160 wide unless COLUMNS says otherwise; given here, as rich read
    # COLUMNS=0 as no width at all and COLUMNS=abc as 80.
    console = stdout_console(output_width(160))
    rows = [_cells(state, day) for state in states]
    if console.width < TABLE_FROM:
        for state, row in zip(states, rows, strict=True):
            _print_block(console, row, state)
        for line in [f"{len(states)} action{'s' * (len(states) != 1)} as of {day.isoformat()}",
                     *notes]:
            click.echo("\n".join(textwrap.wrap(line, width=max(console.width, 1),
                                                break_long_words=False, break_on_hyphens=False)))
        return
    if not states:
        # No row to show: an empty table frame above "0 actions" says nothing more.
        click.echo(f"0 actions as of {day.isoformat()}")
        for note in notes:
            click.echo(note)
        return
    shown = _columns_that_fit(rows, console.width)
    table = Table(title=f"Actions as of {day.isoformat()}", title_justify="left")
    for column in shown:
        # Action ids, dates, statuses and day counts never break: when the table is too
        # wide, rich narrows the columns that may wrap (titles, names, record ids).
        table.add_column(_HEADERS.get(column, column), no_wrap=column not in _WRAPPING,
                         overflow="fold")
    for row in rows:
        # Titles and names are data: `[/]` or `[q3]` must print as typed, not as rich markup
        # (and as text, not escaped markup: escaping doubled a trailing backslash).
        table.add_row(*(Text(row[column]) for column in shown))
    console.print(table)
    left_out = [c for c in _COLUMNS if c not in shown]
    if left_out:
        console.print(f"{', '.join(left_out)} left out at {console.width} columns "
                      "(a wider terminal shows them; --format json has every field)")
    click.echo(f"{len(states)} action{'s' * (len(states) != 1)}")
    for note in notes:
        click.echo(note)


def owners_named(name: str, spellings: dict[str, set[str]]) -> tuple[set[str], bool]:
    """The slugs of the owners ``name`` names, and whether it names them by their whole
    name. The whole name is that of every owner with a spelling that is ``name`` (in any
    case, spelling or accents `owner_key` folds), last name first or not ("Müller, Jürgen"
    is "Jürgen Müller", though the site shows two owners); else ``name`` finds each owner
    with a spelling that holds it as whole words, in order (``Priya`` or ``nair`` for Priya
    Nair, ``van der Berg`` for Anna van der Berg, ``佐藤`` for 佐藤 花子). ``spellings``: every
    way each owner is written, by slug; the words are those of a name as written
    (`owner_words`), since the one key of ``佐藤 花子`` and ``佐藤花子`` has no space left to find
    ``佐藤`` by. An owner with ä, ö or ü is found with them spelled ae, oe and ue too
    (``Juergen Weiss``, ``--owner mueller``)."""
    from ..paths import first_name_first, owner_slug, owner_words, umlauts_spelled_out

    # "Juergen Weiss" is Jürgen Weiß as typed on a keyboard without umlauts (validation
    # warns that the two spellings look alike): each owner is also found so spelled.
    spellings = {slug: set(written) | {out for shown in written
                                       if (out := umlauts_spelled_out(shown)) is not None}
                 for slug, written in spellings.items()}
    asked = first_name_first(name)
    whole = {slug for slug, written in spellings.items()
             if slug == owner_slug(name)
             or any(owner_slug(shown) == owner_slug(name) for shown in written)
             or (asked and any(first_name_first(shown) == asked for shown in written))}
    if whole:
        return whole, True
    wanted = owner_words(name)
    if not wanted:
        return set(), False
    found = set()
    for slug, written in spellings.items():
        for shown in written:
            words = owner_words(shown)
            if any(words[i:i + len(wanted)] == wanted for i in range(len(words))):
                found.add(slug)
    return found, False


def _former_owners(states: list[ActionState], day: dt.date
                   ) -> dict[str, list[tuple[ActionState, Entry, str, str]]]:
    """Who owned an action until a record held by ``day`` handed it to someone else, and
    owns it no longer: by the earlier owner's slug, each action with the record that handed
    it over, the earlier owner as written and the owner it went to."""
    from ..paths import owner_slug

    former: dict[str, list[tuple[ActionState, Entry, str, str]]] = {}
    for state in states:
        if state.raised_on > day:
            continue
        now = owner_slug(state.owner)
        for entry, before, after in state.handovers:
            slug = owner_slug(before)
            if entry.date <= day and slug != now:
                former.setdefault(slug, []).append((state, entry, before, after))
    return former


def _handed_over(handed: list[tuple[ActionState, Entry, str, str]]) -> str:
    """What an earlier owner owned and where it went: "Maya Chen owned SDR-2026-05-1 until
    it was handed to Luis Ortega on 2026-07-01 (SDR Team retro — June 2026, sprint 2)"."""
    said = []
    for state, entry, before, after in handed:
        said.append(f"{before} owned {state.id} until it was handed to {after} on "
                    f"{entry.date.isoformat()} ({entry.id}); `hindsight actions {state.id}` "
                    "shows it")
    return "; ".join(said)


def _hidden_matches(asked: str, hidden: list[ActionState], overdue: bool) -> list[str]:
    """What the status filters left out of a search (``asked``: what it asked for, in
    words), and the option that shows it."""
    closed = sum(1 for s in hidden if not s.is_open)
    waiting = len(hidden) - closed  # open, not yet due (left out by --overdue)

    def more(count: int) -> str:
        return f"{count} more action{'s' * (count != 1)} {asked}"

    said = []
    if waiting:
        said.append(f"{more(waiting)} {'are' if waiting != 1 else 'is'} open but not overdue "
                    "(leave out --overdue to see them)")
    if closed:
        said.append(f"{more(closed) if not waiting else str(closed) + ' more'} "
                    f"{'are' if closed != 1 else 'is'} done or dropped (--all shows them"
                    f"{' without --overdue' if overdue else ''})")
    return said


def _raised_later(later: list[ActionState], day: dt.date) -> str:
    """The line that says which actions are left out as raised after ``day``: each by its id
    and the record that raised it, up to three."""
    named = ", ".join(f"{s.id} ({s.entry.id}, held {s.raised_on.isoformat()})"
                      for s in later[:3])
    more = f" and {len(later) - 3} more" if len(later) > 3 else ""
    one = len(later) == 1
    return (f"{len(later)} action{'s' * (not one)} left out: raised by a record held after "
            f"{day.isoformat()}, so not yet raised as of that day: {named}{more} (check the "
            f"record's held date, or give a later --as-of)")


def _mentions(state: ActionState, text: str, causes: dict[str, Cause]) -> bool:
    """Whether ``text`` is in the action's id, title or owner, its cause's id, title or an
    alias, or the id or title of the record that raised it (in any case). ``causes``: the
    taxonomy's, by id. The register names a record and a cause by title, so a search by what
    the site shows ("Roadshow Leads", "Nurture sequence") found nothing by ids alone. Accents
    need not be typed, and ä, ö and ü may be typed ae, oe and ue (``Kuendigung``)."""
    from ..paths import umlauts_spelled_out

    needle = _plain(text)
    cause = causes.get(state.cause or "")
    named = [cause.title, *cause.aliases] if cause is not None else []
    for value in (state.id, state.action.title, state.owner, state.cause, *named,
                  state.entry.id, state.entry.title):
        # "Kuendigung" and "kundigung" are "Kündigung" typed without its umlaut, as a German
        # keyboard-less search or an id (kuendigungsquote) writes it.
        if value and (needle in _plain(value)
                      or needle in _plain(umlauts_spelled_out(value) or "")):
            return True
    return False


def _plain(text: str) -> str:
    """``text`` as a search compares it: in any case, ``ß`` as ``ss``, the letters NFKD keeps
    whole spelled out, and accents on Latin letters dropped (``Kündigung`` is ``kundigung``),
    as owners' names are compared; marks of other scripts stay (``ガ`` is not ``カ``)."""
    from ..paths import LATIN_LETTERS, latin_accents_dropped

    return latin_accents_dropped(
        unicodedata.normalize("NFKC", text).casefold().translate(LATIN_LETTERS))


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


def _print_block(console: Any, row: dict[str, str], state: ActionState) -> None:
    """One action as a few lines, for a narrow terminal: id, status (with its days overdue)
    and due date; for an action done late, its days late (and the first due date they count
    from, where it was moved, as the table's *Days late* says); then the title, then who owns
    it and where it was raised."""
    from rich.text import Text

    overdue = f" {_days(int(row['Days overdue']))}" if row["Days overdue"] else ""
    first = f"{row['Action']}  {row['Status']}{overdue}  due {row['Due']}"
    late = state.days_late
    lines = [(first, "")]
    if late is not None:
        moved = state.due != state.action.due
        lines.append((f"{_days(late)} late" + (
            f" (first due {state.action.due.isoformat()})" if moved else ""), "  "))
    owner = (f"{row['Owner']} · {row['Team']} · raised in {row['Raised in']}, "
             f"{row['Raised']}")
    # Wrapped between words only (indented as a block under its action): an id, a date or a
    # record id wider than the terminal runs past its edge, never broken. Text, not markup:
    # titles and names print as typed.
    for text, indent in (*lines, (row["Title"], "  "), (owner, "  ")):
        for i, line in enumerate(textwrap.wrap(
                text, width=max(console.width, 1), initial_indent=indent,
                subsequent_indent=indent, break_long_words=False, break_on_hyphens=False)):
            shown = Text(line)
            if text is first and i == 0:
                shown.stylize("bold", 0, len(row["Action"]))
            console.print(shown, soft_wrap=True)
    console.print()


def _days(count: int) -> str:
    """``1 day``, ``41 days``."""
    return f"{count} day{'s' * (count != 1)}"


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
        "Action": state.id, "Title": state.action.title,
        "Owner": state.owner + "".join(f" (handed over from {before})" for _, before, _ in
                                       state.handovers[-1:]),
        "Team": (state.team or "–") + "".join(f" (handed over from {before or '–'})"
                                              for _, before, _ in state.team_handovers[-1:]),
        "Due": state.due.isoformat(),
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
