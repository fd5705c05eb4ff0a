"""`GET /ui` and `/ui/{*path}`: the run viewer page and its static assets, shipped in `ui/`.

The page is anonymous static content (no data in it); every API call it makes authenticates as the
user does. A strict Content-Security-Policy allows only the app's own scripts and styles, no inline
script and no eval, so text from models or people can never run as code even if it slipped into
markup. Assets are looked up in a table of the files under `ui/` built once, so a request path never
reaches the file system and `..` cannot escape the folder.
"""

import functools
import html
from pathlib import Path
from urllib.parse import urlsplit

import azure.functions as func

from api.errors import ApiError, json_errors, require_method

UI_ROOT = Path(__file__).resolve().parent.parent / "ui"
PAGE = "index.html"
BASE_MARKER = "{{base}}"
CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".svg": "image/svg+xml",
    ".png": "image/png",
}
CSP = "; ".join(
    (
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "base-uri 'self'",
        "form-action 'none'",
        "frame-ancestors 'none'",
    )
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-cache",
}


@json_errors
def ui(req: func.HttpRequest) -> func.HttpResponse:
    """The page for `/ui` (and `/ui/`), else the named asset; 404 JSON for anything not shipped."""
    require_method(req, ("GET",))
    asset = req.route_params.get("path") or ""
    # Hosts route `//api/ui` like `/api/ui`; kept as sent, `//api/ui/` would be a link to the host `api`.
    path = "/" + urlsplit(req.url).path.lstrip("/")
    if not asset and not path.endswith("/"):
        # The page's links are relative to its folder (`<base href>`), so it lives at `/ui/`.
        return func.HttpResponse(status_code=308, headers={**SECURITY_HEADERS, "Location": path + "/"})
    if asset in ("", PAGE):
        return _page(path, asset)
    path = shipped_assets().get(asset)
    if path is None:
        raise ApiError(404, "asset_not_found", f"the viewer has no file '{asset}'")
    return _file_response(path.read_bytes(), path.suffix)


@functools.cache
def shipped_assets() -> dict[str, Path]:
    """Every file under `ui/` the page may load, by its path relative to `ui/`."""
    return {
        path.relative_to(UI_ROOT).as_posix(): path
        for path in UI_ROOT.rglob("*")
        if path.is_file() and path.suffix in CONTENT_TYPES
    }


def _page(path: str, asset: str) -> func.HttpResponse:
    """index.html with `<base href>` set to the page's own folder, whatever the route prefix is."""
    folder = (path[: len(path) - len(asset)] if asset else path).rstrip("/") + "/"
    text = (UI_ROOT / PAGE).read_text(encoding="utf-8").replace(BASE_MARKER, html.escape(folder))
    return _file_response(text.encode("utf-8"), ".html")


def _file_response(body: bytes, suffix: str) -> func.HttpResponse:
    return func.HttpResponse(
        body, status_code=200, headers={**SECURITY_HEADERS, "Content-Type": CONTENT_TYPES[suffix]}
    )
