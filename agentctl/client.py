"""HTTP client for the run API: one method per route, every failure turned into a `CliError`.

Methods return the API's JSON as plain dicts; the shapes are the API contract
(`docs/contracts.md`, `function_app.py`). Long-poll routes get a read timeout longer
than the server-side wait so a healthy long poll is never mistaken for a dead connection.
"""

from types import TracebackType
from typing import Any
from urllib.parse import quote

import httpx

from agentctl.config import Settings
from agentctl.errors import ApiError, ApiUnreachable

JsonObject = dict[str, Any]

REQUEST_TIMEOUT_S = 30.0
CONNECT_TIMEOUT_S = 10.0
# Margin over a server-side `wait`, for the host to answer after the wait has expired.
LONG_POLL_MARGIN_S = 15.0
STEPS_PAGE = 500  # the API's largest page of steps: `agentctl steps` shows them all, in few requests
KEY_HINT = "the API wants a function key: pass --key or set AGENTCTL_KEY"


class RunApiClient:
    """A synchronous client; use it as a context manager so the connection pool is closed."""

    def __init__(self, settings: Settings, transport: httpx.BaseTransport | None = None) -> None:
        headers = {"accept": "application/json", "user-agent": "agentctl"}
        if settings.key:
            headers["x-functions-key"] = settings.key
        self.settings = settings
        self._http = httpx.Client(
            base_url=settings.api_base,
            headers=headers,
            timeout=httpx.Timeout(REQUEST_TIMEOUT_S, connect=CONNECT_TIMEOUT_S),
            transport=transport,
        )

    def __enter__(self) -> "RunApiClient":
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._http.close()

    def health(self) -> JsonObject:
        return _object(self._request("GET", "health"))

    def workflows(self) -> list[JsonObject]:
        response = self._request("GET", "workflows")
        listed = response.json()
        if not isinstance(listed, list) or not all(isinstance(item, dict) for item in listed):
            raise _bad_shape(response, "a list of objects")
        return listed

    def start_run(self, workflow: str, body: JsonObject, wait_s: int) -> tuple[bool, JsonObject]:
        """Start a run; returns (ended, document): the run document when it ended within `wait_s`."""
        response = self._request(
            "POST", f"runs/{_segment(workflow)}", json=body, params={"wait": wait_s}, wait_s=wait_s
        )
        return response.status_code == 200, _object(response)

    def get_run(self, run_id: str) -> JsonObject:
        return _object(self._request("GET", f"runs/{_segment(run_id)}"))

    def list_runs(self, filters: dict[str, str | int | None]) -> JsonObject:
        params = {name: value for name, value in filters.items() if value is not None}
        return _object(self._request("GET", "runs", params=params))

    def events(self, run_id: str, after: str, wait_s: int) -> JsonObject:
        """One long poll: events after the event id `after`, waiting up to `wait_s` for the first new one."""
        params = {"after": after, "wait": wait_s}
        return _object(self._request("GET", f"runs/{_segment(run_id)}/events", params=params, wait_s=wait_s))

    def steps(self, run_id: str) -> JsonObject:
        """Every step of the run: the API answers a page at a time, so this follows `next` to the end."""
        path = f"runs/{_segment(run_id)}/steps"
        listing = _object(self._request("GET", path, params={"limit": STEPS_PAGE}))
        steps = list(listing.get("steps") or [])
        while listing.get("next") is not None:
            params = {"after": listing["next"], "limit": STEPS_PAGE}
            listing = _object(self._request("GET", path, params=params))
            steps.extend(listing.get("steps") or [])
        return listing | {"steps": steps}

    def send_approval(self, run_id: str, decision: JsonObject) -> JsonObject:
        return _object(self._request("POST", f"runs/{_segment(run_id)}/approval", json=decision))

    def send_input(self, run_id: str, answer: JsonObject) -> JsonObject:
        return _object(self._request("POST", f"runs/{_segment(run_id)}/input", json=answer))

    def terminate(self, run_id: str, reason: str | None) -> JsonObject:
        body = {} if reason is None else {"reason": reason}
        return _object(self._request("POST", f"runs/{_segment(run_id)}/terminate", json=body))

    def send_message(self, session_id: str, message: str, wait_s: int) -> tuple[bool, JsonObject]:
        """Send one chat turn; returns (answered, body): the reply when it came within `wait_s`."""
        response = self._request(
            "POST",
            f"sessions/{_segment(session_id)}/messages",
            json={"message": message},
            params={"wait": wait_s},
            wait_s=wait_s,
        )
        return response.status_code == 200, _object(response)

    def delete_session(self, session_id: str) -> JsonObject | None:
        """Delete a session; None once it is gone (204), else the API's 202 body (still being deleted)."""
        response = self._request("DELETE", f"sessions/{_segment(session_id)}")
        return None if response.status_code == 204 else _object(response)

    def _request(
        self,
        method: str,
        path: str,
        *,
        params: dict[str, Any] | None = None,
        json: JsonObject | None = None,
        wait_s: int = 0,
    ) -> httpx.Response:
        timeout = httpx.Timeout(REQUEST_TIMEOUT_S + wait_s + LONG_POLL_MARGIN_S, connect=CONNECT_TIMEOUT_S)
        try:
            response = self._http.request(method, path, params=params, json=json, timeout=timeout)
        except httpx.TransportError as error:
            raise ApiUnreachable(self._unreachable_message(error)) from error
        if response.status_code >= 400:
            raise _api_error(method, response)
        if response.status_code == 204:  # no content, by definition
            return response
        try:
            response.json()
        except (ValueError, RecursionError) as error:  # not JSON, or nested past the parser's depth
            raise ApiError(
                f"{method} {response.url} answered HTTP {response.status_code} with a body that is not JSON",
                status=response.status_code,
                code="bad_response",
            ) from error
        return response

    def _unreachable_message(self, error: httpx.TransportError) -> str:
        reason = str(error) or type(error).__name__
        origin = "" if self.settings.url_source == "default" else f" (URL from {self.settings.url_source})"
        return f"cannot reach the run API at {self.settings.api_base}{origin}: {reason}"


def _object(response: httpx.Response) -> JsonObject:
    """The reply's JSON object; any other JSON (a gateway's list, a bare string) is a bad response."""
    body = response.json()
    if not isinstance(body, dict):
        raise _bad_shape(response, "an object")
    return body


def _bad_shape(response: httpx.Response, expected: str) -> ApiError:
    return ApiError(
        f"{response.request.method} {response.url} answered HTTP {response.status_code} with JSON that is"
        f" not {expected}",
        status=response.status_code,
        code="bad_response",
    )


def _segment(value: str) -> str:
    """Quote an id for one path segment, so `a/b` or `?` in a session id cannot change the route."""
    return quote(value, safe="")


def _api_error(method: str, response: httpx.Response) -> ApiError:
    """Prefer the API's `{"error": {"code", "message"}}`; gateways and auth layers answer otherwise."""
    status = response.status_code
    try:
        envelope = response.json()["error"]
        code, message = str(envelope["code"]), str(envelope["message"])
        if envelope.get("correlationId"):
            # 500 replies name the server log entry; the user needs it to report the failure.
            message = f"{message} (correlationId {envelope['correlationId']})"
    except (ValueError, KeyError, TypeError, RecursionError):
        code = "http_error"
        message = f"{method} {response.url} answered HTTP {status} {response.reason_phrase}".rstrip()
    if status in (401, 403):
        message = f"{message} ({KEY_HINT})"
    return ApiError(message, status=status, code=code)
