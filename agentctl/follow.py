"""Reading a run's events: draining them once, or following them until the run ends.

Following long-polls `GET /runs/{id}/events?after=ID&wait=S`. `after` is the id of the last
event received (the page's `next`), so a retried poll after a dropped connection neither
repeats nor loses an event, token or step. Token events carry the agents' words as they are
written; views print them as they arrive. Dropped connections and
server errors (5xx: a host stopping or restarting, a gateway losing it) are retried with
exponential backoff once the run has been reached; a run that cannot be reached at all
fails at once. Only reads are retried, so nothing is ever done twice.
"""

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, TypeVar

from agentctl.client import JsonObject, RunApiClient
from agentctl.errors import ApiError, ApiUnreachable, CliError
from agentctl.follow_view import FollowView

T = TypeVar("T")

TOKEN = "token"
# Below the API's 25 s cap, and short enough for proxies that cut idle requests at 30 s.
EVENTS_WAIT_S = 20


@dataclass(frozen=True)
class Backoff:
    """Delays between attempts to resume: 0.2 s doubling to 5 s, eight attempts (about 20 s)."""

    first_s: float = 0.2
    factor: float = 2.0
    max_s: float = 5.0
    attempts: int = 8

    def delays(self) -> Iterator[float]:
        delay = self.first_s
        for _ in range(self.attempts):
            yield delay
            delay = min(delay * self.factor, self.max_s)


def drain_events(client: RunApiClient, run_id: str, after: str = "0") -> list[JsonObject]:
    """Every event after `after` available now, across as many pages as the API splits them into."""
    collected: list[JsonObject] = []
    while True:
        page = client.events(run_id, after=after, wait_s=0)
        fresh = list(page.get("events") or [])
        if not fresh:
            return collected
        collected.extend(fresh)
        after = next_after(page, after)


class RunFollower:
    """Follows one run to its end, reporting events and progress to a `FollowView`."""

    def __init__(
        self,
        client: RunApiClient,
        run_id: str,
        view: FollowView,
        backoff: Backoff = Backoff(),
        sleep: Callable[[float], None] = time.sleep,
        wait_s: int = EVENTS_WAIT_S,
    ) -> None:
        self.client = client
        self.run_id = run_id
        self.view = view
        self.backoff = backoff
        self.sleep = sleep
        self.wait_s = wait_s
        self.after = "0"

    def follow(self, after: str = "0") -> JsonObject:
        """Return the final run document; raises the first error when the run cannot be reached at all."""
        self.after = after
        self.view.progress(self.client.get_run(self.run_id))
        while True:
            page = self._resilient(lambda: self.client.events(self.run_id, self.after, self.wait_s))
            fresh = list(page.get("events") or [])
            if fresh:
                self.view.events(fresh)
            self.after = next_after(page, self.after)
            if page.get("done"):
                if not fresh:
                    break
                continue  # drain any further page of events before the final document
            if not fresh or any(event.get("type") != TOKEN for event in fresh):
                # Words do not move the progress; a step event or a quiet poll may have.
                self.view.progress(self._resilient(lambda: self.client.get_run(self.run_id)))
        final = self._resilient(lambda: self.client.get_run(self.run_id))
        self.view.progress(final)
        return final

    def _resilient(self, call: Callable[[], T]) -> T:
        """Run `call`, retrying connection-level failures; gives up with the last error."""
        for delay in self.backoff.delays():
            try:
                return call()
            except (ApiUnreachable, ApiError) as error:
                if not _worth_retrying(error):
                    raise
                self.view.notice(
                    f"interrupted ({error.message}); resuming after event #{self.after} in {delay:.1f} s"
                )
                self.sleep(delay)
        try:
            return call()
        except ApiUnreachable as error:
            raise ApiUnreachable(
                f"{error.message} (gave up after {self.backoff.attempts} attempts to resume; the run goes "
                f"on: agentctl events {self.run_id} --follow --after {self.after})"
            ) from error


def _worth_retrying(error: CliError) -> bool:
    return isinstance(error, ApiUnreachable) or (isinstance(error, ApiError) and error.retryable)


def next_after(page: JsonObject, after: str) -> str:
    """Where the next poll starts: the page's `next`, else its last event's id (or seq), else `after`."""
    if page.get("next"):
        return str(page["next"])
    events: list[Any] = page.get("events") or []
    if not events:
        return after
    last = events[-1]
    return str(last.get("id") or last.get("seq") or after)
