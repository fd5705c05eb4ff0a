"""Replay cost: one episode's cost vs history length, with and without the two devhost levers.

A sequential N-activity orchestration pays, on every episode, for replaying everything before it
(protocol §11 "Replay cost"). Two levers cut that: the timestamp speed-up (``durable_speedups``) and
extended sessions (``extendedSessionsEnabled``: only new events are fed to a kept generator). This
benchmark measures one episode through the engine's ``EpisodeRunner`` (SDK call, decision, SQLite
commit) at several history lengths for each lever, prints absolute figures and ratios to the baseline
measured in the same run, profiles one episode, and times a whole N-activity run through the Engine.

To measure episode k without replaying k episodes per lever, the history is built once (fast), the
state file is copied at each measured point, and each measurement runs on a copy: one warm-up episode
(fills the runner's history cache and, for sessions, the session) then the timed one.

    python -m bench.replay_cost            # up to 1,000 activities
    python -m bench.replay_cost --quick    # up to 200, fewer points

Writes ``bench/replay_cost.md`` and ``bench/replay_cost.csv`` (``history_events,lever,episode_ms``).
No assertions: the figures are for reading.
"""

import argparse
import asyncio
import cProfile
import csv
import io
import json
import pstats
import shutil
import statistics
import tempfile
import time
from collections.abc import Generator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import azure.durable_functions as df
from azure.durable_functions.models.history import HistoryEventType

import durable_speedups
from devhost.engine import Engine
from devhost.history import event, utc_now
from devhost.registry import DurableRegistry
from devhost.runner import EpisodeRunner, new_instance
from devhost.sessions import SessionCache, SessionSettings
from devhost.store import ActivityRow, Store

OUT_DIR = Path(__file__).resolve().parent
INSTANCE = "replay-cost"
LEVERS: dict[str, tuple[bool, bool]] = {  # name -> (timestamp speed-up, extended sessions)
    "neither": (False, False),
    "speedups": (True, False),
    "sessions": (False, True),
    "both": (True, True),
}
SESSIONS = SessionSettings()

app = df.DFApp()


@app.orchestration_trigger(context_name="context")
def sequence(context: df.DurableOrchestrationContext) -> Generator[Any, Any, int]:
    count = int(context.get_input() or 0)
    for step in range(count):
        yield context.call_activity("echo", step)
    return count


@app.activity_trigger(input_name="value")
def echo(value: int) -> int:
    return value


REGISTRY = DurableRegistry(app.get_functions())


@dataclass(frozen=True)
class Plan:
    steps: list[int]  # completed activities before each measured episode
    repeats: int
    run_length: int  # activities in the end-to-end run


PLANS = {
    False: Plan(steps=[1, 100, 250, 500, 750, 1000], repeats=3, run_length=1000),
    True: Plan(steps=[1, 50, 100, 200], repeats=3, run_length=200),
}


def use_lever(lever: str) -> tuple[bool, SessionCache | None]:
    """Put the timestamp parser in place (or the SDK's own) and give the lever's session cache."""
    speedups, sessions = LEVERS[lever]
    if speedups:
        durable_speedups.install()
    else:
        durable_speedups.uninstall()
    cache = SessionCache(SESSIONS.capacity, SESSIONS.idle_timeout_s) if sessions else None
    return speedups, cache


class SequenceRun:
    """One ``sequence`` instance on a state file, driven episode by episode; activities complete at once."""

    def __init__(self, path: Path, sessions: SessionCache | None) -> None:
        self.store = Store(path)
        self.runner = EpisodeRunner(self.store, REGISTRY, "", False, sessions)

    def create(self, count: int) -> None:
        with self.store.transaction():
            self.store.save_instance(new_instance(INSTANCE, "sequence", "", json.dumps(count)))

    def step(self) -> float:
        """Run one episode (timed, in ms) and deliver the activity it scheduled."""
        started = time.perf_counter()
        wakeups = self.runner.run(INSTANCE)
        elapsed = (time.perf_counter() - started) * 1000
        self._complete(wakeups.activities)
        return elapsed

    def _complete(self, activities: list[ActivityRow]) -> None:
        with self.store.transaction():
            for row in activities:
                self.store.take_activity(row.row_id)
                done = event(
                    HistoryEventType.TASK_COMPLETED, utc_now(), TaskScheduledId=row.task_id, Result=row.input
                )  # echo returns its input: the same JSON text
                self.store.add_inbox(INSTANCE, row.execution_id, done)

    def history_length(self) -> int:
        return len(self.store.load_history(INSTANCE))

    def close(self) -> None:
        self.store.close()


def build_snapshots(plan: Plan, folder: Path) -> dict[int, Path]:
    """Run the orchestration once (both levers) and keep a copy of the state file at each measured step."""
    use_lever("both")
    path = folder / "build.db"
    run = SequenceRun(path, None)
    run.create(max(plan.steps) + 3)  # never finishes inside a measurement
    snapshots: dict[int, Path] = {}
    for done in range(max(plan.steps) + 1):
        if done in plan.steps:
            run.close()
            snapshots[done] = Path(shutil.copy(path, folder / f"step-{done}.db"))
            run = SequenceRun(path, None)
        run.step()
    run.close()
    return snapshots


