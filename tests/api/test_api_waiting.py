"""The wait's read budget: at most 20 status reads in the first second, then at most 2 a second."""

import asyncio
from itertools import islice, pairwise, takewhile

from api.waiting import LATE_READ_S, poll_until, read_slots


def test_the_first_second_holds_at_most_twenty_reads_and_then_two_a_second() -> None:
    slots = list(islice(read_slots(), 60))
    assert len([slot for slot in slots if slot < 1.0]) <= 20
    later = [slot for slot in slots if slot >= 1.0]
    assert all(b - a >= 0.5 for a, b in pairwise(later))
    assert slots[:3] == sorted(slots[:3]) and slots[1] <= 0.005  # the first re-read comes at once


def test_a_wait_never_reads_more_often_than_its_slots() -> None:
    reads: list[int] = []

    async def fetch() -> int:
        reads.append(1)
        return len(reads)

    value, ready = asyncio.run(poll_until(fetch, lambda _: False, 0.3))
    assert not ready and value == len(reads)
    assert len(reads) <= len(list(takewhile(lambda slot: slot <= 0.3, read_slots()))) + 1


def test_a_zero_wait_is_one_read() -> None:
    reads: list[int] = []

    async def fetch() -> int:
        reads.append(1)
        return 0

    asyncio.run(poll_until(fetch, lambda _: False, 0))
    assert reads == [1]


def test_a_wait_for_what_was_just_started_skips_the_read_that_could_only_see_it_pending() -> None:
    read_at: list[float] = []

    async def fetch() -> int:
        read_at.append(asyncio.get_running_loop().time())
        return len(read_at)

    async def wait(just_started: bool) -> float:
        started = asyncio.get_running_loop().time()
        read_at.clear()
        await poll_until(fetch, lambda n: n >= 2, 1.0, just_started=just_started)
        return read_at[0] - started

    assert asyncio.run(wait(False)) < 0.002
    assert asyncio.run(wait(True)) >= list(islice(read_slots(), 2))[1] - 0.0005


def test_a_read_held_past_the_deadline_is_given_up_and_the_last_answer_returned() -> None:
    """The embedded host holds a poller's repeated read until the run changes, for up to a second;
    the wait still ends at its deadline (plus `LATE_READ_S`), with what the last read said."""
    reads: list[int] = []

    async def fetch() -> int:
        reads.append(1)
        if len(reads) > 1:
            await asyncio.sleep(5)  # held: nothing changes
        return len(reads)

    async def wait() -> tuple[float, int, bool]:
        started = asyncio.get_running_loop().time()
        value, ready = await poll_until(fetch, lambda _: False, 0.2)
        return asyncio.get_running_loop().time() - started, value, ready

    took, value, ready = asyncio.run(wait())
    assert 0.2 <= took < 0.2 + LATE_READ_S + 0.05
    assert (value, ready) == (1, False)
