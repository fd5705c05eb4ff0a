"""Benchmark app: instant activities, so every millisecond measured is the host's own overhead."""

from collections.abc import Generator
from typing import Any

import azure.durable_functions as df
import azure.functions as func

app = df.DFApp(http_auth_level=func.AuthLevel.ANONYMOUS)


@app.activity_trigger(input_name="value")
def instant(value: int) -> int:
    return value + 1


@app.orchestration_trigger(context_name="context")
def chain(context: df.DurableOrchestrationContext) -> Generator[Any, Any, int]:
    """Three activities in a row: the shape the latency target is about."""
    first = yield context.call_activity("instant", context.get_input() or 0)
    second = yield context.call_activity("instant", first)
    third: int = yield context.call_activity("instant", second)
    return third


@app.orchestration_trigger(context_name="context")
def sequence(context: df.DurableOrchestrationContext) -> Generator[Any, Any, int]:
    """`{"steps": n}`: n activities one after another."""
    steps = int((context.get_input() or {})["steps"])
    value = 0
    for _ in range(steps):
        value = yield context.call_activity("instant", value)
    return value


@app.orchestration_trigger(context_name="context")
def fanout(context: df.DurableOrchestrationContext) -> Generator[Any, Any, int]:
    """`{"width": n}`: n activities at once, then their sum."""
    width = int((context.get_input() or {})["width"])
    results = yield context.task_all([context.call_activity("instant", i) for i in range(width)])
    return sum(results)


@app.route(route="chain", methods=["POST"])
@app.durable_client_input(client_name="client")
async def start_chain(req: func.HttpRequest, client: df.DurableOrchestrationClient) -> func.HttpResponse:
    instance_id = await client.start_new("chain", None, 0)
    return await client.wait_for_completion_or_create_check_status_response(req, instance_id, 30000, 1)
