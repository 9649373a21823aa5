"""The ``hindsight`` command line. Errors a user can cause print one line and exit non-zero."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import click

from ..errors import ConfigError, HindsightError, Problem, RecordError, Severity
from ..records import record_cache
from ..records.corpus import KnowledgeBase
from ..records.schema import MODELS, PostmortemKind, RetroFormat
from ..records.types import AS_OF_ENV, parse_as_of, parse_month, parse_quarter
from ..records.validate import Result, check
from ..site.settings import render_options
from . import new as new_module

F = TypeVar("F", bound=Callable[..., Any])


def _handle_errors(func: F) -> F:
    """Print user errors as one line without a traceback; bugs keep theirs."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except HindsightError as exc:
            click.echo(f"error: {exc}", err=True)
            sys.exit(exc.exit_code)

    return wrapper  # type: ignore[return-value]


def _root_option(func: F) -> F:
    return click.option(
        "--root", type=click.Path(file_okay=False, path_type=Path), default=Path("."),
        show_default=True, help="The knowledge base's root folder (holds taxonomy.yml).",
    )(func)


def _as_of_option(func: F) -> F:
    return click.option(
        "--as-of", "as_of", metavar="YYYY-MM-DD",
        help=f"The date to judge overdue actions by (default: ${AS_OF_ENV}, else today).",
    )(func)


def _bypass_cache(ctx: click.Context, param: click.Parameter, value: bool) -> bool:
    record_cache.set_enabled(not value and record_cache.enabled_by_environment())
    return value


def _no_cache_option(func: F) -> F:
    return click.option(
        "--no-cache", is_flag=True, expose_value=False, callback=_bypass_cache,
        help="Parse and validate every record afresh (ignore the record cache in "
             ".hindsight-cache).",
    )(func)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="hindsight")
def main() -> None:
    """Hindsight: the searchable memory of your go-to-market retros and post-mortems."""


def run() -> None:
    """The ``hindsight`` program: every command but ``serve`` runs once and exits."""
    from ..gcpause import exit_now, short_lived

    if "serve" in sys.argv[1:2]:
        main()
        return
    short_lived()
    try:
        main()
    except SystemExit as exc:
        if exc.code is None or isinstance(exc.code, int):
            exit_now(exc.code or 0)
        raise
    exit_now(0)


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


# --- validate ---------------------------------------------------------------------------


def _select(root: Path, paths: tuple[Path, ...]) -> list[str]:
    selected = []
    for path in paths:
        full = (path if path.is_absolute() else Path.cwd() / path).resolve()
        try:
            selected.append(full.relative_to(root.resolve()).as_posix())
        except ValueError:
            raise ConfigError(f"{path} is outside the knowledge base at {root}") from None
    return selected


def _in_selection(problem: Problem, selected: list[str]) -> bool:
    if not selected:
        return True
    return any(s in (".", "") or problem.path == s or problem.path.startswith(s.rstrip("/") + "/")
               for s in selected)


def report(result: Result, fmt: str, selected: list[str], strict: bool) -> int:
    """Print every problem, then the summary; return the exit code."""
    problems = [p for p in result.problems.sorted() if _in_selection(p, selected)]
    errors = sum(1 for p in problems if p.severity is Severity.ERROR)
    warnings = len(problems) - errors
    files = result.files
    if selected and result.kb is not None:
        files = len({e.path for e in result.kb.entries if _in_selection(
            Problem(e.path, 0, 0, "", ""), selected)} | {p.path for p in problems})
    if fmt == "json":
        click.echo(json.dumps(_json_report(result, problems, errors, warnings, files), indent=2,
                              ensure_ascii=False))
        return 1 if errors or (strict and warnings) else 0
    for problem in problems:
        click.echo(problem.format_github() if fmt == "github" else problem.format())
    click.echo(f"{_count(errors, 'error')}, {_count(warnings, 'warning')} in {_count(files, 'file')}")
    if result.kb is not None and not errors:
        kb = result.kb
        click.echo(f"{_count(len(kb.entries), 'record')}: {_count(len(kb.retros), 'retro')}, "
                   f"{_count(len(kb.reviews), 'quarterly review')}, "
                   f"{_count(len(kb.postmortems), 'post-mortem')}")
    return 1 if errors or (strict and warnings) else 0


