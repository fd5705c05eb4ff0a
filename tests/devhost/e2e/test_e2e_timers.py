"""Timer triggers: run on start-up, run on demand, and a schedule missed while down fires as past due."""

import json
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from devhost.ncrontab import parse_schedule
from devhost.testing import DevHost
from devhost.timer_triggers import schedule_status
from tests.devhost.e2e.conftest import write_app_copy

COUNTER = "/runtime/webhooks/durabletask/entities/Counter"
DAILY = "0 0 3 * * *"


def counter_reaches(host: DevHost, key: str, value: int) -> None:
    host.poll(f"{COUNTER}/{key}", lambda r: r.status_code == 200 and r.json() >= value)


def test_run_on_startup_then_on_demand(host: DevHost) -> None:
    counter_reaches(host, "timer-on-time", 1)
    assert host.post("/admin/functions/startup_timer").status_code == 400  # the host wants a body
    too_deep = b"[" * 100_000 + b"]" * 100_000
    assert host.post("/admin/functions/startup_timer", content=too_deep).status_code == 400
    assert host.post("/admin/functions/startup_timer", json={"input": ""}).status_code == 202
    counter_reaches(host, "timer-on-time", 2)
    assert host.post("/admin/functions/no_such_timer", json={}).status_code == 404


def test_missed_schedule_fires_once_as_past_due(tmp_path: Path) -> None:
    """The stored status says the last run was two days ago: the occurrence between was missed.

    (A schedule firing more than once a minute would not do: the host turns its monitor off.)
    """
    app = write_app_copy(tmp_path / "app", STARTUP_TIMER_SCHEDULE=DAILY)
    schedule = parse_schedule(DAILY)
    last = schedule.next_after(datetime.now(UTC) - timedelta(days=3))
    status = schedule_status(last, schedule.next_after(last), last)
    (tmp_path / "state").mkdir()
    (tmp_path / "state" / "state.timers.json").write_text(json.dumps({"startup_timer": status}))
    with DevHost(app, tmp_path / "state" / "state.db") as host:
        counter_reaches(host, "timer-past-due", 1)
        assert host.get(f"{COUNTER}/timer-past-due").json() == 1
        assert host.get(f"{COUNTER}/timer-on-time").status_code == 404  # past due instead of on start-up


def test_a_generic_timer_trigger_runs_like_the_decorator(tmp_path: Path) -> None:
    app = tmp_path / "generic_timer"
    app.mkdir()
    (app / "host.json").write_text('{"version": "2.0"}')
    (app / "function_app.py").write_text(
        "import azure.functions as func\n"
        "app = func.FunctionApp()\n"
        "@app.generic_trigger(\n"
        "    arg_name='timer', type='timerTrigger', schedule='0 0 0 1 1 *', runOnStartup=True\n"
        ")\n"
        "@app.generic_output_binding(\n"
        "    arg_name='seen', type='blob', path='timers/{rand-guid}.txt', connection='X'\n"
        ")\n"
        "def generic_tick(timer: func.TimerRequest, seen: func.Out[str]) -> None:\n"
        "    seen.set(str(timer.past_due))\n"
    )
    with DevHost(app, tmp_path / "state" / "state.db", env={"X": ""}) as host:
        deadline = time.monotonic() + 15
        written = tmp_path / "state" / "state.blobs" / "timers"
        while not (written.is_dir() and any(written.iterdir())):
            assert time.monotonic() < deadline, host.log_tail(40)
            time.sleep(0.05)
        log = host.log_path.read_text()

    assert "generic_tick: timerTrigger (0 0 0 1 1 *)" in log
    assert [path.read_text() for path in written.iterdir()] == ["False"]
