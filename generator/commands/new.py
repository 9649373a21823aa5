"""``hindsight new``: scaffold a retro, a quarterly review or a named post-mortem, never over
an existing file (the skeletons are written by `generator.commands.skeleton`)."""

from __future__ import annotations

import datetime as dt
from functools import partial
from pathlib import Path

import click
from pydantic_core import PydanticCustomError

from ..errors import ConfigError, Problems
from ..messages import and_list
from ..paths import slugify, slugify_words, umlauts_spelled_out
from ..records.naming import postmortem_slug
from ..records.schema import PostmortemKind, RetroFormat
from ..records.site_config import spells_umlauts
from ..records.taxonomy import quarter_end
from ..records.types import (
    SLUG,
    months_of_quarter,
    next_month,
    parse_as_of,
    parse_quarter,
    previous_month,
    quarter_as_shown,
    quarter_of_month,
    shown,
)
from ..records.validate import Result, check, load_taxonomy
from ..site.settings import render_options
from . import skeleton
from .options import (
    ask,
    check_day,
    check_plan_kind,
    check_team,
    check_team_reports,
    check_text,
    check_value,
    complete_plan_kind,
    complete_team,
    day_option,
    git_user,
    handle_errors,
    held_after,
    held_by_default,
    month,
    no_cache_option,
    note_held_early,
    require,
    retro_held,
    root_option,
    team_name,
    team_prompt,
)


@click.group()
def new() -> None:
    """Scaffold a new record (never overwrites an existing file)."""


@new.command("retro")
@click.option("--team", shell_complete=complete_team,
              help="The team: its id, name or an alias in taxonomy.yml, in any case.")
@click.option("--period", metavar="YYYY-MM", help="The month reviewed (default: last month; for "
              "a team that meets quarterly, the last month of the latest quarter ended).")
@click.option("--held", metavar="YYYY-MM-DD", help="The date it is held (default: today, or "
              "the first day after the period if it is not over).")
@click.option("--facilitator", help="Who facilitates (default: your git user name).")
@click.option("--format", "fmt", type=click.Choice([f.value for f in RetroFormat]),
              default=skeleton.DEFAULT_RETRO_FORMAT, show_default=True, help="The retro format.")
@root_option
@handle_errors
def new_retro(team: str | None, period: str | None, held: str | None, facilitator: str | None,
              fmt: str, root: Path) -> None:
    """Scaffold a month's retro in retros/ (by default last month's)."""
    today = parse_as_of(None)  # today, or $HINDSIGHT_AS_OF as every other command reads it
    last_month = (today.replace(day=1) - dt.timedelta(days=1)).strftime("%Y-%m")
    team = ask(team, "--team", team_prompt(root), check=partial(check_team, root))
    taxonomy = load_taxonomy(root, Problems())
    if taxonomy is not None and taxonomy.quarterly_at(team, last_month):
        # A team that meets quarterly reviews the latest quarter that has ended, dated its
        # last month (last month itself only when it ends a quarter).
        last_month = quarter_end(last_month) if quarter_end(last_month) == last_month \
            else previous_month(months_of_quarter(quarter_of_month(last_month))[0])
    period = ask(period, "--period", "Month reviewed (YYYY-MM)", last_month,
                 check=partial(check_value, month, option="--period"))
    check_team_reports(root, team, period)
    sprint = taxonomy is not None and taxonomy.meets_by_sprint(team)
    result = check(root, today)
    given = _readings_given(result, team, period) if sprint else None
    # The indicators the team reports, offered as the draft's example readings: the
    # taxonomy's first ones offered a Customer Success team pipeline and win rate.
    reported = skeleton.reported_last(result.kb.retros, team, period) \
        if result.kb is not None else []
    # Their values the team's latest, not one made up by unit for every team.
    written = skeleton.latest_written(result.kb.retros, team, period) \
        if result.kb is not None else {}
    held_day = retro_held(held, period,
                          taxonomy is not None and taxonomy.quarterly_at(team, period), today,
                          sprint, given is not None)
    keeper = check_text(facilitator or git_user(root), "--facilitator")
    path = skeleton.new_retro(root, team, period, held_day, keeper, fmt, team_name(root, team),
                              taxonomy, given, reported, written)
    click.echo(path.as_posix())


