"""Turn a recorded history into the DTFx history the SDK replays.

Recordings made since devhost's status API matches the extension's hold the stored DTFx history
itself (integer event types, OrchestratorStarted/Completed, EventId / TaskScheduledId / TimerId):
`dtfx_history` takes it as it is. Older recordings hold devhost's former management view, which
kept those ids (the real extension's view drops them), and are rebuilt as follows.

`GET /runtime/webhooks/durabletask/instances/{id}?showHistory=true&showHistoryOutput=true` shows the
history the way the Durable extension does: event types by name, OrchestratorStarted/Completed hidden,
and each TaskScheduled / TimerCreated folded into the event that completed it (`TaskScheduledId` or
`TimerId`, plus `FunctionName` and `ScheduledTime`). Everything the SDK reads is still there: the
completions with their results, EventSent with the entity request id, EventRaised, ExecutionStarted.

What the view loses is where the episodes began. Episodes are rebuilt DTFx-style: a new one opens at
each incoming event that follows the previous episode's scheduling events, consecutive incoming events
share one, and its OrchestratorStarted takes the time of its first event. `current_utc_datetime`
therefore trails the real run by the few milliseconds between a result arriving and the episode
starting; only timer `fireAt` values see that, and DTFx does not compare them.
"""

from typing import Any

from azure.durable_functions.models.history import HistoryEventType

Event = dict[str, Any]

# DurableTask.Core's EventType numbers, by the names the management API shows (PascalCase).
EVENT_TYPES: dict[str, int] = {
    "".join(part.title() for part in kind.name.split("_")): kind for kind in HistoryEventType
}
ORCHESTRATOR_STARTED = HistoryEventType.ORCHESTRATOR_STARTED
ORCHESTRATOR_COMPLETED = HistoryEventType.ORCHESTRATOR_COMPLETED
EXECUTION_STARTED = HistoryEventType.EXECUTION_STARTED
# Events that arrive from outside an episode and so open one (or join the one just opened).
INCOMING = frozenset(
    {
        HistoryEventType.EXECUTION_TERMINATED,
        HistoryEventType.TASK_COMPLETED,
        HistoryEventType.TASK_FAILED,
        HistoryEventType.SUB_ORCHESTRATION_INSTANCE_COMPLETED,
        HistoryEventType.SUB_ORCHESTRATION_INSTANCE_FAILED,
        HistoryEventType.TIMER_FIRED,
        HistoryEventType.EVENT_RAISED,
        HistoryEventType.EXECUTION_SUSPENDED,
        HistoryEventType.EXECUTION_RESUMED,
    }
)
# A completion type -> (the field naming its scheduling event, that event's type).
FOLDED: dict[int, tuple[str, int]] = {
    HistoryEventType.TASK_COMPLETED: ("TaskScheduledId", HistoryEventType.TASK_SCHEDULED),
    HistoryEventType.TASK_FAILED: ("TaskScheduledId", HistoryEventType.TASK_SCHEDULED),
    HistoryEventType.SUB_ORCHESTRATION_INSTANCE_COMPLETED: (
        "TaskScheduledId",
        HistoryEventType.SUB_ORCHESTRATION_INSTANCE_CREATED,
    ),
    HistoryEventType.SUB_ORCHESTRATION_INSTANCE_FAILED: (
        "TaskScheduledId",
        HistoryEventType.SUB_ORCHESTRATION_INSTANCE_CREATED,
    ),
    HistoryEventType.TIMER_FIRED: ("TimerId", HistoryEventType.TIMER_CREATED),
}
# Fields the management view adds to an event; DTFx events do not carry them.
VIEW_ONLY = ("FunctionName", "ScheduledTime")


def event_type(shown: Event) -> int:
    """The numeric EventType of a management-view event (name or number), naming the unknown ones."""
    raw = shown["EventType"]
    if isinstance(raw, int):
        return raw
    if raw not in EVENT_TYPES:
        raise ValueError(f"history event type '{raw}' is not a DurableTask.Core event type")
    return EVENT_TYPES[raw]


def _marker(kind: int, timestamp: str) -> Event:
    return {"EventType": kind, "EventId": -1, "IsPlayed": True, "Timestamp": timestamp}


def _scheduling_event(completion: Event, kind: int) -> Event:
    """The TaskScheduled / TimerCreated / SubOrchestrationInstanceCreated folded into `completion`."""
    id_field, scheduled_kind = FOLDED[kind]
    rebuilt: Event = {
        "EventType": scheduled_kind,
        "EventId": completion[id_field],
        "IsPlayed": True,
        "Timestamp": completion.get("ScheduledTime", completion["Timestamp"]),
    }
    if scheduled_kind == HistoryEventType.TIMER_CREATED:
        rebuilt["FireAt"] = completion.get("FireAt")
    else:
        rebuilt.update({"Name": completion.get("FunctionName", ""), "Version": ""})
    return rebuilt


def unfold(shown_events: list[Event]) -> list[Event]:
    """Every event with a numeric type, folded scheduling events restored, in time order."""
    timeline: list[tuple[str, float, Event]] = []
    for rank, shown in enumerate(shown_events):
        kind = event_type(shown)
        evt = {k: v for k, v in shown.items() if k not in VIEW_ONLY}
        evt.update({"EventType": kind, "IsPlayed": True})
        evt.setdefault("EventId", -1)
        timeline.append((evt["Timestamp"], rank, evt))
        if kind in FOLDED:
            scheduled = _scheduling_event(shown, kind)
            timeline.append((scheduled["Timestamp"], rank - 0.5, scheduled))
    # Timestamps share one format, so text order is time order; ties keep the view's order.
    return [evt for _, _, evt in sorted(timeline, key=lambda item: (item[0], item[1]))]


def dtfx_history(shown_events: list[Event]) -> list[Event]:
    """The DTFx history (episodes with OrchestratorStarted/Completed) of a recorded history."""
    if any(evt["EventType"] == ORCHESTRATOR_STARTED for evt in shown_events):  # stored, not a view
        return [{**evt, "IsPlayed": True} for evt in shown_events]
    history: list[Event] = []
    in_episode = False
    previous_incoming = False
    for evt in unfold(shown_events):
        kind = evt["EventType"]
        opens = kind == EXECUTION_STARTED or (kind in INCOMING and not previous_incoming)
        if opens:
            if in_episode:
                history.append(_marker(ORCHESTRATOR_COMPLETED, history[-1]["Timestamp"]))
            history.append(_marker(ORCHESTRATOR_STARTED, evt["Timestamp"]))
            in_episode = True
        history.append(evt)
        previous_incoming = kind in INCOMING
    if in_episode:
        history.append(_marker(ORCHESTRATOR_COMPLETED, history[-1]["Timestamp"]))
    return history


def episode_prefixes(history: list[Event]) -> list[list[Event]]:
    """The history as it stood at the start of each episode: what an in-flight run had recorded.

    Each prefix ends with the new episode's incoming events (its OrchestratorStarted and what
    arrived), which is what the host replays when it delivers them.
    """
    starts = [i for i, evt in enumerate(history) if evt["EventType"] == ORCHESTRATOR_STARTED]
    prefixes = []
    for number, start in enumerate(starts):
        end = starts[number + 1] - 1 if number + 1 < len(starts) else len(history)
        stop = start + 1
        while stop < end and history[stop]["EventType"] in INCOMING | {EXECUTION_STARTED}:
            stop += 1
        prefixes.append(
            [{**evt, "IsPlayed": evt_index < start} for evt_index, evt in enumerate(history[:stop])]
        )
    return prefixes
