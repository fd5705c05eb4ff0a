"""Where the template's time goes: a per-run timeline from the host, and a cProfile of the host.

Two views, each answering a different question:
- a fresh host, traced (`bench.peers.trace_host`), serves N runs; for each, the run's own events
  (`GET /api/runs/{id}/events`) and the host's log lines (every orchestration episode and activity
  with its duration) split the time from sending the POST to the recorded end into: getting the run
  started, orchestration episodes (replay, decisions, SQLite commit), agent activities (model delay
  included) and the rest (dispatch between steps, HTTP hops, waiting for the host's single event
  loop); the trace's marks cut the whole wait, to the answer, into contiguous segments
  (`bench.peers.segments`);
- a cProfile of the host names the functions. Imports and start-up would swamp a profile of a few
  runs, so two profiled hosts run (warm-up only, then warm-up plus N runs) and the report shows
  the difference: what N steady-state runs cost, per run.
"""

import asyncio
import json
import pstats
import re
import statistics
import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp

from bench.peers import template_peer
from bench.peers.segments import Mark, client_calls_per_run, median_segments
from bench.peers.workload import topic_for

_ADDRESS = re.compile(r" at 0x[0-9a-f]+")
_EPISODE = re.compile(r"episode \S+ (?P<id>\w+): .* in (?P<ms>[\d.]+) ms")
_ACTIVITY = re.compile(r"activity \S+ (?P<id>\w+)#\d+ \S+.* in (?P<ms>[\d.]+) ms")
# Requests the app's durable client makes to the host's management API (start, status polls).
_CLIENT_CALL = re.compile(r"[A-Z]+ /runtime/webhooks/\S* -> \d{3} \((?P<ms>[\d.]+) ms\)")
# Time the host's event loop spends waiting for work is idle, not cost.
_IDLE = (
    "{method 'poll' of 'select.epoll' objects}",
    "{method 'select' of 'select.epoll' objects}",
    "{built-in method select.select}",  # devhost/event_loop.py waits in select() with microsecond timeouts
)


@dataclass
class Timeline:
    """Medians per run in milliseconds (`client_calls` and `client_call_ms` are means)."""

    runs: int
    total_ms: float  # POST sent -> run_completed
    start_ms: float  # POST sent -> run_started
    episodes: float
    episode_ms: float
    activity_ms: float
    other_ms: float  # total - start - episodes - activities
    client_calls: float  # management API requests per run (the log lines carry no run id)
    client_call_ms: float
    # On the caller's clock, contiguous (`bench.peers.segments`); medians, so they add up only nearly.
    segments: dict[str, float] = field(default_factory=dict)
    durable_client_calls: float = 0.0  # per run, counted by the traced host whatever the transport


@dataclass
class HotSpot:
    """One function's steady-state cost per chain run (under the profiler, so inflated alike)."""

    name: str
    own_ms: float
    total_ms: float
    calls: float


@dataclass
class Diagnosis:
    timeline: Timeline | None
    hot_spots: list[HotSpot] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    # The same segments with no model delay, beside a diagnosed delay: which part grows with it.
    baseline_segments: dict[str, float] = field(default_factory=dict)


class LogFormatChanged(RuntimeError):
    """The host's log no longer has the episode/activity lines this diagnosis reads."""


@dataclass(frozen=True)
class TimedRun:
    sent: float  # wall clock, like the times the host records in the run's events
    sent_ns: int  # monotonic, like the traced host's marks
    answered_ns: int
    run: template_peer.HostRun


async def _timed_runs(client: aiohttp.ClientSession, runs: int) -> list[TimedRun]:
    """`runs` runs after one warm-up, each with the moments it was sent and answered."""
    await template_peer.run_on(client, topic_for(0))  # first-call imports
    timed = []
    for index in range(1, runs + 1):
        sent, sent_ns = time.time(), time.monotonic_ns()
        run = await template_peer.run_on(client, topic_for(index))  # then reads the run's events
        answered_ns = sent_ns + round((run.answered_at - sent) * 1e9)
        timed.append(TimedRun(sent, sent_ns, answered_ns, run))
    return timed


def _per_run(pattern: re.Pattern[str], text: str) -> dict[str, list[float]]:
    found: dict[str, list[float]] = defaultdict(list)
    for match in pattern.finditer(text):
        found[match["id"]].append(float(match["ms"]))
    return found


def _timeline(timed: list[TimedRun], log_text: str, marks: list[Mark]) -> Timeline:
    episodes, activities = _per_run(_EPISODE, log_text), _per_run(_ACTIVITY, log_text)
    times = {each.run.run_id: (each.sent, each.run) for each in timed}
    windows = [(each.sent_ns, each.answered_ns) for each in timed]
    if not all(run in episodes and run in activities for run in times):
        raise LogFormatChanged("the host log lacks episode/activity lines for the measured runs")
    calls = [float(match["ms"]) for match in _CLIENT_CALL.finditer(log_text)]
    totals = {run: (done.ended_at - sent) * 1000 for run, (sent, done) in times.items()}
    starts = {run: (done.started_at - sent) * 1000 for run, (sent, done) in times.items()}
    others = {run: totals[run] - starts[run] - sum(episodes[run]) - sum(activities[run]) for run in times}
    return Timeline(
        runs=len(times),
        total_ms=statistics.median(totals.values()),
        start_ms=statistics.median(starts.values()),
        episodes=statistics.median(len(episodes[run]) for run in times),
        episode_ms=statistics.median(sum(episodes[run]) for run in times),
        activity_ms=statistics.median(sum(activities[run]) for run in times),
        other_ms=statistics.median(others.values()),
        client_calls=len(calls) / (len(times) + 1),
        client_call_ms=sum(calls) / (len(times) + 1),
        segments=median_segments(marks, windows),
        durable_client_calls=client_calls_per_run(marks, windows),
    )


