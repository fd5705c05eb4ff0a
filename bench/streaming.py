"""`python -m bench.streaming`: how soon the agents' words reach a reader, and what an idle poll costs.

1. Token latency on the embedded host. A chain run on the offline model (each reply spread over
   `DELAY_MS`) is read the way a browser's EventSource reads it: one SSE batch per request, back at
   once with `Last-Event-ID`. A token's latency is the moment its event reached the reader minus the
   moment the model produced the first word of that chunk (the chunk's `at`; same machine, same
   clock), so it includes the writer's batching. Target: p50 ≤ 50 ms.
2. An idle events poll on a 1,000-step run. The run API's events handler against a durable client
   holding the history the extension would return for 1,000 finished agent steps: the first poll
   reads it and builds the timeline (and answers its first page; the reader follows `next` for the
   rest), a poll that then finds nothing new reads the status only.

Results go to stdout and `bench/streaming.md`.
"""

import argparse
import asyncio
import json
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, cast

import azure.functions as func
from azure.durable_functions import DurableOrchestrationClient
from azure.durable_functions.models.DurableOrchestrationStatus import DurableOrchestrationStatus

from api import events as events_api
from api import run_timeline
from bench.peers.template_peer import make_host

RESULTS = Path(__file__).resolve().parent / "streaming.md"
DELAY_MS = 1500.0
TOKEN_P50_TARGET_MS = 50.0
STEPS = 1000
POLLS = 20


def token_latencies(runs: int) -> list[float]:
    """Milliseconds from a chunk's first word to its arrival at an EventSource-style reader."""
    with tempfile.TemporaryDirectory() as folder:
        host = make_host(Path(folder), DELAY_MS)
        host.env |= {"STREAM_PATH": f"{folder}/streams.db", "OUTBOX_PATH": f"{folder}/outbox.db"}
        with host:
            latencies: list[float] = []
            for index in range(runs):
                reply = host.post("/api/runs/chain", json={"topic": f"streaming {index}"})
                latencies += _read_tokens(host, str(reply.json()["id"]))
            return latencies


def _read_tokens(host: Any, run_id: str) -> list[float]:
    latencies, last_id, ended = [], None, False
    while not ended:
        headers = {"Accept": "text/event-stream"} | ({"Last-Event-ID": last_id} if last_id else {})
        reply = host.get(f"/api/runs/{run_id}/events", params={"wait": "20"}, headers=headers)
        arrived = time.time()
        for block in reply.text.split("\n\n"):
            fields = dict(line.split(": ", 1) for line in block.splitlines() if ": " in line)
            ended = ended or fields.get("event") == "end"
            if fields.get("event") == "token":
                written = datetime.fromisoformat(json.loads(fields["data"])["at"].replace("Z", "+00:00"))
                latencies.append((arrived - written.timestamp()) * 1000)
            last_id = fields.get("id", last_id)
    return latencies


class LongRunClient:
    """A durable client holding one running run of `steps` finished agent steps (the extension's form)."""

    def __init__(self, steps: int) -> None:
        start = datetime.now(UTC) - timedelta(minutes=10)
        history: list[dict[str, Any]] = [
            {"EventType": "ExecutionStarted", "FunctionName": "long", "Timestamp": _stamp(start)}
        ]
        for step in range(steps):
            result: dict[str, Any] = {
                "agent": "writer",
                "text": "words " * 60,
                "value": None,
                "tool_calls": [],
                "step": f"s{step}",
            }
            at = start + timedelta(milliseconds=step * 100)
            history.append(
                {
                    "EventType": "TaskCompleted",
                    "FunctionName": "run_agent",
                    "ScheduledTime": _stamp(at),
                    "Timestamp": _stamp(at + timedelta(milliseconds=50)),
                    "Result": result,
                }
            )
        self.body = {
            "name": "long",
            "instanceId": "long-run",
            "runtimeStatus": "Running",
            "createdTime": _stamp(start)[:19] + "Z",
            "lastUpdatedTime": (start + timedelta(minutes=2)).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "historyEvents": history,
        }
        self.reads = {"status": 0, "history": 0, "bytes": 0}

    async def get_status(
        self, instance_id: str, show_history: bool = False, **_: Any
    ) -> DurableOrchestrationStatus:
        body = self.body if show_history else {k: v for k, v in self.body.items() if k != "historyEvents"}
        text = json.dumps(body)  # what crosses the wire
        self.reads["history" if show_history else "status"] += 1
        self.reads["bytes"] += len(text)
        status: DurableOrchestrationStatus = DurableOrchestrationStatus.from_json(json.loads(text))
        return status


