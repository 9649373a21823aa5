"""Load and check ``taxonomy.yml``: its shape (the schema), then the rules across its entries.

The rules across entries (ids unique within a vocabulary and free of a page's name, aliases
that point at one entry, a fix horizon of at least one cadence, formulas and ``new_arr`` that
name known indicators, ``deals`` dimensions some indicator is split by) run even when the file
fails the schema, on the entries that pass it on their own: a missing title must not hide a
duplicate id until it is fixed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, NamedTuple

from pydantic import ValidationError

from .. import messages
from ..errors import ConfigError, Problems
from ..paths import ID_PAGES, taken_page
from . import schema_errors
from .formatting import use_currency
from .load import TAXONOMY_FILE, read_text
from .plaintext import markup_in
from .stub import Reported
from .taxonomy import (
    OVERALL_SEGMENT,
    Cadence,
    DealDimensions,
    Indicator,
    NewArrInputs,
    Taxonomy,
    indicator_problems,
    one_line,
)
from .yamlpos import Document, YamlProblem, parse

_ID_KIND = {"causes": "cause", "indicators": "indicator", "teams": "team",
            "plan_kinds": "plan kind"}
_VOCABULARIES = ("causes", "indicators", "teams", "plan_kinds", "reasons",
                 "assumption_categories")


def load_taxonomy(root: Path, problems: Problems) -> Taxonomy | None:
    """Load and check ``taxonomy.yml``; problems are located in that file. None when it does
    not pass the schema (its rules across entries are checked all the same)."""
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
    _check_taxonomy_text(doc.value, doc, problems)
    _check_one_line(doc.value, doc, problems)
    _check_segments(doc.value, doc, problems)
    _check_glossary(doc.value, doc, problems)
    taxonomy: Taxonomy | None
    try:
        taxonomy = Taxonomy.model_validate(doc.value)
    except ValidationError as exc:
        schema_errors.report(exc, Taxonomy, TAXONOMY_FILE, doc, problems)
        taxonomy = None
    if taxonomy is not None:
        use_currency(taxonomy.currency)  # every figure of this knowledge base from here on
    reported = Reported(p.field for p in problems.items if p.path == TAXONOMY_FILE)
    named = _named(taxonomy, doc.value, reported)
    _check_ids(named, doc, problems)
    _check_aliases(named["causes"], "causes", "cause", doc, problems)
    _check_aliases(named["reasons"], "reasons", "reason", doc, problems)
    _check_aliases(named["teams"], "teams", "team", doc, problems)
    if taxonomy is not None:
        _check_titles(taxonomy, doc, problems)
        _check_cadence(taxonomy, doc, problems)
        _check_horizon(taxonomy.fix_cadence_days, taxonomy.fix_horizon_days, doc, problems)
    elif not reported.touches("fix_cadence_days") and not reported.touches("fix_horizon_days"):
        _check_horizon(*_days(doc.value), doc, problems)
    inputs = (taxonomy.indicators, taxonomy.new_arr, taxonomy.deals) if taxonomy is not None \
        else _indicators_alone(doc.value)
    if inputs is not None:
        for where, message, hint in indicator_problems(*inputs):
            line, col = doc.position(where)
            problems.error(TAXONOMY_FILE, line, col, schema_errors.format_loc(where), message,
                           hint)
    return taxonomy


class _Named(NamedTuple):
    """A vocabulary's entry as the checks of ids and aliases read it."""

    place: int
    """Its place in the vocabulary's list."""
    id: str
    aliases: list[str]


def _named(taxonomy: Taxonomy | None, value: Any, reported: Reported) -> dict[str, list[_Named]]:
    """Each vocabulary's ids and aliases: the taxonomy's, or, when it failed the schema, those
    written in the file without an error of their own (an entry with an error elsewhere, a
    flag written `maybe`, still takes its id)."""
    if taxonomy is not None:
        return {group: [_Named(index, item.id, list(getattr(item, "aliases", [])))
                        for index, item in enumerate(getattr(taxonomy, group))]
                for group in _VOCABULARIES}
    named: dict[str, list[_Named]] = {}
    for group in _VOCABULARIES:
        items = value.get(group) if isinstance(value, dict) else None
        named[group] = []
        for index, item in enumerate(items if isinstance(items, list) else []):
            at = f"{group}[{index}]"
            if not isinstance(item, dict) or not isinstance(item.get("id"), str) \
                    or reported.touches(f"{at}.id"):
                continue
            aliases = item.get("aliases")
            named[group].append(_Named(index, item["id"].strip(), [
                alias.strip() for a_index, alias in enumerate(
                    aliases if isinstance(aliases, list) else [])
                if isinstance(alias, str) and not reported.touches(f"{at}.aliases[{a_index}]")]))
    return named


