"""Build the site with a site engine: MkDocs (through the plugin) or Zensical (plugin-free).

MkDocs runs in this process so the records the command line validated are handed to the
plugin, not validated again. Zensical has no plugin API: the generated tree is written into
a build folder beside the hand-written docs, with a derived configuration, and built there.
"""

from __future__ import annotations

import calendar
import dataclasses
import datetime as dt
import gzip
import html
import importlib.util
import json
import logging
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import click
import yaml

from ..errors import BuildError, ConfigError
from ..paths import PAGES, RenderOptions, plan_path, record_path
from ..progress import QUIET, Progress
from ..records import record_cache
from ..records.body import HEADING_SLUG_OBJECT
from ..records.corpus import KnowledgeBase
from ..records.load import CACHE_DIR, RECORD_FOLDERS
from ..records.validate import Result
from .build import build as generate
from .charts import ChartCache
from .guide import fill_guide_files
from .output import write_tree
from .permalinks import label_site
from .search_index import index_site
from .second_pass import EXTENSION as SECOND_PASS
from .settings import mkdocs_config, plugin_options, retros_nav_label

ENGINES = ("mkdocs", "zensical")
"""The site engines ``hindsight build --engine`` knows."""

ZENSICAL_FOLDER = f"{CACHE_DIR}/zensical"
"""Where the Zensical build folder lives, under the knowledge base's root (Zensical writes
its site inside its project folder; the result is then copied to the site folder)."""

_EDIT_ACTION = """{#- Hindsight: a page's front matter `edit_url` (empty: no edit link) wins over
    the one built from edit_uri, which for a generated page names a file that does not exist. -#}
{% set edit_url = page.meta.edit_url if (page.meta and "edit_url" in page.meta)
   else page.edit_url %}
{% if edit_url and "content.action.edit" in features %}
  <a href="{{ edit_url }}" title="{{ lang.t('action.edit') }}" class="md-content__button md-icon"
     rel="edit">
    {% set icon = config.theme.icon.edit or "material/file-edit-outline" %}
    {% include ".icons/" ~ icon ~ ".svg" %}
  </a>
{% endif %}
"""


_TAG_LISTING = """{#- Hindsight: what the plugin's newest_records_first does under MkDocs (Zensical has no
    plugin, and its listings_sort_by takes only the theme's own sort keys): under each tag its
    hub pages (a cause, a plan kind) first by title, then its records by their month or
    quarter, newest first. And the tag's heading gets its permalink, as under MkDocs. -#}
{%- macro render(listing) %}
  {%- set content = listing.content %}
  {%- if @PERMALINK@ and listing.tag is defined and content[-5:-2] == "</h" %}
  {{ content[:-5] -}}
  <a class="headerlink" href="#{{ listing.tag.slug }}" title="@TITLE@">@SIGN@</a>
  {{- content[-5:] }}
  {%- else %}
  {{ content }}
  {%- endif %}
  {#- A title ends with a character below any a title holds, so a title that begins another
      sorts first, as the plugin's sort compares titles: "October 2026" before "October 2026,
      sprint 2" ("|" after it put the sprint 2 first). #}
  {%- set digits = "0123456789" %}
  {%- set ns = namespace(keyed={}) %}
  {%- for mapping in listing.mappings %}
    {%- set url, title = mapping.item.url, mapping.item.title | string %}
    {%- set year, month = url[8:12], url[13:15] %}
    {%- set quarter = month[:1] == "q" and month[1:] in ["1", "2", "3", "4"] %}
    {%- set order = 1000000 + loop.index0 %}
    {%- if url[:8] == "records/" and url[12:13] == "-" and year | length == 4
          and not (year | list | reject("in", digits) | list)
          and month | length == 2 and (quarter or not (month | list | reject("in", digits) | list)) %}
      {%- set months = year | int * 12 + (month[1:] | int * 3 if quarter else month | int) %}
      {%- set key = "1|" ~ (1000000 - months) ~ "|" ~ title ~ "\\u0001" ~ order %}
    {%- else %}
      {%- set key = "0|" ~ title ~ "\\u0001" ~ order %}
    {%- endif %}
    {%- set ns.keyed = dict(ns.keyed, **{key: mapping}) %}
  {%- endfor %}
  <ul>
    {% for key, mapping in ns.keyed | dictsort(case_sensitive=true, reverse=@REVERSE@) %}
      <li>
        <a href="{{ mapping.item.url | url }}">
          {{ mapping.item.title }}
        </a>
      </li>
    {% endfor %}
    {% for child in listing %}
      <li style="list-style-type:none">{{ render(child) }}</li>
    {% endfor %}
  </ul>
{% endmacro %}
{{ render(listing) }}
"""
"""The theme's tag listing (``fragments/tags/default/listing.html``) for a Zensical build."""

