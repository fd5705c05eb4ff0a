"""The read hold: a poller's repeated status read is answered when the run's runtime status changes."""

import asyncio
import time

from azure.durable_functions.models.OrchestrationRuntimeStatus import OrchestrationRuntimeStatus as RS

from devhost.read_hold import ReadHold

URL = "http://127.0.0.1:7071/runtime/webhooks/durabletask/instances/r1?showHistory=false"
OTHER = "http://127.0.0.1:7071/runtime/webhooks/durabletask/instances/r1?showHistory=true"


class Instance:
    """One instance whose runtime status changes on demand, waking whoever waits for a change."""

    def __init__(self, status: RS) -> None:
        self.status = status
        self.changed = asyncio.Event()

    def runtime_status(self, instance_id: str) -> RS | None:
        return self.status if instance_id == "r1" else None

    async def wait_for_change(self, instance_id: str, timeout: float) -> bool:
        self.changed.clear()
        try:
            await asyncio.wait_for(self.changed.wait(), timeout)
        except TimeoutError:
            return False
        return True

    def change(self, status: RS) -> None:
        self.status = status
        self.changed.set()


async def held_for(hold: ReadHold, url: str) -> float:
    started = time.monotonic()
    await hold.before(url)
    hold.served(url)
    return time.monotonic() - started


def test_a_repeated_read_waits_through_steps_and_is_answered_when_the_run_ends() -> None:
    async def scenario() -> None:
        run = Instance(RS.Running)
        hold = ReadHold(run.runtime_status, run.wait_for_change, hold_s=5.0)
        assert await held_for(hold, URL) < 0.01  # the first read is served at once

        async def steps() -> None:
            for _ in range(3):  # changes that leave the run Running do not answer the read
                await asyncio.sleep(0.02)
                run.change(RS.Running)
            await asyncio.sleep(0.02)
            run.change(RS.Completed)

        stepping = asyncio.ensure_future(steps())
        waited = await held_for(hold, URL)
        await stepping
        assert 0.07 <= waited < 1.0
        assert await held_for(hold, URL) < 0.01  # an ended run is never held

    asyncio.run(scenario())


def test_a_read_is_held_at_most_hold_s_and_only_when_repeated_with_the_status_it_was_shown() -> None:
    async def scenario() -> None:
        run = Instance(RS.Pending)
        hold = ReadHold(run.runtime_status, run.wait_for_change, hold_s=0.05)
        await held_for(hold, URL)
        run.status = RS.Running  # changed since the last read of this URL: answered at once
        assert await held_for(hold, URL) < 0.01
        assert await held_for(hold, OTHER) < 0.01  # another URL is another reader
        assert 0.04 <= await held_for(hold, URL) < 0.5  # unchanged: held until hold_s

    asyncio.run(scenario())
