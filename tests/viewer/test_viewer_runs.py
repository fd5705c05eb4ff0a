"""The run viewer as a person uses it: watch a run live, read its steps, approve, start from the form."""

import re

import pytest
from playwright.sync_api import Browser, Page, Route, expect

from api.catalog import WORKFLOWS
from bench.run_api import ApiClient
from devhost.testing import DevHost
from tests.support.principal import principal_headers
from tests.viewer.conftest import open_page, open_run, start_host, ui_url


def test_a_chain_run_is_watched_live_to_completed_with_its_steps_readable(
    page: Page, viewer_host: DevHost, api: ApiClient
) -> None:
    run_id = api.start("chain", {"topic": "sea otters"}).json()["id"]
    open_run(page, viewer_host, run_id)
    page.evaluate("window.__sameDocument = true")  # gone if the page reloaded

    expect(page.locator(".run-status")).to_have_text("Completed")
    timeline = page.get_by_role("list", name="Timeline")
    expect(timeline).to_contain_text("Run completed")
    for agent in ("researcher", "writer", "reviewer"):
        expect(timeline).to_contain_text(agent)
    assert page.evaluate("window.__sameDocument") is True

    steps = page.locator(".step")
    expect(steps).to_have_count(3)
    first = steps.nth(0)
    expect(page.locator(".summary .progress")).to_have_text("done · 3 of 3")  # a real total: a bar
    expect(page.locator(".summary progress")).to_have_attribute("value", "3")
    expect(first.get_by_role("heading")).to_contain_text("researcher")
    expect(first).to_contain_text("tokens")
    first.locator("summary", has_text="Prompt").click()
    expect(first.locator("details", has_text="Prompt").locator("pre")).to_have_text("Topic: sea otters")
    reply = first.locator("details", has_text="Reply").locator("pre")
    expect(reply).to_contain_text('Research notes on "sea otters"')
    expect(page.locator(".output")).to_contain_text("sea otters")
    expect(page.get_by_role("button", name="Terminate")).to_have_count(0)


def test_approve_with_a_comment_using_the_keyboard(page: Page, viewer_host: DevHost, api: ApiClient) -> None:
    run_id = api.start("approval", {"topic": "launch plan", "timeout_s": 600}).json()["id"]
    open_run(page, viewer_host, run_id)
    comment = page.get_by_label("Comment")
    expect(comment).to_be_visible()
    expect(page.get_by_role("button", name="Reject")).to_be_visible()

    comment.focus()
    page.keyboard.type("ship it")
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Approve")).to_be_focused()
    page.keyboard.press("Enter")

    expect(page.locator(".decision-made")).to_have_text("Approved: “ship it”")
    expect(page.locator(".run-status")).to_have_text("Completed")
    expect(page.get_by_role("button", name="Approve")).to_have_count(0)
    assert api.run(run_id)["output"]["comment"] == "ship it"


def approval_posts(page: Page) -> list[str]:
    """The decisions the page sends, as they leave it."""
    sent: list[str] = []
    page.on(
        "request",
        lambda r: sent.append(r.url) if r.method == "POST" and r.url.endswith("/approval") else None,
    )
    return sent


def test_approve_then_reject_at_once_sends_one_decision(
    page: Page, viewer_host: DevHost, api: ApiClient
) -> None:
    run_id = api.start("approval", {"topic": "double click", "timeout_s": 600}).json()["id"]
    sent = approval_posts(page)
    open_run(page, viewer_host, run_id)
    panel = page.locator("section", has_text="Waiting for your decision")
    expect(panel.get_by_role("button", name="Reject")).to_be_visible()

    # Read in the same task as the clicks: the reply can come (and the panel go) right after them.
    disabled = page.evaluate(
        """() => {
          const [approve, reject] = ["Approve", "Reject"].map((name) =>
            [...document.querySelectorAll(".decision button")].find((b) => b.textContent === name));
          const comment = document.querySelector(".decision textarea");
          approve.click();
          reject.click();  // the same moment: the form is already disabled
          return { reject: reject.matches(":disabled"), comment: comment.matches(":disabled") };
        }"""
    )
    assert disabled == {"reject": True, "comment": True}
    expect(page.locator(".decision-made")).to_have_text("Approved")
    expect(page.locator(".run-status")).to_have_text("Completed")
    assert len(sent) == 1, sent
    assert api.run(run_id)["output"]["decision"] == "approved"


def test_a_decision_someone_else_took_first_shows_the_apis_409(
    page: Page, viewer_host: DevHost, api: ApiClient
) -> None:
    run_id = api.start("approval", {"topic": "two people", "timeout_s": 600}).json()["id"]
    api.wait_for(run_id, step="awaiting_approval")

    def someone_else_first(route: Route) -> None:  # another person approves while this one rejects
        assert api.http.post(f"/api/runs/{run_id}/approval", json={"approved": True}).status_code == 202
        route.continue_()

    page.route(f"**/api/runs/{run_id}/approval", someone_else_first)
    open_run(page, viewer_host, run_id)
    page.get_by_role("button", name="Reject").click()

    expect(page.get_by_role("alert")).to_contain_text(
        re.compile(f"run '{run_id}' (took another decision|is not waiting for approval)")
    )
    expect(page.locator(".run-status")).to_have_text("Completed")
    expect(page.locator(".decision-made")).to_have_text("Approved")
    expect(page.get_by_role("button", name="Reject")).to_have_count(0)