TAG_LISTING_PATH = "fragments/tags/default/listing.html"
"""Where the theme looks for a tags listing's template (under ``custom_dir``)."""


def tag_listing(config: Mapping[str, Any]) -> bytes | None:
    """The tag listing template for a Zensical build of ``config`` (the derived mkdocs.yml),
    or None where mkdocs.yml sorts the listings by a key of its own or lays them out its own
    way."""
    reverse = False
    for plugin in config.get("plugins") or []:
        if isinstance(plugin, dict) and len(plugin) == 1:
            (name, options), = plugin.items()
            if str(name).removeprefix("material/") == "tags" and isinstance(options, dict):
                if "listings_sort_by" in options or options.get(
                        "listings_layout", "default") != "default":
                    return None
                # As under MkDocs, where the plugin's order is reversed by this option too.
                reverse = bool(options.get("listings_sort_reverse"))
    permalink, title = _toc_permalink(config)
    text = _TAG_LISTING.replace("@PERMALINK@", "true" if permalink else "false")
    text = text.replace("@REVERSE@", "true" if reverse else "false")
    text = text.replace("@TITLE@", html.escape(title)).replace(
        "@SIGN@", "&para;" if permalink is True or not isinstance(permalink, str)
        else html.escape(permalink))
    return text.encode()


def _toc_permalink(config: Mapping[str, Any]) -> tuple[object, str]:
    """The toc extension's ``permalink`` and ``permalink_title`` in ``config`` (Zensical's
    defaults, a permalink on every heading, when it lists no Markdown extensions)."""
    extensions = config.get("markdown_extensions")
    if extensions is None:
        return True, "Permanent link"
    for item in extensions if isinstance(extensions, list) else [extensions]:
        options: Any = None
        if isinstance(item, dict):
            options = item.get("toc", item.get("markdown.extensions.toc"))
        if isinstance(options, dict):
            return options.get("permalink") or False, str(
                options.get("permalink_title") or "Permanent link")
    return False, "Permanent link"


def configured_site_dir(root: Path) -> Path:
    """The site folder mkdocs.yml names (``site_dir``, relative to its own folder as MkDocs
    reads it; ``site`` by default)."""
    value = mkdocs_config(root).get("site_dir") or "site"
    return (root / str(value)).resolve()


def check_site_dir(site_dir: Path, root: Path, named: str = "--site-dir") -> None:
    """The site folder is replaced: never the knowledge base, its records or a parent, its
    git repository, or a folder that holds files committed to it (the hand-written pages,
    the theme's overrides). ``named`` says where the folder was given."""
    site, base = site_dir.resolve(), root.resolve()
    if site == base or site in base.parents or any(
            site == base / folder or (base / folder) in site.parents for folder in RECORD_FOLDERS):
        raise ConfigError(f"{named} {site_dir} would replace the knowledge base or its "
                          "records; pick a folder of its own")
    if base in site.parents:
        if ".git" in site.relative_to(base).parts:
            raise ConfigError(f"{named} {site_dir} would replace the git repository; pick "
                              "a folder of its own")
        if _committed_under(base, site):
            raise ConfigError(f"{named} {site_dir} holds files committed to git, which the "
                              "build would delete; pick a folder of its own (the default is "
                              "site/)")
    _check_replaceable(site_dir, named)


_BUILT_SITE = {"pagefind", "sitemap.xml", "404.html"}
"""Besides index.html, what a folder built by a site engine holds (one of them is enough)."""


_SITE_HIDDEN = {".git", ".nojekyll", ".gitignore", ".gitattributes", ".well-known", ".DS_Store"}
"""Hidden files a site's folder may hold before its first build (a checkout of the branch
pages are published from): every engine keeps hidden files when it replaces a site."""


