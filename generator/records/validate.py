"""Validate stage: every record against the schema, then every cross-record rule.

``check()`` loads and validates the whole knowledge base and returns what passed together
with every problem found, so one run reports everything.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
import sys
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ..errors import Problems
from ..gcpause import keep_until_exit, paused_gc
from ..paths import BodyLinks, body_links
from . import record_cache, schema_errors
from .body import BodyRenderer, check_body, renderer_for
from .conflicts import unmerged_files
from .corpus import Entry, KnowledgeBase, Reading, sprint_mark
from .corpus_rules import check_corpus
from .load import TAXONOMY_FILE, Source, StrayRecord, find_record_files, load_record
from .record_rules import (
    check_curly_quotes,
    check_deal_value,
    check_record_rules,
    check_stub_measures,
    check_stub_names,
    check_vocabulary,
    record_readings,
)
from .schema import (
    BUILTIN_UNITS,
    COMMON_FIELDS,
    FOLDER_OF_TYPE,
    MODELS,
    Common,
    Postmortem,
    Record,
    Retro,
    intended_type,
)
from .site_rules import check_hand_written_pages, check_site_url
from .stub import (
    Reported,
    Stub,
    check_stub_owners,
    check_stub_team,
    check_stub_vocabulary,
    stub_of,
)
from .taxonomy import Taxonomy, did_you_mean
from .taxonomy_rules import load_taxonomy as load_taxonomy
from .types import SLUG
from .yamlpos import Document

CHECKS = {
    "records": "the records' fields and the rules across records",
    "overdue-actions": "overdue actions",
    "missing-retros": "months without a retro",
    "unknown-action-updates": "action updates naming no action",
    "scorecard-actuals": "scorecard actuals against the quarter's records",
}
"""The checks an error elsewhere can stop, by id, in the words a report names them by."""


@dataclass(frozen=True)
class NotRun:
    """Checks that did not run because of errors: without them the warnings they give would
    be false (an unreadable retro may close any action), so they wait, and the report says
    which wait for which files (warnings vanishing without a word read as problems solved)."""

    checks: tuple[str, ...]
    """Their ids (`CHECKS`)."""
    because: tuple[str, ...]
    """The files whose errors stop them, relative to the root."""


@dataclass
class Result:
    """What validation found: the knowledge base of valid records and every problem."""

    kb: KnowledgeBase | None
    problems: Problems
    files: int
    """How many files were looked at: the record files and any other file with a problem."""
    paths: frozenset[str] = frozenset()
    """Those files' paths relative to the root (a report of some of them counts its own)."""
    not_run: list[NotRun] = field(default_factory=list)
    """The checks the errors stopped, and which files' errors stopped them."""
    pages: frozenset[str] = frozenset()
    """The hand-written pages with errors (a merge conflict left in one): none is a record,
    so they stop no check of the records."""

    def stopped(self, checks: tuple[str, ...], because: tuple[str, ...]) -> None:
        """Note ``checks`` as not run because of the errors of ``because``: with the checks
        the same files stopped already, if any (one line per cause in a report)."""
        for index, item in enumerate(self.not_run):
            if item.because == because:
                self.not_run[index] = NotRun(item.checks + checks, because)
                return
        self.not_run.append(NotRun(checks, because))


PARALLEL_FROM = 400
"""From this many records on, files are parsed and checked on every CPU."""


def check(root: Path, as_of: dt.date, cache: bool | None = None) -> Result:
    """Load and validate the whole knowledge base under ``root``.

    Each record file's own results come from the record cache when its content is unchanged
    (`generator.records.record_cache`); ``cache=False`` (or ``--no-cache``) validates every
    file afresh, and so does a knowledge base whose cache is committed to git.
    """
    use = record_cache.enabled() if cache is None else cache
    with paused_gc():
        result = _check(root, as_of, use and not record_cache.committed(root))
    keep_until_exit(result)
    return result


