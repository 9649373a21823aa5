"""Validate stage: every record against the schema, then every cross-record rule.

``check()`` loads and validates the whole knowledge base and returns what passed together
with every problem found, so one run reports everything.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
import re
import sys
from collections import defaultdict
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from .. import messages
from ..errors import ConfigError, Problems
from ..gcpause import keep_until_exit, paused_gc
from ..paths import ID_PAGES, linked_records, taken_page
from . import record_cache, schema_errors
from .actions import actions_of
from .body import BodyRenderer, check_body, renderer_for
from .corpus import Entry, KnowledgeBase, Reading
from .derived import derive
from .formatting import format_value
from .load import TAXONOMY_FILE, Source, find_record_files, load_record, read_text
from .plaintext import markup_in, plain_text_fields
from .schema import FOLDER_OF_TYPE, MODELS, Postmortem, Retro, Review, Status
from .stub import Stub, check_stub_team, stub_of
from .taxonomy import Taxonomy, Unit, did_you_mean, indicator_problems
from .types import months_of_quarter, next_month
from .yamlpos import Document, YamlProblem, parse

_FRACTION = re.compile(r"\s*(\d+)\s*/\s*(\d+)\s*")
HELD_AFTER_PERIOD_DAYS = 62
"""A retro or review held more than this many days after its period ended is a warning: it
is probably dated or filed under the wrong period."""
_ID_KIND = {"causes": "cause", "indicators": "indicator", "teams": "team",
            "plan_kinds": "plan kind"}


@dataclass
class Result:
    """What validation found: the knowledge base of valid records and every problem."""

    kb: KnowledgeBase | None
    problems: Problems
    files: int


def load_taxonomy(root: Path, problems: Problems) -> Taxonomy | None:
    """Load and check ``taxonomy.yml``; problems are located in that file."""
    path = root / TAXONOMY_FILE
    if not path.exists() and not path.is_symlink():
        raise ConfigError(
            f"{TAXONOMY_FILE} not found in {root}: run hindsight from the knowledge base's "
            "root folder, or pass --root"
        )
    text = read_text(root, path, problems, limit=4 * 1024 * 1024)
    if text is None:
        return None
    try:
        doc = parse(text)
    except YamlProblem as exc:
        problems.error(TAXONOMY_FILE, exc.line, exc.col, exc.where, exc.message, exc.hint)
        return None
    for problem in doc.problems:
        problems.error(TAXONOMY_FILE, problem.line, problem.col, problem.where, problem.message,
                       problem.hint)
    try:
        taxonomy = Taxonomy.model_validate(doc.value)
    except ValidationError as exc:
        schema_errors.report(exc, Taxonomy, TAXONOMY_FILE, doc, problems)
        return None
    seen: dict[str, tuple[str | int, ...]] = {}
    for group in ("causes", "indicators", "teams", "plan_kinds", "reasons",
                  "assumption_categories"):
        ids: set[str] = set()
        for index, item in enumerate(getattr(taxonomy, group)):
            if item.id in ids:
                line, col = doc.position((group, index, "id"))
                problems.error(TAXONOMY_FILE, line, col, f"{group}[{index}].id",
                               f"duplicate id {item.id!r}", "ids must be unique")
            ids.add(item.id)
            # Only some vocabularies have a page per id (reasons and categories do not).
            kind = _ID_KIND.get(group)
            taken = taken_page(ID_PAGES[kind], item.id) if kind else None
            if taken is not None:
                line, col = doc.position((group, index, "id"))
                problems.error(TAXONOMY_FILE, line, col, f"{group}[{index}].id",
                               messages.reserved_id(item.id, taken), messages.RESERVED_ID_HINT)
    for index, cause in enumerate(taxonomy.causes):
        for a_index, alias in enumerate(cause.aliases):
            if alias in seen or alias in {c.id for c in taxonomy.causes}:
                line, col = doc.position(("causes", index, "aliases", a_index))
                problems.error(TAXONOMY_FILE, line, col, f"causes[{index}].aliases[{a_index}]",
                               f"alias {alias!r} is already a cause id or another alias",
                               "an alias may point at one cause only")
            seen[alias] = ("causes", index)
    if taxonomy.fix_horizon_days < taxonomy.fix_cadence_days:
        line, col = doc.position(("fix_horizon_days",))
        problems.error(TAXONOMY_FILE, line, col, "fix_horizon_days",
                       f"{taxonomy.fix_horizon_days} is shorter than fix_cadence_days "
                       f"({taxonomy.fix_cadence_days})", "the horizon must be at least one cadence")
    reason_seen: set[str] = set()
    reason_ids = {r.id for r in taxonomy.reasons}
    for index, reason in enumerate(taxonomy.reasons):
        for a_index, alias in enumerate(reason.aliases):
            if alias in reason_seen or alias in reason_ids:
                line, col = doc.position(("reasons", index, "aliases", a_index))
                problems.error(TAXONOMY_FILE, line, col, f"reasons[{index}].aliases[{a_index}]",
                               f"alias {alias!r} is already a reason id or another alias",
                               "an alias may point at one reason only")
            reason_seen.add(alias)
    for index, indicator in enumerate(taxonomy.indicators):
        if indicator.segment_by and not indicator.segments:
            line, col = doc.position(("indicators", index, "segment_by"))
            problems.error(TAXONOMY_FILE, line, col, f"indicators[{index}].segments",
                           "lists no segments although segment_by is set",
                           "list the allowed segment ids under segments:")
    for where, message, hint in indicator_problems(taxonomy):
        line, col = doc.position(where)
        problems.error(TAXONOMY_FILE, line, col, schema_errors.format_loc(where), message, hint)
    return taxonomy


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
    paths = find_record_files(root, problems)
    if taxonomy is None:
        sources = [s for s in (load_record(root, p, problems) for p in paths) if s]
        return Result(None, problems, len(sources) + len({p.path for p in problems.items}))
    if cache:
        entries, _, stubs = record_cache.load_and_validate(root, paths, taxonomy, problems,
                                                           _load_and_validate)
    else:
        entries, _, stubs = _load_and_validate(root, paths, taxonomy, problems)
    files = len({path.relative_to(root).as_posix() for path in paths}
                | {p.path for p in problems.items if p.path != TAXONOMY_FILE})
    entries.sort(key=lambda e: e.sort_key)
    _resolve_aliases(entries, taxonomy)
    kb = KnowledgeBase(root=root, taxonomy=taxonomy, entries=entries, as_of=as_of)
    _check_corpus(kb, problems, sorted(stubs, key=lambda s: s.path))
    return Result(kb, problems, files)


def _resolve_aliases(entries: list[Entry], taxonomy: Taxonomy) -> None:
    """Replace every cause and reason alias by its canonical id, once, for every later stage."""
    canonical = taxonomy.cause_ids()
    reasons = taxonomy.reason_ids()
    # Assigned only where an alias is replaced: a model's assignment is validated, and
    # almost every citation already uses the canonical id.
    for entry in entries:
        for citation in entry.record.causes:
            if citation.cause in canonical and canonical[citation.cause] != citation.cause:
                citation.cause = canonical[citation.cause]
        for action in entry.record.actions:
            if action.cause in canonical and canonical[action.cause] != action.cause:
                action.cause = canonical[action.cause]
        deal = getattr(entry.record, "deal", None)
        if deal is not None and deal.reasons:
            deal.reasons = list(dict.fromkeys(reasons.get(r, r) for r in deal.reasons))


def _check_files(
    root: Path, paths: list[Path], taxonomy: Taxonomy, keep_value: bool = False
) -> tuple[list[Entry], int, Problems, list[Stub]]:
    """Load and check some record files on their own (a unit of parallel work)."""
    problems = Problems()
    entries = []
    stubs: list[Stub] = []
    loaded = 0
    renderer = renderer_for(root)
    for path in paths:
        source = load_record(root, path, problems)
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


# Fields the rules across records point at; other positions are only needed per record.
_CROSS_RECORD_FIELDS = {"period", "held", "team", "related", "actions", "action_updates"}


def _slim(entry: Entry, keep_value: bool = False) -> None:
    """Drop what later stages never read (the raw YAML, most positions) before it travels."""
    _slim_doc(entry.source.doc, keep_value)


def _slim_doc(doc: Document, keep_value: bool) -> None:
    if not keep_value:
        doc.value = None
    doc.positions = {path: pos for path, pos in doc.positions.items()
                     if path and path[0] in _CROSS_RECORD_FIELDS}


_Portable = tuple[str, str, str, Any, dict[Any, Any], str, int, str, str,
                  list[tuple[str, str | None, float, int | None, int | None, bool,
                             float | None]]]


def _check_files_portable(
    root: Path, paths: list[Path], taxonomy: Taxonomy
) -> tuple[list[_Portable], int, Problems, list[Stub]]:
    """`_check_files` for a worker process: valid records come back as plain data.

    Pydantic models are slow to unpickle; plain dicts, lists and tuples are fast, and the
    parent re-creates each model from data that is already known to be valid.
    """
    entries, loaded, problems, stubs = _check_files(root, paths, taxonomy, keep_value=True)
    rows: list[_Portable] = []
    for entry in entries:
        src = entry.source
        rows.append((src.path, src.folder, src.id, src.doc.value, src.doc.positions, src.body,
                     src.body_line, src.digest, src.html,
                     [(r.indicator, r.segment, r.value, r.numerator, r.denominator,
                       r.computed, r.check) for r in entry.readings]))
    return rows, loaded, problems, stubs


def _from_portable(row: _Portable) -> Entry:
    path, folder, record_id, value, positions, body, body_line, digest, html, readings = row
    record = MODELS[value["type"]].model_validate(value)
    source = Source(path, folder, record_id, Document(None, positions), body, body_line, digest,
                    html)
    return Entry(source=source, record=record, readings=[Reading(*r) for r in readings])


def _load_and_validate(
    root: Path, paths: list[Path], taxonomy: Taxonomy, problems: Problems
) -> tuple[list[Entry], int, list[Stub]]:
    """Every record loaded and checked on its own, in parallel for large knowledge bases.

    Per-record work (YAML, schema, vocabulary) is independent, so it is split across CPUs;
    the rules across records run afterwards, in this process, on everything at once.
    """
    workers = min(os.cpu_count() or 1, 8)
    if len(paths) < PARALLEL_FROM or workers < 2:
        entries, loaded, found, stubs = _check_files(root, paths, taxonomy)
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
            _check_files_portable, [root] * len(chunks), chunks, [taxonomy] * len(chunks)
        ):
            entries.extend(_from_portable(row) for row in rows)
            stubs.extend(chunk_stubs)
            loaded += chunk_loaded
            problems.extend(found)
    return entries, loaded, stubs


def _validate_record(
    source: Source, taxonomy: Taxonomy, problems: Problems, stubs: list[Stub],
    renderer: BodyRenderer,
) -> Entry | None:
    """The record as an entry if it passes the schema; else a stub is kept for the rules
    across records, so its schema errors do not hide theirs."""
    data: dict[str, Any] = source.doc.value
    kind = data.get("type")
    rel = source.path
    if kind is None:
        hint = ("add `type: postmortem`" if source.folder == "postmortems"
                else "add `type: retro` for a monthly retro or `type: review` for a quarterly one")
        problems.error(rel, 1, 1, "type", "is required", hint)
        stubs.append(stub_of(source))
        return None
    if not isinstance(kind, str) or kind not in MODELS:
        line, col = source.doc.position(("type",))
        problems.error(rel, line, col, "type", f"must be retro, review or postmortem (got {kind!r})",
                       did_you_mean(str(kind), set(MODELS)))
        stubs.append(stub_of(source))
        return None
    if FOLDER_OF_TYPE[kind] != source.folder:
        line, col = source.doc.position(("type",))
        problems.error(rel, line, col, "type", f"a {kind} belongs in {FOLDER_OF_TYPE[kind]}/, "
                       f"not {source.folder}/", f"move the file to {FOLDER_OF_TYPE[kind]}/")
        stubs.append(stub_of(source))
        return None
    model = MODELS[kind]
    try:
        record = model.model_validate(data)
    except ValidationError as exc:
        schema_errors.report(exc, model, rel, source.doc, problems)
        stub = stub_of(source)
        if not any(p.path == rel and p.field == "team" for p in problems.items):
            check_stub_team(stub, taxonomy, problems)
        stubs.append(stub)
        return None
    entry = Entry(source=source, record=record)
    source.html = check_body(rel, source.body, source.body_line, problems, renderer)
    _check_vocabulary(entry, taxonomy, problems)
    _check_record_rules(entry, taxonomy, problems)
    if isinstance(record, Retro):
        entry.readings = _readings(entry, record, taxonomy, problems)
    return entry


def _link_position(entry: Entry, target: str) -> tuple[int, int]:
    """Line and column of the body's first link to ``target`` (the body's first line if the
    link is written in a way not found as text, such as an escaped character)."""
    written = f"{target}.md"
    for index, line in enumerate(entry.source.body.split("\n")):
        col = line.find(written)
        if col >= 0:
            return entry.source.body_line + index, col + 1
    return entry.source.body_line, 1


def _at(entry: Entry | Stub, path: tuple[str | int, ...]) -> tuple[str, int, int, str]:
    line, col = entry.source.doc.position(path)
    return entry.path, line, col, schema_errors.format_loc(path)


def _check_vocabulary(entry: Entry, taxonomy: Taxonomy, problems: Problems) -> None:
    record = entry.record
    causes = taxonomy.cause_ids()
    teams = {team.id for team in taxonomy.teams}
    kinds = {kind.id for kind in taxonomy.plan_kinds}
    indicators = {ind.id for ind in taxonomy.indicators}
    if record.team is not None and record.team not in teams:
        problems.error(*_at(entry, ("team",)), f"unknown team {record.team!r}",
                       did_you_mean(record.team, teams))
    for i, citation in enumerate(record.causes):
        if citation.cause not in causes:
            problems.error(*_at(entry, ("causes", i, "cause")),
                           f"unknown cause {citation.cause!r}",
                           f"{did_you_mean(citation.cause, causes)} "
                           f"New causes are added to {TAXONOMY_FILE} by pull request.")
    for i, action in enumerate(record.actions):
        if action.cause is not None and action.cause not in causes:
            problems.error(*_at(entry, ("actions", i, "cause")), f"unknown cause {action.cause!r}",
                           did_you_mean(action.cause, causes))
        if action.indicator is not None and action.indicator not in indicators:
            problems.error(*_at(entry, ("actions", i, "indicator")),
                           f"unknown indicator {action.indicator!r}",
                           did_you_mean(action.indicator, indicators))
        if action.team is not None and action.team not in teams:
            problems.error(*_at(entry, ("actions", i, "team")), f"unknown team {action.team!r}",
                           did_you_mean(action.team, teams))
        _check_action_segment(entry, i, taxonomy, problems)
    if isinstance(record, Postmortem):
        _check_deal_vocabulary(entry, taxonomy, problems)
        categories = {c.id for c in taxonomy.assumption_categories}
        for i, assumption in enumerate(record.assumptions):
            if assumption.category is not None and assumption.category not in categories:
                problems.error(*_at(entry, ("assumptions", i, "category")),
                               f"unknown assumption category {assumption.category!r}",
                               f"{did_you_mean(assumption.category, categories)} New categories "
                               f"are added to assumption_categories in {TAXONOMY_FILE}.")
    for i, lesson in enumerate(record.lessons):
        for k, kind in enumerate(lesson.applies_to):
            if kind not in kinds:
                problems.error(*_at(entry, ("lessons", i, "applies_to", k)),
                               f"unknown plan kind {kind!r}", did_you_mean(kind, kinds))
    measures = (record.scorecard if isinstance(record, Review)
                else record.plan_vs_actual if isinstance(record, Postmortem) else [])
    field_name = "scorecard" if isinstance(record, Review) else "plan_vs_actual"
    for i, measure in enumerate(measures):
        if measure.indicator is not None and measure.indicator not in indicators:
            problems.error(*_at(entry, (field_name, i, "indicator")),
                           f"unknown indicator {measure.indicator!r}",
                           did_you_mean(measure.indicator, indicators))
        _check_measure(entry, field_name, i, taxonomy, problems)
        if measure.unit == "rate":
            for key in ("goal", "actual"):
                value = getattr(measure, key)
                if value is not None and not 0 <= value <= 1:
                    problems.error(*_at(entry, (field_name, i, key)),
                                   f"a rate must be between 0 and 1 (got {value:g})",
                                   rate_hint(value))


def _check_measure(entry: Entry, field_name: str, i: int, taxonomy: Taxonomy,
                   problems: Problems) -> None:
    """What a scorecard row may leave to Hindsight, and what a plan-vs-actual row may not."""
    measure = getattr(entry.record, field_name)[i]
    here = (field_name, i)
    computable = field_name == "scorecard" and (measure.indicator or measure.measure)
    if measure.actual is None and not computable:
        hint = ("add actual:, or name an indicator: or a measure: to compute it from the quarter"
                if field_name == "scorecard" else "add actual: with what happened")
        problems.error(*_at(entry, (*here, "metric")), "has no actual", hint)
    if measure.measure is not None and field_name != "scorecard":
        problems.error(*_at(entry, (*here, "measure")), "built-in measures are computed for "
                       "a quarterly review's scorecard only", "remove measure:")
    if measure.measure is not None and measure.indicator is not None:
        problems.error(*_at(entry, (*here, "measure")), "names both an indicator and a measure",
                       "keep one of the two")
    if measure.measure == "new-arr" and taxonomy.new_arr is None:
        problems.error(*_at(entry, (*here, "measure")), "new-arr needs to know which "
                       "indicators give deals won and deal size",
                       f"add new_arr: {{won: …, deal_size: …}} to {TAXONOMY_FILE}")
    known = {ind.id: ind for ind in taxonomy.indicators}
    indicator = known.get(measure.indicator or "")
    # The typed and the computed figure are compared, so they must be in the same unit.
    unit = (indicator.unit.value if indicator is not None
            else {"new-arr": "usd", "action-follow-through": "rate"}.get(measure.measure or ""))
    if unit is not None and measure.unit != unit:
        problems.error(*_at(entry, (*here, "unit")), f"is {measure.unit}, but "
                       f"{measure.indicator or measure.measure} is measured in {unit}",
                       f"set unit: {unit}")
    if measure.segment is not None:
        if measure.indicator is None:
            problems.error(*_at(entry, (*here, "segment")), "a segment needs an indicator:",
                           "add indicator:, or remove segment:")
        elif indicator is not None and measure.segment not in indicator.segments:
            problems.error(*_at(entry, (*here, "segment")),
                           f"{measure.indicator} has no segment {measure.segment!r}",
                           did_you_mean(measure.segment, set(indicator.segments)))


def _check_action_segment(entry: Entry, i: int, taxonomy: Taxonomy, problems: Problems) -> None:
    """An action's segment must be one of the segments of the indicator it names."""
    action = entry.record.actions[i]
    if action.segment is None:
        return
    known = {ind.id: ind for ind in taxonomy.indicators}
    if action.indicator is None:
        problems.error(*_at(entry, ("actions", i, "segment")),
                       "a segment needs the indicator it belongs to",
                       "add indicator: next to segment:, or remove segment:")
    elif action.indicator in known:
        segments = known[action.indicator].segments
        if action.segment not in segments:
            problems.error(*_at(entry, ("actions", i, "segment")),
                           f"unknown segment {action.segment!r} of {action.indicator}",
                           did_you_mean(action.segment, set(segments)))


