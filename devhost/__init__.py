"""Embedded local host: runs an unchanged Durable Functions Python app in one process, state in SQLite."""
