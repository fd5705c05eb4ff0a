"""A traced run is cut into contiguous segments on the caller's clock: every moment counted once."""

import subprocess
import sys
from pathlib import Path

import pytest

from bench.peers.segments import SEGMENTS, Mark, client_calls_per_run, median_segments, run_segments
from bench.peers.trace_host import TRACED, install, traced_points
from bench.report import segments_table

MS = 1_000_000  # marks are in nanoseconds


def one_step_run(at: int) -> list[Mark]:
    """A run starting at `at` ms: start, one agent step, the final episode, the reply."""
    points = [
        (1, "http", ">"),
        (2, "rpc", ">"),  # the durable client's start: part of `start`, not a segment of its own
        (3, "rpc", "<"),
        (4, "episode", ">"),
        (6, "episode", "<"),
        (7, "activity", ">"),
        (9, "model", ">"),
        (29, "model", "<"),
        (32, "activity", "<"),
        (33, "episode", ">"),
        (35, "episode", "<"),
        (37, "http", "<"),
    ]
    return [((at + ms) * MS, label, edge) for ms, label, edge in points]


def test_each_moment_of_the_wait_falls_in_exactly_one_segment() -> None:
    segments = run_segments(one_step_run(0), sent_ns=0, answered_ns=40 * MS)
    assert list(segments) == list(SEGMENTS)
    assert segments == {
        "request_in": 1.0,
        "start": 3.0,
        "episodes": 4.0,  # 4 -> 6 and 33 -> 35
        "dispatch": 2.0,  # 6 -> 7 and 32 -> 33
        "agent_setup": 2.0,
        "model": 20.0,
        "agent_finish": 3.0,
        "end": 2.0,  # after the last episode: nothing more is dispatched
        "response_out": 3.0,
    }
    assert sum(segments.values()) == 40.0


def test_other_runs_marks_are_left_out_and_medians_are_per_segment() -> None:
    marks = one_step_run(100) + one_step_run(0) + one_step_run(50)  # unsorted, as lists concatenate
    windows = [(0, 40 * MS), (50 * MS, 90 * MS), (100 * MS, 141 * MS)]
    medians = median_segments(marks, windows)
    assert medians["model"] == 20.0
    assert medians["response_out"] == 3.0  # 3, 3 and 4 ms
    assert client_calls_per_run(marks, windows) == 1.0


def test_every_traced_point_exists_where_the_tracer_looks_for_it(monkeypatch: pytest.MonkeyPatch) -> None:
    """A renamed host or model function fails here rather than as an empty benchmark table."""
    points = list(traced_points())
    assert len(points) == len(TRACED)
    for owner, name, _ in points:
        monkeypatch.setattr(owner, name, getattr(owner, name))  # restored after the test
    marks: list[Mark] = []
    install(marks)
    assert marks == []  # wrapping records nothing until a wrapped function runs


def test_the_tracer_refuses_to_start_anything_but_devhost(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bench.peers.trace_host", str(tmp_path / "marks.json"), "-m", "http.server"],
        cwd=Path(__file__).resolve().parents[2],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "usage: python -m bench.peers.trace_host MARKS -m devhost" in result.stderr
    assert not (tmp_path / "marks.json").exists()


def diagnosis_with(segments: dict[str, float], baseline: dict[str, float]) -> dict[str, object]:
    """A `peers.json` diagnosis at a 20 ms model holding only what the segments table reads."""
    timeline = {"segments": segments, "durable_client_calls": 4.0}
    return {"delay_ms": 20.0, "timeline": timeline, "baseline_segments": baseline}


def segment_rows(text: str) -> dict[str, list[str]]:
    """The segments table's rows: name -> its numeric cells."""
    rows = {}
    for line in text.splitlines():
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        if cells[0].replace(" ", "_") in SEGMENTS or cells[0] == "sum of the medians":
            rows[cells[0]] = cells[1:-1]
    return rows


def test_the_segments_table_sets_each_segment_beside_its_value_without_a_model_delay() -> None:
    at_delay = {key: 1.0 for key in SEGMENTS} | {"model": 61.0, "agent_finish": 2.0}
    baseline = {key: 0.5 for key in SEGMENTS}
    text = "\n".join(segments_table(diagnosis_with(at_delay, baseline), floor_p50=62.0))
    rows = segment_rows(text)
    assert rows["agent finish"] == ["0.50", "2.00", "+1.50"]
    assert rows["sum of the medians"] == ["4.50", "70.00", "+65.50"]
    assert "| segment | 0 ms model | 20 ms model | grows by | what runs |" in text
    # Outside the model: 8 segments at 0.5 ms with no delay; 7 at 1 ms and agent finish at 2 ms with one.
    assert "4.00 ms with no delay and 9.00 ms with 20 ms (+5.00 ms)" in text


def test_the_segments_table_has_one_column_when_no_delay_was_diagnosed() -> None:
    segments = {key: 1.0 for key in SEGMENTS}
    text = "\n".join(segments_table(diagnosis_with(segments, {}), floor_p50=None))
    assert segment_rows(text)["episodes"] == ["1.00"]
    assert "no model delay" not in text