def _days(value: Any) -> tuple[int, int]:
    """The fix cadence and horizon of a taxonomy that failed the schema elsewhere (both passed
    it, so each is a whole number), the default of either left out."""
    fields = Taxonomy.model_fields
    given = value if isinstance(value, dict) else {}
    cadence, horizon = (given.get(name, fields[name].default)
                        for name in ("fix_cadence_days", "fix_horizon_days"))
    return int(cadence), int(horizon)


def _indicators_alone(value: Any) -> tuple[list[Indicator], NewArrInputs | None,
                                            DealDimensions | None] | None:
    """The indicators, ``new_arr`` and ``deals`` of a taxonomy that failed the schema
    elsewhere, for the checks of formulas, aggregations and dimensions; None when an indicator
    or ``new_arr`` fails it too (the checks would call an indicator a formula names unknown,
    or point at the wrong one). ``deals`` that fails it alone is left out of the checks."""
    written = value.get("indicators") if isinstance(value, dict) else None
    if not isinstance(written, list):
        return None
    new_arr, deals = value.get("new_arr"), value.get("deals")
    try:
        indicators = [Indicator.model_validate(item) for item in written]
        inputs = NewArrInputs.model_validate(new_arr) if new_arr is not None else None
    except ValidationError:  # reported with the rest of the schema's errors
        return None
    try:
        dimensions = DealDimensions.model_validate(deals) if deals is not None else None
    except ValidationError:
        dimensions = None
    return indicators, inputs, dimensions


def _check_ids(named: dict[str, list[_Named]], doc: Document, problems: Problems) -> None:
    """Ids unique within each vocabulary, and none that takes the name of a page."""
    for group, items in named.items():
        ids: set[str] = set()
        for index, item_id, _ in items:
            if item_id in ids:
                line, col = doc.position((group, index, "id"))
                problems.error(TAXONOMY_FILE, line, col, f"{group}[{index}].id",
                               f"duplicate id {item_id!r}", "ids must be unique")
            ids.add(item_id)
            # Only some vocabularies have a page per id (reasons and categories do not).
            kind = _ID_KIND.get(group)
            taken = taken_page(ID_PAGES[kind], item_id) if kind else None
            if taken is not None:
                line, col = doc.position((group, index, "id"))
                problems.error(TAXONOMY_FILE, line, col, f"{group}[{index}].id",
                               messages.reserved_id(item_id, taken), messages.RESERVED_ID_HINT)


_TITLES = {"causes": ("title", "cause"), "indicators": ("label", "indicator"),
           "teams": ("name", "team"), "plan_kinds": ("title", "plan kind"),
           "reasons": ("title", "reason"), "assumption_categories": ("title", "category")}
"""The field each vocabulary's entries are shown by, and what one entry is called."""


def _check_titles(taxonomy: Taxonomy, doc: Document, problems: Problems) -> None:
    """Each entry of a vocabulary shown by its own title: two causes titled alike read as one
    in every list, and their citations are counted apart (two teams named alike, two entries
    in the navigation)."""
    for group, (field, noun) in _TITLES.items():
        seen: dict[str, tuple[int, str]] = {}
        for index, item in enumerate(getattr(taxonomy, group)):
            shown = " ".join(str(getattr(item, field)).split())
            first = seen.setdefault(shown.casefold(), (index, item.id))
            if first[0] != index:
                line, col = doc.position((group, index, field))
                problems.error(TAXONOMY_FILE, line, col, f"{group}[{index}].{field}",
                               f"{shown!r} is already the {field} of {noun} {first[1]!r}: the "
                               "site would show two that read the same",
                               f"give each its own {field}, or keep one {noun} and list the "
                               "other's id under its aliases" if group in ("causes", "teams",
                                                                           "reasons")
                               else f"give each its own {field}")


