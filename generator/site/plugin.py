"""The MkDocs plugin: a thin adapter that adds the generated pages in memory.

Everything it adds comes from `generator.site.build.build`, which knows nothing about MkDocs.
Record problems are logged through ``mkdocs.plugins.hindsight`` and stop the build.
"""

from __future__ import annotations

import calendar
import datetime as dt
import html
import logging
import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import click
from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import AnchorLink, get_toc
from mkdocs.utils.templates import TemplateContext

from ..errors import CacheError, HindsightError
from ..gcpause import give_back, release
from ..paths import PAGES, RenderOptions, plan_path, record_path
from ..progress import QUIET, Progress
from ..records import record_cache
from ..records.body import with_heading_slugs
from ..records.corpus import RETROS_HEADINGS
from ..records.load import CACHE_DIR, RECORD_FOLDERS, TAXONOMY_FILE
from ..records.sanitize import sanitize
from ..records.taxonomy import Taxonomy
from ..records.types import parse_as_of
from ..records.validate import Result
from .build import InvalidRecords, build
from .charts import ChartCache
from .guide import fill_guide, is_guide_page
from .html_cache import HTML_FOLDER, HtmlCache, RenderedPage, Toc
from .output import write_tree
from .page_cache import PageCache
from .permalinks import accessible_permalinks
from .search_index import index_site
from .search_refresh import SearchRefresher
from .settings import edit_branch, plugin_as_of, retros_nav_label

log = logging.getLogger("mkdocs.plugins.hindsight")

# Generated pages reached through indexes, cause pages and search, never the nav: the nav
# is rendered into every page, so a nav entry per record makes builds quadratic.
_IN_NAV = set(PAGES.values())
# Pages added to the site after knowledge bases had their own mkdocs.yml: in the nav where it
# lists them, else reached through links (unlisted, MkDocs' strict build stopped on a page
# "not included in the nav").
_NAV_IF_LISTED = frozenset({PAGES["glossary"]})


def _in_nav(path: str, config: MkDocsConfig) -> bool:
    """Whether a generated page takes its place in the nav (else it is left out of it)."""
    if path not in _IN_NAV:
        return False
    return path not in _NAV_IF_LISTED or path in _nav_paths(config.nav)


def _nav_paths(nav: object) -> set[str]:
    """Every page path mkdocs.yml's ``nav`` lists (all, where it sets none)."""
    if nav is None:
        return set(_NAV_IF_LISTED)
    found: set[str] = set()
    if isinstance(nav, str):
        found.add(nav)
    elif isinstance(nav, dict):
        for value in nav.values():
            found |= _nav_paths(value)
    elif isinstance(nav, list):
        for item in nav:
            found |= _nav_paths(item)
    return found
GENERATED_FOLDER = f"{CACHE_DIR}/generated"
"""Where a build writes the generated pages MkDocs then reads (derived data, like the cache)."""
# Where Material's tags plugin injects a listing built from every page (the tags index).
_MATERIAL_DIRECTIVE = "<!-- material/"


@dataclass
class Tree:
    """The generated pages `hindsight serve` wrote as real files: the plugin then adds no pages
    and only does what they need of it (nav, edit links, the allowlist once more)."""

    files: dict[str, str] = field(default_factory=dict)
    """Every file of the build folder's ``docs/`` by its path there: its content digest."""
    generated: set[str] = field(default_factory=set)
    """The generated pages' paths (the rest are the hand-written docs)."""
    sources: dict[str, str] = field(default_factory=dict)
    """Record page path → the record file it is generated from (for edit links)."""
    plan_kinds: list[tuple[str, str]] = field(default_factory=list)
    """(title, page path) of each plan kind's checklist, for the navigation."""
    retros_heading: str = RETROS_HEADINGS["monthly"]
    """The retros list's heading, which a nav label in the generator's words follows."""


_DATED: list[bool] = []
"""Whether this process set SOURCE_DATE_EPOCH for the build under way."""


def date_the_build(as_of: dt.date) -> None:
    """Date MkDocs' own build by the as-of date, until `undate_the_build`: the sitemap's
    ``lastmod`` (and its gzip's timestamp) gave the day the site was built, so the same commit
    and as-of date built different files on different days. The environment's own
    SOURCE_DATE_EPOCH wins."""
    if "SOURCE_DATE_EPOCH" in os.environ and not _DATED:
        return
    os.environ["SOURCE_DATE_EPOCH"] = str(calendar.timegm(as_of.timetuple()))
    _DATED[:] = [True]


