"""Render stage: Jinja2 templates (one per page kind) → Markdown pages, as bytes by path.

Every value from a record passes through an escaping filter (`generator.escape`) where it
lands; links between pages are relative so the tree works under any site root.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import posixpath
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any, cast

import jinja2
from pandas.util import hash_pandas_object
from pydantic import BaseModel

from .. import escape
from ..analysis.analyze import (
    NOISE_RATE,
    NOISE_RELATIVE,
    Analysis,
    Mover,
    latest_movers,
    silence,
)
from ..analysis.calibration import share_held
from ..analysis.checklist import RankedItem, ranked
from ..analysis.effectiveness import Assessed, Effect, Effectiveness, Verdict
from ..analysis.follow_through import (
    action_facts,
    follow_through,
    follow_through_by,
    register_groups,
)
from ..analysis.link import CauseStats, Citation, LessonItem, Links, closed_on
from ..analysis.provenance import Provenance
from ..analysis.quarter import ScorecardRow, held_early, quarters_of
from ..analysis.series import segments_combined
from ..analysis.winloss import deal_entries, deal_kinds, told
from ..messages import and_list, sentence
from ..paths import (
    EXPORTS,
    PAGES,
    RECORD_SECTIONS,
    RenderOptions,
    body_links,
    cause_path,
    cause_year_path,
    html_href,
    indicator_path,
    name_order,
    owner_path,
    owner_slug,
    owner_year_path,
    plan_path,
    record_path,
    rewrite_record_links,
    team_path,
    unlink_records,
)
from ..records.actions import ActionState, needing_owner, status_label
from ..records.corpus import Entry, KnowledgeBase, Reading, retros_heading
from ..records.derived import agrees as reading_agrees
from ..records.derived import formula_counts, written_formula
from ..records.formatting import (
    PERCENT_UNITS,
    as_typed,
    attainment,
    count,
    day,
    decimals_shown,
    exact_against,
    exact_pair,
    exact_value,
    format_delta,
    format_value,
    goal_met,
    met_without_ratio,
    money,
    month_name,
    no_ratio_label,
    noun,
    number,
    pct,
    period_name,
    period_span,
    possessive,
    quarter_name,
    told_apart,
    unit_after,
    with_places,
)
from ..records.rollup import Combined
from ..records.schema import Measure, Postmortem, Retro, Review
from ..records.taxonomy import (
    Indicator,
    Taxonomy,
    Team,
    Unit,
    dimension_title,
    quarterly_at,
    retired_after,
    retired_said,
    split_dimensions,
)
from ..records.types import month_of, previous_month
from .figures import MAX_CAUSES
from .glossary import (
    PRODUCT_TERMS,
    TermFinder,
    abbreviation_terms,
    abbreviations_in,
    company_terms,
    taxonomy_texts,
    unit_said,
)
from .page_cache import PageCache, entry_token, fingerprint
from .search_terms import (
    cause_names,
    family_words,
    reason_names,
    record_texts,
    search_terms_text,
    spelling_variants,
    word_family,
)
from .tree import Content

if TYPE_CHECKING:
    import pandas as pd

    from ..analysis.diditwork import DidItWork
    from .figures import Figures

CLOSED_INLINE = 500
"""Up to this many closed actions are listed on the register itself."""
EFFECTS_INLINE = 200
"""Up to this many actions per verdict are listed on the effectiveness page itself."""
READINGS_INLINE = 24
"""Up to this many readings of one team are listed on the indicator's page itself."""
QUARTERS_INLINE = 8
"""Up to this many quarters (two years) are listed open on an indicator's page; the earlier
ones are folded under them."""
MARKERS_INLINE = 24
"""Up to this many done actions are listed under a team's chart on the indicator's page."""
OWNER_INLINE = 100
"""Up to this many closed actions are listed on an owner's page itself (past that, the most
recent of each kind, and a page per year)."""
TEAM_INLINE = 100
"""Up to this many done, late or dropped actions of each kind are listed on a team's page
(past that, the most recently due; the register's year pages list them all)."""
HOME_INLINE = 10
"""Up to this many overdue actions, and wrong-way readings, are listed on the home page (past
that, the most overdue and the furthest past their mean, with a link to every one)."""
TEAMS_INLINE = 4
"""A summary table's Teams cell names up to one more than this many teams citing a cause;
past that, this many (those citing it most) and how many more."""
LATEST_INLINE = 3
"""The indicators index lists every team's latest reading of an indicator reported by up to
one more than this many teams; past that, this many (the worst) and how many more, linked to
the indicator's page, which lists every team's."""
CAUSES_TABLE = 20
"""Up to this many cited causes are each a row of the causes index's table; past that, the
table holds the causes cited by two records or more and those cited once follow it, a line
each."""
CAUSE_INLINE = 100
"""Up to this many citations and closed actions are listed on a cause's page itself."""


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("generator", "templates"),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,  # the output is Markdown; values are escaped explicitly by filter
        # Compiled templates are kept between runs (checked against the source): compiling
        # them is a third of a re-run's render stage when only a few pages are rendered.
        bytecode_cache=jinja2.FileSystemBytecodeCache(),
    )
    env.filters.update(md=escape.md, cell=escape.cell, meta=escape.meta, h=escape.html_text,
                       hcell=escape.html_cell,
                       pct=pct, money=money, as_typed=as_typed, count=count, noun=noun,
                       number=number, day=day_html,
                       possessive=possessive, and_list=and_list,
                       day_text=day,
                       month_name=month_name, period_name=period_name,
                       own_direction=escape.own_direction, sentence=sentence,
                       in_comment=escape.in_comment, share_held=share_held)
    env.tests.update(
        right_to_left=escape.writes_right_to_left,
        met=_met,
        judged=_judged,
        told=told,
        retro=lambda e: isinstance(e.record, Retro),
        review=lambda e: isinstance(e.record, Review),
        postmortem=lambda e: isinstance(e.record, Postmortem),
    )
    return env


def _judged(row: Measure | ScorecardRow) -> bool:
    """A goal that can be judged met or missed: it has a figure; a scorecard row is judged as
    `ScorecardRow.judged` says (not on part of the quarter, nor on a typed and a computed
    figure either side of the goal)."""
    if isinstance(row, ScorecardRow):
        return row.judged
    return goal_met(row) is not None


def _met(row: Measure | ScorecardRow) -> bool:
    """A goal met or beaten, of those `_judged`; a scorecard row on the figure it is judged on
    (`ScorecardRow.judged_on`)."""
    if isinstance(row, ScorecardRow):
        return row.met
    return bool(goal_met(row))


def names_segment(metric: str, segment: str) -> bool:
    """Whether a scorecard row's ``metric`` already names its ``segment`` as a word, in any
    case and with a space for a hyphen: "Gross revenue retention (enterprise)", the way the
    review draft's example writes it, with ``segment: enterprise``, was shown as "Gross
    revenue retention (enterprise) (enterprise)"."""
    words = r"[\s-]+".join(re.escape(part) for part in re.split(r"[\s-]+", segment) if part)
    return bool(words) and re.search(rf"(?<!\w){words}(?!\w)", metric, re.IGNORECASE) is not None


def attainment_shown(row: Measure | ScorecardRow) -> str:
    """A row's attainment as its table shows it: a percentage; where no ratio says how near
    the goal is, whether it was met ("met at 0", "met its goal of 0", "met", "not met");
    a scorecard row whose typed and computed figures fall either side of its goal, that it is
    not judged and why; one filled in from part of the quarter, that it is not judged yet,
    with how near it is so far ("not judged yet (72% so far)": a bare 72% read as missed),
    or, where the rest will never come (`ScorecardRow.ended`), that it is not judged and why
    ("not judged: from 1 of 3 months (the indicator was retired after October 2026)");
    else "–"."""
    so_far = False
    if isinstance(row, ScorecardRow):
        if row.dispute:
            return f"not judged: {row.dispute}"
        if row.so_far and row.ended and row.figure is not None:
            # The rest of the quarter will never come in: not "yet", and no "so far".
            return f"not judged: from {row.figure.partial} ({row.ended})"
        so_far = row.so_far
        row = row.as_judged
    shown = no_ratio_label(row) if met_without_ratio(row) is not None else pct(attainment(row))
    return f"not judged yet ({shown} so far)" if so_far else shown


def partial_said(row: ScorecardRow) -> str:
    """A typed actual beside a figure computed from part of the quarter, as its row says it
    (HTML): "**from 2 of 3 months only**: computed $1,067,500 for those months, not compared
    with the typed figure" (set against the whole quarter's, two months' sum read as
    "$462,500 below")."""
    assert row.figure is not None and row.figure.partial
    return (f"<strong>from {escape.html_text(row.figure.partial)} only</strong>: computed "
            f"{measured(row.figure.value, row.unit)} for those months, not compared with the "
            "typed figure")