def _check_replaceable(site_dir: Path, named: str) -> None:
    """A folder that already holds files must be a site built before (an index.html and one of
    `_BUILT_SITE`): anything else in it would be deleted without a word, as MkDocs empties the
    folder. An index.html alone is not enough: any folder of documents may have one. Hidden
    files are kept, but a folder of someone's own hidden files (a home folder's) is no place
    for a site either."""
    try:
        names = sorted(p.name for p in site_dir.iterdir())
    except (FileNotFoundError, NotADirectoryError):
        return
    visible = [name for name in names if not name.startswith(".")]
    if visible and not ("index.html" in visible and _BUILT_SITE & set(visible)):
        shown = ", ".join(visible[:3]) + (", …" if len(visible) > 3 else "")
        raise ConfigError(f"{named} {site_dir} holds files that are not a built site "
                          f"({shown}), which the build would delete; pick an empty or new "
                          "folder, or remove them first")
    own = [name for name in names if name.startswith(".") and name not in _SITE_HIDDEN]
    if not visible and own:
        shown = ", ".join(own[:3]) + (", …" if len(own) > 3 else "")
        raise ConfigError(f"{named} {site_dir} holds hidden files of its own ({shown}), not "
                          "a built site; pick an empty or new folder")


def _replace_site(built: Path, target: Path) -> None:
    """Put the site ``built`` in ``target``, as MkDocs does: everything in it is replaced but
    its hidden files (a checkout's ``.git``, ``.nojekyll``), which stay."""
    target.mkdir(parents=True, exist_ok=True)
    for entry in target.iterdir():
        if entry.name.startswith("."):
            continue
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry)
        else:
            entry.unlink()
    shutil.copytree(built, target, dirs_exist_ok=True)


