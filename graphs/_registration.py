"""A graph → the orchestrator function registered under its name in function_app.py.

Every graph runs on the same generic orchestrator (orchestrators/graph.py); registering it once per
graph, under the graph's name, makes the run's `workflow` and `GET /runs?workflow=` the graph's name.
"""

from collections.abc import Callable

import azure.durable_functions as df

from graphs._spec import AnyGraph
from orchestrators.graph import GraphRun, graph_orchestrator
from orchestrators.retry import Steps


def orchestrator_for(spec: AnyGraph) -> Callable[[df.DurableOrchestrationContext], Steps]:
    """The orchestrator function for `spec`, named after it."""
    retry = df.RetryOptions(
        first_retry_interval_in_milliseconds=round(spec.retry.interval_s * 1000),
        max_number_of_attempts=spec.retry.attempts,
    )
    return graph_orchestrator(GraphRun(spec.name, spec.input_timeout_s, retry))
