"""Run one orchestrator episode against the store: pick events, call the SDK, commit the decision."""

import json
import logging
import time
import uuid
from dataclasses import dataclass, field

from azure.durable_functions.models.history import HistoryEventType
from azure.durable_functions.models.OrchestrationRuntimeStatus import OrchestrationRuntimeStatus

from devhost.batching import Batch, select_batch
from devhost.decisions import Decision, Execution, decide
from devhost.episode import EpisodeOutput, build_payload, run_orchestrator
from devhost.history import Event, event, utc_now
from devhost.registry import DurableRegistry
from devhost.sessions import EpisodeInput, SessionCache
from devhost.state import Bookkeeping, InstanceRecord, ParentLink
from devhost.store import ActivityRow, InboxRow, Store, TimerRow
from devhost.work import ActivityWork, ChildWork, EntityWork, TimerWork

log = logging.getLogger("devhost")

UNKNOWN_ORCHESTRATOR = "The function '{name}' doesn't exist, is disabled, or is not an orchestrator function."


@dataclass
class Wakeups:
    """What became runnable when a transaction committed; the engine dispatches it."""

    instances: set[str] = field(default_factory=set)
    entities: set[str] = field(default_factory=set)
    activities: list[ActivityRow] = field(default_factory=list)
    timers: list[TimerRow] = field(default_factory=list)
    cancelled_timer_rows: list[int] = field(default_factory=list)

    def merge(self, other: "Wakeups") -> None:
        self.instances |= other.instances
        self.entities |= other.entities
        self.activities += other.activities
        self.timers += other.timers
        self.cancelled_timer_rows += other.cancelled_timer_rows


def played(evt: Event) -> str:
    """The stored form of an event: everything in the store has been played."""
    return json.dumps({**evt, "IsPlayed": True})


def entity_scheduler_id(instance_id: str) -> tuple[str, str, str]:
    """``@Name@key`` -> (``@name@key``, name, key): entity names compare case-insensitively."""
    _, name, key = instance_id.split("@", 2)
    return f"@{name.lower()}@{key}", name.lower(), key


def new_instance(
    instance_id: str, name: str, version: str, text: str | None, parent: ParentLink | None = None
) -> InstanceRecord:
    now = time.time()
    return InstanceRecord(
        instance_id=instance_id,
        name=name,
        version=version,
        execution_id=uuid.uuid4().hex,
        status=OrchestrationRuntimeStatus.Pending,
        input=text,
        created=now,
        updated=now,
        parent=parent,
    )


def completion_for_parent(
    record: InstanceRecord, status: OrchestrationRuntimeStatus, output_text: str
) -> Event:
    """What a finished sub-orchestration reports to its parent (protocol §2.6, §2.7)."""
    assert record.parent is not None
    task_id = record.parent.task_id
    if status is OrchestrationRuntimeStatus.Completed:
        return event(
            HistoryEventType.SUB_ORCHESTRATION_INSTANCE_COMPLETED,
            utc_now(),
            TaskScheduledId=task_id,
            Result=output_text,
        )
    reason = json.loads(output_text)
    return event(
        HistoryEventType.SUB_ORCHESTRATION_INSTANCE_FAILED,
        utc_now(),
        TaskScheduledId=task_id,
        Reason=reason,
        Details=None,
    )


