"""`GET /runs/{id}/events` a page at a time: a long run's first read is bounded by `limit`, and `done`
(SSE: `event: end`) waits for the page that holds the run's last event."""

from pathlib import Path
from typing import Any

import pytest

from api import events
from tests.api.api_calls import assert_documented, assert_error
from tests.api.histories import Story, ended
from tests.api.test_api_event_tokens import WORDS, agent_done, agent_step, client_for, write
from tests.api.test_api_events import as_form, get_events, parse_sse

STEPS = 300  # 602 events: run_started, 300 × (scheduled, completed), run_completed


def long_run(steps: int = STEPS) -> Story:
    story = Story("chain")
    for step in range(steps):
        story.episode(agent_step("writer", f"k{step}"))
        story.episode(agent_done(step, "writer", f"k{step}"))
    story.episode(ended("Completed", {}))
    return story


def every_page(client: Any, **params: str) -> list[dict[str, Any]]:
    pages = [get_events(client, **params).json]
    while not pages[-1]["done"]:
        pages.append(get_events(client, after=pages[-1]["next"], **params).json)
    return pages


def test_a_long_runs_first_read_is_one_bounded_page_not_the_whole_timeline() -> None:
    client = client_for(as_form(long_run().events, "folded"), "Completed")
    first = get_events(client).json
    assert_documented(first, "EventPage")
    assert len(first["events"]) == events.DEFAULT_LIMIT
    assert first["done"] is False  # the run has ended, but this reader has more to read
    assert first["next"] == first["events"][-1]["id"]
    pages = every_page(client)
    seqs = [e["seq"] for page in pages for e in page["events"]]
    assert seqs == list(range(1, 2 * STEPS + 3))
    assert [len(page["events"]) for page in pages] == [500, 102]
    assert pages[-1]["events"][-1]["type"] == "run_completed"


def test_an_event_stream_ends_only_in_the_batch_with_the_last_event() -> None:
    client = client_for(as_form(long_run().events, "folded"), "Completed")
    sse = {"Accept": "text/event-stream"}
    first = parse_sse(get_events(client, headers=sse, wait="0").text)
    assert [f.get("event") for f in first if "event" in f][-1] == "step_scheduled"
    assert not any(f.get("event") == "end" for f in first)
    resumed = get_events(client, headers=sse | {"Last-Event-ID": first[-1]["id"]}, wait="0")
    frames = parse_sse(resumed.text)
    assert frames[-1]["event"] == "end" and frames[-2]["event"] == "run_completed"
    assert len([f for f in first + frames if "id" in f]) == 2 * STEPS + 2


@pytest.mark.parametrize("form", ["raw", "folded"])
def test_a_page_cut_among_a_steps_words_resumes_with_the_next_word(form: str, own_stream_store: Path) -> None:
    story = Story("chain").episode(agent_step("writer", "s1"))
    story.episode(agent_done(0, "writer", "s1"), ended("Completed", {}))
    write(own_stream_store, "s1", "a1", WORDS)
    client = client_for(as_form(story.events, form), "Completed")
    whole = get_events(client).json["events"]
    paged = [e for page in every_page(client, limit="3") for e in page["events"]]
    assert paged == whole
    assert "".join(e["detail"]["text"] for e in paged if e["type"] == "token") == "".join(WORDS)


@pytest.mark.parametrize("limit", ["0", str(events.MAX_LIMIT + 1), "all"])
def test_a_bad_limit_is_400(limit: str) -> None:
    assert_error(get_events(client_for([]), limit=limit), 400, "invalid_parameter", "limit")
