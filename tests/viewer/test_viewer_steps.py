"""A long run in the viewer: its newest steps first, earlier ones a page at a time, new ones appended
while it runs, and each refresh reading only the steps that can have changed."""

import json
import re
from typing import Any

from playwright.sync_api import Page, Response, expect

from bench.run_api import ApiClient
from devhost.testing import DevHost
from tests.viewer.conftest import open_run, ui_url

LAPS = 50  # countdown's largest: one step a lap
SHOWN = 20  # ui/js/step_pages.js: steps shown on opening and added by each "Show earlier steps"


class StepReplies:
    """Every `GET /runs/{id}/steps` reply the page received."""

    def __init__(self, page: Page) -> None:
        self.replies: list[dict[str, Any]] = []
        page.on("response", self._response)

    def _response(self, response: Response) -> None:
        if re.search(r"/api/runs/[^/]+/steps\?", response.url) and response.ok:
            self.replies.append(json.loads(response.body()))

    def steps_received(self) -> int:
        return sum(len(reply["steps"]) for reply in self.replies)


def shown_seqs(page: Page) -> list[int]:
    return [int(seq) for seq in page.locator(".step").evaluate_all("items => items.map(i => i.dataset.seq)")]


def show_every_step(page: Page) -> None:
    earlier = page.get_by_role("button", name=re.compile("Show earlier steps"))
    while earlier.is_visible():
        count = page.locator(".step").count()
        earlier.click()
        expect(page.locator(".step")).not_to_have_count(count)


def test_a_long_run_opens_on_its_newest_steps_and_shows_earlier_ones_a_page_at_a_time(
    page: Page, viewer_host: DevHost, api: ApiClient
) -> None:
    run_id = api.start("countdown", {"laps": LAPS}).json()["id"]
    api.wait_for(run_id, status="Completed")
    replies = StepReplies(page)
    open_run(page, viewer_host, run_id)

    expect(page.locator(".step")).to_have_count(SHOWN)
    assert shown_seqs(page) == list(range(LAPS - SHOWN + 1, LAPS + 1))
    earlier = page.get_by_role("button", name="Show earlier steps")
    expect(earlier).to_have_text(f"Show earlier steps ({LAPS - SHOWN} not shown)")
    earlier.click()
    expect(page.locator(".step")).to_have_count(2 * SHOWN)
    expect(earlier).to_have_text(f"Show earlier steps ({LAPS - 2 * SHOWN} not shown)")
    earlier.focus()  # the button stays where it was, for the next page
    earlier.press("Enter")
    expect(page.locator(".step")).to_have_count(LAPS)
    expect(earlier).to_be_hidden()
    assert shown_seqs(page) == list(range(1, LAPS + 1))
    expect(page.locator(".step").first.get_by_role("heading")).to_contain_text("1. activity run_graph_step")

    assert all(len(reply["steps"]) <= 100 for reply in replies.replies)
    # Opening: a first page that says how many there are, then the newest; then the earlier pages.
    assert replies.steps_received() <= SHOWN + SHOWN + (LAPS - SHOWN)


def test_a_long_run_watched_from_its_start_appends_every_step_once_and_ends_completed(
    page: Page, viewer_host: DevHost
) -> None:
    page.goto(ui_url(viewer_host, "#/start"))
    page.get_by_label("Workflow").select_option("countdown")
    page.get_by_label("laps").fill(str(LAPS))
    replies = StepReplies(page)
    page.get_by_role("button", name="Start").click()

    expect(page).to_have_url(re.compile(r"#/runs/[0-9a-f]{8,}"))
    expect(page.locator(".run-status")).to_have_text("Completed")
    expect(page.get_by_role("list", name="Timeline")).to_contain_text("Run completed")
    expect(page.locator(".step").last).to_have_attribute("data-seq", str(LAPS))
    show_every_step(page)

    assert shown_seqs(page) == list(range(1, LAPS + 1))
    expect(page.locator(".step .badge.step-completed")).to_have_count(LAPS)
    expect(page.locator(".step .badge.step-running")).to_have_count(0)
    # Each refresh asked from its newest step (or its oldest running one) on, never from the start.
    starts = [reply["steps"][0]["seq"] for reply in replies.replies if reply["steps"]]
    assert replies.steps_received() <= 3 * LAPS, starts