def _committed_under(root: Path, folder: Path) -> bool:
    """Whether git tracks any file in ``folder`` (False where there is no git)."""
    try:
        found = subprocess.run(["git", "ls-files", "-z", "--", str(folder)], cwd=root,
                               capture_output=True, timeout=60, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return found.returncode == 0 and bool(found.stdout.strip(b"\0"))


# --- MkDocs -------------------------------------------------------------------------------


class _ClickHandler(logging.Handler):
    """Log lines through click, as `mkdocs build` does: colour on a terminal, plain text in a
    file or a CI log (a StreamHandler wrote the escape codes everywhere)."""

    def emit(self, record: logging.LogRecord) -> None:
        try:
            click.echo(self.format(record), err=True)
        except Exception:
            self.handleError(record)


def mkdocs_logging() -> tuple[logging.Logger, logging.Handler]:
    """Show MkDocs' messages as `mkdocs build` does (INFO and up, its colours); the caller
    removes the returned handler when the build is over."""
    from mkdocs.__main__ import ColorFormatter

    logger = logging.getLogger("mkdocs")
    handler = _ClickHandler()
    handler.setFormatter(ColorFormatter())
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False
    return logger, handler


def build_with_mkdocs(root: Path, as_of: dt.date, validated: Result, site_dir: Path | None,
                      progress: Progress = QUIET, quiet: bool = False) -> int:
    """Run a strict MkDocs build in this process; the plugin takes ``validated`` as is.
    ``quiet``: MkDocs' INFO lines are left out (its warnings and errors still show)."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort, ConfigurationError, MkDocsException

    from .plugin import HindsightPlugin

    if site_dir is not None:
        site_dir = site_dir.resolve()  # where the command runs, not mkdocs.yml's folder
        check_site_dir(site_dir, root)
    else:  # mkdocs.yml's site_dir is checked the same way: a one-line change can name retros/
        site_dir = configured_site_dir(root)
        check_site_dir(site_dir, root, "site_dir in mkdocs.yml:")
    logger, handler = mkdocs_logging()
    if quiet:
        logger.setLevel(logging.WARNING)
    try:
        try:
            config = load_config(config_file=str(root / "mkdocs.yml"), strict=True,
                                 site_dir=str(site_dir))
        except (ConfigurationError, Abort) as exc:  # mkdocs.yml's mistake (a plugin mistyped)
            logger.error(str(exc))
            return 2
        for plugin in config.plugins.values():
            if isinstance(plugin, HindsightPlugin):
                plugin.validated, plugin.as_of, plugin.progress = validated, as_of, progress
        # The plugin holds the records now; once it has generated the pages it lets them go,
        # and MkDocs renders ten thousand pages without them in memory.
        del validated
        progress.stage("engine build (MkDocs)", 0, 1)
        config.plugins.on_startup(command="build", dirty=False)
        try:
            build(config)
        finally:
            config.plugins.on_shutdown()
        progress.stage("engine build (MkDocs)", 1, 1)
        if quiet:  # the plugin logged them as INFO lines, which --quiet leaves out
            for plugin in config.plugins.values():
                if isinstance(plugin, HindsightPlugin):
                    show_search_warnings(plugin.search_warnings)
    except MkDocsException as exc:
        logger.error(str(exc))
        return 1
    finally:
        logger.removeHandler(handler)
    return 0


def show_search_warnings(warnings: Iterable[str]) -> None:
    """Print what the search indexer warned about, one line each, on standard error."""
    for warning in warnings:
        click.echo(f"search index: warning: {warning}", err=True)


# --- Zensical -----------------------------------------------------------------------------


def zensical_project(root: Path, as_of: dt.date, validated: Result, options: RenderOptions,
                     progress: Progress = QUIET) -> Path:
    """Write the Zensical build folder; return its configuration file.

    The folder holds ``docs/`` (the hand-written pages, then the generated tree), a derived
    ``mkdocs.yml`` without the Hindsight plugin, and a theme override that honours each
    generated page's ``edit_url``.
    """
    project = root / ZENSICAL_FOLDER
    files = zensical_files(root, as_of, validated, options, progress)
    write_tree(project, files, root, manifest=record_cache.usable(root))
    return project / "mkdocs.yml"


def zensical_files(root: Path, as_of: dt.date, validated: Result, options: RenderOptions,
                   progress: Progress = QUIET, notice: bool = True) -> dict[str, bytes]:
    """What a Zensical project folder holds (`zensical_project`), by path in it; ``notice``:
    say where record dates come from when git cannot tell (a server says it once)."""
    keep = record_cache.usable(root)
    cache = ChartCache(folder=root / CACHE_DIR / "charts" if keep else None)
    # Zensical rewrites links inside raw HTML as it does Markdown links: give it .md paths.
    options = dataclasses.replace(options, html_links="source")
    generated = generate(root, as_of, options, cache, validated=validated, progress=progress)
    if generated.provenance.notice and notice:
        click.echo(f"warning: {generated.provenance.notice}", err=True)
    kb = generated.result.kb
    files: dict[str, bytes] = {}
    docs = root / mkdocs_config(root).get("docs_dir", "docs")
    if docs.is_dir():
        for path in sorted(docs.rglob("*")):
            if path.is_file() and not path.is_symlink():
                files[f"docs/{path.relative_to(docs).as_posix()}"] = path.read_bytes()
    if kb is not None:  # the guide's examples in this knowledge base's ids
        files = fill_guide_files(files, kb.taxonomy, prefix="docs/")
    for path, content in with_edit_urls(generated.files, kb, options).items():
        if f"docs/{path}" in files:
            raise BuildError(f"docs/{path} clashes with a page Hindsight generates; "
                             "rename or remove the hand-written file")
        files[f"docs/{path}"] = content
    theme = mkdocs_config(root).get("theme")
    custom = root / str(theme["custom_dir"]) if isinstance(theme, dict) and isinstance(
        theme.get("custom_dir"), str) else None
    if custom is not None and custom.is_dir():  # the site's own overrides come along
        for path in sorted(custom.rglob("*")):
            if path.is_file() and not path.is_symlink():
                files[f"overrides/{path.relative_to(custom).as_posix()}"] = path.read_bytes()
    files["overrides/partials/actions.html"] = _EDIT_ACTION.encode()
    config = _derived_config(root)
    listing = tag_listing(config)
    if listing is not None and f"overrides/{TAG_LISTING_PATH}" not in files:
        files[f"overrides/{TAG_LISTING_PATH}"] = listing
    if kb is not None and isinstance(config.get("nav"), list):
        # What the plugin's on_nav does under MkDocs: each plan kind's checklist after the
        # "Before you plan" index (the kinds come from taxonomy.yml, so mkdocs.yml lacks them).
        config["nav"] = _with_plan_kinds(config["nav"], [
            {kind.title: plan_path(kind.id)} for kind in kb.taxonomy.plan_kinds])
        # What the plugin's on_nav does too: a label in the generator's words for the retros
        # list follows its heading ("Retros" once a sprint team is beside monthly ones).
        config["nav"] = _with_retros_label(config["nav"], generated.retros_heading)
    files["mkdocs.yml"] = yaml.safe_dump(config, sort_keys=False, allow_unicode=True).encode()
    return files


def with_edit_urls(files: Mapping[str, bytes], kb: KnowledgeBase | None,
                   options: RenderOptions) -> dict[str, bytes]:
    """The generated files with each page's edit link in its front matter: a record page's
    to its source file, none on the others (Zensical has no plugin to give them one)."""
    sources = {record_path(e.id): e.path for e in kb.entries} if kb else {}
    return {path: with_edit_url(content, options.edit_url(sources[path]) if path in sources
                                else "") if path.endswith(".md") else content
            for path, content in files.items()}


def with_edit_url(page: bytes, url: str | None) -> bytes:
    """The page with ``edit_url`` in its front matter (an empty one means no edit link)."""
    line = f"edit_url: {json.dumps(url or '')}\n".encode()
    if page.startswith(b"---\n"):
        return b"---\n" + line + page[4:]
    return b"---\n" + line + b"---\n\n" + page


_ENGINE_INFO = re.compile(r"^(?:\x1b\[[0-9;]*m)*(?:Build started|No issues found|"
                          r"Build finished in )")
"""Zensical's lines that say all is well (left out under ``--quiet``, as MkDocs' INFO lines)."""


_CITED = re.compile(r"\[ ([^\s\]]+?):\d+:\d+ \]")
"""Where Zensical's report of an issue names its file (``╭─[ guide/x.md:9:14 ]``), relative
to its docs folder."""

_SOURCE_ROOT = str(Path(__file__).resolve().parents[2])
"""The folder that holds this ``generator`` package."""


def _run_engine(command: list[str], cwd: Path, quiet: bool = False,
                cited: list[str] | None = None) -> int:
    """Run a site engine, passing its output through as it comes, except a Python traceback:
    the engine's own messages say what is wrong, and its stack says nothing a user can act on.
    ``quiet`` leaves out the lines that only say the build went well; the files the engine's
    issues name are added to ``cited``."""
    process = subprocess.Popen(command, cwd=cwd, env=engine_env(), stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True, errors="replace")
    pass_through(process, quiet, cited)
    return process.wait()


def engine_env() -> dict[str, str]:
    """The environment a site engine runs in."""
    env = dict(os.environ)
    # The derived configuration names this package's heading slugs: the engine imports the
    # same code as the command that runs it, wherever that code is.
    env["PYTHONPATH"] = os.pathsep.join(p for p in (_SOURCE_ROOT, env.get("PYTHONPATH")) if p)
    return env


def pass_through(process: subprocess.Popen[str], quiet: bool = False,
                 cited: list[str] | None = None) -> None:
    """Print what the engine ``process`` says until it ends its output, as `_run_engine`
    does."""
    assert process.stdout is not None
    in_traceback = False
    for line in process.stdout:
        if cited is not None:
            cited.extend(found for found in _CITED.findall(click.unstyle(line))
                         if found not in cited)
        if line.startswith("Traceback (most recent call last):"):
            in_traceback = True
            continue
        if in_traceback:
            # The stack's lines are indented; the exception's own line ends it.
            in_traceback = line[:1].isspace()
            continue
        if quiet and _ENGINE_INFO.match(line):
            continue
        # Zensical colours its output even when it is not on a terminal (and under NO_COLOR):
        # click drops the escape codes where they would be noise.
        click.echo(line, nl=False)


def _with_plan_kinds(nav: list[Any], kinds: list[dict[str, str]]) -> list[Any]:
    """``nav`` with ``kinds`` inserted right after the entry of the plan index, wherever it is."""
    out: list[Any] = []
    for item in nav:
        if isinstance(item, dict) and len(item) == 1:
            (title, value), = item.items()
            if isinstance(value, list):
                item = {title: _with_plan_kinds(value, kinds)}
        out.append(item)
        target = item if isinstance(item, str) else next(iter(item.values()), None) \
            if isinstance(item, dict) and len(item) == 1 else None
        if target == PAGES["plan"]:
            out.extend(kinds)
    return out


def _with_retros_label(nav: list[Any], heading: str) -> list[Any]:
    """``nav`` with the retros list's label as `retros_nav_label` gives it, wherever it is."""
    out: list[Any] = []
    for item in nav:
        if isinstance(item, dict) and len(item) == 1:
            (title, value), = item.items()
            if isinstance(value, list):
                item = {title: _with_retros_label(value, heading)}
            elif value == PAGES["retros"] and isinstance(title, str):
                item = {retros_nav_label(title, heading): value}
        out.append(item)
    return out


