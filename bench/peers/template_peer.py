"""Our template: the real app on the embedded host, driven over HTTP exactly as a user drives it.

`python -m devhost` runs as its own process on a free port with a fresh state file, with the
example settings: token streaming on, as a user gets it. Each run is one `POST /api/runs/chain?wait=30`,
which answers with the finished run document; the latency counted is client-observed, from sending
the POST to having that answer. The client is aiohttp's keep-alive session: a lean client, so the
figure is the template's and not a client library's (httpx's `AsyncClient` spends about 0.7 ms more
of its own per request here, measured on `/api/health`). Afterwards (untimed) the run's events give
the `run_completed` time the host recorded (same machine, same clock), which the report shows beside
it.
"""

import asyncio
import json
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import aiohttp

from bench.peers.system import ChainRun, RunChain
from bench.peers.workload import ChainOutput
from devhost.testing import DevHost

APP_DIR = Path(__file__).resolve().parents[2]
SETTINGS_EXAMPLE = APP_DIR / "local.settings.json.example"
WAIT_S = 30
STATE_FILE = "state.db"


class TemplateRunFailed(RuntimeError):
    """A chain run on the host did not complete; the message carries its id and the host's answer."""


def host_environment(workdir: Path, delay_ms: float) -> dict[str, str]:
    """What `make run` gives the host (the example settings), on the offline model with `delay_ms`.

    The token streams and the outbox go to `workdir` like the state, not to the example's `.data/`:
    a benchmark must neither write into the developer's own files nor start from what earlier runs
    left there. Telemetry is switched off: the in-process peers export nothing either.
    """
    values = json.loads(SETTINGS_EXAMPLE.read_text())["Values"]
    return {
        **{name: str(value) for name, value in values.items()},
        "AGENT_MODEL_PROVIDER": "offline",
        "OFFLINE_MODEL_DELAY_MS": format(delay_ms, "g"),
        "APPLICATIONINSIGHTS_CONNECTION_STRING": "",
        "STREAM_PATH": str(workdir / "streams.db"),
        "OUTBOX_PATH": str(workdir / "outbox.db"),
    }


def make_host(workdir: Path, delay_ms: float, interpreter_args: tuple[str, ...] = ()) -> DevHost:
    """A not-yet-launched devhost for the template with all its files in `workdir`."""
    return DevHost(
        APP_DIR,
        workdir / STATE_FILE,
        env=host_environment(workdir, delay_ms),
        interpreter_args=interpreter_args,
    )


@dataclass(frozen=True)
class HostRun:
    """A finished run with the wall-clock moments the host recorded for its start and end."""

    run_id: str
    output: ChainOutput
    started_at: float
    ended_at: float
    answered_at: float


@asynccontextmanager
async def client(base_url: str) -> AsyncIterator[aiohttp.ClientSession]:
    """The benchmark's HTTP client for the host at `base_url`."""
    timeout = aiohttp.ClientTimeout(total=WAIT_S + 10)
    async with aiohttp.ClientSession(base_url=base_url, timeout=timeout) as session:
        yield session


async def run_on(http: aiohttp.ClientSession, topic: str) -> HostRun:
    """One chain run, start to end, or an error carrying the host's answer."""
    async with http.post("/api/runs/chain", params={"wait": WAIT_S}, json={"topic": topic}) as response:
        text = await response.text()
        answered_at = time.time()
    document = json.loads(text)
    if response.status != 200 or document.get("status") != "Completed":
        raise TemplateRunFailed(
            f"POST /api/runs/chain?wait={WAIT_S} answered {response.status}: {text[:300]}"
        )
    run_id = str(document["id"])
    async with http.get(f"/api/runs/{run_id}/events", params={"tokens": "false"}) as response:
        events = (await response.json()).get("events", []) if response.status == 200 else []
    return HostRun(
        run_id,
        document["output"],
        _moment(events, "run_started", run_id),
        _moment(events, "run_completed", run_id),
        answered_at,
    )


def _moment(events: list[dict[str, Any]], kind: str, run_id: str) -> float:
    """The wall-clock time of the run's first event of type `kind`."""
    found = [event["at"] for event in events if event.get("type") == kind]
    if not found:
        raise TemplateRunFailed(f"run {run_id} has no {kind} event in its timeline")
    return datetime.fromisoformat(found[0].replace("Z", "+00:00")).timestamp()


@asynccontextmanager
async def session(workdir: Path, delay_ms: float) -> AsyncIterator[RunChain]:
    """Launch the host (stopped on exit) and yield a chain runner bound to it."""
    host = make_host(workdir, delay_ms)
    await asyncio.to_thread(host.launch)
    try:
        async with client(host.base_url) as http:

            async def run_chain(topic: str) -> ChainRun:
                run = await run_on(http, topic)
                return ChainRun(run.output, ended_at=run.ended_at, answered_at=run.answered_at)

            yield run_chain
    finally:
        await asyncio.to_thread(host.close)
