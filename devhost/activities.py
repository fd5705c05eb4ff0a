"""Run one activity the way the worker does: decode input, call, encode output (protocol §4).

An activity with bindings besides its trigger (a queue or blob output, a durable client) is called
through the host's function caller, which fills them as for any trigger; their binding expressions
can use the extension's activity binding data: `{instanceId}`, `{data}` (the input) and the input
under the trigger parameter's name (`{name.field}` for an object input).
"""

import asyncio
import logging
import time
from concurrent.futures import Executor
from typing import Any

from azure.durable_functions.models.history import HistoryEventType
from azure.functions import meta
from azure.functions.durable_functions import ActivityTriggerConverter

from devhost.activity_failures import activity_failure
from devhost.durable_http import HTTP_ACTIVITY, DurableHttpFailure, run_http_activity
from devhost.function_call import FunctionCaller
from devhost.history import Event, event, utc_now
from devhost.registry import DurableFunction

log = logging.getLogger("devhost")

UNKNOWN_ACTIVITY = "The function '{name}' doesn't exist, is disabled, or is not an activity function."


def _decode(text: str | None) -> Any:
    """``df_loads``, falling back to the raw string for text that is not JSON, as the worker does."""
    return ActivityTriggerConverter.decode(
        meta.Datum(text if text is not None else "null", "string"), trigger_metadata=None
    )


def _encode(result: Any) -> str:
    encoded: str = ActivityTriggerConverter.encode(result, expected_type=None).value
    return encoded


def _call_sync(function: DurableFunction, text: str | None) -> str:
    return _encode(function.handler(**{function.parameter: _decode(text)}))


async def _call(
    function: DurableFunction,
    text: str | None,
    executor: Executor,
    caller: FunctionCaller | None,
    instance_id: str,
) -> str:
    if function.has_bindings and caller is not None:
        value = _decode(text)
        data = {"instanceId": instance_id, function.parameter: value, "data": value}
        return _encode(await caller.call(function.function, value, caller.rpc_origin, data))
    if function.is_async:
        return _encode(await function.handler(**{function.parameter: _decode(text)}))
    return await asyncio.get_running_loop().run_in_executor(executor, _call_sync, function, text)


async def run_activity(
    function: DurableFunction | None,
    name: str,
    task_id: int,
    text: str | None,
    executor: Executor,
    instance_id: str,
    caller: FunctionCaller | None = None,
) -> Event:
    """Run the activity and return its TaskCompleted or TaskFailed event; never raises (except cancel)."""
    started = time.perf_counter()
    try:
        if function is None and name == HTTP_ACTIVITY:
            output = await run_http_activity(text)
        elif function is None:
            raise LookupError(UNKNOWN_ACTIVITY.format(name=name))
        else:
            output = await _call(function, text, executor, caller, instance_id)
        # Stamped when the activity has finished, so step_completed times are real end times.
        completion = event(HistoryEventType.TASK_COMPLETED, utc_now(), TaskScheduledId=task_id, Result=output)
        outcome = "completed"
    except Exception as exc:
        if isinstance(exc, DurableHttpFailure):
            reason, details = str(exc), exc.details
        else:
            reason, details = activity_failure(name, exc)
        completion = event(
            HistoryEventType.TASK_FAILED, utc_now(), TaskScheduledId=task_id, Reason=reason, Details=details
        )
        outcome = f"failed ({type(exc).__name__}: {exc})"
    log.info(
        "activity %s %s#%d %s in %.2f ms",
        name,
        instance_id,
        task_id,
        outcome,
        (time.perf_counter() - started) * 1000,
    )
    return completion
