"""`bench/results.md`: the peers table (`bench/peers.json`) and the host's own figures, in one page.

`python -m bench.peers` calls `write_results` after measuring; `python -m bench.report` re-renders
from the saved files, e.g. after `python -m bench.devhost` refreshed `bench/devhost/results.md`.
The host-only reports (`bench/devhost/results.md`, `bench/replay_cost.md`, `bench/run_list.md`) are
included as they are, one heading level down; whichever is missing is named with the command that
writes it.
"""

import argparse
import csv
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bench.peers.segments import SEGMENTS

BENCH_DIR = Path(__file__).resolve().parent
# Host-only reports written by other benchmarks: (file, the command that writes it).
HOST_REPORTS = (
    (BENCH_DIR / "devhost" / "results.md", "python -m bench.devhost"),
    (BENCH_DIR / "replay_cost.md", "python -m bench.replay_cost"),
    (BENCH_DIR / "run_list.md", "python -m bench.run_list"),
    (BENCH_DIR / "reload.md", "python -m bench.reload"),
    (BENCH_DIR / "mcp_overhead.md", "python -m bench.mcp_overhead"),
    (BENCH_DIR / "streaming.md", "python -m bench.streaming"),
)
REPLAY_COST_CSV = BENCH_DIR / "replay_cost.csv"
PEERS_JSON = "peers.json"
RESULTS_MD = "results.md"
PLOT_PNG = "results.png"


def _number(value: float | None, digits: int = 2) -> str:
    return "n/a" if value is None else f"{value:.{digits}f}"


def render_table(table: Sequence[dict[str, Any]]) -> str:
    """The latency table, one row per system and model delay."""
    lines = [
        "| system | durable | model delay | p50 ms | p95 ms | p50 × floor |",
        "|---|:-:|---:|---:|---:|---:|",
    ]
    for row in sorted(table, key=lambda row: row["delay_ms"]):
        lines.append(
            f"| {row['label']} | {'yes' if row['durable'] else 'no'} | {row['delay_ms']:g} ms "
            f"| {_number(row['p50_ms'])} | {_number(row['p95_ms'])} | {_number(row['ratio'])}× |"
        )
    return "\n".join(lines)


def _observed_note(table: Sequence[dict[str, Any]]) -> str:
    """Where the system recorded its end before the client had the answer, say when."""
    notes = [
        f"{row['delay_ms']:g} ms model: {_number(row['recorded_p50_ms'])} ms"
        for row in table
        if row.get("recorded_p50_ms") is not None
    ]
    if not notes:
        return ""
    return (
        "Latencies are client-observed: from sending `POST /api/runs/chain?wait=30` to having its answer "
        "(aiohttp's keep-alive client; httpx's adds about 0.7 ms of its own per request). "
        f"The host recorded the run's end (`run_completed`) earlier: p50 {'; '.join(notes)}."
    )


def render_targets(targets: Sequence[dict[str, Any]]) -> str:
    if not targets:
        return "No target was measured in this run (targets need the template at 0 ms and 20 ms)."
    return "\n".join(
        f"- {'met' if target['met'] else '**missed**'}: {target['name']} = {_number(target['value'])} "
        f"(target ≤ {target['limit']:g})"
        for target in targets
    )


def _timeline_table(timeline: dict[str, Any], floor_p50: float | None) -> list[str]:
    floor = f" (plain asyncio makes the same three calls in {floor_p50:.2f} ms)" if floor_p50 else ""
    parts = [
        ("from sending the POST to the recorded end", timeline["total_ms"]),
        (
            "getting started: HTTP trigger, the app's durable client starting the run over HTTP",
            timeline["start_ms"],
        ),
        (
            f"{timeline['episodes']:g} orchestration episodes: replay, decisions, SQLite commit",
            timeline["episode_ms"],
        ),
        (f"agent activities, model delay included{floor}", timeline["activity_ms"]),
        (
            "the rest: dispatch between steps, HTTP hops, waiting for the host's one event loop",
            timeline["other_ms"],
        ),
    ]
    return [
        f"One fresh host, {timeline['runs']} runs, medians per run (parts need not add up to the total "
        "exactly); from the run's own events and the host's episode/activity log lines:",
        "",
        "| part | ms per run |",
        "|---|---:|",
        *[f"| {name} | {value:.2f} |" for name, value in parts],
        "",
        _client_calls_line(timeline),
    ]


