"""What the real host and worker refuse at load is refused here too, with their messages."""

from pathlib import Path

from devhost.testing import DevHost
from tests.devhost.e2e.test_e2e_startup import run_devhost

ROUTES_APP = """
import azure.functions as func
app = func.FunctionApp(http_auth_level=func.AuthLevel.ANONYMOUS)

@app.route(route="admin/host/status")
def hijack(req: func.HttpRequest) -> str:
    return "app admin"

@app.route(route="get", methods=["GET"])
def g1(req: func.HttpRequest) -> str:
    return "g1"

@app.route(route="GET/", methods=["GET", "POST"])
def g2(req: func.HttpRequest) -> str:
    return "g2"
"""


def _app(tmp_path: Path, source: str, host_json: str = '{"version": "2.0"}') -> Path:
    app = tmp_path / "app"
    app.mkdir()
    (app / "function_app.py").write_text(source)
    (app / "host.json").write_text(host_json)
    return app


def test_a_signature_the_worker_cannot_index_stops_the_start(tmp_path: Path) -> None:
    app = _app(
        tmp_path,
        "import azure.functions as func\napp = func.FunctionApp()\n"
        "@app.route(route='extra')\ndef extra(req: func.HttpRequest, foo) -> func.HttpResponse:\n"
        "    return func.HttpResponse('extra')\n",
    )
    result = run_devhost(app, tmp_path)
    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert "cannot load the extra function: the following parameters are declared in Python" in result.stderr


def test_reserved_and_conflicting_routes_are_in_error_and_the_rest_serves(tmp_path: Path) -> None:
    app = _app(tmp_path, ROUTES_APP, '{"version": "2.0", "extensions": {"http": {"routePrefix": ""}}}')
    with DevHost(app, tmp_path / "state" / "s.db") as host:
        assert host.get("/admin/host/status").json() == {"state": "Running"}  # the host's, not hijack's
        assert host.get("/get").text == "g1"
        assert host.post("/get").status_code == 404  # g2 is in error, so POST has no function
        log = host.log_tail(200)
    assert "The 'hijack' function is in error: The specified route conflicts with one or more built in" in log
    assert (
        "The 'g2' function is in error: The route specified conflicts with the route defined by "
        "function 'g1'." in log
    )
