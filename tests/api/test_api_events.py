"""`GET /runs/{id}/events`: the timeline, its stable numbering, long polling and SSE framing."""

import json
from datetime import timedelta

import pytest

from api import events
from tests.api.api_calls import assert_documented, assert_error, call, make_request
from tests.api.durable_fake import FakeDurableClient
from tests.api.histories import Story, approval_story, fanout_story, folded


def get_events(client: FakeDurableClient, run_id: str = "r1", headers: dict | None = None, **params: str):
    req = make_request("GET", f"runs/{run_id}/events", params=params, headers=headers, route={"id": run_id})
    return call(events.run_events, req, client)


def client_with(history: list, status: str = "Running", name: str = "approval") -> FakeDurableClient:
    client = FakeDurableClient()
    client.add_run("r1", name, status=status, history=history)
    return client


def as_form(raw: list, form: str) -> list:
    return {"raw": raw, "folded": folded(raw), "folded_keeping_ids": folded(raw, keep_fields=True)}[form]


@pytest.mark.parametrize("form", ["folded", "raw", "folded_keeping_ids"])
def test_timeline_tells_the_story_of_the_run(form: str) -> None:
    story = approval_story()
    history = as_form(story.events, form)
    reply = get_events(client_with(history, "Completed"))
    assert reply.status == 200
    assert reply.json["status"] == "Completed" and reply.json["done"] is True
    got = [(e["type"], e["name"], e["detail"]) for e in reply.json["events"]]
    approval_detail = {"approved": True, "comment": "ok", "approver": "ann@example.com"}
    failed_detail = {"error": "Activity function 'publish_draft' failed: OSError: disk"}
    assert got == [
        ("run_started", "approval", {}),
        ("step_scheduled", "run_agent", {"agent": "writer"}),
        ("step_completed", "run_agent", {"agent": "writer"}),
        ("step_scheduled", "run_tool", {"tool": "calculator"}),
        ("step_completed", "run_tool", {"tool": "calculator"}),
        ("timer_started", "timer", {"fireAt": "2024-05-02T12:00:00.0000000Z"}),
        # The extension keeps an event's payload (showInput defaults to true; the SDK never sends false).
        ("event_received", "approval", approval_detail),
        ("step_scheduled", "publish_draft", {}),
        ("step_failed", "publish_draft", failed_detail),
        ("timer_started", "timer", {"fireAt": "2024-05-02T12:00:00.0000000Z"}),
        ("timer_fired", "timer", {"fireAt": "2024-05-02T12:00:00.0000000Z"}),
        ("step_scheduled", "publish_draft", {}),
        ("step_completed", "publish_draft", {}),
        ("run_completed", "run", {}),
    ]
    assert [e["seq"] for e in reply.json["events"]] == list(range(1, 15))
    assert reply.json["events"][0]["at"] == "2024-05-01T12:00:00.002000Z"
    assert_documented(reply.json, "EventPage")


def test_an_event_the_sdks_client_raised_shows_its_object_not_the_json_text() -> None:
    """In Azure the SDK's raise_event stores the payload's JSON inside a JSON string."""
    history = folded(approval_story().events)
    [raised] = [event for event in history if event["EventType"] in ("EventRaised", 15)]
    raised["Input"] = json.dumps(json.dumps(json.loads(raised["Input"])))
    reply = get_events(client_with(history, "Completed"))
    [received] = [e for e in reply.json["events"] if e["type"] == "event_received"]
    assert received["detail"] == {"approved": True, "comment": "ok", "approver": "ann@example.com"}


@pytest.mark.parametrize("story", [fanout_story(), approval_story()], ids=["fanout", "approval"])
@pytest.mark.parametrize("form", ["folded", "raw", "folded_keeping_ids"])
def test_seq_is_stable_while_the_run_progresses(story: Story, form: str) -> None:
    """Every snapshot's timeline extends the previous one: same seq, same event."""
    previous: list[tuple] = []
    for snapshot in story.snapshots:
        history = as_form(snapshot, form)
        reply = get_events(client_with(history))
        current = [(e["seq"], e["type"], e["name"], e["at"]) for e in reply.json["events"]]
        assert current[: len(previous)] == previous
        assert len(current) > len(previous)
        previous = current


