"""Offline deterministic model: the default provider, so every workflow runs with zero keys."""
