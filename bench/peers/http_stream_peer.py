"""Plain asyncio behind one HTTP endpoint, streaming every reply: the template's hop and words, no durability.

The targets are set against plain asyncio in the caller's own process, which neither crosses HTTP
nor streams. This peer does both the way the template does: a server in a process of its own, on
the embedded host's event loop (`bench.peers.loopback`), answers `POST /chain` by running the
three agents streamed to a SQLite stream store as `run_agent` streams them
(`bench.peers.streamed_work`) and replying with the chain's output; the client is the template's
aiohttp keep-alive session. The template's p50 over this one is what durability alone adds.

Run as `python -m bench.peers.http_stream_peer STREAMS_DB` it is that server; the model's delay is
the `OFFLINE_MODEL_DELAY_MS` it inherits from the runner.
"""

import itertools
import json
import sys
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import aiohttp
from aiohttp import web

import bench.template_host  # noqa: F401  # the host's telemetry policy, before agent_framework is imported
from bench.peers import loopback
from bench.peers.streamed_work import streamed_chain
from bench.peers.system import ChainRun, RunChain
from bench.peers.template_peer import client
from streams.sqlite_store import SqliteStreamStore


class ChainRequestFailed(RuntimeError):
    """The server did not answer a chain with its output; the message carries its answer."""


@asynccontextmanager
async def session(workdir: Path, delay_ms: float) -> AsyncIterator[RunChain]:
    """Start the server (stopped on exit) with its stream store in `workdir`; yield a chain runner."""
    with loopback.launch("bench.peers.http_stream_peer", str(workdir / "streams.db")) as base_url:
        async with client(base_url) as http:

            async def run_chain(topic: str) -> ChainRun:
                return await _post_chain(http, topic)

            yield run_chain


async def _post_chain(http: aiohttp.ClientSession, topic: str) -> ChainRun:
    async with http.post("/chain", json={"topic": topic}) as response:
        text = await response.text()
        answered_at = time.time()
    if response.status != 200:
        raise ChainRequestFailed(f"POST /chain answered {response.status}: {text[:300]}")
    return ChainRun(json.loads(text), answered_at=answered_at)


def _chain_handler(store: SqliteStreamStore) -> loopback.Handler:
    runs = itertools.count()

    async def handle(request: web.Request) -> web.Response:
        topic = (await request.json())["topic"]
        output, _ = await streamed_chain(store, f"http-stream-{next(runs)}", topic)
        return web.json_response(output)

    return handle


if __name__ == "__main__":
    loopback.serve(_chain_handler(SqliteStreamStore(Path(sys.argv[1]))))
