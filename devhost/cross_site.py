"""Refusing state-changing requests that a web page on another site sends to the local host.

The embedded host runs with no keys (as `func start` does), so any page the developer visits could
POST to `http://localhost:7071` without a preflight (`Content-Type: text/plain` or a form): start
runs on a paid model, approve a draft, answer a graph, terminate a run, call MCP tools. The page
cannot read the reply, but the change is made. In Azure the function key stops such a request; here
nothing would. Browsers name the page's origin in `Origin` on every cross-origin request that is not
a GET or HEAD, so one is refused unless it comes from the host's own origin (the run viewer) or from
an origin local.settings.json's `Host.CORS` allows (a front end on another port). Tools that send no
`Origin` (curl, agentctl, the durable SDK, MCP clients) are not affected.

This is a deliberate difference from `func start`, which lets such a request through.
"""

from __future__ import annotations

from collections.abc import Mapping

from devhost.cors import CorsPolicy

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
CODE = "cross_site_request"


def refusal(method: str, headers: Mapping[str, str], own_origin: str, cors: CorsPolicy | None) -> str | None:
    """Why this request is refused, or None when it may go on.

    `own_origin` is the host's origin as the request addressed it (`http://localhost:7071`).
    """
    origin = headers.get("Origin")
    if method.upper() in SAFE_METHODS or origin is None:
        return None
    if origin.lower() == own_origin.lower():
        return None
    if cors is not None and cors.response_headers({"Origin": origin}):
        return None
    return (
        f"the embedded host refuses a {method.upper()} from the web page at {origin}: a page on another site "
        f"must not change runs on this machine. To allow a front end of your own, add its origin to "
        f"local.settings.json Host.CORS (comma-separated)."
    )
