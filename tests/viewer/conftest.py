"""The run viewer in a real headless browser against the template on the embedded host."""

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Error, Page, Response, expect, sync_playwright

from bench.run_api import ApiClient
from bench.template_host import PROJECT_ROOT, template_env
from devhost.testing import DevHost
from tests.viewer.browser import LAUNCH_ARGS, chromium_path

# A little model latency so a run is still going while the page watches it.
MODEL_DELAY_MS = "150"


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Chromium for one test module: Playwright's sync API keeps an event loop running in this thread
    while it is open, which would break later tests that call `asyncio.run`."""
    executable = chromium_path()
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=LAUNCH_ARGS, headless=True)
        yield launched
        launched.close()


@pytest.fixture(scope="session")
def screenshots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where the tests leave screenshots: a temporary folder (or $VIEWER_SCREENSHOTS), never the tree."""
    chosen = os.environ.get("VIEWER_SCREENSHOTS")
    folder = Path(chosen) if chosen else tmp_path_factory.mktemp("viewer-screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def start_host(tmp: Path, **settings: str) -> DevHost:
    env = template_env(tmp, OFFLINE_MODEL_DELAY_MS=MODEL_DELAY_MS, TASKHUB_NAME="viewerhub", **settings)
    return DevHost(PROJECT_ROOT, tmp / "state.db", env=env).launch()


@pytest.fixture(scope="module")
def viewer_host(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DevHost]:
    host = start_host(tmp_path_factory.mktemp("viewer"))
    yield host
    host.close()


@pytest.fixture(scope="module")
def api(viewer_host: DevHost) -> ApiClient:
    return ApiClient(viewer_host.http)


class PageProblems:
    """Uncaught exceptions, console errors and assets that failed to load; a test ends with none.

    API refusals (a 404 for a session not started yet, a 422 for a bad form) are answers the page
    handles and the tests check; Chromium logs each as "Failed to load resource", so those console
    lines are not counted, while a page asset that fails to load is.
    """

    def __init__(self, page: Page) -> None:
        self.errors: list[str] = []
        page.on("pageerror", self._page_error)
        page.on("console", self._console)
        page.on("response", self._response)

    def _page_error(self, error: Error) -> None:
        self.errors.append(f"page error: {error.message}")

    def _console(self, message: ConsoleMessage) -> None:
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            self.errors.append(f"console error: {message.text}")

    def _response(self, response: Response) -> None:
        if "/api/ui/" in response.url and response.status >= 400:
            self.errors.append(f"asset {response.url}: HTTP {response.status}")


def open_page(browser: Browser, width: int = 1200, **context: object) -> tuple[Page, PageProblems]:
    page = browser.new_context(viewport={"width": width, "height": 900}, **context).new_page()  # type: ignore[arg-type]
    page.set_default_timeout(30_000)
    return page, PageProblems(page)


@pytest.fixture
def page(browser: Browser, screenshots: Path, request: pytest.FixtureRequest) -> Iterator[Page]:
    """A fresh browser tab; a screenshot of its last state is kept, and it must end without errors."""
    tab, problems = open_page(browser)
    yield tab
    tab.screenshot(path=str(screenshots / f"{request.node.name}.png"), full_page=True)
    tab.context.close()
    assert problems.errors == []


def ui_url(host: DevHost, route: str = "") -> str:
    return f"{host.base_url}/api/ui/{route}"


def open_run(page: Page, host: DevHost, run_id: str) -> None:
    """Open a run's page and wait until it shows the run."""
    page.goto(ui_url(host, f"#/runs/{run_id}"))
    expect(page.get_by_role("heading", name=re.compile(f"Run {run_id}"))).to_be_visible()
