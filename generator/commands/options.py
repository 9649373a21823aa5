"""What every command shares: its options, error handling, and asking for what is missing."""

from __future__ import annotations

import datetime as dt
import errno
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

import click

from ..errors import ConfigError, HindsightError
from ..messages import and_list, decodable, printable
from ..records import record_cache
from ..records.load import CACHE_DIR
from ..records.placeholders import NOBODY
from ..records.types import AS_OF_ENV, day_first_hint, parse_month, shown

if TYPE_CHECKING:
    from ..records.taxonomy import Taxonomy

F = TypeVar("F", bound=Callable[..., Any])


def handle_errors(func: F) -> F:
    """Print user errors as one line without a traceback; bugs keep theirs."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        as_json = kwargs.get("fmt") == "json"
        try:
            return func(*args, **_utf8_arguments(kwargs))
        except BrokenPipeError:
            # The reader went away (`hindsight validate | head -1`): before any OSError, whose
            # handling would try to write an error to it.
            reader_gone()
        except HindsightError as exc:
            # A message may name a file whose name is not UTF-8: its bad bytes as U+FFFD.
            click.echo(f"error: {decodable(str(exc))}", err=True)
            if as_json:
                _json_error(decodable(str(exc)), exc.exit_code, exc.details)
            sys.exit(exc.exit_code)
        except OSError as exc:
            # The machine refused a file (permissions, a read-only or full disk): its name
            # and the system's reason, not a traceback. Anything else is a bug, and shows.
            if exc.filename is None:
                raise
            hint = _OS_HINTS.get(exc.errno or 0, '')
            if CACHE_DIR in Path(str(exc.filename)).parts:
                # Only the cache is refused: the command runs without it.
                hint = (f" (the cache, {CACHE_DIR}, cannot be written: run the command with "
                        f"--no-cache, or delete {CACHE_DIR}: it is made again)")
            message = f"{decodable(str(exc.filename))}: {exc.strerror}{hint}"
            click.echo(f"error: {message}", err=True)
            if as_json:
                _json_error(message, 1)
            sys.exit(1)

    return wrapper  # type: ignore[return-value]


_VERBATIM = frozenset({"since", "dev_addr"})
"""Parameters passed on as given, not read as text: a git ref (``--changed-since``) is bytes
to git, and an address is ASCII."""


def _utf8_arguments(kwargs: dict[str, Any]) -> dict[str, Any]:
    """The command's parameters with every text one read as UTF-8 (`utf8_text`), named by the
    option it came from in an error. Paths stay as given: a file's name may be any bytes."""
    ctx = click.get_current_context(silent=True)
    if ctx is None:
        return kwargs
    options = {param.name: (param.opts[0] if isinstance(param, click.Option)
                            else param.human_readable_name)
               for param in ctx.command.params}
    return {name: utf8_text(value, options.get(name, name))
            if isinstance(value, str) and name not in _VERBATIM else value
            for name, value in kwargs.items()}


def utf8_text(value: str, option: str) -> str:
    """``value``, given on the command line (or typed at a prompt), as the UTF-8 text it was
    written in; else an error naming ``option``.

    Python decodes arguments by the locale, keeping bytes it cannot decode as lone
    surrogates: under a locale that is not UTF-8 (``LC_ALL=C`` in a CI job), "München" arrives
    as "M" and two such bytes, which the file name dropped and writing the record failed on.
    Bytes that are not UTF-8 at all (Latin-1's ü, 0xfc) are refused: no record can hold them.
    """
    if not _SURROGATE.search(value):
        return value
    raw = os.fsencode(value)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        shown = printable(raw.decode("utf-8", "backslashreplace"))
        raise ConfigError(f'{option} is not UTF-8 text: "{shown}" has bytes of another '
                          "encoding (such as Latin-1); write it in UTF-8") from None


_SURROGATE = re.compile("[\ud800-\udfff]")


READER_GONE = 141
"""The exit status when the reader of stdout went away (`| head -1`): 128 + SIGPIPE (13), what
the shell reports for `yes | head -1` and every tool killed by the signal. Click's and Python's
own handling of a broken pipe exits 1, which here says the records have errors."""