def totals_after(readings: Sequence[Reading], taxonomy: Taxonomy) -> dict[int, Combined]:
    """Each split indicator's figure for all its segments in one record's ``readings``
    (`generator.analysis.series.segments_combined`, as its indicator page's "all" row), by
    the position of the indicator's last reading: the row its record's page shows it after."""
    totals = segments_combined(readings, taxonomy)
    last = {r.indicator: at for at, r in enumerate(readings) if r.indicator in totals}
    return {at: totals[indicator] for indicator, at in last.items()}


class Page:
    """Renders one page: knows its own path, so links from it are relative."""

    def __init__(self, path: str, kb: KnowledgeBase, links: Links, options: RenderOptions):
        self.path = path
        self.kb = kb
        self.links = links
        self.options = options
        self.folder = posixpath.dirname(path)
        self.up = "../" * path.count("/")

    def url(self, target: str, anchor: str = "") -> str:
        """A link from this page to ``target`` (a generated page's path)."""
        rel = posixpath.basename(target) if posixpath.dirname(target) == self.folder else self.up + target
        return rel + (f"#{anchor}" if anchor else "")

    def href(self, target: str, anchor: str = "") -> str:
        """A link from this page to ``target`` as served, for raw-HTML tables."""
        if self.options.html_links == "source":
            return self.url(target, anchor)
        return html_href(self.path, target, self.options.directory_urls, anchor)

    def render(self, template: str, **context: Any) -> bytes:
        helpers: dict[str, Callable[..., Any]] = {
            "url": self.url,
            # Raw-HTML tables link to served addresses (the engine does not rewrite them).
            "href": self.href,
            "record_href": lambda e, anchor="": self.href(record_path(e.id), anchor),
            "owner_href": lambda o, anchor="": self.href(owner_path(o), anchor),
            "cause_href": lambda c, anchor="": self.href(cause_path(c), anchor),
            "page_href": lambda name, anchor="": self.href(PAGES[name], anchor),
            "team_href": lambda t, anchor="": self.href(team_path(t), anchor),
            "plan_href": lambda k, anchor="": self.href(plan_path(k), anchor),
            "indicator_href": lambda i, anchor="": self.href(indicator_path(i), anchor),
            "record_url": lambda e, anchor="": self.url(record_path(e.id), anchor),
            "cause_url": lambda c, anchor="": self.url(cause_path(c), anchor),
            "cause_year_url": lambda c, year: self.url(cause_year_path(c, year)),
            "owner_url": lambda o, anchor="": self.url(owner_path(o), anchor),
            "owner_year_url": lambda o, year, anchor="": self.url(owner_year_path(o, year), anchor),
            "team_url": lambda t, anchor="": self.url(team_path(t), anchor),
            "plan_url": lambda k, anchor="": self.url(plan_path(k), anchor),
            "page_url": lambda name, anchor="": self.url(PAGES[name], anchor),
            "export_url": lambda name: self.url(EXPORTS[name]),
            "format_value": format_value,
            "as_typed": as_typed,
            "attainment_shown": attainment_shown, "names_segment": names_segment,
            "told_apart": told_apart,
            "format_delta": format_delta,
            "quarter_said": lambda q: f"Q{q.rsplit('Q', 1)[1]} {q[:4]}",  # 2026-Q3: Q3 2026
            "measured": measured, "measured_delta": measured_delta, "differs_said": differs_said,
            "partial_said": partial_said,
            "measured_pair": measured_pair, "agrees_said": agrees_said, "held_early": held_early,
            "indicator_url": lambda i, anchor="": self.url(indicator_path(i), anchor),
            "chart_url": lambda chart: self.url(chart.path),
            "attainment": attainment,
            "status_of": lambda s: status_label(s, self.kb.as_of),
            "closed_on": closed_on,
            "cause_title": lambda c: self.kb.taxonomy.cause(c).title,
            "reason_title": lambda r: self.kb.taxonomy.reason(r).title,
            # "Region" where the taxonomy files a deal's segment under region (`deals:`).
            "deal_field_title": lambda f: dimension_title(self.kb.taxonomy.deal_dimension(f)),
            # Whether a deal can give the field at all: some indicator is split by its
            # dimension. One none is split by is not "not given" on a deal's page.
            "deal_field_applies": lambda f: self.kb.taxonomy.deal_dimension(f)
            in split_dimensions(self.kb.taxonomy.indicators),
            "category_title": lambda c: self.kb.taxonomy.category(c).title,
            "team_name": self._team_name,
            "teams_citing": self._teams_citing,
            "by_team_name": self._by_team_name,
            "kind_title": lambda k: self.kb.taxonomy.plan_kind(k).title,
            "indicator_of": self.kb.taxonomy.indicator,
            "row_unit": self._row_unit,
            "segment_said": self.kb.taxonomy.segment_said,
            # A segment as readers see it: its name in taxonomy.yml, else its id (and "all").
            "segment_name": lambda i, s: self.kb.taxonomy.segment_name(i.segment_by, s),
            "deal_segment_name": lambda f, s: self.kb.taxonomy.segment_name(
                self.kb.taxonomy.deal_dimension(f), s),
            "formula_of": lambda i: written_formula(i, self.kb.taxonomy),
            "reading_agrees": reading_agrees, "formula_counts": formula_counts,
            "totals_after": lambda readings: totals_after(readings, self.kb.taxonomy),
            "summary_opens_body": summary_opens_body,
            "retired": self._retired,
            "retired_only": lambda items: [item for item in items if self._retired(item)],
        }
        text = _ENV.get_template(template).render(
            kb=self.kb, links=self.links, as_of=self.kb.as_of, page_path=self.path,
            options=self.options, **helpers, **context,
            # The noise threshold a move must reach to count, as pages say it (`judge`).
            noise_points=f"{NOISE_RATE * 100:g}", noise_percent=f"{NOISE_RELATIVE * 100:g}",
        )
        return text.encode("utf-8")

    def with_terms(self, page: bytes, finder: TermFinder) -> bytes:
        """``page`` (rendered Markdown) ending with the glossary's terms it uses (found by
        ``finder``), each with its meaning and a link to its entry (a tooltip alone is no help
        on a phone)."""
        terms = finder.terms_on(page.decode("utf-8"))
        if not terms:
            return page
        said = "; ".join(
            f'[{escape.md(t.term)}]({self.url(PAGES["glossary"], t.anchor)} '
            f'"{escape.md(t.short)}"): {escape.md(t.short)}' for t in terms)
        line = (f"\n**Words on this page:** {said}. [The glossary]({self.url(PAGES['glossary'])})"
                " explains them all.\n{: .hs-terms .hs-search-exclude }\n")
        return page.rstrip(b"\n") + b"\n" + line.encode("utf-8")

    def _retired(self, item: Team | Indicator) -> str:
        """"retired after October 2026" for a team or indicator retired before the as-of
        month (as it stood then, nothing had ended yet), else ""."""
        if item.retired is None or not retired_after(item.retired, month_of(self.kb.as_of)):
            return ""
        return retired_said(item.retired)

    def _teams_citing(self, stats: CauseStats, most: int | None = None
                      ) -> tuple[list[str], int]:
        """The teams a cause's Teams cell names, by team name, and how many more cite it:
        every one up to one more than ``most``; past that, the ``most`` that cite it most
        often (ties by name), the rest counted. A cell naming all 26 teams that cited a cause
        made each row of the home page's table a paragraph; a short cell listed its teams by
        id ("Partner Team — Référence Partners France" before "… Global System
        Integrators"), a long one by how often each cited it: every cell reads by name."""
        teams = stats.teams
        if most is not None and len(teams) > most + 1:
            counts = Counter(c.entry.team for c in stats.citations)
            ranked = sorted(teams, key=lambda t: (-counts[t], name_order(self._team_name(t))))
            teams = ranked[:most]
        return self._by_team_name(teams), len(stats.teams) - len(teams)

    def _by_team_name(self, team_ids: Iterable[str]) -> list[str]:
        """``team_ids`` in the order of their teams' names."""
        return sorted(team_ids, key=lambda t: name_order(self._team_name(t)))

    def _row_unit(self, row: Measure) -> str:
        """The unit a plan-vs-actual row is shown in: the unit the indicator it names is shown
        in (NRR declared `shown_as: percent`, 1.04 as 104.0%), else the row's own."""
        indicator = next((i for i in self.kb.taxonomy.indicators if i.id == row.indicator), None)
        return indicator.shown if indicator is not None and row.unit == indicator.unit else row.unit

    def _team_name(self, team_id: str | None) -> str:
        if not team_id:
            return "Company"
        return next((t.name for t in self.kb.taxonomy.teams if t.id == team_id), team_id)