def _derived_config(root: Path) -> dict[str, Any]:
    data = mkdocs_config(root)
    data["plugins"] = [p for p in data.get("plugins") or []
                       if p != "hindsight" and not (isinstance(p, dict) and "hindsight" in p)]
    if not any(name in ("search", "material/search") for name in _plugin_names(data["plugins"])):
        # Zensical runs its own search unless told not to, as MkDocs does only when mkdocs.yml
        # lists it: its search.json held every section's text (814 KB on the sample, growing
        # with the knowledge base), and nothing reads it, the site's search being Pagefind.
        data["plugins"].append({"search": dict(_SEARCH_OFF["search"])})
    data["docs_dir"] = "docs"
    data["site_dir"] = "site"
    theme = data.get("theme")
    theme = dict(theme) if isinstance(theme, dict) else {"name": "material"}
    theme["custom_dir"] = "overrides"
    # Zensical's own look ("modern": a see-through header, other icons and links) is not the
    # site's: its classic variant is Material's, which the site's colours and layout are for.
    theme.setdefault("variant", "classic")
    data["theme"] = theme
    if "markdown_extensions" in data:  # absent, Zensical's own defaults apply, left as they are
        data["markdown_extensions"] = with_plain_code(
            with_heading_slugs(data["markdown_extensions"]))
    docs = root / str(mkdocs_config(root).get("docs_dir") or "docs")
    hand_written = sorted(path.relative_to(docs).as_posix() for path in docs.rglob("*.md")
                          if path.is_file()) if docs.is_dir() else []
    extensions = data["markdown_extensions"] if "markdown_extensions" in data else (
        zensical_default_extensions())
    if extensions is not None:
        data["markdown_extensions"] = with_second_pass(extensions, hand_written)
    return data


