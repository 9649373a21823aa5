"""``hindsight recall``: what the knowledge base already knows about the records given."""

from __future__ import annotations

import os
from pathlib import Path

import click

from ..errors import ConfigError
from ..messages import and_list
from ..records.load import RECORD_FOLDERS, StrayRecord, stray_record
from ..records.naming import KIND_NOUNS
from ..site.settings import command_as_of, render_options
from .options import as_of_option, count, handle_errors, no_cache_option, root_option, select
from .validate import mailmap_note, valid_knowledge_base


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--changed-since", "since", metavar="REF",
              help="Recall for the records changed since this git ref (e.g. origin/main).")
@click.option("--format", "fmt", type=click.Choice(["markdown", "github", "json"]),
              default="markdown", show_default=True,
              help="github adds a heading and, in GitHub Actions, writes the job summary too.")
@root_option
@as_of_option
@no_cache_option
@handle_errors
def recall(paths: tuple[Path, ...], since: str | None, fmt: str, root: Path,
           as_of: str | None) -> None:
    """Say what the knowledge base already knows about the records given.

    For each record (PATHS, or the records changed since REF): the history of every cause it
    cites and the actions against it, whether earlier fixes stuck, the history of the actions
    it updates, a post-mortem's "before you plan" checklist, the lessons it repeats, and the
    earlier times its wrong-way indicators moved the same way (moves larger than the
    indicator's usual month-to-month change). Every item links to the site.
    """
    from ..analysis.link import link
    from ..analysis.recall import RecallReport
    from ..analysis.recall import recall as recall_records
    from .recall_render import render_github, render_markdown

    if not paths and since is None:
        raise ConfigError("give record files or folders, or --changed-since REF")
    selected = select(root, paths)
    unpublished: frozenset[str] = frozenset()
    removed: list[str] = []
    taxonomy = False
    mailmap: str | None = None
    strays: list[StrayRecord] = []
    if since is not None:
        from ..analysis.provenance import changes_since, renamed_by_mailmap

        changes = changes_since(root, since)
        unpublished = changes.added
        taxonomy = changes.taxonomy

        # As in validate: PATHS limit what is recalled, --changed-since keeps the changed ones.
        def wanted(p: str) -> bool:
            return not selected or any(p == s or p.startswith(s.rstrip("/") + "/")
                                       for s in selected)

        # A record deleted has nothing to recall, but a change that only deletes records
        # changed something: it is named, not passed over as "no record changed".
        removed = [p for p in sorted(changes.removed) if p.endswith(".md") and wanted(p)]
        selected = [p for p in sorted(changes.records) if wanted(p)]
        strays = [stray for rel in sorted(changes.elsewhere) if not paths
                  and (stray := stray_record(root, root / rel)) is not None]
    day = command_as_of(root, as_of)
    if since is not None and changes.mailmap:
        # No record changed, yet the pages saying who submitted them may: said, as a taxonomy
        # change is.
        mailmap = mailmap_note(since, renamed_by_mailmap(root, since, day))
    if since is not None and not selected and not removed and not taxonomy:
        # Nothing to recall, so the knowledge base is not read: a pull request that changes
        # no record (docs, a workflow) is not failed by errors in records it never touched,
        # which are reported where they were made.
        entries = []
    else:
        kb = valid_knowledge_base(root, day, "fix them before recalling")
        entries = [e for e in kb.entries if any(
            e.path == s or e.path.startswith(s.rstrip("/") + "/") or s in (".", "")
            for s in selected)]
    for path in paths if since is None else ():
        rel = select(root, (path,))[0]
        if not any(e.path == rel or e.path.startswith(rel.rstrip("/") + "/") or rel in (".", "")
                   for e in entries):
            if rel.split("/", 1)[0] not in RECORD_FOLDERS or not (
                    rel.endswith(".md") or (root / rel).is_dir()):
                raise ConfigError(f"{path} is not a record: records are the .md files under "
                                  f"{' and '.join(f + '/' for f in RECORD_FOLDERS)}")
            raise ConfigError(f"{path} is not a valid record of the knowledge base "
                              "(run hindsight validate)")
    if entries:
        from ..gcpause import paused_gc

        # What was known on the as-of day, as the site of that day shows it: a record held
        # later has not cited a cause or raised or closed an action yet (as of 2027-03-15, a
        # cause was "cited in 4 other records … last in The peak 2027, 2028-02-29"). A record
        # recalled for that was held later (a pull request's, past a date pinned in
        # mkdocs.yml) is still recalled, read with the knowledge base of that day and the
        # other such records recalled with it, never counted for those held by then.
        options = render_options(root)
        held = [e for e in entries if e.date <= day]
        later = [e for e in entries if e.date > day]
        records = []
        with paused_gc():  # linking allocates thousands of objects over an already large heap
            for known, given in ((kb.as_it_stood(), held),
                                 (kb.as_it_stood(keep={e.id for e in later}), later)):
                if given:
                    records += recall_records(known, link(known), given, options,
                                              unpublished).records
        answer = RecallReport(as_of=day, records=sorted(
            records, key=lambda r: (r.record.date, r.record.id)))
    else:
        answer = RecallReport(as_of=day, records=[])
    answer.removed = removed
    if taxonomy:
        # Every record is affected, but the records changed are still recalled.
        answer.note = (f"taxonomy.yml changed since {since}, so every record is affected"
                       + ("; recalled here are only the records changed: run hindsight recall "
                          "on the others it bears on." if entries else
                          ": run hindsight recall on the records it bears on."))
    elif since is not None and not entries and not removed and mailmap is None:
        answer.note = f"No record changed since {since}."
        if strays:
            # Not "nothing to say": a record was saved where it is not read.
            shown = and_list([f"{s.path} holds a {KIND_NOUNS[s.kind]}" for s in strays[:3]]
                             + ([count(len(strays) - 3, "more file")] if len(strays) > 3 else []))
            answer.note = (f"No record changed since {since} where records are read, but "
                           f"{shown} outside {' and '.join(f + '/' for f in RECORD_FOLDERS)}: "
                           f"see hindsight validate --changed-since {since}.")
    if mailmap is not None:
        answer.note = mailmap if answer.note is None else f"{answer.note} {mailmap}"
    if fmt == "github" and since is not None and os.environ.get("GITHUB_OUTPUT"):
        # For the workflow: a pull request that changes no record gets no new comment (an
        # earlier one is still brought up to date, to say so).
        changed = "true" if entries or removed or taxonomy or mailmap else "false"
        with Path(os.environ["GITHUB_OUTPUT"]).open("a", encoding="utf-8") as handle:
            handle.write(f"changed={changed}\n")
    if fmt == "json":
        click.echo(answer.model_dump_json(indent=2))
        return
    text = render_github(answer) if fmt == "github" else render_markdown(answer)
    click.echo(text, nl=False)
    if fmt == "github" and os.environ.get("GITHUB_STEP_SUMMARY"):
        with Path(os.environ["GITHUB_STEP_SUMMARY"]).open("a", encoding="utf-8") as handle:
            handle.write(text)