def reader_gone() -> NoReturn:
    """End quietly with `READER_GONE`: what is left of stdout goes nowhere, so neither the
    exit's flush nor anything printed after raises a broken pipe again."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)
    sys.exit(READER_GONE)


def stdout_console(width: int | None) -> Any:
    """A rich console printing to stdout at ``width`` that ends as `reader_gone` when the
    reader goes away (rich's own handling exits 1, the code for records with errors)."""
    from rich.console import Console

    class _Console(Console):
        def on_broken_pipe(self) -> None:
            self.quiet = True
            reader_gone()

    return _Console(width=width, highlight=False, soft_wrap=False)


def flushed(code: int) -> int:
    """``code`` once stdout is flushed, or `READER_GONE` when its reader went away before the
    last of it was written (the whole report buffered, written only as the command ends)."""
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        try:
            reader_gone()
        except SystemExit:
            return READER_GONE
    except (OSError, ValueError):  # closed: nothing more can be said anyway
        pass
    return code


def _json_error(message: str, exit_code: int, details: dict[str, object] | None = None) -> None:
    """A failure as the JSON a script reads from stdout (``--format json``): the message and
    exit code, and the records' problems when they are the reason; never an empty stdout
    that a JSON reader fails on without saying why."""
    import json

    answer = {"error": {"message": message, "exit_code": exit_code}, **(details or {})}
    click.echo(json.dumps(answer, indent=2, ensure_ascii=False))


_OS_HINTS = {errno.EACCES: " (check its permissions and its folder's)",
             errno.EPERM: " (check its permissions and its folder's)",
             errno.EROFS: " (the file system is read-only: pick a folder you can write to)",
             errno.ENOSPC: " (the disk is full: free some space and run it again)"}


def root_option(func: F) -> F:
    """The ``--root`` option: the knowledge base's folder."""
    return click.option(
        "--root", type=click.Path(file_okay=False, path_type=Path), default=Path("."),
        show_default=True, help="The knowledge base's root folder (holds taxonomy.yml).",
    )(func)


def as_of_option(func: F) -> F:
    """The ``--as-of`` option: the date overdue actions are judged by."""
    return click.option(
        "--as-of", "as_of", metavar="YYYY-MM-DD",
        help=("The date to judge overdue actions by (default: the hindsight plugin's as_of in "
              f"mkdocs.yml, else ${AS_OF_ENV}, else today)."),
    )(func)


def _bypass_cache(ctx: click.Context, param: click.Parameter, value: bool) -> bool:
    record_cache.set_enabled(not value and record_cache.enabled_by_environment())
    return value


def no_cache_option(func: F) -> F:
    """The ``--no-cache`` option: bypass ``.hindsight-cache/`` for this run."""
    return click.option(
        "--no-cache", is_flag=True, expose_value=False, callback=_bypass_cache,
        help="Parse and validate every record afresh (ignore the record cache in "
             ".hindsight-cache).",
    )(func)


def columns_given() -> int | None:
    """``COLUMNS`` when it is a positive whole number; None when it is unset, empty, not a
    number or not positive, as if not given (some CI runners export ``COLUMNS=0``, which
    printed the actions register one word a line and no action)."""
    given = os.environ.get("COLUMNS", "").strip()
    return int(given) if given.isdigit() and int(given) > 0 else None


def output_width(piped: int | None) -> int | None:
    """The width to print text at: ``COLUMNS`` when it gives one, else the terminal's on a
    terminal, else ``piped`` (None: unwrapped)."""
    given = columns_given()
    if given is not None:
        return given
    if sys.stdout.isatty():
        return shutil.get_terminal_size().columns  # the terminal's, COLUMNS being no help
    return piped


def count(n: int, noun: str) -> str:
    """``n`` and the noun, plural unless one: "1 error", "3 files"."""
    return f"{n} {noun}{'' if n == 1 else 's'}"


def select(root: Path, paths: tuple[Path, ...]) -> list[str]:
    """PATHS given on the command line, relative to the knowledge base (an error if outside
    it, or if it does not exist)."""
    selected = []
    for path in paths:
        # Where the path is written, not where a link in it leads: a link in retros/ is that
        # link (which validation refuses as such), not the file it points at.
        written, base = Path(os.path.abspath(path)), Path(os.path.abspath(root))
        try:
            rel = written.relative_to(base).as_posix()
        except ValueError:
            try:  # the root reached through a link, or the path through one
                rel = written.resolve().relative_to(base.resolve()).as_posix()
            except ValueError:
                raise ConfigError(f"{path} is outside the knowledge base at {root}") from None
        selected.append(rel)
        if not path.exists() and not path.is_symlink():
            raise ConfigError(f"{path} does not exist")
    return selected


def git_user(root: Path) -> str:
    """The git user name, the default facilitator of a new record (`NOBODY` without one:
    validation warns until a name replaces it)."""
    try:
        # UTF-8, as git writes it, whatever the locale (a name with an ü failed to decode
        # under LC_ALL=C).
        name = subprocess.run(["git", "config", "user.name"], cwd=root, capture_output=True,
                              encoding="utf-8", errors="replace", check=False,
                              timeout=5).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        name = ""
    return name or NOBODY


def ask(value: str | None, option: str, prompt: str, default: str | None = None,
        check: Callable[[str], str] | None = None) -> str:
    """A flag's value, or a prompt when a person is at a terminal, or a clear error.

    ``check`` turns a value into the one to use or raises `ConfigError`: a flag's bad value
    is an error, a typed one is explained and asked for again.
    """
    checked = check or (lambda text: text)
    if value:
        return checked(value)
    if sys.stdin.isatty():
        def again(text: str) -> str:
            try:
                return checked(utf8_text(text, option))
            except ConfigError as exc:  # click prints it and asks again
                # Said of the answer: an option's name means nothing to someone asked.
                message = str(exc)
                if message.startswith(f"{option} "):
                    message = "the answer " + message[len(option) + 1:]
                raise click.UsageError(message) from None

        # On stderr, as its explanations of a wrong answer: stdout holds only what the
        # command made (`p=$(hindsight new retro …)` captured the prompt, and a person at the
        # terminal never saw it).
        return str(click.prompt(prompt, default=default, value_proc=again, err=True))
    if default is not None:
        return checked(default)
    raise ConfigError(f"{option} is required (or run in a terminal to be asked)")


def require(values: dict[str, str | None]) -> None:
    """Outside a terminal, an error naming every option of ``values`` (option → value) left
    out, for a command that would ask for each at a terminal; nothing at a terminal."""
    missing = [option for option, value in values.items() if not value]
    if missing and not sys.stdin.isatty():
        raise ConfigError(f"{and_list(missing)} {'is' if len(missing) == 1 else 'are'} "
                          "required (or run in a terminal to be asked)")


def day_option(value: str, option: str) -> dt.date:
    """A date option's value, or an error naming the option."""
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        hint = day_first_hint(value)
        raise ConfigError(f"{option} must be a date like 2026-06-30 (got {value!r})"
                          + (f" ({hint})" if hint else "")) from None


def check_day(value: str, option: str) -> str:
    """A date option's value as ``YYYY-MM-DD`` (for `ask`), or an error naming the option."""
    return day_option(value, option).isoformat()


def held_after(held: dt.date, start: str, what: str, say_start: bool = False) -> None:
    """Refuse a ``--held`` date validation would refuse: before the period reviewed began
    (``start``, ``YYYY-MM-DD``, said when ``say_start``)."""
    if held < dt.date.fromisoformat(start):
        began = f" ({start})" if say_start else ""
        raise ConfigError(f"--held {held} is before {what} began{began}; a record looks back "
                          "on it")


def retro_held(held: str | None, period: str, quarterly: bool, today: dt.date,
               sprint: bool = False, readings_given: bool = False) -> dt.date:
    """The day a retro of ``period`` (``YYYY-MM``) is held: ``--held``, checked by
    `check_retro_held`, else `held_by_default` (of the quarter for a team that meets
    quarterly, ``quarterly``: dated its last month, it ends with it). A team that meets every
    sprint (``sprint``) holds its retros within the month: today, while the month runs;
    ``readings_given``: an earlier retro of its month gives the month's readings already."""
    from ..records.record_rules import retro_reviews
    from ..records.types import period_last_day

    if held is None:
        if sprint and period <= today.isoformat()[:7] and today <= period_last_day(period):
            return today
        reviewed = retro_reviews(period, quarterly)
        return held_by_default([period], today, f"the {reviewed.noun} it reviews "
                                                f"({reviewed.named})")
    day = day_option(held, "--held")
    check_retro_held(day, period, quarterly, sprint, readings_given)
    return day


def held_by_default(months: list[str], today: dt.date, what: str) -> dt.date:
    """`default_held` for a draft reviewing ``months`` (``what``), said in a note where it is
    not today: the day after the period, which the draft cannot know is the meeting's."""
    from ..records.types import default_held, period_last_day

    day = default_held(months, today)
    if day != today:
        click.echo(f"note: held: {day}, the day after {what} ends "
                   f"({period_last_day(months[-1])}), as it is not over yet; change it to the "
                   "day the meeting is held (or pass --held): until that day the site leaves "
                   "it out", err=True)
    return day


def check_retro_held(held: dt.date, period: str, quarterly: bool, sprint: bool = False,
                     readings_given: bool = False) -> None:
    """`held_after` and `note_held_early` for a retro of ``period`` (``YYYY-MM``): of its
    month, or, for a team that meets quarterly (``quarterly``), of the quarter it is dated the
    last month of (held in its first two months is early, not before it began). A team that
    meets every sprint (``sprint``) holds retros within the month: only the month's readings
    wait for its end, and none are left to wait once an earlier retro of the month gave them
    (``readings_given``)."""
    from ..records.record_rules import retro_reviews
    from ..records.types import period_last_day

    reviewed = retro_reviews(period, quarterly)
    what = f"the {reviewed.noun} it reviews ({reviewed.named})"
    held_after(held, reviewed.first_day.isoformat(), what, say_start=quarterly)
    if not sprint:
        note_held_early(held, period, what)
    elif not readings_given and held < (ended := period_last_day(period)):
        click.echo(f"note: held: {held} is before {what} ends ({ended}); give the month's "
                   "readings in its retro held after the month, not in this one (validate "
                   "warns of readings of a month not over)", err=True)


def note_held_early(held: dt.date, period: str, what: str) -> None:
    """Say, as a draft is written, that it is held before its period ends (a month or a
    quarter not over yet): validate warns about it until ``held:`` says the real day."""
    from ..records.types import period_last_day

    ended = period_last_day(period)
    if held < ended:
        click.echo(f"note: held: {held} is before {what} ends ({ended}); validate warns until "
                   "it says the day the meeting is held (or pass --held)", err=True)


_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august",
           "september", "october", "november", "december")
