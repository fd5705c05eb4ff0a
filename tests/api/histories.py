"""Durable histories for the API tests: raw DurableTask events, and the extension's folded view.

`Story` appends raw events episode by episode (as the Durable extension records them); `folded`
applies the rewriting the extension's status API does with showHistory=true (DurableClient.cs
GetDurableOrchestrationStatusAsync, v2.10+, as devhost/status.py does it: EventType as a name,
TaskScheduled folded into its completion, episodes, ids and timer ids dropped; event, start and
terminate inputs kept, since the SDK never sends showInput=false), so the tests can check the
timeline against both forms and at every point of a run.
"""

import copy
import json
from datetime import timedelta
from typing import Any

from tests.api.durable_fake import T0, stamp

EVENT_TYPES = {
    "ExecutionStarted": 0, "ExecutionCompleted": 1, "ExecutionTerminated": 3, "TaskScheduled": 4,
    "TaskCompleted": 5, "TaskFailed": 6, "TimerCreated": 10, "TimerFired": 11, "OrchestratorStarted": 12,
    "OrchestratorCompleted": 13, "EventSent": 14, "EventRaised": 15,
}  # fmt: skip
NAMES = {number: name for name, number in EVENT_TYPES.items()}
RUN_STATUSES = {"Completed": 1, "Failed": 3, "Terminated": 5}


def agent_result(agent: str, input_tokens: int = 10, output_tokens: int = 20) -> dict[str, Any]:
    """A `run_agent` output as docs/contracts.md defines it."""
    return {
        "agent": agent, "text": f"{agent} says hi", "value": None, "tool_calls": [],
        "usage": {"input_tokens": input_tokens, "output_tokens": output_tokens}, "model": "offline-1",
        "elapsed_ms": 1.0,
    }  # fmt: skip


class Story:
    """A raw history built one episode at a time; `snapshots` gives the history after each episode."""

    def __init__(self, workflow: str) -> None:
        self.events: list[dict[str, Any]] = []
        self._episode_ends: list[int] = []  # len(events) after each episode
        self.next_id = 0
        self.clock = 0
        self.workflow = workflow

    def _event(self, kind: str, **fields: Any) -> dict[str, Any]:
        self.clock += 1
        moment = T0 + timedelta(milliseconds=self.clock)
        event = {"EventType": EVENT_TYPES[kind], "EventId": -1, "IsPlayed": False, "Timestamp": stamp(moment)}
        event.update(fields)
        self.events.append(event)
        return event

    def episode(self, *steps: tuple[str, dict[str, Any]]) -> "Story":
        """One orchestrator episode: OrchestratorStarted, the given events, OrchestratorCompleted."""
        self._event("OrchestratorStarted")
        if not any(e["EventType"] == 0 for e in self.events):
            self._event("ExecutionStarted", Name=self.workflow, Version="", Input='{"topic": "x"}')
        for kind, fields in steps:
            if kind in ("TaskScheduled", "TimerCreated"):
                fields = {"EventId": self.next_id, **fields}
                self.next_id += 1
            self._event(kind, **fields)
        self._event("OrchestratorCompleted")
        self._episode_ends.append(len(self.events))
        return self

    @property
    def snapshots(self) -> list[list[dict[str, Any]]]:
        """The history as it stood after each episode, each a copy of its own (made when asked for:
        copying at every episode would make a 1,000-step story cost seconds)."""
        return [copy.deepcopy(self.events[:end]) for end in self._episode_ends]


