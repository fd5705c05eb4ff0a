"""Every durable client call an app makes (through http_bp's routes) works against devhost."""

from collections.abc import Callable
from typing import Any

import httpx

from devhost.testing import DevHost

HELLO_ANN = ["Hello Ann", "Hello Hello Ann", "HELLO HELLO ANN"]


def poll_json(host: DevHost, path: str, until: Callable[[Any], bool]) -> Any:
    """GET `path` until `until(json body)` holds (deadline-bounded); returns that body."""
    return host.poll(path, lambda response: until(response.json())).json()


def test_starter_with_check_status_response(host: DevHost) -> None:
    response = host.post("/api/orchestrators/hello_sequence", json="Ann")
    assert response.status_code == 202
    payload = response.json()
    assert response.headers["Location"] == payload["statusQueryGetUri"]
    assert payload["statusQueryGetUri"].startswith(f"{host.base_url}/runtime/webhooks/durabletask/instances/")
    assert response.headers["Retry-After"] == "10"
    host.wait(payload["id"])
    final = httpx.get(payload["statusQueryGetUri"])  # the URL a caller got back works as is
    assert (final.status_code, final.json()["output"]) == (200, HELLO_ANN)


def test_starter_that_waits(host: DevHost) -> None:
    done = host.post("/api/orchestrators/fan_out_fan_in/wait", json=4)
    assert (done.status_code, done.json()) == (200, 14)
    failed = host.post("/api/orchestrators/activity_failure_uncaught/wait")
    assert failed.status_code == 500 and failed.json()["runtimeStatus"] == "Failed"
    pending = host.post("/api/orchestrators/approval_or_timeout/wait?timeout_ms=300", json=60)
    assert pending.status_code == 202 and "statusQueryGetUri" in pending.json()
    host.post(f"/api/client/instances/{pending.json()['id']}/terminate")


def test_start_with_id_and_version(host: DevHost) -> None:
    started = host.post("/api/client/start/report_version/version-2?version=2.0")
    assert started.status_code == 202 and started.json()["id"] == "version-2"
    assert host.wait("version-2")["output"] == "2.0"
    host.post("/api/client/start/report_version/version-default")
    assert host.wait("version-default")["output"] == "1.0"  # host.json defaultVersion
    unknown = host.post("/api/client/start/no_such_orchestrator/x")
    assert unknown.status_code == 400 and "no_such_orchestrator" in unknown.json()["error"]


def test_status_with_history_and_listing(host: DevHost) -> None:
    host.post("/api/client/start/hello_sequence/list-a", json="Ann")
    host.post("/api/client/start/hello_sequence/list-b", json="Bob")
    host.wait("list-a")
    host.wait("list-b")
    status = host.get("/api/client/status/list-a?history=1").json()
    assert status["runtimeStatus"] == "Completed" and status["output"] == HELLO_ANN
    assert len(status["historyEvents"]) >= 3
    assert host.get("/api/client/status/nope").status_code == 404
    assert host.get("/api/client/instances?prefix=list-&status=Completed").json() == ["list-a", "list-b"]
    assert {"list-a", "list-b"} <= set(host.get("/api/client/instances").json())


def test_raise_event_and_its_errors(host: DevHost) -> None:
    host.post("/api/client/start/early_event/event-1")
    assert host.post("/api/client/instances/event-1/events/Go", json={"ok": True}).status_code == 202
    # The SDK's client posts its JSON inside a JSON string and the extension keeps the body's value,
    # so the orchestrator receives the string (Azure/azure-functions-durable-python#295).
    assert host.wait("event-1")["output"] == {"greeting": "Hello early", "go": '{"ok": true}'}
    assert host.post("/api/client/instances/event-1/events/Go", json=1).status_code == 409  # ended: gone
    assert host.post("/api/client/instances/missing/events/Go", json=1).status_code == 409  # no instance


def test_suspend_resume_terminate_restart(host: DevHost) -> None:
    host.post("/api/client/start/approval_or_timeout/control-1", json=60)
    poll_json(host, "/api/client/status/control-1", lambda s: s["runtimeStatus"] == "Running")
    assert host.post("/api/client/instances/control-1/suspend").status_code == 202
    poll_json(host, "/api/client/status/control-1", lambda s: s["runtimeStatus"] == "Suspended")
    assert host.post("/api/client/instances/control-1/resume").status_code == 202
    poll_json(host, "/api/client/status/control-1", lambda s: s["runtimeStatus"] == "Running")
    assert host.post("/api/client/instances/control-1/terminate?reason=enough").status_code == 202
    assert host.wait("control-1")["runtimeStatus"] == "Terminated"
    restarted = host.post("/api/client/instances/control-1/restart").json()["result"]
    new_id = restarted["id"] if isinstance(restarted, dict) else restarted
    assert new_id != "control-1"
    poll_json(host, f"/api/client/status/{new_id}", lambda s: s["runtimeStatus"] == "Running")
    host.post(f"/api/client/instances/{new_id}/terminate")


def test_rewind_a_failed_run(host: DevHost) -> None:
    host.post("/api/client/start/rewindable/rewind-1", json={"key": "rewind-1", "fail_times": 1})
    assert host.wait("rewind-1")["runtimeStatus"] == "Failed"
    assert host.post("/api/client/instances/rewind-1/rewind?reason=fixed").status_code == 202
    status = poll_json(host, "/api/client/status/rewind-1", lambda s: s["runtimeStatus"] == "Completed")
    assert status["output"] == ["Hello before", "rewind-1 ok after 2 attempts"]


def test_purge_one_and_many(host: DevHost) -> None:
    host.post("/api/client/start/hello_sequence/purge-1", json="x")
    host.wait("purge-1")
    assert host.delete("/api/client/instances/purge-1").json() == {"deleted": 1}
    assert host.delete("/api/client/instances/purge-1").json() == {"deleted": 0}
    host.post("/api/client/start/activity_failure_uncaught/purge-2")
    host.wait("purge-2")
    assert host.delete("/api/client/instances?status=Failed").json()["deleted"] >= 1
    assert host.get("/api/client/status/purge-2").status_code == 404


def test_signal_and_read_entity(host: DevHost) -> None:
    assert host.post("/api/client/entities/Counter/client-e1?op=add", json=5).status_code == 202
    host.post("/api/client/entities/Counter/client-e1?op=add", json=2)
    state = poll_json(host, "/api/client/entities/Counter/client-e1", lambda b: b["state"] == 7)
    assert state == {"exists": True, "state": 7}
    assert host.get("/api/client/entities/Counter/never-signalled").json() == {"exists": False, "state": None}


def test_startup_timer_ran_once(host: DevHost) -> None:
    runs = poll_json(host, "/api/client/entities/Counter/timer-on-time", lambda b: b["exists"])
    assert runs["state"] == 1
