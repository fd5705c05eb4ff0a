"""Bad inputs: requests a careless or hostile client sends, and the reply each one got.

Every reply must be a 4xx with the documented body `{"error": {"code", "message"}}` and the status the
README documents (400 malformed JSON / bad query values / bad ids, 422 schema violations, 404 unknown
things, 405 wrong method, 409 wrong state, 413 too big). `{done}` and `{waiting}` in a path stand for a
completed chain run and an approval run waiting for its decision, made before the table is tried.
"""

from __future__ import annotations

from dataclasses import dataclass

import httpx

from bench.reliability.workload import item_input
from bench.run_api import ApiClient

RUN = "0123456789abcdef0123456789abcdef"
HUGE_TOPIC = b'{"topic": "' + b"x" * (1024 * 1024 + 16) + b'"}'
DEEP_JSON = b"[" * 100_000 + b"]" * 100_000

# (case, method, path, body, extra headers, expected status)
Case = tuple[str, str, str, bytes | None, dict[str, str], int]
CASES: list[Case] = [
    ("malformed JSON", "POST", "/api/runs/chain", b'{"topic": ', {}, 400),
    ("body not UTF-8", "POST", "/api/runs/chain", b"\xff\xfe\x00", {}, 400),
    ("deeply nested JSON", "POST", "/api/runs/chain", DEEP_JSON, {}, 400),
    ("body is an array", "POST", "/api/runs/chain", b'["topic"]', {}, 422),
    ("body is a string", "POST", "/api/runs/single", b'"what?"', {}, 422),
    ("body is null", "POST", "/api/runs/single", b"null", {}, 422),
    ("wrong type", "POST", "/api/runs/chain", b'{"topic": 42}', {}, 422),
    ("missing field", "POST", "/api/runs/chain", b"{}", {}, 422),
    ("unknown field", "POST", "/api/runs/chain", b'{"topic": "x", "colour": "red"}', {}, 422),
    ("max_rounds 0", "POST", "/api/runs/critic", b'{"topic": "x", "max_rounds": 0}', {}, 422),
    ("max_rounds huge number", "POST", "/api/runs/critic", b'{"topic": "x", "max_rounds": 1e400}', {}, 422),
    ("negative timeout", "POST", "/api/runs/approval", b'{"topic": "x", "timeout_s": -5}', {}, 422),
    ("specialists not a list", "POST", "/api/runs/fanout", b'{"topic": "x", "specialists": "all"}', {}, 422),
    ("body over 1 MiB", "POST", "/api/runs/chain", HUGE_TOPIC, {}, 413),
    ("unknown workflow", "POST", "/api/runs/nope", b"{}", {}, 404),
    ("session through /runs", "POST", "/api/runs/session", b'{"message": "hi"}', {}, 400),
    ("unknown run", "GET", f"/api/runs/{RUN}", None, {}, 404),
    ("events of unknown run", "GET", f"/api/runs/{RUN}/events", None, {}, 404),
    ("unknown session", "GET", "/api/sessions/never-seen", None, {}, 404),
    ("approve unknown run", "POST", f"/api/runs/{RUN}/approval", b'{"approved": true}', {}, 404),
    ("approve a completed run", "POST", "/api/runs/{done}/approval", b'{"approved": true}', {}, 409),
    ("terminate a completed run", "POST", "/api/runs/{done}/terminate", b"{}", {}, 409),
    ("delete a waiting run", "DELETE", "/api/runs/{waiting}", None, {}, 409),
    ("approval not a bool", "POST", "/api/runs/{waiting}/approval", b'{"approved": "yes"}', {}, 422),
    ("wait negative", "POST", "/api/runs/single?wait=-1", b'{"question": "q"}', {}, 400),
    ("wait over 60", "POST", "/api/runs/single?wait=61", b'{"question": "q"}', {}, 400),
    ("wait not a number", "POST", "/api/runs/single?wait=soon", b'{"question": "q"}', {}, 400),
    ("events wait over 25", "GET", "/api/runs/{done}/events?wait=99", None, {}, 400),
    ("events after negative", "GET", "/api/runs/{done}/events?after=-5", None, {}, 400),
    ("Last-Event-ID not a number", "GET", "/api/runs/{done}/events", None, {"Last-Event-ID": "x"}, 400),
    ("limit 0", "GET", "/api/runs?limit=0", None, {}, 400),
    ("unknown status filter", "GET", "/api/runs?status=Sleeping", None, {}, 400),
    ("bad cursor", "GET", "/api/runs?cursor=yesterday", None, {}, 400),
    ("path traversal in run id", "GET", "/api/runs/..%2F..%2Fetc%2Fpasswd", None, {}, 400),
    ("space and ; in run id", "GET", "/api/runs/bad%20id%3B", None, {}, 400),
    ("non-ASCII run id", "GET", "/api/runs/r%C3%A9sum%C3%A9", None, {}, 400),
    ("run id over 100 chars", "GET", "/api/runs/" + "a" * 101, None, {}, 400),
    ("odd session id", "POST", "/api/sessions/a%3Cb%3E/messages", b'{"message": "hi"}', {}, 400),
    ("session message not text", "POST", "/api/sessions/s1/messages", b'{"message": 5}', {}, 422),
    ("PUT on the run list", "PUT", "/api/runs", b"{}", {}, 405),
    ("DELETE on health", "DELETE", "/api/health", None, {}, 405),
    ("PATCH on a run", "PATCH", "/api/runs/{done}", b"{}", {}, 405),
    ("GET on approval", "GET", "/api/runs/{done}/approval", None, {}, 405),
    ("unknown route", "GET", "/api/nothing/here", None, {}, 404),
]


