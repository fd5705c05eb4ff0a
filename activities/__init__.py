"""Durable activities: thin adapters that run one agent, one tool or one publication and return JSON.

Each module imports only what its function needs at call time, so loading `function_app.py`
stays fast.
"""
