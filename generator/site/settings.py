"""The site's settings as its ``mkdocs.yml`` declares them, read without MkDocs.

`hindsight generate`, the Zensical engine and the commands that print links need the same
few settings the MkDocs plugin gets from MkDocs (where the site is served, the repository
edit links point at, the URL style): they read them here, the same way every time.
"""

from __future__ import annotations

import datetime as dt
import difflib
import os
import re
from pathlib import Path
from typing import Any

from ..errors import ConfigError
from ..paths import RenderOptions
from ..records.corpus import RETROS_HEADINGS, RETROS_MIXED
from ..records.site_config import CONFIG_FILE, read_site_config
from ..records.types import AS_OF_ENV, parse_as_of


def mkdocs_config(root: Path) -> dict[str, Any]:
    """The site's ``mkdocs.yml`` as a mapping (an ``INHERIT:`` merged in), or a `ConfigError`
    saying why it cannot be."""
    return read_site_config(root)


GENERATED_RETROS_LABELS = frozenset({RETROS_MIXED, *RETROS_HEADINGS.values()})
"""The retros list's headings: a nav label in these words is the generator's, not the
company's own."""


def retros_nav_label(label: str, heading: str) -> str:
    """The nav label ``mkdocs.yml`` gives the retros list (``Monthly retros: retros/index.md``),
    as the site shows it: a label in the generator's own words for the page (the template's
    mkdocs.yml wrote "Monthly retros") follows the page's heading (``heading``: "Retros" once a
    sprint team's retros are beside a monthly team's); any other label ("Team retros",
    "Retrospektiven") is the company's own, and stays."""
    return heading if label in GENERATED_RETROS_LABELS else label


PLUGIN = "hindsight"
"""The plugin's name under ``plugins:`` in mkdocs.yml."""


def plugin_options(root: Path) -> dict[str, Any] | None:
    """The hindsight plugin's options in ``root/mkdocs.yml`` ({} when listed without any),
    or None when mkdocs.yml does not list the plugin."""
    for plugin in mkdocs_config(root).get("plugins") or []:
        if plugin == PLUGIN:
            return {}
        if isinstance(plugin, dict) and PLUGIN in plugin:
            options = plugin[PLUGIN]
            return dict(options) if isinstance(options, dict) else {}
    return None


