"""Where a graph's agent calls go: straight to the model path, or into the durable history.

In-process (`await build().run(...)`), `dispatch` runs the `run_agent` activity code directly.
Inside a durable superstep (`recording(...)`), each call is looked up in the results the
orchestrator has already recorded for this superstep; a call not recorded yet is noted as missing
and parks its caller, and the superstep is abandoned and run again once the orchestrator has run the
missing calls as their own `run_agent` activities. So a finished agent call is never repeated, and
both ways of running a graph see identical AgentResults.

A call is keyed by its payload plus how many identical calls came before it in the superstep, so
parallel executors may reach their calls in any order.
"""

import asyncio
import hashlib
import json
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

JsonObject = dict[str, Any]


def call_key(payload: JsonObject) -> str:
    """The content key of one `run_agent` payload (stable across processes)."""
    text = json.dumps(payload, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()[:32]


class StepCalls:
    """The calls of one superstep attempt: recorded results served, missing ones collected."""

    def __init__(self, recorded: Mapping[str, Sequence[JsonObject]]) -> None:
        self._recorded = recorded
        self._seen: Counter[str] = Counter()
        self.missing: list[JsonObject] = []
        self.missed = asyncio.Event()

    async def call(self, payload: JsonObject) -> JsonObject:
        """The recorded result, or park until this attempt is abandoned (the call is then missing)."""
        key = call_key(payload)
        index = self._seen[key]
        self._seen[key] += 1
        results = self._recorded.get(key, ())
        if index < len(results):
            return results[index]
        self.missing.append({"key": key, "payload": payload})
        self.missed.set()
        # Never resolved: the step driver cancels the attempt once every reachable call is noted.
        return await asyncio.get_running_loop().create_future()  # type: ignore[no-any-return]


_CURRENT: ContextVar[StepCalls | None] = ContextVar("graph_step_calls", default=None)


@contextmanager
def recording(calls: StepCalls) -> Iterator[StepCalls]:
    """Route the calls made in this context (and tasks it starts) through `calls`."""
    token = _CURRENT.set(calls)
    try:
        yield calls
    finally:
        _CURRENT.reset(token)


async def dispatch(payload: JsonObject) -> JsonObject:
    """Run one `run_agent` payload on the model path, recorded when inside a durable superstep."""
    calls = _CURRENT.get()
    if calls is not None:
        return await calls.call(payload)
    from activities.run_agent import run_agent

    return await run_agent(payload)