def _check_deal_vocabulary(entry: Entry, taxonomy: Taxonomy, problems: Problems) -> None:
    """A deal's reasons, segment and ICP tier come from the taxonomy."""
    deal = entry.record.deal if isinstance(entry.record, Postmortem) else None
    if deal is None:
        return
    reasons = taxonomy.reason_ids()
    for i, reason in enumerate(deal.reasons):
        if reason not in reasons:
            problems.error(*_at(entry, ("deal", "reasons", i)), f"unknown reason {reason!r}",
                           f"{did_you_mean(reason, reasons)} New reasons (or aliases) are added "
                           f"to reasons in {TAXONOMY_FILE}.")
    for field_name, dimension in (("segment", "segment"), ("icp_tier", "icp-tier")):
        value = getattr(deal, field_name)
        allowed = taxonomy.segment_ids(dimension)
        if value is not None and value not in allowed:
            hint = (did_you_mean(value, set(allowed)) if allowed else
                    f"no indicator in {TAXONOMY_FILE} is split by {dimension}; add one, or "
                    f"remove {field_name}:")
            problems.error(*_at(entry, ("deal", field_name)),
                           f"unknown {dimension} {value!r}", hint)


def rate_hint(value: float) -> str:
    """How to fix a rate outside 0..1: usually a percentage written as a whole number."""
    if value >= 2:
        return f"write {value:g}% as {value / 100:.2f}"
    return "a rate is a share between 0 and 1; for a multiple such as NRR use unit: ratio"


