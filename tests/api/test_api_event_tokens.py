"""Token events in `GET /runs/{id}/events`: live words between a step's events, resumable exactly.

The stream store is the test's own SQLite file (conftest); histories come in the three forms the
timeline must read alike, including the extension's, which hides a running step's input.
"""

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from api import run_timeline
from streams.records import Chunk
from streams.sqlite_store import SqliteStreamStore, iso
from tests.api.durable_fake import T0, FakeDurableClient
from tests.api.histories import Story, agent_result, complete, ended, fail, schedule
from tests.api.test_api_events import as_form, get_events, parse_sse

FORMS = ["raw", "folded", "folded_keeping_ids"]
WORDS = ["Durable ", "agents ", "write ", "while ", "you ", "watch."]


def agent_step(agent: str, step: str) -> tuple[str, dict[str, Any]]:
    return schedule("run_agent", {"agent": agent, "prompt": "x", "run": "r1", "step": step})


def agent_done(task_id: int, agent: str, step: str) -> tuple[str, dict[str, Any]]:
    return complete(task_id, agent_result(agent) | {"step": step})


def write(
    store_path: Path, step: str, attempt: str, words: list[str], start: int = 0, agent: str = "writer"
) -> None:
    """Chunks stamped just after the story's events (T0 + 1 s), one per word."""
    store = SqliteStreamStore(store_path)
    at = T0 + timedelta(seconds=1)
    store.append(
        "r1",
        [
            Chunk(step, attempt, start + i, agent, word, iso(at + timedelta(milliseconds=start + i)))
            for i, word in enumerate(words)
        ],
    )


def client_for(history: list[dict[str, Any]], status: str = "Running") -> FakeDurableClient:
    client = FakeDurableClient()
    client.add_run("r1", "chain", status=status, history=history)
    return client


def kinds(events: list[dict[str, Any]]) -> list[tuple[str, str]]:
    return [(e["type"], e["detail"].get("text") or e["detail"].get("agent") or "") for e in events]


@pytest.mark.parametrize("form", FORMS)
def test_a_running_step_shows_its_words_after_its_scheduling(form: str, own_stream_store: Path) -> None:
    story = Story("chain").episode(agent_step("writer", "s1"))
    write(own_stream_store, "s1", "a1", WORDS[:2])
    reply = get_events(client_for(as_form(story.events, form)))
    assert kinds(reply.json["events"]) == [
        ("run_started", ""),
        ("step_scheduled", "writer" if form != "folded" else ""),
        ("token", "Durable "),
        ("token", "agents "),
    ]
    token = reply.json["events"][2]
    assert (token["seq"], token["name"], token["detail"]) == (
        None,
        "writer",
        {"step": "s1", "attempt": 1, "text": "Durable "},
    )
    assert reply.json["next"] == reply.json["events"][-1]["id"]


@pytest.mark.parametrize("form", FORMS)
def test_every_word_comes_before_its_step_completes_and_adds_up_to_the_text(
    form: str, own_stream_store: Path
) -> None:
    story = Story("chain").episode(agent_step("writer", "s1"))
    story.episode(agent_done(0, "writer", "s1"), ended("Completed", {}))
    write(own_stream_store, "s1", "a1", WORDS)
    events = get_events(client_for(as_form(story.events, form), "Completed")).json["events"]
    types = [e["type"] for e in events]
    assert types == [
        "run_started",
        "step_scheduled",
        *["token"] * len(WORDS),
        "step_completed",
        "run_completed",
    ]
    assert "".join(e["detail"]["text"] for e in events if e["type"] == "token") == "".join(WORDS)
    assert [e["seq"] for e in events if e["type"] != "token"] == [1, 2, 3, 4]  # today's numbers


