"""An in-memory stand-in for the subset of `DurableOrchestrationClient` the run API uses.

Statuses are real `DurableOrchestrationStatus.from_json(...)` objects built from the JSON the
extension's status API sends (`historyEvents` included), so the handlers meet the SDK's quirks.
Runs move on only when a test says so: `finish_after` flips a run's state after N status reads.
"""

import json
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from azure.durable_functions import EntityId
from azure.durable_functions.models.DurableOrchestrationStatus import DurableOrchestrationStatus
from azure.durable_functions.models.EntityStateResponse import EntityStateResponse
from azure.durable_functions.models.PurgeHistoryResult import PurgeHistoryResult

T0 = datetime(2024, 5, 1, 12, 0, 0, tzinfo=UTC)
HOST_PAGE_SIZE = 100  # what the extension answers per instance query when the SDK sends no `top`


def stamp(moment: datetime) -> str:
    """The extension's timestamp form: seven fractional digits and `Z`."""
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%f") + "0Z"


@dataclass
class FakeRun:
    instance_id: str
    name: str
    status: str = "Pending"
    created: datetime = T0
    updated: datetime = T0
    input: Any = None
    output: Any = None
    custom_status: Any = None
    history: list[dict[str, Any]] = field(default_factory=list)
    # (status reads left, changes to apply when they run out)
    pending_change: tuple[int, dict[str, Any]] | None = None

    def status_json(self, with_history: bool) -> dict[str, Any]:
        body: dict[str, Any] = {
            "name": self.name,
            "instanceId": self.instance_id,
            "runtimeStatus": self.status,
            "input": self.input,
            "customStatus": self.custom_status,
            "output": self.output,
            "createdTime": self.created.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "lastUpdatedTime": self.updated.strftime("%Y-%m-%dT%H:%M:%SZ"),
        }
        if with_history:
            body["historyEvents"] = [dict(event) for event in self.history]
        return body

    def tick(self) -> None:
        if self.pending_change is None:
            return
        left, change = self.pending_change
        if left > 1:
            self.pending_change = (left - 1, change)
            return
        self.pending_change = None
        for key, value in change.items():
            setattr(self, key, value)