def segments_table(diagnosis: dict[str, Any], floor_p50: float | None) -> list[str]:
    """The whole wait on the caller's clock, one segment after another (absent from older results),
    beside the same segments with no model delay when the diagnosed delay is not zero."""
    timeline = diagnosis["timeline"]
    segments = timeline.get("segments")
    if not segments:
        return []
    delay, baseline = diagnosis["delay_ms"], diagnosis.get("baseline_segments") or {}
    floor = (
        f" Plain asyncio makes the three calls, model included, in {floor_p50:.2f} ms." if floor_p50 else ""
    )
    lines = [
        "",
        "The same runs on the caller's clock, cut where the traced host enters and leaves its HTTP "
        "handler, each episode, each activity and the model's stream (`bench/peers/segments.py`), so "
        "every moment of the wait is in exactly one segment; medians per run, summed over the run's "
        f"episodes and steps.{floor} The app's durable client made "
        f"{timeline.get('durable_client_calls', 0):.1f} calls per run (the start and the `?wait` status "
        "reads); they run on the same event loop and count in the segment they interrupt.",
    ]
    if baseline:
        lines += ["", _growth_sentence(segments, baseline, delay)]
    columns = f"| 0 ms model | {delay:g} ms model | grows by " if baseline else "| ms per run "
    lines += ["", f"| segment {columns}| what runs |", "|---|" + "---:|" * (3 if baseline else 1) + "---|"]
    for key, meaning in SEGMENTS.items():
        lines.append(f"| {key.replace('_', ' ')} {_segment_cells(key, segments, baseline)}| {meaning} |")
    lines.append(
        f"| sum of the medians {_segment_cells(None, segments, baseline)}"
        "| near the run's p50, not equal to it: medians do not add |"
    )
    return lines


def _segment_cells(key: str | None, segments: dict[str, float], baseline: dict[str, float]) -> str:
    """`| value |` (or `| at 0 ms | at the delay | growth |`) for one segment, or for the sum."""
    value = sum(segments.values()) if key is None else segments.get(key, 0.0)
    if not baseline:
        return f"| {value:.2f} "
    base = sum(baseline.values()) if key is None else baseline.get(key, 0.0)
    return f"| {base:.2f} | {value:.2f} | {value - base:+.2f} "


def _growth_sentence(segments: dict[str, float], baseline: dict[str, float], delay: float) -> str:
    """How much of the wait that is not the model grows with the model's delay."""
    outside = sum(value for key, value in segments.items() if key != "model")
    outside_base = sum(value for key, value in baseline.items() if key != "model")
    return (
        f"Beside them, a second traced host served as many runs with no model delay. Outside the model's "
        f"segment a run spends {outside_base:.2f} ms with no delay and {outside:.2f} ms with {delay:g} ms "
        f"({outside - outside_base:+.2f} ms). Only agent finish does more work with a delay: agent-framework "
        "assembles the reply from every word's update instead of one or two. The other segments run the "
        "same code, slower once the host has waited on the model (the HTTP hop after an idle wait, below, "
        "shows the same on a bare server)."
    )


def _client_calls_line(timeline: dict[str, Any]) -> str:
    """The app's durable client calls: counted from the host log when they went over HTTP."""
    if not timeline["client_calls"]:
        return (
            "The app's durable client calls (the start, the `?wait` status polls) are served in-process by "
            "the host (`devhost/client_rpc.py`), so they make no HTTP requests and no log lines to count."
        )
    return (
        f"The app's durable client made {timeline['client_calls']:.1f} management API requests per run "
        f"({timeline['client_call_ms']:.2f} ms of host time): the start, the `?wait` status polls and, "
        "after the end, the timeline read this benchmark takes the end time from."
    )


def render_diagnosis(diagnosis: dict[str, Any] | None, floor_p50: dict[float, float]) -> str:
    """The per-run timeline and profile hot spots, for the model delay that was diagnosed."""
    if diagnosis is None:
        return (
            "The host was not profiled: that happens when a target is missed, unless `--profile never` "
            "was given (`--profile always` forces it)."
        )
    delay = diagnosis["delay_ms"]
    lines = [f"Model delay {delay:g} ms."]
    if diagnosis["timeline"]:
        lines += _timeline_table(diagnosis["timeline"], floor_p50.get(delay))
        lines += segments_table(diagnosis, floor_p50.get(delay))
    if diagnosis["hot_spots"]:
        lines += [
            "",
            f"Host functions by own time per run (cProfile, steady state: {diagnosis['profiled_runs']} "
            "runs minus a warm-up-only profile; the profiler slows everything alike, read as shares):",
            "",
            "| own ms/run | total ms/run | calls/run | function |",
            "|---:|---:|---:|---|",
        ]
        lines += [
            f"| {spot['own_ms']:.3f} | {spot['total_ms']:.3f} | {spot['calls']:.1f} | `{spot['name']}` |"
            for spot in diagnosis["hot_spots"]
        ]
    lines += [f"- {problem}" for problem in diagnosis["problems"]]
    return "\n".join(lines)


