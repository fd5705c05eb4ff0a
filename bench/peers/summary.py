"""Measurements → the JSON-ready summary (`peers.json`) that the report and the plot are drawn from.

Keeping one plain document between measuring and rendering means `python -m bench.report` can
re-render `bench/results.md` (for instance after `bench.devhost` ran again) without re-measuring.
"""

from collections.abc import Sequence
from dataclasses import asdict
from typing import Any

from bench.peers.catalog import FLOOR, TEMPLATE
from bench.peers.diagnose import Diagnosis
from bench.peers.runner import Measurement

# The targets we hold the template to.
P50_AT_ZERO_MS = 8.0
RATIO_AT_20_MS = 1.08


def rows(measurements: Sequence[Measurement]) -> list[dict[str, Any]]:
    """One row per system and delay, with its ratio to the floor's p50 at the same delay."""
    floors = {m.delay_ms: m.p50 for m in measurements if m.system.key == FLOOR}
    return [
        {
            "key": m.system.key,
            "label": m.system.label,
            "durable": m.system.durable,
            "delay_ms": m.delay_ms,
            "runs": len(m.latencies_ms),
            "p50_ms": round(m.p50, 3),
            "p95_ms": round(m.p95, 3),
            "recorded_p50_ms": None if m.recorded_p50 is None else round(m.recorded_p50, 3),
            "ratio": round(m.p50 / floors[m.delay_ms], 3) if floors.get(m.delay_ms) else None,
        }
        for m in measurements
    ]


def targets(table: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """The template's targets that this run measured, each with its value and whether it is met."""
    template = {row["delay_ms"]: row for row in table if row["key"] == TEMPLATE}
    checks = []
    if 0 in template:
        value = template[0]["p50_ms"]
        checks.append(_target("3-agent chain p50 at 0 ms model (ms)", 0, value, P50_AT_ZERO_MS))
    if 20 in template and template[20]["ratio"] is not None:
        value = template[20]["ratio"]
        checks.append(_target("3-agent chain p50 / floor at 20 ms model", 20, value, RATIO_AT_20_MS))
    return checks


def _target(name: str, delay_ms: float, value: float, limit: float) -> dict[str, Any]:
    return {"name": name, "delay_ms": delay_ms, "value": value, "limit": limit, "met": value <= limit}


def diagnosis_document(delay_ms: float, diagnosis: Diagnosis, profiled_runs: int) -> dict[str, Any]:
    return {
        "delay_ms": delay_ms,
        "profiled_runs": profiled_runs,
        "timeline": asdict(diagnosis.timeline) if diagnosis.timeline else None,
        "hot_spots": [asdict(spot) for spot in diagnosis.hot_spots],
        "problems": diagnosis.problems,
        "baseline_segments": diagnosis.baseline_segments,
    }
