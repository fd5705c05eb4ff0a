"""The harness's clock start and the one event devhost builds inline: ExecutionStarted.

Every other event comes from `devhost.history.event` and `devhost.decisions`, the engine the embedded
host runs, so the harness and the host cannot drift apart on event shapes, ids or timestamps.
"""

from datetime import UTC, datetime

from azure.durable_functions.models.history import HistoryEventType

from devhost.history import Event, event

T0 = datetime(2024, 5, 1, 12, 0, 0, tzinfo=UTC)


def execution_started(when: datetime, name: str, instance_id: str, input_text: str) -> Event:
    """ExecutionStarted as the host writes it for a top-level run; `Version` is required even when empty."""
    return event(
        HistoryEventType.EXECUTION_STARTED,
        when,
        Name=name,
        Version="",
        Input=input_text,
        OrchestrationInstance={"InstanceId": instance_id, "ExecutionId": f"{instance_id}-exec"},
        ParentInstance=None,
        Tags=None,
    )
