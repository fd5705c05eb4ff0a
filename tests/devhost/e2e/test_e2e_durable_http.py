"""Durable HTTP on the embedded host: `call_http` runs the extension's built-in HTTP activity.

The orchestrators (tests/devhost/durable_http_app) call an HTTP function of the same app and an external
server that answers a long operation with 202 + Location, then 200.
"""

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from devhost.durable_http import HTTP_ACTIVITY
from devhost.testing import DevHost, free_port

APP = Path(__file__).resolve().parents[1] / "durable_http_app"


class LongOperation(BaseHTTPRequestHandler):
    """POST /start -> 202 + Location; GET /status -> 202 once more, then 200."""

    polls = 0

    def do_POST(self) -> None:
        self._answer(202, b"", {"Location": self._status_url()})

    def do_GET(self) -> None:
        LongOperation.polls += 1
        if LongOperation.polls < 2:
            self._answer(202, b"", {"Location": self._status_url()})
        else:
            self._answer(200, b"done", {"X-Multi": ["a", "b"]})

    def _status_url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/status"

    def _answer(self, code: int, body: bytes, headers: dict[str, Any]) -> None:
        self.send_response(code)
        for name, value in headers.items():
            for item in value if isinstance(value, list) else [value]:
                self.send_header(name, item)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        """Quiet: the test reads results, not the access log."""


@pytest.fixture(scope="module")
def external() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), LongOperation)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def host(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DevHost]:
    with DevHost(APP, tmp_path_factory.mktemp("state") / "state.db") as running:
        yield running


def output(host: DevHost, orchestrator: str, spec: Any) -> Any:
    status = host.wait(host.start(orchestrator, spec), history=True)
    assert status["runtimeStatus"] == "Completed", status
    return status["output"]


def test_call_http_reaches_a_function_of_the_same_app(host: DevHost) -> None:
    spec = {
        "method": "POST",
        "uri": f"{host.base_url}/api/echo",
        "content": {"x": 1},
        "headers": {"X-Test": "t1"},
    }
    response = output(host, "call_once", spec)
    assert response["statusCode"] == 200
    seen = json.loads(response["content"])
    # The SDK sends content as JSON text; with no Content-Type header the extension sends text/plain.
    assert seen == {"method": "POST", "body": '{"x": 1}', "content_type": "text/plain", "x_test": "t1"}
    assert response["headers"]["X-Echo"] == "yes"
    # Content headers live on HttpContent in .NET, so DurableHttpResponse.headers does not carry them.
    assert not {name.lower() for name in response["headers"]} & {"content-type", "content-length"}


def test_call_http_is_recorded_as_the_built_in_activity(host: DevHost) -> None:
    spec = {"method": "GET", "uri": f"{host.base_url}/api/echo"}
    status = host.wait(host.start("call_once", spec), history=True)
    names = [e.get("FunctionName") for e in status["historyEvents"] if e["EventType"] == "TaskCompleted"]
    assert names == [HTTP_ACTIVITY]


def test_a_202_is_returned_and_the_orchestrator_polls_its_location(host: DevHost, external: str) -> None:
    LongOperation.polls = 0
    result = output(host, "poll_until_done", f"{external}/start")
    assert result == {"codes": [202, 202, 200], "content": "done"}


def test_a_header_with_several_values_comes_back_as_a_list(host: DevHost, external: str) -> None:
    LongOperation.polls = 5
    response = output(host, "call_once", {"method": "GET", "uri": f"{external}/status"})
    assert response["headers"]["X-Multi"] == ["a", "b"]


def test_a_managed_identity_token_source_fails_the_call_clearly(host: DevHost) -> None:
    spec = {"method": "GET", "uri": f"{host.base_url}/api/echo", "resource": "https://management.azure.com"}
    error = output(host, "call_once", spec)["error"]
    assert "managed identity token (resource 'https://management.azure.com')" in error


def test_an_unreachable_server_fails_the_call_with_the_transport_error(host: DevHost) -> None:
    spec = {"method": "GET", "uri": f"http://127.0.0.1:{free_port()}/nothing"}
    error = output(host, "call_once", spec)["error"]
    assert error.startswith("ClientConnectorError: Cannot connect to host 127.0.0.1")
