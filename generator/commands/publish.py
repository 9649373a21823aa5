"""``hindsight generate``, ``build`` and ``serve``: the generated tree, the site, the live preview."""

from __future__ import annotations

import datetime as dt
import os
import sys
from collections.abc import Mapping
from pathlib import Path

import click

from ..records import record_cache
from ..site.settings import command_as_of, render_options, site_as_of, stated_as_of
from .options import as_of_option, handle_errors, no_cache_option, root_option
from .validate import validate_first


@click.command()
@click.option("--out", "out", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="The folder to write the generated tree into (created if missing).")
@click.option("--no-cache", is_flag=True, help="Draw every chart and validate every record "
              "afresh (ignore .hindsight-cache).")
@click.option("--for", "engine", type=click.Choice(["mkdocs", "zensical"]), default="mkdocs",
              show_default=True, help="The engine that will build the tree: links inside the "
              "pages' HTML are written as it needs them (zensical: as .md paths it rewrites, "
              "with each record page's edit link in its front matter).")
@click.option("-q", "--quiet", is_flag=True, help="No progress lines (they only ever show on "
              "a terminal).")
@root_option
@as_of_option
@handle_errors
def generate(out: Path, root: Path, as_of: str | None, no_cache: bool, engine: str,
             quiet: bool) -> None:
    """Write the generated pages, exports and record-format page to a folder.

    The same tree the MkDocs plugin adds in memory, for another engine or a build of your
    own (--for zensical writes it as `hindsight build --engine zensical` does). Only files
    whose bytes changed are rewritten; files no longer generated are removed; the folder is
    replaced atomically.
    """
    import dataclasses

    from ..records.load import CACHE_DIR
    from ..site.build import InvalidRecords, build
    from ..site.charts import ChartCache
    from ..site.engine import with_edit_urls
    from ..site.output import check_output_folder, write_tree
    from ..site.page_cache import PageCache
    from .terminal import progress_for

    check_output_folder(out, root)  # refuse before doing any work
    record_cache.set_enabled(not no_cache and record_cache.enabled_by_environment())
    keep = record_cache.usable(root)
    if record_cache.enabled() and not keep:
        click.echo(f"notice: {record_cache.COMMITTED_NOTICE}", err=True)
    cache = ChartCache(folder=root / CACHE_DIR / "charts" if keep else None)
    options = render_options(root, strict=True)
    if engine == "zensical":
        options = dataclasses.replace(options, html_links="source")
    try:
        pages = PageCache(folder=root if keep else None)
        generated = build(root, command_as_of(root, as_of), options, cache, pages=pages,
                          progress=progress_for(quiet))
    except InvalidRecords as exc:
        for problem in exc.problems.sorted():
            click.echo(problem.format(), err=True)  # stdout is the command's own answer
        raise
    if generated.provenance.notice:
        click.echo(f"warning: {generated.provenance.notice}", err=True)
    files: Mapping[str, bytes] = generated.files
    if engine == "zensical":
        files = with_edit_urls(files, generated.result.kb, options)
    written = write_tree(out, files, root, manifest=keep)
    click.echo(f"{len(files)} files in {out.as_posix()}: {written.written} written, "
               f"{written.unchanged} unchanged, {written.removed} removed")


ENGINE_NOTICE = (
    "notice: MkDocs 1.x has no release since 2024 and MkDocs 2.0 drops plugins; Material for "
    "MkDocs, the theme, is in maintenance and reaches end of life on May 5, 2027. The site "
    "builds the same "
    "with Zensical, its successor: hindsight build --engine zensical "
    "(set NO_MKDOCS_2_WARNING=1 to hide this notice)."
)
"""What `hindsight build` says on the MkDocs engine (Material prints its own notice only
when MkDocs itself is the command)."""


@click.command()
@root_option
@as_of_option
@click.option("--site-dir", type=click.Path(file_okay=False, path_type=Path),
              help="Where to write the site (default: site/).")
@click.option("--engine", type=click.Choice(["mkdocs", "zensical"]), default="mkdocs",
              show_default=True, help="The site engine: MkDocs with the plugin, or Zensical "
              "building the generated tree.")
@click.option("-q", "--quiet", is_flag=True, help="No progress lines (they only ever show on "
              "a terminal) and none of MkDocs' INFO lines; warnings, errors and the engine "
              "notice still show.")