def test_fanout_steps_finishing_out_of_order_keep_their_agents() -> None:
    reply = get_events(client_with(folded(fanout_story().events), "Completed", "fanout"))
    completed = [e["detail"]["agent"] for e in reply.json["events"] if e["type"] == "step_completed"]
    assert completed == ["tech_analyst", "market_analyst", "risk_analyst", "aggregator"]


def test_after_returns_only_later_events() -> None:
    client = client_with(folded(approval_story().events), "Completed")
    reply = get_events(client, after="12")
    assert [e["seq"] for e in reply.json["events"]] == [13, 14]
    assert get_events(client, after="14").json["events"] == []


def test_terminated_run_ends_with_one_run_terminated_event() -> None:
    story = Story("chain").episode()
    story.episode(
        ("ExecutionTerminated", {"Input": '"stop"'}), ("ExecutionCompleted", {"OrchestrationStatus": 5})
    )
    for history in (story.events, folded(story.events)):
        reply = get_events(client_with(history, "Terminated"))
        assert [e["type"] for e in reply.json["events"]] == ["run_started", "run_terminated"]
        assert reply.json["done"] is True


def test_failed_run_ends_with_run_failed_carrying_the_message_without_the_hosts_details() -> None:
    story = Story("single").episode()
    story.episode(
        (
            "ExecutionCompleted",
            {"OrchestrationStatus": 3, "Result": "Orchestrator function 'single' failed: x \n None"},
        )
    )
    reply = get_events(client_with(folded(story.events), "Failed"))
    last = reply.json["events"][-1]
    assert (last["type"], last["detail"]) == (
        "run_failed",
        {"error": "Orchestrator function 'single' failed: x"},
    )


def test_entity_responses_are_not_user_events() -> None:
    story = Story("session").episode(
        ("EventSent", {"EventId": 0, "Name": "op", "InstanceId": "@conversation@s1", "Input": "{}"})
    )
    story.episode(
        ("EventRaised", {"Name": "0b7c6f3e-4a5b-4c2d-9e8f-1a2b3c4d5e6f", "Input": '{"result": "{}"}'})
    )
    reply = get_events(client_with(story.events))
    assert [e["type"] for e in reply.json["events"]] == ["run_started"]


def test_long_poll_returns_as_soon_as_a_new_event_appears() -> None:
    story = fanout_story()
    client = client_with(folded(story.snapshots[0]), name="fanout")
    client.finish_after("r1", 3, history=folded(story.snapshots[1]))
    reply = get_events(client, after="4", wait="10")
    got = [(e["seq"], e["type"], e["detail"]) for e in reply.json["events"]]
    assert got == [(5, "step_completed", {"agent": "tech_analyst"})]
    assert client.status_reads == 3


def test_long_poll_gives_up_after_wait_seconds_with_no_events() -> None:
    client = client_with(folded(fanout_story().snapshots[0]), name="fanout")
    reply = get_events(client, after="4", wait="1")
    assert reply.status == 200
    assert reply.json == {"events": [], "next": "4", "status": "Running", "done": False}


def test_long_poll_returns_at_once_for_an_ended_run() -> None:
    client = client_with(folded(approval_story().events), "Completed")
    reply = get_events(client, after="14", wait="25")
    assert reply.json == {"events": [], "next": "14", "status": "Completed", "done": True}
    assert client.status_reads == 1


def parse_sse(text: str) -> list[dict[str, str]]:
    frames = []
    for block in text.split("\n\n"):
        if block:
            frames.append(dict(line.split(": ", 1) for line in block.split("\n")))
    return frames


