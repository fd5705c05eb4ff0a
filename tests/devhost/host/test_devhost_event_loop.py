"""The host's event loop behaves like asyncio's own: timers fire in order and never early, I/O works."""

import asyncio

from devhost.event_loop import new_event_loop

CLOCK_SLACK_S = 1e-6  # asyncio runs a timer once now + the clock's resolution reaches it


def test_timers_fire_in_order_and_never_early() -> None:
    async def scenario() -> list[tuple[str, float, float]]:
        loop = asyncio.get_running_loop()
        fired: list[tuple[str, float, float]] = []
        done = loop.create_future()
        start = loop.time()
        # Pairs of timers a fraction of a millisecond apart: the case millisecond waits get wrong.
        plan = [("a", 0.0100), ("b", 0.0103), ("c", 0.0200), ("d", 0.0207), ("e", 0.0300)]
        for name, delay in plan:
            loop.call_at(start + delay, lambda n=name, d=delay: fired.append((n, d, loop.time() - start)))
        loop.call_at(start + 0.031, done.set_result, None)
        await done
        return fired

    with asyncio.Runner(loop_factory=new_event_loop) as runner:
        fired = runner.run(scenario())
    assert [name for name, _, _ in fired] == ["a", "b", "c", "d", "e"]
    assert all(at >= due - CLOCK_SLACK_S for _, due, at in fired)


def test_sockets_and_sleeps_work_together() -> None:
    async def scenario() -> bytes:
        async def echo(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            await asyncio.sleep(0.002)
            writer.write(await reader.readline())
            await writer.drain()
            writer.close()

        server = await asyncio.start_server(echo, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        async with server:
            reader, writer = await asyncio.open_connection("127.0.0.1", port)
            writer.write(b"ping\n")
            answer = await asyncio.wait_for(reader.readline(), 10)
            writer.close()
            await writer.wait_closed()
        return answer

    with asyncio.Runner(loop_factory=new_event_loop) as runner:
        assert runner.run(scenario()) == b"ping\n"
