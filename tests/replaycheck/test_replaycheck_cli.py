"""The command line a user and the Makefile see: clean runs, exit codes, summary, the real app."""

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).parent / "fixtures"


def test_idiomatic_orchestrators_give_no_findings(replaycheck: Callable[..., Any]) -> None:
    run = replaycheck("clean")
    assert run.lines == []
    assert run.code == 0
    # chaining, fan_out, approval, parent (annotated), counting, helpers, pure, either;
    # the entity and the activity are not
    assert run.summary == {"orchestrators": 8, "helpers": 7, "files": 7, "findings": 0}


def test_default_run_checks_the_app_and_the_modules_it_imports(replaycheck: Callable[..., Any]) -> None:
    run = replaycheck(cwd=FIXTURES / "app")
    assert (run.code, run.lines) == (0, [])
    assert run.summary == {"orchestrators": 2, "helpers": 2, "files": 4, "findings": 0}


def test_min_orchestrators_fails_a_run_that_found_too_few(replaycheck: Callable[..., Any]) -> None:
    assert replaycheck("--min-orchestrators", "2", cwd=FIXTURES / "app").code == 0
    run = replaycheck("--min-orchestrators", "3", cwd=FIXTURES / "app")
    assert run.code == 1
    assert "found 2 orchestrators, fewer than --min-orchestrators 3" in run.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["no/such/file.py"], "path not found: no/such/file.py"),
        (["--no-such-option"], "unrecognized arguments: --no-such-option"),
        (["--min-orchestrators", "many"], "invalid int value: 'many'"),
    ],
)
def test_usage_errors_exit_2(replaycheck: Callable[..., Any], args: list[str], message: str) -> None:
    run = replaycheck(*args)
    assert run.code == 2
    assert message in run.stderr


def test_default_run_without_an_app_is_a_usage_error(replaycheck: Callable[..., Any], tmp_path: Path) -> None:
    run = replaycheck(cwd=tmp_path)
    assert run.code == 2
    assert "no function_app.py" in run.stderr


def test_list_rules_prints_every_code(replaycheck: Callable[..., Any]) -> None:
    run = replaycheck("--list-rules")
    assert run.code == 0
    codes = [line.split()[0] for line in run.lines if line.startswith("RC")]
    assert codes == [f"RC{number:03d}" for number in range(15)]


def test_module_entry_point_returns_the_exit_code() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "replaycheck", "bad/rc_async.py"],
        cwd=FIXTURES,
        env={"PYTHONPATH": str(REPO)},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 1
    assert result.stdout.startswith("bad/rc_async.py:9:1: RC007 orchestrator `awaiting` is `async def`")
    assert "checked 1 orchestrators (0 helpers) in 1 files, 1 findings" in result.stderr


def test_the_template_app_is_deterministic(replaycheck: Callable[..., Any]) -> None:
    run = replaycheck(cwd=REPO)
    assert run.lines == []
    assert run.code == 0
    assert run.summary["orchestrators"] >= 8
