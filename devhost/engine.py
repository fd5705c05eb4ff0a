"""The engine facade the HTTP side calls: start and manage orchestrations, signal and read entities.

Every method runs on the host's one asyncio event loop. State lives in one SQLite file (see store.py);
``start()`` resumes every unfinished instance, activity, timer and entity operation found there.
"""

import asyncio
import json
import logging
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

from azure.durable_functions.models.history import HistoryEventType
from azure.durable_functions.models.OrchestrationRuntimeStatus import OrchestrationRuntimeStatus

import durable_speedups
from devhost import sdk_patches
from devhost.dispatcher import Dispatcher
from devhost.entities import EntityRunner
from devhost.errors import BadRequest, Conflict, Gone, NotFound
from devhost.function_call import FunctionCaller
from devhost.history import event, utc_now
from devhost.instance_query import (
    InstanceFilter,
    InstancePage,
    continuation_token,
    page_size,
    resume_after,
)
from devhost.registry import DurableRegistry
from devhost.rewind import RewindPlan, rewind_instance
from devhost.runner import (
    UNKNOWN_ORCHESTRATOR,
    EpisodeRunner,
    Wakeups,
    entity_scheduler_id,
    new_instance,
    played,
)
from devhost.sessions import SessionCache, SessionSettings, SessionStats, open_sessions
from devhost.state import TERMINAL_STATUSES, InstanceRecord
from devhost.status import status_payload
from devhost.store import Store

log = logging.getLogger("devhost")
T = TypeVar("T")
PURGE_BATCH = 100  # instances per purge transaction: about 25 ms of the loop