def schedule(activity: str, payload: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    return "TaskScheduled", {"Name": activity, "Version": "", "Input": json.dumps(payload)}


def complete(task_id: int, result: Any) -> tuple[str, dict[str, Any]]:
    return "TaskCompleted", {"TaskScheduledId": task_id, "Result": json.dumps(result)}


def fail(task_id: int, reason: str) -> tuple[str, dict[str, Any]]:
    return "TaskFailed", {"TaskScheduledId": task_id, "Reason": reason, "Details": None}


def timer(fire_at: str) -> tuple[str, dict[str, Any]]:
    return "TimerCreated", {"FireAt": fire_at}


def timer_fired(timer_id: int, fire_at: str) -> tuple[str, dict[str, Any]]:
    return "TimerFired", {"TimerId": timer_id, "FireAt": fire_at}


def raised(name: str, data: Any) -> tuple[str, dict[str, Any]]:
    return "EventRaised", {"Name": name, "Input": json.dumps(data)}


def ended(status: str, result: Any) -> tuple[str, dict[str, Any]]:
    return "ExecutionCompleted", {"OrchestrationStatus": RUN_STATUSES[status], "Result": json.dumps(result)}


def folded(raw: list[dict[str, Any]], keep_fields: bool = False) -> list[dict[str, Any]]:
    """The extension's status-API view of a raw history (showHistory and showHistoryOutput on).

    Activity inputs are null: Azure stores them only with host.json's
    storeInputsInOrchestrationHistory, which the template leaves off. `keep_fields` keeps ids,
    activity inputs and JSON-text results, as a local host that folds the same way but strips less
    might: the timeline must not depend on those fields being there or not.
    """
    events = copy.deepcopy(raw)
    scheduled: dict[int, int] = {}
    dropped: set[int] = set()
    for index, event in enumerate(events):
        kind = NAMES[event["EventType"]]
        event["EventType"] = kind
        if kind == "TaskScheduled":
            scheduled[event["EventId"]] = index
            event.pop("Version", None)
            if not keep_fields:
                event["Input"] = None
        elif kind in ("TaskCompleted", "TaskFailed"):
            origin = scheduled.get(event["TaskScheduledId"] if keep_fields else event.pop("TaskScheduledId"))
            if origin is not None:
                event["ScheduledTime"] = events[origin]["Timestamp"]
                event["FunctionName"] = events[origin]["Name"]
                event["Input"] = events[origin].get("Input")
                dropped.add(origin)
            if "Result" in event and not keep_fields:
                event["Result"] = json.loads(event["Result"])
        elif kind in ("ExecutionStarted", "ExecutionCompleted"):
            _fold_execution(event, kind)
        elif kind == "TimerFired":
            event.pop("TimerId", None)
        elif kind in ("OrchestratorStarted", "OrchestratorCompleted"):
            dropped.add(index)
        if not keep_fields:
            event.pop("EventId", None)
        event.pop("IsPlayed", None)
    return [event for index, event in enumerate(events) if index not in dropped]


def _fold_execution(event: dict[str, Any], kind: str) -> None:
    if kind == "ExecutionStarted":
        event["FunctionName"] = event.pop("Name")
        for key in ("Version", "OrchestrationInstance", "ParentInstance", "Tags"):
            event.pop(key, None)
        return
    status = event["OrchestrationStatus"]
    event["OrchestrationStatus"] = next(n for n, v in RUN_STATUSES.items() if v == status)
    event["Result"] = _parse(event.get("Result"))


def _parse(text: Any) -> Any:
    try:
        return json.loads(text)
    except (TypeError, ValueError):
        return text


def fanout_story() -> Story:
    """Three analysts in parallel finishing out of order, then the aggregator."""
    story = Story("fanout")
    analysts = ("market_analyst", "tech_analyst", "risk_analyst")
    story.episode(*(schedule("run_agent", {"agent": a, "prompt": "x"}) for a in analysts))
    story.episode(complete(1, agent_result("tech_analyst", 3, 4)))
    story.episode(
        complete(0, agent_result("market_analyst", 1, 2)),
        complete(2, agent_result("risk_analyst", 5, 6)),
        schedule("run_agent", {"agent": "aggregator", "prompt": "x"}),
    )
    story.episode(complete(3, agent_result("aggregator", 7, 8)), ended("Completed", {"summary": "ok"}))
    return story


def approval_story() -> Story:
    """Draft, wait for approval (timer + event), publish; with a tool call and a retried step."""
    fire_at = stamp(T0 + timedelta(days=1))
    story = Story("approval")
    story.episode(schedule("run_agent", {"agent": "writer", "prompt": "x"}))
    story.episode(
        complete(0, agent_result("writer")), schedule("run_tool", {"tool": "calculator", "call_id": "c1"})
    )
    story.episode(complete(1, {"call_id": "c1", "name": "calculator", "result": 4}), timer(fire_at))
    story.episode(raised("approval", {"approved": True, "comment": "ok", "approver": "ann@example.com"}))
    story.episode(schedule("publish_draft", {"title": "t"}))
    story.episode(fail(3, "Activity function 'publish_draft' failed: OSError: disk"))
    story.episode(timer(fire_at))
    story.episode(timer_fired(4, fire_at), schedule("publish_draft", {"title": "t"}))
    story.episode(complete(5, {"published": True}), ended("Completed", {"decision": "approved"}))
    return story
