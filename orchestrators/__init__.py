"""Durable workflows: one deterministic generator orchestrator per module, plus the conversation entity.

Everything here is replayed by the Durable Functions SDK, so it does no I/O and reads no clock,
randomness or environment. Activities and entities are named through `orchestrators.contract`;
`function_app.py` registers the functions.
"""
