"""Reliability figures for the template: crash, load and bad-input runs (`python -m bench.reliability`)."""
