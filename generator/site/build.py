"""The whole pipeline in one readable function: load and validate, link, render.

``build()`` returns the generated site content in memory — relative path → bytes — and
imports nothing from MkDocs; the MkDocs plugin and ``hindsight generate`` are thin adapters.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass
from pathlib import Path

from ..analysis.analyze import Analysis, analyze
from ..analysis.diditwork import DidItWork, did_it_work
from ..analysis.link import Links, link
from ..analysis.provenance import Provenance, read_provenance
from ..analysis.scorecard_check import check_scorecards
from ..errors import Problems, RecordError
from ..gcpause import older_objects_set_aside
from ..paths import PAGES, RenderOptions
from ..progress import QUIET, Progress
from ..records.corpus import RETROS_HEADINGS, retros_heading
from ..records.load import TAXONOMY_FILE
from ..records.validate import Result, check
from .charts import ChartCache
from .export import exports
from .feed import feed
from .figures import Figures, draw_figures
from .formatdoc import record_format_page
from .page_cache import PageCache
from .page_cache import stamp as page_stamp
from .redirects import redirect_pages, renamed_record_pages
from .render import render_site
from .tree import GeneratedFiles


@dataclass
class Generated:
    """The generated site content and what validation said on the way."""

    files: GeneratedFiles
    """Every generated file by its path relative to the docs folder, sorted (a reused page's
    bytes are read from the page store only when asked for)."""
    result: Result
    links: Links
    analysis: Analysis
    figures: Figures
    provenance: Provenance
    did_it_work: DidItWork
    timings: dict[str, float]
    """Seconds per stage: validate, link, analyze, did-it-work, charts, render."""
    retros_heading: str = RETROS_HEADINGS["monthly"]
    """The retros list's heading, by how the teams on it meet (`retros_heading`): a nav label
    mkdocs.yml gives that page in the generator's words follows it."""


class InvalidRecords(RecordError):
    """Validation found errors; the site is not built from invalid records."""

    def __init__(self, problems: Problems) -> None:
        count = len(problems.errors)
        where = {TAXONOMY_FILE if p.path == TAXONOMY_FILE else "the records"
                 for p in problems.errors}
        super().__init__(f"{count} error{'s' * (count != 1)} in "
                         f"{' and '.join(sorted(where, reverse=True)) or 'the records'}; "
                         "run `hindsight validate` for the list")
        self.problems = problems


def build(
    root: Path,
    as_of: dt.date,
    options: RenderOptions | None = None,
    cache: ChartCache | None = None,
    validated: Result | None = None,
    progress: Progress = QUIET,
    pages: PageCache | None = None,
) -> Generated:
    """Validate every record, link them, analyse, draw, and render every page and export.

    ``validated`` is what `check(root, as_of)` already returned, when the caller validated
    first to print the report (the command line): the records are then not validated twice.
    ``pages`` keeps rendered pages between runs (on disk, or in memory under ``serve``): a
    page is rendered again only when what it shows changed.
    """
    # 1. Gather everything: load and validate the whole corpus before any page is written,
    #    because recurring causes and carried-over actions need every record at once.
    clock = _Clock()
    result = validated if validated is not None else check(root, as_of)
    if result.kb is None or result.problems.errors:
        raise InvalidRecords(result.problems)
    progress.stage("records validated", len(result.kb.entries), len(result.kb.entries))
    # The site shows the knowledge base as it stood on the as-of day: a record held after it
    # (validation warned) is not written yet, nor are the actions and updates it gives.
    kb = result.kb.as_it_stood()
    clock.lap("validate")
    # 2. Link: causes ↔ records ↔ actions ↔ lessons, computed once for all pages.
    links = link(kb)
    # Who submitted each record, and when: one pass over the git log.
    provenance = read_provenance(root, [entry.path for entry in kb.entries], as_of)
    clock.lap("link")
    # 3. Analyse the indicators and draw the charts (cached by the data they show).
    analysis = analyze(kb, links.actions)
    if validated is None:  # a caller that validated first has its scorecards' warnings
        check_scorecards(kb, result.problems, analysis.scorecards)
    clock.lap("analyze")
    # Did it work: what followed each fix, why deals are won and lost, assumption calibration.
    outcomes = did_it_work(kb, links, analysis)
    clock.lap("did-it-work")
    figures = draw_figures(kb, links, analysis, cache if cache is not None else ChartCache(),
                           outcomes.effects)
    clock.lap("charts")
    charts = len(figures.all())
    progress.stage("charts drawn", charts, charts)
    # 4. Render: pages, charts, the machine-readable exports and the schema reference.
    options = options or RenderOptions()
    pages = pages if pages is not None else PageCache()
    pages.open(page_stamp(root, as_of, options))
    # Fingerprints and export rows are hundreds of thousands of small objects over a heap of
    # millions: the cyclic collector would walk the whole heap for nothing, several times.
    with older_objects_set_aside():
        files = render_site(kb, links, options, analysis, figures, provenance, outcomes, pages)
        files.update(feed(kb, provenance, options))
        files.update({chart.path: chart.svg for chart in figures.all()})
        files.update(exports(kb, links, pages, options, analysis.trend))
        # A renamed team's, cause's or record's earlier addresses lead to its pages (bookmarks).
        generated = [path for path in files if path.endswith(".md")]
        files.update(redirect_pages(generated, kb.taxonomy, options.directory_urls))
        if provenance.renamed:  # titles of 10,000 records only when some record was renamed
            files.update(renamed_record_pages(generated, provenance.renamed,
                                              {entry.id: entry.title for entry in kb.entries},
                                              options.directory_urls))
        pages.save()
        files[PAGES["record_format"]] = record_format_page(kb.taxonomy)
    clock.lap("render")
    rendered = sum(1 for path in files if path.endswith(".md"))
    progress.stage("pages rendered", rendered, rendered)
    return Generated(files=GeneratedFiles(files), result=result, links=links,
                     analysis=analysis, figures=figures, provenance=provenance,
                     did_it_work=outcomes, timings=clock.laps,
                     retros_heading=retros_heading(kb.retro_cadences))


class _Clock:
    """Seconds spent per stage, for the benchmark and for curious users."""

    def __init__(self) -> None:
        self.laps: dict[str, float] = {}
        self._last = time.perf_counter()

    def lap(self, stage: str) -> None:
        now = time.perf_counter()
        self.laps[stage] = now - self._last
        self._last = now
