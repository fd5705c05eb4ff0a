"""Token streams: the side channel that carries an agent's reply while the model is still writing it.

A durable activity cannot push to an HTTP client, so `run_agent` appends the reply's chunks to a
stream store keyed by run, step and attempt, and `GET /api/runs/{id}/events` reads them beside the
durable history. The history stays the source of truth: a stream is a live view of a step, and a
retried step leaves its earlier attempt's partial text behind (readers drop it).
"""