def measured(value: float, unit: str) -> str:
    """A plan's or scorecard row's number in its unit (money with its cents where it has any),
    for an HTML cell: the unit is the record's own text when Hindsight does not know it
    (``18 months``), escaped."""
    after = unit_after(unit)
    return escape.html_text(exact_value(value, unit)) + (
        f" {escape.html_text(after)}" if after else "")


def measured_delta(value: float | None, unit: str) -> str:
    """A difference in a plan's or scorecard row's unit, as `measured` writes the unit."""
    after = unit_after(unit)
    shown = escape.html_text(format_delta(value, unit))
    return shown + (f" {escape.html_text(after)}" if after and shown != "–" else "")


def differs_said(row: ScorecardRow) -> str:
    """A typed actual the quarter's figure disagrees with, as its row says it (HTML):
    "**differs**: computed 36.3%, 1.9 pp above the typed 34.3%" (a signed "+1.9 pp" beside
    "typed" first read as the typed figure being the higher); money with its cents where it
    takes them ("computed $40, $0.40 below the typed $40.40", not "$0 below")."""
    difference = row.difference
    assert difference is not None and row.computed is not None and row.measure.actual is not None
    typed = measured_pair(row.computed, row.measure.actual, row.unit)[1]
    # Told apart from the goal too: a computed 1.0467 against a goal of 1.047 read "1.047".
    after = unit_after(row.unit)
    tail = f" {escape.html_text(after)}" if after else ""
    computed = escape.html_text(exact_against(
        row.computed, (row.measure.actual, row.measure.goal), row.unit)) + tail
    if row.unit in (Unit.USD, Unit.USD_PER_DAY):  # its cents, as the two figures show them
        size = escape.html_text(exact_value(abs(difference), row.unit))
    else:
        size = measured_delta(abs(difference), row.unit).lstrip("+±")
    if row.unit not in PERCENT_UNITS and not any(c in "123456789" for c in size):
        # Under half a cent, a ratio's 0.001: as many places as it takes ("0 below" said none).
        size = escape.html_text(told_apart(abs(difference), 0.0, row.unit)[0]) + tail
    way = "above" if difference > 0 else "below"
    return f"<strong>differs</strong>: computed {computed}, {size} {way} the typed {typed}"


def agrees_said(row: ScorecardRow) -> str:
    """The computed figure a typed actual agrees with, with as many decimals as the row shows
    the typed one (the goal beside it may have taken more: "23.97%" typed against a goal of
    24.00% agreed with "24.0%", which read as the goal met)."""
    assert row.computed is not None
    shown = measured(row.computed, row.unit)
    if row.measure.actual is None:
        return shown
    typed = (measured_pair(row.measure.goal, row.measure.actual, row.unit)[1]
             if row.measure.goal is not None else measured(row.measure.actual, row.unit))
    wanted = decimals_shown(typed)
    if wanted <= decimals_shown(shown):
        return shown
    after = unit_after(row.unit)
    return escape.html_text(with_places(row.computed, row.unit, wanted)) + (
        f" {escape.html_text(after)}" if after else "")


def measured_pair(first: float, second: float, unit: str) -> tuple[str, str]:
    """Two of a row's numbers as `measured` writes them, told apart where they differ
    (`exact_pair`)."""
    after = unit_after(unit)
    tail = f" {escape.html_text(after)}" if after else ""
    one, two = exact_pair(first, second, unit)
    return escape.html_text(one) + tail, escape.html_text(two) + tail


def day_html(value: dt.date | dt.datetime | None) -> str:
    """A date as pages show it inline: one piece (never broken at its hyphens on a phone) and
    always left to right (after an Arabic title, bare digits and hyphens read 03-11-2026)."""
    shown = day(value)
    return shown if shown == "–" else f'<span class="hs-date">{shown}</span>'


