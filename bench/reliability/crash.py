"""Crash run: kill -9 the host at random moments of a mixed workload and count what survived.

1. Reference pass: the workload on a host that is never interrupted; its outputs are the expected ones.
2. Crash pass, on a fresh host with the same inputs: start a batch of items, drive them for a random
   0.1-0.9 s, SIGKILL the host, restart it on the same state; repeat for every kill, then drive every
   item to its end. The model is slowed (`OFFLINE_MODEL_DELAY_MS`) so kills land mid-run.
3. Compare: every run the host acknowledged must complete (lost = 0), every output must equal the
   reference once ticket numbers are blanked (the outbox numbers tickets in arrival order, which
   depends on scheduling), and the outbox must hold exactly one row per side effect.
"""

from __future__ import annotations

import contextlib
import os
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from bench.reliability.workload import Driver, Item, make_items, normalise
from devhost.testing import DevHost

POLL_S = 0.05  # pause between driving rounds, always bounded by a deadline
KILL_AFTER_S = (0.1, 0.9)  # a kill comes this long after the previous restart, uniformly drawn
SIDE_EFFECTS_PER_ITEM = {"tools": 1, "approval": 1}  # one ticket, one publication


@dataclass
class CrashFigures:
    """What the crash pass showed, next to the reference pass."""

    kills: int = 0
    kills_mid_run: int = 0
    runs_in_flight_at_kills: int = 0
    delay_ms: int = 0
    runs_started: int = 0
    runs_completed: int = 0
    lost: list[str] = field(default_factory=list)
    differing: list[str] = field(default_factory=list)
    side_effects: int = 0
    side_effects_expected: int = 0
    side_effects_repeated: int = 0
    attempts_rerun: int = 0
    elapsed_s: float = 0.0


def outbox_counts(path: Path) -> dict[str, Any]:
    """`agents.tools.outbox.stats()` plus the keys, read from the outbox file at `path`."""
    os.environ.update(OUTBOX_PATH=str(path), OUTBOX_TABLE_ENDPOINT="")
    from agents.tools import outbox

    return {**outbox.stats(), "keys": [record.key for record in outbox.records()]}


def drive_to_end(driver: Driver, items: list[Item], deadline_s: float) -> None:
    """Advance every item until all are done or the deadline passes (the caller counts the rest)."""
    until = time.monotonic() + deadline_s
    while time.monotonic() < until and not all(item.done for item in items):
        driver.advance_all(items)
        time.sleep(POLL_S)


def drive_for(driver: Driver, items: list[Item], seconds: float) -> None:
    """Advance items for `seconds`, ignoring the host being unreachable (it may be restarting)."""
    until = time.monotonic() + seconds
    while time.monotonic() < until:
        with contextlib.suppress(httpx.TransportError):
            driver.advance_all(items)
        time.sleep(POLL_S)


def reference_outputs(host: DevHost, per_workflow: int, deadline_s: float) -> dict[str, list[Any]]:
    """Outputs of an uninterrupted pass, keyed by item."""
    items = make_items(per_workflow)
    drive_to_end(Driver(host.http), items, deadline_s)
    unfinished = [item.key for item in items if not item.done]
    if unfinished:
        raise RuntimeError(f"reference pass did not finish within {deadline_s}s: {unfinished}")
    return {item.key: item.outputs for item in items}


def in_flight(items: list[Item]) -> int:
    """Runs the host acknowledged whose end the driver has not seen yet."""
    return sum(len(item.runs) - len(item.outputs) for item in items)


def crash_pass(
    make_host: Callable[[], DevHost], per_workflow: int, kills: int, seed: int, deadline_s: float
) -> tuple[list[Item], list[int]]:
    """Run the workload with `kills` SIGKILLs spread over it; returns items and runs in flight per kill."""
    chooser = random.Random(seed)
    items = make_items(per_workflow)
    host = make_host().launch()
    driver = Driver(host.http)
    released: list[Item] = []
    hit: list[int] = []
    try:
        for kill_no in range(kills):
            released += items[kill_no::kills]
            drive_for(driver, released, chooser.uniform(*KILL_AFTER_S))
            hit.append(in_flight(released))
            host.kill()
            host.launch()
        drive_to_end(driver, items, deadline_s)
    finally:
        host.close()
    return items, hit


def compare(items: list[Item], reference: dict[str, list[Any]], figures: CrashFigures) -> None:
    """Fill the run counts, lost runs and differing outputs from the crash pass's items."""
    for item in items:
        figures.runs_started += len(item.runs)
        figures.runs_completed += item.statuses.count("Completed")
        if not item.done:
            figures.lost.append(
                f"{item.key}: runs {item.runs} never ended ({len(item.outputs)} of {item.steps})"
            )
            continue
        if normalise(item.outputs) != normalise(reference[item.key]):
            figures.differing.append(f"{item.key}: {item.outputs!r} != reference {reference[item.key]!r}")


def count_side_effects(items: list[Item], outbox: Path, figures: CrashFigures) -> None:
    """Outbox rows against one per tools/approval item; attempts beyond the first are re-runs."""
    counts = outbox_counts(outbox)
    figures.side_effects = counts["rows"]
    figures.side_effects_expected = sum(SIDE_EFFECTS_PER_ITEM.get(item.workflow, 0) for item in items)
    runs_with_effects = [key.split(":", 1)[0] for key in counts["keys"]]
    figures.side_effects_repeated = len(runs_with_effects) - len(set(runs_with_effects))
    figures.attempts_rerun = counts["duplicates"]


def crash_run(
    make_host: Callable[[str], DevHost],
    outbox: Path,
    *,
    per_workflow: int,
    kills: int,
    delay_ms: int,
    seed: int = 11,
    deadline_s: float = 180.0,
) -> CrashFigures:
    """Reference pass, crash pass, comparison. `make_host(name)` builds an unlaunched host."""
    began = time.monotonic()
    with make_host("reference") as reference_host:
        reference = reference_outputs(reference_host, per_workflow, deadline_s)
    items, hit = crash_pass(lambda: make_host("crash"), per_workflow, kills, seed, deadline_s)
    figures = CrashFigures(kills=len(hit), kills_mid_run=sum(1 for n in hit if n), delay_ms=delay_ms)
    figures.runs_in_flight_at_kills = sum(hit)
    compare(items, reference, figures)
    count_side_effects(items, outbox, figures)
    figures.elapsed_s = time.monotonic() - began
    return figures
