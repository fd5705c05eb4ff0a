"""The run list, sessions, the function key, what a model writes, and the page on a phone."""

import re
from collections.abc import Callable
from urllib.parse import parse_qs, urlsplit

from playwright.sync_api import Browser, Page, expect

from bench.run_api import ApiClient
from devhost.testing import DevHost
from tests.viewer.conftest import open_page, ui_url

PAGE_SIZE = 20  # the page's page size (ui/js/runs.js)
TURN_ID = re.compile(r"session-[0-9a-f]{20}-")  # api/session_turns.py
XSS = "<img src=x onerror=window.__xss=1> and <script>window.__xss=2</script>"


def short_id(run_id: str) -> str:
    """What a run row shows of the id (ui/js/runs.js): a session turn's random end, else its start."""
    return run_id[-12:] if TURN_ID.match(run_id) else run_id[:12]


def shown_runs(page: Page, action: Callable[[], object]) -> tuple[list[str], dict]:
    """Run `action`; the runs of the page's own `GET /api/runs`, checked to be the rows shown in that
    order, and what it was asked with."""
    with page.expect_response(lambda reply: urlsplit(reply.url).path == "/api/runs") as answer:
        action()
    body = answer.value.json()
    expect(page.locator(".run .run-id")).to_have_text([short_id(run["id"]) for run in body["runs"]])
    return [run["id"] for run in body["runs"]], {**parse_qs(urlsplit(answer.value.url).query), **body}


def test_runs_are_listed_newest_first_and_filtered(page: Page, viewer_host: DevHost, api: ApiClient) -> None:
    older = api.run_to_end("single", {"question": "first?"})["id"]
    newer = api.run_to_end("chain", {"topic": "second"})["id"]
    # Rows in the order of the page's own read: newest first to the second, and two reads may order
    # runs of one second differently (docs/contracts.md), so a second read is no reference.
    listed, _ = shown_runs(page, lambda: page.goto(ui_url(viewer_host)))
    rows = page.locator(".run")
    expect(rows.filter(has_text=newer[:8])).to_contain_text("chain")
    expect(rows.filter(has_text=newer[:8])).to_contain_text("Completed")
    assert {older, newer} <= set(listed)

    page.get_by_label("Workflow").select_option("single")
    expect(rows.locator(".workflow")).not_to_contain_text(["chain"])
    expect(rows.filter(has_text=older[:8])).to_have_count(1)
    page.get_by_label("Status").select_option("Failed")
    expect(page.get_by_text("No runs yet.")).to_be_visible()


def test_running_rows_refresh_while_the_page_is_open(
    page: Page, viewer_host: DevHost, api: ApiClient
) -> None:
    run_id = api.start("approval", {"topic": "refresh me", "timeout_s": 600}).json()["id"]
    page.goto(ui_url(viewer_host))
    row = page.locator(".run", has_text=run_id[:8])
    expect(row).to_contain_text("awaiting_approval")
    api.http.post(f"/api/runs/{run_id}/approval", json={"approved": False})
    expect(row).to_contain_text("Completed")


def test_model_and_person_text_is_shown_as_text(page: Page, viewer_host: DevHost, api: ApiClient) -> None:
    run_id = api.run_to_end("single", {"question": XSS})["id"]
    page.goto(ui_url(viewer_host, f"#/runs/{run_id}"))
    expect(page.locator(".output")).to_contain_text(XSS)
    page.locator("summary", has_text="Prompt").click()
    expect(page.locator(".step details", has_text="Prompt")).to_contain_text(XSS)
    expect(page.locator(".step").first.locator("details", has_text="Reply")).to_contain_text("<script>")
    assert page.evaluate("window.__xss") is None
    assert page.locator("main img").count() == 0 and page.locator("main script").count() == 0


def test_a_link_with_a_broken_escape_shows_the_apis_refusal(page: Page, viewer_host: DevHost) -> None:
    page.goto(ui_url(viewer_host, "#/runs/%E0%A4%A"))
    expect(page.get_by_role("heading", name="Run %E0%A4%A")).to_be_visible()
    expect(page.locator("#notice")).to_contain_text("run id: may contain only")


def test_a_session_reads_as_a_chat(page: Page, viewer_host: DevHost) -> None:
    page.goto(ui_url(viewer_host, "#/sessions"))
    page.get_by_label("Session id").fill("trip-planning")
    page.get_by_role("button", name="Open").click()
    expect(page.get_by_text("No messages yet.")).to_be_visible()
    page.get_by_label("Message").fill("hello <b>there</b>")
    page.get_by_role("button", name="Send").click()
    chat = page.get_by_role("list", name="Conversation")
    expect(chat.locator(".from-assistant")).to_contain_text('You wrote: "hello <b>there</b>"')
    expect(chat.locator(".from-user")).to_have_text(re.compile("hello <b>there</b>"))


