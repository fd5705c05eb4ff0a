"""`.ci/run`, the CI entry point: it runs `make check` and fails on any non-zero exit, "no tests" included.

A stand-in `make` on PATH records its arguments and exits with the code under test, so these run in
milliseconds and show what CI would do with each outcome of the real check.
"""

import os
import subprocess
from pathlib import Path

import pytest

CI_RUN = Path(__file__).resolve().parents[2] / ".ci" / "run"


def run_ci_with_make_exiting(code: int, tmp_path: Path) -> tuple[subprocess.CompletedProcess[str], str]:
    calls = tmp_path / "make-args"
    fake = tmp_path / "bin" / "make"
    fake.parent.mkdir()
    fake.write_text(f'#!/usr/bin/env bash\necho "$@" > {calls}\nexit {code}\n')
    fake.chmod(0o755)
    env = {**os.environ, "PATH": f"{fake.parent}{os.pathsep}{os.environ['PATH']}"}
    result = subprocess.run([str(CI_RUN)], capture_output=True, text=True, env=env, timeout=60)
    return result, calls.read_text().strip()


def test_ci_runs_the_full_check_and_passes_when_it_passes(tmp_path: Path) -> None:
    result, make_args = run_ci_with_make_exiting(0, tmp_path)
    assert (result.returncode, make_args) == (0, "check")


def test_no_tests_collected_fails_ci(tmp_path: Path) -> None:
    result, _ = run_ci_with_make_exiting(5, tmp_path)
    assert result.returncode == 1
    assert "no tests were collected" in result.stderr


@pytest.mark.parametrize("code", [1, 2])
def test_a_failing_check_fails_ci_with_its_code(tmp_path: Path, code: int) -> None:
    result, _ = run_ci_with_make_exiting(code, tmp_path)
    assert result.returncode == code