@pytest.mark.parametrize("form", FORMS)
def test_resuming_from_any_event_id_neither_repeats_nor_loses_anything(
    form: str, own_stream_store: Path
) -> None:
    story = Story("chain").episode(agent_step("researcher", "s1"))
    story.episode(agent_done(0, "researcher", "s1"), agent_step("writer", "s2"))
    story.episode(agent_done(1, "writer", "s2"), ended("Completed", {}))
    write(own_stream_store, "s1", "a1", WORDS[:3], agent="researcher")
    write(own_stream_store, "s2", "a1", WORDS[3:])
    client = client_for(as_form(story.events, form), "Completed")
    whole = get_events(client).json["events"]
    one_at_a_time, after = [], "0"
    while True:
        page = get_events(client, after=after).json
        if not page["events"]:
            break
        one_at_a_time.append(page["events"][0])  # a reader that drops the connection after each event
        after = page["events"][0]["id"]
    assert one_at_a_time == whole
    assert len({e["id"] for e in whole}) == len(whole)


def test_words_written_after_a_poll_arrive_on_the_next_one_and_then_the_completion(
    own_stream_store: Path,
) -> None:
    running = Story("chain").episode(agent_step("writer", "s1"))
    write(own_stream_store, "s1", "a1", WORDS[:2])
    first = get_events(client_for(as_form(running.events, "folded"))).json
    write(own_stream_store, "s1", "a1", WORDS[2:], start=2)
    running.episode(agent_done(0, "writer", "s1"))
    second = get_events(client_for(as_form(running.events, "folded")), after=first["next"]).json
    assert kinds(second["events"]) == [*(("token", w) for w in WORDS[2:]), ("step_completed", "writer")]


def test_a_retried_step_restarts_its_text_and_says_so(own_stream_store: Path) -> None:
    story = Story("chain").episode(agent_step("writer", "s1"))
    write(own_stream_store, "s1", "a1", ["Half ", "a "])
    first = get_events(client_for(story.events)).json
    write(own_stream_store, "s1", "a2", WORDS[:2])  # the worker died; the host ran the step again
    second = get_events(client_for(story.events), after=first["next"]).json["events"]
    assert [(e["detail"]["attempt"], e["detail"]["text"], e["detail"].get("restarted")) for e in second] == [
        (2, "Durable ", True),
        (2, "agents ", None),
    ]


def test_a_step_that_failed_and_is_retried_streams_only_its_new_attempt(own_stream_store: Path) -> None:
    story = Story("chain").episode(agent_step("writer", "s1"))
    story.episode(fail(0, "Activity function 'run_agent' failed: TransientModelError: 429"))
    story.episode(agent_step("writer", "s1"))
    write(own_stream_store, "s1", "a1", ["Half "])
    write(own_stream_store, "s1", "a2", WORDS[:1])
    events = get_events(client_for(story.events)).json["events"]
    assert [(e["type"], e["detail"].get("text")) for e in events] == [
        ("run_started", None),
        ("step_scheduled", None),
        ("step_failed", None),
        ("step_scheduled", None),
        ("token", "Durable "),
    ]


@pytest.mark.parametrize("form", FORMS)
def test_parallel_steps_interleave_and_each_finishes_its_words_first(
    form: str, own_stream_store: Path
) -> None:
    story = Story("fanout").episode(agent_step("market_analyst", "m"), agent_step("tech_analyst", "t"))
    story.episode(agent_done(1, "tech_analyst", "t"))
    write(own_stream_store, "m", "a1", ["m1 ", "m2 "], agent="market_analyst")
    write(own_stream_store, "t", "a1", ["t1 ", "t2 "], start=0, agent="tech_analyst")
    events = get_events(client_for(as_form(story.events, form))).json["events"]
    completed = next(i for i, e in enumerate(events) if e["type"] == "step_completed")
    assert {e["detail"]["text"] for e in events[:completed] if e["name"] == "tech_analyst"} == {"t1 ", "t2 "}
    assert sorted(e["detail"]["text"] for e in events if e["type"] == "token") == ["m1 ", "m2 ", "t1 ", "t2 "]


