"""`GET /api/runs/{id}/steps` on the embedded host: every workflow's agent steps read as asked/answered."""

import pytest

from api.catalog import WORKFLOWS, Workflow
from bench.run_api import ApiClient
from tests.graphs.durable_sim import example_answer

STARTABLE = [w for w in WORKFLOWS.values() if w.started_by_runs_api]


@pytest.mark.parametrize("workflow", STARTABLE, ids=lambda w: w.name)
def test_every_agent_step_says_what_it_was_asked_and_answered(api: ApiClient, workflow: Workflow) -> None:
    schema = workflow.input_model.model_json_schema()
    examples = schema.get("examples") or [{name: "durable agents" for name in schema.get("required", [])}]
    body: dict[str, object] = dict(examples[0])
    if "timeout_s" in schema["properties"]:
        body["timeout_s"] = 1  # a run that waits for a person times out instead
    run_id = api.start(workflow.name, body).json()["id"]
    api.answer_until_done(run_id, example_answer)  # a graph asking a person gets its example answer

    steps = api.http.get(f"/api/runs/{run_id}/steps").json()["steps"]
    assert steps, f"{workflow.name} shows no step"
    agents = [step for step in steps if step["kind"] == "agent"]  # a graph of plain executors has none
    for step in steps:
        assert step["status"] == "completed" and step["startedAt"] <= step["endedAt"], step
        assert step["elapsed_ms"] is not None, step
    for step in agents:
        assert step["prompt"] or step["messages"], step
        assert step["reply"] or step["tool_calls"], step
        assert step["usage"]["output_tokens"] > 0 and step["model"] and step["truncated"] == [], step
    for step in (s for s in steps if s["kind"] == "tool"):
        assert step["arguments"] is not None and step["result"] is not None, step