def with_second_pass(extensions: Any, hand_written: list[str]) -> Any:
    """``extensions`` (a configuration's ``markdown_extensions``) with `second_pass` last:
    every page but the ``hand_written`` ones (paths in the docs folder) has its converted HTML
    sanitized once more, as the plugin's ``on_page_content`` does under MkDocs. Without it a
    generated page's links under Zensical lacked the ``rel="noopener noreferrer"`` the
    sanitizer gives every link (a record page's link to its source on the git host among
    them)."""
    options = {"hand_written": list(hand_written)}
    if isinstance(extensions, dict):
        return {**extensions, SECOND_PASS: options}
    if isinstance(extensions, list):
        return [*extensions, {SECOND_PASS: options}]
    return extensions


def zensical_default_extensions() -> list[Any] | None:
    """Zensical's own Markdown extensions (what it uses when mkdocs.yml lists none), written
    as a configuration names them (a function by its dotted name), so one can be added
    without losing the others; None where Zensical is not installed."""
    try:
        from zensical.config import DEFAULT_MARKDOWN_EXTENSIONS
    except ImportError:
        return None

    def named(value: Any) -> Any:
        if callable(value):
            return f"{value.__module__}.{value.__qualname__}"
        if isinstance(value, dict):
            return {key: named(item) for key, item in value.items()}
        if isinstance(value, list):
            return [named(item) for item in value]
        return value

    return [{name: named(options)} for name, options in DEFAULT_MARKDOWN_EXTENSIONS.items()]