def test_a_session_can_be_deleted_after_confirming(page: Page, viewer_host: DevHost, api: ApiClient) -> None:
    turn = api.http.post("/api/sessions/forget-me/messages", json={"message": "my secret"}).json()
    page.goto(ui_url(viewer_host, "#/sessions/forget-me"))
    expect(page.get_by_role("list", name="Conversation")).to_contain_text("my secret")
    page.get_by_role("button", name="Delete session").click()
    expect(page.get_by_role("alert")).to_contain_text("Delete session forget-me")
    page.get_by_role("button", name="Confirm delete").click()
    expect(page.get_by_role("heading", name="Sessions")).to_be_visible()
    assert api.http.get("/api/sessions/forget-me").status_code == 404
    assert api.http.get(f"/api/runs/{turn['runId']}").status_code == 404


def test_a_session_turn_row_shows_the_end_of_its_id(page: Page, viewer_host: DevHost, api: ApiClient) -> None:
    """Every turn of a session shares the id's start, so the row shows the end that differs."""
    turn = api.http.post("/api/sessions/rows/messages", json={"message": "hi"}).json()["runId"]
    page.goto(ui_url(viewer_host, "#/runs?workflow=session"))
    expect(page.locator(".run .run-id", has_text=turn[-12:])).to_have_attribute("title", turn)


def test_the_function_key_goes_in_a_header_never_in_a_url(browser: Browser, viewer_host: DevHost) -> None:
    page, problems = open_page(browser)
    seen: list[tuple[str, str | None]] = []
    page.on("request", lambda r: seen.append((r.url, r.headers.get("x-functions-key"))))
    page.goto(ui_url(viewer_host, "#/key"))
    page.get_by_label("Function key").fill("s3cret-key")
    page.get_by_role("button", name="Save key").click()
    page.get_by_role("link", name="Runs").click()
    expect(page.get_by_role("heading", name="Runs")).to_be_visible()
    api_calls = [(url, key) for url, key in seen if "/api/runs" in url]
    assert api_calls and all(key == "s3cret-key" for _, key in api_calls)
    assert not any("s3cret-key" in url for url, _ in seen)
    assert page.evaluate("sessionStorage.getItem('functionKey')") == "s3cret-key"
    assert page.evaluate("localStorage.length") == 0
    page.context.close()
    assert problems.errors == []


def test_every_view_fits_a_375_px_phone(
    browser: Browser, viewer_host: DevHost, api: ApiClient, screenshots
) -> None:
    run_id = api.run_to_end("tools", {"question": "What is 17*23? Then open a ticket about it."})["id"]
    page, problems = open_page(browser, width=375)
    for name, route in [
        ("list", ""),
        ("run", f"#/runs/{run_id}"),
        ("start", "#/start/fanout"),
        ("sessions", "#/sessions/trip-planning"),
        ("key", "#/key"),
    ]:
        page.goto(ui_url(viewer_host, route))
        expect(page.locator("main h1")).to_be_visible()
        if name == "run":
            expect(page.locator(".step")).to_have_count(4)
            page.evaluate("document.querySelectorAll('details').forEach((d) => { d.open = true; })")
        page.screenshot(path=str(screenshots / f"375-{name}.png"), full_page=True)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 375, f"{name} view is {width} px wide at 375 px"
    page.context.close()
    assert problems.errors == []


def test_older_runs_are_paged_with_the_apis_cursor(page: Page, viewer_host: DevHost, api: ApiClient) -> None:
    for number in range(PAGE_SIZE + 1):
        api.run_to_end("single", {"question": f"question {number}"})
    first, asked_first = shown_runs(page, lambda: page.goto(ui_url(viewer_host)))
    assert len(first) == PAGE_SIZE and asked_first["next"] and "cursor" not in asked_first
    older, asked_older = shown_runs(page, page.get_by_role("button", name="Older runs").click)
    assert asked_older["cursor"] == [asked_first["next"]]  # the API's `next`, passed back unchanged
    assert older and not set(older) & set(first)
    newest, asked_newest = shown_runs(page, page.get_by_role("button", name="Newer runs").click)
    assert "cursor" not in asked_newest and len(newest) == PAGE_SIZE
    expect(page.get_by_role("button", name="Newer runs")).to_be_disabled()
