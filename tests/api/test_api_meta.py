"""`/health`, `/workflows`, `/openapi.json`, the JSON 404 and the 405 every route answers."""

import json

import jsonschema_rs
import pytest
from schemathesis.specs.openapi.definitions import OPENAPI_31_VALIDATOR

from api import approval, events, meta, runs, sessions
from api.catalog import GRAPHS, WORKFLOWS
from tests.api.api_calls import assert_documented, assert_error, call, make_request
from tests.api.durable_fake import FakeDurableClient


def test_health_reports_version_and_provider(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AGENT_MODEL_PROVIDER", "offline")
    reply = call(meta.health, make_request("GET", "health"))
    assert reply.status == 200
    assert reply.json == {"status": "ok", "version": "0.1.0", "provider": "offline"}


@pytest.mark.catalog
def test_workflows_lists_every_catalog_workflow_with_its_input_schema() -> None:
    reply = call(meta.workflows, make_request("GET", "workflows"))
    assert reply.status == 200
    listing = {item["name"]: item for item in reply.json}
    assert set(listing) == set(WORKFLOWS)
    assert set(GRAPHS) <= set(listing)
    for name, item in listing.items():
        assert item["description"]
        assert item["input_schema"] == WORKFLOWS[name].input_model.model_json_schema()
    assert listing["critic"]["input_schema"]["properties"]["max_rounds"]["maximum"] == 10
    assert listing["single"]["input_schema"]["additionalProperties"] is False


def test_unknown_path_is_a_json_404() -> None:
    reply = call(meta.not_found, make_request("PATCH", "nope/deeper", route={"path": "nope/deeper"}))
    assert_error(reply, 404, "route_not_found", "/api/nope/deeper")


SYNC_ROUTES = [(meta.health, "GET"), (meta.workflows, "GET"), (meta.openapi, "GET")]
ASYNC_ROUTES = [
    (runs.runs_collection, "GET"),
    (runs.run_item, "GET, POST, DELETE"),
    (runs.run_terminate, "POST"),
    (events.run_events, "GET"),
    (approval.run_approval, "POST"),
    (sessions.session_messages, "POST"),
    (sessions.session_item, "GET, DELETE"),
]


@pytest.mark.parametrize(("handler", "allowed"), SYNC_ROUTES + ASYNC_ROUTES)
def test_wrong_method_is_405_json_with_allow(handler: object, allowed: str) -> None:
    req = make_request("PUT", "x", route={"key": "r1", "id": "r1"})
    args = () if (handler, allowed) in SYNC_ROUTES else (FakeDurableClient(),)
    reply = call(handler, req, *args)
    assert_error(reply, 405, "method_not_allowed", "PUT")
    assert reply.headers["allow"] == allowed


def test_unexpected_exception_is_500_json_with_a_logged_correlation_id(
    caplog: pytest.LogCaptureFixture,
) -> None:
    class BrokenClient(FakeDurableClient):
        async def get_status(self, *args: object, **kwargs: object) -> None:
            raise RuntimeError("storage exploded")

    reply = call(runs.run_item, make_request("GET", "runs/r1", route={"key": "r1"}), BrokenClient())
    error = assert_error(reply, 500, "internal")
    assert "storage exploded" not in error["message"]
    assert error["correlationId"] in caplog.text
    assert "storage exploded" in caplog.text


# --- OpenAPI ------------------------------------------------------------------------------------
EXPECTED_OPERATIONS = {
    "/health": {"get"},
    "/workflows": {"get"},
    "/openapi.json": {"get"},
    "/runs": {"get"},
    "/runs/{key}": {"get", "post", "delete"},
    "/runs/{id}/events": {"get"},
    "/runs/{id}/steps": {"get"},
    "/runs/{id}/approval": {"post"},
    "/runs/{id}/input": {"post"},
    "/runs/{id}/terminate": {"post"},
    "/sessions/{id}/messages": {"post"},
    "/sessions/{id}": {"get", "delete"},
}


@pytest.fixture(scope="module")
def document() -> dict:
    reply = call(meta.openapi, make_request("GET", "openapi.json"))
    assert reply.status == 200
    return reply.json


def test_openapi_is_valid_3_1(document: dict) -> None:
    assert document["openapi"].startswith("3.1")
    errors = [error.message for error in OPENAPI_31_VALIDATOR.iter_errors(document)]
    assert errors == []


def test_openapi_lists_every_route_and_method(document: dict) -> None:
    found = {path: set(item) for path, item in document["paths"].items()}
    assert found == EXPECTED_OPERATIONS
    for path, item in document["paths"].items():
        for method, operation in item.items():
            assert "405" in operation["responses"] and "500" in operation["responses"], (path, method)
            path_params = {p["name"] for p in operation.get("parameters", []) if p["in"] == "path"}
            assert path_params == {part[1:-1] for part in path.split("/") if part.startswith("{")}


@pytest.mark.catalog
def test_openapi_start_body_is_the_input_of_every_startable_workflow(document: dict) -> None:
    start = document["paths"]["/runs/{key}"]["post"]
    bodies = start["requestBody"]["content"]["application/json"]["schema"]["anyOf"]
    startable = [w.input_model.__name__ for w in WORKFLOWS.values() if w.started_by_runs_api]
    assert sorted(body["$ref"].rsplit("/", 1)[-1] for body in bodies) == sorted(startable)


def test_openapi_documents_bodies_parameters_and_errors(document: dict) -> None:
    start = document["paths"]["/runs/{key}"]["post"]
    assert {"400", "404", "413", "422", "200", "202"} <= set(start["responses"])
    listing = document["paths"]["/runs"]["get"]
    assert {p["name"] for p in listing["parameters"]} == {"workflow", "status", "limit", "cursor"}
    events_reply = document["paths"]["/runs/{id}/events"]["get"]["responses"]["200"]["content"]
    assert set(events_reply) == {"application/json", "text/event-stream"}
    error = document["components"]["schemas"]["ErrorResponse"]
    assert error["properties"]["error"] == {"$ref": "#/components/schemas/ErrorDetail"}


def test_openapi_references_all_resolve(document: dict) -> None:
    refs: list[str] = []

    def walk(node: object) -> None:
        if isinstance(node, dict):
            if isinstance(node.get("$ref"), str):
                refs.append(node["$ref"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(document)
    assert refs
    for ref in refs:
        target: object = document
        for part in ref.removeprefix("#/").split("/"):
            assert isinstance(target, dict) and part in target, ref
            target = target[part]
    assert json.dumps(document)  # serialisable as served


def test_openapi_component_schemas_are_valid_json_schema(document: dict) -> None:
    for name, schema in document["components"]["schemas"].items():
        assert jsonschema_rs.meta.is_valid(schema), name


def test_health_and_workflow_replies_match_the_document(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AGENT_MODEL_PROVIDER", "offline")
    assert_documented(call(meta.health, make_request("GET", "health")).json, "Health")
    for item in call(meta.workflows, make_request("GET", "workflows")).json:
        assert_documented(item, "WorkflowInfo")


def _wait_call(path: str, wait: int) -> object:
    """Call the route the document lists at `path` with `?wait=`, on a run or session that exists."""
    client = FakeDurableClient()
    client.add_run("r1", "approval", status="Running", history=[])
    params = {"wait": str(wait)}
    if path == "/runs/{key}":
        req = make_request(
            "POST", "runs/single", body={"question": "q"}, params=params, route={"key": "single"}
        )
        return call(runs.run_item, req, client)
    if path == "/runs/{id}/events":
        return call(
            events.run_events,
            make_request("GET", "runs/r1/events", params=params, route={"id": "r1"}),
            client,
        )
    req = make_request(
        "POST", "sessions/s1/messages", body={"message": "m"}, params=params, route={"id": "s1"}
    )
    return call(sessions.session_messages, req, client)


@pytest.mark.parametrize(
    ("path", "method"),
    [("/runs/{key}", "post"), ("/runs/{id}/events", "get"), ("/sessions/{id}/messages", "post")],
)
def test_documented_wait_maximum_is_the_one_the_route_enforces(
    document: dict, path: str, method: str
) -> None:
    [wait] = [p for p in document["paths"][path][method]["parameters"] if p["name"] == "wait"]
    maximum = wait["schema"]["maximum"]
    assert_error(_wait_call(path, maximum + 1), 400, "invalid_parameter", "wait")
    assert str(maximum) in _wait_call(path, maximum + 1).json["error"]["message"]
