"""`bench/results.png`: latency vs model delay per system, each system's overhead over the floor and,
when `python -m bench.replay_cost` has written its series, one episode's cost vs history length.

Drawn on a bare `matplotlib.figure.Figure` (no pyplot, no GUI backend), so it works headless.
"""

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from matplotlib.figure import Figure

EpisodeSeries = dict[str, list[tuple[int, float]]]  # lever -> [(history events, episode ms)]


def _by_system(table: Sequence[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    systems: dict[str, list[dict[str, Any]]] = {}
    for row in table:
        systems.setdefault(row["label"], []).append(row)
    return {label: sorted(rows, key=lambda row: row["delay_ms"]) for label, rows in systems.items()}


# A system keeps its colour ("C0", "C1", ... in table order) in every panel.
def _latency_panel(axes: Any, table: Sequence[dict[str, Any]]) -> None:
    for index, (label, rows) in enumerate(_by_system(table).items()):
        delays = [row["delay_ms"] for row in rows]
        p50 = [row["p50_ms"] for row in rows]
        spread = [[0.0] * len(rows), [row["p95_ms"] - row["p50_ms"] for row in rows]]
        axes.errorbar(delays, p50, yerr=spread, marker="o", capsize=4, color=f"C{index}", label=label)
    axes.set_title("3-agent chain latency (p50, bar to p95)")
    axes.set_xlabel("model delay per call (ms)")
    axes.set_ylabel("latency per run (ms)")
    axes.legend(fontsize="small")
    axes.grid(alpha=0.3)


def _overhead_panel(axes: Any, table: Sequence[dict[str, Any]], floor_key: str) -> None:
    floors = {row["delay_ms"]: row["p50_ms"] for row in table if row["key"] == floor_key}
    for index, (label, rows) in enumerate(_by_system(table).items()):
        if rows[0]["key"] == floor_key:
            continue
        delays = [row["delay_ms"] for row in rows if row["delay_ms"] in floors]
        extra = [row["p50_ms"] - floors[row["delay_ms"]] for row in rows if row["delay_ms"] in floors]
        axes.plot(delays, extra, marker="o", color=f"C{index}", label=label)
    axes.set_title("overhead over plain asyncio (p50 difference)")
    axes.set_xlabel("model delay per call (ms)")
    axes.set_ylabel("extra ms per run")
    axes.legend(fontsize="small")
    axes.grid(alpha=0.3)


def _episode_panel(axes: Any, series: EpisodeSeries) -> None:
    for lever, points in series.items():
        lengths, costs = zip(*sorted(points), strict=True)
        axes.plot(lengths, costs, marker="o", label=lever)
    axes.set_yscale("log")
    axes.set_title("devhost: one episode's cost vs history length")
    axes.set_xlabel("history length (events)")
    axes.set_ylabel("episode ms (log scale)")
    axes.legend(fontsize="small", title="lever")
    axes.grid(alpha=0.3, which="both")


def write_plot(
    path: Path, table: Sequence[dict[str, Any]], floor_key: str, episode_series: EpisodeSeries | None
) -> None:
    """Draw the panels that have data side by side and save them as one PNG at `path`."""
    panels = 3 if episode_series else 2
    figure = Figure(figsize=(6 * panels, 4.8), layout="constrained")
    axes = figure.subplots(1, panels)
    _latency_panel(axes[0], table)
    _overhead_panel(axes[1], table, floor_key)
    if episode_series:
        _episode_panel(axes[2], episode_series)
    figure.savefig(path, dpi=110)
