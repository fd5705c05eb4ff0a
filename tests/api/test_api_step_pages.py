"""`GET /runs/{id}/steps` a page at a time: `after` and `limit`, `next` and `total`, as a viewer of a
long-running loop reads it (the newest steps first, then only what is new)."""

from typing import Any

import pytest

from api import run_steps
from tests.api.api_calls import assert_documented, assert_error, call, make_request
from tests.api.durable_fake import FakeDurableClient
from tests.api.histories import Story, agent_result, complete, ended, schedule
from tests.api.test_api_events import as_form
from tests.api.test_api_steps import FORMS, tool_loop_story


def get_page(history: list, status: str = "Completed", **params: str) -> dict[str, Any]:
    client = FakeDurableClient()
    client.add_run("r1", "chain", status=status, history=history)
    reply = call(
        run_steps.run_steps, make_request("GET", "runs/r1/steps", params=params, route={"id": "r1"}), client
    )
    assert reply.status == 200, reply.json
    assert_documented(reply.json, "StepList")
    body: dict[str, Any] = reply.json
    return body


def loop_story(steps: int, running_last: bool = False) -> Story:
    """A loop of `steps` agent calls, the last one still running when `running_last`."""
    story = Story("chain")
    story.episode(schedule("run_agent", {"agent": "writer", "prompt": "lap 1"}))
    for lap in range(1, steps):
        story.episode(complete(lap - 1, agent_result("writer")), schedule("run_agent", {"agent": "writer"}))
    if not running_last:
        story.episode(complete(steps - 1, agent_result("writer")), ended("Completed", {}))
    return story


def every_page(history: list, **params: str) -> list[dict[str, Any]]:
    """Follow `next` from the start; each page must say the same `total`."""
    pages = [get_page(history, **params)]
    while pages[-1]["next"] is not None:
        pages.append(get_page(history, after=str(pages[-1]["next"]), **params))
    assert {page["total"] for page in pages} == {pages[0]["total"]}
    return pages


def test_a_long_run_comes_a_bounded_page_at_a_time_and_following_next_reads_every_step_once() -> None:
    history = as_form(loop_story(250).events, "folded")
    first = get_page(history)
    assert (len(first["steps"]), first["total"], first["next"]) == (run_steps.DEFAULT_LIMIT, 250, 100)
    pages = every_page(history)
    assert [len(page["steps"]) for page in pages] == [100, 100, 50]
    assert [step["seq"] for page in pages for step in page["steps"]] == list(range(1, 251))
    assert pages[-1]["next"] is None


def test_the_newest_steps_are_one_page_away_using_total() -> None:
    history = as_form(loop_story(250).events, "folded")
    total = get_page(history, limit="1")["total"]
    newest = get_page(history, after=str(total - 20), limit="20")
    assert [step["seq"] for step in newest["steps"]] == list(range(231, 251))
    assert newest["next"] is None


def test_a_viewer_asking_after_its_newest_step_gets_only_what_changed() -> None:
    """From the step still running on: that step again (now ended) and the steps after it."""
    running = as_form(loop_story(30, running_last=True).events, "folded")
    before = get_page(running, status="Running", after="29")
    assert [(s["seq"], s["status"]) for s in before["steps"]] == [(30, "running")]
    assert (before["total"], before["next"]) == (30, None)
    later = as_form(loop_story(32).events, "folded")
    after = get_page(later, after="29")
    assert [(s["seq"], s["status"]) for s in after["steps"]] == [(n, "completed") for n in (30, 31, 32)]
    assert get_page(later, after="32")["steps"] == []


@pytest.mark.parametrize("form", FORMS)
def test_pages_of_one_step_show_what_one_page_shows_tool_arguments_and_results_included(form: str) -> None:
    """A tool step's arguments come from the agent step before it and an agent's tool calls show the
    tool step's result: a page boundary between them changes nothing."""
    history = as_form(tool_loop_story().events, form)
    whole = get_page(history)["steps"]
    paged = [step for page in every_page(history, limit="1") for step in page["steps"]]
    assert paged == whole
    assert paged[0]["tool_calls"][0]["result"] == {"value": 4}
    assert paged[1]["arguments"] == {"expression": "2+2"}


@pytest.mark.parametrize(
    ("params", "name"),
    [
        ({"limit": "0"}, "limit"),
        ({"limit": str(run_steps.MAX_LIMIT + 1)}, "limit"),
        ({"limit": "ten"}, "limit"),
        ({"after": "-1"}, "after"),
        ({"after": "1.5"}, "after"),
    ],
)
def test_bad_page_values_are_400_naming_the_parameter(params: dict[str, str], name: str) -> None:
    client = FakeDurableClient()
    client.add_run("r1", "chain", status="Completed", history=[])
    reply = call(
        run_steps.run_steps, make_request("GET", "runs/r1/steps", params=params, route={"id": "r1"}), client
    )
    assert_error(reply, 400, "invalid_parameter", name)