_MONTH_NAMES = {**{name: n for n, name in enumerate(_MONTHS, 1)},
                **{name[:3]: n for n, name in enumerate(_MONTHS, 1)}, "sept": 9}
_GERMAN_MONTHS = ("januar", "februar", "märz", "april", "mai", "juni", "juli", "august",
                  "september", "oktober", "november", "dezember")
_MONTH_NAMES.update({name: n for n, name in enumerate(_GERMAN_MONTHS, 1)})
_MONTH_NAMES.update({name[:3]: n for n, name in enumerate(_GERMAN_MONTHS, 1)})
_MONTH_NAMES.update({"jänner": 1, "jän": 1, "maerz": 3, "mrz": 3})
"""English and German month names, whole and short (``november``, ``nov``; ``März``,
``Okt``, Austria's ``Jänner``), as a person answers "which month?"."""


def month(value: str) -> str:
    """A ``--period`` month (of ``new retro`` and ``prep`` alike): ``2026-11``, or as a person
    writes it, ``November 2026``, ``Nov 2026`` or in German, ``März 2026`` (else a
    `ValueError`, "must be a month like 2026-05", for `check_value` to name the option or a
    prompt to ask again)."""
    words = value.replace(",", " ").split()
    if len(words) == 2 and words[0].casefold().rstrip(".") in _MONTH_NAMES \
            and words[1].isdigit() and len(words[1]) == 4:
        return parse_month(f"{words[1]}-{_MONTH_NAMES[words[0].casefold().rstrip('.')]:02d}")
    try:
        return parse_month(value)
    except ValueError:
        hint = day_first_hint(value)
        if hint:  # `11.2026`, as a German team writes a month
            raise ValueError(f"must be a month like 2026-05 (got {shown(value)}) ({hint})") from None
        raise


