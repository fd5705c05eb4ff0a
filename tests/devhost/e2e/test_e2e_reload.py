"""`python -m devhost --reload`: edits to code and settings are served, work in flight survives.

The app (tests/devhost/reload_app) is copied to a temp folder and edited there while it runs.
"""

import json
import os
import signal
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from devhost.reload import RestartBudget
from devhost.testing import DevHost, copy_app

RELOAD_APP = Path(__file__).resolve().parents[1] / "reload_app"


def write_settings(app: Path, greeting: str) -> None:
    values = {"GREETING": greeting}
    (app / "local.settings.json").write_text(json.dumps({"IsEncrypted": False, "Values": values}))


@pytest.fixture
def app(tmp_path: Path) -> Path:
    copied = copy_app(RELOAD_APP, tmp_path / "app")
    write_settings(copied, "hello")
    return copied


@pytest.fixture
def host(app: Path, tmp_path: Path) -> Iterator[DevHost]:
    with DevHost(app, tmp_path / "state" / "state.db", host_args=["--reload"]) as running:
        yield running


def serves(host: DevHost, text: str) -> httpx.Response:
    return host.poll("/api/version", lambda reply: reply.status_code == 200 and reply.text == text)


def start_held_run(host: DevHost, tmp_path: Path) -> tuple[Path, str]:
    """A `gated_pair` run whose first step is running and held at its gate: (its folder, its id)."""
    serves(host, "v1 hello")
    work = tmp_path / "work"
    work.mkdir()
    run_id = host.start("gated_pair", str(work))
    host.poll("/api/version", lambda _: (work / "starts").exists())
    return work, run_id


def release(host: DevHost, work: Path, run_id: str) -> tuple[list[str], list[str]]:
    """Open the gate and wait for the run to complete: (its output, the steps' starts in order)."""
    (work / "gate").touch()
    status = host.wait(run_id)
    assert status["runtimeStatus"] == "Completed", status
    return status["output"], (work / "starts").read_text().splitlines()


def test_an_edit_while_a_run_is_in_flight_is_served_and_the_run_completes(
    host: DevHost, app: Path, tmp_path: Path
) -> None:
    work, run_id = start_held_run(host, tmp_path)

    (app / "version.py").write_text('VERSION = "v2"\n')
    serves(host, "v2 hello")

    # The step that was running when v1 stopped ran again, to the end, on v2: nothing was lost.
    assert release(host, work, run_id) == (["a by v2", "b by v2"], ["a v1", "a v2", "b v2"])
    assert "Reloading: version.py changed" in host.log_tail(400)


def test_a_host_killed_while_it_serves_is_started_again_and_its_run_completes(
    host: DevHost, tmp_path: Path
) -> None:
    work, run_id = start_held_run(host, tmp_path)
    killed = host.get("/api/pid").text

    os.kill(int(killed), signal.SIGKILL)  # no file changes: the supervisor restarts it on its own

    host.poll("/api/pid", lambda reply: reply.status_code == 200 and reply.text != killed)
    # The step the killed host was running ran again on the new one: nothing was lost.
    assert release(host, work, run_id) == (["a by v1", "b by v1"], ["a v1", "a v1", "b v1"])
    assert "The host exited (code -9): starting it again" in host.log_tail(400)


def test_a_host_that_keeps_dying_waits_for_a_change_rather_than_restarting_forever() -> None:
    budget = RestartBudget(limit=3, window_s=60.0)
    assert [budget.allows(now) for now in (0.0, 10.0, 20.0, 30.0)] == [True, True, True, False]
    assert budget.allows(61.0)  # the first restart has left the window


def test_a_broken_edit_keeps_the_previous_code_serving_until_it_is_fixed(host: DevHost, app: Path) -> None:
    serves(host, "v1 hello")

    (app / "version.py").write_text('VERSION = "v2\n')
    host.poll("/api/version", lambda _: "still serving the previous code" in host.log_tail(400))
    assert host.get("/api/version").text == "v1 hello"
    assert (
        "SyntaxError: unterminated string literal (detected at line 1) (version.py, line 1)"
        in host.log_tail(400)
    )

    (app / "version.py").write_text('VERSION = "v3"\n')
    serves(host, "v3 hello")


def test_an_app_that_does_not_import_at_start_is_served_once_it_is_fixed(app: Path, tmp_path: Path) -> None:
    (app / "version.py").write_text('VERSION = "v2\n')
    host = DevHost(app, tmp_path / "state" / "state.db", host_args=["--reload"])

    def fix_once_the_error_shows() -> None:
        deadline = time.monotonic() + 30
        while "waiting for a change" not in host.log_tail(400) and time.monotonic() < deadline:
            time.sleep(0.05)  # polling interval, bounded by the deadline
        (app / "version.py").write_text('VERSION = "v2"\n')

    fixer = threading.Thread(target=fix_once_the_error_shows)
    fixer.start()
    try:
        host.launch()  # ready only once the fixed app serves
        serves(host, "v2 hello")
    finally:
        fixer.join()
        host.close()


def test_a_settings_change_is_served(host: DevHost, app: Path) -> None:
    serves(host, "v1 hello")

    write_settings(app, "bonjour")

    serves(host, "v1 bonjour")


def test_a_killed_supervisor_takes_its_host_down(host: DevHost) -> None:
    serves(host, "v1 hello")

    host.kill()  # SIGKILL: the supervisor cannot stop its host; the host sees its stdin close and stops

    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            host.http.get("/api/version", timeout=1.0)
        except httpx.TransportError:
            return  # nothing listens on the port any more: no orphaned host
        time.sleep(0.05)  # polling interval, bounded by the deadline
    pytest.fail(f"a host still answers 20 s after its supervisor was killed\n{host.log_tail()}")
