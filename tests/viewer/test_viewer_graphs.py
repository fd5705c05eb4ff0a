"""A graph's pending input answered in the page, through a form built from its responseSchema."""

from playwright.sync_api import Page, expect

from bench.run_api import ApiClient
from devhost.testing import DevHost
from tests.viewer.conftest import open_run


def test_a_graphs_pending_request_is_answered_with_a_generated_form(
    page: Page, viewer_host: DevHost, api: ApiClient
) -> None:
    run_id = api.start("editor", {"topic": "launch"}).json()["id"]
    [request] = api.wait_for(run_id, step="awaiting_input")["pendingInput"]
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
