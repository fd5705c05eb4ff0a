"""Graphs through the run API on the embedded host, as a user drives them: start, answer, read.

Every graph in graphs/ ends with the outputs of the same graph run in-process; people answer through
`POST /api/runs/{id}/input`, and bad answers get their 4xx.
"""

from typing import Any

import pytest

from api.catalog import GRAPHS
from bench.run_api import ApiClient
from tests.graphs.durable_sim import example_answer, example_input, in_process


def start_waiting_editor(api: ApiClient) -> tuple[str, dict[str, Any]]:
    run_id = api.start("editor", example_input(GRAPHS["editor"])).json()["id"]
    document = api.wait_for(run_id, step="awaiting_input")
    return run_id, document["pendingInput"][0]


@pytest.mark.parametrize("name", sorted(GRAPHS))
def test_every_graph_gives_its_in_process_outputs(api: ApiClient, name: str) -> None:
    spec = GRAPHS[name]
    given = example_input(spec)
    started = api.start(name, given, wait=30)
    assert started.status_code in (200, 202), started.text

    document = api.answer_until_done(started.json()["id"], example_answer)

    assert document["status"] == "Completed", document
    assert document["workflow"] == name
    assert document["output"] == {"outputs": in_process(spec, given)}
    agent_steps = [e for e in api.events(document["id"])["events"] if e["name"] == "run_agent"]
    assert (document["usage"]["input_tokens"] > 0) == bool(agent_steps)


def test_graphs_are_listed_with_their_input_schemas(api: ApiClient) -> None:
    listing = {item["name"]: item for item in api.http.get("/api/workflows").json()}
    for name, spec in GRAPHS.items():
        assert listing[name]["input_schema"] == spec.input_model.model_json_schema()
        assert listing[name]["description"] == spec.description


def test_a_bad_graph_input_is_a_422_naming_the_field(api: ApiClient) -> None:
    response = api.start("writer_reviewer", {"topic": "x", "max_rounds": 99})
    assert response.status_code == 422
    assert "max_rounds" in response.json()["error"]["message"]


def test_the_timeline_shows_executors_requests_answers_and_outputs(api: ApiClient) -> None:
    run_id, request = start_waiting_editor(api)
    answer = {"requestId": request["requestId"], "response": {"approved": True, "comment": "fine"}}
    assert api.http.post(f"/api/runs/{run_id}/input", json=answer).status_code == 202
    api.wait_for(run_id)

    events = [(e["type"], e["name"]) for e in api.events(run_id)["events"]]
    assert ("step_scheduled", "writer") in events and ("step_completed", "writer") in events
    assert ("step_completed", "editor") in events
    assert ("step_completed", "run_agent") in events
    assert events.index(("input_requested", "editor")) < events.index(("event_received", "graph_input"))
    assert events[-2:] == [("output", "output"), ("run_completed", "run")]
    listed = api.http.get("/api/runs", params={"workflow": "editor"}).json()["runs"]
    assert run_id in [run["id"] for run in listed]


def test_bad_answers_get_their_4xx_and_the_run_keeps_waiting(api: ApiClient) -> None:
    run_id, request = start_waiting_editor(api)
    url = f"/api/runs/{run_id}/input"

    wrong_type = api.http.post(url, json={"requestId": request["requestId"], "response": {"approved": "yes"}})
    unknown = api.http.post(url, json={"requestId": "no-such-request", "response": {"approved": True}})
    no_response = api.http.post(url, json={"requestId": request["requestId"]})
    not_a_run = api.http.post("/api/runs/no-such-run/input", json={"requestId": "r", "response": True})

    assert (wrong_type.status_code, wrong_type.json()["error"]["message"]) == (
        422,
        'response.approved: "yes" is not of type "boolean"',
    )
    assert unknown.status_code == 404 and "no-such-request" in unknown.json()["error"]["message"]
    assert no_response.status_code == 422 and "response" in no_response.json()["error"]["message"]
    assert not_a_run.status_code == 404
    assert api.run(run_id)["progress"]["step"] == "awaiting_input"

    done = {"requestId": request["requestId"], "response": {"approved": False, "comment": "not yet"}}
    assert api.http.post(url, json=done).status_code == 202
    document = api.wait_for(run_id)
    given, rejection = example_input(GRAPHS["editor"]), done["response"]
    assert document["output"] == {"outputs": in_process(GRAPHS["editor"], given, lambda _: rejection)}
    assert document["output"]["outputs"][0]["decision"] == "rejected"
    late = api.http.post(url, json=done)
    assert late.status_code == 409 and "not waiting for input" in late.json()["error"]["message"]


def test_a_run_that_is_not_a_graph_is_not_waiting_for_input(api: ApiClient) -> None:
    run_id = api.run_to_end("single", {"question": "hi"})["id"]
    response = api.http.post(f"/api/runs/{run_id}/input", json={"requestId": "r", "response": 1})
    assert response.status_code == 409