def _check(root: Path, as_of: dt.date, cache: bool = False) -> Result:
    problems = Problems()
    taxonomy = load_taxonomy(root, problems)
    strays: list[StrayRecord] = []
    paths = find_record_files(root, problems, strays)
    # Asked of git once: a conflict inside a fenced code block of a file it has unmerged is
    # one (two people edited the same lines of code), not a quoted one.
    unmerged = unmerged_files(root)
    if taxonomy is None:
        read = {s.path for s in (load_record(root, p, problems, unmerged=unmerged)
                                 for p in paths) if s}
        looked_at = frozenset(read | {p.path for p in problems.items})
        # Records are checked against the taxonomy: only their YAML was read.
        return Result(None, problems, len(looked_at), looked_at,
                      [NotRun(("records",), (TAXONOMY_FILE,))])
    if cache:
        def validate(root: Path, paths: list[Path], taxonomy: Taxonomy,
                     problems: Problems) -> tuple[list[Entry], int, list[Stub]]:
            return _load_and_validate(root, paths, taxonomy, problems, unmerged)

        # An unmerged file's result is never taken from the cache nor kept in it: the same
        # bytes are text once git has the file resolved.
        entries, _, stubs = record_cache.load_and_validate(root, paths, taxonomy, problems,
                                                           validate, uncached=unmerged)
    else:
        entries, _, stubs = _load_and_validate(root, paths, taxonomy, problems, unmerged)
    files = frozenset({path.relative_to(root).as_posix() for path in paths}
                      | {p.path for p in problems.items if p.path != TAXONOMY_FILE})
    # Record files that gave neither an entry nor a stub could not be read at all: one may
    # have closed any action, so none is called overdue until it is fixed.
    parsed = {entry.id for entry in entries} | {stub.id for stub in stubs}
    unparsed = any(path.stem not in parsed for path in paths if path.name.endswith(".md"))
    # A file whose name is no record id had its own problems reported (with that one), but it
    # takes no part in the rules across records: another record's id or month is not its.
    entries = [entry for entry in entries if SLUG.fullmatch(entry.id)]
    stubs = [stub for stub in stubs if SLUG.fullmatch(stub.id)]
    entries.sort(key=lambda e: e.sort_key)
    _resolve_aliases(entries, taxonomy)
    kb = KnowledgeBase(root=root, taxonomy=taxonomy, entries=entries, as_of=as_of)
    # Record files that gave neither an entry nor a stub: their front matter could not be read.
    read = {entry.id for entry in entries} | {stub.id for stub in stubs}
    unread = frozenset(path.stem for path in paths if path.name.endswith(".md")) - read
    # A record saved as .MD or .markdown is read as none: as one that cannot be read, it may
    # hold any month and close or raise any action (under the id it is told to take, so a
    # record that names it is not told it names none).
    unread_ids = unread | {stray.stem or stray.path for stray in strays}
    check_corpus(kb, problems, sorted(stubs, key=lambda s: s.path), unread_ids,
                 unparsed or bool(strays))
    check_site_url(root, taxonomy, problems)
    pages = check_hand_written_pages(root, problems, unmerged)
    # A page with an error was looked at as much as a record: "1 error; 64 files checked"
    # left out the one file the error was in.
    files |= pages
    result = Result(kb, problems, len(files), files, pages=pages)
    # What `check_corpus` left out: while a record file cannot be read, it may have closed any
    # action; while one takes no part in the rules across records (that one too), any month
    # may be its, and any action its to raise.
    markdown = sorted(path.relative_to(root).as_posix() for path in paths
                      if path.name.endswith(".md"))
    unparsed_files = tuple(sorted([rel for rel in markdown if Path(rel).stem not in parsed]
                                  + [stray.path for stray in strays]))
    unread_files = tuple(sorted([rel for rel in markdown if Path(rel).stem in unread]
                                + [stray.path for stray in strays]))
    if unparsed_files:
        result.stopped(("overdue-actions",), unparsed_files)
    if unread_files:
        result.stopped(("missing-retros", "unknown-action-updates"), unread_files)
    return result


def _canonical_teams(record: Record, taxonomy: Taxonomy) -> None:
    """A team named by an earlier id (an alias) is the team: the record and its actions carry
    its id from here on (and in the record cache, which the taxonomy's digest keys)."""
    ids = taxonomy.team_ids()
    if record.team is not None and ids.get(record.team, record.team) != record.team:
        record.team = ids[record.team]
    for action in record.actions:
        if action.team is not None and ids.get(action.team, action.team) != action.team:
            action.team = ids[action.team]
    for update in record.action_updates:
        if update.team is not None and ids.get(update.team, update.team) != update.team:
            update.team = ids[update.team]


