"""``hindsight prep``: next month's retro draft with the numbers, the agenda and the carry-over
(written by `generator.commands.draft`)."""

from __future__ import annotations

from pathlib import Path

import click

from ..errors import ConfigError, RecordError
from ..records.schema import RetroFormat
from ..site.settings import command_as_of, render_options
from . import skeleton
from .options import (
    as_of_option,
    check_team,
    check_team_reports,
    check_text,
    check_value,
    complete_team,
    git_user,
    handle_errors,
    month,
    no_cache_option,
    retro_held,
    root_option,
)
from .validate import valid_knowledge_base


@click.command()
@click.option("--team", shell_complete=complete_team, required=True,
              help="The team: its id, name or an alias in taxonomy.yml, in any case.")
@click.option("--period", required=True, metavar="YYYY-MM",
              help="The month the retro reviews: 2026-11, or November 2026, Nov 2026 or März 2026.")
@click.option("--metrics", "metrics_file",
              type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="A CSV export of the month's readings: indicator,segment,value "
              "(any case; Indicator ID for indicator); with a team column, other teams' rows "
              "are left out. A month of the site's data/readings.csv reads as one.")
@click.option("--held", metavar="YYYY-MM-DD", help="When it is held (default: today, or the "
              "first day after the month if it is not over).")
@click.option("--facilitator", help="Who facilitates (default: your git user name).")
@click.option("--format", "fmt", type=click.Choice([f.value for f in RetroFormat]),
              default=skeleton.DEFAULT_RETRO_FORMAT, show_default=True, help="The retro format.")
@root_option
@as_of_option
@no_cache_option
@handle_errors
def prep(team: str, period: str, metrics_file: Path | None, held: str | None,
         facilitator: str | None, fmt: str, root: Path, as_of: str | None) -> None:
    """Write next month's retro draft: readings, the agenda, actions carried over.

    The agenda lists the indicators that moved the wrong way against last month and the
    trailing 3-month mean, with the numbers. Open and overdue actions are carried over by id;
    the causes the team cited in the last three months are listed, then the few the rest of
    the company cited most, and a commented "Before you start" block at the top recalls the
    team's open actions and the causes it cited last quarter.
    Refuses to overwrite; a bad CSV gives located errors and writes nothing.
    """
    from ..analysis.analyze import analyze
    from ..analysis.link import link
    from ..errors import Problems
    from .briefing import as_comments, retro_briefing
    from .draft import readings_given, segments_given_last, write_draft
    from .metrics_csv import read_metrics

    period = check_value(month, period, "--period")
    keeper = check_text(facilitator or git_user(root), "--facilitator")
    day = command_as_of(root, as_of)
    # The knowledge base as it stood on the as-of day, as the site of that day shows it: a
    # record held later has not raised its actions, cited its causes or closed anything yet
    # (as of 2027-06-04, a retro held 2027-12-05 carried over actions raised six months on).
    whole = valid_knowledge_base(root, day, "fix them before preparing a draft")
    kb = whole.as_it_stood()
    team = check_team(root, team)
    check_team_reports(root, team, period)
    # Refuses a retro of that month and team already there, in any folder, before any work.
    skeleton.retro_file(root, kb.taxonomy, team, period)
    metrics = None
    # Read from every record, as `new retro` and `validate` read it: a month's readings given
    # in a sprint retro held after the as-of day are given all the same, and the draft
    # offered them again (an error at its indicators: once typed).
    given = readings_given(whole, team, period)
    if metrics_file is not None and given is not None:
        # The draft would give them a second time: an error at its indicators: once written.
        raise ConfigError(f"--metrics {metrics_file.as_posix()}: {team} already gives its "
                          f"readings of {period} in {given.path} (a team that meets every "
                          "sprint gives a month's readings once: leave --metrics out, and "
                          "correct them in that file if they changed)")
    if metrics_file is not None:
        problems = Problems()
        indicators = {i.id: i for i in kb.taxonomy.indicators}
        metrics = read_metrics(metrics_file, metrics_file.as_posix(), indicators, problems,
                               segments_given_last(kb, team, period), period, team,
                               kb.taxonomy.teams)
        for problem in problems.sorted():
            click.echo(problem.format(), err=True)  # stdout is the draft's path
        if problems.errors:
            raise RecordError(f"{metrics_file.as_posix()} has errors; nothing was written")
        for note in metrics.notes:
            click.echo(f"note: {note}", err=True)
    links = link(kb)
    held_day = retro_held(held, period, kb.taxonomy.quarterly_at(team, period), day,
                          kb.taxonomy.meets_by_sprint(team), given is not None)
    before = as_comments(retro_briefing(kb, links, team, period, render_options(root)))
    # The agenda reads the month's given readings too; of that later retro, only them.
    read = kb if given is None or given.record in kb.by_id() \
        else whole.as_it_stood(keep={given.record})
    path = write_draft(kb, links, analyze(read).readings, team, period, held_day, keeper,
                       metrics, fmt, before, given)
    click.echo(path.as_posix())
