"""The run API: the HTTP edge where users start, follow, approve and terminate durable agent runs.

Pydantic models validate everything that comes in; every reply, errors included, is JSON with one
shape, so clients never have to parse a host's empty 404 or an HTML error page.
"""
