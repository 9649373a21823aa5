"""``python -m generator`` is ``hindsight``."""

from .commands.cli import run

run()