def _check_record_rules(entry: Entry, taxonomy: Taxonomy, problems: Problems) -> None:
    record = entry.record
    for path, text in plain_text_fields(record):
        what = markup_in(text)
        if what is not None:
            problems.error(*_at(entry, path), f"is plain text but contains {what}",
                           "write the words alone; links and formatting belong in the body")
    for i, action in enumerate(record.actions):
        _check_done(entry, ("actions", i), action.status, action.done_on, problems)
    for i, update in enumerate(record.action_updates):
        _check_done(entry, ("action_updates", i), update.status, update.done_on, problems)
    if isinstance(record, Retro):
        first_day = dt.date.fromisoformat(f"{record.period}-01")
        if record.held < first_day:
            problems.error(*_at(entry, ("held",)),
                           f"is before the month it reviews ({record.period}) began",
                           "check the held date and the period")
        if not record.indicators:
            problems.warning(*_at(entry, ("period",)), "records no leading-indicator readings",
                             "add the month's readings under indicators: so trends can be drawn")
    if isinstance(record, Review):
        first_day = dt.date.fromisoformat(f"{months_of_quarter(record.period)[0]}-01")
        if record.held < first_day:
            problems.error(*_at(entry, ("held",)),
                           f"is before the quarter it reviews ({record.period}) began",
                           "check the held date and the period")
    if isinstance(record, Retro | Review):
        _check_held_near_period(entry, record, problems)
    if isinstance(record, Postmortem):
        if record.held < record.event_ended:
            problems.error(*_at(entry, ("held",)),
                           f"is before the event ended ({record.event_ended})",
                           "a post-mortem is held after the event; check both dates")
        else:
            days = (record.held - record.event_ended).days
            within = taxonomy.held_within_days(record.kind.plan_kind)
            if days > within:
                problems.warning(*_at(entry, ("held",)),
                                 f"{record.kind.value} post-mortem held {days} days after the "
                                 f"event ended", f"hold it within {within} days, while memories "
                                 "are fresh; held_within_days in taxonomy.yml sets this per "
                                 "plan kind")
        is_deal = record.kind.value.startswith("deal-")
        if is_deal and record.deal is None:
            problems.error(*_at(entry, ("kind",)), "a deal post-mortem needs a deal: section",
                           "add deal: with customer, chose_us, why and competitor")
        if not is_deal and record.deal is not None:
            problems.error(*_at(entry, ("deal",)), f"only deal post-mortems have a deal: section "
                           f"(this one is a {record.kind.value})",
                           "remove it, or set kind: deal-won or deal-lost")
        if is_deal and record.deal is not None:
            won = record.kind.value == "deal-won"
            if record.deal.chose_us != won:
                problems.error(*_at(entry, ("deal", "chose_us")),
                               f"says {str(record.deal.chose_us).lower()} but the kind is "
                               f"{record.kind.value}", "make the two agree")