def check_value(parse: Callable[[Any], str], value: str, option: str) -> str:
    """An option's value checked by a field type's parser, or an error naming the option."""
    try:
        return parse(value)
    except ValueError as exc:  # PydanticCustomError is a ValueError
        raise ConfigError(f"{option} {exc}") from None


def team_name(root: Path, team: str) -> str:
    """A team's name from the taxonomy (its id if the taxonomy cannot be read)."""
    from ..errors import Problems
    from ..records.validate import load_taxonomy

    taxonomy = load_taxonomy(root, Problems())
    return taxonomy.team(team).name if taxonomy else team


def check_plan_kind(root: Path, kind: str) -> str:
    """A plan kind id the taxonomy knows, or an error with the closest one."""
    return _known(root, kind, "plan kind", lambda t: {k.id for k in t.plan_kinds},
                  "; plan kinds are added to plan_kinds in taxonomy.yml")


def check_team(root: Path, team: str) -> str:
    """The id of the team ``team`` names: by its id, its name or an earlier id (an alias), in
    any case (``Sales``, ``customer success``); else an error with the closest id."""
    from ..errors import Problems
    from ..records.taxonomy import did_you_mean, spelling_key
    from ..records.validate import load_taxonomy

    taxonomy = load_taxonomy(root, Problems())
    if taxonomy is None:
        raise ConfigError("taxonomy.yml has errors; run hindsight validate")
    found = taxonomy.team_named(team) or _team_loosely_named(taxonomy, team)
    if found is None:
        # Compared as an id is written, so `Slaes` is asked about as sales.
        raise ConfigError(f"unknown team {team!r} ("
                          f"{did_you_mean(spelling_key(team).replace(' ', '-'), taxonomy.team_ids())})")
    return found


