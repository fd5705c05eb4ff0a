"""A bare HTTP server for tests of MCP clients: it refuses every request, or accepts and never answers.

Real MCP servers cannot be told to hang or to answer 401/503, and those are the failures a client
must survive; this one speaks just enough HTTP/1.1 to produce them.
"""

import asyncio
import threading
from collections.abc import Iterator

import pytest


class BareServer:
    """An HTTP server on its own thread: answers every request with `status`, or never when None."""

    def __init__(self, status: int | None) -> None:
        self.status = status
        self.connections = 0
        self._loop = asyncio.new_event_loop()
        self._server = self._loop.run_until_complete(asyncio.start_server(self._serve, "127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self._server.sockets[0].getsockname()[1]}/mcp"
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._thread.start()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                length = next(
                    (
                        int(line.split(b":")[1])
                        for line in head.split(b"\r\n")
                        if line.lower().startswith(b"content-length:")
                    ),
                    0,
                )
                await reader.readexactly(length)
                if self.status is None:
                    await asyncio.sleep(3600)  # accepted, never answered
                writer.write(f"HTTP/1.1 {self.status} Refused\r\ncontent-length: 0\r\n\r\n".encode())
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError, asyncio.CancelledError):
            pass
        finally:
            writer.close()

    def stop(self) -> None:
        async def close() -> None:
            self._server.close()
            for task in asyncio.all_tasks():
                if task is not asyncio.current_task():
                    task.cancel()

        asyncio.run_coroutine_threadsafe(close(), self._loop).result(5)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(5)


@pytest.fixture(name="bare")
def bare_servers() -> Iterator[list[BareServer]]:
    """Servers a test starts (append them); stopped after it."""
    started: list[BareServer] = []
    yield started
    for server in started:
        server.stop()