def render_streaming_cost(costs: Sequence[dict[str, Any]] | None) -> str:
    """Streaming's own cost, measured in-process without a host (`bench/peers/streaming_cost.py`)."""
    if not costs:
        return ""
    lines = [
        "Streaming's own share: the same three agent calls in one process, no host and no durability, "
        "replies awaited whole (as plain asyncio does) and streamed as `run_agent` streams them "
        "(agent-framework's streaming run, words to a SQLite stream store), on the event loop the "
        "embedded host runs (microsecond timer waits, so with a model delay every word is its own "
        "update); medians per chain:",
        "",
        "| model delay | whole replies ms | streamed ms | streaming costs ms | updates per chain |",
        "|---:|---:|---:|---:|---:|",
    ]
    lines += [
        f"| {cost['delay_ms']:g} ms | {cost['whole_p50_ms']:.2f} | {cost['streamed_p50_ms']:.2f} | "
        f"{cost['streamed_p50_ms'] - cost['whole_p50_ms']:.2f} | {cost['updates']:g} |"
        for cost in costs
    ]
    return "\n".join(lines)


def render_http_floor(floors: Sequence[dict[str, Any]] | None) -> str:
    """One bare HTTP request from the same client (`bench/peers/http_floor.py`)."""
    if not floors:
        return ""
    lines = [
        "The HTTP hop's own share: the same client sends one request to a bare aiohttp server in a "
        "process of its own (on the host's event loop, answering a run document's worth of JSON at "
        "once), back to back and after sitting idle as long as it waits for a template run. Plain "
        "asyncio pays no such hop; any HTTP service on this machine does, and more after idling "
        "(a waking process runs on cold caches); medians:",
        "",
        "| model delay | client idle ms | back to back ms | after the idle ms |",
        "|---:|---:|---:|---:|",
    ]
    lines += [
        f"| {floor['delay_ms']:g} ms | {floor['idle_ms']:.2f} | {floor['back_to_back_p50_ms']:.2f} | "
        f"{floor['after_idle_p50_ms']:.2f} |"
        for floor in floors
    ]
    return "\n".join(lines)


def render_peers(data: dict[str, Any]) -> str:
    """The peers part of the page: conditions, table, targets, and where the template's time goes."""
    machine, settings = data["machine"], data["settings"]
    template = [row for row in data["rows"] if row["key"] == settings["template"]]
    floor_p50 = {row["delay_ms"]: row["p50_ms"] for row in data["rows"] if row["key"] == settings["floor"]}
    packages = ", ".join(f"{name} {version}" for name, version in machine["packages"].items())
    parts = [
        "## The 3-agent chain beside its peers (`python -m bench.peers`)",
        f"Measured {machine['date']} on {machine['cores']} cores ({machine['cpu']}), {machine['platform']}, "
        f"Python {machine['python']}, load average at start {machine['load_average']}.{_probe_note(machine)} "
        f"Packages: {packages}.",
        f"Same work everywhere: researcher → writer → reviewer on the offline model, same prompts as "
        f"`orchestrators/chain.py`, outputs checked identical across systems. {settings['warmup']} warm-up "
        f"runs, then {settings['runs']} sequential runs per system in blocks of {settings['block']}, "
        "systems taking turns block by block. "
        f"Every SQLite store: {settings['sqlite']}.",
        render_table(data["rows"]),
        _observed_note(template),
        "### Targets\n\n" + _target_pass(data) + render_targets(data["targets"]) + durability_note(data),
        "### Where the template's time goes\n\n" + render_diagnosis(data["diagnosis"], floor_p50),
        render_streaming_cost(data.get("streaming_cost")),
        render_http_floor(data.get("http_floor")),
        _plot_note(data.get("episode_series")),
    ]
    return "\n\n".join(part for part in parts if part)


