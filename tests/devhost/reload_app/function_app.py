"""A small app to edit under `python -m devhost --reload` (tests/devhost/e2e/test_e2e_reload.py).

`GET /api/version` answers with `version.VERSION` and the GREETING setting, so a test sees which
code and which settings serve; `GET /api/pid`, with the serving host's process id. `gated_pair`
runs two activities that each wait for a gate file, so a test can hold an activity in flight
across a reload.
"""

import asyncio
import os
from pathlib import Path

import azure.durable_functions as df
import azure.functions as func
import version

app = df.DFApp(http_auth_level=func.AuthLevel.ANONYMOUS)


@app.route(route="version")
def served_version(req: func.HttpRequest) -> func.HttpResponse:
    return func.HttpResponse(f"{version.VERSION} {os.environ.get('GREETING', '')}")


@app.route(route="pid")
def serving_process(req: func.HttpRequest) -> func.HttpResponse:
    return func.HttpResponse(str(os.getpid()))


@app.orchestration_trigger(context_name="context")
def gated_pair(context: df.DurableOrchestrationContext):  # type: ignore[no-untyped-def]
    folder = context.get_input()
    first = yield context.call_activity("gated_step", {"folder": folder, "name": "a"})
    second = yield context.call_activity("gated_step", {"folder": folder, "name": "b"})
    return [first, second]


@app.activity_trigger(input_name="step")
async def gated_step(step: dict) -> str:
    """Leave a mark each time it starts, then wait for the gate file; say which code finished it."""
    folder = Path(step["folder"])
    with (folder / "starts").open("a") as marks:
        marks.write(f"{step['name']} {version.VERSION}\n")
    while not (folder / "gate").exists():
        await asyncio.sleep(0.02)
    return f"{step['name']} by {version.VERSION}"
