"""The MkDocs plugin: a thin adapter that adds the generated pages in memory.

Everything it adds comes from `generator.site.build`, which knows nothing about MkDocs.
Record problems are logged through ``mkdocs.plugins.hindsight`` and stop the build.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
from pathlib import Path
from typing import Any

from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.utils.templates import TemplateContext

from .charts import ChartCache
from .errors import HindsightError
from .load import CACHE_DIR, RECORD_FOLDERS, TAXONOMY_FILE
from .paths import PAGES, RenderOptions, plan_path, record_path
from .progress import QUIET, Progress
from .sanitize import sanitize
from .search_index import index_site
from .site import InvalidRecords, build
from .types import parse_as_of
from .validate import Result

log = logging.getLogger("mkdocs.plugins.hindsight")

# Generated pages reached through indexes, cause pages and search, never the nav: the nav
# is rendered into every page, so a nav entry per record makes builds quadratic.
_IN_NAV = set(PAGES.values())


class HindsightConfig(Config):
    """Options under ``plugins: - hindsight:`` in mkdocs.yml."""

    root = c.Type(str, default=".")
    """The knowledge base's root, relative to mkdocs.yml (holds taxonomy.yml)."""
    as_of = c.Optional(c.Type(str))
    """The date overdue actions are judged by (default: $HINDSIGHT_AS_OF, else today)."""
    branch = c.Type(str, default="main")
    """The branch edit links point at."""
    fail_on_warnings = c.Type(bool, default=False)
    """Log validation warnings as MkDocs warnings (so --strict fails on them)."""


class HindsightPlugin(BasePlugin[HindsightConfig]):
    """Adds Hindsight's generated pages to an MkDocs build."""

    def __init__(self) -> None:
        self.generated_paths: set[str] = set()
        self.sources: dict[str, str] = {}
        self.root = Path(".")
        self.options = RenderOptions()
        self.plan_kinds: list[tuple[str, str]] = []
        # Set by `hindsight build`, which has validated already to print its report: the
        # build then uses that result instead of validating the records a second time.
        self.validated: Result | None = None
        self.as_of: dt.date | None = None
        self.progress: Progress = QUIET

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        base = Path(config.config_file_path or ".").parent
        self.root = (base / self.config.root).resolve()
        return config

    def on_files(self, files: Files, /, *, config: MkDocsConfig) -> Files:
        try:
            as_of = self.as_of or parse_as_of(self.config.as_of)
            # Charts are cached on disk by their data, so `mkdocs serve` rebuilds stay quick.
            cache = ChartCache(folder=self.root / CACHE_DIR / "charts")
            self.options = RenderOptions(repo_url=config.repo_url or None,
                                         branch=self.config.branch,
                                         site_url=config.site_url or None,
                                         directory_urls=config.use_directory_urls)
            reported = self.validated is not None  # the command line printed its report
            generated = build(self.root, as_of, self.options, cache, validated=self.validated,
                              progress=self.progress)
            self.validated = None  # a serve rebuild reads the records afresh
        except InvalidRecords as exc:
            for problem in exc.problems.sorted():
                (log.error if problem.severity == "error" else log.info)(problem.format())
            raise PluginError(str(exc)) from None
        except HindsightError as exc:
            raise PluginError(str(exc)) from None
        if generated.provenance.notice:
            log.info(f"provenance: {generated.provenance.notice}")
        # `hindsight build` printed the warnings in its report already; list them again only
        # when they must fail a strict build, or when MkDocs runs on its own.
        if self.config.fail_on_warnings or not reported:
            warn = log.warning if self.config.fail_on_warnings else log.info
            for problem in generated.result.problems.warnings:
                warn(problem.format())
        for path, content in generated.files.items():
            existing = files.get_file_from_path(path)
            if existing is not None:
                raise PluginError(f"docs/{path} clashes with a page Hindsight generates; "
                                  "rename or remove the hand-written file")
            inclusion = (InclusionLevel.UNDEFINED if path in _IN_NAV
                         else InclusionLevel.NOT_IN_NAV)
            files.append(File.generated(config, path, content=content, inclusion=inclusion))
        kb = generated.result.kb
        self.sources = {record_path(e.id): e.path for e in kb.entries} if kb else {}
        self.plan_kinds = [(k.title, plan_path(k.id)) for k in kb.taxonomy.plan_kinds] if kb else []
        # Keep only what later events need; the records, links and charts can be freed.
        self.generated_paths = set(generated.files)
        return files

    def on_page_content(
        self, html: str, /, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str | None:
        # Defence in depth: a generated page's HTML passes the allowlist once more, whatever
        # the Markdown made of it (record text is already escaped or sanitized upstream).
        if page.file.src_uri in self.generated_paths:
            return sanitize(html)
        return html

    def on_nav(self, nav: Navigation, /, *, config: MkDocsConfig, files: Files) -> Navigation:
        # Each plan kind's checklist under "Before you plan", after its index: the kinds come
        # from taxonomy.yml, so mkdocs.yml cannot list them (a handful, never per record).
        index = next((p for p in nav.pages if p.file.src_uri == PAGES["plan"]), None)
        if index is None or index.parent is None:
            return nav
        section = index.parent
        at = section.children.index(index) + 1
        for title, path in self.plan_kinds:
            file = files.get_file_from_path(path)
            if file is None:
                continue
            page = Page(title, file, config)
            page.parent = section
            section.children.insert(at, page)
            # Previous/next links follow the nav: the checklists come right after the index.
            nav.pages.insert(nav.pages.index(index) + at, page)
            at += 1
        # MkDocs linked previous/next pages before this event: link them again.
        for before, after in zip([None, *nav.pages], [*nav.pages, None], strict=True):
            if before is not None:
                before.next_page = after
            if after is not None:
                after.previous_page = before
        return nav

    def on_page_context(
        self, context: TemplateContext, /, *, page: Page, config: MkDocsConfig, nav: Navigation
    ) -> TemplateContext:
        # Edit links: a record page edits its source record; other generated pages have no
        # source to edit, so their (wrong) docs/ edit link is removed.
        if page.file.src_uri in self.generated_paths:
            source = self.sources.get(page.file.src_uri)
            page.edit_url = self.options.edit_url(source) if source else None
        return context

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        # The search index is built from the finished site, so it runs after every build
        # (each `mkdocs serve` rebuild too, which writes a fresh site folder).
        self.progress.stage("search index (Pagefind)", 0, 1)
        try:
            report = index_site(Path(config.site_dir))
        except HindsightError as exc:
            raise PluginError(str(exc)) from None
        log.info(f"search index: {report.pages} pages in {report.seconds:.1f} s, "
                 f"indexer peak {report.peak_mib:.0f} MiB")
        self.progress.stage("search index (Pagefind)", 1, 1)

    def on_serve(self, server: Any, /, *, config: MkDocsConfig, builder: Any) -> Any:
        # `mkdocs serve` only watches docs/ and mkdocs.yml; records live beside them.
        for folder in RECORD_FOLDERS:
            path = self.root / folder
            if path.is_dir():
                server.watch(os.fspath(path))
        server.watch(os.fspath(self.root / TAXONOMY_FILE))
        return server
