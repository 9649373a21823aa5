"""``hindsight validate``: every problem located, then the summary; as text, GitHub annotations or JSON."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import sys
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import click

from ..errors import ConfigError, Problem, RecordError, Severity
from ..messages import and_list, decodable, printable
from ..records.actions import actions_of
from ..records.corpus import KnowledgeBase
from ..records.load import (
    MAILMAP,
    RECORD_FOLDERS,
    TAXONOMY_FILE,
    StrayRecord,
    misplaced,
    stray_record,
)
from ..records.schema import Review
from ..records.validate import CHECKS, NotRun, Result, check
from ..site.settings import command_as_of
from .options import as_of_option, count, handle_errors, no_cache_option, root_option, select


def in_selection(problem: Problem, selected: list[str], related: bool = False) -> bool:
    """Whether a problem is in the files or folders selected (all, when none are). The
    taxonomy's and mkdocs.yml's problems always are: while they stand, no record is checked,
    and a report without them would pass a record that was never looked at. With
    ``related``, so is one about a selected file (`Problem.about`: a review's scorecard
    warning about the retros its figure comes from)."""
    if not selected or problem.path in (TAXONOMY_FILE, "mkdocs.yml"):
        return True
    paths = (problem.path, *problem.about) if related else (problem.path,)
    return any(s in (".", "") or path == s or path.startswith(s.rstrip("/") + "/")
               for s in selected for path in paths)


ProblemKey = tuple[str, str, str]
"""A problem as it is told apart from others across two versions of the knowledge base."""


def problem_key(problem: Problem) -> ProblemKey:
    """Where and what a problem is, without its line (an edit above it moves it)."""
    return (problem.path, problem.field, problem.message)


def reported(result: Result, selected: list[str], references: bool = False) -> list[Problem]:
    """The problems a report shows: those in the selection, and with ``references`` (a change
    checked against its base) every broken reference to a record or an action wherever it
    is: deleting a record, or renaming an action, breaks records the change never touched.
    A problem marked as the change's (`Problem.caused_by`, by `mark_caused`) is shown wherever
    it is. An untouched record's older problems are left out. Without ``references`` (files
    named on the command line), a problem about a named file is shown wherever it is
    (`Problem.about`)."""
    return [p for p in result.problems.sorted() if in_selection(p, selected, not references)
            or (references and p.reference) or p.caused_by]


def base_result(root: Path, since: str, as_of: dt.date) -> Result | None:
    """The knowledge base where HEAD and ``since`` part, validated as `validate` does it
    (scorecard warnings too) from git's objects in a temporary folder; None where there was
    no knowledge base yet."""
    import tempfile

    from ..analysis.provenance import knowledge_base_at_fork

    with tempfile.TemporaryDirectory(prefix="hindsight-base-") as folder:
        base = Path(folder)
        knowledge_base_at_fork(root, since, base)
        if not (base / TAXONOMY_FILE).is_file():  # no knowledge base there yet
            return None
        # Validated afresh, with no cache: the knowledge base's own record cache holds the
        # work tree's results, and the base's would overwrite them.
        result = with_scorecard_warnings(check(base, as_of, cache=False))
        if result.kb is not None:
            actions_of(result.kb)  # worked out while the base's files are there
        return result


def mark_caused(result: Result, selected: list[str], base: Result | None, since: str) -> None:
    """Mark as caused by the change (`Problem.caused_by`) each problem in a record it did not
    touch that the knowledge base did not have at ``base``: a warning always (a retro's win
    rate corrected moves its quarter's review across a scorecard goal, and the review warns;
    a closing update deleted makes its action overdue again), an error when the changed
    records have no error of their own (the other side of a clash in a changed record, a
    duplicate id, is already its error). With no base (no knowledge base there yet), none."""
    if base is None:
        return
    before = {problem_key(p) for p in base.problems.items}
    own_errors = any(in_selection(p, selected) for p in result.problems.errors)
    result.problems.items = [
        replace(p, caused_by=since)
        if not in_selection(p, selected) and not p.reference and problem_key(p) not in before
        and (p.severity is Severity.WARNING or not own_errors) else p
        for p in result.problems.items]


@dataclass(frozen=True)
class Note:
    """A line about the change that is no problem of a record, said before the summary (a
    notice with ``--format github``): on the file and line it is about, if any."""

    text: str
    path: str = ""
    line: int = 1
    col: int = 1

    def format(self, prefix: str = "") -> str:
        """The line as text: located, when it is about a place in a record (its file named
        with ``prefix`` before it, as `repo_prefix` gives it, in a job summary)."""
        if not self.path:
            return self.text
        return printable(f"{prefix}{self.path}:{self.line}:{self.col}  notice: {self.text}")

    def format_github(self, fallback: str, prefix: str = "") -> str:
        """A notice annotation, on its file (``fallback`` when it names none). ``prefix``, the
        knowledge base's folder in its repository, goes before the note's own file, a record;
        ``fallback`` (the repository's ``.mailmap``) is named from the repository's top."""
        warning = Problem(self.path or fallback, self.line, self.col, "", self.text,
                          severity=Severity.WARNING)
        return (warning.format_github(prefix if self.path else "")
                .replace("::warning ", "::notice ", 1))


def reopened(base: Result | None, result: Result, since: str, changed: list[str]) -> list[Note]:
    """A note for each action closed (done or dropped) at ``since`` that the change leaves
    open: an update deleted, or a new one reopening it. Deleting the update that closed it
    said nothing, while the home page's overdue count went up by one; a correction made on
    purpose is said too, so the reviewer sees what it reopens and how late it now is.
    ``changed``: the records the change touched (the one reopening it is named)."""
    if base is None or base.kb is None or result.kb is None:
        return []
    then = actions_of(base.kb)
    notes = []
    as_of = result.kb.as_of
    for action_id, state in sorted(actions_of(result.kb).items()):
        was = then.get(action_id)
        if was is None or was.is_open or not state.is_open:
            continue
        late = state.days_overdue(as_of)
        when = (f"overdue by {count(late, 'day')} (due {state.due})" if late
                else f"due {state.due}")
        last = state.updates[-1][0] if state.updates else None
        how = (f"reopened by {last.path}" if last is not None and last.path in changed
               else "no record closes it now")
        line, col = state.entry.source.doc.position(("actions", state.index, "status"))
        notes.append(Note(f"{action_id} was {was.status.value} at {since} and is open again "
                          f"with this change ({how}): {when}, owner {state.owner}",
                          state.entry.path, line, col))
    return notes


def mailmap_note(since: str, renamed: int) -> str:
    """What a change to ``.mailmap`` since ``since`` does to the site, whose provenance names
    every author as it says: ``renamed`` records' pages name someone else."""
    if not renamed:
        return (f"{MAILMAP} changed since {since}: it names who submitted every record, and "
                "names none of them differently.")
    return (f"{MAILMAP} changed since {since}: it names who submitted or last changed "
            f"{count(renamed, 'record')} differently (on their pages, What's new and the feed).")


def repo_prefix(root: Path) -> str:
    """The knowledge base's folder within its git repository (``kb/``; "" at the top or
    outside git): GitHub reads an annotation's file, and a job summary's reader a path,
    from the repository's top."""
    import subprocess

    try:
        found = subprocess.run(["git", "rev-parse", "--show-prefix"], cwd=root,
                               capture_output=True, check=False)
    except OSError:  # no git: nothing to attach to either
        return ""
    return os.fsdecode(found.stdout.strip()) if found.returncode == 0 else ""


def report(result: Result, fmt: str, selected: list[str], strict: bool,
           references: bool = False, err: bool = False,
           notes: tuple[Note, ...] = (), prefix: str = "",
           root: Path | None = None) -> int:
    """Print every problem, then the summary; return the exit code. ``err``: on stderr (for a
    command whose stdout is its answer, such as JSON a script reads); ``notes``: lines about
    the change that are no problem of a record (a `mailmap_note`, an action it reopens), said
    before the summary; ``prefix``: as `repo_prefix` gives it, put before every annotation's
    file; ``root``: the knowledge base, whose taxonomy.yml an annotation of a renamed id
    points into (`taxonomy_place`)."""
    problems = reported(result, selected, references)
    errors = sum(1 for p in problems if p.severity is Severity.ERROR)
    warnings = len(problems) - errors
    files = result.files
    if selected:  # the files selected, and any other the report names (taxonomy.yml)
        files = len({path for path in result.paths if in_selection(
            Problem(path, 0, 0, "", ""), selected)} | {p.path for p in problems})
    # Errors the selection leaves out still stop the site: said, though they do not fail a
    # check of the records selected (a report of one file said "1 record…" of a knowledge
    # base no site could be built from).
    shown = set(map(id, problems))
    elsewhere = sum(1 for p in result.problems.errors if id(p) not in shown)
    if fmt == "json":
        data = _json_report(result, problems, errors, warnings, files, elsewhere)
        # The line the text gives for an id many records name but taxonomy.yml lacks (a
        # rename) first, as there: a script saw a thousand errors and not their one cause.
        data["notes"] = [*_vanished_ids(problems), *(note.text for note in notes)]
        click.echo(json.dumps(data, indent=2, ensure_ascii=False), err=err)
        return 1 if errors or (strict and warnings) else 0
    if fmt == "github":
        # First, on taxonomy.yml: GitHub shows a step's first annotations only, and after a
        # rename every one of them is the same error in a record the change did not touch.
        for kind, name, line in _vanished(problems):
            at, col = taxonomy_place(root, kind, name) if root is not None else (1, 1)
            click.echo(Problem(TAXONOMY_FILE, at, col, "", line).format_github(prefix),
                       err=err)
    for problem in problems:
        click.echo(problem.format_github(prefix) if fmt == "github" else problem.format(),
                   err=err)
    if fmt == "text":
        for line in _vanished_ids(problems):
            click.echo(line, err=err)
    for note in notes:
        # A notice on the file: no problem to fix, but the reviewer of the change sees it.
        # The repository's .mailmap is at its top, whatever the knowledge base's folder: the
        # prefix goes before a record's file only.
        click.echo(note.format_github(MAILMAP, prefix) if fmt == "github" else note.format(),
                   err=err)
    # "in 18 files" read as where the warnings were; it is how many files were checked.
    click.echo(f"{count(errors, 'error')}, {count(warnings, 'warning')}; "
               f"{count(files, 'file')} checked",
               err=err)
    if elsewhere:
        click.echo(f"{elsewhere_line(result, shown)} (run `hindsight validate` to see them)",
                   err=err)
    for item in result.not_run:
        click.echo(not_run_line(item), err=err)
    if result.kb is not None and not errors and not elsewhere:
        # The records the site is built from: those held by the as-of day.
        kb = result.kb.as_it_stood()
        later = len(result.kb.held_later())
        left_out = (f"; {later} more held after {kb.as_of}, left out of the site until then"
                    if later else "")
        click.echo(f"{count(len(kb.entries), 'record')}: {retros_said(kb)}, "
                   f"{count(len(kb.reviews), 'quarterly review')}, "
                   f"{count(len(kb.postmortems), 'post-mortem')}{left_out}", err=err)
    return 1 if errors or (strict and warnings) else 0


def retros_said(kb: KnowledgeBase) -> str:
    """The retros in the summary line: "38 retros", or, where some team meets every sprint,
    each cadence's apart as the home page counts them, "6 monthly retros, 5 sprint retros"
    (a sprint team's several retros a month read as that many months of retros)."""
    counts = kb.retro_counts
    if "sprint" not in counts:
        return count(len(kb.retros), "retro")
    return ", ".join(count(n, f"{cadence} retro") for cadence, n in counts.items())


def elsewhere_line(result: Result, shown: set[int]) -> str:
    """The line for the errors a report leaves out (those whose ids are not in ``shown``; at
    least one): where they are, records or hand-written pages, and that no site is built
    while they stand."""
    left = [p for p in result.problems.errors if id(p) not in shown]
    pages = sum(1 for p in left if p.path in result.pages)
    records = len(left) - pages
    # A page of docs/ is no record: "in records" sent the reader looking among them.
    page_kind = "a hand-written page" if pages == 1 else "hand-written pages"
    if not pages:
        where = f"{count(records, 'more error')} in records"
    elif not records:
        where = f"{count(pages, 'more error')} in {page_kind}"
    else:
        where = (f"{count(len(left), 'more error')} ({records} in records, {pages} in "
                 f"{page_kind})")
    return f"{where} not reported here: no site is built while they stand"


NAMED_FILES = 3
"""How many of the files whose errors stopped some checks a report names before "and N more"."""


def not_run_line(item: NotRun) -> str:
    """Which checks did not run, and whose errors stopped them: "Not checked while
    retros/2026-12-sales.md has errors: overdue actions, months without a retro and action
    updates naming no action". Their warnings are missing from the report until then."""
    files = list(item.because[:NAMED_FILES])
    if len(item.because) > NAMED_FILES:
        files.append(count(len(item.because) - NAMED_FILES, "more file"))
    verb = "has" if len(item.because) == 1 else "have"
    # A file name with a line break would start a line of its own (`::warning …`, which a
    # CI log runs as a command): shown escaped, as a problem's own line shows it.
    shown = [printable(f).replace("\n", "\\n").replace("\t", "\\t") for f in files]
    return (f"Not checked while {and_list(shown)} {verb} errors: "
            f"{and_list([CHECKS[check] for check in item.checks])}")


_UNKNOWN_ID = re.compile(r"unknown (cause|team|indicator|plan kind|reason) '([^']+)'")
RENAMED_AT_LEAST = 5
"""How many records must name the same unknown id before the report points at taxonomy.yml."""


def _vanished(problems: list[Problem]) -> list[tuple[str, str, str]]:
    """``(kind, id, line)`` per id that many records name but taxonomy.yml lacks: after a
    rename the list above is a thousand identical errors, and the cause is one line of the
    taxonomy."""
    records: dict[tuple[str, str], set[str]] = {}
    for problem in problems:
        found = _UNKNOWN_ID.match(problem.message)
        if found and problem.severity is Severity.ERROR:
            records.setdefault((found.group(1), found.group(2)), set()).add(problem.path)
    return [(kind, name, f"{kind} {name!r} is unknown in {len(paths)} records: was it renamed "
             f"or removed in taxonomy.yml? {_vanished_hint(kind, name)}")
            for (kind, name), paths in sorted(records.items(), key=lambda i: -len(i[1]))
            if len(paths) >= RENAMED_AT_LEAST]


def _vanished_ids(problems: list[Problem]) -> list[str]:
    """The lines of `_vanished`."""
    return [line for _, _, line in _vanished(problems)]


_SECTIONS = {"cause": ("causes", "title"), "team": ("teams", "name"),
             "indicator": ("indicators", "label"), "plan kind": ("plan_kinds", "title"),
             "reason": ("reasons", "title")}
"""Where taxonomy.yml lists each kind of id, and the field that titles an entry."""


def taxonomy_place(root: Path, kind: str, name: str) -> tuple[int, int]:
    """Where in taxonomy.yml an id many records name went: the entry it was renamed to, if
    one is titled as the id reads (``id: icp-fit`` titled "ICP drift", for ``icp-drift``),
    else the list of its kind (``causes:``). Line 1 if neither is found. An annotation
    there lands in the pull request's diff, where the rename is; line 1 is outside it."""
    from ..records.yamlpos import YamlProblem, parse

    section, title = _SECTIONS.get(kind, ("", ""))
    try:
        doc = parse((root / TAXONOMY_FILE).read_text(encoding="utf-8", errors="replace"))
    except (OSError, YamlProblem):
        return 1, 1
    entries = doc.value.get(section) if isinstance(doc.value, dict) else None
    if not isinstance(entries, list):
        return 1, 1
    for index, entry in enumerate(entries):
        if isinstance(entry, dict) and isinstance(entry.get(title), str) and re.sub(
                r"[^a-z0-9]+", "-", entry[title].lower()).strip("-") == name.lower():
            return doc.key_position((section, index, "id"))
    return doc.position((section,))


def _vanished_hint(kind: str, name: str) -> str:
    """How to bring back an id many records name. A team's id put back beside its new one
    would split its history in two (two series, two action lists): its earlier id belongs in
    the renamed team's aliases."""
    if kind == "team":
        return (f"Rather than edit every record, keep {name!r} in the renamed team's aliases "
                "(a renamed team's earlier ids: its records, series and actions carry on under "
                "the new id), or put it back if the team was removed.")
    alias = " (or keep it as an alias)" if kind in ("cause", "reason") else ""
    return f"Put it back{alias} rather than edit every record."


def _json_report(result: Result, problems: list[Problem], errors: int, warnings: int,
                 files: int, elsewhere: int = 0) -> dict[str, Any]:
    """The report as data: every problem, located, and the summary (``elsewhere``: errors in
    records the report leaves out). ``records`` and ``held_later`` (the records held after
    the as-of day, left out of the site until then, as the text's summary says) are null
    while no site can be built."""
    kb = result.kb
    built = kb is not None and not errors and not elsewhere
    stood = kb.as_it_stood() if built and kb else None
    return {
        # A file name's undecodable bytes as U+FFFD: JSON must be valid UTF-8.
        "problems": [{"path": decodable(p.path), "line": p.line, "col": p.col,
                      "field": decodable(p.field), "message": decodable(p.message),
                      "hint": decodable(p.hint), "severity": p.severity.value,
                      "caused_by": p.caused_by or None}
                     for p in problems],
        "summary": {"errors": errors, "warnings": warnings, "files": files,
                    "errors_elsewhere": elsewhere,
                    "records": len(stood.entries) if stood else None,
                    "held_later": len(kb.held_later()) if built and kb else None,
                    # The retros by how their teams met, as the home page counts them (the
                    # text's summary tells them apart where some team meets every sprint).
                    "retros": stood.retro_counts if stood else None,
                    "as_of": kb.as_of.isoformat() if kb is not None else None,
                    "not_run": [{"checks": list(item.checks),
                                 "because": [decodable(f) for f in item.because],
                                 "message": decodable(not_run_line(item))}
                                for item in result.not_run]},
    }


def valid_knowledge_base(root: Path, day: dt.date, hint: str) -> KnowledgeBase:
    """The whole knowledge base, validated; its problems printed and a clear error if invalid."""
    result = check(root, day)
    if result.kb is None or result.problems.errors:
        # On stderr: stdout is the command's answer (a table, JSON a script parses).
        report(result, "text", [], strict=False, err=True)
        error = RecordError(f"the knowledge base has errors; {hint}")
        # The same problems as data, for a command asked for JSON (a script reads stdout).
        problems = reported(result, [])
        errors = sum(1 for p in problems if p.severity is Severity.ERROR)
        error.details = _json_report(result, problems, errors, len(problems) - errors,
                                     result.files)
        raise error
    return result.kb


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@root_option
@as_of_option
@click.option("--strict", is_flag=True, help="Fail on warnings too.")
@click.option("--format", "fmt", type=click.Choice(["text", "github", "json"]), default="text",
              show_default=True, help="github prints ::error annotations for GitHub Actions; "
              "json prints every problem and the summary as one JSON object.")
@click.option("--changed-since", "since", metavar="REF",
              help="Report only records changed since this git ref (e.g. origin/main), still "
              "checked against the whole knowledge base.")
@no_cache_option
@handle_errors
def validate(paths: tuple[Path, ...], root: Path, as_of: str | None, strict: bool,
             fmt: str, since: str | None) -> None:
    """Check every record and the rules across records.

    PATHS limits the report to those files or folders; records are still checked against
    the whole knowledge base. Exit 1 on errors (or warnings with --strict).
    """
    selected = select(root, paths)
    for path, rel in zip(paths, selected, strict=True):
        _check_in_knowledge_base(root, path, rel)
    day = command_as_of(root, as_of)
    notes: tuple[Note, ...] = ()
    strays: list[StrayRecord] = []
    if since is not None:
        from ..analysis.provenance import changes_since, renamed_by_mailmap

        changes = changes_since(root, since)
        given = selected

        def wanted(path: str) -> bool:
            return not given or any(path == s or path.startswith(s.rstrip("/") + "/")
                                    or s in (".", "") for s in given)

        # Records saved where the knowledge base does not read them, changed here.
        strays = [stray for rel in sorted(changes.elsewhere) if wanted(rel)
                  and (stray := stray_record(root, root / rel)) is not None]
        if not changes.taxonomy:
            # Only what changed is reported; an empty change reports nothing at all.
            selected = ([p for p in sorted(changes.records) if wanted(p)]
                        + [stray.path for stray in strays]) or ["\0none"]
        if changes.mailmap:
            # No record changed, yet every page that says who submitted one may.
            notes = (Note(mailmap_note(since, renamed_by_mailmap(root, since, day))),)
    result = with_scorecard_warnings(check(root, day))
    if since is not None:
        _refuse_placeholders(result, [p for p in sorted(changes.records) if wanted(p)])
    for stray in strays:
        result.problems.error(stray.path, stray.line, stray.col, "type",
                              *misplaced(root, stray))
    # Against a base, a reference the change broke counts wherever it is, and so does any
    # problem in another record that the base did not have (`mark_caused`).
    references = since is not None
    if since is not None:
        changed = [p for p in sorted(changes.records) if wanted(p)]
        # Nothing changed, nothing caused: the base is not validated (a second full check).
        base = (base_result(root, since, day)
                if changes.records or changes.removed or changes.taxonomy or strays else None)
        mark_caused(result, selected, base, since)
        notes += tuple(reopened(base, result, since, changed))
    # A knowledge base in a folder of its repository (`--root kb`): annotations and the
    # summary name files from the repository's top, where GitHub finds them.
    prefix = repo_prefix(root) if fmt == "github" else ""
    code = report(result, fmt, selected, strict, references, notes=notes, prefix=prefix,
                  root=root)
    if fmt == "github" and os.environ.get("GITHUB_STEP_SUMMARY"):
        write_summary(Path(os.environ["GITHUB_STEP_SUMMARY"]), result, selected, references,
                      notes, prefix=prefix, since=since)
    sys.exit(code)


def _refuse_placeholders(result: Result, changed: list[str]) -> None:
    """A draft's prompt left in a changed record is an error in the pull-request check
    (`validate --changed-since`), not the warning it is while the draft is written: warnings
    do not fail that check, and an untouched draft ("Write the story of the month here…",
    "To be named") was merged and published as written. Only in the records the change
    touched (``changed``): a record already merged with one is not this change's error."""
    result.problems.items = [
        replace(p, severity=Severity.ERROR)
        if p.placeholder and p.severity is Severity.WARNING and p.path in changed else p
        for p in result.problems.items]


def _check_in_knowledge_base(root: Path, path: Path, rel: str) -> None:
    """A path given to validate holds records or the taxonomy: a record moved out of the
    record folders (``retro/`` for ``retros/``) has left the knowledge base, and checking it
    would report "0 errors" for a file nothing read."""
    if rel in (".", "", TAXONOMY_FILE) or rel.split("/", 1)[0] in RECORD_FOLDERS:
        return
    folders = " and ".join(f"{folder}/" for folder in RECORD_FOLDERS)
    raise ConfigError(f"{path} is not a record: records are the .md files under {folders} "
                      f"(a file elsewhere is not read; move it into one of them), and "
                      f"{TAXONOMY_FILE} is the vocabulary")


SUMMARY_BYTES = 900_000
"""The most a report makes a step's job summary: GitHub drops a step's summary past 1 MiB
whole, and shows only a step's first 10 error annotations, so the list would be lost when it
is longest (a taxonomy rename at 10,000 records: 1.7 MB, 8,953 errors)."""


def write_summary(path: Path, result: Result, selected: list[str],
                  references: bool = False, notes: tuple[Note, ...] = (),
                  prefix: str = "", since: str | None = None) -> None:
    """Append every problem to the GitHub job summary (annotations are capped per step), and
    the ``notes`` and ``prefix`` `report` takes; ``since``: the ref of ``--changed-since``,
    named in the heading. Past `SUMMARY_BYTES` (with what the step wrote there before) the
    rows are cut, errors kept before warnings, and the summary says how many it left out and
    where they all are."""
    from ..escape import cell, code

    problems = reported(result, selected, references)
    shown = set(map(id, problems))
    elsewhere = sum(1 for p in result.problems.errors if id(p) not in shown)
    command = "hindsight validate" + (f" --changed-since {since}" if since is not None else "")
    lines = [f"## {cell(printable(command))}", ""]
    lines += [f"{cell(note.format(prefix))}\n" for note in notes]
    lines += [f"**{cell(printable(line))}**\n" for line in _vanished_ids(problems)]
    lines += [f"{cell(not_run_line(item))}\n" for item in result.not_run]
    if elsewhere:
        # As the log says it: "No problems found" above a check that stopped at them read as
        # a knowledge base a site could be built from.
        lines.append(f"{elsewhere_line(result, shown)} (run `hindsight validate` to see "
                     "them).\n")
    rows = []
    for p in problems:
        icon = "❌" if p.severity is Severity.ERROR else "⚠️"
        # A problem the change caused says so, as the plain report and the annotation do.
        hint = (f" ({p.hint})" if p.hint else "") + p.said_caused()
        # File names and fields come from contributors: as the annotations show them
        # (undecodable bytes as U+FFFD, control characters as escapes), then escaped for
        # the cell, so a backtick, pipe or line break cannot leave its code span or row.
        rows.append(f"| {icon} | {code(printable(prefix + p.path))} | {p.line} | "
                    f"{code(printable(p.field or '-'))} | {cell(printable(p.message + hint))} |")
    kept = _rows_within(problems, rows, SUMMARY_BYTES - _size(path)
                        - len("\n".join(lines).encode()) - 1_000)
    if len(kept) < len(rows):
        errors = sum(1 for i in set(range(len(rows))) - set(kept)
                     if problems[i].severity is Severity.ERROR)
        left = len(rows) - len(kept)
        lines.append(f"**{count(left, 'more problem')} left out here** "
                     f"({count(errors, 'error')}, {count(left - errors, 'warning')}): GitHub "
                     "keeps no job summary past 1 MiB. This step's log has every one, and "
                     f"{code(printable(command))} lists them all with their files.\n")
    if not problems:
        lines.append("No problems found in the records reported here." if elsewhere
                     else "No problems found.")
    else:
        lines += ["| | File | Line | Field | Problem |", "| --- | --- | --- | --- | --- |"]
        lines += [rows[i] for i in kept]
    with path.open("a", encoding="utf-8") as handle:
        handle.write("\n".join(lines) + "\n\n")


def _size(path: Path) -> int:
    """How much the step's summary holds already (GitHub's limit is the step's whole file)."""
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _rows_within(problems: list[Problem], rows: list[str], budget: int) -> list[int]:
    """The indexes of the rows kept within ``budget`` bytes, in their order: all that fit,
    else the errors first (they fail the check), then the warnings."""
    sizes = [len(row.encode()) + 1 for row in rows]
    if sum(sizes) <= budget:
        return list(range(len(rows)))
    kept: list[int] = []
    for severity in (Severity.ERROR, Severity.WARNING):
        for index, problem in enumerate(problems):
            if problem.severity is severity:
                if sizes[index] > budget:
                    return sorted(kept)
                kept.append(index)
                budget -= sizes[index]
    return sorted(kept)


def with_scorecard_warnings(result: Result) -> Result:
    """``result`` with a warning at each scorecard row whose typed actual and quarter figure
    fall either side of its goal (`generator.analysis.scorecard_check`). Only over records
    without errors: a record with errors leaves its readings out of the quarter's figures, so
    while there are any the check waits, and the report says so (`Result.not_run`)."""
    kb = result.kb
    if kb is None:
        return result
    # A hand-written page's error (a conflict left in it) takes no reading from a quarter.
    stopping = {p.path for p in result.problems.errors} - result.pages
    if not stopping:
        from ..analysis.scorecard_check import check_scorecards

        check_scorecards(kb, result.problems)
    elif any(isinstance(entry.record, Review) and entry.record.checks_actuals
             for entry in kb.reviews):
        result.stopped(("scorecard-actuals",), tuple(sorted(stopping)))
    return result


def validate_first(root: Path, as_of: dt.date) -> Result:
    """Validate and print the report; an error if the records have errors (nothing is built)."""
    result = with_scorecard_warnings(check(root, as_of))
    # On stderr, as every command but validate prints problems: its own output stays clean.
    code = report(result, "text", [], strict=False, err=True)
    if code:
        raise RecordError("fix the errors above first; nothing was built")
    return result
