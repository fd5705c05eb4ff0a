"""Start-up and shutdown as a user sees them: readiness, settings errors, import errors, SIGTERM."""

import subprocess
import sys
import time
from pathlib import Path

import pytest

from devhost.testing import DevHost
from tests.devhost.e2e.conftest import CONFORMANCE_APP, write_app_copy


def run_devhost(app: Path, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    command = [
        sys.executable,
        "-m",
        "devhost",
        "--app",
        str(app),
        "--port",
        "0",
        "--state",
        str(tmp_path / "s.db"),
    ]
    return subprocess.run(command, capture_output=True, text=True, timeout=60, cwd=Path(__file__).parents[3])


def test_missing_setting_is_one_clear_line(tmp_path: Path) -> None:
    result = run_devhost(CONFORMANCE_APP, tmp_path)  # no local.settings.json: %TASKHUB_NAME% is undefined
    assert result.returncode != 0
    assert "%TASKHUB_NAME%" in result.stderr and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_import_error_names_the_cause_without_a_traceback(tmp_path: Path) -> None:
    app = tmp_path / "broken"
    app.mkdir()
    (app / "function_app.py").write_text(
        "import os\nimport azure.functions as func\n"
        "if not os.environ.get('AGENT_MODEL_KEY'):\n"
        "    raise RuntimeError('setting AGENT_MODEL_KEY is required')\n"
        "app = func.FunctionApp()\n"
    )
    result = run_devhost(app, tmp_path)
    assert result.returncode != 0
    assert "setting AGENT_MODEL_KEY is required" in result.stderr
    assert "function_app.py:4" in result.stderr and "Traceback" not in result.stderr


def test_ready_quickly_prints_table_and_stops_cleanly(tmp_path: Path) -> None:
    app = write_app_copy(tmp_path / "app")
    host = DevHost(app, tmp_path / "state" / "state.db")
    started = time.monotonic()
    try:
        host.launch()
        assert time.monotonic() - started < 15  # includes interpreter start and the SDK imports
        log = host.log_tail(200)
        assert "http_start: [POST] http://127.0.0.1:" in log and "/api/orchestrators/{functionName}" in log
        assert "startup_timer: timerTrigger" in log
    finally:
        code = host.stop()
        host.http.close()
    assert code == 0


@pytest.mark.parametrize("route_prefix", ["", "v1"])
def test_route_prefix_from_host_json(tmp_path: Path, route_prefix: str) -> None:
    app = write_app_copy(tmp_path / "app")
    host_json = (
        (app / "host.json").read_text().replace('"routePrefix": "api"', f'"routePrefix": "{route_prefix}"')
    )
    (app / "host.json").write_text(host_json)
    with DevHost(app, tmp_path / "state.db") as host:
        path = f"/{route_prefix}/items/9" if route_prefix else "/items/9"
        assert host.get(path).json() == {"route": "by-id", "id": 9}
        assert host.get("/api/items/9").status_code == 404