def render_site(
    kb: KnowledgeBase, links: Links, options: RenderOptions, analysis: Analysis,
    figures: Figures, provenance: Provenance, outcomes: DidItWork,
    cache: PageCache | None = None,
) -> dict[str, Content]:
    """Every generated Markdown page, by path.

    ``kb`` is the knowledge base as it stood on its as-of day (`KnowledgeBase.as_it_stood`):
    a record held after that day, and every action it raised or update it gave, is on no page.
    With a ``cache`` (opened by the caller), a page whose fingerprint matches the previous
    run's is not rendered again: its previous output is byte-identical to a fresh render.
    """
    pages: dict[str, Content] = {}
    cache = cache if cache is not None else PageCache()
    now = month_of(kb.as_of)

    def reporting(indicator: str, team: str) -> bool:
        # A retired team's or indicator's last readings are history, not this month's news.
        return kb.taxonomy.retired_by(now, indicator, team) is None

    # Every action's "what followed" text once: action tables repeat across many pages.
    # Once: 17,000 actions and every reading at 10,000 records ask.
    since = kb.taxonomy.quarterly_since()

    def by_quarter(team: object, period: object) -> bool:
        # Whether a reading of ``team`` for ``period`` is a quarter's, read and compared so
        # (a team's months before its quarterly_from quarter are months).
        return quarterly_at(since, team, period)
    effects = {state.id: effect_text(outcomes, state, kb)
               for state in links.actions.values()}
    # Each action's register label and follow-through facts once: dozens of registers and
    # follow-through tables (home, owners, teams, causes) group the same actions again.
    labels = {id(s): status_label(s, kb.as_of) for s in links.actions.values()}
    facts = {id(s): action_facts(s, kb.as_of) for s in links.actions.values()}
    shared = {"analysis": analysis, "figures": figures, "provenance": provenance,
              "outcomes": outcomes, "verdicts": list(Verdict),
              "effect_text": lambda s: effects.get(s.id, ""),
              "judged_on": lambda item: judged_on(item, kb),
              "any_effect": lambda states: any(effects.get(s.id) for s in states),
              "effect_anchor": lambda s: _effect_anchor(outcomes, s),
              "movers": [mv for mv in latest_movers(analysis.trend, kb.as_of, since,
                                                     taxonomy=kb.taxonomy)
                         if reporting(mv.indicator, mv.team)],
              "compared_with": _compared_with, "shown_actions": shown_actions,
              "step_words": lambda movers: step_words(movers, by_quarter),
              "period_label": period_label,
              "by_quarter": by_quarter, "reading_period": reading_period,
              "period_heads": lambda rows: period_heads(
                  by_quarter(row.team, row.period) for row in rows)}

    # The abbreviations the glossary explains: those the taxonomy and the records use (each
    # record's kept by its content digest, found only for a record added or edited).
    used = abbreviations_in(taxonomy_texts(kb.taxonomy))
    for entry in kb.entries:
        used.update(cache.part_text(entry, "abbreviations", 0, partial(
            lambda e: " ".join(sorted(abbreviations_in(record_texts(e)))), entry)).split())
    # The taxonomy's own terms (`glossary:`), and the built-in abbreviations less those it
    # explains itself: its meaning of "SQL" is the one its pages mean.
    theirs = company_terms(kb.taxonomy.glossary)
    glossed = sorted(used - {term.term.upper() for term in theirs})
    terms_key = [glossed, [(term.term, term.meaning) for term in theirs]]
    finder = TermFinder(glossed, theirs)
    # A record page's words are its own: the abbreviations and the company's terms it uses.
    record_finder = TermFinder(glossed, theirs, product=False)

    def page(path: str, template: str, terms: TermFinder | None = None,
             **context: Any) -> None:
        one = Page(path, kb, links, options)
        text = one.render(template, **shared, **context)
        pages[path] = one.with_terms(text, terms) if terms else text

    def cached(path: str, key: bytes, template: str, terms: TermFinder | None = None,
               **context: Any) -> None:
        def make() -> bytes:
            one = Page(path, kb, links, options)
            text = one.render(template, **shared, **{
                name: value.make() if isinstance(value, _Lazy) else value
                for name, value in context.items()})
            # The home, indicator and record pages end with the glossary's words they use.
            return one.with_terms(text, terms) if terms else text
        pages[path] = cache.page(path, fingerprint(key, terms_key) if terms else key, make)

    def state_token(s: ActionState) -> bytes:
        return cache.state_token(s, effects.get(s.id, ""), _effect_anchor(outcomes, s))

    # Every action's token once, by its state object: pages list the same actions many times.
    tokens = {id(s): state_token(s) for s in links.actions.values()}

    def states_token(states: Iterable[ActionState]) -> list[bytes]:
        return [tokens.get(id(s)) or state_token(s) for s in states]

    def one_token(s: ActionState) -> bytes:
        return tokens.get(id(s)) or state_token(s)

    def token(value: object) -> object:
        # An effect's repr shows its verdict and every reading behind it.
        return cache.token_of(value, one_token, whole=(Effect,))

    current = list(links.actions.values())
    groups = register_groups(current, kb.as_of, labels)
    words_of = {entry.id: cache.words_of(entry, partial(_texts, entry)) for entry in kb.entries}
    # The knowledge base's hyphenated words, first spelling first, as one pass over every
    # record's text in order would find them.
    vocabulary: dict[str, str] = {}
    for own, _ in words_of.values():
        for joined, hyphenated in own.items():
            vocabulary.setdefault(joined, hyphenated)
    # A record's search terms follow from its own text (its content digest) and the whole
    # knowledge base's vocabulary: kept from run to run while the vocabulary stays the same.
    terms_part = f"search terms {fingerprint(vocabulary).hex()}"
    # The actions each record raised, in its order, gathered in one pass over the actions.
    raised_by: dict[int, list[ActionState]] = defaultdict(list)
    for state in links.actions.values():
        raised_by[id(state.entry)].append(state)
    # The records with a page as of this day (the page cache is stamped with the day).
    published = {entry.id for entry in kb.entries}
    # A deal post-mortem's reasons link to its rows on the win/loss page: its kind's own rows
    # ("Renewals") where renewals and new business are both there.
    kinds = deal_kinds(deal_entries(kb), kb.taxonomy)
    kind_of = {id(deal): kind for kind in kinds for deal in kind.closed}
    by_id = {entry.id: entry for entry in kb.entries}
    for entry in kb.entries:
        path = record_path(entry.id)
        counted_in = kind_of.get(id(entry))
        renewal = counted_in is not None and counted_in.renewal
        reasons_at = (f"{counted_in.anchor}--" if counted_in is not None and len(kinds) > 1
                      else "")
        raised = sorted(raised_by.get(id(entry), []), key=_index)
        updated = links.updates_by_record.get(entry.id, [])
        backlinks = links.backlinks.get(entry.id, [])
        related = links.related.get(entry.id, [])
        replaced_by = links.replaced.get(entry.id, {})
        replaces = links.replacing.get(entry.id, {})
        terms = cache.part_text(entry, terms_part, 0, partial(
            _search_terms, kb, entry, words_of[entry.id], vocabulary))
        scorecard = analysis.scorecards.get(entry.id, [])
        # The records a review's computed figures come from, linked by their titles as every
        # other page links a record (by id, "2026-07-sdr-2", they read as file names).
        sources = {source: by_id[source] for row in scorecard if row.figure is not None
                   for source in row.figure.records if source in by_id}
        chart = figures.attainment.get(entry.id)
        # The page's body and tags follow from the record's content (its digest), the
        # taxonomy and the options (the stamp): made only if the page is rendered.
        key = fingerprint(path, entry_token(entry), terms, states_token(raised),
                          states_token(updated), cache.entries_token(backlinks),
                          cache.entries_token(related), repr(scorecard),
                          cache.entries_token(sources.values()),
                          # Its lessons replaced, or replacing, name other records.
                          [(i, cache.entries_token(by)) for i, by in replaced_by.items()],
                          [(i, cache.entries_token([old])) for i, old in replaces.items()],
                          chart and chart.shown,
                          repr(provenance.submitted(entry.path)), repr((renewal, reasons_at)),
                          repr(provenance.changed(entry.path)), provenance.source,
                          repr(provenance.corrected.get(entry.path)))
        # Ending with the glossary's words it uses: a retro's NRR, MQL or tier-1, a
        # post-mortem's ACV, explained where a new hire reads them.
        cached(path, key, "record.md.j2", terms=record_finder, entry=entry,
               record=entry.record, raised=raised, renewal=renewal, reasons_at=reasons_at,
               updated=updated, backlinks=backlinks, related=related,
               replaced_by=replaced_by, replaces=replaces,
               body=_Lazy(partial(_body, entry, options, published)),
               tags=_Lazy(partial(_tags, kb, entry)),
               sections=RECORD_SECTIONS[entry.type], search_terms=terms,
               edit_url=options.edit_url(entry.path),
               history_url=options.history_url(entry.path), scorecard=scorecard,
               sources=sources)
    # Group once here: filtering every list per team inside templates is quadratic.
    entries_of: dict[str | None, list[Entry]] = defaultdict(list)
    for entry in kb.entries:
        entries_of[entry.team].append(entry)
    retros_of: dict[str | None, list[Entry]] = defaultdict(list)
    for entry in kb.retros:
        retros_of[entry.team].append(entry)
    actions_of: dict[str | None, list[ActionState]] = defaultdict(list)
    # The actions each team handed to another team that answers for them now: in the other
    # team's counts, yet the team that raised one must still see where it went.
    handed_from: dict[str | None, list[ActionState]] = defaultdict(list)
    for state in current:
        actions_of[state.team].append(state)
        for gone in dict.fromkeys(before for _, before, _ in state.team_handovers):
            if gone != state.team:
                handed_from[gone].append(state)
    # Lists of teams go by team name: by id, "Partner Team — Référence Partners France"
    # (partners-fr) came before "Partner Team — Global System Integrators".
    team_names = {team.id: team.name for team in kb.taxonomy.teams}
    cadences = kb.retro_cadences
    page(PAGES["retros"], "retros.md.j2", by_period=_retros_by_period(kb.retros, team_names),
         retros_of=retros_of, cadences=cadences, heading=retros_heading(cadences))
    page(PAGES["reviews"], "reviews.md.j2")
    page(PAGES["postmortems"], "postmortems.md.j2", by_kind=_by(kb.postmortems, "kind"),
         by_outcome=_by(kb.postmortems, "outcome"))
    # Each cause as its page shows it (its actions, the records citing it and how, which fix
    # it came back after): everything of it the causes index and the home page show too. A
    # citation enters as a digest of its JSON, kept by its record's content digest (made
    # once, not per run; hashing seven megabytes of JSON per run was most of this).
    def citation_token(c: Citation) -> object:
        return (cache.listing(c.entry), c.index,
                cache.part_text(c.entry, "citation", c.index, partial(_json_digest, c.citation)),
                c.fixed_by and states_token([c.fixed_by]),
                c.returned_after and states_token([c.returned_after]))

    citation_tokens = {cause_id: [citation_token(c) for c in stats.citations]
                       for cause_id, stats in links.causes.items()}
    cause_keys = {cause_id: fingerprint(cause_id, states_token(stats.actions),
                                        citation_tokens[cause_id])
                  for cause_id, stats in links.causes.items()}
    causes_chart = figures.causes and figures.causes.shown
    cached(PAGES["causes"], fingerprint(PAGES["causes"], cause_keys, causes_chart, TEAMS_INLINE,
                                        CAUSES_TABLE),
           "causes.md.j2", teams_inline=TEAMS_INLINE, causes_table=CAUSES_TABLE,
           chart_causes=MAX_CAUSES)
    for cause_id, stats in links.causes.items():
        # A cause cited thousands of times would make a page of megabytes: past a hundred
        # citations or actions, the page keeps the newest and each year gets a page of its own.
        by_year = cause_years(stats)
        cached(cause_path(cause_id), cause_keys[cause_id], "cause.md.j2", stats=stats,
               inline=CAUSE_INLINE, years=by_year)
        year_tokens: dict[int, list[object]] = defaultdict(list)
        for c, c_token in zip(stats.citations, citation_tokens[cause_id], strict=True):
            year_tokens[c.entry.date.year].append(c_token)
        for year, (citations, states) in by_year.items():
            path = cause_year_path(cause_id, year)
            cached(path, fingerprint(path, states_token(states), year_tokens[year]),
                   "cause_year.md.j2", stats=stats, year=year, citations=citations,
                   states=states)
    closed = groups["done"] + groups["done-late"] + groups["dropped"]
    # A register of tens of thousands of rows is unusable (and slow to build): past a few
    # hundred closed actions, they move to one page per year.
    years = sorted({s.due.year for s in closed}) if len(closed) > CLOSED_INLINE else []
    closed_by_year: dict[tuple[int, str], list[ActionState]] = defaultdict(list)
    for name in ("done-late", "done", "dropped") if years else ():
        for state in groups[name]:
            closed_by_year[(state.due.year, name)].append(state)
    for year in years:
        key = fingerprint(year, [(name, states_token(closed_by_year[(year, name)]))
                                 for name in ("done-late", "done", "dropped")])
        cached(f"actions/{year}.md", key, "actions_year.md.j2", groups=groups, year=year,
               owner=None)
    # How many closed actions of each group fell due in each year, for the register's links.
    year_counts = {key: Counter(s.due.year for s in groups[key]) for key in groups}
    by_owner = follow_through_by(current, lambda s: owner_slug(s.owner), kb.as_of, facts,
                                 label=links.owner_names.__getitem__)
    page(PAGES["actions"], "actions.md.j2", groups=groups, years=years, year_counts=year_counts,
         needs_owner=needing_owner(current, kb.taxonomy, kb.as_of),
         follow=follow_through(current, kb.as_of, facts),
         # Most overdue first: at 30 owners, in name order, the ones to chase were anywhere.
         # The owners' page keeps name order, to find one.
         by_owner=sorted(by_owner, key=lambda row: (-row[2].overdue, -row[2].open)),
         by_team=follow_through_by(current, lambda s: s.team or "", kb.as_of, facts,
                                   label=lambda t: team_names.get(t, t)))
    page(PAGES["owners"], "owners.md.j2", by_owner=by_owner)
    for slug, states in links.owners.items():
        name = links.owner_names[slug]
        key = fingerprint(name, states_token(states), OWNER_INLINE)
        # Years of closed actions would make a page of megabytes: past a hundred, the page
        # keeps the most recent of each kind and each year's go to a page of their own.
        closed_in: dict[int, list[ActionState]] = defaultdict(list)
        for state in states:
            if not state.is_open:
                closed_in[state.due.year].append(state)
        closed_count = sum(len(due_then) for due_then in closed_in.values())
        owner_years = sorted(closed_in) if closed_count > OWNER_INLINE else []
        for year in owner_years:
            due_then = closed_in[year]
            cached(owner_year_path(name, year),
                   fingerprint(name, year, states_token(due_then)), "actions_year.md.j2",
                   groups=_Lazy(partial(register_groups, due_then, kb.as_of, labels)),
                   year=year, owner=name)
        cached(f"actions/owners/{slug}.md", key, "owner.md.j2", owner=name,
               groups=_Lazy(partial(register_groups, states, kb.as_of, labels)),
               follow=_Lazy(partial(follow_through, states, kb.as_of, facts)),
               years=owner_years, inline=OWNER_INLINE)
    # The pages of analysis results: fingerprinted by the results they show (the taxonomy,
    # the as-of date and the templates are in the cache's stamp).
    checklists = {kind: token(items) for kind, items in links.checklists.items()}
    # Each checklist ranked once, when a page first needs it: merging near-duplicate lessons
    # is a similarity search, and the index reads every kind's checklist three times. Keyed
    # by the list itself (links.checklists keeps it alive for the whole render).
    rankings: dict[tuple[int, str], list[RankedItem]] = {}

    def ranked_once(items: list[LessonItem], kind: str) -> list[RankedItem]:
        key = (id(items), kind)
        if key not in rankings:
            rankings[key] = ranked(items, kind)
        return rankings[key]

    cached(PAGES["plan"], fingerprint(PAGES["plan"], checklists), "plan_index.md.j2",
           ranked=ranked_once)
    for kind in kb.taxonomy.plan_kinds:
        path = plan_path(kind.id)
        cached(path, fingerprint(path, checklists.get(kind.id),
                                 token(outcomes.calibration.worst_for(kind.id))),
               "plan.md.j2", kind=kind, items=links.checklists[kind.id], ranked=ranked_once)
    cached(PAGES["assumptions"], fingerprint(PAGES["assumptions"], token(links.assumptions)),
           "assumptions.md.j2")
    calibration_key = fingerprint(PAGES["calibration"], token(outcomes.calibration))
    cached(PAGES["calibration"], calibration_key, "calibration.md.j2",
           calibration=outcomes.calibration)
    winloss_key = fingerprint(PAGES["winloss"], token(outcomes.winloss))
    cached(PAGES["winloss"], winloss_key, "winloss.md.j2", winloss=outcomes.winloss)
    # A fix its indicator rewarded can still see its cause come back: both facts belong on
    # its row, or the page calls a fix that did not stick a success.
    came_back = {c.fixed_by.id: c for stats in links.causes_ranked()
                 for c in reversed(stats.recurred_after_fix) if c.fixed_by is not None}
    effectiveness_key = fingerprint(
        PAGES["effectiveness"], _effects_token(outcomes.effects, one_token, token),
        EFFECTS_INLINE, sorted((a, c.entry.id, c.days_after_fix) for a, c in came_back.items()))
    cached(PAGES["effectiveness"], effectiveness_key, "effectiveness.md.j2",
           effects=outcomes.effects, inline=EFFECTS_INLINE, came_back=came_back)
    # The home page summarises the whole knowledge base: every action (its registers and
    # follow-through), every record as listed (the counts, the latest), every cause, the
    # wrong-way movers and what the result pages above show (their fingerprints).
    every_action = hashlib.blake2b(b"".join(tokens[id(s)] for s in links.actions.values()),
                                   digest_size=20).digest()
    every_record = hashlib.blake2b(b"".join(cache.entries_token(kb.entries)),
                                   digest_size=20).digest()
    quiet = silence(kb)
    latest = latest_records(kb)
    cached(PAGES["home"], fingerprint(PAGES["home"], every_action, every_record, cause_keys,
                                      token(shared["movers"]), effectiveness_key, winloss_key,
                                      calibration_key, HOME_INLINE, TEAMS_INLINE,
                                      (quiet.newest.id, quiet.months) if quiet else None),
           "home.md.j2", terms=finder, groups=groups, silence=quiet, latest=latest,
           inline=HOME_INLINE,
           teams_inline=TEAMS_INLINE,
           follow=_Lazy(partial(follow_through, current, kb.as_of, facts)))
    # Each (indicator, team)'s rows, fingerprinted by a hash of their values in the table's
    # order (the same rows in the same order sort the same way): the rows are only sorted and
    # turned into Python objects for the pages that must be rendered again.
    trend = analysis.trend
    row_hashes = hash_pandas_object(trend, index=False).to_numpy()
    positions_of: dict[str, dict[str, Any]] = defaultdict(dict)
    indices = trend.groupby(["indicator", "team"]).indices
    for group in sorted(indices, key=str):
        ind_id, team_id = cast(tuple[str, str], group)
        positions_of[str(ind_id)][str(team_id)] = indices[group]

    def own_page(ind_id: str, team_id: str) -> bool:
        """Whether a team has a page of its own for an indicator: every reading and every
        mark, when its section of the indicator's page shows only the recent ones."""
        done = max(sum(1 for mark in figures.markers.get((ind_id, team_id), [])
                       if mark.kind == kind) for kind in ("action", "measured"))
        return len(positions_of[ind_id][team_id]) > READINGS_INLINE or done > MARKERS_INLINE

    # Each team's latest overall reading of each indicator it reports, retired ones too (its
    # page keeps its history), by the indicator's label.
    readings_of: dict[str, list[tuple[str, Any, bool]]] = defaultdict(list)
    labels_of = {indicator.id: indicator.label for indicator in kb.taxonomy.indicators}
    for (ind_id, team_id), row in sorted(
            _latest_overall(analysis, lambda _i, _t: True).items(),
            key=lambda item: name_order(labels_of.get(item[0][0], item[0][0]))):
        readings_of[team_id].append((ind_id, row, own_page(ind_id, team_id)))
    team_causes = _team_causes(links)
    page(PAGES["teams"], "teams.md.j2", entries_of=entries_of, open_of={
        team: sum(1 for s in states if s.is_open)
        for team, states in actions_of.items()})
    for team in kb.taxonomy.teams:
        team_states = actions_of.get(team.id, [])
        team_groups = register_groups(team_states, kb.as_of, labels)
        # Every action of the team: the register's follow-through by team links here, and
        # its done and late actions must be on the page its numbers lead to.
        key = fingerprint(team.id, states_token(team_states), TEAM_INLINE,
                          cache.entries_token(entries_of.get(team.id, [])),
                          team_causes.get(team.id, []),
                          [(ind_id, tuple(row), own) for ind_id, row, own
                           in readings_of.get(team.id, [])],
                          states_token(handed_from.get(team.id, [])))
        cached(team_path(team.id), key, "team.md.j2", team=team,
               handed=sorted(handed_from.get(team.id, []), key=lambda s: (s.due, s.id)),
               entries=entries_of.get(team.id, []), groups=team_groups,
               follow=_Lazy(partial(follow_through, team_states, kb.as_of, facts)),
               inline=TEAM_INLINE, causes=team_causes.get(team.id, []),
               readings=readings_of.get(team.id, []))
    page(PAGES["tags"], "tags.md.j2")
    page(PAGES["glossary"], "glossary.md.j2", abbreviations=abbreviation_terms(glossed),
         company_terms=theirs, own_terms=PRODUCT_TERMS, unit_said=unit_said)
    recent, more, left_out = whats_new(kb, provenance, options.whats_new, latest)
    page(PAGES["whats_new"], "whats_new.md.j2", recent=recent, more=more, left_out=left_out,
         size=options.whats_new, has_feed=options.site_url is not None, bulk=BULK_CHANGE,
         grouped=any(len(row.entries) > 1 for row in recent))

    def by_name(team_id: str) -> tuple[str, str]:
        return name_order(team_names.get(team_id, team_id))

    latest_overall = _latest_overall(analysis, reporting)
    page(PAGES["indicators"], "indicators.md.j2", terms=finder,
         latest=latest_shown(kb.taxonomy, latest_overall, by_name, LATEST_INLINE),
         latest_inline=LATEST_INLINE,
         reporting_teams=Counter(ind_id for ind_id, _ in latest_overall))

    def rows(indicator: Indicator, at: Any) -> list[Any]:
        # Newest month first, each month's overall then its segments in the taxonomy's order,
        # as the chart's panels are (by id, Enterprise came before SMB); ties as they come.
        def segment_order(column: pd.Series) -> pd.Series:
            if column.name != "segment":
                return column
            ranks = {segment: rank for rank, segment in enumerate(
                sorted(set(column), key=indicator.segment_key))}
            return column.map(ranks)

        ordered = trend.iloc[at].sort_values(["indicator", "team", "period", "segment"],
                                             ascending=[True, True, False, True], kind="stable",
                                             key=segment_order)
        return list(ordered.itertuples(index=False))

    def team_retired(team_id: str) -> bool:
        team = kb.taxonomy.team(team_id)
        return team.retired is not None and retired_after(team.retired, now)

    def tables(indicator: Indicator, positions: dict[str, Any]) -> dict[str, list[Any]]:
        # In team name order, as the indicator's page lists the teams; a retired team's after
        # the teams still reporting (its readings are history: by name, "Field Events" came
        # first, above the team whose readings are this month's).
        return {team_id: rows(indicator, positions[team_id])
                for team_id in sorted(positions,
                                      key=lambda team_id: (team_retired(team_id),
                                                           by_name(team_id)))}

    def worst_first(indicator: Indicator, tables: dict[str, list[Any]]) -> list[tuple[str, Any]]:
        """Each team still reporting ``indicator`` with its latest overall reading (``tables``'
        rows are newest first), the worst value first (ties by team name)."""
        latest = [(team_id, next(r for r in team_rows if r.segment == "all"))
                  for team_id, team_rows in tables.items()
                  if reporting(indicator.id, team_id)
                  and any(r.segment == "all" for r in team_rows)]
        sign = 1 if indicator.better.value == "up" else -1
        return sorted(latest, key=lambda item: (sign * float(item[1].value), by_name(item[0])))

    # A month's segments written with no value count in its quarter's figure, though the
    # readings table has no row for them: they are part of what an indicator's page shows.
    nothing_of: dict[str, list[tuple[tuple[str, str, str], list[str]]]] = defaultdict(list)
    for written, segments in sorted(analysis.nothing.items()):
        nothing_of[written[2]].append((written, sorted(segments)))
    for indicator in kb.taxonomy.indicators:
        positions = positions_of.get(indicator.id, {})
        rows_token = {team_id: row_hashes[at].tobytes() for team_id, at in positions.items()}
        # The chart, and what it draws (its note's words).
        charts = {team_id: (chart.shown, figures.drawn.get((indicator.id, team_id)))
                  for team_id in positions
                  if (chart := figures.indicators.get((indicator.id, team_id))) is not None}
        markers = {team_id: repr(figures.markers.get((indicator.id, team_id)))
                   for team_id in positions}
        for team_id, at in positions.items():
            if own_page(indicator.id, team_id):
                path = f"indicators/{indicator.id}/{team_id}.md"
                cached(path, fingerprint(path, rows_token[team_id], charts.get(team_id),
                                         markers[team_id], indicator.segments),
                       "indicator_team.md.j2", terms=finder, indicator=indicator, team=team_id,
                       rows=_Lazy(partial(rows, indicator, at)))
        cached(indicator_path(indicator.id),
               fingerprint(indicator.id, rows_token, list(charts.values()),
                           list(markers.values()), READINGS_INLINE, MARKERS_INLINE,
                           QUARTERS_INLINE, indicator.segments, nothing_of.get(indicator.id)),
               "indicator.md.j2", terms=finder, indicator=indicator, inline=READINGS_INLINE,
               markers_inline=MARKERS_INLINE, tables=_Lazy(partial(tables, indicator, positions)),
               worst_first=worst_first, quarters_inline=QUARTERS_INLINE,
               quarters=_Lazy(partial(quarters_of, analysis.readings, indicator, kb.taxonomy,
                                      analysis.nothing, kb.as_of)))
    return pages


