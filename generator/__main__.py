"""``python -m generator`` is ``hindsight``."""

from .cli import main

main()
