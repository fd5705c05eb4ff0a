"""Run an app under devhost from pytest: a subprocess on a free port with its own temporary state.

Use it as a plugin (`pytest_plugins = ["devhost.testing"]`) and override the `devhost_app` fixture to
point at your app folder (default: the pytest root), or call `DevHost` directly:

    def test_chain(devhost):
        run_id = devhost.start("chain", {"topic": "otters"})
        assert devhost.wait(run_id)["runtimeStatus"] == "Completed"

The host runs as a real process so tests see exactly what users see, including crashes: `kill()` sends
SIGKILL and `restart()` starts a new process on the same state.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import httpx
import pytest

from devhost.state import TERMINAL_STATUSES
from devhost.watch import is_source_dir

_FINISHED = frozenset(status.value for status in TERMINAL_STATUSES)
_WEBHOOKS = "/runtime/webhooks/durabletask"
_PACKAGE_ROOT = str(Path(__file__).resolve().parent.parent)


class DevHostError(AssertionError):
    """The host did not start, or a run did not reach a terminal state in time."""


def copy_app(source: str | Path, target: str | Path) -> Path:
    """A copy of an app folder to edit freely (e.g. under `--reload`): sources only, no venvs or state."""

    def not_sources(folder: str, names: list[str]) -> set[str]:
        return {
            name
            for name in names
            if os.path.isdir(os.path.join(folder, name))
            and not is_source_dir(os.path.join(folder, name), name)
        }

    return Path(shutil.copytree(source, target, ignore=not_sources, symlinks=True))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class DevHost:
    """A devhost subprocess plus an httpx client bound to it."""

    READY_POLL_S = 0.01  # how often `launch` asks a starting host whether it answers yet

    def __init__(
        self,
        app_dir: str | Path,
        state_path: str | Path,
        *,
        env: Mapping[str, str] | None = None,
        ready_timeout: float = 30.0,
        verbose: bool = False,
        interpreter_args: Sequence[str] = (),
        host_args: Sequence[str] = (),
    ) -> None:
        self.app_dir = Path(app_dir).resolve()
        self.state_path = Path(state_path).resolve()
        self.env = dict(env or {})
        self.ready_timeout = ready_timeout
        self.verbose = verbose
        self.interpreter_args = list(interpreter_args)  # e.g. ["-m", "cProfile", "-o", "host.prof"]
        self.host_args = list(host_args)  # e.g. ["--reload"]
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.log_path = self.state_path.with_name(self.state_path.stem + ".log")
        self.process: subprocess.Popen[bytes] | None = None
        self.http = httpx.Client(base_url=self.base_url, timeout=30.0)

    # ------------------------------------------------------------------ process
    def launch(self) -> DevHost:
        """Start the process and wait (polling, with a deadline) until it answers."""
        self.state_path.parent.mkdir(parents=True, exist_ok=True)
        command = [
            sys.executable,
            *self.interpreter_args,
            "-m",
            "devhost",
            "--app",
            str(self.app_dir),
            "--port",
            str(self.port),
        ]
        command += ["--state", str(self.state_path)] + (["--verbose"] if self.verbose else [])
        command += self.host_args
        env = {**os.environ, **self.env}
        env["PYTHONPATH"] = os.pathsep.join(p for p in (_PACKAGE_ROOT, env.get("PYTHONPATH")) if p)
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=env)
        self._wait_ready()
        return self

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + self.ready_timeout
        while time.monotonic() < deadline:
            if self.process is not None and self.process.poll() is not None:
                raise DevHostError(f"devhost exited with {self.process.returncode}:\n{self.log_tail()}")
            try:
                if self.http.get("/admin/host/status", timeout=1.0).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(self.READY_POLL_S)  # bounded by the deadline
        raise DevHostError(f"devhost not ready after {self.ready_timeout}s:\n{self.log_tail()}")

    def log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"

    def kill(self) -> None:
        """SIGKILL: the crash case. State must survive it."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self, timeout: float = 15.0) -> int | None:
        """SIGTERM and wait for a clean exit; returns the exit code."""
        if self.process is None or self.process.poll() is not None:
            return None if self.process is None else self.process.returncode
        self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            raise DevHostError(f"devhost ignored SIGTERM for {timeout}s:\n{self.log_tail()}") from None

    def restart(self) -> DevHost:
        """Kill (if still running) and start again on the same state and port."""
        self.kill()
        return self.launch()

    def close(self) -> None:
        self.stop()
        self.http.close()

    # ------------------------------------------------------------------ HTTP helpers
    def get(self, path: str, **kwargs: Any) -> httpx.Response:
        return self.http.get(path, **kwargs)

    def post(self, path: str, **kwargs: Any) -> httpx.Response:
        return self.http.post(path, **kwargs)

    def delete(self, path: str, **kwargs: Any) -> httpx.Response:
        return self.http.delete(path, **kwargs)

    def start(self, orchestrator: str, input: Any = None, instance_id: str | None = None) -> str:
        """Start an orchestration through the management API; returns its instance id."""
        path = f"{_WEBHOOKS}/orchestrators/{orchestrator}" + (f"/{instance_id}" if instance_id else "")
        response = self.http.post(path, content=None if input is None else json.dumps(input))
        if response.status_code != 202:
            raise DevHostError(f"start {orchestrator}: {response.status_code} {response.text}")
        return str(response.json()["id"])

    def status(self, instance_id: str, history: bool = False) -> dict[str, Any] | None:
        """The instance's status JSON (with history and outputs if asked), or None when it does not exist."""
        flag = str(history).lower()
        params = {"showHistory": flag, "showHistoryOutput": flag, "showInput": "true"}
        response = self.http.get(f"{_WEBHOOKS}/instances/{instance_id}", params=params)
        if response.status_code == 404:
            return None
        return dict(response.json())

    def wait(self, instance_id: str, deadline: float = 30.0, history: bool = False) -> dict[str, Any]:
        """Poll until the instance is Completed, Failed, Terminated or Canceled; `deadline` in seconds."""
        until = time.monotonic() + deadline
        status: dict[str, Any] | None = None
        while time.monotonic() < until:
            status = self.status(instance_id, history=history)
            if status is not None and status.get("runtimeStatus") in _FINISHED:
                return status
            time.sleep(0.02)  # polling interval, bounded by the deadline
        raise DevHostError(
            f"instance {instance_id} not finished after {deadline}s: {status}\n{self.log_tail()}"
        )

    def poll(
        self, path: str, until: Callable[[httpx.Response], bool], deadline: float = 20.0
    ) -> httpx.Response:
        """GET `path` until `until(response)` holds or `deadline` seconds pass (then DevHostError).

        A dropped connection is polled through: a host that restarts (a reload, a crash test) closes
        the keep-alive connection a poll may be reusing at that very moment.
        """
        stop = time.monotonic() + deadline
        while True:
            last: str
            try:
                response = self.http.get(path)
            except httpx.TransportError as error:
                last = f"{type(error).__name__}: {error}"
            else:
                if until(response):
                    return response
                last = f"{response.status_code} {response.text}"
            if time.monotonic() > stop:
                raise DevHostError(f"GET {path} never met the condition; last {last}")
            time.sleep(0.02)  # polling interval, bounded by the deadline

    def raise_event(self, instance_id: str, event: str, data: Any = None) -> httpx.Response:
        return self.http.post(
            f"{_WEBHOOKS}/instances/{instance_id}/raiseEvent/{event}",
            content=json.dumps(data),
            headers={"Content-Type": "application/json"},
        )

    def __enter__(self) -> DevHost:
        return self.launch() if self.process is None else self

    def __exit__(self, *exc: object) -> None:
        self.close()