def _check_held_near_period(entry: Entry, record: Retro | Review, problems: Problems) -> None:
    """A retro or review held long after its period ended is probably misdated or misfiled."""
    last_month = record.period if isinstance(record, Retro) else months_of_quarter(record.period)[-1]
    ended = dt.date.fromisoformat(f"{next_month(last_month)}-01") - dt.timedelta(days=1)
    days = (record.held - ended).days
    if days > HELD_AFTER_PERIOD_DAYS:
        problems.warning(*_at(entry, ("held",)),
                         f"{record.held} is {days} days after the period it reviews "
                         f"({record.period}) ended", "check the held date and the period; "
                         f"a {record.type} is held within {HELD_AFTER_PERIOD_DAYS} days of its "
                         "period's end")


def _check_done(
    entry: Entry,
    path: tuple[str | int, ...],
    status: Status,
    done_on: dt.date | None,
    problems: Problems,
) -> None:
    # A done action without done_on is done as of this record's date ("done by" it).
    if status is not Status.DONE and done_on is not None:
        problems.error(*_at(entry, (*path, "done_on")), f"is set but the status is {status.value}",
                       "set status: done, or remove done_on")
    if done_on is not None and done_on > entry.date:
        problems.error(*_at(entry, (*path, "done_on")),
                       f"{done_on} is after this record was held ({entry.date})",
                       "a record reports what was done by the day it was held; "
                       "record later completions in a later record's action_updates")
    if done_on is not None and path[0] == "actions" and done_on < entry.date:
        problems.error(*_at(entry, (*path, "done_on")),
                       f"{done_on} is before this record was held ({entry.date})",
                       "an action cannot be done before it was raised; check the date")


