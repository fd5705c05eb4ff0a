"""Work an episode asks for, created in the episode's transaction and dispatched after it commits."""

from dataclasses import dataclass


@dataclass(frozen=True)
class ActivityWork:
    task_id: int
    name: str
    input: str | None


@dataclass(frozen=True)
class TimerWork:
    timer_id: int
    fire_at: str


@dataclass(frozen=True)
class ChildWork:
    """Start (or, for a retry with an explicit id, restart) a sub-orchestration."""

    task_id: int
    name: str
    instance_id: str
    input: str | None
    version: str | None


@dataclass(frozen=True)
class EntityWork:
    """An entity operation; ``request_id`` is set for calls (a response goes back) and None for signals."""

    entity_id: str
    operation: str
    input: str | None
    request_id: str | None


Work = ActivityWork | TimerWork | ChildWork | EntityWork
