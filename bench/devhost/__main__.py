"""`python -m bench.devhost`: the embedded host's overhead, each figure next to a same-run baseline.

The baseline is the same work done by calling the app's functions directly in this process, so the ratio
says how much the host (HTTP, SQLite, replay) costs on this machine. Results go to stdout and to
`bench/devhost/results.md`; a cProfile of the host shows where its time goes.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import io
import json
import pstats
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.devhost.load import percentile, run_load
from bench.peers import machine
from devhost.testing import DevHost

APP = Path(__file__).resolve().parent / "bench_app"
RESULTS = Path(__file__).resolve().parent / "results.md"
WEBHOOKS = "/runtime/webhooks/durabletask"
FANOUT_RUNS = 5  # one run varies by ±40% on a shared 2-core machine


def _direct(fn: Callable[[], Any], repeat: int) -> float:
    """Seconds per call of `fn`, best of three batches (the in-process baseline)."""
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        for _ in range(repeat):
            fn()
        best = min(best, (time.perf_counter() - started) / repeat)
    return best


def _instant() -> Callable[[int], int]:
    """The benchmark app's activity, called as plain Python."""
    spec = importlib.util.spec_from_file_location("bench_function_app", APP / "function_app.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    instant: Callable[[int], int] = module.instant  # a decorated name still calls the user's function
    return instant


def _import_seconds() -> float:
    """Wall time for a fresh interpreter to import the app: what every host pays before listening."""
    code = f"import sys; sys.path.insert(0, {str(APP)!r}); import function_app"
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True)
    return time.perf_counter() - started


def _ready_from_launch_ms(temp: Path, launches: int = 3) -> float:
    """Median time from spawning the host to its first answer, on the caller's clock (to within
    `DevHost.READY_POLL_S`, how often a launch asks whether the host answers)."""
    times = []
    for index in range(launches):
        host = DevHost(APP, temp / f"ready-{index}.db")
        started = time.perf_counter()
        with host.launch():
            times.append((time.perf_counter() - started) * 1000)
    return percentile(times, 0.5)


def _ready_after_imports_ms(host: DevHost) -> float:
    found = re.findall(r"\((\d+) ms after the app's imports\)", host.log_tail(200))
    return float(found[-1]) if found else float("nan")


def _chain_latencies(host: DevHost, runs: int) -> list[float]:
    latencies = []
    for _ in range(runs):
        started = time.perf_counter()
        response = host.post("/api/chain")
        latencies.append((time.perf_counter() - started) * 1000)
        if (response.status_code, response.text) != (200, "3"):
            raise RuntimeError(f"chain run failed: {response.status_code} {response.text[:200]}")
    return latencies


def _timed_run(host: DevHost, orchestrator: str, value: Any) -> float:
    """Seconds from the start request to the answer of the management API's start-and-wait.

    The host answers a `?timeout=` start the moment the run ends; polling the status instead (as
    `DevHost.wait` does, every 20 ms) would add up to 20 ms to every figure.
    """
    started = time.perf_counter()
    response = host.http.post(
        f"{WEBHOOKS}/orchestrators/{orchestrator}",
        params={"timeout": 120},
        content=json.dumps(value),
        timeout=130,
    )
    if response.status_code != 200:
        raise RuntimeError(f"{orchestrator} did not complete: {response.status_code} {response.text[:300]}")
    return time.perf_counter() - started


def _with_extended_sessions(temp: Path) -> Path:
    """A copy of the bench app whose host.json opts in to extended sessions (the replay-cost lever)."""
    copy = temp / "bench_app_sessions"
    shutil.copytree(APP, copy, ignore=shutil.ignore_patterns("__pycache__"))
    host_json = json.loads((copy / "host.json").read_text())
    host_json["extensions"]["durableTask"]["extendedSessionsEnabled"] = True
    (copy / "host.json").write_text(json.dumps(host_json))
    return copy


def measure_with_sessions(temp: Path, instant: Callable[[int], int]) -> list[tuple[str, float, float, str]]:
    """The per-step figures again with extended sessions on: no full replay per episode."""
    call_s = _direct(lambda: instant(1), 10_000)
    with DevHost(_with_extended_sessions(temp), temp / "sessions.db") as host:
        _chain_latencies(host, 5)  # warm-up
        per_activity_ms = _timed_run(host, "sequence", {"steps": 50}) * 1000 / 50
        long_run_s = _timed_run(host, "sequence", {"steps": 1000})
    return [
        ("per-activity overhead (50-step sequence), extended sessions", per_activity_ms, call_s * 1000, "ms"),
        ("1,000-step sequence, extended sessions (wall)", long_run_s, 1000 * call_s, "s"),
    ]