def _readings(entry: Entry, record: Retro, taxonomy: Taxonomy, problems: Problems) -> list[Reading]:
    known = {ind.id: ind for ind in taxonomy.indicators}
    readings: list[Reading] = []
    for ind_id, raw in record.indicators.items():
        path: tuple[str | int, ...] = ("indicators", ind_id)
        indicator = known.get(ind_id)
        if indicator is None:
            problems.error(*_at(entry, path), f"unknown indicator {ind_id!r}",
                           did_you_mean(ind_id, set(known)))
            continue
        if indicator.segment_by:
            if not isinstance(raw, dict):
                problems.error(*_at(entry, path), f"is split by {indicator.segment_by}",
                               f"give one value per {indicator.segment_by}: "
                               + ", ".join(indicator.segments))
                continue
            for segment, value in raw.items():
                seg_path = (*path, segment)
                if segment not in indicator.segments:
                    problems.error(*_at(entry, seg_path),
                                   f"unknown {indicator.segment_by} {segment!r}",
                                   did_you_mean(segment, set(indicator.segments)))
                    continue
                reading = _reading(entry, seg_path, indicator.unit, value, problems)
                if reading is not None:
                    readings.append(Reading(ind_id, segment, *reading))
        else:
            if isinstance(raw, dict):
                problems.error(*_at(entry, path), "is not split by segment",
                               "give a single value")
                continue
            reading = _reading(entry, path, indicator.unit, raw, problems)
            if reading is not None:
                readings.append(Reading(ind_id, None, *reading))
    return _derived_readings(entry, readings, taxonomy, problems)