def latest_shown(taxonomy: Taxonomy, latest: dict[tuple[str, str], Any],
                 by_name: Callable[[str], tuple[str, str]], inline: int
                 ) -> list[tuple[Indicator, list[tuple[str, Any]], int]]:
    """The indicators index's latest readings: per indicator (by id), each team's latest
    reading by team name (by id, "Partner Team — Référence Partners France" came before
    "… Global System Integrators"), and how many more teams report it. Past one more than
    ``inline`` teams, the ``inline`` worst readings, worst first (ties by team name), as the
    indicator's own page begins its table of every team's: at 40 teams the index was a table
    of 144 rows."""
    of: dict[str, list[tuple[str, Any]]] = defaultdict(list)
    for (ind_id, team_id), row in sorted(latest.items(),
                                         key=lambda item: (item[0][0], by_name(item[0][1]))):
        of[ind_id].append((team_id, row))
    shown = []
    for ind_id, rows in of.items():
        indicator = taxonomy.indicator(ind_id)
        if len(rows) <= inline + 1:
            shown.append((indicator, rows, 0))
            continue
        sign = 1 if indicator.better.value == "up" else -1
        worst = sorted(rows, key=lambda item: (sign * float(item[1].value), by_name(item[0])))
        shown.append((indicator, worst[:inline], len(rows) - inline))
    return shown