def _resolve_aliases(entries: list[Entry], taxonomy: Taxonomy) -> None:
    """Replace every cause and reason alias by its canonical id, once, for every later stage."""
    # Only the aliases are looked for: most knowledge bases have few or none, and looking up
    # every citation and action of 10,000 records took a tenth of a second on every run.
    aliases = {alias: cause for alias, cause in taxonomy.cause_ids().items() if alias != cause}
    reasons = taxonomy.reason_ids()
    # Assigned only where something changes: a model's assignment is validated, and almost
    # every citation already uses the canonical id.
    for entry in entries:
        record = entry.record
        if aliases:
            for citation in record.causes:
                if citation.cause in aliases:
                    citation.cause = aliases[citation.cause]
            for action in record.actions:
                if action.cause in aliases:
                    action.cause = aliases[action.cause]
        # Only a post-mortem has a deal (asking a retro's model for one raises, slowly).
        deal = record.deal if isinstance(record, Postmortem) else None
        if deal is not None and deal.reasons:
            resolved = list(dict.fromkeys(reasons.get(r, r) for r in deal.reasons))
            if resolved != deal.reasons:
                deal.reasons = resolved


def _check_files(
    root: Path, paths: list[Path], taxonomy: Taxonomy, keep_value: bool = False,
    unmerged: frozenset[str] = frozenset(),
) -> tuple[list[Entry], int, Problems, list[Stub]]:
    """Load and check some record files on their own (a unit of parallel work); ``unmerged``
    are the files git has unmerged."""
    problems = Problems()
    entries = []
    stubs: list[Stub] = []
    loaded = 0
    renderer = renderer_for(root)
    for path in paths:
        source = load_record(root, path, problems, unmerged=unmerged)
        if source is None:
            continue
        loaded += 1
        entry = _validate_record(source, taxonomy, problems, stubs, renderer)
        if entry is not None:
            _slim(entry, keep_value)
            entries.append(entry)
    for stub in stubs:
        _slim_doc(stub.source.doc, keep_value=False)
    return entries, loaded, problems, stubs


# Fields the rules across records point at (and a deal's competitor, whose spellings are
# compared across records); other positions are only needed per record.
# A post-mortem's name and end date too: two post-mortems of one event are told apart by them.
_CROSS_RECORD_FIELDS = {"period", "held", "team", "related", "actions", "action_updates", "name",
                        "event_ended"}


def _slim(entry: Entry, keep_value: bool = False) -> None:
    """Drop what later stages never read (the raw YAML, most positions) before it travels."""
    _slim_doc(entry.source.doc, keep_value)


def _slim_doc(doc: Document, keep_value: bool) -> None:
    if not keep_value:
        doc.value = None
    doc.dotted = {}
    doc.curly = {}
    doc.keys = {}  # for unknown fields, reported before a record travels
    # An indicator's own line too (a segment left out since the team's last retro), not its
    # segments': ten per record at 10,000 records would be a hundred thousand positions. A
    # scorecard row's actual: the quarter's figure may fall on the other side of its goal.
    doc.positions = {path: pos for path, pos in doc.positions.items()
                     if path and (path[0] in _CROSS_RECORD_FIELDS
                                  # indicators: itself, where a sprint team's second
                                  # readings of a month are an error.
                                  or (path[0] == "indicators" and len(path) <= 2)
                                  or (path[0] == "scorecard" and path[2:] == ("actual",))
                                  # A lesson's `replaces:` names another record.
                                  or (path[0] == "lessons" and path[2:3] == ("replaces",))
                                  # A post-mortem's summary may claim every plan line met.
                                  or path in (("deal", "competitor"), ("deal", "customer"),
                                              ("summary",)))}


_Portable = tuple[str, str, str, Any, dict[Any, Any], str, int, str, str, BodyLinks | None,
                  list[tuple[str, str | None, float, int | None, int | None, bool,
                             float | None]], str | None]


def _check_files_portable(
    root: Path, paths: list[Path], taxonomy: Taxonomy, unmerged: frozenset[str]
) -> tuple[list[_Portable], int, Problems, list[Stub]]:
    """`_check_files` for a worker process: valid records come back as plain data.

    Pydantic models are slow to unpickle; plain dicts, lists and tuples are fast, and the
    parent re-creates each model from data that is already known to be valid.
    """
    entries, loaded, problems, stubs = _check_files(root, paths, taxonomy, keep_value=True,
                                                    unmerged=unmerged)
    rows: list[_Portable] = []
    for entry in entries:
        src = entry.source
        rows.append((src.path, src.folder, src.id, src.doc.value, src.doc.positions, src.body,
                     src.body_line, src.digest, src.html, src.links,
                     [(r.indicator, r.segment, r.value, r.numerator, r.denominator,
                       r.computed, r.check) for r in entry.readings], entry.team_name))
    return rows, loaded, problems, stubs


