"""Absolute URLs of a run's resources, built from the request so they work behind any host name.

The route prefix (`api` by default, configurable in host.json) is taken from the request path, so
links stay right if the prefix changes.
"""

from urllib.parse import urlsplit

import azure.functions as func

from api.models import RunLinks, SessionLinks

_TOP_LEVEL = ("runs", "sessions")


def api_base(req: func.HttpRequest) -> str:
    """`scheme://host[:port]/<route prefix>` of the request, without a trailing slash."""
    parts = urlsplit(req.url)
    segments = parts.path.split("/")
    cut = next((i for i, segment in enumerate(segments) if segment in _TOP_LEVEL), len(segments))
    prefix = "/".join(segments[:cut]).rstrip("/")
    return f"{parts.scheme}://{parts.netloc}{prefix}"


def run_url(req: func.HttpRequest, run_id: str) -> str:
    """The run's document URL (also its `Location`)."""
    return f"{api_base(req)}/runs/{run_id}"


def run_links(req: func.HttpRequest, run_id: str) -> RunLinks:
    """Where to follow a run, decide its approval, answer its graph's requests and terminate it."""
    url = run_url(req, run_id)
    return RunLinks(
        self=url,
        events=f"{url}/events",
        approval=f"{url}/approval",
        input=f"{url}/input",
        terminate=f"{url}/terminate",
    )


def session_links(req: func.HttpRequest, session_id: str, run_id: str) -> SessionLinks:
    """Where to follow one session turn and read the conversation."""
    url = run_url(req, run_id)
    return SessionLinks(run=url, events=f"{url}/events", session=f"{api_base(req)}/sessions/{session_id}")
