"""Fixtures: a fake run API on 127.0.0.1 and a way to run `agentctl` in-process against it."""

import io
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest

from agentctl.__main__ import main
from tests.agentctl.fake_run_api import FakeRunApi, FakeServer

SETTINGS = (
    "AGENTCTL_URL",
    "SERVICE_API_URI",
    "AGENTCTL_KEY",
    "NO_COLOR",
    "LOGNAME",
    "USER",
    "LNAME",
    "USERNAME",
)


@dataclass
class CliResult:
    code: int
    out: str
    err: str

    @property
    def lines(self) -> list[str]:
        return self.out.splitlines()


Agentctl = Callable[..., CliResult]


@pytest.fixture
def api() -> Iterator[FakeRunApi]:
    yield FakeRunApi()


@pytest.fixture
def server(api: FakeRunApi) -> Iterator[FakeServer]:
    with FakeServer(api) as running:
        yield running


@pytest.fixture
def agentctl(
    server: FakeServer, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> Agentctl:
    """`agentctl(*args, stdin=..., env=...)`: runs main() with AGENTCTL_URL pointing at the fake."""

    def invoke(*args: str, stdin: str = "", env: dict[str, str] | None = None) -> CliResult:
        for name in SETTINGS:
            monkeypatch.delenv(name, raising=False)
        for name, value in ({"AGENTCTL_URL": server.url} | (env or {})).items():
            monkeypatch.setenv(name, value)
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
        capsys.readouterr()
        try:
            main(list(args))
            code = 0
        except SystemExit as stop:
            code = stop.code if isinstance(stop.code, int) else (0 if stop.code is None else 1)
        captured = capsys.readouterr()
        return CliResult(code=code, out=captured.out, err=captured.err)

    return invoke