async def timeline(workdir: Path, delay_ms: float, runs: int) -> Timeline:
    """Serve one warm-up and `runs` timed runs on a fresh host and split their time."""
    workdir.mkdir(parents=True, exist_ok=True)
    marks_path = workdir / "marks.json"
    host = template_peer.make_host(workdir, delay_ms, ("-m", "bench.peers.trace_host", str(marks_path)))
    await asyncio.to_thread(host.launch)
    try:
        async with template_peer.client(host.base_url) as client:
            timed = await _timed_runs(client, runs)
    finally:
        await asyncio.to_thread(host.close)  # the traced host writes its marks as it exits
    if not marks_path.is_file():
        raise FileNotFoundError(f"the traced host left no marks at {marks_path}:\n{host.log_tail()}")
    marks = [(at, label, edge) for at, label, edge in json.loads(marks_path.read_text())]
    return _timeline(timed, host.log_path.read_text(errors="replace"), marks)


async def _profiled_runs(workdir: Path, delay_ms: float, runs: int) -> pstats.Stats:
    """Profile a fresh host that serves one warm-up run and then `runs` more."""
    workdir.mkdir(parents=True, exist_ok=True)
    profile = workdir / "host.prof"
    host = template_peer.make_host(workdir, delay_ms, ("-m", "cProfile", "-o", str(profile)))
    await asyncio.to_thread(host.launch)
    try:
        async with template_peer.client(host.base_url) as client:
            for index in range(runs + 1):
                await template_peer.run_on(client, topic_for(index))
    finally:
        await asyncio.to_thread(host.close)  # cProfile writes its file as the process exits
    if not profile.is_file():
        raise FileNotFoundError(f"the profiled host left no profile at {profile}:\n{host.log_tail()}")
    return pstats.Stats(str(profile))


def _same_in_every_process(key: tuple[str, int, str]) -> tuple[str, int, str]:
    """A profile key without the memory address some built-ins carry (`<built-in method __new__ of
    type object at 0x7f...>`), which differs between the two processes and would match nothing."""
    filename, line, name = key
    return filename, line, _ADDRESS.sub("", name)


def _difference(baseline: pstats.Stats, loaded: pstats.Stats, runs: int) -> Iterable[HotSpot]:
    base = {_same_in_every_process(key): row for key, row in baseline.stats.items()}  # type: ignore[attr-defined]
    for key, (_, calls, own, total, _) in loaded.stats.items():  # type: ignore[attr-defined]
        _, base_calls, base_own, base_total, _ = base.get(_same_in_every_process(key), (0, 0, 0.0, 0.0, None))
        yield HotSpot(
            name=pstats.func_std_string(_same_in_every_process(key)),  # type: ignore[attr-defined]  # public in pstats, not in typeshed
            own_ms=(own - base_own) * 1000 / runs,
            total_ms=(total - base_total) * 1000 / runs,
            calls=(calls - base_calls) / runs,
        )


async def hot_spots(workdir: Path, delay_ms: float, runs: int, limit: int = 15) -> list[HotSpot]:
    """The functions with the most steady-state own time per chain run, idle waiting left out."""
    baseline = await _profiled_runs(workdir / "profile-warmup", delay_ms, 0)
    loaded = await _profiled_runs(workdir / "profile-runs", delay_ms, runs)
    spots = [spot for spot in _difference(baseline, loaded, runs) if spot.name not in _IDLE]
    return sorted(spots, key=lambda spot: spot.own_ms, reverse=True)[:limit]


async def diagnose(workdir: Path, delay_ms: float, runs: int) -> Diagnosis:
    """Both views for the template at `delay_ms`; a view that fails becomes a problem line, not a crash."""
    diagnosis = Diagnosis(timeline=None)
    try:
        diagnosis.timeline = await timeline(workdir / "timeline", delay_ms, runs)
        if delay_ms:
            baseline = await timeline(workdir / "timeline-no-delay", 0.0, runs)
            diagnosis.baseline_segments = baseline.segments
    except (OSError, RuntimeError, AssertionError) as error:  # DevHostError is an AssertionError
        diagnosis.problems.append(f"timing runs on the host failed: {type(error).__name__}: {error}")
    try:
        diagnosis.hot_spots = await hot_spots(workdir, delay_ms, runs)
    except (OSError, RuntimeError, AssertionError) as error:
        diagnosis.problems.append(f"profiling the host failed: {type(error).__name__}: {error}")
    return diagnosis
