"""`python -m bench.peers` (what `make bench` runs): the 3-agent chain on every system, side by side.

Prints the table, then writes `peers.json`, `results.md` (merged with `bench/devhost/results.md`)
and `results.png` into `--out-dir` (default `bench/`). Where the template misses a target, the host
is profiled and the report says where its time goes.
"""

import argparse
import asyncio
import json
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench import report
from bench.peers import catalog, diagnose, http_floor, machine, sqlite_mode, streaming_cost, summary
from bench.peers.plot import write_plot
from bench.peers.runner import Measurement, measure_delay
from bench.peers.system import System
from devhost.event_loop import new_event_loop

QUICK_RUNS, QUICK_WARMUP = 3, 1
BLOCK = 10  # consecutive runs per system before the next one takes its turn


@dataclass(frozen=True)
class Options:
    systems: tuple[System, ...]
    delays: tuple[float, ...]
    runs: int
    warmup: int
    profile: str  # "auto" (when a target is missed), "always" or "never"
    profile_runs: int
    check: bool
    out_dir: Path


def _delays(text: str) -> tuple[float, ...]:
    try:
        delays = tuple(float(part) for part in text.split(",") if part.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"--delays must be comma-separated numbers (got {text!r})") from None
    if not delays or min(delays) < 0:
        raise argparse.ArgumentTypeError(f"--delays needs at least one delay, none negative (got {text!r})")
    return delays


def parse_args(argv: Sequence[str] | None) -> Options:
    parser = argparse.ArgumentParser(prog="python -m bench.peers", description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=50, help="timed runs per system and delay (default 50)")
    parser.add_argument(
        "--warmup", type=int, default=5, help="untimed runs first, outputs compared (default 5, at least 1)"
    )
    parser.add_argument(
        "--delays", type=_delays, default=(0.0, 20.0), help="model delays in ms (default 0,20)"
    )
    parser.add_argument("--systems", nargs="+", help=f"subset of: {' '.join(s.key for s in catalog.SYSTEMS)}")
    parser.add_argument(
        "--quick", action="store_true", help=f"smoke run: {QUICK_RUNS} runs, {QUICK_WARMUP} warm-up"
    )
    parser.add_argument(
        "--profile",
        choices=("auto", "always", "never"),
        default="auto",
        help="explain the template's time: when it misses a target (auto, default), always or never",
    )
    parser.add_argument("--profile-runs", type=int, default=20, help="runs of the profiled host (default 20)")
    parser.add_argument("--check", action="store_true", help="exit 1 when the template misses a target")
    parser.add_argument(
        "--out-dir", type=Path, default=report.BENCH_DIR, help="where results go (default bench/)"
    )
    args = parser.parse_args(argv)
    try:
        systems = catalog.select(args.systems)
    except ValueError as error:
        parser.error(str(error))
    runs, warmup = (QUICK_RUNS, QUICK_WARMUP) if args.quick else (args.runs, args.warmup)
    profile_runs = min(args.profile_runs, QUICK_RUNS) if args.quick else args.profile_runs
    if min(runs, profile_runs) < 1 or warmup < 0:
        parser.error("--runs and --profile-runs must be at least 1, --warmup at least 0")
    return Options(systems, args.delays, runs, warmup, args.profile, profile_runs, args.check, args.out_dir)


def _diagnosis_delay(options: Options, targets: list[dict[str, Any]]) -> float | None:
    """The model delay to explain: the first missed target's, or the smallest when forced."""
    if options.profile == "never" or catalog.TEMPLATE not in {s.key for s in options.systems}:
        return None
    missed = [target["delay_ms"] for target in targets if not target["met"]]
    if missed:
        return float(missed[0])
    return min(options.delays) if options.profile == "always" else None


