"""Host-level HTTP behaviour: local.settings.json's Host section (LocalHttpPort, CORS) and the homepage."""

import json
import subprocess
import sys
import time
from pathlib import Path

import httpx

from devhost.testing import DevHost
from tests.devhost.e2e.conftest import write_app_copy

PORT = 7193  # this suite's one fixed port: LocalHttpPort is what is under test


def _with_host_section(app: Path, host: dict[str, object]) -> Path:
    settings = json.loads((app / "local.settings.json").read_text())
    (app / "local.settings.json").write_text(json.dumps({**settings, "Host": host}))
    return app


def test_cors_preflight_and_response_headers(tmp_path: Path) -> None:
    app = _with_host_section(
        write_app_copy(tmp_path / "app"), {"CORS": "http://ui.test", "CORSCredentials": True}
    )
    with DevHost(app, tmp_path / "state" / "s.db") as host:
        preflight = host.http.options(
            "/api/items/1", headers={"Origin": "http://ui.test", "Access-Control-Request-Method": "GET"}
        )
        assert preflight.status_code == 204
        assert preflight.headers["Access-Control-Allow-Origin"] == "http://ui.test"
        assert preflight.headers["Access-Control-Allow-Credentials"] == "true"
        assert preflight.headers["Access-Control-Allow-Methods"] == "GET"
        reply = host.get("/api/items/1", headers={"Origin": "http://ui.test"})
        assert reply.status_code == 200 and reply.headers["Access-Control-Allow-Origin"] == "http://ui.test"
        other = host.get("/api/items/1", headers={"Origin": "http://other.test"})
        assert other.status_code == 200 and "Access-Control-Allow-Origin" not in other.headers


def test_local_http_port_is_used_without_port(tmp_path: Path) -> None:
    app = _with_host_section(write_app_copy(tmp_path / "app"), {"LocalHttpPort": PORT})
    command = [sys.executable, "-m", "devhost", "--app", str(app), "--state", str(tmp_path / "s.db")]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and process.poll() is None:
            try:
                if httpx.get(f"http://127.0.0.1:{PORT}/admin/host/status", timeout=1).status_code == 200:
                    return
            except httpx.TransportError:
                time.sleep(0.05)  # bounded by the deadline
        raise AssertionError(f"no host on port {PORT} (exit code {process.poll()})")
    finally:
        process.terminate()
        process.wait(timeout=15)


def test_homepage_and_its_setting(tmp_path: Path) -> None:
    """HomepageMiddleware: `/` with no function on it is 200 text/html, 204 when disabled."""
    app = write_app_copy(tmp_path / "app")
    with DevHost(app, tmp_path / "state" / "s.db") as host:
        page = host.get("/")
        assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    with DevHost(app, tmp_path / "state2" / "s.db", env={"AzureWebJobsDisableHomepage": "true"}) as host:
        assert host.get("/").status_code == 204


def test_request_size_limits_are_kestrels(tmp_path: Path) -> None:
    """A 20 KB header is within Kestrel's 32 KB (aiohttp's own 8 KB refused it); an 8 KB+ line is not."""
    with DevHost(write_app_copy(tmp_path / "app"), tmp_path / "state" / "s.db") as host:
        assert host.get("/api/items/1", headers={"X-Big": "x" * 20_000}).status_code == 200
        assert host.get("/api/items/1?q=" + "x" * 9000).status_code == 400  # Kestrel: 414


def test_a_web_page_on_another_site_cannot_change_anything(tmp_path: Path) -> None:
    """No preflight is needed for a text/plain POST: without the check a page could start and approve runs."""
    app = _with_host_section(write_app_copy(tmp_path / "app"), {"CORS": "http://ui.test"})
    start = "/api/orchestrators/hello_sequence"
    with DevHost(app, tmp_path / "state" / "s.db") as host:
        plain = {"Content-Type": "text/plain"}
        refused = host.post(start, content="{}", headers={**plain, "Origin": "https://evil.test"})
        assert refused.status_code == 403
        assert refused.json()["error"]["code"] == "cross_site_request"
        assert "Host.CORS" in refused.json()["error"]["message"]
        mcp = host.post("/runtime/webhooks/mcp", content="{}", headers={**plain, "Origin": "null"})
        assert mcp.status_code == 403
        # reading stays open (the page cannot read the reply anyway), and so does every caller that is
        # not a page: curl and the SDK send no Origin; the host's own page and allowed origins do
        assert host.get("/api/items/1", headers={"Origin": "https://evil.test"}).status_code == 200
        assert host.post(start, json={}).status_code == 202
        own = f"http://127.0.0.1:{host.port}"
        assert host.post(start, json={}, headers={"Origin": own}).status_code == 202
        assert host.post(start, json={}, headers={"Origin": "http://UI.test"}).status_code == 202
