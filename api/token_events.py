"""Step events and token chunks merged into one ordered, resumable list of run events.

A step's tokens come after its `step_scheduled` and all of them before its `step_completed`: the
activity stores its last chunk before it returns, and the history is read before
the chunks, so a completion that is visible has all its chunks visible too. Between step events,
the chunks of the running steps are interleaved by the time they were written.

The extension's status API drops the input of a step still running, so on Azure a running agent
step's event does not name its stream (the result does, once it completes). Streams that started
after such a step was scheduled and that no event names are *unnamed*: they count as running from
the first unnamed running agent step on (`Unnamed`, found by `unnamed_running`).

Only the newest attempt of a step is shown. When a newer attempt appears after a reader got words of
an older one, its first chunk says `"restarted": true`: the reader drops the step's earlier text.
Every event carries the id of the place just after it (`api.event_cursor`).
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from api.event_cursor import STEP_KEY, Cursor, Position
from api.models import RunEvent
from orchestrators.contract import RUN_AGENT
from streams.records import Chunk

OPENING = frozenset({"step_scheduled"})
CLOSING = frozenset({"step_completed", "step_failed"})


@dataclass(frozen=True)
class StepStream:
    """The newest attempt of one step: its number (1-based) and its chunks from index 0, gapless."""

    attempt: int
    chunks: list[Chunk]


def step_streams(chunks: Iterable[Chunk]) -> dict[str, StepStream]:
    """Each step's newest attempt; chunks after a gap (a write still on its way) wait for it."""
    by_step: dict[str, dict[str, list[Chunk]]] = defaultdict(lambda: defaultdict(list))
    for chunk in chunks:
        by_step[chunk.step][chunk.attempt].append(chunk)
    streams: dict[str, StepStream] = {}
    for step, attempts in by_step.items():
        newest = max(attempts)
        ordered = sorted(attempts[newest], key=lambda chunk: chunk.index)
        streams[step] = StepStream(len(attempts), ordered[: _prefix_length(ordered)])
    return streams


@dataclass(frozen=True)
class Unnamed:
    """Streams no event names yet, running from the event numbered `from_seq` on."""

    keys: frozenset[str] = frozenset()
    from_seq: int = 0


def unnamed_running(events: list[RunEvent]) -> list[RunEvent]:
    """Agent steps scheduled without a stream name and not yet ended, oldest first.

    An unnamed failure ends the oldest unnamed step (failures carry no input either)."""
    running: list[RunEvent] = []
    for event in events:
        if event.name != RUN_AGENT or step_key(event) is not None:
            continue
        if event.type in OPENING:
            running.append(event)
        elif event.type in CLOSING and running:
            running.pop(0)
    return running


def step_key(event: RunEvent) -> str | None:
    """The token stream a step event belongs to (`detail.step`), if it names one."""
    key = event.detail.get("step")
    return key if isinstance(key, str) and STEP_KEY.fullmatch(key) else None


def live_steps(events: list[RunEvent], upto: int, unnamed: Unnamed = Unnamed()) -> set[str]:
    """Steps scheduled and not yet ended after the events numbered up to `upto`."""
    live: set[str] = set()
    for event in events:
        if event.seq is None or event.seq > upto:
            break
        _track(live, event, unnamed)
    return live


def steps_to_read(events: list[RunEvent], cursor: Cursor, unnamed: Unnamed = Unnamed()) -> set[str]:
    """The steps whose chunks a reply after `cursor` may contain: running ones and newer ones."""
    newer = {step_key(e) for e in events if e.seq is not None and e.seq > cursor.seq}
    return live_steps(events, cursor.seq, unnamed) | {k for k in newer if k is not None} | unnamed.keys


def merge(
    events: list[RunEvent],
    streams: dict[str, StepStream],
    cursor: Cursor,
    tokens: bool = True,
    unnamed: Unnamed = Unnamed(),
) -> tuple[list[RunEvent], Cursor]:
    """Everything after `cursor`, in order, each event with its id; and the place after the last one."""
    place = cursor.copy()
    live = live_steps(events, cursor.seq, unnamed)
    out: list[RunEvent] = []

    def send_tokens(keys: Iterable[str], before: str | None = None) -> None:
        pending = sorted(
            (chunk.at, key, chunk.index, chunk)
            for key in keys
            for chunk in _unsent(streams.get(key), place.steps.get(key))
            if before is None or chunk.at <= before
        )
        for _, key, _, chunk in pending:
            stream = streams[key]
            place.steps[key] = Position(stream.attempt, chunk.index + 1)
            out.append(_token_event(chunk, stream.attempt, place.text()))

    for event in events:
        if event.seq is None or event.seq <= cursor.seq:
            continue
        key = step_key(event)
        if tokens:
            send_tokens(sorted(live), before=event.at)
            if key is not None and event.type == "step_completed":
                send_tokens([key])  # a failure may already have a retry's words: those wait for it
        place.seq = event.seq
        _track(live, event, unnamed)
        if key is not None and event.type == "step_completed":
            place.steps.pop(key, None)  # done: its stream can add nothing more
        out.append(event.model_copy(update={"id": place.text()}))
    if tokens:
        send_tokens(sorted(live))
    return out, place


def _track(live: set[str], event: RunEvent, unnamed: Unnamed) -> None:
    if event.seq == unnamed.from_seq:
        live |= unnamed.keys
    key = step_key(event)
    if key is None:
        return
    if event.type in OPENING:
        live.add(key)
    elif event.type in CLOSING:
        live.discard(key)


def _unsent(stream: StepStream | None, position: Position | None) -> list[Chunk]:
    """The chunks a reader at `position` has not had; all of a newer attempt than the one it had."""
    if stream is None:
        return []
    if position is None or position.attempt < stream.attempt:
        return stream.chunks
    if position.attempt > stream.attempt:
        return []
    return stream.chunks[position.chunks :]


def _token_event(chunk: Chunk, attempt: int, event_id: str) -> RunEvent:
    detail: dict[str, object] = {"step": chunk.step, "attempt": attempt, "text": chunk.text}
    if attempt > 1 and chunk.index == 0:
        detail["restarted"] = True
    return RunEvent(id=event_id, seq=None, at=chunk.at, type="token", name=chunk.agent, detail=detail)


def _prefix_length(ordered: list[Chunk]) -> int:
    length = 0
    while length < len(ordered) and ordered[length].index == length:
        length += 1
    return length
