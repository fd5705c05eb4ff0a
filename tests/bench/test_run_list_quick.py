"""`python -m bench.run_list` end to end on tiny hubs: it starts the template, fills the hub, reads the
first page and writes its report (figures only; nothing about speed is asserted)."""

from pathlib import Path

from bench.run_list import main


def test_run_list_benchmark_writes_its_report(tmp_path: Path) -> None:
    out = tmp_path / "run_list.md"
    main(["--sizes", "3", "25", "--repeats", "3", "--workers", "4", "--out", str(out)])
    report = out.read_text()
    assert "| 3 |" in report and "| 25 |" in report
    assert "Target: 25 runs within 1.5x of 3:" in report