def _derived_readings(
    entry: Entry, readings: list[Reading], taxonomy: Taxonomy, problems: Problems
) -> list[Reading]:
    """Compute derived indicators from the record's inputs; warn where a stated one disagrees."""
    units = {ind.id: ind.unit for ind in taxonomy.indicators}
    readings, disagreements, impossible = derive(readings, taxonomy)
    formulas = {ind.id: ind.formula for ind in taxonomy.indicators}
    for d in disagreements:
        path = ("indicators", d.indicator, *([d.segment] if d.segment else []))
        unit = units[d.indicator]
        problems.warning(*_at(entry, path),
                         f"states {format_value(d.stated, unit)} but {formulas[d.indicator]} "
                         f"gives {format_value(d.computed, unit)} ({d.inputs})",
                         "correct the stated value or its inputs, or leave the value out "
                         "and let Hindsight compute it")
    for bad in impossible:
        path = ("indicators", bad.first_input, *([bad.segment] if bad.segment else []))
        problems.warning(*_at(entry, path),
                         f"{formulas[bad.indicator]} gives {bad.computed:.4g} for "
                         f"{bad.indicator}{f' ({bad.segment})' if bad.segment else ''}, "
                         f"not a rate between 0 and 1 ({bad.inputs})",
                         "check the inputs: the numerator cannot exceed the denominator")
    return readings


