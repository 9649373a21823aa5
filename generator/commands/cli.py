"""The ``hindsight`` command line: the group every command joins, one module per command
(`generator.commands.validate`, `.new`, `.prep`…). Errors a user can cause print one line and
exit non-zero."""

from __future__ import annotations

import sys

import click

from . import actions, new, plan, prep, publish, recall, schema, validate
from .options import flushed


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="hindsight")
def main() -> None:
    """Hindsight: the searchable memory of your go-to-market retros and post-mortems."""


def run() -> None:
    """The ``hindsight`` program: every command but ``serve`` runs once and exits."""
    from ..gcpause import exit_now, short_lived
    from .terminal import printable_output

    printable_output()
    if "serve" in sys.argv[1:2]:
        main()
        return
    short_lived()
    try:
        main()
    except SystemExit as exc:
        if exc.code is None or isinstance(exc.code, int):
            exit_now(flushed(exc.code or 0))
        raise
    exit_now(flushed(0))


for _command in (validate.validate, new.new, schema.schema, publish.generate, publish.build,
                 publish.serve, prep.prep, actions.actions, recall.recall, plan.plan):
    main.add_command(_command)
