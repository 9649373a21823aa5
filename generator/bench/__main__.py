"""``python -m generator.bench`` runs the benchmarks."""

from .run import main

main()
