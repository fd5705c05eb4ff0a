"""`OrchestrationRun`: one orchestration instance driven step by step, with the host's bookkeeping."""

import copy
import json
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import azure.durable_functions as df
import azure.functions as func

from devhost.episode import flatten
from tests.orchestrators.harness.driver import (
    ACTIVITY_ACTIONS,
    CALL_ENTITY,
    CREATE_TIMER,
    WAIT_FOR_EVENT,
    Activities,
    Episode,
    Recording,
    RetryState,
    Work,
    invoke,
    trigger_payload,
)
from tests.orchestrators.harness.history import T0, EventType, event, execution_started, parse_time


class OrchestrationRun:
    """A run of `orchestrator` on `input_`; call `start()`, then deliver results one at a time."""

    def __init__(
        self,
        orchestrator: Callable[..., Any],
        input_: Any,
        *,
        instance_id: str = "run-1",
        start: datetime = T0,
        entities: dict[str, Callable[..., None]] | None = None,
        entity_states: dict[str, str] | None = None,
    ) -> None:
        """`entities` maps entity names to their functions; pass one `entity_states` dict to several
        runs to let them share entity state (scheduler id -> state JSON text)."""
        self.name = orchestrator.__name__
        self.instance_id = instance_id
        self.input_text = json.dumps(input_)  # the client posts JSON text as a JSON string
        self.now = start
        self.history: list[dict[str, Any]] = []
        self.pending: dict[int, Work] = {}
        self.episodes: list[Episode] = []
        self.entity_states = {} if entity_states is None else entity_states
        self._handle = df.Orchestrator.create(orchestrator)
        self._entities = {name.lower(): df.Entity.create(fn) for name, fn in (entities or {}).items()}
        self._next_id = 0
        self._seen_top = 0
        self._ids: list[int | None] = []  # sequence id of each flattened action
        self._attempts: dict[int, RetryState] = {}
        self._retry_timers: dict[int, RetryState] = {}

    # ----------------------------------------------------------------- what a test reads
    @property
    def last(self) -> Episode:
        return self.episodes[-1]

    @property
    def done(self) -> bool:
        return bool(self.episodes) and (self.last.done or self.last.error is not None)

    @property
    def statuses(self) -> list[Any]:
        """The custom status after each episode, consecutive repeats merged."""
        seen: list[Any] = []
        for episode in self.episodes:
            if episode.custom_status is not None and (not seen or seen[-1] != episode.custom_status):
                seen.append(episode.custom_status)
        return seen

    @property
    def steps(self) -> list[str]:
        """The progress step names in the order the run reported them."""
        return [status["step"] for status in self.statuses]

    def waiting(self, kind: str) -> list[Work]:
        """Pending work of one kind, oldest first."""
        return [work for work in self.pending.values() if work.kind == kind]

    def entity_state(self, name: str, key: str) -> Any:
        text = self.entity_states.get(f"@{name.lower()}@{key}")
        return None if text is None else json.loads(text)

    def recording(self) -> Recording:
        state = {"actions": self.last.actions, "customStatus": self.last.custom_status}
        state.update(isDone=self.last.done, output=self.last.output, error=self.last.error)
        return Recording(self.instance_id, self.input_text, copy.deepcopy(self.history), state)

    # ------------------------------------------------------------- what the host delivers
    def start(self) -> Episode:
        if self.history:
            raise AssertionError(f"run {self.instance_id} already started")
        return self._episode([])

    def complete(self, work_id: int, result: Any) -> Episode:
        self._take(work_id, "activity")
        return self._episode(
            [self._event(EventType.TASK_COMPLETED, TaskScheduledId=work_id, Result=json.dumps(result))]
        )

    def fail(self, work_id: int, error_type: str, message: str, details: str | None = None) -> Episode:
        """The activity raised `error_type`; Reason is formatted like the worker and extension do."""
        work = self._take(work_id, "activity")
        reason = f"Activity function '{work.name}' failed: {error_type}: {message}"
        return self._episode(
            [self._event(EventType.TASK_FAILED, TaskScheduledId=work_id, Reason=reason, Details=details)]
        )

    def fire(self, timer_id: int) -> Episode:
        work = self._take(timer_id, "timer")
        self.now = max(self.now, work.fire_at or self.now)
        return self._episode(
            [self._event(EventType.TIMER_FIRED, TimerId=timer_id, FireAt=_iso(work.fire_at))]
        )

    def raise_event(self, name: str, payload: Any) -> Episode:
        return self._episode([self._event(EventType.EVENT_RAISED, Name=name, Input=json.dumps(payload))])

    def run_entity(self, work_id: int) -> Episode:
        work = self._take(work_id, "entity")
        reply = self._entity_operation(work)
        return self._episode(
            [self._event(EventType.EVENT_RAISED, Name=work.request_id, Input=json.dumps(reply))]
        )

    def drive(self, activities: Activities, *, fire_timers: bool = True, max_episodes: int = 200) -> Episode:
        """Deliver pending work until the run ends or only an external event (or a timer) can move it.

        Activities run through `activities(name, input)` (an exception fails the activity with its
        class name), entity calls through the real entity functions, and timers fire earliest first,
        only when nothing else is pending and `fire_timers` is true.
        """
        for _ in range(max_episodes):
            work = None if self.done else self._next_work(fire_timers)
            if work is None:
                return self.last
            self._perform(work, activities)
        raise AssertionError(f"run {self.instance_id} did not settle within {max_episodes} episodes")

    # --------------------------------------------------------------------- bookkeeping
    def _next_work(self, fire_timers: bool) -> Work | None:
        for kind in ("activity", "entity"):
            if self.waiting(kind):
                return self.waiting(kind)[0]
        timers = sorted(self.waiting("timer"), key=lambda work: (work.fire_at, work.id))
        return timers[0] if timers and fire_timers else None

    def _perform(self, work: Work, activities: Activities) -> None:
        if work.kind == "timer":
            self.fire(work.id)
        elif work.kind == "entity":
            self.run_entity(work.id)
        else:
            try:
                result = activities(work.name, work.input)
            except Exception as error:
                self.fail(work.id, type(error).__name__, str(error))
            else:
                self.complete(work.id, result)

    def _take(self, work_id: int, kind: str) -> Work:
        work = self.pending.get(work_id)
        if work is None or work.kind != kind:
            raise AssertionError(f"no pending {kind} with id {work_id}; pending: {sorted(self.pending)}")
        return self.pending.pop(work_id)

    def _event(self, kind: EventType, event_id: int = -1, **fields: Any) -> dict[str, Any]:
        return event(kind, self.now, event_id, **fields)

    def _allocate(self) -> int:
        self._next_id += 1
        return self._next_id - 1

    def _episode(self, new_events: list[dict[str, Any]]) -> Episode:
        self.now += timedelta(seconds=1)
        for old in self.history:
            old["IsPlayed"] = True
        opening = [self._event(EventType.ORCHESTRATOR_STARTED)]
        if not self.history:
            opening.append(
                execution_started(self.now, self.name, self.instance_id, json.dumps(self.input_text))
            )
        for new in new_events:
            new["Timestamp"] = opening[0]["Timestamp"]
        self.history += opening + new_events
        state = invoke(self._handle, trigger_payload(self.instance_id, self.input_text, self.history))
        self._retry_step(new_events)  # DTFx allocates retry ids before the new actions' ids
        top = state["actions"][0] if state["actions"] else []
        flat = flatten(top)
        scheduled = [work for action in flat[len(self._ids) :] if (work := self._schedule(action))]
        self._drop_cancelled_timers(flat)
        self.history.append(self._event(EventType.ORCHESTRATOR_COMPLETED))
        episode = Episode(
            started_at=self.now,
            new_actions=top[self._seen_top :],
            scheduled=scheduled,
            actions=flat,
            custom_status=state.get("customStatus"),
            done=bool(state.get("isDone")) and "error" not in state,
            output=state.get("output"),
            error=state.get("error"),
        )
        self._seen_top = len(top)
        self.episodes.append(episode)
        return episode

    def _schedule(self, action: dict[str, Any]) -> Work | None:
        kind = action["actionType"]
        if kind == WAIT_FOR_EVENT:  # takes no sequence id; EventRaised is matched by name
            self._ids.append(None)
            return None
        work_id = self._allocate()
        self._ids.append(work_id)
        if kind in ACTIVITY_ACTIONS:
            work = self._schedule_activity(work_id, action["functionName"], action["input"])
            if "retryOptions" in action:
                options = action["retryOptions"]
                interval = timedelta(milliseconds=options["firstRetryIntervalInMilliseconds"])
                self._attempts[work_id] = RetryState(
                    action["functionName"], action["input"], options["maxNumberOfAttempts"], interval
                )
        elif kind == CREATE_TIMER:
            self.history.append(self._event(EventType.TIMER_CREATED, work_id, FireAt=action["fireAt"]))
            work = Work(work_id, "timer", "timer", fire_at=parse_time(action["fireAt"]))
            if action.get("isCanceled"):
                return None
        elif kind == CALL_ENTITY:
            work = self._schedule_entity_call(work_id, action)
        else:
            raise NotImplementedError(f"the harness does not run actionType {kind}: {action}")
        self.pending[work_id] = work
        return work

    def _schedule_activity(self, work_id: int, name: str, input_text: str) -> Work:
        self.history.append(
            self._event(EventType.TASK_SCHEDULED, work_id, Name=name, Version="", Input=input_text)
        )
        return Work(work_id, "activity", name, json.loads(input_text))

    def _schedule_entity_call(self, work_id: int, action: dict[str, Any]) -> Work:
        request_id = f"{self.instance_id}:request:{work_id}"
        message = {"op": action["operation"], "signal": False, "id": request_id, "input": action["input"]}
        self.history.append(
            self._event(
                EventType.EVENT_SENT,
                work_id,
                Name="op",
                InstanceId=action["instanceId"],
                Input=json.dumps(message),
            )
        )
        operation_input = json.loads(action["input"]) if action.get("input") is not None else None
        return Work(
            work_id,
            "entity",
            action["operation"],
            operation_input,
            entity=action["instanceId"],
            request_id=request_id,
        )

    def _retry_step(self, new_events: list[dict[str, Any]]) -> None:
        """Host-side retries for `call_activity_with_retry`: failure -> timer -> next attempt."""
        for new in new_events:
            if new["EventType"] == EventType.TASK_FAILED and new["TaskScheduledId"] in self._attempts:
                retry = self._attempts.pop(new["TaskScheduledId"])
                retry.last = retry.attempts >= retry.max_attempts
                fire_at = self.now if retry.last else self.now + retry.interval
                timer_id = self._allocate()
                self.history.append(self._event(EventType.TIMER_CREATED, timer_id, FireAt=_iso(fire_at)))
                self.pending[timer_id] = Work(timer_id, "timer", "retry timer", fire_at=fire_at)
                self._retry_timers[timer_id] = retry
            elif new["EventType"] == EventType.TIMER_FIRED and new["TimerId"] in self._retry_timers:
                retry = self._retry_timers.pop(new["TimerId"])
                if not retry.last:  # after the final "dummy" timer the SDK fails the task itself
                    retry.attempts += 1
                    attempt_id = self._allocate()
                    self.pending[attempt_id] = self._schedule_activity(
                        attempt_id, retry.name, retry.input_text
                    )
                    self._attempts[attempt_id] = retry

    def _drop_cancelled_timers(self, flat: list[dict[str, Any]]) -> None:
        for action, work_id in zip(flat, self._ids, strict=True):
            if action["actionType"] == CREATE_TIMER and action.get("isCanceled") and work_id in self.pending:
                del self.pending[work_id]

    def _entity_operation(self, work: Work) -> dict[str, Any]:
        """Run one operation on the real entity function; returns the reply the orchestrator receives."""
        _, name, key = (work.entity or "").split("@", 2)
        handle = self._entities.get(name)
        if handle is None:
            raise AssertionError(f"no entity function given for '{name}' (pass entities={{'{name}': fn}})")
        state = self.entity_states.get(work.entity or "")
        operation = {"name": work.name, "input": json.dumps(json.dumps(work.input)), "isSignal": False}
        batch = {
            "self": {"name": name, "key": key},
            "exists": state is not None,
            "state": state,
            "batch": [operation],
        }
        out = json.loads(handle(func.EntityContext(json.dumps(batch))))
        if out["entityExists"]:
            self.entity_states[work.entity or ""] = out["entityState"]
        result = out["results"][0]
        reply = {"result": result["result"]}
        if result["isError"]:
            reply["exceptionType"] = "System.Exception"
        return reply


def _iso(when: datetime | None) -> str:
    return "" if when is None else when.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
