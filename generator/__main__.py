"""``python -m generator`` is ``hindsight``."""

from .cli import run

run()