def _json_report(result: Result, problems: list[Problem], errors: int, warnings: int,
                 files: int) -> dict[str, Any]:
    """The report as data: every problem, located, and the summary."""
    kb = result.kb
    return {
        "problems": [{"path": p.path, "line": p.line, "col": p.col, "field": p.field,
                      "message": p.message, "hint": p.hint, "severity": p.severity.value}
                     for p in problems],
        "summary": {"errors": errors, "warnings": warnings, "files": files,
                    "records": None if kb is None or errors else len(kb.entries)},
    }


def _valid_knowledge_base(root: Path, day: dt.date, hint: str) -> KnowledgeBase:
    """The whole knowledge base, validated; its problems printed and a clear error if invalid."""
    result = check(root, day)
    if result.kb is None or result.problems.errors:
        report(result, "text", [], strict=False)
        raise ConfigError(f"the knowledge base has errors; {hint}")
    return result.kb


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@_root_option
@_as_of_option
@click.option("--strict", is_flag=True, help="Fail on warnings too.")
@click.option("--format", "fmt", type=click.Choice(["text", "github", "json"]), default="text",
              show_default=True, help="github prints ::error annotations for GitHub Actions; "
              "json prints every problem and the summary as one JSON object.")
@click.option("--changed-since", "since", metavar="REF",
              help="Report only records changed since this git ref (e.g. origin/main), still "
              "checked against the whole knowledge base.")
@_no_cache_option
@_handle_errors
def validate(paths: tuple[Path, ...], root: Path, as_of: str | None, strict: bool,
             fmt: str, since: str | None) -> None:
    """Check every record and the rules across records.

    PATHS limits the report to those files or folders; records are still checked against
    the whole knowledge base. Exit 1 on errors (or warnings with --strict).
    """
    selected = _select(root, paths)
    for path in paths:
        if not path.exists() and not path.is_symlink():
            raise ConfigError(f"{path} does not exist")
    if since is not None:
        from ..analysis.provenance import changed_since

        changed = changed_since(root, since)
        if "*" not in changed:
            # Only what changed is reported; an empty change reports nothing at all.
            selected = [p for p in sorted(changed) if not selected or any(
                p == s or p.startswith(s.rstrip("/") + "/") for s in selected)] or ["\0none"]
    result = check(root, parse_as_of(as_of))
    code = report(result, fmt, selected, strict)
    if fmt == "github" and os.environ.get("GITHUB_STEP_SUMMARY"):
        write_summary(Path(os.environ["GITHUB_STEP_SUMMARY"]), result, selected)
    sys.exit(code)


def write_summary(path: Path, result: Result, selected: list[str]) -> None:
    """Append every problem to the GitHub job summary (annotations are capped per step)."""
    from ..escape import cell

    problems = [p for p in result.problems.sorted() if _in_selection(p, selected)]
    lines = ["## hindsight validate", ""]
    if not problems:
        lines.append("No problems found.")
    else:
        lines += ["| | File | Line | Field | Problem |", "| --- | --- | --- | --- | --- |"]
        for p in problems:
            icon = "❌" if p.severity is Severity.ERROR else "⚠️"
            hint = f" ({p.hint})" if p.hint else ""
            lines.append(f"| {icon} | `{p.path}` | {p.line} | `{p.field or '-'}` | "
                         f"{cell(p.message + hint)} |")
    with path.open("a", encoding="utf-8") as handle:
        handle.write("\n".join(lines) + "\n\n")


# --- new --------------------------------------------------------------------------------


def _git_user(root: Path) -> str:
    try:
        name = subprocess.run(["git", "config", "user.name"], cwd=root, capture_output=True,
                              text=True, check=False, timeout=5).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        name = ""
    return name or "To be named"