@dataclass
class BadInputReply:
    case: str
    request: str
    expected: int
    status: int
    code: str
    message: str

    @property
    def ok(self) -> bool:
        return self.status == self.expected and 400 <= self.status < 500 and bool(self.code)


def _printable(raw: bytes) -> str:
    """Bytes as text for a table cell: invalid UTF-8 and control characters as `\\xNN` escapes."""
    text = raw.decode("utf-8", "backslashreplace")
    return "".join(ch if ch.isprintable() else f"\\x{ord(ch):02x}" for ch in text)


def _describe(method: str, path: str, body: bytes | None) -> str:
    shown = "" if body is None else _printable(body[:40]) + ("..." if len(body) > 40 else "")
    return f"{method} {path[:60]}{'...' if len(path) > 60 else ''} {shown}".strip()


def _error_of(response: httpx.Response) -> tuple[str, str]:
    """(code, message) of a reply in the documented shape, or a note saying what the body was."""
    try:
        error = response.json().get("error")
        return str(error["code"]), str(error["message"])
    except (ValueError, AttributeError, KeyError, TypeError):
        return "", f"not the error shape: {response.text[:120]!r}"


def prepare_runs(http: httpx.Client) -> dict[str, str]:
    """A completed chain run and an approval run waiting for a decision, for the stateful cases."""
    api = ApiClient(http)
    done = api.run_to_end("chain", item_input("chain", 999))["id"]
    waiting = api.start("approval", item_input("approval", 999)).json()["id"]
    api.wait_for(waiting, step="awaiting_approval")
    return {"done": done, "waiting": waiting}


def try_bad_inputs(http: httpx.Client, runs: dict[str, str]) -> list[BadInputReply]:
    """Send every case once; returns the reply each got."""
    replies = []
    for case, method, template, body, headers, expected in CASES:
        path = template.format(**runs)
        response = http.request(
            method, path, content=body, headers={"Content-Type": "application/json", **headers}
        )
        code, message = _error_of(response)
        replies.append(BadInputReply(case, _describe(method, template, body), expected, response.status_code,
                                     code, message))  # fmt: skip
    return replies