class EpisodeRunner:
    """Owns the played-history cache and turns ready instances into committed episodes."""

    def __init__(
        self,
        store: Store,
        registry: DurableRegistry,
        default_version: str,
        verbose: bool,
        sessions: SessionCache | None = None,
    ) -> None:
        self._store = store
        self._registry = registry
        self._default_version = default_version
        self._verbose = verbose
        self._sessions = sessions  # extended sessions, when enabled
        self._played: dict[str, list[str]] = {}

    def forget(self, instance_id: str) -> None:
        """Drop cached history and session after history changed outside an episode (terminate, rewind)."""
        self._played.pop(instance_id, None)
        if self._sessions is not None:
            self._sessions.drop(instance_id)

    def _history(self, instance_id: str) -> list[str]:
        if instance_id not in self._played:
            self._played[instance_id] = self._store.load_history(instance_id)
        return self._played[instance_id]

    def run(self, instance_id: str, arrived: InboxRow | None = None) -> Wakeups:
        """One episode for an instance with new events (or a first one); nothing if there is nothing to do.

        `arrived`: an event handed over in the caller's transaction rather than through the inbox (an
        activity's result, `Dispatcher._deliver`), so it is neither written, read back nor deleted; it
        counts as the newest inbox row, and goes to the inbox when this episode does not take it in.
        """
        record = self._store.load_instance(instance_id)
        if record is None or record.status not in (
            OrchestrationRuntimeStatus.Pending,
            OrchestrationRuntimeStatus.Running,
        ):
            self._keep(instance_id, arrived)
            return Wakeups()
        history = self._history(instance_id)
        snapshot = record.book.to_json()
        inbox = self._store.load_inbox(instance_id)
        batch = select_batch([*inbox, arrived] if arrived else inbox, record.execution_id, record.book)
        if arrived is not None and arrived.row_id in batch.consumed:
            batch.consumed.remove(arrived.row_id)
        else:
            self._keep(instance_id, arrived)
        if history and not batch.events and batch.retry_event is None:
            if batch.consumed:
                with self._store.transaction():
                    self._store.delete_inbox(batch.consumed)
            return Wakeups(instances={instance_id} if batch.held_back else set())
        return self._episode(record, history, batch, snapshot)

    def _keep(self, instance_id: str, arrived: InboxRow | None) -> None:
        """Put an event handed to `run` that no episode took in into the inbox, as if it came that way."""
        if arrived is not None:
            self._store.add_inbox(instance_id, arrived.execution_id, arrived.event)

    def _opening_events(self, record: InstanceRecord, first: bool, batch: Batch) -> list[Event]:
        now = utc_now()
        events = [event(HistoryEventType.ORCHESTRATOR_STARTED, now)]
        if first:
            parent = record.parent
            events.append(
                event(
                    HistoryEventType.EXECUTION_STARTED,
                    now,
                    Name=record.name,
                    Version=record.version,
                    Input=record.input,
                    OrchestrationInstance={
                        "InstanceId": record.instance_id,
                        "ExecutionId": record.execution_id,
                    },
                    ParentInstance=None
                    if parent is None
                    else {
                        "OrchestrationInstance": {
                            "InstanceId": parent.instance_id,
                            "ExecutionId": parent.execution_id,
                        }
                    },
                    Tags=None,
                )
            )
        if batch.retry_event is not None:
            events.append(batch.retry_event)
        return events + batch.events

    def _call(self, record: InstanceRecord, history: list[str], new_events: list[Event]) -> EpisodeOutput:
        function = self._registry.orchestrator(record.name)
        if function is None:
            message = UNKNOWN_ORCHESTRATOR.format(name=record.name)
            return EpisodeOutput([], False, None, message, False, None)
        parent_id = record.parent.instance_id if record.parent else None

        def payload() -> str:
            text = build_payload(record.instance_id, parent_id, record.input, history, new_events)
            if self._verbose:
                log.info("orchestrator payload %s: %s", record.instance_id, text)
            return text

        if self._sessions is None:
            return run_orchestrator(function.handler, payload())
        episode = EpisodeInput(record.instance_id, record.execution_id, history, new_events, payload)
        return self._sessions.run(function.handler, episode)

    def _episode(self, record: InstanceRecord, history: list[str], batch: Batch, snapshot: str) -> Wakeups:
        """Call the orchestrator and commit; whatever failed half-way, the next episode replays in full."""
        try:
            return self._run_episode(record, history, batch, snapshot)
        except Exception:
            self.forget(record.instance_id)
            raise

    def _run_episode(
        self, record: InstanceRecord, history: list[str], batch: Batch, snapshot: str
    ) -> Wakeups:
        """Call the orchestrator and commit history, work and status in one transaction."""
        started = time.perf_counter()
        new_events = self._opening_events(record, not history, batch)
        output = self._call(record, history, new_events)
        now = utc_now()
        execution = Execution(record.instance_id, record.execution_id, record.name)
        decision = decide(record.book, execution, now, output, batch.retry_event)
        if decision.exhausted_retry is not None:
            record.book.retries[decision.exhausted_retry].before_last_failure = snapshot
        if output.has_custom_status:
            record.custom_status = json.dumps(output.custom_status)
        with self._store.transaction():
            self._store.delete_inbox(batch.consumed)
            wakeups = self._commit_work(record, decision)
            closing = self._settle(record, decision, wakeups)
            if closing is not None:
                stored = [played(e) for e in [*new_events, *decision.events, *closing]]
                self._store.append_history(record.instance_id, len(history), stored)
            record.updated = time.time()
            if record.status is OrchestrationRuntimeStatus.Failed:
                record.book.rewind_point = snapshot
            self._store.save_instance(record)
        if closing is not None and record.status is OrchestrationRuntimeStatus.Running:
            history.extend(stored)
        else:
            self.forget(record.instance_id)
        if batch.held_back:
            wakeups.instances.add(record.instance_id)
        log.info(
            "episode %s %s: %d new events, %d new work -> %s in %.1f ms",
            record.name,
            record.instance_id,
            len(new_events) - 1,
            len(decision.work),
            record.status.value,
            (time.perf_counter() - started) * 1000,
        )
        return wakeups

    def _commit_work(self, record: InstanceRecord, decision: Decision) -> Wakeups:
        wakeups = Wakeups()
        iid, xid = record.instance_id, record.execution_id
        for work in decision.work:
            if isinstance(work, ActivityWork):
                row_id = self._store.add_activity(iid, xid, work.task_id, work.name, work.input)
                wakeups.activities.append(ActivityRow(row_id, iid, xid, work.task_id, work.name, work.input))
            elif isinstance(work, TimerWork):
                row_id = self._store.add_timer(iid, xid, work.timer_id, work.fire_at)
                wakeups.timers.append(TimerRow(row_id, iid, xid, work.timer_id, work.fire_at))
            elif isinstance(work, ChildWork):
                wakeups.instances.add(self._create_child(record, work))
            elif isinstance(work, EntityWork):
                entity_id = entity_scheduler_id(work.entity_id)[0]
                self._store.add_entity_op(
                    entity_id,
                    work.operation,
                    work.input,
                    caller=iid,
                    caller_execution=xid,
                    request_id=work.request_id,
                )
                wakeups.entities.add(entity_id)
        for timer_id in decision.cancelled_timers:
            timer_row = self._store.delete_timer(iid, timer_id)
            if timer_row is not None:
                wakeups.cancelled_timer_rows.append(timer_row)
        return wakeups

    def _create_child(self, parent: InstanceRecord, work: ChildWork) -> str:
        """Create the sub-orchestration, or report at once to the parent why it cannot run."""
        function = self._registry.orchestrator(work.name)
        existing = self._store.load_instance(work.instance_id)
        link = ParentLink(parent.instance_id, parent.execution_id, work.task_id)
        reason = None
        if function is None:
            reason = UNKNOWN_ORCHESTRATOR.format(name=work.name)
        elif existing is not None and existing.is_active:
            reason = (
                f"An orchestration instance with id '{work.instance_id}' is already {existing.status.value}."
            )
        if reason is not None:
            failed = event(
                HistoryEventType.SUB_ORCHESTRATION_INSTANCE_FAILED,
                utc_now(),
                TaskScheduledId=work.task_id,
                Reason=reason,
                Details=None,
            )
            self._store.add_inbox(parent.instance_id, parent.execution_id, failed)
            return parent.instance_id
        assert function is not None
        if existing is not None:
            self._store.delete_instance(work.instance_id)
            self.forget(work.instance_id)
        version = work.version or self._default_version
        self._store.save_instance(new_instance(work.instance_id, function.name, version, work.input, link))
        return work.instance_id

    def _settle(self, record: InstanceRecord, decision: Decision, wakeups: Wakeups) -> list[Event] | None:
        """Apply the outcome to the record; returns the events that close the episode, None after a reset."""
        now = utc_now()
        closing = [event(HistoryEventType.ORCHESTRATOR_COMPLETED, now)]
        if decision.outcome is OrchestrationRuntimeStatus.Running:
            record.status = OrchestrationRuntimeStatus.Running
            return closing
        if decision.outcome is OrchestrationRuntimeStatus.ContinuedAsNew:
            self._store.delete_work(record.instance_id)
            self._store.replace_history(record.instance_id, [])
            record.input, record.execution_id, record.book = decision.output, uuid.uuid4().hex, Bookkeeping()
            record.status = OrchestrationRuntimeStatus.Running
            wakeups.instances.add(record.instance_id)
            wakeups.activities.clear()
            wakeups.timers.clear()
            return None
        if decision.outcome is OrchestrationRuntimeStatus.Completed:
            output_text = json.dumps(decision.output)
        else:
            output_text = json.dumps(f"Orchestrator function '{record.name}' failed: {decision.output}")
        self.finish(record, decision.outcome, output_text, wakeups)
        completed = event(
            HistoryEventType.EXECUTION_COMPLETED,
            now,
            OrchestrationStatus=decision.outcome.value,
            Result=output_text,
        )
        return [completed, *closing]

    def finish(
        self, record: InstanceRecord, status: OrchestrationRuntimeStatus, output_text: str, wakeups: Wakeups
    ) -> None:
        """End an execution inside the caller's transaction: status, output, parent notified, work dropped."""
        record.status, record.output = status, output_text
        self._store.delete_work(record.instance_id)
        wakeups.activities.clear()
        wakeups.timers.clear()
        if record.parent is not None:
            parent = record.parent
            self._store.add_inbox(
                parent.instance_id, parent.execution_id, completion_for_parent(record, status, output_text)
            )
            wakeups.instances.add(parent.instance_id)
