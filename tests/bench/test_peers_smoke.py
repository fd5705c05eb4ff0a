"""The peers benchmark end to end with tiny counts, so its code cannot rot. No timing is asserted."""

import asyncio
import json
import subprocess
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest

from bench.peers.catalog import FLOOR, HTTP_STREAMING_FLOOR, SYSTEMS, TEMPLATE
from bench.peers.plot import write_plot
from bench.peers.runner import OutputMismatch, measure_delay
from bench.peers.system import ChainRun, RunChain, System
from bench.report import episode_series

ROOT = Path(__file__).resolve().parents[2]
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def run_cli(*args: str, timeout: float) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bench.peers", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


@pytest.fixture(scope="module")
def quick_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[subprocess.CompletedProcess[str], Path]:
    out_dir = tmp_path_factory.mktemp("bench-out")
    result = run_cli(
        "--quick",
        "--delays",
        "0,20",
        "--profile",
        "always",
        "--profile-runs",
        "2",
        "--out-dir",
        str(out_dir),
        timeout=240,
    )
    return result, out_dir


def test_quick_run_measures_every_system_at_every_delay(quick_run) -> None:
    result, out_dir = quick_run
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-4000:]
    data = json.loads((out_dir / "peers.json").read_text())
    measured = {(row["key"], row["delay_ms"]) for row in data["rows"]}
    assert measured == {(system.key, delay) for system in SYSTEMS for delay in (0.0, 20.0)}
    assert all(
        row["runs"] == 3 and row["p50_ms"] > 0 and row["p95_ms"] >= row["p50_ms"] for row in data["rows"]
    )
    assert {target["delay_ms"] for target in data["targets"]} == {0, 20}


def test_targets_come_from_a_run_of_the_template_beside_the_floor_alone(quick_run) -> None:
    _, out_dir = quick_run
    data = json.loads((out_dir / "peers.json").read_text())
    pair = {(row["key"], row["delay_ms"]) for row in data["target_rows"]}
    assert pair == {(key, delay) for key in (FLOOR, TEMPLATE) for delay in (0.0, 20.0)}
    template = {row["delay_ms"]: row for row in data["target_rows"] if row["key"] == TEMPLATE}
    values = {target["delay_ms"]: target["value"] for target in data["targets"]}
    assert values == {0: template[0.0]["p50_ms"], 20: template[20.0]["ratio"]}
    assert "beside plain asyncio alone" in (out_dir / "results.md").read_text()


def test_quick_run_sets_the_template_beside_the_http_streaming_floor(quick_run) -> None:
    """The peer with the template's HTTP hop and streamed words answers the same output, and the report
    says what durability adds over it."""
    _, out_dir = quick_run
    data = json.loads((out_dir / "peers.json").read_text())
    assert {row["delay_ms"] for row in data["rows"] if row["key"] == HTTP_STREAMING_FLOOR} == {0.0, 20.0}
    results = (out_dir / "results.md").read_text()
    assert "plain asyncio over HTTP, streaming (not durable)" in results
    assert "That difference is what durability adds." in results


def test_quick_run_explains_where_the_template_time_goes(quick_run) -> None:
    _, out_dir = quick_run
    diagnosis = json.loads((out_dir / "peers.json").read_text())["diagnosis"]
    assert diagnosis["problems"] == []
    assert diagnosis["timeline"]["episodes"] >= 4  # the start, then one per agent call
    assert diagnosis["timeline"]["activity_ms"] > 0
    segments = diagnosis["timeline"]["segments"]
    assert segments["episodes"] > 0 and segments["model"] > 0 and segments["agent_finish"] > 0
    assert diagnosis["timeline"]["durable_client_calls"] >= 2  # the start and at least one status read
    # A delayed model's segments come beside the same segments with none, to show what grows with it.
    baseline = diagnosis["baseline_segments"]
    assert (set(baseline) == set(segments)) if diagnosis["delay_ms"] else baseline == {}
    assert diagnosis["hot_spots"]