def cause_years(stats: CauseStats) -> dict[int, tuple[list[Citation], list[ActionState]]]:
    """A much-cited cause's citations and actions by the year of their record, oldest year
    first; empty while its own page lists them all (up to `CAUSE_INLINE` of each)."""
    if len(stats.citations) <= CAUSE_INLINE and len(stats.actions) <= CAUSE_INLINE:
        return {}
    years: dict[int, tuple[list[Citation], list[ActionState]]] = {}
    for c in stats.citations:
        years.setdefault(c.entry.date.year, ([], []))[0].append(c)
    for s in stats.actions:
        years.setdefault(s.entry.date.year, ([], []))[1].append(s)
    return dict(sorted(years.items()))


def shown_actions(states: list[ActionState], inline: int) -> list[ActionState]:
    """The actions a cause's own page lists: every open one, and the `inline` most recently
    raised of the closed ones, in their order."""
    closed = [s for s in states if not s.is_open]
    newest = {id(s) for s in closed[-inline:]} if inline else set()
    return [s for s in states if s.is_open or id(s) in newest]


@dataclass
class _Lazy:
    """A page's context value made only if the page is rendered (not taken from the cache)."""

    make: Callable[[], Any]


_ASSESSED_FIELDS = ("state", "effect", "team", "segment", "reported", "step", "held_by",
                    "held_by_from")
"""The fields of `Assessed` that `_effects_token` reads."""


def _effects_token(effects: Effectiveness, state_token: Callable[[ActionState], bytes],
                   token: Callable[[object], object]) -> object:
    """What the effectiveness page shows of every assessment, for its fingerprint: what
    `PageCache.token_of` makes of ``effects``, without walking 16,000 assessments generically
    (an effect's ``repr`` shows its verdict and every reading behind it). Should either class
    gain a field, the generic walk is used, so no field goes unseen."""
    if tuple(f.name for f in dataclasses.fields(Assessed)) != _ASSESSED_FIELDS or \
            tuple(f.name for f in dataclasses.fields(Effectiveness)) != ("assessed",):
        return token(effects)
    return [(action_id, state_token(a.state), repr(a.effect), a.team, a.segment, a.reported,
             a.step, a.held_by, a.held_by_from) for action_id, a in effects.assessed.items()]


def _json_digest(part: BaseModel) -> str:
    """A record part's JSON (every field), as a digest."""
    return fingerprint(part.model_dump_json()).hex()