def plugin_as_of(value: object) -> dt.date | None:
    """The plugin's ``as_of`` option as a date (quoted or not in mkdocs.yml), None if unset."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):  # a date is all it takes: compared with dates
        raise ConfigError(f"as_of of the hindsight plugin in {CONFIG_FILE} must be a date like "
                          f"2026-06-30, without a time (got {value.isoformat(sep=' ')})")
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise ConfigError(f"as_of of the hindsight plugin in {CONFIG_FILE} must be a date like "
                          f"2026-06-30 (got {str(value)!r})") from None


PLUGIN_OPTIONS: dict[str, tuple[type, ...]] = {
    "root": (str,), "as_of": (str, dt.date), "branch": (str,), "fail_on_warnings": (bool,),
    "csv_bom": (bool,)}
"""The hindsight plugin's options and the YAML types each takes (`HindsightConfig`'s, which
imports MkDocs: a test keeps the two the same)."""
_WRITTEN = {str: "text", dt.date: "a date", bool: "true or false"}


def _check_plugin_options(options: dict[str, Any]) -> None:
    """Refuse an option the plugin does not have, or a value of the wrong type, before any
    record is validated (MkDocs refused them only after, and as a failed build, exit 1)."""
    for name, value in options.items():
        kinds = PLUGIN_OPTIONS.get(str(name))
        if kinds is None:
            close = difflib.get_close_matches(str(name), PLUGIN_OPTIONS, n=1, cutoff=0.6)
            raise ConfigError(f"the hindsight plugin in {CONFIG_FILE} has no option {name!r}"
                              + (f": did you mean {close[0]}?" if close else "; its options are "
                                 + ", ".join(PLUGIN_OPTIONS)))
        if (value is not None and not isinstance(value, kinds)) or \
                (bool not in kinds and isinstance(value, bool)):
            raise ConfigError(f"{name} of the hindsight plugin in {CONFIG_FILE} must be "
                              f"{' or '.join(_WRITTEN[k] for k in kinds)} (got {value!r})")


def site_as_of(root: Path, as_of: str | None, engine: str = "mkdocs") -> dt.date:
    """The build date of `hindsight build` and `serve`, as `mkdocs build` reads it: --as-of,
    else the plugin's ``as_of`` in mkdocs.yml, else $HINDSIGHT_AS_OF, else today.
    (`stated_as_of`, and mkdocs.yml checked as it says.)"""
    return stated_as_of(root, as_of, engine) or dt.date.today()


def stated_as_of(root: Path, as_of: str | None, engine: str = "mkdocs") -> dt.date | None:
    """The build date --as-of, the plugin's ``as_of`` in mkdocs.yml or $HINDSIGHT_AS_OF
    states, in that order; None when none does, and each build is of the day it runs (a
    server left running past midnight).

    Checks on the way what a site build needs of mkdocs.yml before any record is validated:
    that it reads, that it lists the plugin (for MkDocs), and that the plugin's ``root``, if
    given, is the knowledge base these commands build (``--root``, mkdocs.yml's folder)."""
    options = plugin_options(root)
    if options is None and engine == "mkdocs":
        raise ConfigError(f"{CONFIG_FILE} does not list the hindsight plugin: add `- hindsight` "
                          "under plugins: (without it no generated page exists)")
    options = options or {}
    _check_plugin_options(options)
    stated = options.get("root")
    if stated is not None and (root / str(stated)).resolve() != root.resolve():
        raise ConfigError(f"the hindsight plugin's root in {CONFIG_FILE} is {str(stated)!r}, but "
                          "this command builds the knowledge base at --root (the folder of "
                          f"{CONFIG_FILE}: {root}); remove root: from {CONFIG_FILE}, or pass "
                          "the knowledge base's folder as --root")
    stated_day = plugin_as_of(options.get("as_of"))  # checked even where --as-of wins
    if as_of is None and stated_day is not None:
        return stated_day
    if as_of is None and not os.environ.get(AS_OF_ENV):
        return None
    return parse_as_of(as_of)


def command_as_of(root: Path, as_of: str | None) -> dt.date:
    """The date a command that reads the knowledge base judges it by, as the site is built:
    --as-of, else the plugin's ``as_of`` in mkdocs.yml, else $HINDSIGHT_AS_OF, else today.
    (The pull-request check judged overdue actions by today while the published site, its
    date pinned in mkdocs.yml, judged them by that date.) A knowledge base without mkdocs.yml
    has no such date; one whose mkdocs.yml cannot be read, or whose ``as_of`` is no date, is
    a `ConfigError`, as in `site_as_of`: ignored, a mistyped ``as_of: 2026-11-31`` let the
    pull-request check pass on today's date while the nightly build failed on it."""
    options = plugin_options(root) if (root / CONFIG_FILE).is_file() else None
    stated = plugin_as_of((options or {}).get("as_of"))  # checked even where --as-of wins
    if as_of is None and stated is not None:
        return stated
    return parse_as_of(as_of)


def edit_branch(stated: str | None, edit_uri: object) -> str:
    """The branch record edit links point at: the plugin's ``branch``, else the one mkdocs.yml's
    ``edit_uri`` names (``edit/trunk/docs/`` → ``trunk``), else ``main``."""
    if stated:
        return stated
    found = re.match(r"(?:edit|blob)/([^/]+)/", str(edit_uri or ""))
    return found.group(1) if found else "main"


def render_options(root: Path, strict: bool = False) -> RenderOptions:
    """Edit links, feed URL and URL style from mkdocs.yml, exactly as the MkDocs plugin sees
    them (the defaults when there is no usable mkdocs.yml: pages need no site to be written).

    ``strict`` (the site's own pages, `hindsight generate`): a mkdocs.yml that is there but
    cannot be read is a `ConfigError`, not pages quietly made with the defaults' links."""
    try:
        data = mkdocs_config(root)
    except ConfigError:
        if strict and (root / CONFIG_FILE).exists():
            raise
        data = {}
    stated, bom = None, False
    for plugin in data.get("plugins") or []:
        if isinstance(plugin, dict) and isinstance(plugin.get("hindsight"), dict):
            stated = plugin["hindsight"].get("branch")
            bom = plugin["hindsight"].get("csv_bom") is True
    return RenderOptions(
        repo_url=str(data["repo_url"]) if data.get("repo_url") else None,
        branch=edit_branch(str(stated) if stated else None, data.get("edit_uri")),
        site_url=str(data["site_url"]) if data.get("site_url") else None,
        directory_urls=bool(data.get("use_directory_urls", True)),
        csv_bom=bom,
    )
