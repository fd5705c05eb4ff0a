"""Run an entity's queued operations as one batch and commit state and responses together (protocol §5)."""

import json
import logging
import time
from dataclasses import dataclass
from typing import Any

import azure.functions as func
from azure.durable_functions.models.history import HistoryEventType

from devhost.history import event, utc_now
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


@dataclass(frozen=True)
class EntityBatch:
    """One entity's queued operations and the state they start from, read together on the loop."""

    entity_id: str
    name: str
    key: str
    exists: bool
    state: str | None
    ops: list[EntityOpRow]
    loaded_at: float  # perf_counter at load, so the log shows the batch's whole time, thread wait included


class EntityRunner:
    """Loads, executes and commits entity batches; the dispatcher keeps one batch per entity in flight.

    Only ``execute`` runs the app's code, and it touches no store: the dispatcher calls it on a worker
    thread, because an entity may block (an agent entity waits for its model), while ``load`` and
    ``commit`` run on the event loop that owns the store.
    """

    def __init__(self, store: Store, registry: DurableRegistry, verbose: bool) -> None:
        self._store = store
        self._registry = registry
        self._verbose = verbose

    def load(self, entity_id: str) -> EntityBatch | None:
        """Every operation queued for the entity so far, or None when none is waiting."""
        ops = self._store.load_entity_ops(entity_id)
        if not ops:
            return None
        _, name, key = entity_id.split("@", 2)
        exists, state = self._store.load_entity_state(entity_id)
        return EntityBatch(entity_id, name, key, exists, state, ops, time.perf_counter())

    def execute(self, batch: EntityBatch) -> dict[str, Any]:
        """Run the batch through the app's entity function; any failure fails every operation in it."""
        function = self._registry.entity(batch.name)
        if function is None:
            message = f"The entity '{batch.name}' is not defined by this app."
            return _failed_batch(batch.ops, message, batch.exists, batch.state)
        payload = _batch_payload(batch.name, batch.key, batch.exists, batch.state, batch.ops)
        if self._verbose:
            log.info("entity payload %s: %s", batch.entity_id, payload)
        try:
            outcome: dict[str, Any] = json.loads(function.handler(func.EntityContext(payload)))
            return outcome
        except Exception as exc:
            return _failed_batch(batch.ops, f"{type(exc).__name__}: {exc}", batch.exists, batch.state)

    def commit(self, batch: EntityBatch, outcome: dict[str, Any]) -> set[str]:
        """Store the new state, drop the batch's operations and send call responses in one transaction.

        Returns the orchestrations that got a response. Operations queued while the batch ran are
        left for the next batch.
        """
        woken: set[str] = set()
        with self._store.transaction():
            if outcome["entityExists"]:
                self._store.save_entity(
                    batch.entity_id, batch.name, batch.key, outcome["entityState"], time.time()
                )
            else:
                self._store.delete_entity(batch.entity_id)
            self._store.delete_entity_ops([op.row_id for op in batch.ops])
            for op, result in zip(batch.ops, outcome["results"], strict=True):
                if op.request_id is None or op.caller is None:
                    continue
                body = {"result": result["result"]}
                if result["isError"]:
                    body["exceptionType"] = "System.Exception"
                response = event(
                    HistoryEventType.EVENT_RAISED, utc_now(), Name=op.request_id, Input=json.dumps(body)
                )
                self._store.add_inbox(op.caller, op.caller_execution, response)
                woken.add(op.caller)
        log.info(
            "entity %s ran %d operations in %.2f ms",
            batch.entity_id,
            len(batch.ops),
            (time.perf_counter() - batch.loaded_at) * 1000,
        )
        return woken