def _check_one_line(value: Any, doc: Document, problems: Problems) -> None:
    """Each entry's title, name or label (`_TITLES`) on one line, as a segment's name is: it
    heads table cells, list lines, chart panels, a draft's commented briefing and the
    navigation, and a line break written in a ``|`` block (``name: |``) broke them (a team
    named ``東京`` over ``営業`` shown as "東京 営業"). Checked on the file as written, so the
    rest of its errors come in the same run; one the YAML's own check refused (a quoted
    ``"東京\\n営業"``) is not told twice."""
    told = {problem.where for problem in doc.problems}
    for group, (field_name, _) in _TITLES.items():
        items = value.get(group) if isinstance(value, dict) else None
        for index, item in enumerate(items if isinstance(items, list) else []):
            shown = item.get(field_name) if isinstance(item, dict) else None
            where = f"{group}[{index}].{field_name}"
            if isinstance(shown, str) and "\n" in shown.strip() and where not in told:
                line, col = doc.position((group, index, field_name))
                problems.error(TAXONOMY_FILE, line, col, where, "runs over several lines",
                               f"write it on one line: {one_line(shown)}")


def _check_cadence(taxonomy: Taxonomy, doc: Document, problems: Problems) -> None:
    """A team holds its retros at one cadence: ``monthly_retros: true`` beside
    ``retros: quarterly`` says two (every quarter's retro would miss two months); the quarter
    it began meeting quarterly (``quarterly_from``) is said with ``retros: quarterly``."""
    for index, team in enumerate(taxonomy.teams):
        if team.monthly_retros and team.retros is Cadence.QUARTERLY:
            line, col = doc.position(("teams", index, "retros"))
            problems.error(TAXONOMY_FILE, line, col, f"teams[{index}].retros",
                           f"is quarterly, but monthly_retros: true says {team.id} holds "
                           "them monthly", "keep one: delete monthly_retros: true for a team "
                           "that meets quarterly, or retros: quarterly for one that meets "
                           "monthly")
        if team.quarterly_from is not None and team.retros is not Cadence.QUARTERLY:
            # The quarter a team began meeting quarterly says nothing of a monthly team.
            line, col = doc.position(("teams", index, "quarterly_from"))
            problems.error(TAXONOMY_FILE, line, col, f"teams[{index}].quarterly_from",
                           f"says {team.id} meets quarterly from {team.quarterly_from}, but "
                           f"its retros: is {team.retros.value if team.retros else 'not set'}",
                           "add retros: quarterly beside it for a team that met monthly "
                           "until then, or delete quarterly_from:")


def _check_aliases(items: list[_Named], group: str, noun: str, doc: Document,
                   problems: Problems) -> None:
    """Each alias of a vocabulary names one of its items only: not another's id or alias."""
    ids = {item.id for item in items}
    seen: set[str] = set()
    for index, _, aliases in items:
        for a_index, alias in enumerate(aliases):
            if alias in seen or alias in ids:
                line, col = doc.position((group, index, "aliases", a_index))
                problems.error(TAXONOMY_FILE, line, col, f"{group}[{index}].aliases[{a_index}]",
                               f"alias {alias!r} is already a {noun} id or another alias",
                               f"an alias may point at one {noun} only")
            seen.add(alias)


def _check_horizon(cadence: int, horizon: int, doc: Document, problems: Problems) -> None:
    """A fix is judged within its horizon only if the horizon holds one cadence at least."""
    if horizon < cadence:
        line, col = doc.position(("fix_horizon_days",))
        problems.error(TAXONOMY_FILE, line, col, "fix_horizon_days",
                       f"{horizon} is shorter than fix_cadence_days ({cadence})",
                       "the horizon must be at least one cadence")


