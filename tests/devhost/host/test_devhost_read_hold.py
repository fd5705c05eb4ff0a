"""The read hold: a poller's repeated status read is answered when the run next changes; nobody
else's read waits."""

import asyncio
import time

from azure.durable_functions.models.OrchestrationRuntimeStatus import OrchestrationRuntimeStatus as RS

from devhost.read_hold import Mark, ReadHold, reading_as_new_caller

URL = "http://127.0.0.1:7071/runtime/webhooks/durabletask/instances/r1?showHistory=false"
OTHER = "http://127.0.0.1:7071/runtime/webhooks/durabletask/instances/r1?showHistory=true"


class Instance:
    """One instance that changes on demand (a new last-change time), waking whoever waits for a change."""

    def __init__(self, status: RS) -> None:
        self.status, self.updated = status, 1.0
        self.changed = asyncio.Event()

    def change_mark(self, instance_id: str) -> Mark | None:
        return (self.status, self.updated) if instance_id == "r1" else None

    async def wait_for_change(self, instance_id: str, timeout: float) -> bool:
        self.changed.clear()
        try:
            async with asyncio.timeout(timeout):
                await self.changed.wait()
        except TimeoutError:
            return False
        return True

    def change(self, status: RS, *, wake: bool = True) -> None:
        self.status, self.updated = status, self.updated + 1
        if wake:
            self.changed.set()


async def held_for(hold: ReadHold, url: str) -> float:
    started = time.monotonic()
    await hold.before(url)
    hold.served(url)
    return time.monotonic() - started


def test_a_repeated_read_is_answered_at_each_change_of_the_run_its_end_included() -> None:
    async def scenario() -> None:
        run = Instance(RS.Running)
        hold = ReadHold(run.change_mark, run.wait_for_change, hold_s=5.0)
        with reading_as_new_caller():
            await poll(run, hold)

    async def poll(run: Instance, hold: ReadHold) -> None:
        assert await held_for(hold, URL) < 0.01  # the first read is served at once

        async def change_later(status: RS) -> None:
            await asyncio.sleep(0.05)
            run.change(status)

        for status in (RS.Running, RS.Completed):  # a step that leaves it Running, then the end
            changing = asyncio.ensure_future(change_later(status))
            waited = await held_for(hold, URL)
            await changing
            assert 0.04 <= waited < 0.5
        assert await held_for(hold, URL) < 0.01  # an ended run is never held

    asyncio.run(scenario())


def test_a_read_is_held_only_when_nothing_changed_since_that_url_was_answered_and_at_most_hold_s() -> None:
    async def scenario() -> None:
        with reading_as_new_caller():
            await reads()

    async def reads() -> None:
        run = Instance(RS.Pending)
        hold = ReadHold(run.change_mark, run.wait_for_change, hold_s=0.05)
        await held_for(hold, URL)
        run.change(RS.Running, wake=False)  # changed while no read was open: answered at once
        assert await held_for(hold, URL) < 0.01
        run.change(RS.Running, wake=False)  # a step that kept it Running counts as a change too
        assert await held_for(hold, URL) < 0.01
        assert await held_for(hold, OTHER) < 0.01  # another URL is another reader
        assert 0.04 <= await held_for(hold, URL) < 0.5  # unchanged: held until hold_s

    asyncio.run(scenario())


def test_only_the_caller_that_read_before_is_held_tasks_it_starts_included() -> None:
    """A page's refresh, an approval's status check or another request reading the same run while
    a poller waits on it answer at once; the poller's background reads count as its own."""

    async def scenario() -> None:
        run = Instance(RS.Running)
        hold = ReadHold(run.change_mark, run.wait_for_change, hold_s=0.05)
        with reading_as_new_caller():
            await held_for(hold, URL)
            with reading_as_new_caller():  # another invocation, e.g. on the same keep-alive connection
                assert await held_for(hold, URL) < 0.01
            assert 0.04 <= await asyncio.ensure_future(held_for(hold, URL)) < 0.5  # its own task
        assert await held_for(hold, URL) < 0.01  # outside any invocation (the host's own reads)
        assert await held_for(hold, URL) < 0.01

    asyncio.run(scenario())