def _team_loosely_named(taxonomy: Taxonomy, team: str) -> str | None:
    """The team a long name typed loosely names (another dash, no accents: `loose_key`), or
    None when it names none; an error listing them when it may be several, or one only in
    part (``--team sdr``, ``--team Iberia``)."""
    from ..records.taxonomy import teams_loosely_named

    found, whole = teams_loosely_named(taxonomy.teams, team)
    if len(found) == 1 and whole:
        return found[0]
    if not found:
        return None
    named = ", ".join(f"{t} ({taxonomy.team(t).name})" for t in found)
    if len(found) == 1:
        raise ConfigError(f"unknown team {team!r} (did you mean {named}?)")
    raise ConfigError(f"--team {team} matches {len(found)} teams: {named}: give one")


def team_prompt(root: Path) -> str:
    """The prompt asking for a team, naming the taxonomy's teams (a first answer was a guess:
    they were listed only after a wrong one)."""
    from ..errors import Problems
    from ..records.validate import load_taxonomy

    taxonomy = load_taxonomy(root, Problems())
    teams = [t.name for t in (taxonomy.teams if taxonomy is not None else [])]
    return f"Team ({', '.join(teams)})" if teams else "Team id"


def check_team_reports(root: Path, team: str, period: str) -> None:
    """An error when ``team`` (a team's id) was retired (``retired:`` in taxonomy.yml) before
    the month or quarter ``period``: a dissolved team holds no retro or review after it; and
    when a team that meets quarterly is given a retro's month that is not its quarter's last."""
    from ..errors import Problems
    from ..records.taxonomy import quarter_end, retired_after, retired_said
    from ..records.types import months_of_quarter, quarter_of_month
    from ..records.validate import load_taxonomy

    taxonomy = load_taxonomy(root, Problems())
    retired = next((t.retired for t in taxonomy.teams if t.id == team), None) \
        if taxonomy is not None else None
    quarterly = taxonomy is not None and "Q" not in period \
        and taxonomy.quarterly_at(team, period)
    # A quarterly retro reviews its quarter, as a review does: a team retired in August
    # worked July and August of Q3, so its retro of Q3 (dated September) is its last one.
    first = months_of_quarter(period)[0] if "Q" in period \
        else months_of_quarter(quarter_of_month(period))[0] if quarterly else period
    if taxonomy is not None and quarterly and quarter_end(period) != period:
        # As validation refuses it: its readings would be read as the quarter's all the same.
        since = taxonomy.team(team).quarterly_from
        said = (f"from {since} (retros: quarterly, quarterly_from: {since} in taxonomy.yml)"
                if since else "(retros: quarterly in taxonomy.yml)")
        raise ConfigError(f"--period {period}: {team} holds its retros quarterly {said}, and "
                          "a retro's period is its quarter's "
                          f"last month: use --period {quarter_end(period)}, the last month of "
                          f"{quarter_of_month(period)}")
    if retired is not None and retired_after(retired, first):
        named = f"{quarter_of_month(period)} (--period {period})" if quarterly else period
        raise ConfigError(f"{team} was {retired_said(retired)} (retired: {retired} in "
                          f"taxonomy.yml), so it holds no retro or review for {named}; write "
                          "it under the team that took its work over, or remove retired: from "
                          f"{team} in taxonomy.yml if it reports again")


