"""`python -m bench.devhost`'s start-up rows: the launch is timed on the caller's clock, the host's own
figure is shown as part of it, and the report says on what machine it was measured."""

import math
import subprocess
from pathlib import Path

from bench.devhost.__main__ import _ready_from_launch_ms, render
from bench.peers import machine


def test_ready_from_launch_times_real_launches_and_leaves_no_host_running(tmp_path: Path) -> None:
    ready_ms = _ready_from_launch_ms(tmp_path, launches=1)
    assert math.isfinite(ready_ms) and ready_ms > 0
    state = tmp_path / "ready-0.db"
    assert state.exists()  # the host really ran, on its own state
    assert subprocess.run(["pgrep", "-f", str(state)], capture_output=True).returncode == 1  # and is gone


def test_the_report_names_the_machine_and_both_ready_figures() -> None:
    rows = [
        ("ready from launch (client clock), median of 3", 750.0, 650.0, "ms"),
        ("of which: ready after imports (host clock)", 90.0, 650.0, "ms"),
    ]
    where = machine.describe()
    report = render(rows, ("| where | total s |", "raw profile"), 10, where)
    assert f"{where['cores']} cores ({where['cpu']})" in report
    assert f"machine speed {where['cpu_probe_ms']} ms" in report
    assert "| ready from launch (client clock), median of 3 | 750.000 ms | 650.000000 ms | 1.15x |" in report
    assert "| of which: ready after imports (host clock) | 90.000 ms |" in report