def _ask(value: str | None, option: str, prompt: str, default: str | None = None) -> str:
    """A flag's value, or a prompt when a person is at a terminal, or a clear error."""
    if value:
        return value
    if sys.stdin.isatty():
        return str(click.prompt(prompt, default=default))
    if default is not None:
        return default
    raise ConfigError(f"{option} is required (or run in a terminal to be asked)")


def _day(value: str, option: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ConfigError(f"{option} must be a date like 2026-06-30 (got {value!r})") from None


def _check_value(parse: Callable[[Any], str], value: str, option: str) -> str:
    try:
        return parse(value)
    except ValueError as exc:  # PydanticCustomError is a ValueError
        raise ConfigError(f"{option} {exc}") from None


@main.group()
def new() -> None:
    """Scaffold a new record (never overwrites an existing file)."""


@new.command("retro")
@click.option("--team", help="Team id from taxonomy.yml.")
@click.option("--period", metavar="YYYY-MM", help="The month reviewed (default: last month).")
@click.option("--held", metavar="YYYY-MM-DD", help="The date it is held (default: today).")
@click.option("--facilitator", help="Who facilitates (default: your git user name).")
@click.option("--format", "fmt", type=click.Choice([f.value for f in RetroFormat]),
              default=new_module.DEFAULT_RETRO_FORMAT, show_default=True, help="The retro format.")
@_root_option
@_handle_errors
def new_retro(team: str | None, period: str | None, held: str | None, facilitator: str | None,
              fmt: str, root: Path) -> None:
    """Scaffold this month's retro in retros/."""
    today = dt.date.today()
    last_month = (today.replace(day=1) - dt.timedelta(days=1)).strftime("%Y-%m")
    team = _check_team(root, _ask(team, "--team", "Team id"))
    period = _check_value(parse_month, _ask(period, "--period", "Month reviewed (YYYY-MM)",
                                            last_month), "--period")
    held_day = _day(held or today.isoformat(), "--held")
    path = new_module.new_retro(root, team, period, held_day,
                                facilitator or _git_user(root), fmt, _team_name(root, team))
    click.echo(path.as_posix())


@new.command("review")
@click.option("--period", metavar="YYYY-Qn", help="The quarter reviewed.")
@click.option("--team", help="Team id, for a team's own review (default: company-wide).")
@click.option("--held", metavar="YYYY-MM-DD", help="The date it is held (default: today).")
@click.option("--facilitator", help="Who runs it (default: your git user name).")
@_root_option
@_handle_errors
def new_review(period: str | None, team: str | None, held: str | None,
               facilitator: str | None, root: Path) -> None:
    """Scaffold a quarterly review in retros/."""
    today = dt.date.today()
    last_q = (today.replace(day=1) - dt.timedelta(days=1))
    default = f"{last_q.year}-Q{(last_q.month - 1) // 3 + 1}"
    period = _check_value(parse_quarter, _ask(period, "--period", "Quarter (YYYY-Qn)", default),
                          "--period")
    if team:
        _check_team(root, team)
    path = new_module.new_review(root, period, _day(held or today.isoformat(), "--held"),
                                 facilitator or _git_user(root), team)
    click.echo(path.as_posix())


@new.command("postmortem")
@click.option("--name", help='A memorable name, e.g. "The Apollo Launch".')
@click.option("--kind", type=click.Choice([k.value for k in PostmortemKind]),
              help="What it looks back on.")
@click.option("--team", help="Team id from taxonomy.yml.")
@click.option("--ended", metavar="YYYY-MM-DD", help="When the event ended (default: today).")
@click.option("--held", metavar="YYYY-MM-DD", help="When the post-mortem is held (default: today).")
@click.option("--outcome", type=click.Choice(["win", "loss", "mixed"]), default="mixed",
              show_default=True, help="How it turned out.")
@click.option("--facilitator", help="The keeper of the post-mortem (default: git user name).")
@_root_option
@_no_cache_option
@_handle_errors
def new_postmortem(name: str | None, kind: str | None, team: str | None, ended: str | None,
                   held: str | None, outcome: str, facilitator: str | None, root: Path) -> None:
    """Scaffold a named post-mortem in postmortems/."""
    today = dt.date.today().isoformat()
    name = _ask(name, "--name", "Memorable name (e.g. The Apollo Launch)")
    kind = _ask(kind, "--kind", "Kind (" + ", ".join(k.value for k in PostmortemKind) + ")")
    if kind not in {k.value for k in PostmortemKind}:
        raise ConfigError(f"--kind must be one of {', '.join(k.value for k in PostmortemKind)}")
    team = _check_team(root, _ask(team, "--team", "Team id"))
    ended_day = _day(ended or today, "--ended")
    held_day = _day(held or today, "--held")
    if held_day < ended_day:
        raise ConfigError("--held is before --ended; a post-mortem follows the event")
    path = new_module.new_postmortem(root, name, kind, team, ended_day, held_day,
                                     facilitator or _git_user(root), outcome,
                                     _postmortem_briefing(root, PostmortemKind(kind).plan_kind))
    click.echo(path.as_posix())


def _postmortem_briefing(root: Path, plan_kind: str | None) -> str:
    """The "Before you start" comment block, or a line saying why there is none."""
    from ..analysis.link import link
    from .briefing import HEADING, as_comments, postmortem_briefing

    result = check(root, parse_as_of(None))
    if result.kb is None or result.problems.errors:
        return as_comments([HEADING, "  (nothing: the knowledge base has errors; run hindsight "
                            "validate)"])
    return as_comments(postmortem_briefing(result.kb, link(result.kb), plan_kind,
                                           render_options(root)))


def _team_name(root: Path, team: str) -> str:
    from ..errors import Problems
    from ..records.validate import load_taxonomy

    taxonomy = load_taxonomy(root, Problems())
    return taxonomy.team(team).name if taxonomy else team


def _check_team(root: Path, team: str) -> str:
    from ..errors import Problems
    from ..records.taxonomy import did_you_mean
    from ..records.validate import load_taxonomy

    taxonomy = load_taxonomy(root, Problems())
    if taxonomy is None:
        raise ConfigError("taxonomy.yml has errors; run hindsight validate")
    teams = {t.id for t in taxonomy.teams}
    if team not in teams:
        raise ConfigError(f"unknown team {team!r} ({did_you_mean(team, teams)})")
    return team


# --- schema -----------------------------------------------------------------------------


@main.command()
@click.option("--type", "kind", type=click.Choice(sorted(MODELS)),
              help="One record type (default: all three, chosen by `type:`).")
@click.option("--taxonomy", is_flag=True,
              help="The schema of taxonomy.yml instead: causes, indicators with their "
              "aggregation and formulas, teams, plan kinds, reasons, assumption categories.")
def schema(kind: str | None, taxonomy: bool) -> None:
    """Print the JSON Schema of record front matter (or of taxonomy.yml)."""
    if taxonomy:
        from ..records.taxonomy import Taxonomy

        result = Taxonomy.model_json_schema()
        result["$schema"] = "https://json-schema.org/draft/2020-12/schema"
        click.echo(json.dumps(result, indent=2, sort_keys=True))
        return
    click.echo(json.dumps(json_schema(kind), indent=2, sort_keys=True))


def json_schema(kind: str | None = None) -> dict[str, Any]:
    """The JSON Schema of one record type, or of all three as a tagged union."""
    if kind is not None:
        return MODELS[kind].model_json_schema(by_alias=True)
    from pydantic import TypeAdapter

    from ..records.schema import Record

    result: dict[str, Any] = TypeAdapter(Record).json_schema(by_alias=True)
    result["title"] = "Hindsight record front matter"
    result["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return result


# --- generate, build, serve ---------------------------------------------------------------




@main.command()
@click.option("--out", "out", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="The folder to write the generated tree into (created if missing).")
@click.option("--no-cache", is_flag=True, help="Draw every chart and validate every record "
              "afresh (ignore .hindsight-cache).")
@_root_option
@_as_of_option
@_handle_errors
def generate(out: Path, root: Path, as_of: str | None, no_cache: bool) -> None:
    """Write the generated pages, exports and record-format page to a folder.

    The same tree the MkDocs plugin adds in memory, for any other site engine. Only files
    whose bytes changed are rewritten; files no longer generated are removed; the folder is
    replaced atomically.
    """
    from ..records.load import CACHE_DIR
    from ..site.build import InvalidRecords, build
    from ..site.charts import ChartCache
    from ..site.output import check_output_folder, write_tree
    from ..site.page_cache import PageCache

    check_output_folder(out, root)  # refuse before doing any work
    record_cache.set_enabled(not no_cache and record_cache.enabled_by_environment())
    keep = record_cache.usable(root)
    if record_cache.enabled() and not keep:
        click.echo(f"notice: {record_cache.COMMITTED_NOTICE}", err=True)
    cache = ChartCache(folder=root / CACHE_DIR / "charts" if keep else None)
    try:
        pages = PageCache(folder=root if keep else None)
        generated = build(root, parse_as_of(as_of), render_options(root), cache, pages=pages)
    except InvalidRecords as exc:
        for problem in exc.problems.sorted():
            click.echo(problem.format())
        raise
    if generated.provenance.notice:
        click.echo(f"warning: {generated.provenance.notice}", err=True)
    written = write_tree(out, generated.files, root, manifest=keep)
    click.echo(f"{len(generated.files)} files in {out.as_posix()}: {written.written} written, "
               f"{written.unchanged} unchanged, {written.removed} removed")


def _validate_first(root: Path, as_of: str | None) -> Result:
    result = check(root, parse_as_of(as_of))
    code = report(result, "text", [], strict=False)
    if code:
        raise ConfigError("fix the errors above first; nothing was built")
    return result


ENGINE_NOTICE = (
    "notice: MkDocs 1.x has no release since 2024 and MkDocs 2.0 drops plugins; Material for "
    "MkDocs, the theme, is in maintenance and reaches end of life. The site builds the same "
    "with Zensical, its successor: hindsight build --engine zensical "
    "(set NO_MKDOCS_2_WARNING=1 to hide this notice)."
)
"""What `hindsight build` says on the MkDocs engine (Material prints its own notice only
when MkDocs itself is the command)."""


@main.command()
@_root_option
@_as_of_option
@click.option("--site-dir", type=click.Path(file_okay=False, path_type=Path),
              help="Where to write the site (default: site/).")
@click.option("--engine", type=click.Choice(["mkdocs", "zensical"]), default="mkdocs",
              show_default=True, help="The site engine: MkDocs with the plugin, or Zensical "
              "building the generated tree.")
@click.option("-q", "--quiet", is_flag=True, help="No progress lines (they only ever show on "
              "a terminal).")
@_no_cache_option
@_handle_errors
def build(root: Path, as_of: str | None, site_dir: Path | None, engine: str, quiet: bool) -> None:
    """Validate the records once, then build the site strictly with the chosen engine."""
    from ..site.engine import build_with_mkdocs, build_with_zensical
    from .terminal import progress_for

    progress = progress_for(quiet)
    day = parse_as_of(as_of)
    if engine == "zensical":
        code = build_with_zensical(root, day, _validate_first(root, as_of), site_dir,
                                   render_options(root), progress)
    else:
        if not os.environ.get("NO_MKDOCS_2_WARNING"):
            click.echo(ENGINE_NOTICE, err=True)
        # No name here keeps the validated records: the plugin frees them after generating.
        code = build_with_mkdocs(root, day, _validate_first(root, as_of), site_dir, progress)
    sys.exit(code)


@main.command()
@_root_option
@_as_of_option
@click.option("--dev-addr", default="127.0.0.1:8000", show_default=True,
              help="Address to serve on.")
@_no_cache_option
@_handle_errors
def serve(root: Path, as_of: str | None, dev_addr: str) -> None:
    """Serve the site and rebuild what a save changed (records, taxonomy, docs, mkdocs.yml).

    The generated pages are written as files into .hindsight-cache/serve/ and built there:
    a save renders again only the pages whose content changed. Records that do not validate
    are reported and the last good site stays served.
    """
    from ..site.serve import serve as serve_site

    result = _validate_first(root, as_of)
    sys.exit(serve_site(root, parse_as_of(as_of), render_options(root), dev_addr, result))


# --- prep, actions ------------------------------------------------------------------------


@main.command()
@click.option("--team", required=True, help="Team id from taxonomy.yml.")
@click.option("--period", required=True, metavar="YYYY-MM", help="The month the retro reviews.")
@click.option("--metrics", "metrics_file", type=click.Path(dir_okay=False, path_type=Path),
              help="A CSV export of the month's readings: indicator,segment,value.")
@click.option("--held", metavar="YYYY-MM-DD", help="When it is held (default: today, or the "
              "first day after the month if it has not begun).")
@click.option("--facilitator", help="Who facilitates (default: your git user name).")
@click.option("--format", "fmt", type=click.Choice([f.value for f in RetroFormat]),
              default=new_module.DEFAULT_RETRO_FORMAT, show_default=True, help="The retro format.")
@_root_option
@_as_of_option
@_no_cache_option
@_handle_errors
def prep(team: str, period: str, metrics_file: Path | None, held: str | None,
         facilitator: str | None, fmt: str, root: Path, as_of: str | None) -> None:
    """Write next month's retro draft: readings, the agenda, actions carried over.

    The agenda lists the indicators that moved the wrong way against last month and the
    trailing 3-month mean, with the numbers. Open and overdue actions are carried over by id;
    causes cited in the last three months are listed, and a commented "Before you start"
    block at the top recalls the team's open actions and the causes it cited last quarter.
    Refuses to overwrite; a bad CSV gives located errors and writes nothing.
    """
    from ..analysis.analyze import analyze
    from ..analysis.link import link
    from ..errors import Problems
    from .briefing import as_comments, retro_briefing
    from .prep import default_held, read_metrics, write_draft

    period = _check_value(parse_month, period, "--period")
    day = parse_as_of(as_of)
    kb = _valid_knowledge_base(root, day, "fix them before preparing a draft")
    _check_team(root, team)
    target = root / "retros" / f"{period}-{team}.md"
    if target.exists():
        raise ConfigError(f"{target.as_posix()} already exists; not overwriting it")
    metrics = None
    if metrics_file is not None:
        problems = Problems()
        indicators = {i.id: i for i in kb.taxonomy.indicators}
        metrics = read_metrics(metrics_file, metrics_file.as_posix(), indicators, problems)
        if problems.items:
            for problem in problems.sorted():
                click.echo(problem.format())
            raise RecordError(f"{metrics_file.as_posix()} has errors; nothing was written")
    links = link(kb)
    held_day = _day(held, "--held") if held else default_held(period, day)
    before = as_comments(retro_briefing(kb, links, team, period, render_options(root)))
    path = write_draft(kb, links, analyze(kb).readings, team, period, held_day,
                       facilitator or _git_user(root), metrics, fmt, before)
    click.echo(path.as_posix())


@main.command()
@click.option("--owner", help="Only this owner's actions (name, case-insensitive).")
@click.option("--team", help="Only this team's actions.")
@click.option("--overdue", is_flag=True, help="Only actions past their due date.")
@click.option("--all", "show_all", is_flag=True, help="Include done and dropped actions.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table",
              show_default=True, help="json prints every row as data.")
@_root_option
@_as_of_option
@_no_cache_option
@_handle_errors
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
    kb = _valid_knowledge_base(root, day, "run hindsight validate")
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


# --- recall, plan -------------------------------------------------------------------------


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--changed-since", "since", metavar="REF",
              help="Recall for the records changed since this git ref (e.g. origin/main).")
@click.option("--format", "fmt", type=click.Choice(["markdown", "github", "json"]),
              default="markdown", show_default=True,
              help="github adds a heading and, in GitHub Actions, writes the job summary too.")
@_root_option
@_as_of_option
@_no_cache_option
@_handle_errors
def recall(paths: tuple[Path, ...], since: str | None, fmt: str, root: Path,
           as_of: str | None) -> None:
    """Say what the knowledge base already knows about the records given.

    For each record (PATHS, or the records changed since REF): the history of every cause it
    cites and the actions against it, whether earlier fixes stuck, the history of the actions
    it updates, a post-mortem's "before you plan" checklist, the lessons it repeats, and the
    earlier times its wrong-way indicators moved the same way. Every item links to the site.
    """
    from ..analysis.link import link
    from ..analysis.recall import RecallReport
    from ..analysis.recall import recall as recall_records
    from .recall_render import render_github, render_markdown

    if not paths and since is None:
        raise ConfigError("give record files or folders, or --changed-since REF")
    selected = _select(root, paths)
    note = None
    if since is not None:
        from ..analysis.provenance import changed_since

        changed = changed_since(root, since)
        if "*" in changed:
            note = (f"taxonomy.yml changed since {since}, so every record is affected; "
                    "run hindsight recall on the records you changed.")
            changed = set()
        # As in validate: PATHS limit what is recalled, --changed-since keeps the changed ones.
        selected = [p for p in sorted(changed) if not selected or any(
            p == s or p.startswith(s.rstrip("/") + "/") for s in selected)]
    day = parse_as_of(as_of)
    kb = _valid_knowledge_base(root, day, "fix them before recalling")
    entries = [e for e in kb.entries if any(
        e.path == s or e.path.startswith(s.rstrip("/") + "/") or s in (".", "") for s in selected)]
    for path in paths if since is None else ():
        rel = _select(root, (path,))[0]
        if not any(e.path == rel or e.path.startswith(rel.rstrip("/") + "/") or rel in (".", "")
                   for e in entries):
            raise ConfigError(f"{path} is not a valid record of the knowledge base "
                              "(run hindsight validate)")
    if entries:
        from ..gcpause import paused_gc

        with paused_gc():  # linking allocates thousands of objects over an already large heap
            answer = recall_records(kb, link(kb), entries, render_options(root))
    else:
        answer = RecallReport(as_of=day, records=[],
                              note=note or (f"No record changed since {since}." if since else None))
    if fmt == "json":
        click.echo(answer.model_dump_json(indent=2))
        return
    text = render_github(answer) if fmt == "github" else render_markdown(answer)
    click.echo(text, nl=False)
    if fmt == "github" and os.environ.get("GITHUB_STEP_SUMMARY"):
        with Path(os.environ["GITHUB_STEP_SUMMARY"]).open("a", encoding="utf-8") as handle:
            handle.write(text)


@main.command()
@click.argument("kind")
@click.option("--format", "fmt", type=click.Choice(["text", "markdown"]), default="text",
              show_default=True, help="markdown for pasting into a planning document.")
@_root_option
@_as_of_option
@_no_cache_option
@_handle_errors
def plan(kind: str, fmt: str, root: Path, as_of: str | None) -> None:
    """Print the "before you plan" checklist for a plan kind (campaign, deal, launch…).

    Lessons that apply to it (repeats merged; most repeated, then newest, first), the
    assumptions that did not hold in its post-mortems, and the open actions they raised.
    """
    from ..analysis.link import link
    from ..analysis.planning import checklist, render_markdown, render_text
    from ..records.taxonomy import did_you_mean

    day = parse_as_of(as_of)
    kb = _valid_knowledge_base(root, day, "run hindsight validate")
    kinds = [k.id for k in kb.taxonomy.plan_kinds]
    if kind not in kinds:
        raise ConfigError(f"unknown plan kind {kind!r} ({did_you_mean(kind, kinds)})")
    found = checklist(kb, link(kb), kind)
    options = render_options(root)
    click.echo(render_markdown(found, options, day) if fmt == "markdown"
               else render_text(found, options, day), nl=False)
