"""Run replaycheck in-process the way a user runs it: from a working directory, with arguments."""

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from replaycheck.cli import main

FIXTURES = Path(__file__).parent / "fixtures"
SUMMARY = re.compile(
    r"replaycheck: checked (\d+) orchestrators \((\d+) helpers\) in (\d+) files, (\d+) findings"
)


@dataclass(frozen=True)
class Run:
    """One run's exit code, finding lines and stderr, with the summary parsed."""

    code: int
    lines: list[str]
    stderr: str

    @property
    def located(self) -> list[str]:
        """Each finding as `path:line:col: RCnnn`, the part a user clicks on."""
        return [" ".join(line.split(" ")[:2]) for line in self.lines]

    @property
    def summary(self) -> dict[str, int]:
        """The counts from the summary line."""
        match = SUMMARY.search(self.stderr)
        assert match, f"no summary line in stderr: {self.stderr!r}"
        orchestrators, helpers, files, findings = map(int, match.groups())
        return {"orchestrators": orchestrators, "helpers": helpers, "files": files, "findings": findings}


@pytest.fixture
def replaycheck(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Callable[..., Run]:
    """Call `replaycheck(*args, cwd=...)`; the working directory defaults to the fixtures folder."""

    def run(*args: str, cwd: Path = FIXTURES) -> Run:
        monkeypatch.chdir(cwd)
        code = main(list(args))
        out, err = capsys.readouterr()
        return Run(code, [line for line in out.splitlines() if line], err)

    return run
