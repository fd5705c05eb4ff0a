"""`POST /sessions/{id}/messages` with `Accept: text/event-stream`: the reply's words, then the reply."""

import json
from pathlib import Path
from typing import Any

from api import sessions
from streams.records import Chunk
from streams.sqlite_store import SqliteStreamStore
from tests.api.api_calls import Reply, call, make_request
from tests.api.durable_fake import FakeDurableClient
from tests.api.histories import Story, agent_result, complete, ended, schedule
from tests.api.test_api_events import parse_sse

SSE = {"Accept": "text/event-stream"}
WORDS = ["Hello ", "Sam, ", "nice ", "to ", "meet ", "you."]


class TurnClient(FakeDurableClient):
    """Starts every turn as run `turn-1`, so the test can write its stream beforehand."""

    async def start_new(
        self, orchestration_function_name: str, instance_id: str | None = None, client_input: Any = None
    ) -> str:
        return await super().start_new(orchestration_function_name, "turn-1", client_input)


def turn_history() -> list[dict[str, Any]]:
    story = Story("session").episode(
        schedule("run_agent", {"agent": "chat", "messages": [], "run": "turn-1", "step": "c1"})
    )
    story.episode(
        complete(0, agent_result("chat") | {"text": "".join(WORDS), "step": "c1"}),
        ended("Completed", {"session_id": "s1", "reply": "".join(WORDS), "turns": 1}),
    )
    return story.events


def send_streaming(client: FakeDurableClient, **params: str) -> Reply:
    req = make_request(
        "POST",
        "sessions/s1/messages",
        body={"message": "I am Sam"},
        params=params,
        headers=SSE,
        route={"id": "s1"},
    )
    return call(sessions.session_messages, req, client)


def test_the_words_come_first_then_the_reply(own_stream_store: Path) -> None:
    SqliteStreamStore(own_stream_store).append(
        "turn-1",
        [Chunk("c1", "a1", i, "chat", word, f"2024-05-01T12:00:01.{i:06d}Z") for i, word in enumerate(WORDS)],
    )
    client = TurnClient()
    output = {"session_id": "s1", "reply": "".join(WORDS), "turns": 1}
    client.on_start = {"reads": 1, "status": "Completed", "output": output, "history": turn_history()}
    reply = send_streaming(client)
    assert reply.status == 200 and reply.headers["content-type"] == "text/event-stream"
    frames = parse_sse(reply.text)
    assert [f["event"] for f in frames] == ["token"] * len(WORDS) + ["message"]
    assert "".join(json.loads(f["data"])["detail"]["text"] for f in frames[:-1]) == "".join(WORDS)
    assert json.loads(frames[-1]["data"]) == {
        "sessionId": "s1",
        "runId": "turn-1",
        "reply": "".join(WORDS),
        "turns": 1,
    }


def test_a_turn_that_replied_again_streams_only_its_last_reply(own_stream_store: Path) -> None:
    """Another message of the session was saved first: the first reply (step c0) was discarded."""
    discarded = ["Hello ", "there."]
    chunks = [
        Chunk("c0", "a0", i, "chat", w, f"2024-05-01T12:00:00.{i:06d}Z") for i, w in enumerate(discarded)
    ]
    chunks += [Chunk("c1", "a1", i, "chat", w, f"2024-05-01T12:00:01.{i:06d}Z") for i, w in enumerate(WORDS)]
    SqliteStreamStore(own_stream_store).append("turn-1", chunks)
    story = Story("session").episode(
        schedule("run_agent", {"agent": "chat", "messages": [], "run": "turn-1", "step": "c0"})
    )
    story.episode(
        complete(0, agent_result("chat") | {"text": "".join(discarded), "step": "c0"}),
        schedule("run_agent", {"agent": "chat", "messages": [], "run": "turn-1", "step": "c1"}),
    )
    story.episode(
        complete(1, agent_result("chat") | {"text": "".join(WORDS), "step": "c1"}),
        ended("Completed", {"session_id": "s1", "reply": "".join(WORDS), "turns": 2}),
    )
    client = TurnClient()
    output = {"session_id": "s1", "reply": "".join(WORDS), "turns": 2}
    client.on_start = {"reads": 1, "status": "Completed", "output": output, "history": story.events}

    frames = parse_sse(send_streaming(client).text)

    words = [json.loads(f["data"])["detail"]["text"] for f in frames if f["event"] == "token"]
    assert "".join(words) == "".join(WORDS) == json.loads(frames[-1]["data"])["reply"]


def test_a_turn_still_running_at_the_end_of_the_wait_says_where_to_follow_it() -> None:
    client = TurnClient()
    client.on_start = {"reads": 1, "status": "Running"}
    frames = parse_sse(send_streaming(client, wait="0").text)
    assert [f["event"] for f in frames] == ["pending"]
    pending = json.loads(frames[0]["data"])
    assert pending["runId"] == "turn-1" and pending["after"] == "0"
    assert pending["links"]["events"].endswith("/runs/turn-1/events")