def _reading(
    entry: Entry, path: tuple[str | int, ...], unit: Unit, raw: Any, problems: Problems
) -> tuple[float, int | None, int | None] | None:
    if unit is Unit.RATE and isinstance(raw, str) and _FRACTION.fullmatch(raw):
        top, bottom = (int(n) for n in _FRACTION.fullmatch(raw).groups())  # type: ignore[union-attr]
        if bottom == 0 or top > bottom:
            problems.error(*_at(entry, path), f"{raw!r} is not a rate between 0 and 1",
                           "write counts as converted/total, e.g. \"18/52\"")
            return None
        return top / bottom, top, bottom
    if isinstance(raw, bool) or not isinstance(raw, int | float):
        hint = 'a rate may also be written as counts, e.g. "18/52"' if unit is Unit.RATE else ""
        problems.error(*_at(entry, path), f"must be a number (got {raw!r})",
                       hint or "write a plain number")
        return None
    value = float(raw)
    if unit is Unit.RATE and not 0 <= value <= 1:
        problems.error(*_at(entry, path), f"a rate must be between 0 and 1 (got {value:g})",
                       rate_hint(value))
        return None
    if unit is not Unit.RATIO and value < 0:
        problems.error(*_at(entry, path), f"must not be negative (got {value:g})",
                       "check the sign")
        return None
    return value, None, None