# ---------------------------------------------------------------------- pytest plugin
@pytest.fixture(scope="session")
def devhost_app(pytestconfig: pytest.Config) -> Path:
    """The app folder to host; override this fixture in your conftest.py to point elsewhere."""
    return Path(pytestconfig.rootpath)


@pytest.fixture(scope="session")
def devhost_env() -> dict[str, str]:
    """Extra environment for the host process (settings override local.settings.json); override freely."""
    return {}


@pytest.fixture
def devhost_factory(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable[..., DevHost]]:
    """`make(app_dir, env=..., verbose=...)` starts a host with fresh state; all are stopped at teardown."""
    hosts: list[DevHost] = []

    def make(app_dir: str | Path, *, env: Mapping[str, str] | None = None, **options: Any) -> DevHost:
        state = tmp_path_factory.mktemp("devhost") / "state.db"
        host = DevHost(app_dir, state, env=env, **options)
        hosts.append(host)
        return host.launch()

    yield make
    for host in hosts:
        host.close()


@pytest.fixture
def devhost(
    devhost_factory: Callable[..., DevHost], devhost_app: Path, devhost_env: dict[str, str]
) -> DevHost:
    """A ready host for `devhost_app`, with its own temporary state."""
    return devhost_factory(devhost_app, env=devhost_env)
