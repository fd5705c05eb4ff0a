"""`GET /runs/{id}/steps`: every agent and tool step as a person reads it, from any history form."""

from typing import Any

import pytest

from activities.request_excerpt import MAX_TEXT_BYTES, request_excerpt
from api import run_steps
from tests.api.api_calls import assert_documented, assert_error, call, make_request
from tests.api.durable_fake import FakeDurableClient
from tests.api.histories import Story, agent_result, approval_story, complete, ended, fanout_story, schedule
from tests.api.test_api_events import as_form

FORMS = ["folded", "raw", "folded_keeping_ids"]


def get_steps(history: list, status: str = "Completed", run_id: str = "r1"):
    client = FakeDurableClient()
    client.add_run("r1", "tools", status=status, history=history)
    req = make_request("GET", f"runs/{run_id}/steps", route={"id": run_id})
    return call(run_steps.run_steps, req, client)


def asked(agent: str, messages: list[dict[str, Any]]) -> dict[str, Any]:
    """A run_agent result carrying the excerpt of its request, as the activity returns it."""
    payload = {"agent": agent, "messages": messages}
    return agent_result(agent) | {"request": request_excerpt(payload)}


def tool_loop_story() -> Story:
    """The model asks for a tool; the tool runs as its own step; the model answers."""
    question = [{"role": "user", "text": "What is 2+2?"}]
    call_ = {"call_id": "c1", "name": "calculator", "arguments": {"expression": "2+2"}}
    first = asked("tool_agent", question) | {"text": "", "tool_calls": [call_]}
    answer_messages = [
        *question,
        {"role": "assistant", "text": "", "tool_calls": [call_]},
        {"role": "tool", "call_id": "c1", "name": "calculator", "result": {"value": 4}},
    ]
    second = asked("tool_agent", answer_messages) | {"text": "It is 4."}
    story = Story("tools")
    story.episode(schedule("run_agent", {"agent": "tool_agent", "messages": question}))
    story.episode(complete(0, first), schedule("run_tool", {"tool": "calculator", "call_id": "c1"}))
    tool_result = {"call_id": "c1", "name": "calculator", "result": {"value": 4}, "elapsed_ms": 0.5}
    story.episode(complete(1, tool_result), schedule("run_agent", {"agent": "tool_agent", "messages": []}))
    story.episode(complete(2, second), ended("Completed", {"answer": "It is 4."}))
    return story


@pytest.mark.parametrize("form", FORMS)
def test_a_tool_loop_reads_as_agent_tool_agent(form: str) -> None:
    reply = get_steps(as_form(tool_loop_story().events, form))
    assert reply.status == 200
    assert_documented(reply.json, "StepList")
    steps = reply.json["steps"]
    assert [(s["seq"], s["kind"], s["name"], s["status"]) for s in steps] == [
        (1, "agent", "tool_agent", "completed"),
        (2, "tool", "calculator", "completed"),
        (3, "agent", "tool_agent", "completed"),
    ]
    first, tool, last = steps
    assert first["messages"] == [{"role": "user", "text": "What is 2+2?", "name": None, "tool_calls": []}]
    assert first["tool_calls"] == [
        {"call_id": "c1", "name": "calculator", "arguments": {"expression": "2+2"}, "result": {"value": 4}}
    ]
    assert tool["call_id"] == "c1"
    assert tool["arguments"] == {"expression": "2+2"} and tool["result"] == {"value": 4}
    assert tool["elapsed_ms"] == 0.5
    assert last["reply"] == "It is 4."
    assert [m["role"] for m in last["messages"]] == ["user", "assistant", "tool"]
    assert last["messages"][1]["tool_calls"] == ["calculator"]
    assert last["messages"][2] == {
        "role": "tool",
        "text": '{"value": 4}',
        "name": "calculator",
        "tool_calls": [],
    }
    assert last["usage"] == {"input_tokens": 10, "output_tokens": 20} and last["model"] == "offline-1"
    assert all(s["startedAt"] <= s["endedAt"] for s in steps)


