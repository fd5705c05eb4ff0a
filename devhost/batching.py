"""Which inbox events one episode receives, so the SDK allocates ids in the order the host expects.

At most one retry event per episode, delivered first (its retry ids come before any new action's);
at most one external event per name (the SDK keeps only the last early event of a name, so later ones
wait for the next episode, which keeps them in order); stale or duplicate completions are dropped.
"""

from dataclasses import dataclass, field

from azure.durable_functions.models.history import HistoryEventType

from devhost.decisions import is_retry_event
from devhost.history import Event, completion_id
from devhost.state import Bookkeeping
from devhost.store import InboxRow


@dataclass
class Batch:
    retry_event: Event | None = None
    events: list[Event] = field(default_factory=list)
    consumed: list[int] = field(default_factory=list)  # inbox rows this episode removes
    held_back: bool = False  # rows left for a later episode


def _is_stale(row: InboxRow, execution_id: str, book: Bookkeeping) -> bool:
    if row.execution_id is not None and row.execution_id != execution_id:
        return True
    sequence_id = completion_id(row.event)
    return sequence_id is not None and sequence_id not in book.open


def select_batch(inbox: list[InboxRow], execution_id: str, book: Bookkeeping) -> Batch:
    """Pick this episode's events; removes the completed ids from ``book.open``, and from
    ``book.retries`` those of with-retry calls that succeeded: nothing retries them any more, and the
    bookkeeping (their inputs included) is written with every episode of the run."""
    batch = Batch()
    event_names: set[str] = set()
    for row in inbox:
        evt = row.event
        if _is_stale(row, execution_id, book):
            batch.consumed.append(row.row_id)
            continue
        retrying = is_retry_event(book, evt)
        if retrying:
            if batch.retry_event is not None:
                batch.held_back = True
                continue
            batch.retry_event = evt
        elif evt["EventType"] == HistoryEventType.EVENT_RAISED:
            if evt["Name"] in event_names:
                batch.held_back = True
                continue
            event_names.add(evt["Name"])
            batch.events.append(evt)
        else:
            batch.events.append(evt)
        sequence_id = completion_id(evt)
        if sequence_id is not None:
            del book.open[sequence_id]
            if not retrying:
                book.retries.pop(sequence_id, None)
        batch.consumed.append(row.row_id)
    return batch