_CODE_EXTENSIONS = frozenset({
    "pymdownx.highlight", "pymdownx.superfences", "pymdownx.extra", "codehilite",
    "markdown.extensions.codehilite"})
"""The Markdown extensions that colour code blocks (or set how they are coloured)."""
_PLAIN_CODE = {"pymdownx.highlight": {"use_pygments": False}}
"""What keeps Zensical from colouring code blocks that mkdocs.yml does not ask to colour."""


def with_plain_code(extensions: Any) -> Any:
    """mkdocs.yml's ``markdown_extensions`` with code blocks left uncoloured where it lists
    no extension that colours them: MkDocs writes a fenced block as plain text then, but
    Zensical always adds SuperFences, which coloured every block with Pygments (the guide's
    `hindsight new retro --period 2026-05` had its 2026 in red, as a number). An extension
    mkdocs.yml lists that colours code is left to do so, under either engine."""
    if isinstance(extensions, dict):
        if _CODE_EXTENSIONS & set(extensions):
            return extensions
        return {**extensions, **{name: dict(options) for name, options in _PLAIN_CODE.items()}}
    if not isinstance(extensions, list):
        return extensions
    names = {item if isinstance(item, str) else next(iter(item), None)
             for item in extensions if isinstance(item, (str, dict))}
    if _CODE_EXTENSIONS & names:
        return extensions
    return [*extensions, *({name: dict(options)} for name, options in _PLAIN_CODE.items())]


_SEARCH_OFF = {"search": {"enabled": False}}
"""How the derived configuration turns Zensical's own search off."""
_ENGINE_SEARCH = "search.json"
"""Zensical's own search index, at the top of the site."""


def _search_turned_off(config: Path) -> bool:
    """Whether the derived configuration ``config`` turned Zensical's own search off."""
    data = yaml.safe_load(config.read_text(encoding="utf-8")) or {}
    return _SEARCH_OFF in (data.get("plugins") or [])


def _plugin_names(plugins: list[Any]) -> list[str]:
    """The names of the plugins an mkdocs.yml ``plugins:`` list names."""
    return [str(p) if not isinstance(p, dict) else str(next(iter(p), "")) for p in plugins]


_TOC = ("toc", "markdown.extensions.toc")


def with_heading_slugs(extensions: Any) -> Any:
    """mkdocs.yml's ``markdown_extensions`` with the toc extension's ``slugify`` set to the
    one the plugin sets under MkDocs (`HeadingSlug`: ``## 振り返りの書き方`` gets that id, not
    ``_1``), named as Zensical's configuration names a function (an object it imports and
    calls); a ``slugify`` mkdocs.yml sets stays. Both engines always use the toc extension."""
    slug = {"slugify": {"object": HEADING_SLUG_OBJECT}}

    def with_slug(options: Any) -> dict[str, Any]:
        options = dict(options) if isinstance(options, dict) else {}
        return options if options.get("slugify") else {**options, **slug}

    if isinstance(extensions, dict):
        name = next((n for n in _TOC if n in extensions), "toc")
        return {**extensions, name: with_slug(extensions.get(name))}
    if not isinstance(extensions, list):
        return extensions
    out: list[Any] = []
    for item in extensions:
        if isinstance(item, str) and item in _TOC:
            item = {item: with_slug(None)}
        elif isinstance(item, dict) and len(item) == 1 and next(iter(item)) in _TOC:
            (name, options), = item.items()
            item = {name: with_slug(options)}
        out.append(item)
    if not any(isinstance(item, dict) and next(iter(item), None) in _TOC for item in out):
        out.append({"toc": dict(slug)})
    return out