def _quarterly(record: Record, taxonomy: Taxonomy) -> bool:
    """Whether ``record`` is a retro of a team that meets quarterly, of a month from its
    ``quarterly_from`` quarter on (its period is shown as its quarter)."""
    return record.type == "retro" and taxonomy.quarterly_at(record.team,
                                                            str(getattr(record, "period", "")))


def _sprint_mark(record: Record, record_id: str, taxonomy: Taxonomy) -> str:
    """What tells an untitled retro of a team that meets every sprint from the month's others
    (`sprint_mark`), "" for any other record."""
    if not isinstance(record, Retro) or not taxonomy.meets_by_sprint(record.team):
        return ""
    names = [name for name, team in taxonomy.team_ids().items() if team == record.team]
    return sprint_mark(record_id, record.period, names, record.held)


def _from_portable(row: _Portable, taxonomy: Taxonomy) -> Entry:
    (path, folder, record_id, value, positions, body, body_line, digest, html, links, readings,
     team_name) = row
    record = MODELS[value["type"]].model_validate(value)
    # Re-created from the YAML as written: a team's earlier id is resolved again, as the
    # worker did.
    _canonical_teams(record, taxonomy)
    source = Source(path, folder, record_id, Document(None, positions), body, body_line, digest,
                    html, links)
    return Entry(source=source, record=record, readings=[Reading(*r) for r in readings],
                 team_name=team_name, quarterly=_quarterly(record, taxonomy),
                 sprint_mark=_sprint_mark(record, record_id, taxonomy))


