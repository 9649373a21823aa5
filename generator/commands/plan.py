"""``hindsight plan KIND``: the checklist to read before planning."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from ..errors import ConfigError
from ..site.settings import command_as_of, render_options
from .options import (
    as_of_option,
    complete_plan_kind,
    handle_errors,
    no_cache_option,
    output_width,
    root_option,
)
from .validate import valid_knowledge_base

if TYPE_CHECKING:
    from ..records.taxonomy import Taxonomy


@click.command()
@click.argument("kind", shell_complete=complete_plan_kind)
@click.option("--format", "fmt", type=click.Choice(["text", "markdown"]), default="text",
              show_default=True, help="markdown for pasting into a planning document.")
@root_option
@as_of_option
@no_cache_option
@handle_errors
def plan(kind: str, fmt: str, root: Path, as_of: str | None) -> None:
    """Print the "before you plan" checklist for a plan kind (campaign, deal, launch…).

    Lessons that apply to it (repeats merged; most repeated, then newest, first), the
    assumptions that did not hold in its post-mortems, and the open actions they raised.
    """
    from ..analysis.link import link
    from ..analysis.planning import checklist, render_markdown, render_text

    day = command_as_of(root, as_of)
    # The checklist of that day, as the site's plan page shows it: lessons of records held
    # after it are not learned yet (and their pages, which it links, not built).
    kb = valid_knowledge_base(root, day, "run hindsight validate").as_it_stood()
    kind = plan_kind_named(kb.taxonomy, kind) or kind
    kinds = [k.id for k in kb.taxonomy.plan_kinds]
    if kind not in kinds:
        # As validation words it: with none listed, where to list it ("the list is empty").
        raise ConfigError(f"unknown plan kind {kind!r} "
                          f"({kb.taxonomy.id_hint('plan kind', kind)})")
    found = checklist(kb, link(kb), kind)
    options = render_options(root)
    # On a terminal (or with COLUMNS set) the text wraps to its width; piped, each item stays
    # on one line for a script or a file.
    width = output_width(None)
    click.echo(render_markdown(found, options, day) if fmt == "markdown"
               else render_text(found, options, day, width), nl=False)


def plan_kind_named(taxonomy: Taxonomy, written: str) -> str | None:
    """The id of the plan kind ``written`` names: its id or title in any case (``Renewals``),
    or its id as a title is typed with accents or German's umlauts (``verlängerung`` for
    ``verlaengerung``, ``Vertragsverlängerungen`` for the plan kind titled so); None when it
    names none, as `--team` takes a team by its name."""
    import unicodedata

    from ..paths import slugify, umlauts_spelled_out

    said = unicodedata.normalize("NFKC", written).strip()
    for kind in taxonomy.plan_kinds:
        if said.casefold() in (kind.id.casefold(), str(kind.title).casefold()):
            return kind.id
    german = umlauts_spelled_out(said)
    spelled = {slugify(said), slugify(german) if german is not None else ""} - {""}
    return next((kind.id for kind in taxonomy.plan_kinds if kind.id in spelled), None)
