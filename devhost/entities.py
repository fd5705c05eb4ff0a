"""Run an entity's queued operations as one batch and commit state and responses together (protocol §5)."""

import json
import logging
import time
from typing import Any

import azure.functions as func

from devhost.history import EventType, event, utc_now
from devhost.registry import DurableRegistry
from devhost.store import EntityOpRow, Store

log = logging.getLogger("devhost")


def _batch_payload(name: str, key: str, exists: bool, state: str | None, ops: list[EntityOpRow]) -> str:
    """The extension's ``EntityContextToString``; each operation input is JSON text encoded once more."""
    batch = [
        {
            "name": op.operation,
            "input": json.dumps(op.input if op.input is not None else "null"),
            "isSignal": op.is_signal,
        }
        for op in ops
    ]
    return json.dumps({"self": {"name": name, "key": key}, "exists": exists, "state": state, "batch": batch})


def _failed_batch(ops: list[EntityOpRow], message: str, exists: bool, state: str | None) -> dict[str, Any]:
    """A batch whose handler could not run: every operation fails, the state stays as it was."""
    results = [{"isError": True, "result": json.dumps(message)} for _ in ops]
    return {"entityExists": exists, "entityState": state, "results": results}


class EntityRunner:
    """Executes entity batches one at a time; callers on the event loop serialise them per entity."""

    def __init__(self, store: Store, registry: DurableRegistry, verbose: bool) -> None:
        self._store = store
        self._registry = registry
        self._verbose = verbose

    def _execute(
        self, name: str, key: str, exists: bool, state: str | None, ops: list[EntityOpRow]
    ) -> dict[str, Any]:
        function = self._registry.entity(name)
        if function is None:
            return _failed_batch(ops, f"The entity '{name}' is not defined by this app.", exists, state)
        payload = _batch_payload(name, key, exists, state, ops)
        if self._verbose:
            log.info("entity payload @%s@%s: %s", name, key, payload)
        try:
            return json.loads(function.handler(func.EntityContext(payload)))
        except Exception as exc:
            return _failed_batch(ops, f"{type(exc).__name__}: {exc}", exists, state)

    def run(self, entity_id: str) -> set[str]:
        """Process every queued operation of one entity; returns the orchestrations that got a response."""
        ops = self._store.load_entity_ops(entity_id)
        if not ops:
            return set()
        started = time.perf_counter()
        _, name, key = entity_id.split("@", 2)
        exists, state = self._store.load_entity_state(entity_id)
        outcome = self._execute(name, key, exists, state, ops)
        woken: set[str] = set()
        with self._store.transaction():
            if outcome["entityExists"]:
                self._store.save_entity(entity_id, name, key, outcome["entityState"], time.time())
            else:
                self._store.delete_entity(entity_id)
            self._store.delete_entity_ops([op.row_id for op in ops])
            for op, result in zip(ops, outcome["results"], strict=True):
                if op.request_id is None or op.caller is None:
                    continue
                body = {"result": result["result"]}
                if result["isError"]:
                    body["exceptionType"] = "System.Exception"
                response = event(
                    EventType.EVENT_RAISED, utc_now(), Name=op.request_id, Input=json.dumps(body)
                )
                self._store.add_inbox(op.caller, op.caller_execution, response)
                woken.add(op.caller)
        log.info(
            "entity %s ran %d operations in %.2f ms",
            entity_id,
            len(ops),
            (time.perf_counter() - started) * 1000,
        )
        return woken
