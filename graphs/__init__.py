"""Durable agent-framework graphs: one module per graph, found at start-up.

Add a graph by adding one module here (its name must not start with `_`) that defines

    GRAPH = GraphSpec(name=..., description=..., input_model=<pydantic model>,
                      build=<() -> Workflow>, start=<validated input -> start message>)

It is then startable at `POST /api/runs/{name}`, listed in `GET /api/workflows`, and runs one
superstep per durable step (docs/graphs.md). `template_agent(name)` is one of the template's agents
on the durable model path. Modules starting with `_` are helpers.
"""

from graphs._model import template_agent
from graphs._spec import GraphRetry, GraphSpec

__all__ = ["GraphRetry", "GraphSpec", "template_agent"]
