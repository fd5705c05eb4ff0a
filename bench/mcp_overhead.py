"""`python -m bench.mcp_overhead`: a workflow as an MCP tool call vs the same run through the HTTP API.

The template runs on the embedded host with the offline model at 0 ms. Each round starts `chain` with
the same input twice, in alternating order: once as `tools/call` on an initialised MCP session
(streamable HTTP, one JSON-RPC message per POST, the SSE reply read to its end) and once as
`POST /api/runs/chain?wait=60`. Both are timed on the client's clock, from sending to the run
document in hand, over one kept-alive connection. The target is MCP at most 1.2x the HTTP median.
Results go to stdout and to `bench/mcp_overhead.md`.
"""

import argparse
import json
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

from bench.devhost.load import percentile
from bench.template_host import PROJECT_ROOT, template_env
from devhost.testing import DevHost

RESULTS = Path(__file__).resolve().parent / "mcp_overhead.md"
MCP_PATH = "/runtime/webhooks/mcp"
ACCEPT = "application/json, text/event-stream"
CHAIN_INPUT = {"topic": "durable agents"}
TARGET_RATIO = 1.2


class McpSession:
    """An initialised MCP session over one HTTP connection, as a streamable HTTP client keeps it."""

    def __init__(self, http: httpx.Client) -> None:
        self.http = http
        self.next_id = 0
        self.session_id: str | None = None
        reply = self._post({"method": "initialize", "params": _initialize_params()}, expect_reply=True)
        self.session_id = reply.headers.get("mcp-session-id")
        self._post({"method": "notifications/initialized"}, expect_reply=False)

    def call_tool(self, name: str, arguments: dict[str, Any]) -> dict[str, Any]:
        """tools/call's result, read from the reply's SSE `message` event."""
        response = self._post(
            {"method": "tools/call", "params": {"name": name, "arguments": arguments}}, True
        )
        data = next(line[6:] for line in response.text.splitlines() if line.startswith("data: "))
        result: dict[str, Any] = json.loads(data)["result"]
        return result

    def _post(self, message: dict[str, Any], expect_reply: bool) -> httpx.Response:
        body: dict[str, Any] = {"jsonrpc": "2.0", **message}
        if expect_reply:
            self.next_id += 1
            body["id"] = self.next_id
        headers = {"Accept": ACCEPT, "Content-Type": "application/json"}
        if self.session_id:
            headers["Mcp-Session-Id"] = self.session_id
        response = self.http.post(MCP_PATH, content=json.dumps(body), headers=headers)
        response.raise_for_status()
        return response


def _initialize_params() -> dict[str, Any]:
    return {
        "protocolVersion": "2025-06-18",
        "capabilities": {},
        "clientInfo": {"name": "bench.mcp_overhead", "version": "1"},
    }


def _timed(call: Callable[[], dict[str, Any]]) -> float:
    started = time.perf_counter()
    document = call()
    elapsed_ms = (time.perf_counter() - started) * 1000
    if document.get("status") != "Completed":
        raise RuntimeError(f"chain did not complete: {json.dumps(document)[:300]}")
    return elapsed_ms


def measure(rounds: int, warmup: int) -> dict[str, list[float]]:
    """Per-call latencies (ms) of both ways in, measured in alternating order."""
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        with (
            DevHost(PROJECT_ROOT, folder / "state.db", env=template_env(folder)) as host,
            httpx.Client(base_url=host.base_url, timeout=120) as http,
        ):
            session = McpSession(http)
            ways: dict[str, Callable[[], dict[str, Any]]] = {
                "mcp": lambda: session.call_tool("chain", CHAIN_INPUT)["structuredContent"],
                "http": lambda: http.post("/api/runs/chain?wait=60", json=CHAIN_INPUT).json(),
            }
            for _ in range(warmup):
                for way in ways.values():
                    _timed(way)
            latencies: dict[str, list[float]] = {name: [] for name in ways}
            for index in range(rounds):
                order = list(ways) if index % 2 == 0 else list(reversed(ways))
                for way_name in order:
                    latencies[way_name].append(_timed(ways[way_name]))
    return latencies


def report(latencies: dict[str, list[float]], rounds: int) -> str:
    """The markdown table and the verdict."""
    medians = {name: statistics.median(values) for name, values in latencies.items()}
    ratio = medians["mcp"] / medians["http"]
    rows = [
        f"| {label} | {medians[name]:.1f} | {percentile(latencies[name], 0.9):.1f} "
        f"| {min(latencies[name]):.1f} |"
        for name, label in (
            ("mcp", "MCP `tools/call` chain (initialised session)"),
            ("http", "HTTP `POST /api/runs/chain?wait=60`"),
        )
    ]
    verdict = "meets" if ratio <= TARGET_RATIO else "misses"
    return "\n".join(
        [
            "## MCP tool call vs HTTP API (chain, offline model at 0 ms)",
            "",
            f"{rounds} calls each, alternating, client clock, embedded host on this machine.",
            "",
            "| way in | p50 ms | p90 ms | min ms |",
            "|---|---:|---:|---:|",
            *rows,
            "",
            f"MCP / HTTP (p50): **{ratio:.2f}x**, {verdict} the target of {TARGET_RATIO}x.",
        ]
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.mcp_overhead", description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=40, help="calls per way in (default 40)")
    parser.add_argument("--warmup", type=int, default=3, help="unmeasured calls per way in first")
    args = parser.parse_args(argv)
    markdown = report(measure(args.rounds, args.warmup), args.rounds)
    RESULTS.write_text(markdown + "\n")
    print(markdown)


if __name__ == "__main__":
    main()
