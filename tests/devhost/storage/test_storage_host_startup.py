"""What the host says about queue and blob trigger settings it refuses, and about what it cannot run."""

import re
from pathlib import Path

import pytest

from devhost.testing import DevHost, DevHostError

SERVICE_BUS_APP = """
import azure.functions as func

app = func.FunctionApp(http_auth_level=func.AuthLevel.ANONYMOUS)

@app.service_bus_queue_trigger(arg_name="message", queue_name="orders", connection="SERVICE_BUS")
def on_order(message: func.ServiceBusMessage) -> None:
    pass

@app.route(route="forward", methods=["POST"])
@app.service_bus_queue_output(arg_name="out", queue_name="orders", connection="SERVICE_BUS")
def forward(req: func.HttpRequest, out: func.Out[str]) -> func.HttpResponse:
    out.set(req.get_body().decode())
    return func.HttpResponse("sent")
"""

QUEUE_APP = """
import azure.functions as func

app = func.FunctionApp()

@app.queue_trigger(arg_name="message", queue_name="{queue_name}", connection="Q")
def work(message: func.QueueMessage) -> None:
    pass
"""


def write_app(folder: Path, source: str, host_json: str = '{"version": "2.0"}') -> Path:
    folder.mkdir()
    (folder / "function_app.py").write_text(source)
    (folder / "host.json").write_text(host_json)
    return folder


def test_a_trigger_and_an_output_the_host_cannot_run_are_named_not_silently_ignored(tmp_path: Path) -> None:
    app = write_app(tmp_path / "app", SERVICE_BUS_APP)
    with DevHost(app, tmp_path / "state.db") as host:
        forwarded = host.post("/api/forward", content="order 1")
        log = host.log_path.read_text()

    assert (
        "on_order: serviceBusTrigger  [not run by the embedded host: use func start for this trigger]" in log
    )
    assert "[not supported locally: serviceBus output]" in log
    assert forwarded.status_code == 500
    assert (
        "function 'forward' has bindings the embedded host does not supply (serviceBus output);"
        " run it under `func start` for those"
    ) in log
    assert "TypeError" not in log


def test_a_queue_trigger_on_a_name_the_service_refuses_stops_the_host(tmp_path: Path) -> None:
    app = write_app(tmp_path / "app", QUEUE_APP.replace("{queue_name}", "work_items"))
    host = DevHost(app, tmp_path / "state.db")

    with pytest.raises(
        DevHostError, match="function 'work': queue trigger: 'work_items' is not a valid queue name"
    ):
        host.launch()
    host.close()


def test_a_queue_option_the_host_refuses_stops_the_host_naming_it(tmp_path: Path) -> None:
    host_json = '{"version": "2.0", "extensions": {"queues": {"batchSize": 64}}}'
    app = write_app(tmp_path / "app", QUEUE_APP.replace("{queue_name}", "work"), host_json)
    host = DevHost(app, tmp_path / "state.db")

    with pytest.raises(
        DevHostError, match=r"extensions\.queues\.batchSize: must be a whole number from 1 to 32"
    ):
        host.launch()
    host.close()


def test_a_blob_trigger_path_without_a_plain_container_stops_the_host(tmp_path: Path) -> None:
    source = QUEUE_APP.replace(
        '@app.queue_trigger(arg_name="message", queue_name="{queue_name}", connection="Q")',
        '@app.blob_trigger(arg_name="message", path="{container}/{name}", connection="Q")',
    ).replace("func.QueueMessage", "func.InputStream")
    host = DevHost(write_app(tmp_path / "app", source), tmp_path / "state.db")

    with pytest.raises(
        DevHostError, match=re.escape("'{container}/{name}' must start with a container name without")
    ):
        host.launch()
    host.close()
