"""`GET /ui`: the page and its assets, with a strict CSP, and nothing outside `ui/` reachable."""

from pathlib import Path

import azure.functions as func
import pytest

from api import ui
from tests.api.api_calls import assert_error, call, make_request

ROOT = Path(__file__).resolve().parents[2]


def get(path: str, method: str = "GET"):
    req = make_request(method, f"ui/{path}" if path else "ui", route={"path": path})
    return call(ui.ui, req)


def test_the_page_lives_in_its_folder_so_relative_links_work() -> None:
    moved = get("")
    assert moved.status == 308 and moved.headers["location"] == "/api/ui/"
    page = call(ui.ui, make_request("GET", "ui/", route={"path": ""}))
    assert page.status == 200 and page.headers["content-type"].startswith("text/html")
    assert '<base href="/api/ui/">' in page.text
    assert '<script type="module" src="js/main.js"></script>' in page.text


def test_extra_leading_slashes_never_make_the_links_point_to_another_host() -> None:
    def get_url(url: str, path: str = "") -> func.HttpResponse:
        return call(
            ui.ui, func.HttpRequest("GET", url, headers={}, params={}, route_params={"path": path}, body=b"")
        )

    moved = get_url("http://localhost:7071//api/ui")
    assert moved.status == 308 and moved.headers["location"] == "/api/ui/"
    page = get_url("http://localhost:7071///api/ui/")
    assert page.status == 200 and '<base href="/api/ui/">' in page.text


def test_every_reply_carries_a_strict_content_security_policy() -> None:
    policy = get("js/main.js").headers["content-security-policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert directives["default-src"] == "'none'"
    assert directives["script-src"] == "'self'"  # no inline script, no eval
    assert directives["connect-src"] == "'self'" and directives["frame-ancestors"] == "'none'"


@pytest.mark.parametrize("asset", sorted(ui.shipped_assets()))
def test_each_shipped_asset_is_served_with_its_type(asset: str) -> None:
    reply = get(asset)
    assert reply.status == 200
    assert reply.headers["content-type"] == ui.CONTENT_TYPES[Path(asset).suffix]
    assert reply.headers["x-content-type-options"] == "nosniff"


@pytest.mark.parametrize("path", ["../function_app.py", "js/../../api/ui.py", "nope.js", "js", "%2e%2e/x"])
def test_only_files_shipped_in_ui_are_served(path: str) -> None:
    assert_error(get(path), 404, "asset_not_found", "the viewer has no file")


def test_other_methods_are_405() -> None:
    assert_error(get("js/main.js", method="POST"), 405, "method_not_allowed")


def test_the_page_is_deployed_and_never_inserts_markup() -> None:
    ignored = {line.strip().rstrip("/") for line in (ROOT / ".funcignore").read_text().splitlines()}
    assert "ui" not in ignored and (ROOT / "ui" / "index.html").is_file()
    scripts = {path: path.read_text() for path in (ROOT / "ui").rglob("*.js")}
    assert scripts, "the viewer ships no scripts"
    for path, text in scripts.items():
        for sink in (
            "innerHTML",
            "outerHTML",
            "insertAdjacentHTML",
            "document.write",
            "eval(",
            "new Function",
        ):
            assert sink not in text, f"{path.name} uses {sink}"