def _index(state: ActionState) -> int:
    return state.index


def _compared_with(period: str, prior: object, quarterly: bool = False) -> str:
    """The month a reading was compared with, when it is not the month before ("" if it is,
    or if there is none): a missing month makes "vs prior" reach further back. A reading of a
    team that meets quarterly (``quarterly``) is compared with the quarter before: the quarter
    it reached back to is named ("Q4 2025") only when it is not that one."""
    if not isinstance(prior, str):
        return ""
    if quarterly:
        before = previous_month(previous_month(previous_month(period)))
        return "" if prior == before else quarter_name(prior)
    return "" if prior == previous_month(period) else month_name(prior)


def period_label(period: str, entries: Iterable[Entry]) -> str:
    """A month of the retros list as its row names it: ``June 2026``; ``Q2 2026`` when every
    retro of it is of a team that meets quarterly; both when the month holds both."""
    quarterly = {entry.quarterly for entry in entries}
    if quarterly == {True}:
        return quarter_name(period)
    if True in quarterly:
        return f"{month_name(period)} ({quarter_name(period)})"
    return month_name(period)


def period_heads(quarterly: Iterable[bool]) -> tuple[str, str]:
    """The period column and the trailing-mean column of a table of readings whose rows are
    each a monthly team's (False) or a quarterly team's (True): "Month" and "vs 3-month mean",
    "Quarter" and "vs 3-quarter mean" when every row is a quarter's, "Period" and "vs
    3-period mean" when the table holds both."""
    kinds = set(quarterly)
    if kinds == {True}:
        return "Quarter", "vs 3-quarter mean"
    if True in kinds:
        return "Period", "vs 3-period mean"
    return "Month", "vs 3-month mean"


def reading_period(period: str, quarterly: bool) -> str:
    """A reading's period as a table of readings shows it: ``2026-06``, or for a team that
    meets quarterly its quarter, ``Q2 2026`` (its retro is dated the quarter's last month)."""
    return quarter_name(period) if quarterly else period


@dataclass(frozen=True)
class StepWords:
    """How a list of wrong-way readings names the step they were compared over: a month, or a
    quarter for a team that meets quarterly, in the heading, its sentence and its columns."""

    latest: str
    """The heading's period: "June 2026", "Q2 2026", or each team's latest one."""
    prior: str
    """What each reading was compared with, in the sentence: "the prior month and the trailing
    3-month mean", with the quarters of a team that meets quarterly said beside it."""
    mean_column: str
    """The column of the change against the trailing mean: "vs 3-month mean",
    "vs 3-quarter mean", or "vs trailing mean" when the list holds both."""
    latest_said: str
    """Where a team's latest one is kept: "month" or "quarter" ("month or quarter")."""


def step_words(movers: Sequence[Mover],
               by_quarter: Callable[[str, str], bool]) -> StepWords:
    """The words of a wrong-way list of ``movers``: a reading ``by_quarter`` (team, period)
    says is a quarter's was compared with its prior quarter and its trailing 3-quarter mean,
    not with months."""
    quarterly = sum(by_quarter(mv.team, mv.period) for mv in movers)
    periods = sorted({mv.period for mv in movers})
    every = quarterly == len(movers) and quarterly > 0
    some = 0 < quarterly < len(movers)
    step = "quarter" if every else "month or quarter" if some else "month"
    if len(periods) == 1:
        latest = quarter_name(periods[0]) if every else month_name(periods[0])
    else:
        latest = f"each team's latest {step}"
    unit = "quarter" if every else "month"
    prior = f"the prior {unit} and the trailing 3-{unit} mean"
    if some:
        prior += (" (for a team that meets quarterly, the prior quarter and the trailing "
                  "3-quarter mean)")
    column = "vs trailing mean" if some else f"vs 3-{unit} mean"
    return StepWords(latest, prior, column, step)


def effect_text(outcomes: DidItWork, state: ActionState, kb: KnowledgeBase) -> str:
    """What followed a done action on its indicator, in words ("" when there is nothing): of
    quarters where it was judged on a quarterly team's quarters."""
    item = outcomes.effects.of(state.id)
    if item is None or state.done_date is None:
        return ""
    effect = item.effect
    indicator = kb.taxonomy.indicator(state.action.indicator or "")
    unit = indicator.shown
    # Which figure, and of when: "MQL→SQL conversion 25.2% → 21.0%" read as the events the
    # action was about, not all sources pooled, May–July against September–November.
    segment = kb.taxonomy.segment_said(indicator, item.segment)
    where = f"{indicator.label}, {segment}" if segment else indicator.label
    # The means are computed on each read: read them once.
    before, after = (effect.before_mean, effect.after_mean) if effect.verdict.measured \
        else (None, None)
    # Handed to a team that had no readings of it: whose readings it is judged on instead.
    judged = f"; {judged}" if (judged := judged_on(item, kb)) else ""
    if before is not None and after is not None:
        by_quarter = item.step > 1
        return (f"followed by: {effect.verdict.value}, {where}: "
                f"{format_value(before, unit)} ({_span(effect.before, by_quarter)}) → "
                f"{format_value(after, unit)} ({_span(effect.after, by_quarter)}){judged}")
    return f"{effect.verdict.value}, {where}: {effect.why}{judged}"


def judged_on(item: Assessed, kb: KnowledgeBase) -> str:
    """Whose readings an action handed to another team is judged on, where not that team's
    (`Assessed.held_by`), in words: "judged on Inbound SDR's readings: Pipeline Development,
    which held it when done, does not report it" ("" otherwise). Without it, a fix Pipeline
    Development did read as judged on its own readings."""
    if item.held_by is None:
        return ""
    names = {t.id: t.name for t in kb.taxonomy.teams}
    judged = names.get(item.team or "", item.team or "no team")
    holder = names.get(item.held_by, item.held_by)
    reports = ("does not report it" if item.held_by_from is None
               else "had not reported it before it was done")
    return f"judged on {possessive(judged)} readings: {holder}, which held it when done, {reports}"


def _span(readings: Sequence[tuple[str, float]], quarterly: bool) -> str:
    """The months (or quarters) of a before or after mean's readings."""
    return period_span(readings[0][0], readings[-1][0], quarterly)


def _texts(entry: Entry) -> list[str]:
    return list(record_texts(entry))


def _search_terms(kb: KnowledgeBase, entry: Entry,
                  words: tuple[dict[str, str], frozenset[str]],
                  vocabulary: dict[str, str]) -> str:
    """What a record page carries for search only: the names of its causes and its deal's
    reasons, other spellings, the other forms of "lose" and "win" it says.

    ``words`` is what the record's own text gives (`PageCache.words_of`): the same variants
    `spelling_variants` finds in the record's texts, without reading them again.
    """
    record = entry.record
    own, found = words
    names = cause_names(kb.taxonomy, [c.cause for c in record.causes])
    said = set(found)
    # Only a post-mortem has a deal (asking a retro's model for one raises) and a kind and
    # outcome, which its page's first line says ("deal-lost · loss": "lost" and "loss").
    if isinstance(record, Postmortem):
        if record.deal is not None:
            names += reason_names(kb.taxonomy, record.deal.reasons)
        said |= family_words([record.kind.value, record.outcome.value])
    variants = set(own) | set(spelling_variants(names, vocabulary))
    variants.update(vocabulary[w] for w in found if w in vocabulary)
    return search_terms_text([*names, *sorted(variants), *word_family(said)])


def _effect_anchor(outcomes: DidItWork, state: ActionState) -> str:
    """The effectiveness page's section for an action's verdict."""
    item = outcomes.effects.of(state.id)
    return item.effect.verdict.slug if item is not None else ""


def recent_changes(kb: KnowledgeBase, provenance: Provenance) -> list[tuple[Entry, str, Any]]:
    """Records by their latest change, newest first: (entry, "added" or "changed", change).
    Changes of unknown date come after every dated one (see `generator.analysis.provenance`)."""
    rows = []
    for entry in kb.entries:
        first, last = provenance.submitted(entry.path), provenance.changed(entry.path)
        if last is None or first is None:
            continue
        kind = "added" if last.commit == first.commit else "changed"
        rows.append((entry, kind, last))
    return sorted(rows, key=lambda r: (r[2].order, r[0].id), reverse=True)


HOME_LATEST = 8
"""How many records the home page lists as its latest records."""


def latest_records(kb: KnowledgeBase) -> list[Entry]:
    """The records the home page lists as the latest: the newest by the date they were held."""
    return sorted(kb.entries, key=lambda e: e.sort_key, reverse=True)[:HOME_LATEST]