class FakeDurableClient:
    """Records every call; `runs` is the task hub."""

    def __init__(self) -> None:
        self.runs: dict[str, FakeRun] = {}
        self.started: list[tuple[str, Any]] = []
        self.raised: list[tuple[str, str, Any]] = []
        self.terminated: list[tuple[str, str]] = []
        self.purged_by: list[dict[str, Any]] = []
        self.entities: dict[tuple[str, str], Any] = {}
        self.signals: list[tuple[str, str, str]] = []
        # Entity state reads left before a `delete` signal takes effect (the entity runs it later).
        self.delete_after_reads = 0
        self.status_reads = 0
        self.history_reads = 0
        self.status_queries: list[tuple[datetime | None, datetime | None]] = []
        self.on_start: dict[str, Any] | None = None

    # --- test set-up -------------------------------------------------------------------
    def add_run(self, instance_id: str, name: str = "single", **fields: Any) -> FakeRun:
        run = FakeRun(instance_id=instance_id, name=name, **fields)
        self.runs[instance_id] = run
        return run

    def finish_after(self, instance_id: str, reads: int, **changes: Any) -> None:
        self.runs[instance_id].pending_change = (reads, changes)

    # --- the client surface the API uses --------------------------------------------------
    async def start_new(
        self, orchestration_function_name: str, instance_id: str | None = None, client_input: Any = None
    ) -> str:
        run_id = instance_id or uuid.uuid4().hex
        created = T0 + timedelta(seconds=len(self.runs))
        run = self.add_run(
            run_id, orchestration_function_name, created=created, input=json.dumps(client_input)
        )
        self.started.append((orchestration_function_name, client_input))
        if self.on_start is not None:
            reads = self.on_start.get("reads", 1)
            run.pending_change = (reads, {k: v for k, v in self.on_start.items() if k != "reads"})
        return run_id

    async def get_status(
        self,
        instance_id: str,
        show_history: bool = False,
        show_history_output: bool = False,
        show_input: bool = False,
    ) -> DurableOrchestrationStatus:
        self.status_reads += 1
        self.history_reads += show_history
        run = self.runs.get(instance_id)
        if run is None:
            # The extension answers 404 with an empty body: the SDK builds a falsy status.
            return DurableOrchestrationStatus.from_json({})
        run.tick()
        return DurableOrchestrationStatus.from_json(run.status_json(show_history))

    async def get_status_by(
        self,
        created_time_from: datetime | None = None,
        created_time_to: datetime | None = None,
        runtime_status: list[Any] | None = None,
        instance_id_prefix: str | None = None,
    ) -> list[DurableOrchestrationStatus]:
        """As the host answers the SDK: inclusive bounds compared at full precision, instance-id order,
        at most HOST_PAGE_SIZE of them (the continuation token the SDK would drop is not modelled)."""
        self.status_queries.append((created_time_from, created_time_to))
        wanted = {status.value for status in runtime_status} if runtime_status else None
        matching = sorted(
            (
                run
                for run in self.runs.values()
                if (created_time_to is None or run.created <= created_time_to)
                and (created_time_from is None or run.created >= created_time_from)
                and (wanted is None or run.status in wanted)
                and run.instance_id.startswith(instance_id_prefix or "")
            ),
            key=lambda run: run.instance_id,
        )
        return [
            DurableOrchestrationStatus.from_json(run.status_json(False)) for run in matching[:HOST_PAGE_SIZE]
        ]

    async def raise_event(self, instance_id: str, event_name: str, event_data: Any = None) -> None:
        """Record the event; a person's decision is taken as the orchestrators take one, the first for
        its wait (the graph's request, else the event) listed under `decided` in the progress. The
        SDK's exceptions for the API's 404 and 410 (an ended run)."""
        run = self.runs.get(instance_id)
        if run is None:
            raise Exception(f"No instance with ID {instance_id} found.")
        if run.status in ("Completed", "Failed", "Terminated"):
            raise Exception(f"Instance with ID {instance_id} is gone: either completed or failed")
        self.raised.append((instance_id, event_name, event_data))
        progress = run.custom_status
        if isinstance(event_data, dict) and "decisionId" in event_data and isinstance(progress, dict):
            wait = event_data.get("requestId") or event_name
            decided = {wait: event_data["decisionId"], **progress.get("decided", {})}  # the first one stays
            run.custom_status = {**progress, "decided": decided}  # a copy: tests share progress dicts

    async def terminate(self, instance_id: str, reason: str) -> None:
        run = self.runs.get(instance_id)
        if run is None:
            raise Exception(f"No instance with ID '{instance_id}' found.")
        self.terminated.append((instance_id, reason))
        if run.status in ("Running", "Pending", "Suspended", "ContinuedAsNew"):
            run.status, run.output = "Terminated", reason

    async def purge_instance_history(self, instance_id: str) -> PurgeHistoryResult:
        return PurgeHistoryResult(instancesDeleted=1 if self.runs.pop(instance_id, None) else 0)

    async def purge_instance_history_by(
        self,
        created_time_from: datetime | None = None,
        created_time_to: datetime | None = None,
        runtime_status: list[Any] | None = None,
    ) -> PurgeHistoryResult:
        self.purged_by.append(
            {
                "from": created_time_from,
                "to": created_time_to,
                "statuses": [s.value for s in runtime_status or []],
            }
        )
        doomed = [
            key
            for key, run in self.runs.items()
            if (created_time_to is None or run.created <= created_time_to)
            and (not runtime_status or run.status in {s.value for s in runtime_status})
        ]
        for key in doomed:
            del self.runs[key]
        return PurgeHistoryResult(instancesDeleted=len(doomed))

    async def signal_entity(
        self, entityId: EntityId, operation_name: str, operation_input: Any = None
    ) -> None:
        """Record the signal; `delete` removes the entity after `delete_after_reads` state reads."""
        self.signals.append((entityId.name, entityId.key, operation_name))

    async def read_entity_state(self, entityId: EntityId) -> EntityStateResponse:
        key = (entityId.name, entityId.key)
        if (key[0], key[1], "delete") in self.signals:
            if self.delete_after_reads <= 0:
                self.entities.pop(key, None)
            self.delete_after_reads -= 1
        if key not in self.entities:
            return EntityStateResponse(False)
        return EntityStateResponse(True, self.entities[key])


def decisions_raised(client: FakeDurableClient) -> list[tuple[str, str, Any]]:
    """`client.raised` with each decision's id checked and left out (every one gets a fresh id)."""
    seen = []
    for instance_id, name, data in client.raised:
        assert isinstance(data, dict) and len(data.get("decisionId", "")) == 32, data
        seen.append((instance_id, name, {k: v for k, v in data.items() if k != "decisionId"}))
    return seen
