"""A graph in the page: its pending input answered through a form built from its responseSchema, and
its progress shown as supersteps (a graph's `of` is a limit, not a total)."""

import json
from typing import Any

import jsonschema
from playwright.sync_api import Page, Route, expect

from bench.run_api import ApiClient
from devhost.testing import DevHost
from tests.viewer.conftest import open_run, ui_url

# Every kind of control the generated form renders, and what it must send for each (issue: a required
# checkbox blocked "false", a select sent numbers as strings, an empty nullable field sent nothing).
EVERY_KIND = {
    "type": "object",
    "properties": {
        "approved": {"type": "boolean", "description": "Publish?"},
        "score": {"type": "integer", "minimum": 0, "maximum": 10},
        "ratio": {"type": "number"},
        "level": {"type": "integer", "enum": [1, 2, 3]},
        "tone": {"type": "string", "enum": ["calm", "loud"], "default": "calm"},
        "mode": {"enum": ["a", "b"]},
        "due": {"anyOf": [{"type": "integer"}, {"type": "null"}]},
        "note": {"anyOf": [{"type": "string"}, {"type": "null"}], "default": None},
        "tags": {"type": "array", "items": {"type": "string"}},
        "meta": {"type": "object", "properties": {"k": {"type": "integer"}}},
        "flags": {"type": "array", "items": {"enum": ["x", "y"]}},
    },
    "required": ["approved", "score", "level", "due", "tags", "flags"],
}


def waiting_editor(api: ApiClient) -> tuple[str, dict[str, Any]]:
    run_id = api.start("editor", {"topic": "launch"}).json()["id"]
    [request] = api.wait_for(run_id, step="awaiting_input")["pendingInput"]
    return run_id, request


def test_a_graphs_pending_request_is_answered_with_a_generated_form(
    page: Page, viewer_host: DevHost, api: ApiClient
) -> None:
    run_id, request = waiting_editor(api)
    open_run(page, viewer_host, run_id)

    panel = page.locator("section", has_text="Waiting for your input")
    expect(panel.get_by_role("heading")).to_contain_text(f"{request['executor']} asks for EditorDecision")
    expect(panel).to_contain_text(request["data"]["draft"].splitlines()[0])
    panel.get_by_label("approved").check()
    panel.get_by_label("comment").fill("good to go")
    panel.get_by_role("button", name="Send answer").click()

    expect(page.locator(".decision-made")).to_contain_text("Answered")
    expect(page.locator(".run-status")).to_have_text("Completed")
    expect(page.locator(".output")).to_contain_text('"decision": "approved"')
    expect(page.locator("section", has_text="Waiting for your input")).to_have_count(0)


def test_a_graphs_pending_request_is_rejected_by_leaving_the_box_unticked(
    page: Page, viewer_host: DevHost, api: ApiClient
) -> None:
    run_id, _ = waiting_editor(api)
    open_run(page, viewer_host, run_id)
    panel = page.locator("section", has_text="Waiting for your input")
    expect(panel.get_by_label("approved")).not_to_be_checked()
    panel.get_by_label("comment").fill("not yet")
    panel.get_by_role("button", name="Send answer").click()

    expect(page.locator(".run-status")).to_have_text("Completed")
    assert api.run(run_id)["output"]["outputs"][0]["decision"] == "rejected"
    expect(page.locator(".decision-made")).to_contain_text('"approved": false')


def test_every_kind_of_field_sends_a_value_of_its_schema_type(
    page: Page, viewer_host: DevHost, api: ApiClient
) -> None:
    run_id, request = waiting_editor(api)

    def richer_schema(route: Route) -> None:  # the real run, asking for every kind of field
        doc = route.fetch().json()
        for pending in (doc["pendingInput"], doc["progress"]["pendingInput"]):
            pending[0]["responseSchema"] = EVERY_KIND
        route.fulfill(json=doc)

    sent: list[Any] = []

    def capture(route: Route) -> None:  # the answer is kept here, never raised on the real run
        sent.append(route.request.post_data_json)
        route.fulfill(status=202, json={"id": run_id})

    page.route(f"**/api/runs/{run_id}", richer_schema)
    page.route(f"**/api/runs/{run_id}/input", capture)
    open_run(page, viewer_host, run_id)
    panel = page.locator("section", has_text="Waiting for your input")
    send = panel.get_by_role("button", name="Send answer")

    send.click()  # a required number left empty is the browser's to refuse, with its own message
    assert panel.get_by_label("score").evaluate("node => node.validity.valueMissing") is True
    assert sent == []

    panel.get_by_label("score").fill("7")
    panel.get_by_label("ratio").fill("0.5")
    panel.get_by_label("level").select_option(label="2")
    panel.get_by_label("tags").fill('["a", "b"]')
    panel.get_by_label("meta").fill('{"k": 1}')
    send.click()

    for _ in range(100):  # the route handler runs on this thread, between Playwright's calls
        if sent:
            break
        page.wait_for_timeout(50)
    assert len(sent) == 1, sent
    body = sent[0]
    assert body["requestId"] == request["requestId"]
    answer = body["response"]
    jsonschema.validate(answer, EVERY_KIND)
    assert answer == {
        "approved": False,
        "score": 7,
        "ratio": 0.5,
        "level": 2,
        "tone": "calm",
        "due": None,
        "tags": ["a", "b"],
        "meta": {"k": 1},
        "flags": [],
    }, json.dumps(answer)


def test_a_refused_answer_shows_the_api_message_without_breaking_the_layout(
    page: Page, viewer_host: DevHost, api: ApiClient
) -> None:
    run_id, _ = waiting_editor(api)
    open_run(page, viewer_host, run_id)
    panel = page.locator("section", has_text="Waiting for your input")
    panel.get_by_label("approved").check()
    comment = panel.get_by_label("comment")
    comment.evaluate("node => node.removeAttribute('maxlength')")  # let the API judge it
    comment.fill("x" * 4001)
    panel.get_by_role("button", name="Send answer").click()

    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("response.comment")
    box = alert.bounding_box()
    assert box is not None and box["height"] < 300, box
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    expect(panel.get_by_role("button", name="Send answer")).to_be_enabled()  # free to correct and resend
    assert api.run(run_id)["progress"]["step"] == "awaiting_input"


def test_a_graphs_progress_counts_supersteps_not_a_percentage_of_its_limit(
    page: Page, viewer_host: DevHost, api: ApiClient
) -> None:
    waiting_id, _ = waiting_editor(api)
    open_run(page, viewer_host, waiting_id)
    progress = page.locator(".summary .progress")
    expect(progress).to_have_text("awaiting_input · superstep 2 (limit 100)")
    expect(progress.locator("progress")).to_have_count(0)

    done = api.run_to_end("countdown", {"laps": 5})
    supersteps = done["progress"]["superstep"]
    assert supersteps < done["progress"]["of"]
    open_run(page, viewer_host, done["id"])
    expect(progress).to_have_text(f"done · {supersteps} supersteps")
    expect(progress.locator("progress")).to_have_count(0)

    page.goto(ui_url(viewer_host, "#/runs"))
    row = page.locator(".run").filter(has_text=done["id"][:12])
    expect(row.locator(".progress")).to_have_text(f"done · {supersteps} supersteps")