def _check_taxonomy_text(value: Any, doc: Document, problems: Problems,
                         path: tuple[str | int, ...] = ()) -> None:
    """Titles, names, labels and descriptions in taxonomy.yml are plain text, as a record's
    are: they reach every page, the navigation and the charts, and the navigation shows its
    titles as HTML (a plan kind titled with an `<img onerror=…>` ran script on every page).
    A formula is checked by its own parser."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key != "formula":
                _check_taxonomy_text(item, doc, problems, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _check_taxonomy_text(item, doc, problems, (*path, index))
    elif isinstance(value, str):
        what = markup_in(value)
        if what is not None:
            line, col = doc.position(path)
            problems.error(TAXONOMY_FILE, line, col, schema_errors.format_loc(path),
                           f"is plain text but contains {what}",
                           "write the words alone; the site shows them as text")


def _check_segments(value: Any, doc: Document, problems: Problems) -> None:
    """An indicator's ``segments`` and ``segment_by`` go together, and no segment is called
    ``all``. Checked on the file as written, so the rest of its errors come in the same run:
    without this, an indicator listing segments with no ``segment_by`` made every retro
    giving them an error instead."""
    indicators = value.get("indicators") if isinstance(value, dict) else None
    for index, indicator in enumerate(indicators if isinstance(indicators, list) else []):
        if not isinstance(indicator, dict):
            continue
        for where, segment in _written_segments(indicator.get("segments")):
            # `all` names the month's overall value of a split indicator, which the segments
            # combine into: a segment of that name gave the month two `all` readings (one
            # as written, one computed), and the readings export two rows with one key.
            if isinstance(segment, str) and segment.strip() == OVERALL_SEGMENT:
                path = ("indicators", index, "segments", *where)
                line, col = doc.key_position(path) if isinstance(path[-1], str) \
                    else doc.position(path)
                problems.error(TAXONOMY_FILE, line, col, schema_errors.format_loc(path),
                               f"{OVERALL_SEGMENT!r} is reserved: it names the overall value "
                               "Hindsight combines the segments into",
                               "remove it: retros give each segment, and each month's "
                               f"{OVERALL_SEGMENT} is computed from them; a real segment needs "
                               "another id")
        if indicator.get("segments") and not indicator.get("segment_by"):
            line, col = doc.position(("indicators", index, "segments"))
            problems.error(TAXONOMY_FILE, line, col, f"indicators[{index}].segment_by",
                           "is missing although segments are listed",
                           "add `segment_by:` naming what the segments split, e.g. segment, "
                           "source or icp-tier; or delete segments:")
        if indicator.get("segment_by") and not indicator.get("segments"):
            line, col = doc.position(("indicators", index, "segment_by"))
            problems.error(TAXONOMY_FILE, line, col, f"indicators[{index}].segments",
                           "lists no segments although segment_by is set",
                           "list the allowed segment ids under segments:")


def _written_segments(segments: Any) -> list[tuple[tuple[str | int, ...], Any]]:
    """Each segment id of an indicator's ``segments`` as written, with where it stands under
    ``segments``: a list's item (``[2]``), the key of one named in a list (``[2]``, ``smb``),
    or a mapping's key (``smb``)."""
    if isinstance(segments, dict):
        return [((segment,), segment) for segment in segments]
    found: list[tuple[tuple[str | int, ...], Any]] = []
    for s_index, segment in enumerate(segments if isinstance(segments, list) else []):
        if isinstance(segment, dict):
            found += [((s_index, key), key) for key in segment]
        else:
            found.append(((s_index,), segment))
    return found


GLOSSARY_TERM_LENGTH = 40
"""The most characters a term of ``glossary:`` may have: a word or an abbreviation, shown as
a heading on the glossary page and inline on other pages."""


def _check_glossary(value: Any, doc: Document, problems: Problems) -> None:
    """Each term of ``glossary:`` (its keys, which the schema and the check of text do not
    read) is plain text on one line, short, with a letter or digit, and differs from the
    others by more than case: it becomes a heading and an anchor of the glossary page, and is
    looked for on every page. Each error stands at the term's key."""
    terms = value.get("glossary") if isinstance(value, dict) else None
    if not isinstance(terms, dict):
        return
    seen: dict[str, str] = {}
    for term in terms:
        if not isinstance(term, str):
            continue  # the schema says it must be text
        line, col = doc.key_position(("glossary", term))
        where = f"glossary.{term}" if term.strip() else "glossary"
        said = " ".join(term.split())
        what = markup_in(term)
        problem: tuple[str, str] | None = None
        if not said or not any(ch.isalnum() for ch in said):
            problem = (f"term {term!r} has no letter or digit",
                       "write the word or abbreviation, e.g. PQL: \"Product-qualified lead\"")
        elif "\n" in term.strip() or len(said) != len(term.strip()):
            problem = (f"term {term!r} is more than one line or holds runs of spaces",
                       "write the term on one line, its words one space apart")
        elif len(said) > GLOSSARY_TERM_LENGTH:
            problem = (f"term is {len(said)} characters long, more than "
                       f"{GLOSSARY_TERM_LENGTH}",
                       "a term is a word or an abbreviation; say the rest in its meaning")
        elif what is not None:
            problem = (f"term is plain text but contains {what}",
                       "write the words alone; the site shows them as text")
        elif said.casefold() in seen:
            problem = (f"term {said!r} is already in the glossary as "
                       f"{seen[said.casefold()]!r}: they differ by case alone",
                       "keep one of them")
        if problem is not None:
            problems.error(TAXONOMY_FILE, line, col, where, *problem)
            continue
        seen[said.casefold()] = said