class Engine:
    """Durable Functions semantics for one app over one state file."""

    def __init__(
        self,
        registry: DurableRegistry,
        state_path: Path,
        *,
        hub_name: str,
        default_version: str | None = "",
        extended_sessions: bool = False,
        session_capacity: int = 256,
        session_idle_timeout_s: float = 30.0,
        verify_sessions: bool = False,
        verbose: bool = False,
        caller: FunctionCaller | None = None,
    ) -> None:
        self.registry = registry
        self._caller = caller
        self.hub_name = hub_name
        self._state_path = Path(state_path)
        self._default_version = default_version or ""  # host.json may not set defaultVersion
        self._verbose = verbose
        self._session_settings = (
            SessionSettings(session_capacity, session_idle_timeout_s, verify_sessions)
            if extended_sessions
            else None
        )
        self._sessions: SessionCache | None = None
        self._store: Store | None = None
        self._runner: EpisodeRunner | None = None
        self._dispatcher: Dispatcher | None = None
        self._waiters: dict[str, list[asyncio.Future[dict[str, Any]]]] = {}
        self._change_waiters: dict[str, list[asyncio.Future[bool]]] = {}

    # ------------------------------------------------------------------ lifecycle
    async def start(self) -> None:
        durable_speedups.install()
        sdk_patches.install()
        store = self._store = Store(self._state_path)
        self._sessions = open_sessions(self._session_settings)
        self._runner = EpisodeRunner(
            store, self.registry, self._default_version, self._verbose, self._sessions
        )
        entities = EntityRunner(store, self.registry, self._verbose)
        dispatcher = self._dispatcher = Dispatcher(
            store, self.registry, self._runner, entities, self._notify, self._caller
        )
        dispatcher.start()
        for instance_id in store.active_instance_ids():
            dispatcher.wake_instance(instance_id)
        for activity in store.all_activities():
            dispatcher.start_activity(activity)
        for timer in store.all_timers():
            dispatcher.schedule_timer(timer)
        for entity_id in store.entities_with_ops():
            dispatcher.wake_entity(entity_id)
        log.info("devhost engine started on %s (hub %s)", self._state_path, self.hub_name)

    async def stop(self) -> None:
        if self._dispatcher is not None:
            await self._dispatcher.stop()
        if self._store is not None:
            self._store.close()
        self._store = self._dispatcher = self._runner = None

    @property
    def session_stats(self) -> SessionStats | None:
        """How episodes ran since start (warm / cold / evicted); None when extended sessions are off."""
        return None if self._sessions is None else self._sessions.stats

    @property
    def store(self) -> Store:
        if self._store is None:
            raise RuntimeError("the engine is not started: call await engine.start() first")
        return self._store

    @property
    def dispatcher(self) -> Dispatcher:
        if self._dispatcher is None:
            raise RuntimeError("the engine is not started: call await engine.start() first")
        return self._dispatcher

    async def wait_idle(self, timeout: float) -> bool:
        """True once no episode, entity batch or activity is queued or running (timers do not count)."""
        return await self.dispatcher.wait_idle(timeout)

    async def wait_for_instance(self, instance_id: str, timeout: float) -> dict[str, Any] | None:
        """The status once the instance is Completed, Failed, Terminated or Canceled; None on timeout."""
        status = self.get_status(instance_id)
        if status is None or OrchestrationRuntimeStatus(status["runtimeStatus"]) in TERMINAL_STATUSES:
            return status
        return await _wait_registered(self._waiters, instance_id, timeout)

    def change_mark(self, instance_id: str) -> tuple[OrchestrationRuntimeStatus, float] | None:
        """The runtime status and last-change time, or None when unknown (see `devhost.read_hold`)."""
        return self.store.load_mark(instance_id)

    async def wait_for_change(self, instance_id: str, timeout: float) -> bool:
        """Wait until the instance next changes (an episode, a termination); False on timeout."""
        return await _wait_registered(self._change_waiters, instance_id, timeout) is not None

    def _notify(self, instance_id: str) -> None:
        """Wake whoever waits for this instance to change, and those waiting for its end if it ended."""
        for changed in self._change_waiters.pop(instance_id, []):
            if not changed.done():
                changed.set_result(True)
        if instance_id not in self._waiters:
            return
        mark = self.store.load_mark(instance_id)
        if mark is None or mark[0] not in TERMINAL_STATUSES:
            return
        status = self.get_status(instance_id)
        if status is not None:
            for waiter in self._waiters.pop(instance_id):
                if not waiter.done():
                    waiter.set_result(status)

    # -------------------------------------------------------------- orchestrations
    async def start_new(
        self, name: str, instance_id: str | None, input_text: str | None, version: str | None = None
    ) -> str:
        function = self.registry.orchestrator(name)
        if function is None:
            raise BadRequest(
                UNKNOWN_ORCHESTRATOR.format(name=name) + " Additional info: no such orchestrator."
            )
        instance_id = instance_id or uuid.uuid4().hex
        if not instance_id.strip() or any(c in instance_id for c in "/\\#?") or instance_id.startswith("@"):
            raise BadRequest(
                f"Instance id '{instance_id}' is not valid: it may not contain / \\ # ? or start with @."
            )
        existing = self.store.load_instance(instance_id)
        if existing is not None and existing.is_active:
            raise Conflict(
                f"An orchestration instance with id '{instance_id}' is already {existing.status.value}."
            )
        version = version or self._default_version
        with self.store.transaction():
            if existing is not None:
                self.store.delete_instance(instance_id)
            self.store.save_instance(new_instance(instance_id, function.name, version, input_text))
        self._forget(instance_id)
        self.dispatcher.wake_instance(instance_id)
        return instance_id

    def get_status(
        self,
        instance_id: str,
        *,
        show_history: bool = False,
        show_history_output: bool = False,
        show_input: bool = True,
    ) -> dict[str, Any] | None:
        record = self.store.load_instance(instance_id)
        if record is None:
            return None
        history = self.store.load_history(instance_id) if show_history else None
        return status_payload(
            record, show_input=show_input, history=history, show_history_output=show_history_output
        )

    def query(
        self,
        match: InstanceFilter,
        *,
        top: int | None = None,
        continuation: str | None = None,
        show_input: bool = True,
    ) -> InstancePage:
        """One page of matching instances, in the order and size the Azure Storage provider answers."""
        size = page_size(top)
        records = self.store.query_instances(match, after_id=resume_after(continuation), limit=size + 1)
        shown = records[:size]
        token = continuation_token(shown[-1].instance_id) if len(records) > size else None
        return InstancePage([status_payload(record, show_input=show_input) for record in shown], token)

    def _require(self, instance_id: str, *, finished_is_gone: bool = True) -> InstanceRecord:
        record = self.store.load_instance(instance_id)
        if record is None:
            raise NotFound(f"No instance with ID '{instance_id}' found.")
        if finished_is_gone and record.status in TERMINAL_STATUSES:
            raise Gone(
                f"The instance '{instance_id}' is {record.status.value}; the operation no longer applies."
            )
        return record

    def _forget(self, instance_id: str) -> None:
        if self._runner is not None:
            self._runner.forget(instance_id)

    def _append_history(self, record: InstanceRecord, event_type: HistoryEventType, **fields: Any) -> None:
        """Record a host-side event (terminate, suspend, resume) once the execution has a history."""
        history = self.store.load_history(record.instance_id)
        if history:
            self.store.append_history(
                record.instance_id, len(history), [played(event(event_type, utc_now(), **fields))]
            )
        self._forget(record.instance_id)

    async def raise_event(self, instance_id: str, name: str, input_text: str | None) -> None:
        record = self._require(instance_id)
        raised = event(
            HistoryEventType.EVENT_RAISED,
            utc_now(),
            Name=name,
            Input=input_text if input_text is not None else "null",
        )
        with self.store.transaction():
            self.store.add_inbox(record.instance_id, None, raised)
        self.dispatcher.wake_instance(instance_id)

    async def terminate(self, instance_id: str, reason: str | None) -> None:
        record = self._require(instance_id)
        wakeups = Wakeups()
        output_text = json.dumps(reason or "")
        with self.store.transaction():
            # As DurableTask.Core records it: the termination, then the execution's end with its reason.
            self._append_history(record, HistoryEventType.EXECUTION_TERMINATED, Input=reason)
            terminated = OrchestrationRuntimeStatus.Terminated.value
            completed = {"OrchestrationStatus": terminated, "Result": output_text}
            self._append_history(record, HistoryEventType.EXECUTION_COMPLETED, **completed)
            assert self._runner is not None
            self._runner.finish(record, OrchestrationRuntimeStatus.Terminated, output_text, wakeups)
            record.updated = time.time()
            self.store.save_instance(record)
        self.dispatcher.dispatch(wakeups)
        self._notify(instance_id)
        log.info("terminated %s: %s", instance_id, reason)

    async def suspend(self, instance_id: str, reason: str | None) -> None:
        record = self._require(instance_id)
        if record.status is OrchestrationRuntimeStatus.Suspended:
            return
        with self.store.transaction():
            self._append_history(record, HistoryEventType.EXECUTION_SUSPENDED, Reason=reason)
            record.status, record.updated = OrchestrationRuntimeStatus.Suspended, time.time()
            self.store.save_instance(record)

    async def resume(self, instance_id: str, reason: str | None) -> None:
        record = self._require(instance_id)
        if record.status is not OrchestrationRuntimeStatus.Suspended:
            return
        with self.store.transaction():
            self._append_history(record, HistoryEventType.EXECUTION_RESUMED, Reason=reason)
            started = bool(self.store.load_history(instance_id))
            record.status = (
                OrchestrationRuntimeStatus.Running if started else OrchestrationRuntimeStatus.Pending
            )
            record.updated = time.time()
            self.store.save_instance(record)
        self.dispatcher.wake_instance(instance_id)

    async def rewind(self, instance_id: str, reason: str | None) -> None:
        record = self._require(instance_id, finished_is_gone=False)
        if record.status is not OrchestrationRuntimeStatus.Failed:
            state = record.status.value
            message = f"The instance '{instance_id}' is {state}; only Failed instances can be rewound."
            raise Gone(message) if record.status in TERMINAL_STATUSES else Conflict(message)
        plan = RewindPlan()
        with self.store.transaction():
            if not rewind_instance(self.store, record, plan):
                raise Conflict(f"The instance '{instance_id}' has no failed episode to rewind.")
        for rewound in plan.instances:
            self._forget(rewound)
        self.dispatcher.dispatch(
            Wakeups(instances=set(plan.instances), activities=plan.activities, timers=plan.timers)
        )
        log.info("rewound %s: %s", instance_id, reason)

    async def restart(self, instance_id: str, new_instance_id: bool) -> str:
        record = self.store.load_instance(instance_id)
        if record is None:
            raise BadRequest(f"No instance with ID '{instance_id}' found to restart.")
        target = uuid.uuid4().hex if new_instance_id else instance_id
        return await self.start_new(record.name, target, record.input, record.version)

    def purge(self, instance_id: str) -> int:
        with self.store.transaction():
            deleted = self.store.delete_instance(instance_id)
        self._forget(instance_id)
        return deleted

    async def purge_by(self, match: InstanceFilter) -> int:
        """Purge every matching instance, `PURGE_BATCH` per transaction, letting the loop serve requests
        and run episodes between batches: the nightly purge of thousands of runs held it for a second
        per 4,000. Each batch reads the filter afresh, so a run restarted meanwhile is not purged."""
        deleted = 0
        while True:
            with self.store.transaction():
                purged = self.store.delete_matching(match, PURGE_BATCH)
            for instance_id in purged:
                self._forget(instance_id)
            deleted += len(purged)
            if len(purged) < PURGE_BATCH:
                return deleted
            await asyncio.sleep(0)

    # -------------------------------------------------------------------- entities
    async def signal_entity(self, name: str, key: str, operation: str, input_text: str | None) -> None:
        if not self.registry.has_entity(name):
            raise BadRequest(f"No entity named '{name}' is defined by this app.")
        entity_id = entity_scheduler_id(f"@{name}@{key}")[0]
        with self.store.transaction():
            self.store.add_entity_op(entity_id, operation, input_text)
        self.dispatcher.wake_entity(entity_id)

    def read_entity(self, name: str, key: str) -> str | None:
        exists, state = self.store.load_entity_state(entity_scheduler_id(f"@{name}@{key}")[0])
        return state if exists else None

    def list_entities(
        self, name: str | None = None, *, fetch_state: bool = False, top: int | None = None
    ) -> list[dict[str, Any]]:
        rows = self.store.list_entities(name.lower() if name else None, top)
        listed = []
        for row in rows:
            item: dict[str, Any] = {
                "entityId": {"key": row.key, "name": row.name},
                "lastOperationTime": datetime.fromtimestamp(row.last_operation, UTC).strftime(
                    "%Y-%m-%dT%H:%M:%SZ"
                ),
            }
            if fetch_state:
                item["state"] = None if row.state is None else json.loads(row.state)
            listed.append(item)
        return listed


async def _wait_registered(waiters: dict[str, list[asyncio.Future[T]]], key: str, timeout: float) -> T | None:
    """Register a future under `key` and wait for its result; None on timeout. Always unregistered."""
    waiter: asyncio.Future[T] = asyncio.get_running_loop().create_future()
    waiters.setdefault(key, []).append(waiter)
    try:
        async with asyncio.timeout(timeout):  # not wait_for: on 3.11 it can swallow a cancel
            return await waiter
    except TimeoutError:
        return None
    finally:
        registered = waiters.get(key, [])
        if waiter in registered:
            registered.remove(waiter)
        if not registered:
            waiters.pop(key, None)