def measure(lever: str, snapshot: Path, folder: Path, profile: cProfile.Profile | None) -> tuple[int, float]:
    """(history events before the timed episode, its cost in ms) on a fresh copy of the snapshot."""
    _, sessions = use_lever(lever)
    copy = Path(shutil.copy(snapshot, folder / f"{lever}.db"))
    run = SequenceRun(copy, sessions)
    try:
        run.step()  # warm-up: history cache, session
        length = run.history_length()
        if profile is not None:
            profile.enable()
        elapsed = run.step()
        if profile is not None:
            profile.disable()
        return length, elapsed
    finally:
        run.close()


def episode_curve(plan: Plan, snapshots: dict[int, Path], folder: Path) -> list[tuple[int, str, float]]:
    """Median episode cost per (history length, lever)."""
    rows = []
    for lever in LEVERS:
        for step in plan.steps:
            samples = [measure(lever, snapshots[step], folder, None) for _ in range(plan.repeats)]
            length = samples[0][0]
            cost = statistics.median(cost for _, cost in samples)
            rows.append((length, lever, cost))
            print(f"  {lever:<9} {length:>5} events  {cost:9.2f} ms", flush=True)
    return rows


def profile_episode(lever: str, snapshot: Path, folder: Path, top: int = 12) -> str:
    """cProfile's top entries (by own time) for one timed episode."""
    profile = cProfile.Profile()
    measure(lever, snapshot, folder, profile)
    text = io.StringIO()
    pstats.Stats(profile, stream=text).sort_stats("tottime").print_stats(top)
    lines = text.getvalue().strip().splitlines()
    start = next(i for i, line in enumerate(lines) if line.strip().startswith("ncalls"))
    return "\n".join([lines[start - 2], "", *lines[start:]])


async def whole_run(length: int, lever: str, folder: Path) -> float:
    """Seconds for a ``length``-activity run through the Engine (dispatcher, thread-pool activities)."""
    speedups, sessions = LEVERS[lever]
    engine = Engine(REGISTRY, folder / f"run-{lever}.db", hub_name="bench", extended_sessions=sessions)
    await engine.start()  # installs the timestamp speed-up
    if not speedups:
        durable_speedups.uninstall()
    try:
        started = time.perf_counter()
        instance_id = await engine.start_new("sequence", None, json.dumps(length))
        status = await engine.wait_for_instance(instance_id, 3600)
        elapsed = time.perf_counter() - started
        if status is None or status["output"] != length:
            raise RuntimeError(f"the {lever} run did not complete: {status}")
        return elapsed
    finally:
        await engine.stop()


def ratio_table(rows: list[tuple[int, str, float]]) -> list[str]:
    """Markdown rows: each lever's ms and how many times cheaper than the baseline at that length."""
    by_length: dict[int, dict[str, float]] = {}
    for length, lever, cost in rows:
        by_length.setdefault(length, {})[lever] = cost
    header = "| history events | " + " | ".join(LEVERS) + " |"
    lines = [header, "|---:|" + "---:|" * len(LEVERS)]
    for length, costs in sorted(by_length.items()):
        base = costs["neither"]
        cells = [f"{costs[lever]:.2f} ms ({base / costs[lever]:.1f}x)" for lever in LEVERS]
        lines.append(f"| {length} | " + " | ".join(cells) + " |")
    return lines


def write_csv(rows: list[tuple[int, str, float]], path: Path) -> None:
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["history_events", "lever", "episode_ms"])
        writer.writerows((length, lever, f"{cost:.3f}") for length, lever, cost in rows)


def report(
    plan: Plan, rows: list[tuple[int, str, float]], runs: dict[str, float], profiles: dict[str, str]
) -> str:
    lines = [
        "# Replay cost: one episode vs history length",
        "",
        "Written by `python -m bench.replay_cost` (do not edit). A sequential orchestration of `echo`",
        "activities; each figure is the median of "
        f"{plan.repeats} episodes measured through the engine's `EpisodeRunner` (SDK call, decision,",
        "SQLite commit), with the ratio to the baseline (`neither`) measured in the same run.",
        "`speedups`: the `durable_speedups` timestamp parser; `sessions`: extended sessions.",
        "",
        *ratio_table(rows),
        "",
        f"## Whole {plan.run_length}-activity run through the Engine",
        "",
        "| lever | seconds |",
        "|---|---:|",
        *(f"| {lever} | {seconds:.2f} |" for lever, seconds in runs.items()),
        "",
        "## Where the time goes (cProfile, one episode at the longest history, by own time)",
    ]
    for lever, text in profiles.items():
        lines += ["", f"### {lever}", "", "```", text, "```"]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.replay_cost", description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer, shorter points")
    plan = PLANS[parser.parse_args(argv).quick]
    with tempfile.TemporaryDirectory(prefix="replay-cost-") as scratch:
        folder = Path(scratch)
        print(f"episode cost at {plan.steps} completed activities:", flush=True)
        snapshots = build_snapshots(plan, folder)
        rows = episode_curve(plan, snapshots, folder)
        longest = snapshots[max(plan.steps)]
        profiles = {lever: profile_episode(lever, longest, folder) for lever in LEVERS}
        runs = {}
        for lever in ("both", "sessions", "speedups"):
            print(f"whole {plan.run_length}-activity run, {lever} ...", flush=True)
            runs[lever] = asyncio.run(whole_run(plan.run_length, lever, folder))
    durable_speedups.install()
    text = report(plan, rows, runs, profiles)
    print("\n" + text)
    (OUT_DIR / "replay_cost.md").write_text(text)
    write_csv(rows, OUT_DIR / "replay_cost.csv")


if __name__ == "__main__":
    main()