def _readings_given(result: Result, team: str, period: str) -> skeleton.ReadingsGiven | None:
    """Where ``team``, a team that meets every sprint, gives its readings of ``period``
    already (an earlier retro of the month) in the knowledge base ``result`` read, as `prep`
    finds it: the draft then asks for none, as a second retro giving them is an error. None
    when none of its retros of the month gives them, or the knowledge base cannot be read
    (the draft then offers examples)."""
    from .draft import readings_given

    found = readings_given(result.kb, team, period) if result.kb is not None else None
    return skeleton.ReadingsGiven(found.path, found.held) if found is not None else None


@new.command("review")
@click.option("--period", metavar="YYYY-Qn",
              help="The quarter reviewed, 2026-Q4 or, as file names write it, 2026-q4, or "
              "as pages show it, Q4 2026 (default: the last quarter that has ended).")
@click.option("--team", shell_complete=complete_team,
              help="The team, for a team's own review: its id, name or an alias (default: company-wide).")
@click.option("--held", metavar="YYYY-MM-DD", help="The date it is held (default: today, or "
              "the first day after the period if it is not over).")
@click.option("--facilitator", help="Who runs it (default: your git user name).")
@root_option
@handle_errors
def new_review(period: str | None, team: str | None, held: str | None,
               facilitator: str | None, root: Path) -> None:
    """Scaffold a quarterly review in retros/."""
    today = parse_as_of(None)
    taxonomy = load_taxonomy(root, Problems())
    if taxonomy is None:
        # As `new retro` and `new postmortem` refuse, before anything is asked: a draft
        # written without the taxonomy offered the sample's New ARR row and said
        # "taxonomy.yml has no plan_kinds yet".
        raise ConfigError("taxonomy.yml has errors; run hindsight validate")
    # The last quarter that has ended: a review looks back on a whole quarter.
    quarter_start = today.replace(month=(today.month - 1) // 3 * 3 + 1, day=1)
    last_q = quarter_start - dt.timedelta(days=1)
    default = f"{last_q.year}-Q{(last_q.month - 1) // 3 + 1}"
    period = ask(period, "--period", "Quarter (YYYY-Qn)", default,
                 check=partial(check_value, _quarter, option="--period"))
    if team:
        team = check_team(root, team)
        check_team_reports(root, team, period)
    reviewed = f"the quarter it reviews ({period})"
    if held is None:
        held_day = held_by_default(months_of_quarter(period), today, reviewed)
    else:
        held_day = day_option(held, "--held")
        held_after(held_day, f"{months_of_quarter(period)[0]}-01", reviewed)
        note_held_early(held_day, period, reviewed)
    keeper = check_text(facilitator or git_user(root), "--facilitator")
    result = check(root, parse_as_of(None))
    latest = _latest(result, months_of_quarter(period)[-1])
    informed = skeleton.deals_inform(result.kb.postmortems) if result.kb is not None else []
    # A team's own review offers a row of an indicator the team reports: a Customer Success
    # team's was offered the company's win rate.
    reported = skeleton.reported_last(result.kb.retros, team, next_month(
        months_of_quarter(period)[-1])) if team and result.kb is not None else []
    path = skeleton.new_review(root, period, held_day, keeper, team, taxonomy, latest, informed,
                               reported)
    click.echo(path.as_posix())


@new.command("postmortem")
@click.option("--name", help="A memorable name: what people will call it when they look for "
              "its lessons.")
@click.option("--slug", help="The file name after the month, e.g. tokyo-big-sight: lowercase "
              "ASCII letters, digits and hyphens (default: from --name).")
@click.option("--kind", type=click.Choice([k.value for k in PostmortemKind]),
              help="What it looks back on; refused when the plan kind it informs is not in "
              "taxonomy.yml and no --plan-kind is given.")
@click.option("--team", shell_complete=complete_team,
              help="The team: its id, name or an alias in taxonomy.yml, in any case.")
@click.option("--plan-kind", shell_complete=complete_plan_kind,
              help="The plan kind it informs, from taxonomy.yml (default: from --kind; give it "
              "for a kind of your own, e.g. with --kind other).")
@click.option("--ended", metavar="YYYY-MM-DD", help="When the event ended, which names the "
              "file's month (asked at a terminal; default: today).")
@click.option("--held", metavar="YYYY-MM-DD",
              help="When the post-mortem is held (default: today, or the day the event ends "
              "if that is later).")
@click.option("--outcome", type=click.Choice(["win", "loss", "mixed"]),
              help="How it turned out (default: win for --kind deal-won, loss for deal-lost, "
              "else mixed).")
@click.option("--facilitator", help="The keeper of the post-mortem (default: git user name).")
@root_option
@no_cache_option
@handle_errors
def new_postmortem(name: str | None, slug: str | None, kind: str | None, team: str | None,
                   plan_kind: str | None, ended: str | None, held: str | None,
                   outcome: str | None,
                   facilitator: str | None, root: Path) -> None:
    """Scaffold a named post-mortem in postmortems/."""
    today = parse_as_of(None).isoformat()
    if slug is not None:
        _check_slug(slug)  # before anything is asked: a bad flag is an error, not a prompt
    # Outside a terminal nothing can be asked: every flag missing is named at once (one at a
    # time took a run each).
    require({"--name": name, "--kind": kind, "--team": team})
    if plan_kind is not None:  # a flag: checked before anything is asked
        check_plan_kind(root, plan_kind)
    name = ask(name, "--name", "Memorable name", check=partial(check_text, option="--name"))
    kind = ask(kind, "--kind", "Kind (" + ", ".join(k.value for k in PostmortemKind) + ")",
               check=partial(_check_kind, root, plan_kind))
    team = ask(team, "--team", team_prompt(root), check=partial(check_team, root))
    # Asked at a terminal: left at today, the file was named after today's month whatever
    # month the event ended in.
    ended = ask(ended, "--ended", "When the event ended (YYYY-MM-DD)", today,
                check=partial(check_day, option="--ended"))
    ended_day = day_option(ended, "--ended")
    # Drafted before the event is over: held once it has ended, not today (refused as
    # "--held is before --ended" when --held was never given).
    held_day = day_option(held, "--held") if held else max(day_option(today, "--held"),
                                                           ended_day)
    if held_day < ended_day:
        raise ConfigError(f"--held {held_day} is before --ended {ended_day}; a post-mortem "
                          "follows the event (leave --held out to hold it when the event ends)")
    keeper = check_text(facilitator or git_user(root), "--facilitator")
    informs = plan_kind or PostmortemKind(kind).plan_kind
    # On a German site "Die Kündigung" is die-kuendigung, as the team would spell it.
    german = spells_umlauts(root)
    if not slug and postmortem_slug(name, kind, german) != slugify_words(
            (umlauts_spelled_out(name) or name) if german else name):
        # The file name does not read as the name: say where it came from, and how to choose.
        click.echo(f"note: {name!r} has letters with no ASCII form, and file names are ASCII "
                   "record ids; the file is named with a short hash of the name (give --slug "
                   "to choose its name)", err=True)
    if outcome is None:  # a deal won is a win, one lost a loss
        outcome = {"deal-won": "win", "deal-lost": "loss"}.get(kind, "mixed")
    result = check(root, parse_as_of(None))
    path = skeleton.new_postmortem(root, name, kind, team, ended_day, held_day, keeper, outcome,
                                     _postmortem_briefing(result, root, informs), plan_kind,
                                     slug or postmortem_slug(name, kind, german),
                                     load_taxonomy(root, Problems()),
                                     _latest(result, f"{ended_day:%Y-%m}"))
    click.echo(path.as_posix())


def _latest(result: Result, until: str) -> skeleton.Latest:
    """The latest readings of ``result``'s knowledge base up to the month ``until``: the end of
    the quarter a review draft reviews, or the month a post-mortem's event ended, for the
    draft's example goal (none where the taxonomy cannot be read: the goal is then one of its
    unit). An error in some record leaves the readings of the others as they are."""
    if result.kb is None:
        return {}
    return skeleton.latest_readings(result.kb.retros, until)


def _quarter(value: str) -> str:
    """A ``--period`` quarter as records write it: ``2026-q4``, as the review's file name
    writes it, is 2026-Q4, and so is ``Q4 2026``, as the site's pages write it (or
    ``Q4/2026``, ``4. Quartal 2026``)."""
    try:
        return parse_quarter(quarter_as_shown(value) or value.strip().replace("q", "Q"))
    except PydanticCustomError as exc:  # said of the value as typed, not as normalised
        raise PydanticCustomError(exc.type, exc.message_template,
                                  {**(exc.context or {}), "got": shown(value)}) from None


_SLUG_ROOM = 80 - len("YYYY-MM-")
"""The longest ``--slug``: a record id is at most 80 characters, and the month comes first."""


def _check_slug(slug: str) -> str:
    """A ``--slug`` that makes a valid record id after the month, or an error with one."""
    if not SLUG.fullmatch(slug) or len(slug) > _SLUG_ROOM:
        example = slugify(slug)[:_SLUG_ROOM].strip("-") or "tokyo-big-sight"
        raise ConfigError(f"--slug must be lowercase ASCII letters, digits and hyphens, at most "
                          f"{_SLUG_ROOM} characters, like a record id (got {slug!r}; e.g. "
                          f"{example})")
    return slug


def _check_kind(root: Path, plan_kind: str | None, kind: str) -> str:
    """A post-mortem kind, or an error listing them; without ``plan_kind`` (``--plan-kind``),
    one whose plan kind the taxonomy has, or an error naming the plan kinds it has (its
    lessons and assumptions would reach no checklist, and its draft's example lesson would
    name a plan kind that validation refuses)."""
    if kind not in {k.value for k in PostmortemKind}:
        raise ConfigError(f"--kind must be one of {', '.join(k.value for k in PostmortemKind)}")
    implied = PostmortemKind(kind).plan_kind
    taxonomy = load_taxonomy(root, Problems())
    if plan_kind is not None or implied is None or taxonomy is None:
        return kind
    known = [k.id for k in taxonomy.plan_kinds]
    if implied not in known:
        has = (f"its plan kinds are {and_list(known)}; give the one it informs with --plan-kind, "
               f"e.g. --plan-kind {known[0]}, or add" if known else "it has none; add")
        raise ConfigError(f"--kind {kind} informs the plan kind {implied}, which taxonomy.yml "
                          f"does not have ({has} {implied} to plan_kinds in taxonomy.yml)")
    return kind


def _postmortem_briefing(result: Result, root: Path, plan_kind: str | None) -> str:
    """The "Before you start" comment block from the knowledge base ``result`` read, or a line
    saying why there is none."""
    from ..analysis.link import link
    from .briefing import HEADING, as_comments, postmortem_briefing

    if result.kb is None or result.problems.errors:
        return as_comments([HEADING, "  (nothing: the knowledge base has errors; run hindsight "
                            "validate)"])
    # What was known on the as-of day, as `hindsight plan` reads it: a record held later is
    # not learned yet (drafted as of 2025-07-01, the block listed lessons held 2026-11-25).
    kb = result.kb.as_it_stood()
    return as_comments(postmortem_briefing(kb, link(kb), plan_kind, render_options(root)))
