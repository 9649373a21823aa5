"""Benchmarks (``python -m generator.bench``): a realistic corpus of any size, and every
figure of the targets printed, never asserted."""