def _known(root: Path, value: str, noun: str, ids: Callable[[Any], set[str]],
           more: str = "") -> str:
    """``value`` if the taxonomy's ``ids`` hold it, else an error naming the closest."""
    from ..errors import Problems
    from ..records.taxonomy import did_you_mean
    from ..records.validate import load_taxonomy

    taxonomy = load_taxonomy(root, Problems())
    if taxonomy is None:
        raise ConfigError("taxonomy.yml has errors; run hindsight validate")
    known = ids(taxonomy)
    if value not in known:
        raise ConfigError(f"unknown {noun} {value!r} ({did_you_mean(value, known)}{more})")
    return value


def check_text(value: str, option: str) -> str:
    """A name or title given on the command line, refused if its record would not validate:
    an invisible character (a newline would end the draft's comment line, or its front
    matter) or markup (names and titles are plain text)."""
    from ..messages import bad_char
    from ..records.plaintext import markup_in

    found = bad_char(value, block=False)
    if found is not None:
        # A `|` block, the fix in a record, means nothing on the command line.
        what = "contains a line break" if value[found.at] == "\n" else found.message
        raise ConfigError(f"{option} {what} (give it on one line, as plain text)")
    markup = markup_in(value)
    if markup is not None:
        raise ConfigError(f"{option} is plain text but contains {markup} (write it without)")
    return value


def _taxonomy_for_completion(ctx: click.Context) -> Any:
    """The taxonomy of the knowledge base a command being completed would use (``--root``
    if typed before, else the current folder); None if it cannot be read."""
    from ..errors import Problems
    from ..records.validate import load_taxonomy

    root = ctx.params.get("root") or Path(".")
    try:
        return load_taxonomy(Path(root), Problems())
    except HindsightError:
        return None


def complete_team(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[Any]:
    """Shell completion for ``--team``: the taxonomy's team ids, with their names."""
    from click.shell_completion import CompletionItem

    taxonomy = _taxonomy_for_completion(ctx)
    return [CompletionItem(t.id, help=t.name) for t in (taxonomy.teams if taxonomy else [])
            if t.id.startswith(incomplete)]


def complete_plan_kind(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[Any]:
    """Shell completion for a plan kind: the taxonomy's plan kind ids, with their titles."""
    from click.shell_completion import CompletionItem

    taxonomy = _taxonomy_for_completion(ctx)
    return [CompletionItem(k.id, help=k.title) for k in (taxonomy.plan_kinds if taxonomy else [])
            if k.id.startswith(incomplete)]