def test_tokens_false_leaves_them_out_and_ids_are_the_seq_numbers(own_stream_store: Path) -> None:
    story = Story("chain").episode(agent_step("writer", "s1"))
    write(own_stream_store, "s1", "a1", WORDS)
    events = get_events(client_for(story.events), tokens="false").json["events"]
    assert [(e["id"], e["type"]) for e in events] == [("1", "run_started"), ("2", "step_scheduled")]


def test_event_stream_ids_resume_through_last_event_id(own_stream_store: Path) -> None:
    story = Story("chain").episode(agent_step("writer", "s1"))
    write(own_stream_store, "s1", "a1", WORDS[:3])
    client = client_for(story.events)
    sse = {"Accept": "text/event-stream"}
    frames = parse_sse(get_events(client, headers=sse, wait="0").text)
    tokens = [f for f in frames if f.get("event") == "token"]
    assert [json.loads(f["data"])["detail"]["text"] for f in tokens] == WORDS[:3]
    resumed = parse_sse(get_events(client, headers=sse | {"Last-Event-ID": tokens[0]["id"]}, wait="0").text)
    assert [f["id"] for f in resumed if "id" in f] == [f["id"] for f in tokens[1:]]


@pytest.mark.parametrize("bad", ["3~", "3~bad key.1.1", "3~s1.1", "x~s1.1.1"])
def test_an_id_this_api_never_gave_is_400(bad: str) -> None:
    reply = get_events(client_for([]), after=bad)
    assert reply.status == 400 and "after" in reply.json["error"]["message"]


def test_an_idle_poll_of_a_long_run_reads_the_status_but_not_the_history(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(run_timeline, "SETTLE", timedelta(seconds=2))
    story = Story("chain")
    for step in range(1000):
        story.episode(agent_step("writer", f"k{step}"))
        story.episode(agent_done(2 * step, "writer", f"k{step}"))
    client = client_for(as_form(story.events, "folded"))
    client.runs["r1"].updated = datetime.now(UTC) - timedelta(seconds=10)
    pages = [get_events(client).json]
    while pages[-1]["events"]:
        pages.append(get_events(client, after=pages[-1]["next"]).json)
    assert len([e for page in pages for e in page["events"] if e["type"] == "step_completed"]) == 1000
    reads, history_reads = client.status_reads, client.history_reads
    idle = get_events(client, after=pages[-1]["next"]).json
    assert idle["events"] == []
    assert (client.status_reads - reads, client.history_reads - history_reads) == (1, 0)


def test_words_of_a_step_the_timeline_has_not_seen_yet_wait_for_the_newer_timeline(
    own_stream_store: Path,
) -> None:
    """The store can be ahead of the timeline a reader holds: the writer is already writing while
    that timeline still shows the researcher running. The page must not put the writer's words
    before the researcher's completion (a re-read would order them after): it reads on first."""
    running = Story("chain").episode(agent_step("researcher", "r"))
    newer = Story("chain").episode(agent_step("researcher", "r"))
    newer.episode(agent_done(0, "researcher", "r"), agent_step("writer", "w"))
    write(own_stream_store, "r", "a1", ["notes "], agent="researcher")
    write(own_stream_store, "w", "a1", ["# Title "], agent="writer")
    client = client_for(as_form(running.events, "folded"))
    change = {"history": as_form(newer.events, "folded"), "updated": T0 + timedelta(seconds=5)}
    client.finish_after("r1", 2, **change)  # the reader's first read sees the older timeline

    events = get_events(client).json["events"]

    order = [(e["type"], e["name"]) for e in events]
    completed = next(i for i, (kind, _) in enumerate(order) if kind == "step_completed")
    writer_words = [i for i, e in enumerate(events) if e["type"] == "token" and e["name"] == "writer"]
    assert writer_words and min(writer_words) > completed, order
