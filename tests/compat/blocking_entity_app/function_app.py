"""A plain Durable Functions app whose entity blocks, as an agent entity does while its model thinks.

`Napper` sleeps synchronously for the operation's input (seconds) and records when each operation
started and ended, so tests can see from its state whether batches overlapped or ran in order.
`nap_pair` calls two nappers at once.
"""

import time
from collections.abc import Generator
from typing import Any

import azure.durable_functions as df

app = df.DFApp()


@app.entity_trigger(context_name="context", entity_name="Napper")
def napper(context: df.DurableEntityContext) -> None:
    naps: list[dict[str, Any]] = context.get_state(list)
    started = time.time()
    time.sleep(float(context.get_input()))
    naps.append({"started": started, "ended": time.time()})
    context.set_state(naps)
    context.set_result(len(naps))


@app.orchestration_trigger(context_name="context")
def nap_pair(context: df.DurableOrchestrationContext) -> Generator[Any, Any, list[int]]:
    seconds = context.get_input()
    naps = [context.call_entity(df.EntityId("Napper", key), "nap", seconds) for key in ("left", "right")]
    return (yield context.task_all(naps))