def idle_poll(steps: int) -> dict[str, float]:
    """The first poll and an idle one of a long run: ms per call, reads and bytes per call."""
    client = LongRunClient(steps)
    run_timeline.forget_timelines()

    def poll(after: str) -> dict[str, Any]:
        req = func.HttpRequest(
            "GET",
            f"http://localhost/api/runs/long-run/events?after={after}",
            body=b"",
            params={"after": after, "tokens": "false"},
            route_params={"id": "long-run"},
        )
        stand_in = cast(DurableOrchestrationClient, client)  # answers the two status reads run_events makes
        page: dict[str, Any] = json.loads(asyncio.run(events_api.run_events(req, stand_in)).get_body())
        return page

    started = time.perf_counter()
    page = poll("0")
    first_ms = (time.perf_counter() - started) * 1000
    first_reads = dict(client.reads)
    events = 0
    while page["events"]:  # the rest of the timeline, a page at a time
        events += len(page["events"])
        page = poll(page["next"])
    caught_up = page["next"]
    client.reads = {"status": 0, "history": 0, "bytes": 0}
    times = []
    for _ in range(POLLS):
        started = time.perf_counter()
        assert poll(caught_up)["events"] == []
        times.append((time.perf_counter() - started) * 1000)
    return {
        "events": events,
        "first_ms": first_ms,
        "first_bytes": first_reads["bytes"],
        "idle_ms": statistics.median(times),
        "idle_status_reads": client.reads["status"] / POLLS,
        "idle_history_reads": client.reads["history"] / POLLS,
        "idle_bytes": client.reads["bytes"] / POLLS,
    }


def _stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%f") + "0Z"


def report(latencies: list[float], idle: dict[str, float]) -> str:
    p50 = statistics.median(latencies)
    p95 = statistics.quantiles(latencies, n=20, method="inclusive")[18] if len(latencies) > 1 else p50
    met = "met" if p50 <= TOKEN_P50_TARGET_MS else "**missed**"
    return "\n".join(
        [
            "# Streaming: words to a reader, and the idle poll",
            "",
            f"Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC (`python -m bench.streaming`).",
            "",
            "## A token's way from the model to an EventSource reader (embedded host)",
            "",
            f"{len(latencies)} token events of chain runs on the offline model ({DELAY_MS:g} ms a reply, "
            "words spread over it), read as SSE batches with `Last-Event-ID`:",
            "",
            "| p50 ms | p95 ms | max ms |",
            "|---:|---:|---:|",
            f"| {p50:.1f} | {p95:.1f} | {max(latencies):.1f} |",
            "",
            f"- {met}: token emission → arrival p50 = {p50:.1f} ms (target ≤ {TOKEN_P50_TARGET_MS:g})",
            "",
            f"## An idle events poll on a {STEPS:,}-step run",
            "",
            "| poll | ms | status reads | history reads | bytes read |",
            "|---|---:|---:|---:|---:|",
            f"| first (builds the timeline of {int(idle['events'])} events) | {idle['first_ms']:.1f} | 0 | 1 "
            f"| {int(idle['first_bytes']):,} |",
            f"| idle (nothing new) | {idle['idle_ms']:.2f} | {idle['idle_status_reads']:g} "
            f"| {idle['idle_history_reads']:g} | {int(idle['idle_bytes']):,} |",
            "",
        ]
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.streaming", description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="chain runs read for token latency (default 3)")
    args = parser.parse_args(argv)
    text = report(token_latencies(args.runs), idle_poll(STEPS))
    print(text)
    RESULTS.write_text(text)


if __name__ == "__main__":
    main()
