"""Extended sessions: keep an orchestration's SDK objects between episodes and feed only the new events.

The SDK rebuilds and replays the whole history on every call (protocol §11 "Replay cost"), so a long
orchestration pays for its past on every step. With host.json ``extendedSessionsEnabled`` the host
keeps, per instance, the ``DurableOrchestrationContext``, the ``TaskOrchestrationExecutor`` and the
suspended generator they drive, and hands the executor only the events appended since it last ran:
the same ``process_event`` calls, in the same order and with the same replay flags, that a full replay
would make for those events, so the cumulative actions come out identical.

A session is used only when nothing can have changed behind its back: same execution, same handler,
history grown exactly by what the session already saw plus the last episode's closing events. Anything
else (a restart, eviction, an exception, an SDK version these internals were not checked against)
means a full replay, which also starts a fresh session.
"""

import json
import logging
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from types import GeneratorType
from typing import Any

from azure.durable_functions.models.DurableOrchestrationContext import DurableOrchestrationContext
from azure.durable_functions.models.history.HistoryEvent import HistoryEvent
from azure.durable_functions.models.TaskOrchestrationExecutor import TaskOrchestrationExecutor

from devhost.episode import EpisodeOutput, read_output, run_orchestrator
from devhost.history import Event
from durable_speedups import sdk_gate

log = logging.getLogger("devhost")


@dataclass
class Session:
    """One instance's live SDK state, valid for one execution and one handler."""

    execution_id: str
    handler: Callable[..., str]
    context: DurableOrchestrationContext
    executor: TaskOrchestrationExecutor
    consumed: int  # history events (stored and new) the executor has processed
    last_used: float


@dataclass
class SessionStats:
    """How episodes ran: ``warm`` fed only new events, ``cold`` replayed in full."""

    warm: int = 0
    cold: int = 0
    evicted: int = 0
    mismatches: int = 0  # verify mode: warm episodes whose output differed from a full replay


@dataclass(frozen=True)
class EpisodeInput:
    """What one episode hands the orchestrator: played history (stored form) and the new events."""

    instance_id: str
    execution_id: str
    history: list[str]
    new_events: list[Event]
    payload: Callable[[], str]  # the full trigger payload, built only when a full replay is needed


@dataclass(frozen=True)
class SessionSettings:
    """host.json's ``extendedSessionsEnabled`` turned on, with the cache bounds."""

    capacity: int = 256
    idle_timeout_s: float = 30.0  # the extension's extendedSessionIdleTimeoutInSeconds default
    verify: bool = False


def open_sessions(settings: SessionSettings | None) -> "SessionCache | None":
    """A fresh (empty) cache when sessions are on and the installed SDK is one they were checked on."""
    if settings is None:
        return None
    # The executor and context internals this module drives were read and tested on the checked versions.
    if not sdk_gate.allows("extendedSessionsEnabled", "every episode replays in full"):
        return None
    log.info(
        "extended sessions on: up to %d instances kept, %.0f s idle timeout",
        settings.capacity,
        settings.idle_timeout_s,
    )
    return SessionCache(settings.capacity, settings.idle_timeout_s, settings.verify)


