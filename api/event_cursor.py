"""Event ids: where a reader of `GET /runs/{id}/events` stands, so it can resume exactly there.

An id says how far the reader got: every step event up to `seq`, and for each step still running
how many token chunks of which attempt. Token chunks of parallel steps are written independently
(possibly on different instances), so no single counter could order them; the id carries each open
step's own position instead. Resuming from an id therefore neither repeats nor loses anything,
whatever arrived in between and in whatever order.

Text form: `<seq>` alone while no tokens of a running step were delivered (so with `tokens=false`
ids are today's `seq` numbers), else `<seq>~<step>.<attempt>.<chunks>~...`, e.g. `7~a1b2c3.1.12`.
Clients treat it as opaque and echo it as `Last-Event-ID` or `after`.
"""

import re
from dataclasses import dataclass, field

from api.errors import bad_parameter

MAX_SEQ = 10**9
STEP_KEY = re.compile(r"[A-Za-z0-9_-]{1,64}")
_ENTRY = r"~([A-Za-z0-9_-]{1,64})\.(\d{1,4})\.(\d{1,7})"
_ID = re.compile(rf"(\d{{1,10}})((?:{_ENTRY})*)")


@dataclass(frozen=True)
class Position:
    """How much of one step's stream a reader has: `chunks` chunks of its attempt number `attempt`."""

    attempt: int
    chunks: int


@dataclass
class Cursor:
    """A reader's place: step events up to `seq`, and the token position of running steps."""

    seq: int = 0
    steps: dict[str, Position] = field(default_factory=dict)

    def text(self) -> str:
        """The id form of this place."""
        entries = "".join(f"~{key}.{p.attempt}.{p.chunks}" for key, p in sorted(self.steps.items()))
        return f"{self.seq}{entries}"

    def copy(self) -> "Cursor":
        return Cursor(self.seq, dict(self.steps))


class PastTheEnd(Exception):
    """A reader asked for events after an id the run never gave (beyond its last event)."""

    def __init__(self, last: str) -> None:
        super().__init__(last)
        self.last = last


def parse_cursor(text: str, source: str) -> Cursor:
    """The cursor an id names; 400 naming `source` (`after`, `Last-Event-ID`) when it is not one."""
    match = _ID.fullmatch(text.strip())
    if match is None or int(match.group(1)) > MAX_SEQ:
        raise bad_parameter(source, f"must be an event id from this API, got {text[:80]!r}")
    steps = {
        key: Position(int(attempt), int(chunks))
        for key, attempt, chunks in re.findall(_ENTRY, match.group(2))
    }
    return Cursor(int(match.group(1)), steps)
