"""Agents as data, the model factory (offline deterministic model by default) and the tools they use."""