class SessionCache:
    """LRU of live sessions, bounded by ``capacity`` and by ``idle_timeout_s`` since last use.

    ``verify`` replays every warm episode in full as well and counts any difference (the full replay's
    output is then used and the session dropped): a check for tests, at twice the cost.
    """

    def __init__(self, capacity: int, idle_timeout_s: float, verify: bool = False) -> None:
        if capacity < 1:
            raise ValueError(f"extended session capacity must be at least 1, got {capacity}")
        self._capacity = capacity
        self._idle_timeout_s = idle_timeout_s
        self._verify = verify
        self._sessions: OrderedDict[str, Session] = OrderedDict()
        self.stats = SessionStats()

    def drop(self, instance_id: str) -> None:
        self._sessions.pop(instance_id, None)

    def run(self, handler: Callable[..., str], episode: EpisodeInput) -> EpisodeOutput:
        """One episode through the instance's session if it is still valid, else by a full replay."""
        session = self._take(handler, episode)
        output = self._resume(session, episode) if session is not None else None
        if session is not None and output is not None:
            self.stats.warm += 1
            if self._verify and not self._matches_full_replay(handler, episode, output):
                session, output = None, run_orchestrator(handler, episode.payload())
        else:
            self.stats.cold += 1
            session, output = _start(handler, episode)
        if session is not None and not output.is_done and output.error is None:
            session.consumed = len(episode.history) + len(episode.new_events)
            session.last_used = time.monotonic()
            self._put(episode.instance_id, session)
        return output

    def _take(self, handler: Callable[..., str], episode: EpisodeInput) -> Session | None:
        """Remove and return the instance's session if it can continue exactly where it stopped."""
        session = self._sessions.pop(episode.instance_id, None)
        if session is None:
            return None
        if time.monotonic() - session.last_used > self._idle_timeout_s:
            self.stats.evicted += 1
            return None
        valid = (
            session.execution_id == episode.execution_id
            and session.handler is handler
            and session.consumed <= len(episode.history)
        )
        return session if valid else None

    def _put(self, instance_id: str, session: Session) -> None:
        self._sessions[instance_id] = session
        now = time.monotonic()
        while self._sessions:
            oldest_id, oldest = next(iter(self._sessions.items()))
            if len(self._sessions) <= self._capacity and now - oldest.last_used <= self._idle_timeout_s:
                break
            del self._sessions[oldest_id]
            self.stats.evicted += 1

    def _resume(self, session: Session, episode: EpisodeInput) -> EpisodeOutput | None:
        """Feed the events the session has not seen; None if that failed inside the SDK's replay."""
        executor = session.executor
        try:
            # The previous episode's closing events (scheduling events, OrchestratorCompleted) come
            # before this episode's OrchestratorStarted: a full replay treats them as played.
            executor._is_processing_new_events = False
            for text in episode.history[session.consumed :]:
                _feed(session, json.loads(text))
            executor._is_processing_new_events = True
            for evt in episode.new_events:
                _feed(session, evt)
        except Exception:
            log.exception("extended session of %s failed; replaying in full", episode.instance_id)
            return None
        return read_output(executor.get_orchestrator_state_str)

    def _matches_full_replay(
        self, handler: Callable[..., str], episode: EpisodeInput, warm: EpisodeOutput
    ) -> bool:
        full = run_orchestrator(handler, episode.payload())
        if full == warm:
            return True
        self.stats.mismatches += 1
        log.error(
            "extended session of %s diverged from a full replay:\n session: %s\n replay:  %s",
            episode.instance_id,
            warm,
            full,
        )
        return False


def _feed(session: Session, raw: Event) -> None:
    """What ``TaskOrchestrationExecutor.execute`` does per history event, for one more event."""
    history_event = HistoryEvent(**raw)
    session.context._histories.append(history_event)
    if not session.executor.has_execution_completed:
        session.executor.process_event(history_event)


def _start(handler: Callable[..., str], episode: EpisodeInput) -> tuple[Session | None, EpisodeOutput]:
    """A full replay that keeps its SDK objects, as ``Orchestrator.create``'s handle builds them."""
    function: Any = getattr(handler, "orchestrator_function", None)
    if function is None:  # not an SDK orchestrator handle: nothing to keep
        return None, run_orchestrator(handler, episode.payload())
    context = DurableOrchestrationContext.from_json(episode.payload())
    context._input_expected_type = getattr(handler, "_df_input_type", None)
    executor = TaskOrchestrationExecutor()
    output = read_output(lambda: executor.execute(context, context.histories, function))
    if not isinstance(getattr(executor, "generator", None), GeneratorType):
        return None, output  # a plain function finishes in one call
    return Session(episode.execution_id, handler, context, executor, 0, 0.0), output