def _check_corpus(kb: KnowledgeBase, problems: Problems, stubs: list[Stub]) -> None:
    """Rules that need every record at once, over every record that parsed.

    Records that failed the schema take part as stubs (their ids, team and references), so
    their schema errors do not hide a duplicate id or a broken reference until next run.
    """
    entries = kb.entries
    by_id: dict[str, list[Entry | Stub]] = defaultdict(list)
    records: list[Entry | Stub] = [*entries, *stubs]
    for record in records:
        by_id[record.id].append(record)
    for record_id, same in by_id.items():
        if len(same) > 1:
            for entry in same:
                others = ", ".join(o.path for o in same if o is not entry)
                problems.error(entry.path, 1, 1, "id", f"record id {record_id!r} is also used by "
                               f"{others}", "rename one of the files; ids are file names")
    known_ids = set(by_id)
    action_places: dict[str, list[tuple[Entry | Stub, int]]] = defaultdict(list)
    for entry in entries:
        for i, action in enumerate(entry.record.actions):
            action_places[action.id].append((entry, i))
    for stub in stubs:
        for i, action_id in stub.actions:
            action_places[action_id].append((stub, i))
    for action_id, places in action_places.items():
        if len(places) > 1:
            for entry, i in places:
                others = ", ".join(f"{o.path}:{o.source.doc.position(('actions', j, 'id'))[0]}"
                                   for o, j in places if (o, j) != (entry, i))
                problems.error(*_at(entry, ("actions", i, "id")),
                               f"action id {action_id!r} is also used at {others}",
                               "action ids must be unique across the knowledge base")
    for stub in stubs:
        _check_stub_references(stub, known_ids, action_places, problems)
    for entry in entries:
        for i, related in enumerate(entry.record.related):
            if related == entry.id:
                problems.error(*_at(entry, ("related", i)), "a record cannot relate to itself",
                               "remove it")
            elif related not in known_ids:
                problems.error(*_at(entry, ("related", i)), f"no record {related!r} exists",
                               did_you_mean(related, known_ids))
        # The body's links to other records are published as HTML, where the site engine no
        # longer checks them: a missing target would be a dead link nobody is told about.
        for target in linked_records(entry.source.html):
            if target not in known_ids:
                line, col = _link_position(entry, target)
                problems.error(entry.path, line, col, "body",
                               f"links to {target}.md, but no record {target!r} exists",
                               did_you_mean(target, known_ids))
        for i, update in enumerate(entry.record.action_updates):
            raised = action_places.get(update.id)
            if not raised:
                problems.error(*_at(entry, ("action_updates", i, "id")),
                               f"no action {update.id!r} exists",
                               did_you_mean(update.id, set(action_places)))
                continue
            origin, _ = raised[0]
            if isinstance(origin, Stub):
                continue  # its dates are not known; its own errors are reported already
            if origin is entry:
                problems.error(*_at(entry, ("action_updates", i, "id")),
                               "updates an action raised in this same record",
                               "change the action itself instead")
            elif origin.sort_key > entry.sort_key:
                problems.error(*_at(entry, ("action_updates", i, "id")),
                               f"updates an action raised later, in {origin.path}",
                               "updates belong in records held after the action was raised")
            elif update.done_on is not None and update.done_on < origin.date:
                problems.error(*_at(entry, ("action_updates", i, "done_on")),
                               f"{update.done_on} is before the action was raised "
                               f"({origin.date}, {origin.path})", "check the date")
    _check_cadence(kb, problems)
    for entry in entries:
        if entry.date > kb.as_of:
            problems.warning(*_at(entry, ("held",)),
                             f"{entry.date} is after the build date ({kb.as_of})",
                             "a record is written once it has been held: check the year, or "
                             "pass --as-of")
    for state in actions_of(kb).values():
        if state.is_overdue(kb.as_of):
            problems.warning(*_at(state.entry, ("actions", state.index, "due")),
                             f"action {state.id} is overdue (due {state.due}, owner "
                             f"{state.owner})", "close it, move its due date, or drop it in "
                             "the next record's action_updates")


def _check_stub_references(
    stub: Stub, known_ids: set[str],
    action_places: dict[str, list[tuple[Entry | Stub, int]]], problems: Problems,
) -> None:
    """The reference checks of a record that failed the schema, on the ids it does give."""
    for i, related in stub.related:
        if related == stub.id:
            problems.error(*_at(stub, ("related", i)), "a record cannot relate to itself",
                           "remove it")
        elif related not in known_ids:
            problems.error(*_at(stub, ("related", i)), f"no record {related!r} exists",
                           did_you_mean(related, known_ids))
    for i, action_id in stub.updates:
        if action_id not in action_places:
            problems.error(*_at(stub, ("action_updates", i, "id")),
                           f"no action {action_id!r} exists",
                           did_you_mean(action_id, set(action_places)))


def _check_cadence(kb: KnowledgeBase, problems: Problems) -> None:
    by_team: dict[str, dict[str, list[Entry]]] = defaultdict(lambda: defaultdict(list))
    for entry in kb.retros:
        assert isinstance(entry.record, Retro)
        by_team[entry.record.team][entry.record.period].append(entry)
    for team_id, periods in sorted(by_team.items()):
        for period, same in sorted(periods.items()):
            if len(same) > 1:
                for entry in same:
                    others = ", ".join(o.path for o in same if o is not entry)
                    problems.error(*_at(entry, ("period",)),
                                   f"{team_id} already has a retro for {period}: {others}",
                                   "one retro per team and month; merge them")
        monthly = any(t.id == team_id and t.monthly_retros for t in kb.taxonomy.teams)
        if not monthly:
            continue
        months = sorted(periods)
        month = months[0]
        previous = month
        while month < months[-1]:
            month = next_month(month)
            if month in periods:
                previous = month
                continue
            following = next(m for m in months if m > month)
            entry = periods[following][0]
            problems.warning(*_at(entry, ("period",)),
                             f"{team_id} has no retro for {month} (between {previous} and "
                             f"{following})", "hold the retro every month, or add the missing "
                             "record")