def durability_note(data: dict[str, Any]) -> str:
    """The template beside the peer that pays its HTTP hop and streams its words but keeps nothing:
    what durability alone adds. Not a target; read from the table, where both ran."""
    settings = data["settings"]
    p50 = {(row["key"], row["delay_ms"]): row["p50_ms"] for row in data["rows"]}
    template, floor = settings["template"], settings.get("http_streaming_floor")
    figures = [
        _versus(delay, p50[template, delay], p50[floor, delay])
        for delay in settings["delays"]
        if (template, delay) in p50 and (floor, delay) in p50
    ]
    if not figures:
        return ""
    return (
        "\n\nNot a target, for telling the overhead's parts apart: the template against plain asyncio over "
        "HTTP with streaming (the same hop and the same streamed words, nothing durable), from the "
        f"table: {'; '.join(figures)}. That difference is what durability adds."
    )


def _versus(delay: float, template: float, floor: float) -> str:
    ratio, extra = template / floor, template - floor
    return f"{delay:g} ms model: {template:.2f} vs {floor:.2f} ms, {ratio:.2f}× (+{extra:.2f} ms)"


def _probe_note(machine: dict[str, Any]) -> str:
    """The machine's speed before and after the run, when it was probed (`machine.cpu_probe_ms`)."""
    if "cpu_probe_ms" not in machine or "cpu_probe_end_ms" not in machine:
        return ""
    before, after = machine["cpu_probe_ms"], machine["cpu_probe_end_ms"]
    return (
        f" Machine speed (a fixed Python loop, lower is faster): {before:.1f} ms before the run, "
        f"{after:.1f} ms after; on a shared machine it moves by tens of percent from minute to minute, "
        "and every figure with it."
    )


def _target_pass(data: dict[str, Any]) -> str:
    """The run the targets were read from, when it was not the table's: the template beside the floor
    alone, since systems sharing one process slow each other."""
    pair = data.get("target_rows")
    if not pair:
        return ""
    template = [row for row in pair if row["key"] == data["settings"]["template"]]
    note = _observed_note(template)
    return (
        "Read from a run of the template beside plain asyncio alone, right after the table's (in the "
        "table every system shares one process, and the others' background threads slow the rest):\n\n"
        + render_table(pair)
        + ("\n\n" + note if note else "")
        + "\n\n"
    )


def _plot_note(episode_series: str | None) -> str:
    if episode_series:
        return (
            f"Plot: `{PLOT_PNG}`: latency vs model delay, overhead over the floor, and one episode's cost "
            f"vs history length from `{episode_series}`."
        )
    return (
        f"Plot: `{PLOT_PNG}`: latency vs model delay and overhead over the floor. No episode-cost series "
        "yet (`python -m bench.replay_cost` writes it), so that curve is not drawn."
    )


def _demoted(markdown: str) -> str:
    """Another report's headings one level down (code blocks untouched), so it nests under ours."""
    lines, fenced = [], False
    for line in markdown.splitlines():
        fenced = fenced != line.startswith("```")
        lines.append("#" + line if line.startswith("#") and not fenced else line)
    return "\n".join(lines)


def episode_series(path: Path = REPLAY_COST_CSV) -> dict[str, list[tuple[int, float]]] | None:
    """`bench/replay_cost.csv` (`history_events,lever,episode_ms`) by lever; None when it is absent."""
    if not path.is_file():
        return None
    series: dict[str, list[tuple[int, float]]] = {}
    with path.open(newline="") as handle:
        for row in csv.DictReader(handle):
            series.setdefault(row["lever"], []).append((int(row["history_events"]), float(row["episode_ms"])))
    return series or None


def _host_section(path: Path, command: str) -> str:
    if path.is_file():
        return _demoted(path.read_text().strip())
    return f"## {path.relative_to(BENCH_DIR.parent)}\n\nNot written yet: `{command}` writes it."


def render(data: dict[str, Any]) -> str:
    """The whole page: our table first, then each host-only report."""
    sections = [render_peers(data), *(_host_section(path, command) for path, command in HOST_REPORTS)]
    return "\n\n".join(["# Benchmark results", *sections]) + "\n"


def write_results(out_dir: Path) -> Path:
    """Render `out_dir/results.md` from `out_dir/peers.json` and the host-only reports; returns its path."""
    data = json.loads((out_dir / PEERS_JSON).read_text())
    path = out_dir / RESULTS_MD
    path.write_text(render(data))
    return path


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.report", description=__doc__.splitlines()[0])
    parser.add_argument("--out-dir", type=Path, default=BENCH_DIR, help="folder holding peers.json")
    print(write_results(parser.parse_args(argv).out_dir))


if __name__ == "__main__":
    main()
