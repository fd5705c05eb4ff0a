"""`make screenshot`: the README's picture of the run viewer, taken from a real run on the embedded host.

Separate from the tests so that `make test` never writes into the tree. Usage:
`python -m tests.viewer.screenshot docs/images/run-viewer.png`
"""

import sys
import tempfile
from pathlib import Path

from playwright.sync_api import expect, sync_playwright

from bench.run_api import ApiClient
from bench.template_host import PROJECT_ROOT, template_env
from devhost.testing import DevHost
from tests.viewer.browser import LAUNCH_ARGS, chromium_path

VIEWPORT = {"width": 1100, "height": 1300}


def take(target: Path) -> None:
    """Start the app, make a few runs, and photograph a tool-using run's page."""
    with tempfile.TemporaryDirectory() as tmp:
        env = template_env(Path(tmp), TASKHUB_NAME="screenshothub")
        with DevHost(PROJECT_ROOT, Path(tmp) / "state.db", env=env) as host:
            api = ApiClient(host.http)
            api.run_to_end("chain", {"topic": "durable agents"})
            api.start("approval", {"topic": "launch plan", "timeout_s": 3600})
            run_id = api.run_to_end("tools", {"question": "What is 17*23? Then open a ticket about it."})[
                "id"
            ]
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=chromium_path(), args=LAUNCH_ARGS)
                page = browser.new_page(viewport=VIEWPORT)  # type: ignore[arg-type]
                page.goto(f"{host.base_url}/api/ui/#/runs/{run_id}")
                expect(page.locator(".step")).to_have_count(4)
                expect(page.get_by_role("list", name="Timeline")).to_contain_text("Run completed")
                target.parent.mkdir(parents=True, exist_ok=True)
                page.screenshot(path=str(target))
                browser.close()
    print(f"wrote {target}")


if __name__ == "__main__":
    take(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/images/run-viewer.png"))