@pytest.mark.parametrize("form", FORMS)
def test_parallel_steps_keep_the_order_they_were_scheduled_in(form: str) -> None:
    steps = get_steps(as_form(fanout_story().events, form)).json["steps"]
    assert [(s["name"], s["usage"]["input_tokens"]) for s in steps] == [
        ("market_analyst", 1),
        ("tech_analyst", 3),
        ("risk_analyst", 5),
        ("aggregator", 7),
    ]
    assert all(s["reply"] == f"{s['name']} says hi" for s in steps)


@pytest.mark.parametrize("form", FORMS)
def test_a_failed_attempt_and_its_retry_are_both_shown(form: str) -> None:
    steps = get_steps(as_form(approval_story().events, form)).json["steps"]
    assert [(s["kind"], s["name"], s["status"]) for s in steps] == [
        ("agent", "writer", "completed"),
        ("tool", "calculator", "completed"),
        ("activity", "publish_draft", "failed"),
        ("activity", "publish_draft", "completed"),
    ]
    assert steps[2]["error"] == "Activity function 'publish_draft' failed: OSError: disk"
    assert steps[3]["result"] == {"published": True} and steps[3]["error"] is None


def test_a_step_still_running_has_no_end_yet() -> None:
    story = Story("single")
    story.episode(schedule("run_agent", {"agent": "assistant", "prompt": "Hi there"}))
    (step,) = get_steps(story.events, status="Running").json["steps"]
    assert step["status"] == "running" and step["endedAt"] is None and step["elapsed_ms"] is None
    assert step["name"] == "assistant" and step["prompt"] == "Hi there"  # the input, while it is shown


def test_long_texts_are_cut_to_16_kb_and_flagged() -> None:
    long_prompt = "p" * (MAX_TEXT_BYTES + 10)
    result = agent_result("writer") | {
        "text": "é" * MAX_TEXT_BYTES,  # two bytes each: cut on a character boundary
        "value": {"blob": "v" * (MAX_TEXT_BYTES * 2)},
        "request": request_excerpt({"agent": "writer", "prompt": long_prompt}),
    }
    story = Story("single")
    story.episode(schedule("run_agent", {"agent": "writer", "prompt": "x"}))
    story.episode(complete(0, result), ended("Completed", {}))
    (step,) = get_steps(story.events).json["steps"]
    assert step["reply"] == "é" * (MAX_TEXT_BYTES // 2)
    assert step["prompt"] == "p" * MAX_TEXT_BYTES
    assert isinstance(step["value"], str) and len(step["value"].encode()) <= MAX_TEXT_BYTES
    assert sorted(step["truncated"]) == ["prompt", "reply", "value"]


def test_the_excerpt_keeps_the_newest_messages_within_its_budget() -> None:
    messages = [{"role": "user", "text": f"{i}" * 6000} for i in range(5)]
    excerpt = request_excerpt({"agent": "chat", "messages": messages})
    kept = excerpt["messages"]
    assert kept[-1]["text"] == "4" * 6000 and kept[-2]["text"] == "3" * 6000
    assert excerpt["omitted"] == 5 - len(kept) and excerpt["truncated"] is True
    assert sum(len(m["text"]) for m in kept) <= MAX_TEXT_BYTES


def test_unknown_run_is_404_and_a_bad_id_400() -> None:
    assert_error(get_steps([], run_id="nope"), 404, "run_not_found")
    assert_error(get_steps([], run_id="a/b"), 400, "invalid_parameter")


@pytest.mark.parametrize("form", FORMS)
def test_a_step_keeps_its_number_while_parallel_steps_finish_out_of_order(form: str) -> None:
    """A step's `seq` is the same on every read (a reader resumes after it): a step still running is
    listed where it will stay, also in the extension's folded form, which hides its scheduling."""
    story = fanout_story()
    final = get_steps(as_form(story.events, form)).json["steps"]
    for snapshot in story.snapshots:
        for step in get_steps(as_form(snapshot, form), status="Running").json["steps"]:
            assert step["startedAt"] == final[step["seq"] - 1]["startedAt"]
            if step["status"] != "running":
                assert step["name"] == final[step["seq"] - 1]["name"]
    first = get_steps(as_form(story.snapshots[0], form), status="Running").json
    assert [(s["seq"], s["status"]) for s in first["steps"]] == [
        (1, "running"),
        (2, "running"),
        (3, "running"),
    ]
