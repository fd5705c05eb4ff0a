"""The public management API under /runtime/webhooks/durabletask answers as the extension does."""

import json

from devhost.testing import DevHost

API = "/runtime/webhooks/durabletask"


def test_start_returns_the_management_payload(host: DevHost) -> None:
    response = host.post(f"{API}/orchestrators/hello_sequence/mgmt-start", json="Ann")
    assert response.status_code == 202
    payload = response.json()
    assert payload["id"] == "mgmt-start"
    assert set(payload) >= {
        "statusQueryGetUri",
        "sendEventPostUri",
        "terminatePostUri",
        "purgeHistoryDeleteUri",
    }
    assert payload["sendEventPostUri"].startswith(
        f"{host.base_url}{API}/instances/mgmt-start/raiseEvent/{{eventName}}"
    )
    assert (response.headers["Location"], response.headers["Retry-After"]) == (
        payload["statusQueryGetUri"],
        "10",
    )
    assert host.wait("mgmt-start")["output"][0] == "Hello Ann"


def test_start_errors_are_400_with_exception_message(host: DevHost) -> None:
    unknown = host.post(f"{API}/orchestrators/nope")
    assert unknown.status_code == 400 and "nope" in unknown.json()["ExceptionMessage"]
    bad_json = host.post(f"{API}/orchestrators/hello_sequence", content=b"{not json")
    assert bad_json.status_code == 400 and "not valid JSON" in bad_json.json()["ExceptionMessage"]
    too_deep = host.post(f"{API}/orchestrators/hello_sequence", content=b"[" * 100_000 + b"]" * 100_000)
    assert too_deep.status_code == 400 and "not valid JSON" in too_deep.json()["ExceptionMessage"]


def test_raw_bodies_of_any_json_type_reach_the_orchestrator(host: DevHost) -> None:
    for index, value in enumerate(["plain text", 5, {"a": [1, 2]}, None]):
        instance_id = host.start("report_version", None, f"raw-{index}")
        host.wait(instance_id)
        started = host.post(f"{API}/orchestrators/hello_sequence/rawin-{index}", content=json.dumps(value))
        assert started.status_code == 202
        assert host.wait(f"rawin-{index}")["runtimeStatus"] == "Completed"
        assert host.status(f"rawin-{index}")["output"][0] == f"Hello {value}"


def test_start_and_wait_query(host: DevHost) -> None:
    response = host.post(f"{API}/orchestrators/fan_out_fan_in?timeout=20&pollingInterval=1", json=3)
    assert (response.status_code, response.json()) == (200, 5)


def test_status_codes(host: DevHost) -> None:
    host.post(f"{API}/orchestrators/approval_or_timeout/mgmt-running", json=60)
    running = host.get(f"{API}/instances/mgmt-running")
    assert running.status_code == 202
    assert running.headers["Retry-After"] == "5" and running.headers["Location"].endswith(
        "/instances/mgmt-running"
    )
    assert host.get(f"{API}/instances/no-such-instance").status_code == 404
    host.post(f"{API}/orchestrators/activity_failure_uncaught/mgmt-failed")
    host.wait("mgmt-failed")
    assert host.get(f"{API}/instances/mgmt-failed").status_code == 200
    flagged = host.get(f"{API}/instances/mgmt-failed?returnInternalServerErrorOnFailure=true")
    assert flagged.status_code == 500 and flagged.json()["runtimeStatus"] == "Failed"
    host.post(f"{API}/instances/mgmt-running/terminate")


def test_list_with_filters(host: DevHost) -> None:
    for name in ("flt-1", "flt-2"):
        host.post(f"{API}/orchestrators/hello_sequence/{name}", json=name)
        host.wait(name)
    listed = host.get(f"{API}/instances", params={"instanceIdPrefix": "flt-", "runtimeStatus": "Completed"})
    assert listed.status_code == 200
    assert sorted(s["instanceId"] for s in listed.json()) == ["flt-1", "flt-2"]
    assert (
        host.get(f"{API}/instances", params={"instanceIdPrefix": "flt-", "runtimeStatus": "Failed"}).json()
        == []
    )
    assert len(host.get(f"{API}/instances", params={"instanceIdPrefix": "flt-", "top": "1"}).json()) == 1


def test_raise_event_codes(host: DevHost) -> None:
    host.post(f"{API}/orchestrators/early_event/mgmt-event")
    sent = host.raise_event("mgmt-event", "Go", "now")
    assert (sent.status_code, sent.content) == (202, b"")
    assert host.wait("mgmt-event")["output"] == {"greeting": "Hello early", "go": "now"}
    assert host.raise_event("mgmt-event", "Go", 1).status_code == 410
    assert host.raise_event("no-such-instance", "Go", 1).status_code == 404


def test_raise_event_checks_the_instance_then_the_content_type_then_the_json(host: DevHost) -> None:
    """The order of the extension's HandleRaiseEventRequestAsync: 404/410 before any 400."""
    host.post(f"{API}/orchestrators/early_event/mgmt-event-400")
    url = f"{API}/instances/mgmt-event-400/raiseEvent/Go"
    plain = {"Content-Type": "text/plain"}
    assert host.post(url, content=b"1", headers=plain).status_code == 400
    assert (
        host.post(url, content=b"1", headers={"Content-Type": "application/json-patch+json"}).status_code
        == 400
    )
    as_json = {"Content-Type": "application/json"}
    assert host.post(url, content=b"", headers=as_json).status_code == 400
    assert host.post(url, content=b"{oops", headers=as_json).status_code == 400
    assert host.post(url, content=b"[" * 100_000 + b"]" * 100_000, headers=as_json).status_code == 400
    assert (
        host.post(f"{API}/instances/no-such-instance/raiseEvent/Go", content=b"1", headers=plain).status_code
        == 404
    )
    host.raise_event("mgmt-event-400", "Go", "now")
    host.wait("mgmt-event-400")
    assert host.post(url, content=b"1", headers=plain).status_code == 410