def undate_the_build() -> None:
    """Take back what `date_the_build` set (later builds in this process, and the programs it
    starts, see the environment as it was)."""
    if _DATED:
        os.environ.pop("SOURCE_DATE_EPOCH", None)
        _DATED.clear()


class HindsightConfig(Config):
    """Options under ``plugins: - hindsight:`` in mkdocs.yml."""

    root = c.Type(str, default=".")
    """The knowledge base's root, relative to mkdocs.yml (holds taxonomy.yml)."""
    as_of = c.Optional(c.Type((str, dt.date)))
    """The date overdue actions are judged by (default: $HINDSIGHT_AS_OF, else today)."""
    branch = c.Optional(c.Type(str))
    """The branch record edit links point at (default: the one ``edit_uri`` names, else
    ``main``)."""
    fail_on_warnings = c.Type(bool, default=False)
    """Log validation warnings as MkDocs warnings (so --strict fails on them)."""
    csv_bom = c.Type(bool, default=False)
    """Start the CSV exports with UTF-8's byte-order mark, so Excel opens them as UTF-8."""


class HindsightPlugin(BasePlugin[HindsightConfig]):
    """Adds Hindsight's generated pages to an MkDocs build."""

    def __init__(self) -> None:
        self.generated_paths: set[str] = set()
        self.sources: dict[str, str] = {}
        self.root = Path(".")
        self.options = RenderOptions()
        self.plan_kinds: list[tuple[str, str]] = []
        # The guide's examples are filled in from it (`fill_guide`); None under `hindsight
        # serve`, which writes the guide's pages filled in already.
        self.taxonomy: Taxonomy | None = None
        self.retros_heading = RETROS_HEADINGS["monthly"]
        # Set by `hindsight build`, which has validated already to print its report: the
        # build then uses that result instead of validating the records a second time.
        self.validated: Result | None = None
        self.as_of: dt.date | None = None
        self.progress: Progress = QUIET
        # Set by `hindsight serve`, which writes the generated pages as real files: the plugin
        # then adds nothing and only does what the pages need of it (nav, edit links).
        self.served: Tree | None = None
        self.html_cache: HtmlCache | None = None
        # Whether this build may use .hindsight-cache/ (not bypassed, not committed to git):
        # asked of git once per build, in on_files.
        self._keep = False
        # Set by `hindsight serve`: the index is refreshed in the background after a rebuild,
        # so the page a save changed is served without waiting for the indexer.
        self.search_refresher: SearchRefresher | None = None
        self._page_keys: dict[str, str] = {}
        self._cached_pages: dict[str, RenderedPage] = {}
        self._on_disk: dict[str, str] = {}  # page → key of its HTML, read when it is written
        # What the search indexer warned about in the last build (`hindsight build --quiet`
        # shows them itself, as it hides MkDocs' INFO lines).
        self.search_warnings: tuple[str, ...] = ()

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        base = Path(config.config_file_path or ".").parent
        self.root = (base / self.config.root).resolve()
        # Headings in any script get an id, as record bodies' do (`HeadingSlug`).
        with_heading_slugs(config.markdown_extensions, config.mdx_configs)
        newest_records_first(config)
        return config

    def on_files(self, files: Files, /, *, config: MkDocsConfig) -> Files:
        _refuse_outside_files(files, os.path.dirname(os.path.abspath(
            config.config_file_path or config.docs_dir)))
        if self.served is not None:
            return self._served_files(files, config)
        try:
            as_of = self.as_of or plugin_as_of(self.config.as_of) or parse_as_of(None)
            date_the_build(as_of)
            # Charts are cached on disk by their data, so `mkdocs serve` rebuilds stay quick.
            keep = self._keep = record_cache.usable(self.root)
            cache = ChartCache(folder=self.root / CACHE_DIR / "charts" if keep else None)
            self.options = RenderOptions(repo_url=config.repo_url or None,
                                         branch=edit_branch(self.config.branch,
                                                            config.edit_uri),
                                         site_url=config.site_url or None,
                                         directory_urls=config.use_directory_urls,
                                         csv_bom=self.config.csv_bom)
            reported = self.validated is not None  # the command line printed its report
            # Pages are kept by what they show, so a rebuild renders only what changed.
            pages = PageCache(folder=self.root if keep else None)
            generated = build(self.root, as_of, self.options, cache, validated=self.validated,
                              progress=self.progress, pages=pages)
            self.validated = None  # a serve rebuild reads the records afresh
        except InvalidRecords as exc:
            for problem in exc.problems.sorted():
                (log.error if problem.severity == "error" else log.info)(problem.format())
            raise PluginError(str(exc)) from None
        except HindsightError as exc:
            raise PluginError(str(exc)) from None
        if generated.provenance.notice and reported:
            # `hindsight build` says it as `generate` does, a warning that --quiet keeps:
            # every author unknown is not a detail to hide among MkDocs' INFO lines.
            click.echo(f"warning: {generated.provenance.notice}", err=True)
        elif generated.provenance.notice:  # MkDocs alone: a warning would fail --strict
            log.info(f"provenance: {generated.provenance.notice}")
        # `hindsight build` printed the warnings in its report already; list them again only
        # when they must fail a strict build, or when MkDocs runs on its own.
        if self.config.fail_on_warnings or not reported:
            warn = log.warning if self.config.fail_on_warnings else log.info
            for problem in generated.result.problems.warnings:
                warn(problem.format())
        for path in generated.files:
            if files.get_file_from_path(path) is not None:
                raise PluginError(f"docs/{path} clashes with a page Hindsight generates; "
                                  "rename or remove the hand-written file")
        try:
            folder = self._write_generated(generated.files)
            for path in generated.files:
                inclusion = (InclusionLevel.UNDEFINED if _in_nav(path, config)
                             else InclusionLevel.NOT_IN_NAV)
                if folder is not None:  # MkDocs reads the page from there when it converts it
                    files.append(File.generated(config, path, abs_src_path=str(folder / path),
                                                inclusion=inclusion))
                else:
                    files.append(File.generated(config, path, content=generated.files[path],
                                                inclusion=inclusion))
        except CacheError as exc:
            raise PluginError(str(exc)) from None
        kb = generated.result.kb
        self.sources = {record_path(e.id): e.path for e in kb.entries} if kb else {}
        self.plan_kinds = [(k.title, plan_path(k.id)) for k in kb.taxonomy.plan_kinds] if kb else []
        self.taxonomy = kb.taxonomy if kb else None
        self.retros_heading = generated.retros_heading
        # Keep only what later events need; the records, links and charts can be freed.
        self.generated_paths = set(generated.files)
        return files

    def _write_generated(self, generated: Mapping[str, bytes]) -> Path | None:
        """Write the generated tree to ``.hindsight-cache/generated/`` (only what changed) so
        that MkDocs reads each page from disk rather than holding every page's bytes for the
        whole build (190 MB at 10,000 records, beside the search indexer at the end). None
        with --no-cache, or if the folder cannot be written: the pages stay in memory."""
        if not self._keep:
            return None
        folder = self.root / GENERATED_FOLDER
        try:
            write_tree(folder, generated, self.root)
        except CacheError:
            raise  # the same pages could not be read into memory either
        except (OSError, HindsightError) as exc:
            log.info(f"generated pages kept in memory: {GENERATED_FOLDER}/ could not be written "
                     f"({exc})")
            return None
        return folder

    def _served_files(self, files: Files, config: MkDocsConfig) -> Files:
        tree = self.served
        assert tree is not None
        self.options = RenderOptions(repo_url=config.repo_url or None,
                                     branch=edit_branch(self.config.branch, config.edit_uri),
                                     directory_urls=config.use_directory_urls,
                                     csv_bom=self.config.csv_bom)
        self.generated_paths = tree.generated
        self.sources, self.plan_kinds = tree.sources, tree.plan_kinds
        self.taxonomy = None  # the guide's pages were written filled in
        self.retros_heading = tree.retros_heading
        for file in files:
            if file.src_uri in tree.generated and not _in_nav(file.src_uri, config):
                file.inclusion = InclusionLevel.NOT_IN_NAV
        return files

    def on_page_markdown(
        self, markdown: str, /, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str | None:
        # A generated page converted before from the same Markdown, against the same pages
        # and configuration, is not converted again: the engine gets an empty page, and
        # on_page_content puts the cached HTML, title, anchors and contents back.
        uri = page.file.src_uri
        if uri not in self.generated_paths and self.taxonomy is not None \
                and is_guide_page(uri):
            # The guide's examples in this knowledge base's ids, not the sample's.
            return fill_guide(markdown, self.taxonomy)
        if self.html_cache is None or uri not in self.generated_paths:
            return markdown
        if _MATERIAL_DIRECTIVE in markdown:
            return markdown  # filled in by Material from every page's tags after conversion
        key = self.html_cache.key(uri, markdown)
        cached = self.html_cache.get(key)
        self._page_keys[uri] = key
        if cached is None:
            return markdown
        self._cached_pages[uri] = cached
        return ""

    def on_page_content(
        self, html: str, /, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str | None:
        # A cached page's HTML stays on disk until the page is written (on_page_context):
        # MkDocs converts every page before writing any, and ten thousand pages' HTML held
        # at once is hundreds of megabytes.
        uri = page.file.src_uri
        cached = self._cached_pages.pop(uri, None)
        if cached is not None:
            page.toc = get_toc(cached.toc)  # type: ignore[arg-type]
            # MkDocs 1.x is final: this attribute is where Page.render leaves the first
            # heading's text, which the page's title falls back to.
            page._title_from_render = cached.title
            page.present_anchor_ids = set(cached.anchors)
            # Its links into other pages' sections are checked as a converted page's are.
            page.links_to_anchors = {target: links for uri, links in cached.links.items()
                                     if (target := files.get_file_from_path(uri)) is not None}
            self._on_disk[uri] = self._page_keys.pop(uri)
            return ""
        if uri not in self.generated_paths:
            return html
        # Defence in depth: a generated page's HTML passes the allowlist once more, whatever
        # the Markdown made of it (record text is already escaped or sanitized upstream).
        clean = sanitize(html)
        key = self._page_keys.pop(uri, None)
        if key is not None and self.html_cache is not None and self.html_cache.put(
                key, RenderedPage(html=clean, title=page._title_from_render,
                                  anchors=sorted(page.present_anchor_ids or ()),
                                  toc=_toc_tokens(page.toc),
                                  links={target.src_uri: dict(links) for target, links
                                         in (page.links_to_anchors or {}).items()})):
            self._on_disk[uri] = key
            page.markdown = ""  # converted: MkDocs reads only the HTML from here on
            return ""
        return clean

    def on_nav(self, nav: Navigation, /, *, config: MkDocsConfig, files: Files) -> Navigation:
        # The records, links and analysis were let go when on_files returned: give their
        # memory back before MkDocs converts and renders every page.
        release()
        self._open_html_cache(config, files)
        # A label mkdocs.yml gives the retros list wins over the page's title: one in the
        # generator's words ("Monthly retros") follows the heading, the company's own stays.
        # (Unlabelled, the page has no title yet: MkDocs takes its heading.)
        retros = next((p for p in nav.pages if p.file.src_uri == PAGES["retros"]), None)
        if retros is not None and retros.title is not None:
            retros.title = retros_nav_label(retros.title, self.retros_heading)
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
            # The theme writes navigation titles into its HTML as they are: escaped here
            # (validation already refuses markup in taxonomy titles).
            page = Page(html.escape(title, quote=False), file, config)
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

    def _open_html_cache(self, config: MkDocsConfig, files: Files) -> None:
        """The HTML cache for this build (None with --no-cache or when it is committed)."""
        self.html_cache = None
        self._page_keys, self._cached_pages, self._on_disk = {}, {}, {}
        # Under `hindsight serve` the dirty build converts only what changed; pruning after
        # it would empty the cache of every page it did not touch.
        if not record_cache.enabled() or self.served is not None:
            return
        if not self._keep:  # enabled, so refused: committed to git
            log.info(record_cache.COMMITTED_NOTICE)
            return
        # Everything a conversion reads besides the page: the Markdown configuration, how
        # URLs are formed, and every file a link may resolve against.
        settings = {"extensions": config.markdown_extensions, "configs": config.mdx_configs,
                    "directory_urls": config.use_directory_urls,
                    "files": sorted(f.src_uri for f in files)}
        self.html_cache = HtmlCache(self.root / CACHE_DIR / HTML_FOLDER, settings)

    def on_page_context(
        self, context: TemplateContext, /, *, page: Page, config: MkDocsConfig, nav: Navigation
    ) -> TemplateContext:
        key = self._on_disk.get(page.file.src_uri)
        if key is not None and self.html_cache is not None:
            html = self.html_cache.html(key)
            if html is None:
                raise PluginError(f"the cached HTML of {page.file.src_uri} went missing during "
                                  f"the build; build again (or with --no-cache)")
            page.content = html
        # Edit links: a record page edits its source record; other generated pages have no
        # source to edit, so their (wrong) docs/ edit link is removed.
        if page.file.src_uri in self.generated_paths:
            source = self.sources.get(page.file.src_uri)
            page.edit_url = self.options.edit_url(source) if source else None
        return context

    def on_post_page(self, output: str, /, *, page: Page, config: MkDocsConfig) -> str | None:
        if page.file.src_uri in self._on_disk:
            page.content = ""  # written: its HTML is on disk, in the cache and the site
        # Every page's headings, the guide's too: named without their permalink's sign.
        return accessible_permalinks(output)

    def on_build_error(self, *, error: Exception) -> None:
        undate_the_build()

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        undate_the_build()  # the sitemap is written: the date has done its work
        # The search index is built from the finished site, so it runs after every build
        # (each `mkdocs serve` rebuild too, which writes a fresh site folder).
        if self.html_cache is not None:
            self.html_cache.prune()
        if self.search_refresher is not None:
            self.search_refresher.request(Path(config.site_dir))
            return
        self.progress.stage("search index (Pagefind)", 0, 1)
        # The indexer runs beside this process: hand back what the build has let go first.
        give_back()
        try:
            report = index_site(Path(config.site_dir))
        except HindsightError as exc:
            raise PluginError(str(exc)) from None
        log.info(f"search index: {report.pages} pages in {report.seconds:.1f} s, "
                 f"indexer peak {report.peak_mib:.0f} MiB, "
                 f"{report.together_mib:.0f} MiB with the build's own process")
        # Shown, not MkDocs warnings: the search is worse for them, but a strict build must
        # not stop on what a new indexer version says (as validation warnings do not).
        self.search_warnings = report.warnings
        for warning in report.warnings:
            log.info(f"search index: warning: {warning}")
        self.progress.stage("search index (Pagefind)", 1, 1)

    def on_serve(self, server: Any, /, *, config: MkDocsConfig, builder: Any) -> Any:
        # `mkdocs serve` only watches docs/ and mkdocs.yml; records live beside them.
        for folder in RECORD_FOLDERS:
            path = self.root / folder
            if path.is_dir():
                server.watch(os.fspath(path))
        server.watch(os.fspath(self.root / TAXONOMY_FILE))
        return server


def _refuse_outside_files(files: Files, project_dir: str) -> None:
    """Stop the build on a file of the project (docs/, the theme's overrides/) that is, or
    lies under, a link to somewhere outside the project.

    MkDocs follows symbolic links and publishes what they point at: a link committed in a
    pull request (``overrides/env.txt -> /proc/self/environ``, ``docs -> /home``) would
    publish the files of the machine that builds."""
    base = os.path.realpath(project_dir)
    inside = project_dir.rstrip(os.sep) + os.sep
    # Resolved once per folder (tens of them), not once per file (ten thousand pages): a
    # file that is not itself a link lies where its folder really is.
    folders: dict[str, str] = {}
    for file in files:
        source = file.abs_src_path
        if source is None or not source.startswith(inside):
            continue  # generated, or a file of an installed theme
        folder, name = os.path.split(source)
        if folder not in folders:
            folders[folder] = os.path.realpath(folder)
        real = (os.path.realpath(source) if os.path.islink(source)
                else os.path.join(folders[folder], name))
        if not real.startswith(base + os.sep):
            shown = os.path.relpath(source, project_dir)
            raise PluginError(f"{shown} is, or lies under, a symbolic link to somewhere "
                              "outside the project; the site publishes only the project's own "
                              "files: copy the file in, or remove the link")


def _toc_tokens(toc: Iterable[AnchorLink]) -> Toc:
    """A table of contents back as the tokens it was built from (for the HTML cache)."""
    return [{"level": a.level, "id": a.id, "name": a.title, "children": _toc_tokens(a.children)}
            for a in toc]


def newest_records_first(config: MkDocsConfig) -> None:
    """The tags index lists each tag's pages by title: after years, a cause's retros read
    "January 2019, January 2020, … July 2019". Its hub pages (a cause, a plan kind) first,
    then its records newest first, unless mkdocs.yml sorts the listings its own way."""
    from material.plugins.tags import item_title  # type: ignore[import-untyped]

    tags = config.plugins.get("material/tags")
    if tags is not None and getattr(tags.config, "listings_sort_by", None) is item_title:
        tags.config.listings_sort_by = _newest_record_first


_PERIOD = re.compile(r"records/(\d{4})-(?:(\d{2})|q([1-4]))")
"""A record page's address begins with its month or quarter (its id)."""


def _newest_record_first(mapping: Any) -> tuple[int, int, str]:
    """The sort key of a page in a tag's listing (see `newest_records_first`)."""
    item = mapping.item
    file = getattr(item, "file", None)
    found = _PERIOD.match(getattr(file, "src_uri", "") or "")
    if found is None:
        return (0, 0, str(item.title))
    month = int(found.group(2)) if found.group(2) else 3 * int(found.group(3))
    return (1, -(int(found.group(1)) * 12 + month), str(item.title))