def measure(
    host: DevHost, runs: int, instant: Callable[[int], int], temp: Path
) -> list[tuple[str, float, float, str]]:
    """Rows of (figure, absolute, baseline, unit)."""
    call_s = _direct(lambda: instant(1), 10_000)
    import_ms = _import_seconds() * 1000
    rows = [
        ("ready from launch (client clock), median of 3", _ready_from_launch_ms(temp), import_ms, "ms"),
        ("of which: ready after imports (host clock)", _ready_after_imports_ms(host), import_ms, "ms"),
    ]
    steps = 50
    per_activity_ms = _timed_run(host, "sequence", {"steps": steps}) * 1000 / steps
    rows.append(("per-activity overhead (50-step sequence)", per_activity_ms, call_s * 1000, "ms"))
    _chain_latencies(host, 5)  # warm-up: first-call imports and connections
    chain = _chain_latencies(host, runs)
    rows.append(
        (
            "3-activity chain, app's HTTP starter (SDK polls), p50",
            percentile(chain, 0.5),
            3 * call_s * 1000,
            "ms",
        )
    )
    rows.append(
        (
            "3-activity chain, app's HTTP starter (SDK polls), p95",
            percentile(chain, 0.95),
            3 * call_s * 1000,
            "ms",
        )
    )
    serial = asyncio.run(run_load(host.base_url, "chain", [0] * runs, concurrency=1))
    rows.append(("3-activity chain, management API start+wait, p50", serial.p50, 3 * call_s * 1000, "ms"))
    rows.append(("3-activity chain, management API start+wait, p95", serial.p95, 3 * call_s * 1000, "ms"))
    fanout = [_timed_run(host, "fanout", {"width": 100}) for _ in range(FANOUT_RUNS)]
    rows.append(
        (f"fan-out of 100 activities, median of {FANOUT_RUNS}", percentile(fanout, 0.5), 100 * call_s, "s")
    )
    load = asyncio.run(run_load(host.base_url, "chain", [0] * 200, concurrency=200))
    if load.failures or len(load.outputs) != 200:
        raise RuntimeError(f"200 concurrent runs: {len(load.failures)} failed, e.g. {load.failures[:3]}")
    rows.append(("200 concurrent chains, all complete (wall)", load.wall_s, 600 * call_s, "s"))
    rows.append(("200 concurrent chains, p95 per run", load.p95, 3 * call_s * 1000, "ms"))
    return rows


def profile_top(state_dir: Path, runs: int, limit: int = 18) -> tuple[str, str]:
    """cProfile of the host process while it serves `runs` chains: top entries by internal time."""
    profile_path = state_dir / "host.prof"
    host = DevHost(
        APP, state_dir / "profile.db", interpreter_args=["-m", "cProfile", "-o", str(profile_path)]
    )
    with host:
        _chain_latencies(host, runs)
    deadline = time.monotonic() + 10
    while not profile_path.exists() and time.monotonic() < deadline:
        time.sleep(0.05)  # cProfile writes its file as the process exits
    stream = io.StringIO()
    stats = pstats.Stats(str(profile_path), stream=stream)
    summary = "\n".join(breakdown(stats, runs))
    stream.write("### own time, whole process (start-up imports included)\n")
    stats.sort_stats("tottime").print_stats(limit)
    stream.write("\n### cumulative time in devhost, the SDK and aiohttp while serving\n")
    stats.sort_stats("cumulative").print_stats(r"devhost/|durable_functions/|aiohttp/web_protocol", limit)
    raw = "\n".join(line for line in stream.getvalue().splitlines() if line.strip() and "/tmp/" not in line)
    return summary, raw


# (label, file path fragment, function name): the host's main costs, as found in the profile.
_BREAKDOWN = [
    ("HTTP requests served (all, incl. app functions)", "devhost/http_server.py", "handle"),
    ("app HTTP functions (incl. their client RPCs)", "devhost/function_call.py", "call"),
    ("durable client RPC round trips over HTTP (SDK -> host)", "aiohttp/client.py", "_request"),
    ("durable client RPC served in-process (SDK -> host)", "devhost/client_rpc.py", "_serve"),
    ("orchestrator episodes (engine)", "devhost/runner.py", "_episode"),
    ("SDK orchestrator replay inside episodes", "durable_functions/orchestrator.py", "handle"),
    ("SQLite statements", "~", "<method 'execute' of 'sqlite3.Connection' objects>"),
]