def test_a_run_started_from_the_form_opens_its_page(page: Page, viewer_host: DevHost) -> None:
    page.goto(ui_url(viewer_host, "#/start"))
    page.get_by_label("Workflow").select_option("single")
    page.get_by_label("question").fill("How do durable timers work?")
    page.get_by_role("button", name="Start").click()

    expect(page).to_have_url(re.compile(r"#/runs/[0-9a-f]{8,}"))
    expect(page.locator(".run-status")).to_have_text("Completed")
    expect(page.locator(".output")).to_contain_text('"answer"')
    page.locator("summary", has_text="Prompt").click()
    expect(page.locator(".step details", has_text="Prompt")).to_contain_text("How do durable timers work?")


def test_every_startable_workflow_gets_one_labelled_control_per_input_field(
    page: Page, viewer_host: DevHost
) -> None:
    page.goto(ui_url(viewer_host, "#/start"))
    picker = page.get_by_label("Workflow")
    startable = [w for w in WORKFLOWS.values() if w.started_by_runs_api]
    expect(picker.locator("option")).to_have_text([w.name for w in startable])
    for workflow in startable:
        picker.select_option(workflow.name)
        for field in workflow.input_model.model_json_schema()["properties"]:
            control = page.get_by_label(field, exact=True)
            if control.count() == 0:  # a list of fixed choices is a group named by its legend
                control = page.get_by_role("group", name=field)
            expect(control).to_have_count(1)


def test_a_failed_start_shows_the_api_message(page: Page, viewer_host: DevHost) -> None:
    page.goto(ui_url(viewer_host, "#/start/critic"))
    page.get_by_label("topic").fill("x")
    page.get_by_label("max_rounds").fill("99")
    page.get_by_label("max_rounds").evaluate("node => node.removeAttribute('max')")  # let the API judge it
    page.get_by_role("button", name="Start").click()
    expect(page.get_by_role("alert")).to_contain_text("max_rounds")


def test_terminate_a_running_run_then_delete_it_after_confirming(
    page: Page, viewer_host: DevHost, api: ApiClient
) -> None:
    run_id = api.start("approval", {"topic": "to be stopped", "timeout_s": 600}).json()["id"]
    open_run(page, viewer_host, run_id)
    page.get_by_role("button", name="Terminate").click()
    expect(page.locator(".run-status")).to_have_text("Terminated")

    page.get_by_role("button", name="Delete").click()
    expect(page.get_by_role("alert")).to_contain_text(f"Delete run {run_id}")
    page.get_by_role("button", name="Cancel").click()
    assert api.http.get(f"/api/runs/{run_id}").status_code == 200
    page.get_by_role("button", name="Delete").click()
    page.get_by_role("button", name="Confirm delete").click()

    expect(page).to_have_url(re.compile(r"#/runs$"))
    assert api.http.get(f"/api/runs/{run_id}").status_code == 404


def test_with_entra_id_on_only_an_approver_decides_and_is_named(
    browser: Browser, tmp_path_factory: pytest.TempPathFactory
) -> None:
    host = start_host(tmp_path_factory.mktemp("entra"), WEBSITE_AUTH_ENABLED="True")
    try:
        run_id = ApiClient(host.http).start("approval", {"topic": "roles", "timeout_s": 600}).json()["id"]
        reader, reader_problems = open_page(browser, extra_http_headers=principal_headers("eve@contoso.com"))
        open_run(reader, host, run_id)
        reader.get_by_role("button", name="Approve").click()
        expect(reader.get_by_role("alert")).to_contain_text(
            "'eve@contoso.com' lacks the app role Runs.Approver"
        )

        approver_headers = principal_headers("ann@contoso.com", "Runs.Approver")
        approver, approver_problems = open_page(browser, extra_http_headers=approver_headers)
        open_run(approver, host, run_id)
        approver.get_by_label("Comment").fill("fine by me")
        approver.get_by_role("button", name="Approve").click()
        expect(approver.locator(".decision-made")).to_have_text("Approved by ann@contoso.com: “fine by me”")
        expect(approver.locator(".run-status")).to_have_text("Completed")
        assert reader_problems.errors == [] and approver_problems.errors == []
        reader.context.close()
        approver.context.close()
    finally:
        host.close()


def test_the_timeline_resumes_after_a_dropped_connection_without_repeats(
    page: Page, viewer_host: DevHost, api: ApiClient
) -> None:
    run_id = api.start("approval", {"topic": "flaky network", "timeout_s": 600}).json()["id"]
    api.wait_for(run_id, step="awaiting_approval")
    sent: list[str | None] = []

    def drop_the_second(route: Route) -> None:
        sent.append(route.request.headers.get("last-event-id"))
        if len(sent) == 2:
            route.abort("connectionreset")
        else:
            route.continue_()

    page.route("**/events?*", drop_the_second)
    open_run(page, viewer_host, run_id)
    expect(page.get_by_role("button", name="Approve")).to_be_visible()
    page.wait_for_function("document.querySelectorAll('.timeline [data-seq]').length > 0")
    api.http.post(f"/api/runs/{run_id}/approval", json={"approved": True, "comment": "resumed"})

    expect(page.get_by_role("list", name="Timeline")).to_contain_text("Run completed")
    assert len(sent) >= 3 and sent[1] and sent[2] == sent[1], sent  # same resume point after the drop
    seqs = [
        int(s) for s in page.locator(".timeline [data-seq]").evaluate_all("n => n.map(e => e.dataset.seq)")
    ]
    steps = [event for event in api.events(run_id)["events"] if event["type"] != "token"]  # words: no row
    assert seqs == list(range(1, len(steps) + 1))
