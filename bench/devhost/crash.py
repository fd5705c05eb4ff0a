"""Crash driver: SIGKILL a devhost at random points of a mixed workload and prove nothing is lost.

1. Run the workload once on a host that is never interrupted: the reference outputs.
2. On a fresh host, start the workload in batches; after each batch wait a random moment, `kill -9`,
   restart on the same state. Every start the host acknowledged (202) must survive.
3. When the kills are done, every run must complete with the reference output.

The workload items are `(orchestrator, input)` pairs whose output depends only on the input, so an
interrupted run and an uninterrupted one must agree exactly.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from devhost.testing import DevHost

WorkItem = tuple[str, Any]


@dataclass
class CrashReport:
    kills: int = 0
    runs: int = 0
    mismatches: list[str] = field(default_factory=list)
    elapsed_s: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.mismatches


def reference_outputs(host: DevHost, workload: Sequence[WorkItem], deadline_s: float) -> list[Any]:
    """Outputs of an uninterrupted run of the workload (all started first, then awaited)."""
    ids = [host.start(name, value) for name, value in workload]
    return [_completed_output(host, instance_id, deadline_s) for instance_id in ids]


def _completed_output(host: DevHost, instance_id: str, deadline_s: float) -> Any:
    status = host.wait(instance_id, deadline=deadline_s)
    if status["runtimeStatus"] != "Completed":
        raise AssertionError(f"{instance_id} ended {status['runtimeStatus']}: {status.get('output')}")
    return status.get("output")


def _start_batch(host: DevHost, batch: Sequence[tuple[int, WorkItem]], kill_no: int) -> list[tuple[int, str]]:
    return [(index, host.start(name, value, f"crash-{kill_no}-{index}")) for index, (name, value) in batch]


def crash_workload(
    make_host: Callable[[], DevHost],
    workload: Sequence[WorkItem],
    expected: Sequence[Any],
    *,
    kills: int,
    max_delay_s: float = 0.05,
    deadline_s: float = 60.0,
    seed: int = 7,
) -> CrashReport:
    """Start `workload` spread over `kills` batches, killing the host after each batch at a random moment."""
    chooser = random.Random(seed)
    report = CrashReport()
    began = time.monotonic()
    host = make_host().launch()
    started: list[tuple[int, str]] = []
    items = list(enumerate(workload))
    try:
        for kill_no in range(kills):
            batch = items[kill_no::kills]
            started += _start_batch(host, batch, kill_no)
            time.sleep(chooser.uniform(0, max_delay_s))  # a random point in the work, not a wait for it
            host.kill()
            report.kills += 1
            host.launch()
        for index, instance_id in started:
            output = _completed_output(host, instance_id, deadline_s)
            if output != expected[index]:
                report.mismatches.append(f"{instance_id}: {output!r} != reference {expected[index]!r}")
        report.runs = len(started)
        if report.runs != len(workload):
            report.mismatches.append(f"started {report.runs} runs of {len(workload)}")
    finally:
        host.close()
    report.elapsed_s = time.monotonic() - began
    return report