def benchmark(options: Options, workdir: Path) -> dict[str, Any]:
    """Measure every delay, check the targets, diagnose a miss; returns the `peers.json` document.

    Each phase gets a fresh event loop: DBOS installs its own default executor on the loop it
    launches in and shuts that executor down when destroyed, which would break the next phase.
    """
    conditions = machine.describe()
    rows = summary.rows(_measure(options, options.systems, workdir / "all"))
    pair = catalog.beside_floor(options.systems)
    # The targets are the template's in one run beside plain asyncio alone: in the table every system
    # shares one process, where their background threads slow each other.
    target_rows = summary.rows(_measure(options, pair, workdir / "pair")) if pair else rows
    targets = summary.targets(target_rows)
    streaming = _streaming_costs(options)
    http = _http_floor(options, target_rows)
    profiled_delay = _diagnosis_delay(options, targets)
    diagnosis = None
    if profiled_delay is not None:
        print(f"profiling the template at {profiled_delay:g} ms model delay ...", flush=True)
        found = asyncio.run(diagnose.diagnose(workdir / "diagnosis", profiled_delay, options.profile_runs))
        diagnosis = summary.diagnosis_document(profiled_delay, found, options.profile_runs)
    conditions["cpu_probe_end_ms"] = machine.cpu_probe_ms()
    return {
        "machine": conditions,
        "settings": _settings(options),
        "rows": rows,
        "target_rows": target_rows if pair else None,
        "targets": targets,
        "diagnosis": diagnosis,
        "streaming_cost": streaming,
        "http_floor": http,
    }


def _streaming_costs(options: Options) -> list[dict[str, Any]] | None:
    """Streaming's own cost at every delay, when the template (which streams) is measured."""
    if catalog.TEMPLATE not in {s.key for s in options.systems}:
        return None
    print("streaming's own cost, in-process ...", flush=True)
    costs = []
    for delay in options.delays:
        with asyncio.Runner(loop_factory=new_event_loop) as runner:  # the loop the template runs on
            costs.append(runner.run(streaming_cost.measure(delay, options.runs)))
    return streaming_cost.document(costs)


def _http_floor(options: Options, rows: list[dict[str, Any]]) -> list[dict[str, Any]] | None:
    """A bare HTTP round trip at every delay, after the idle a template run keeps its client waiting."""
    idle_ms = {row["delay_ms"]: row["p50_ms"] for row in rows if row["key"] == catalog.TEMPLATE}
    if not idle_ms:
        return None
    print("one bare HTTP request, for comparison ...", flush=True)
    return http_floor.document(asyncio.run(http_floor.measure(idle_ms, options.runs)))


def _measure(options: Options, systems: Sequence[System], workdir: Path) -> list[Measurement]:
    """Every delay for these systems, each in a fresh event loop (see `benchmark`)."""
    measurements = []
    for delay in options.delays:
        print(f"model delay {delay:g} ms: {len(systems)} systems x {options.runs} runs ...", flush=True)
        measurements += asyncio.run(
            measure_delay(
                systems, delay, runs=options.runs, warmup=options.warmup, workdir=workdir, block=BLOCK
            )
        )
    return measurements


def _settings(options: Options) -> dict[str, Any]:
    """How this run measured, for the report."""
    return {
        "runs": options.runs,
        "warmup": max(options.warmup, 1),
        "block": BLOCK,
        "delays": list(options.delays),
        "sqlite": sqlite_mode.DESCRIPTION,
        "floor": catalog.FLOOR,
        "http_streaming_floor": catalog.HTTP_STREAMING_FLOOR,
        "template": catalog.TEMPLATE,
    }


def write_outputs(data: dict[str, Any], out_dir: Path) -> None:
    """`peers.json`, the plot (with the replay-cost series when it exists) and `results.md` in `out_dir`."""
    out_dir.mkdir(parents=True, exist_ok=True)
    series = report.episode_series()
    data["episode_series"] = (
        str(report.REPLAY_COST_CSV.relative_to(report.BENCH_DIR.parent)) if series else None
    )
    (out_dir / report.PEERS_JSON).write_text(json.dumps(data, indent=2) + "\n")
    write_plot(out_dir / report.PLOT_PNG, data["rows"], data["settings"]["floor"], series)
    report.write_results(out_dir)


def main(argv: Sequence[str] | None = None) -> int:
    options = parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-peers-") as temp:
        data = benchmark(options, Path(temp))
    write_outputs(data, options.out_dir)
    print(report.render_peers(data))
    print(f"\nwrote {options.out_dir / report.RESULTS_MD} and {options.out_dir / report.PLOT_PNG}")
    missed = not all(target["met"] for target in data["targets"])
    return 1 if options.check and missed else 0


if __name__ == "__main__":
    raise SystemExit(main())