def test_event_stream_frames_each_event_and_ends() -> None:
    client = client_with(folded(approval_story().events), "Completed")
    reply = get_events(client, headers={"Accept": "text/event-stream"}, after="11")
    assert reply.status == 200
    assert reply.headers["content-type"] == "text/event-stream"
    assert reply.text.endswith("\n\n")
    frames = parse_sse(reply.text)
    assert frames[0] == {"retry": "10"}  # near 0: an EventSource comes back at once
    assert [(f["id"], f["event"]) for f in frames[1:-1]] == [
        ("12", "step_scheduled"),
        ("13", "step_completed"),
        ("14", "run_completed"),
    ]
    assert json.loads(frames[1]["data"])["name"] == "publish_draft"
    assert frames[-1] == {"event": "end", "data": '{"status":"Completed"}'}


def test_an_event_stream_reader_that_has_every_event_of_an_ended_run_gets_204_and_stops() -> None:
    """After the batch with `event: end` an EventSource reconnects with the last id; 204 closes it."""
    client = client_with(folded(approval_story().events), "Completed")
    headers = {"Accept": "text/event-stream", "Last-Event-ID": "14"}
    reply = get_events(client, headers=headers)
    assert (reply.status, reply.text) == (204, "")
    assert get_events(client, headers={**headers, "Last-Event-ID": "13"}).status == 200


def test_event_stream_resumes_from_last_event_id_and_has_no_end_while_running() -> None:
    client = client_with(folded(fanout_story().snapshots[1]), name="fanout")
    headers = {"Accept": "text/event-stream", "Last-Event-ID": "4"}
    frames = parse_sse(get_events(client, headers=headers, after="1").text)
    assert [f.get("id") for f in frames] == [None, "5"]
    assert all(f.get("event") != "end" for f in frames)


@pytest.mark.parametrize(
    ("params", "headers", "name"),
    [
        ({"after": "-1"}, {}, "after"),
        ({"after": "x"}, {}, "after"),
        ({"wait": "26"}, {}, "wait"),
        ({}, {"Last-Event-ID": "abc"}, "Last-Event-ID"),
    ],
)
def test_bad_resume_or_wait_values_are_400(params: dict, headers: dict, name: str) -> None:
    reply = get_events(client_with([]), headers=headers, **params)
    assert_error(reply, 400, "invalid_parameter", name)


@pytest.mark.parametrize(
    ("params", "headers", "name"),
    [
        ({"after": "15"}, {}, "after"),
        ({}, {"Accept": "text/event-stream", "Last-Event-ID": "99~ab.1.2"}, "Last-Event-ID"),
    ],
)
@pytest.mark.parametrize("status", ["Completed", "Running"])
def test_an_id_past_the_runs_last_event_is_400_naming_the_last(
    params: dict, headers: dict, name: str, status: str
) -> None:
    """A later id is not this run's: an empty 200 (or a wait for it) would skip events unseen."""
    client = client_with(folded(approval_story().events), status)
    reply = get_events(client, headers=headers, **params)
    assert_error(reply, 400, "invalid_parameter", name)
    assert "last event id is 14" in reply.json["error"]["message"]


def test_an_id_beyond_the_timeline_this_process_kept_is_checked_against_a_fresh_read() -> None:
    """Another instance may have given the reader a newer id than the timeline kept here."""
    story = fanout_story()
    client = client_with(folded(story.snapshots[0]), name="fanout")
    assert get_events(client).status == 200  # keeps the older timeline (last id 4)
    run = client.runs["r1"]
    run.history, run.updated = folded(story.snapshots[1]), run.updated + timedelta(seconds=1)
    reply = get_events(client, after="5", wait="1")
    assert reply.status == 200 and reply.json["next"] == "5"


def test_unknown_run_is_404_and_odd_id_400() -> None:
    assert_error(get_events(FakeDurableClient(), "r9"), 404, "run_not_found")
    assert_error(get_events(FakeDurableClient(), "../etc"), 400, "invalid_parameter", "run id")


def test_pending_run_without_history_has_no_events_yet() -> None:
    reply = get_events(client_with([], "Pending"))
    assert reply.json == {"events": [], "next": "0", "status": "Pending", "done": False}