def test_quick_run_measures_what_streaming_alone_costs(quick_run) -> None:
    _, out_dir = quick_run
    costs = json.loads((out_dir / "peers.json").read_text())["streaming_cost"]
    assert [cost["delay_ms"] for cost in costs] == [0.0, 20.0]
    assert all(cost["runs"] == 3 and min(cost["whole_p50_ms"], cost["streamed_p50_ms"]) > 0 for cost in costs)
    # Without a delay the words due together go out in one update each call; with one, word by word.
    assert costs[0]["updates"] == 6 and costs[1]["updates"] > 10 * costs[0]["updates"]
    assert "Streaming's own share" in (out_dir / "results.md").read_text()


def test_quick_run_measures_a_bare_http_request_after_the_template_runs_idle(quick_run) -> None:
    _, out_dir = quick_run
    data = json.loads((out_dir / "peers.json").read_text())
    template_p50 = {row["delay_ms"]: row["p50_ms"] for row in data["target_rows"] if row["key"] == TEMPLATE}
    floors = {floor["delay_ms"]: floor for floor in data["http_floor"]}
    assert {delay: floor["idle_ms"] for delay, floor in floors.items()} == {
        delay: round(p50, 2) for delay, p50 in template_p50.items()
    }
    assert all(
        floor["runs"] == 3 and min(floor["back_to_back_p50_ms"], floor["after_idle_p50_ms"]) > 0
        for floor in floors.values()
    )
    assert "The HTTP hop's own share" in (out_dir / "results.md").read_text()


def test_quick_run_writes_the_report_and_the_plot(quick_run) -> None:
    result, out_dir = quick_run
    report = (out_dir / "results.md").read_text()
    for system in SYSTEMS:
        assert system.label in report
        assert system.label in result.stdout
    assert "### Where the template's time goes" in report
    machine = json.loads((out_dir / "peers.json").read_text())["machine"]
    assert machine["cpu_probe_ms"] > 0 and machine["cpu_probe_end_ms"] > 0
    assert f"{machine['cpu_probe_ms']:.1f} ms before the run" in report
    assert (out_dir / "results.png").read_bytes().startswith(PNG_MAGIC)


def test_report_rerenders_from_saved_results(quick_run) -> None:
    _, out_dir = quick_run
    (out_dir / "results.md").unlink()
    rendered = subprocess.run(
        [sys.executable, "-m", "bench.report", "--out-dir", str(out_dir)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert rendered.returncode == 0, rendered.stderr
    assert "| system | durable | model delay |" in (out_dir / "results.md").read_text()


def test_unknown_system_is_refused_by_name() -> None:
    result = run_cli("--systems", "airflow", timeout=60)
    assert result.returncode == 2
    assert "unknown airflow" in result.stderr


def _fake(key: str, review: str) -> System:
    @asynccontextmanager
    async def session(workdir: Path, delay_ms: float) -> AsyncIterator[RunChain]:
        async def run_chain(topic: str) -> ChainRun:
            return ChainRun({"topic": topic, "research": "r", "draft": "d", "review": review})

        yield run_chain

    return System(key, f"fake {key}", durable=False, open=session)


def test_systems_that_answer_differently_are_not_compared(tmp_path: Path) -> None:
    systems = [_fake("one", "fine"), _fake("two", "different")]
    with pytest.raises(OutputMismatch, match=r"fake two .* field\(s\) review"):
        asyncio.run(measure_delay(systems, 0, runs=1, warmup=1, workdir=tmp_path))


def test_plot_adds_the_replay_cost_curve_when_its_series_exists(quick_run, tmp_path: Path) -> None:
    _, out_dir = quick_run
    csv_path = tmp_path / "replay_cost.csv"
    csv_path.write_text(
        "history_events,lever,episode_ms\n8,neither,0.9\n404,neither,17.7\n8,both,0.3\n404,both,0.7\n"
    )
    series = episode_series(csv_path)
    assert series == {"neither": [(8, 0.9), (404, 17.7)], "both": [(8, 0.3), (404, 0.7)]}
    rows = json.loads((out_dir / "peers.json").read_text())["rows"]
    with_curve, without = tmp_path / "with.png", tmp_path / "without.png"
    write_plot(with_curve, rows, FLOOR, series)
    write_plot(without, rows, FLOOR, None)
    assert with_curve.read_bytes().startswith(PNG_MAGIC)
    assert with_curve.stat().st_size > without.stat().st_size  # a third panel was drawn
    assert episode_series(tmp_path / "absent.csv") is None
