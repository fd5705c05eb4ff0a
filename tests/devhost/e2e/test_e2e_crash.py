"""kill -9 at random points of a mixed workload: after each restart every run completes, as uninterrupted.

`DEVHOST_CRASH_KILLS` (default 20) and `DEVHOST_CRASH_RUNS` (default 40) scale it up for a longer soak;
`make reliability` runs the template's own workflows the same way (`bench/reliability`).
"""

import os
from pathlib import Path
from typing import Any

from bench.devhost.crash import crash_workload, reference_outputs
from devhost.testing import DevHost

KILLS = int(os.environ.get("DEVHOST_CRASH_KILLS", "20"))
RUNS = int(os.environ.get("DEVHOST_CRASH_RUNS", "40"))


def mixed_workload(count: int) -> list[tuple[str, Any]]:
    """Deterministic runs: activities, fan-out, timers, retries, entities, continue-as-new."""
    shapes = [
        lambda i: ("hello_sequence", f"user-{i}"),
        lambda i: ("fan_out_fan_in", 5 + i % 7),
        lambda i: ("countdown", {"n": 2 + i % 3, "seen": []}),
        lambda i: ("entity_flow", f"crash-entity-{i}"),
        lambda i: ("custom_objects", None),
        lambda i: ("retry_exhausted", None),
        lambda i: ("approval_or_timeout", 0),
    ]
    return [shapes[i % len(shapes)](i) for i in range(count)]


def test_kill_nine_loses_nothing(app_dir: Path, tmp_path: Path) -> None:
    workload = mixed_workload(RUNS)
    with DevHost(app_dir, tmp_path / "reference" / "state.db") as reference_host:
        expected = reference_outputs(reference_host, workload, deadline_s=60)

    report = crash_workload(
        lambda: DevHost(app_dir, tmp_path / "crashed" / "state.db"), workload, expected, kills=KILLS
    )
    assert report.kills == KILLS and report.runs == len(workload)
    assert report.ok, "\n".join(report.mismatches)