def _where(root: Path, cited: list[str]) -> str:
    """Which files of the knowledge base the engine's issues are in, said for the error line
    (its paths are pages of the build folder: a hand-written page, or a page generated from a
    record, or from many)."""
    docs = str(mkdocs_config(root).get("docs_dir") or "docs").strip("/")
    written, records, generated = [], [], []
    for page in cited:
        source = next((f"{folder}/{page.removeprefix('records/')}" for folder in RECORD_FOLDERS
                       if page.startswith("records/") and (root / folder / page.removeprefix(
                           "records/")).is_file()), None)
        if (root / docs / page).is_file():
            written.append(f"{docs}/{page}")
        elif source is not None:
            records.append(source)
        else:
            generated.append(page)
    said = []
    if written:
        said.append(f"in {_listed(written)}, written by hand under {docs}/: fix "
                    f"{'them' if len(written) > 1 else 'it'} there")
    if records:
        said.append(f"in the page{'s' * (len(records) > 1)} generated from {_listed(records)}")
    if generated:
        said.append(f"in the generated page{'s' * (len(generated) > 1)} {_listed(generated)}")
    return f" ({'; '.join(said)})" if said else ""


def _listed(paths: list[str]) -> str:
    shown = ", ".join(paths[:3])
    return shown + (f" and {len(paths) - 3} more" if len(paths) > 3 else "")


def gzip_sitemap(site: Path, as_of: dt.date) -> None:
    """Write ``sitemap.xml.gz`` beside the sitemap Zensical wrote, as MkDocs does (Zensical
    writes none), stamped with the day MkDocs would stamp it: ``SOURCE_DATE_EPOCH``'s where
    the environment sets it, else the as-of date, so the same commit and as-of date build the
    same bytes any day."""
    sitemap = site / "sitemap.xml"
    if not sitemap.is_file() or (site / "sitemap.xml.gz").exists():
        return
    day = as_of
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "")
    if epoch.strip().isdigit():
        day = dt.datetime.fromtimestamp(int(epoch), dt.UTC).date()
    stamp = calendar.timegm(day.timetuple())
    with (site / "sitemap.xml.gz").open("wb") as out, gzip.GzipFile(
            fileobj=out, filename="sitemap.xml.gz", mode="wb", mtime=stamp) as packed:
        packed.write(sitemap.read_bytes())


def build_with_zensical(root: Path, as_of: dt.date, validated: Result, site_dir: Path | None,
                        options: RenderOptions, progress: Progress = QUIET,
                        quiet: bool = False) -> int:
    """Generate the tree, build it with Zensical, and put the site in ``site_dir`` (``quiet``:
    without Zensical's lines saying all went well)."""
    # An optional extra, run as its own command: only its presence is checked here.
    if importlib.util.find_spec("zensical") is None:
        raise ConfigError("Zensical is not installed: pip install 'hindsight[zensical]'")
    target = site_dir.resolve() if site_dir is not None else configured_site_dir(root)
    check_site_dir(target, root, "--site-dir" if site_dir is not None else
                   "site_dir in mkdocs.yml:")
    warnings = len(validated.problems.warnings)
    if warnings and (plugin_options(root) or {}).get("fail_on_warnings"):
        # What the plugin's option does under MkDocs: a warning fails the strict build.
        raise BuildError(f"{warnings} validation warning{'s' * (warnings != 1)} above, and "
                         "fail_on_warnings is set for the hindsight plugin in mkdocs.yml; "
                         "nothing was published")
    config = zensical_project(root, as_of, validated, options, progress)
    progress.stage("engine build (Zensical)", 0, 1)
    cited: list[str] = []
    code = _run_engine([sys.executable, "-m", "zensical", "build", "--clean", "--strict",
                        "-f", str(config.resolve())], config.parent, quiet, cited)
    if code:
        raise BuildError("Zensical's strict build stopped on the issues above"
                         f"{_where(root, cited)}; nothing was published")
    built = config.parent / "site"
    if _search_turned_off(config) and not (config.parent / "docs" / _ENGINE_SEARCH).exists():
        # Turned off, Zensical still writes its search index, empty: nothing reads it.
        (built / _ENGINE_SEARCH).unlink(missing_ok=True)
    # Headings named without their permalink's sign, as the plugin does under MkDocs.
    label_site(built)
    gzip_sitemap(built, as_of)
    _replace_site(built, target)
    progress.stage("engine build (Zensical)", 1, 1)
    # The same search as the MkDocs build: the site's theme override marks what is indexed.
    progress.stage("search index (Pagefind)", 0, 1)
    report = index_site(target)
    progress.stage("search index (Pagefind)", 1, 1)
    show_search_warnings(report.warnings)
    return 0