BULK_CHANGE = 5
"""A commit that changed more records than this in one way (a spelling corrected everywhere,
a cause renamed in every record that cites it, a first import) is one row of What's new, not
one per record: forty rows of one spelling fix pushed the records submitted that week off the
page."""


@dataclass
class NewsRow:
    """One row of What's new: a record's change, or one commit's change to many records."""

    entries: list[Entry]
    """The record, or the records the commit changed (more than `BULK_CHANGE`), by id."""
    kind: str
    """``added`` or ``changed``."""
    change: Any
    """The commit (`Change`): who, when."""


def whats_new(kb: KnowledgeBase, provenance: Provenance, size: int,
              latest: list[Entry]) -> tuple[list[NewsRow], int, int]:
    """What's new's rows: the ``size`` most recent changes (`recent_changes`), a commit that
    changed more than `BULK_CHANGE` records one row and a record such a commit last changed
    still listed as added when it was submitted; then any of the home page's ``latest``
    records changed on or after the day of the last row, and how many of those follow.
    Changes made in one commit tie, and a tie is cut by record id: the newest retros, which
    the home page names first, fell past the cut while older records changed the same day
    were listed. Last, how many records no row names."""
    ranked = _grouped(provenance, recent_changes(kb, provenance))
    rows = ranked[:size]
    listed = {entry.id for row in ranked for entry in row.entries}
    shown = {entry.id for row in rows for entry in row.entries}
    day = rows[-1].change.when.date() if rows and rows[-1].change.when is not None else None
    if day is None or len(ranked) <= size:
        return rows, 0, len(listed - shown)
    wanted = {entry.id for entry in latest}
    more = [row for row in ranked[size:] if any(e.id in wanted for e in row.entries)
            and row.change.when is not None and row.change.when.date() >= day]
    shown |= {entry.id for row in more for entry in row.entries}
    return rows + more, len(more), len(listed - shown)


def _grouped(provenance: Provenance, ranked: list[tuple[Entry, str, Any]]) -> list[NewsRow]:
    """``ranked`` as What's new's rows, newest first: the records a commit that made more than
    `BULK_CHANGE` records' latest change changed are each listed again as added when they
    were submitted, and then the changes of each commit that made more than `BULK_CHANGE` of
    the same kind (a first import's additions too) are one row."""
    if not _bulk(ranked):
        return [NewsRow([entry], kind, change) for entry, kind, change in ranked]
    events = list(ranked)
    for entry, kind, change in ranked:
        if kind == "changed" and (change.commit, kind) in _bulk(ranked):
            submitted = provenance.submitted(entry.path)
            if submitted is not None:
                events.append((entry, "added", submitted))
    bulk = _bulk(events)
    groups: dict[tuple[str, str], list[Entry]] = {}
    news: list[NewsRow] = []
    for entry, kind, change in events:
        if (change.commit, kind) in bulk:
            if (change.commit, kind) not in groups:
                groups[change.commit, kind] = []
                news.append(NewsRow(groups[change.commit, kind], kind, change))
            groups[change.commit, kind].append(entry)
        else:
            news.append(NewsRow([entry], kind, change))
    for row in news:
        row.entries.sort(key=lambda entry: entry.id)
    return sorted(news, key=lambda r: (r.change.order, r.entries[0].id), reverse=True)


def _bulk(events: list[tuple[Entry, str, Any]]) -> set[tuple[str, str]]:
    """The (commit, kind) pairs of more than `BULK_CHANGE` of ``events`` (a file date, no
    commit, is no one change)."""
    counts = Counter((change.commit, kind) for _, kind, change in events if change.commit)
    return {key for key, count in counts.items() if count > BULK_CHANGE}


def _latest_overall(analysis: Analysis, reporting: Callable[[str, str], bool]
                    ) -> dict[tuple[str, str], Any]:
    """The latest overall reading of each (indicator, team) still ``reporting`` (neither
    retired)."""
    trend = analysis.trend
    overall = trend[trend["segment"] == "all"]
    # Rows are in period order: the last of each (indicator, team) is its latest. Only those
    # rows are turned into Python objects (the page sorts them by key).
    last = overall.drop_duplicates(["indicator", "team"], keep="last")
    return {(str(row.indicator), str(row.team)): row for row in last.itertuples(index=False)
            if reporting(str(row.indicator), str(row.team))}


def summary_opens_body(entry: Entry) -> bool:
    """Whether a post-mortem's body opens with its summary, word for word: the page then shows
    it once (the body's), not a Summary box followed by the same paragraph."""
    summary = " ".join(str(getattr(entry.record, "summary", "")).split())
    for paragraph in entry.source.body.strip().split("\n\n"):
        if paragraph.lstrip().startswith("#"):
            continue  # the title, written as a heading
        return bool(summary) and " ".join(paragraph.split()) == summary
    return False


def _tags(kb: KnowledgeBase, entry: Entry) -> list[str]:
    """Tags for mkdocs-material's tags plugin: causes and plan kind (teams have their pages)."""
    cited = dict.fromkeys(c.cause for c in entry.record.causes)  # a cause cited twice, once
    tags = [kb.taxonomy.cause(cause).title for cause in cited]
    if isinstance(entry.record, Postmortem):
        kinds = {kind.id: kind.title for kind in kb.taxonomy.plan_kinds}
        plan_kind = entry.record.informs
        if plan_kind in kinds:
            tags.append(kinds[plan_kind])
    return list(dict.fromkeys(tags))


def _body(entry: Entry, options: RenderOptions, published: Collection[str]) -> str:
    """The record's own text as sanitized HTML (rendered and checked during validation).

    Embedding HTML rather than the Markdown source means any engine that builds the generated
    tree publishes exactly what passed the allowlist, whatever its own Markdown does. Engines
    do not rewrite links inside HTML, so a link to another record (``2026-05-sales.md``, or
    ``../postmortems/x.md`` from the record's folder) is written as the address that record's
    page is served at; a link to a record not ``published`` (held after the build date, so
    without a page yet) is shown as its text only. Done here, for the day the site is built
    as of, not in the body's cached HTML: the same body links to a live page once the site is
    built on or after the day that record was held.
    """
    here = record_path(entry.id)
    links = entry.source.links if entry.source.links is not None \
        else body_links(entry.source.html)
    unpublished = {target for target in links.records if target not in published}

    def served(match: re.Match[str]) -> str:
        if options.html_links == "source":
            # The engine rewrites `.md` links itself; every record page sits beside this one.
            return f'href="{match.group(1)}.md{match.group(2) or ""}"'
        # The same served address every raw-HTML table of the site uses.
        target = html_href(here, record_path(match.group(1)), options.directory_urls,
                           (match.group(2) or "").removeprefix("#"))
        return f'href="{target}"'

    return rewrite_record_links(unlink_records(entry.source.html, unpublished), served)


def _retros_by_period(entries: list[Entry], team_names: dict[str, str]
                      ) -> list[tuple[str, list[Entry]]]:
    """The retros of each period, newest period first, each period's by team name."""
    by_period: dict[str, list[Entry]] = defaultdict(list)
    for entry in entries:
        assert isinstance(entry.record, Retro)
        by_period[entry.record.period].append(entry)
    return [(p, sorted(es, key=lambda e: (name_order(team_names.get(e.team or "", e.team or "")),
                                          e.team or "")))
            for p, es in sorted(by_period.items(), reverse=True)]


def _by(entries: list[Entry], attribute: str) -> list[tuple[str, list[Entry]]]:
    groups: dict[str, list[Entry]] = defaultdict(list)
    for entry in entries:
        assert isinstance(entry.record, Postmortem)
        groups[str(getattr(entry.record, attribute))].append(entry)
    return [(k, sorted(v, key=lambda e: e.sort_key, reverse=True))
            for k, v in sorted(groups.items())]


def _team_causes(links: Links) -> dict[str | None, list[tuple[str, int]]]:
    """Per team, the causes its records cite and how often: the team's most cited first (ties
    in the company-wide order). The company-wide order put a cause a team cited twice above one
    it cited nine times."""
    result: dict[str | None, list[tuple[str, int]]] = defaultdict(list)
    for stats in links.causes_ranked():
        counts: dict[str | None, int] = defaultdict(int)
        for citation in stats.citations:
            counts[citation.entry.team] += 1
        for team, n in counts.items():
            result[team].append((stats.cause.id, n))
    for causes in result.values():
        causes.sort(key=lambda item: -item[1])  # stable: ties keep the company-wide order
    return result


_ENV = _environment()


def render_template(template: str, **context: Any) -> str:
    """Render one template of the package (drafts use this; pages go through `Page`)."""
    return _ENV.get_template(template).render(**context)
