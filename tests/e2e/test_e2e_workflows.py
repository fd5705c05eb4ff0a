"""Every workflow through HTTP on the embedded host, as `make run` serves it."""

import pytest

from bench.run_api import ApiClient

TOPIC = "tidal energy for island towns"


def test_chain_output_carries_all_three_roles(api: ApiClient) -> None:
    document = api.run_to_end("chain", {"topic": TOPIC})

    assert document["status"] == "Completed", document
    output = document["output"]
    assert {"research", "draft", "review"} <= set(output)
    for role in ("research", "draft", "review"):
        assert "tidal energy" in output[role].lower(), (role, output[role])
    assert document["usage"]["input_tokens"] > 0 and document["usage"]["output_tokens"] > 0
    assert document["progress"]["step"] == "done"
    assert document["error"] is None


def test_chain_events_tell_the_story_of_the_run(api: ApiClient) -> None:
    document = api.run_to_end("chain", {"topic": TOPIC})
    everything = api.events(document["id"])["events"]
    events = [event for event in everything if event["type"] != "token"]

    types = [event["type"] for event in events]
    assert types[0] == "run_started" and types[-1] == "run_completed"
    assert [event["seq"] for event in events] == list(range(1, len(events) + 1))
    agents = [event["detail"].get("agent") for event in events if event["type"] == "step_scheduled"]
    assert agents == ["researcher", "writer", "reviewer"]
    words = {agent: "" for agent in agents}
    for event in everything:
        if event["type"] == "token":
            words[event["name"]] += event["detail"]["text"]
    assert words == {
        "researcher": document["output"]["research"],
        "writer": document["output"]["draft"],
        "reviewer": document["output"]["review"],
    }
    later = api.events(document["id"], after=len(events) - 1)["events"]
    assert [event["seq"] for event in later] == [len(events)]


@pytest.mark.parametrize(
    ("workflow", "body", "keys"),
    [
        ("single", {"question": "What is a durable timer?"}, {"answer"}),
        ("fanout", {"topic": TOPIC}, {"opinions", "summary"}),
        ("routing", {"question": "I was charged twice on my invoice"}, {"route", "answer"}),
        ("critic", {"topic": TOPIC, "max_rounds": 3}, {"draft", "approved", "rounds"}),
        ("tools", {"question": "What is 17 * 23?"}, {"answer", "tool_calls"}),
    ],
)
def test_each_workflow_completes(api: ApiClient, workflow: str, body: dict, keys: set) -> None:
    document = api.run_to_end(workflow, body)

    assert document["status"] == "Completed", document
    assert keys <= set(document["output"]), document["output"]
    assert document["workflow"] == workflow


def test_routing_sends_billing_questions_to_billing(api: ApiClient) -> None:
    output = api.run_to_end("routing", {"question": "Please refund the double charge on my invoice"})[
        "output"
    ]
    assert output["route"] == "billing"


def test_fanout_asks_every_specialist(api: ApiClient) -> None:
    output = api.run_to_end("fanout", {"topic": TOPIC})["output"]
    assert set(output["opinions"]) == {"market_analyst", "tech_analyst", "risk_analyst"}


def test_tools_run_one_activity_per_tool_call(api: ApiClient) -> None:
    document = api.run_to_end("tools", {"question": "What is 17 * 23?"})
    calls = document["output"]["tool_calls"]
    assert [call["name"] for call in calls] == ["calculator"]
    assert "391" in str(calls[0]["result"]) and "391" in document["output"]["answer"]

    steps = [e for e in api.events(document["id"])["events"] if e["type"] == "step_completed"]
    assert sum(1 for e in steps if e["name"] == "run_tool") == len(calls)


def test_list_runs_newest_first_and_filtered(api: ApiClient) -> None:
    first = api.run_to_end("single", {"question": "one"})
    second = api.run_to_end("single", {"question": "two"})

    listed = api.http.get("/api/runs", params={"workflow": "single", "limit": 100}).json()["runs"]
    # createdAt has one-second resolution (as in Azure): newest first means non-increasing times.
    created = [run["createdAt"] for run in listed]
    assert created == sorted(created, reverse=True)
    assert {first["id"], second["id"]} <= {run["id"] for run in listed}
    assert all(run["workflow"] == "single" for run in listed)
    completed = api.http.get("/api/runs", params={"status": "Completed", "limit": 100}).json()["runs"]
    assert completed and all(run["status"] == "Completed" for run in completed)


def test_list_runs_pages_with_the_cursor(api: ApiClient) -> None:
    for n in range(3):
        api.run_to_end("single", {"question": f"page {n}"})
    seen: list[str] = []
    page = api.http.get("/api/runs", params={"limit": 2}).json()
    while True:
        seen += [run["id"] for run in page["runs"]]
        if not page["next"]:
            break
        page = api.http.get("/api/runs", params={"limit": 2, "cursor": page["next"]}).json()

    everything = api.http.get("/api/runs", params={"limit": 100}).json()["runs"]
    assert sorted(seen) == sorted(run["id"] for run in everything)
    assert len(seen) == len(set(seen))


def test_delete_purges_an_ended_run(api: ApiClient) -> None:
    run_id = api.run_to_end("single", {"question": "short lived"})["id"]

    assert api.http.delete(f"/api/runs/{run_id}").status_code == 204
    assert api.http.get(f"/api/runs/{run_id}").status_code == 404