def breakdown(stats: pstats.Stats, runs: int) -> list[str]:
    """Total time per cost centre and its share of one chain run (entries absent from the profile skipped).

    Per-run shares, because cProfile counts every resumption of a coroutine as a call.
    """
    table = stats.stats  # type: ignore[attr-defined]  # {(file, line, name): (cc, nc, tt, ct, callers)}
    lines = ["| where | total s | ms per chain run |", "|---|---:|---:|"]
    for label, fragment, name in _BREAKDOWN:
        found = [v[3] for (file, _, fn), v in table.items() if fragment in file and fn == name]
        if found:
            lines.append(f"| {label} | {max(found):.3f} | {max(found) * 1000 / runs:.3f} |")
    return lines


def render(
    rows: list[tuple[str, float, float, str]], profile: tuple[str, str], runs: int, where: dict[str, object]
) -> str:
    lines = [
        "# devhost benchmark",
        "",
        f"`python -m bench.devhost` on {where['date']}, {where['cores']} cores ({where['cpu']}), Python "
        f"{where['python']}, machine speed {where['cpu_probe_ms']} ms (a fixed Python loop, lower is faster; "
        "the peers' report takes the same reading). Baseline = the same app functions called directly "
        "in-process (for ready time: a fresh interpreter importing the app).",
        "",
        "| figure | devhost | baseline | ratio |",
        "|---|---:|---:|---:|",
    ]
    for name, value, baseline, unit in rows:
        ratio = value / baseline if baseline else float("nan")
        shown = f"{ratio:,.2f}x" if ratio < 100 else f"{ratio:,.0f}x"
        lines.append(f"| {name} | {value:.3f} {unit} | {baseline:.6f} {unit} | {shown} |")
    summary, raw = profile
    lines += [
        "",
        f"## Where the host's time goes (cProfile of the host serving {runs} chains via the app's starter)",
    ]
    lines += ["", summary, "", *HOT_PATH_NOTES, "", "```", raw, "```", ""]
    return "\n".join(lines)


# What each step costs besides the app's own code, and what keeps it down (devhost/*.py say why).
HOT_PATH_NOTES = [
    "Per activity step the host runs one orchestrator episode (the SDK's replay, then decisions and one",
    "SQLite transaction: history, work, status) and one activity (its result committed before the",
    "orchestration is woken): two commits of ~40-70 us each on this disk. What keeps the rest small:",
    "",
    "- the app's durable client calls (start, status polls) are served in-process by the management",
    "  API handlers (`devhost/client_rpc.py`), not over loopback HTTP;",
    "- WAL checkpoints run on a background thread (`devhost/checkpoints.py`), not inside a commit;",
    "- per-episode SDK work that does not depend on the episode is done once (`devhost/sdk_patches.py`:",
    "  the executor's namedtuple class, status-time parsing);",
    "- the event loop waits with microsecond timeouts (`devhost/event_loop.py`), so a timer due right",
    "  after another one is not rounded up to the next millisecond.",
    "",
    "With extended sessions off every episode replays the whole history in the SDK, so the per-step cost",
    "grows with the history: at 50 steps the SDK's replay is about 70% of an episode.",
    "`{built-in method select.select}` and `poll` of `select.epoll` below are the loop waiting for work.",
]


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.devhost", description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=100, help="chain runs for the latency percentiles")
    parser.add_argument("--no-write", action="store_true", help="print only; leave results.md alone")
    parser.add_argument("--verbose-log", action="store_true", help="print the end of the host's log")
    args = parser.parse_args()
    instant = _instant()
    with tempfile.TemporaryDirectory(prefix="devhost-bench-") as temp:
        with DevHost(APP, Path(temp) / "state.db") as host:
            rows = measure(host, args.runs, instant, Path(temp))
            if args.verbose_log:
                print(host.log_tail(60))
        rows += measure_with_sessions(Path(temp), instant)
        profile = profile_top(Path(temp), args.runs)
    report = render(rows, profile, args.runs, machine.describe())
    print(report)
    if not args.no_write:
        RESULTS.write_text(report)


if __name__ == "__main__":
    main()