@no_cache_option
@handle_errors
def build(root: Path, as_of: str | None, site_dir: Path | None, engine: str, quiet: bool) -> None:
    """Validate the records once, then build the site strictly with the chosen engine."""
    from ..site.engine import build_with_mkdocs, build_with_zensical, check_site_dir
    from .terminal import progress_for

    if site_dir is not None:
        # Relative to where the command runs, for both engines and for the check below: MkDocs
        # alone would read it against mkdocs.yml's folder (`--root kb --site-dir retros` built
        # into kb/retros, over the records, after the check had looked at ./retros).
        site_dir = site_dir.resolve()
        check_site_dir(site_dir, root)  # before validating: a refusal is known at once
    progress = progress_for(quiet)
    day = site_as_of(root, as_of, engine)  # and mkdocs.yml checked, before the records are
    if engine == "zensical":
        code = build_with_zensical(root, day, validate_first(root, day), site_dir,
                                   render_options(root), progress, quiet)
    else:
        if not os.environ.get("NO_MKDOCS_2_WARNING"):
            click.echo(ENGINE_NOTICE, err=True)
        # No name here keeps the validated records: the plugin frees them after generating.
        code = build_with_mkdocs(root, day, validate_first(root, day), site_dir, progress,
                                 quiet=quiet)
    sys.exit(code)


@click.command()
@root_option
@as_of_option
@click.option("--dev-addr", default="127.0.0.1:8000", show_default=True,
              help="Address to serve on.")
@click.option("--engine", type=click.Choice(["mkdocs", "zensical"]), default="mkdocs",
              show_default=True, help="The site engine: MkDocs with the plugin, or Zensical's "
              "own server over the generated tree, written again on each save.")
@click.option("--poll", is_flag=True, help="Notice saves by looking at the files now and "
              "then (every 0.5 s per thousand records: 5 s at 10,000), not by the operating "
              "system's file events: for Docker volumes shared with another system, network "
              "drives and other file systems that do not report changes.")
@no_cache_option
@handle_errors
def serve(root: Path, as_of: str | None, dev_addr: str, engine: str, poll: bool) -> None:
    """Serve the site and rebuild what a save changed (records, taxonomy, docs, mkdocs.yml).

    The generated pages are written as files into .hindsight-cache/serve/ and built there:
    a save renders again only the pages whose content changed. Records that do not validate
    are reported (in the terminal, and in a banner on every served page) and the last good
    site stays served. A second server of the same knowledge base is refused, naming the
    address of the one running. With --engine zensical, Zensical's own server serves the
    generated tree, written again into .hindsight-cache/zensical-serve/ on each save.
    """
    from ..site.serve import serve as serve_site
    from ..site.serve import served_at, serving_alone

    # Refused before the first build, each in a moment: an address that is no HOST:PORT,
    # a mkdocs.yml that cannot make a site, a knowledge base another server already
    # serves (its build folder is this one's), an address this machine cannot serve on.
    parse_address(dev_addr)
    # None when no date is stated: each build is of the day it runs, not the day the server
    # started (left running past midnight, it judged overdue actions by yesterday).
    fixed = stated_as_of(root, as_of)
    options = render_options(root)
    with serving_alone(root, served_at(dev_addr, options)):
        check_address(dev_addr)
        result = validate_first(root, fixed or dt.date.today())
        if engine == "zensical":
            from ..site.zensical_serve import serve_with_zensical

            sys.exit(serve_with_zensical(root, fixed, options, dev_addr, result, poll=poll))
        sys.exit(serve_site(root, fixed, options, dev_addr, result, poll=poll))


def parse_address(dev_addr: str) -> tuple[str, int]:
    """``--dev-addr`` HOST:PORT as host and port (an IPv6 host without its brackets), or a
    clear error."""
    from ..errors import ConfigError

    host, _, port = dev_addr.rpartition(":")
    host = host.strip("[]")  # an IPv6 address is written [::1]:8000
    if not host or not (port.isascii() and port.isdigit()) or not 0 < int(port) < 65536:
        raise ConfigError(f"--dev-addr {dev_addr!r} is not HOST:PORT (e.g. 127.0.0.1:8000)")
    return host, int(port)


def check_address(dev_addr: str) -> None:
    """That ``--dev-addr`` is HOST:PORT and free to serve on, as a clear error if not."""
    import socket

    from ..errors import ConfigError

    host, port = parse_address(dev_addr)
    try:
        family, kind, proto, _, address = socket.getaddrinfo(
            host, port, type=socket.SOCK_STREAM)[0]
    except OSError as exc:
        raise ConfigError(f"cannot serve on {dev_addr}: host {host!r} is not known here "
                          f"({exc.strerror or exc}); use an address of this machine, e.g. "
                          "127.0.0.1:8000") from None
    try:
        with socket.socket(family, kind, proto) as probe:
            if os.name == "posix":
                # As the server itself binds: a port whose last server just stopped (its
                # connections still closing, for a minute) is free to serve on again; one
                # that a server listens on is still refused.
                probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind(address)
    except OSError as exc:
        from ..site.serve import cannot_serve

        raise cannot_serve(dev_addr, exc) from None