def test_a_json_string_holding_json_is_delivered_as_that_string(host: DevHost) -> None:
    """As the extension (ConvertToJToken keeps the value): `"9361"` reaches the orchestrator as a string."""
    host.post(f"{API}/orchestrators/early_event/mgmt-event-str")
    assert host.raise_event("mgmt-event-str", "Go", "9361").status_code == 202
    assert host.wait("mgmt-event-str")["output"]["go"] == "9361"


def test_terminate_suspend_resume_rewind_codes(host: DevHost) -> None:
    host.post(f"{API}/orchestrators/approval_or_timeout/mgmt-control", json=60)
    assert host.post(f"{API}/instances/mgmt-control/suspend?reason=x").status_code == 202
    assert host.post(f"{API}/instances/mgmt-control/resume?reason=x").status_code == 202
    assert host.post(f"{API}/instances/mgmt-control/terminate?reason=x").status_code == 202
    assert host.wait("mgmt-control")["runtimeStatus"] == "Terminated"
    assert host.post(f"{API}/instances/mgmt-control/terminate").status_code == 410
    assert host.post(f"{API}/instances/no-such-instance/terminate").status_code == 404
    assert host.post(f"{API}/instances/no-such-instance/rewind").status_code == 404


def test_restart_codes(host: DevHost) -> None:
    host.post(f"{API}/orchestrators/hello_sequence/mgmt-restart", json="Ann")
    host.wait("mgmt-restart")
    same = host.post(f"{API}/instances/mgmt-restart/restart?restartWithNewInstanceId=false")
    assert same.status_code == 202 and same.json()["id"] == "mgmt-restart"
    fresh = host.post(f"{API}/instances/mgmt-restart/restart")
    assert fresh.status_code == 202 and fresh.json()["id"] != "mgmt-restart"
    assert host.wait(fresh.json()["id"])["output"][0] == "Hello Ann"
    assert host.post(f"{API}/instances/no-such-instance/restart").status_code == 400


def test_purge_codes(host: DevHost) -> None:
    host.post(f"{API}/orchestrators/hello_sequence/mgmt-purge", json="x")
    host.wait("mgmt-purge")
    purged = host.delete(f"{API}/instances/mgmt-purge")
    assert (purged.status_code, purged.json()) == (200, {"instancesDeleted": 1})
    assert host.delete(f"{API}/instances/mgmt-purge").status_code == 404
    assert host.delete(f"{API}/instances").status_code == 400  # createdTimeFrom is required
    many = host.delete(
        f"{API}/instances", params={"createdTimeFrom": "2000-01-01T00:00:00Z", "runtimeStatus": "Completed"}
    )
    assert many.status_code == 200 and many.json()["instancesDeleted"] >= 1
    again = host.delete(
        f"{API}/instances", params={"createdTimeFrom": "2000-01-01T00:00:00Z", "runtimeStatus": "Completed"}
    )
    assert again.status_code == 404


def test_entities(host: DevHost) -> None:
    assert host.post(f"{API}/entities/Counter/mgmt-e?op=add", json=3).status_code == 202
    host.post(f"{API}/entities/Counter/mgmt-e?op=add", json=4)
    state = host.poll(f"{API}/entities/Counter/mgmt-e", lambda r: r.status_code == 200 and r.json() == 7)
    assert state.headers["content-type"].startswith("application/json")
    listed = host.get(f"{API}/entities/Counter", params={"fetchState": "true"}).json()
    assert any(e["entityId"]["key"] == "mgmt-e" and e.get("state") == 7 for e in listed)
    assert host.get(f"{API}/entities/Counter/never-seen").status_code == 404
    assert host.delete(f"{API}/entities/Counter/mgmt-e").status_code == 202
    assert host.post(f"{API}/entities/NoSuchEntity/k?op=add", json=1).status_code == 404


def test_instance_query_pages_like_the_azure_storage_provider(host: DevHost) -> None:
    """At most 100 per answer (or `top`), in instance-id order, the rest behind the continuation header;
    the SDK's `get_status_by` drops that header, so one call of it sees the first 100 only."""
    started = [f"page-{index:03d}" for index in range(130)]
    for instance_id in reversed(started):  # creation order is not the order of the answer
        assert host.post(f"{API}/orchestrators/report_version/{instance_id}").status_code == 202
    first = host.get(f"{API}/instances", params={"instanceIdPrefix": "page-"})
    token = first.headers["x-ms-continuation-token"]
    rest = host.get(
        f"{API}/instances", params={"instanceIdPrefix": "page-"}, headers={"x-ms-continuation-token": token}
    )
    assert [s["instanceId"] for s in first.json()] == started[:100]
    assert [s["instanceId"] for s in rest.json()] == started[100:]
    assert "x-ms-continuation-token" not in rest.headers
    small = host.get(f"{API}/instances", params={"instanceIdPrefix": "page-", "top": "7"})
    assert len(small.json()) == 7 and small.headers["x-ms-continuation-token"]
    assert len(host.get("/api/client/instances", params={"prefix": "page-"}).json()) == 100
    forged = host.get(f"{API}/instances", headers={"x-ms-continuation-token": "not-a-token"})
    assert forged.status_code == 400 and "x-ms-continuation-token" in forged.json()["ExceptionMessage"]
