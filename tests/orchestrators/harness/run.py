"""`OrchestrationRun`: one orchestration instance driven step by step on devhost's durable engine.

Each episode goes through the same pieces the embedded host uses: `devhost.episode` builds the trigger
payload and reads the SDK's state, `devhost.decisions.decide` turns the actions into history events,
sequence ids, work and host-side retries (and checks determinism). The run keeps that bookkeeping in
memory, delivers one completion per episode, and runs entity calls on the real entity functions.
"""

import copy
import json
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import azure.durable_functions as df
import azure.functions as func
from azure.durable_functions.models.history import HistoryEventType
from azure.durable_functions.models.OrchestrationRuntimeStatus import OrchestrationRuntimeStatus

from devhost.activity_failures import activity_failure
from devhost.decisions import Decision, Execution, decide, is_retry_event
from devhost.episode import build_payload, episode_output
from devhost.history import Event, completion_id, event, format_timestamp, parse_timestamp
from devhost.state import Bookkeeping
from devhost.work import ActivityWork, EntityWork, TimerWork
from devhost.work import Work as HostWork
from tests.orchestrators.harness.driver import Activities, Episode, Recording, Work, invoke
from tests.orchestrators.harness.history import T0, execution_started


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
        self._book = Bookkeeping()  # sequence ids, open tasks and retries, exactly as the host keeps them
        self._execution = Execution(instance_id, f"{instance_id}-exec", self.name)
        self._seen_top = 0

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
        """The progress step names in the order the run reported them (a step republished with new
        usage counts once)."""
        names = [status["step"] for status in self.statuses]
        return [name for n, name in enumerate(names) if n == 0 or names[n - 1] != name]

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
            [self._event(HistoryEventType.TASK_COMPLETED, TaskScheduledId=work_id, Result=json.dumps(result))]
        )

    def fail(self, work_id: int, error_type: str, message: str, details: str | None = None) -> Episode:
        """The activity raised `error_type`; Reason and Details as the embedded host writes them, which
        are the extension's (`devhost.activity_failures`); `details` replaces the Details."""
        work = self._take(work_id, "activity")
        raised = type(error_type, (Exception,), {})(message)
        reason, written = activity_failure(work.name, raised)
        details = written if details is None else details
        return self._episode(
            [
                self._event(
                    HistoryEventType.TASK_FAILED, TaskScheduledId=work_id, Reason=reason, Details=details
                )
            ]
        )

    def fire(self, timer_id: int) -> Episode:
        work = self._take(timer_id, "timer")
        fire_at = work.fire_at or self.now
        self.now = max(self.now, fire_at)
        fired = self._event(HistoryEventType.TIMER_FIRED, TimerId=timer_id, FireAt=format_timestamp(fire_at))
        return self._episode([fired])

    def raise_event(self, name: str, payload: Any) -> Episode:
        return self.raise_events([(name, payload)])

    def raise_events(self, events: list[tuple[str, Any]]) -> Episode:
        """Deliver several events in one episode, as two decisions sent at the same moment arrive."""
        return self._episode(
            [
                self._event(HistoryEventType.EVENT_RAISED, Name=name, Input=json.dumps(payload))
                for name, payload in events
            ]
        )

    def run_entity(self, work_id: int) -> Episode:
        work = self._take(work_id, "entity")
        reply = self._entity_operation(work)
        return self._episode(
            [self._event(HistoryEventType.EVENT_RAISED, Name=work.request_id, Input=json.dumps(reply))]
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

    def _event(self, kind: HistoryEventType, event_id: int = -1, **fields: Any) -> Event:
        return event(kind, self.now, event_id, **fields)

    def _episode(self, new_events: list[Event]) -> Episode:
        """One episode as devhost's runner plays it: opening events, one SDK call, one decision."""
        self.now += timedelta(seconds=1)
        for old in self.history:
            old["IsPlayed"] = True
        opening = [self._event(HistoryEventType.ORCHESTRATOR_STARTED)]
        if not self.history:
            opening.append(
                execution_started(self.now, self.name, self.instance_id, json.dumps(self.input_text))
            )
        retry_event = None
        for new in new_events:
            new["Timestamp"] = opening[0]["Timestamp"]
            if is_retry_event(self._book, new):
                retry_event = new
            completed = completion_id(new)
            if completed is not None:  # as devhost's batching does: the task is no longer open
                self._book.open.pop(completed, None)
        played = [json.dumps(old) for old in self.history]
        payload = build_payload(self.instance_id, None, self.input_text, played, opening + new_events)
        state, error = invoke(self._handle, payload)
        output = episode_output(state, error)
        decision = decide(self._book, self._execution, self.now, output, retry_event)
        self.history += [*opening, *new_events, *decision.events]
        self.history.append(self._event(HistoryEventType.ORCHESTRATOR_COMPLETED))
        top = (state.get("actions") or [[]])[0]
        failed = decision.outcome is OrchestrationRuntimeStatus.Failed
        episode = Episode(
            started_at=self.now,
            new_actions=top[self._seen_top :],
            scheduled=self._start_work(decision),
            actions=output.actions,
            custom_status=output.custom_status,
            done=decision.outcome is OrchestrationRuntimeStatus.Completed,
            output=output.output,
            error=decision.output if failed else None,
        )
        self._seen_top = len(top)
        self.episodes.append(episode)
        return episode

    def _start_work(self, decision: Decision) -> list[Work]:
        """The decision's work as pending `Work` (a durable HTTP call is the activity the extension names
        `BuiltIn::HttpActivity`, which a test's fake activities must then answer)."""
        for timer_id in decision.cancelled_timers:
            self.pending.pop(timer_id, None)
        started = [self._work(item, decision.events) for item in decision.work]
        self.pending.update((work.id, work) for work in started)
        return started

    def _work(self, item: HostWork, events: list[Event]) -> Work:
        if isinstance(item, ActivityWork):
            return Work(item.task_id, "activity", item.name, json.loads(item.input or "null"))
        if isinstance(item, TimerWork):
            name = "retry timer" if item.timer_id in self._book.retries else "timer"
            return Work(item.timer_id, "timer", name, fire_at=parse_timestamp(item.fire_at))
        if isinstance(item, EntityWork) and item.request_id is not None:
            [sent] = [e for e in events if e.get("Name") == "op" and item.request_id in e["Input"]]
            operation_input = None if item.input is None else json.loads(item.input)
            return Work(
                sent["EventId"],
                "entity",
                item.operation,
                operation_input,
                entity=item.entity_id,
                request_id=item.request_id,
            )
        raise NotImplementedError(f"the harness does not run {item}")

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
