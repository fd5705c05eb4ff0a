"""The reliability driver in quick mode: crashes lose nothing, load completes, bad input gets 4xx JSON."""

from dataclasses import replace

from bench.reliability.__main__ import QUICK, measure
from bench.reliability.report import problems


def test_quick_reliability_run_reports_no_problems() -> None:
    figures = measure(replace(QUICK), "quick")
    assert problems(figures) == []