def _load_and_validate(
    root: Path, paths: list[Path], taxonomy: Taxonomy, problems: Problems,
    unmerged: frozenset[str] = frozenset(),
) -> tuple[list[Entry], int, list[Stub]]:
    """Every record loaded and checked on its own, in parallel for large knowledge bases
    (``unmerged``: the files git has unmerged).

    Per-record work (YAML, schema, vocabulary) is independent, so it is split across CPUs;
    the rules across records run afterwards, in this process, on everything at once.
    """
    workers = min(os.cpu_count() or 1, 8)
    if len(paths) < PARALLEL_FROM or workers < 2:
        entries, loaded, found, stubs = _check_files(root, paths, taxonomy, unmerged=unmerged)
        problems.extend(found)
        return entries, loaded, stubs
    size = -(-len(paths) // (workers * 4))
    chunks = [paths[i:i + size] for i in range(0, len(paths), size)]
    entries = []
    stubs = []
    loaded = 0
    context = multiprocessing.get_context("fork" if sys.platform == "linux" else "spawn")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        for rows, chunk_loaded, found, chunk_stubs in pool.map(
            _check_files_portable, [root] * len(chunks), chunks, [taxonomy] * len(chunks),
            [unmerged] * len(chunks)
        ):
            entries.extend(_from_portable(row, taxonomy) for row in rows)
            stubs.extend(chunk_stubs)
            loaded += chunk_loaded
            problems.extend(found)
    return entries, loaded, stubs


def _validate_record(
    source: Source, taxonomy: Taxonomy, problems: Problems, stubs: list[Stub],
    renderer: BodyRenderer,
) -> Entry | None:
    """The record as an entry if it passes the schema; else a stub is kept for the rules
    across records, so its schema errors do not hide theirs. A type error hides nothing
    either: a type written another way (``Retro``, ``retrospective``) is checked as the type
    it means, one in the wrong folder as its own type, and a record of no known type on the
    fields every type has."""
    data: dict[str, Any] = source.doc.value
    rel = source.path
    schema_errors.full_width_around_ids(source.doc, rel, problems)
    kind = _record_type(source, problems)
    if kind is None:
        _check_stub(source, None, taxonomy, problems, renderer, stubs)
        return None
    # From here on the record is read as the type it means (the parallel path and the record
    # cache re-create it from this value).
    data["type"] = kind
    placed = FOLDER_OF_TYPE[kind] == source.folder
    if not placed:
        line, col = source.doc.position(("type",))
        problems.error(rel, line, col, "type", f"a {kind} belongs in {FOLDER_OF_TYPE[kind]}/, "
                       f"not {source.folder}/", f"move the file to {FOLDER_OF_TYPE[kind]}/")
    model = MODELS[kind]
    try:
        record = model.model_validate(data)
    except ValidationError as exc:
        units = {**BUILTIN_UNITS, **{ind.id: ind.unit.value for ind in taxonomy.indicators}}
        schema_errors.report(exc, model, rel, source.doc, problems, units, taxonomy)
        _check_stub(source, kind, taxonomy, problems, renderer, stubs)
        return None
    _canonical_teams(record, taxonomy)
    team_name = next((team.name for team in taxonomy.teams if team.id == record.team), None)
    entry = Entry(source=source, record=record, team_name=team_name,
                  quarterly=_quarterly(record, taxonomy),
                  sprint_mark=_sprint_mark(record, source.id, taxonomy))
    source.html = check_body(rel, source.body, source.body_line, problems, renderer, entry.title)
    source.links = body_links(source.html)
    check_vocabulary(entry, taxonomy, problems)
    check_record_rules(entry, taxonomy, problems)
    if isinstance(record, Retro):
        entry.readings = record_readings(entry, record.indicators, taxonomy, problems)
    if not placed:
        # Checked as its type, but no page of another folder's: the rules across records
        # read it as a stub, as they read a record with any other error in its head.
        stubs.append(stub_of(source, taxonomy))
        return None
    return entry


def _record_type(source: Source, problems: Problems) -> str | None:
    """The type the record is checked as, its ``type:`` problems reported: the type written,
    or the one a spelling of it can only mean; None when it names no type."""
    data: dict[str, Any] = source.doc.value
    kind = data.get("type")
    rel = source.path
    if kind is None:
        hint = ("add `type: postmortem`" if source.folder == "postmortems"
                else "add `type: retro` for a monthly retro or `type: review` for a quarterly one")
        problems.error(rel, 1, 1, "type", "is required", hint)
        return None
    if isinstance(kind, str) and kind in MODELS:
        return kind
    line, col = source.doc.position(("type",))
    intended = intended_type(kind)
    if intended is None:
        problems.error(rel, line, col, "type", f"must be retro, review or postmortem (got {kind!r})",
                       did_you_mean(str(kind), set(MODELS)))
        return None
    problems.error(rel, line, col, "type", f"must be retro, review or postmortem (got {kind!r})",
                   f"write `type: {intended}`; the rest of the record was checked as a {intended}")
    return intended


def _check_stub(source: Source, kind: str | None, taxonomy: Taxonomy, problems: Problems,
                renderer: BodyRenderer, stubs: list[Stub]) -> None:
    """Keep a record that failed the schema as a stub, and check what its errors do not touch,
    so fixing them does not reveal a second round: its team and vocabulary, the body, and by
    its type (``kind``; None when it names none) a review's or post-mortem's figures, a
    retro's readings and what its file name says. A record of no known type is first checked
    on the fields every type has (`Common`)."""
    rel = source.path
    data: dict[str, Any] = source.doc.value
    if kind is None:
        try:
            Common.model_validate({k: v for k, v in data.items() if k in COMMON_FIELDS})
        except ValidationError as exc:
            schema_errors.report(exc, Common, rel, source.doc, problems, taxonomy=taxonomy)
    stub = stub_of(source, taxonomy)
    reported = Reported(p.field for p in problems.items if p.path == rel)
    if not reported.touches("team"):
        check_stub_team(stub, taxonomy, problems)
    check_stub_vocabulary(stub, taxonomy, problems, reported)
    check_stub_owners(stub, problems, reported)
    check_curly_quotes(stub, problems, reported)
    if kind is not None:
        check_stub_measures(stub, taxonomy, problems, reported)
        check_stub_names(stub, taxonomy, problems, reported)
    deal = data.get("deal")
    value = deal.get("value") if kind == "postmortem" and isinstance(deal, dict) else None
    if isinstance(value, int | float) and not isinstance(value, bool) \
            and not reported.touches("deal.value"):
        check_deal_value(stub, float(value), problems)
    # Kept on the source, so the body's links to other records are checked too.
    source.html = check_body(rel, source.body, source.body_line, problems, renderer, stub.title)
    indicators = data.get("indicators")
    if kind == "retro" and isinstance(indicators, dict) and not reported.touches("indicators"):
        record_readings(stub, indicators, taxonomy, problems)
    stubs.append(stub)
