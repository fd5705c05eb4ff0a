"""The one place that decides whether a model failure is worth retrying.

Activities raise exactly two kinds of model error, and the class name travels into the
orchestrator's exception text (`Activity function 'run_agent' failed: TransientModelError: ...`),
where `orchestrators/retry.py` retries only the transient ones with durable timers:

- `TransientModelError`: 429, 5xx, timeouts, connection errors, an empty or malformed reply, and a
  server error, rate limit or overload reported inside a streamed reply (the HTTP status was 200).
- `PermanentModelError`: content filter, 400, 401/403, 404 (unknown deployment), bad agent or tool
  name, malformed payload. Retrying these only burns time and quota.

`classify()` maps openai / agent-framework / azure-identity exceptions onto them. It never imports
those libraries: an exception of theirs can only exist once its module is loaded, so it looks the
classes up in `sys.modules`, which keeps the offline path free of the slow openai import.
"""

import json
import re
import sys
import time
from collections.abc import Iterator, Mapping
from email.utils import parsedate_to_datetime
from typing import Any

# Longest Retry-After the activity honours itself; longer waits belong to the durable retry,
# which sleeps on a timer instead of holding a worker.
RETRY_AFTER_CAP_S = 10.0


class ConfigurationError(RuntimeError):
    """A model setting is missing or invalid; the message names the setting."""


class ModelError(RuntimeError):
    """A model call failed; subclasses say whether a retry can help."""


class TransientModelError(ModelError):
    """A failure that may pass: retry it (in the activity, then durably in the orchestrator)."""

    def __init__(self, message: str, *, retry_after_s: float | None = None) -> None:
        super().__init__(message)
        self.retry_after_s = retry_after_s


class PermanentModelError(ModelError):
    """A failure a retry cannot fix: fail the step at once with this message."""


class UnknownToolError(PermanentModelError):
    """The model (or an orchestrator) named a tool that does not exist."""


# The `type` or `code` of an error a server reports inside a 200 stream that a retry can get past
# (OpenAI's, Azure's and common compatible servers' names for a failure, a rate limit or overload).
_TRANSIENT_STREAM_ERRORS = frozenset(
    {
        "server_error",
        "internal_error",
        "rate_limit_exceeded",
        "rate_limit_error",
        "overloaded",
        "overloaded_error",
        "service_unavailable",
        "timeout",
    }
)
# How agent-framework's Responses client reports the stream's `error` event: a RuntimeError whose
# text starts with the event's code (the event itself is not kept).
_RESPONSES_STREAM_ERROR = re.compile(r"OpenAI streaming error: (?P<code>[\w.-]+): ")

_STATUS_MEANING = {
    400: "the request was rejected (400 Bad Request)",
    401: "authentication failed (401); check the API key or `az login` / the managed identity",
    403: "access denied (403); the identity needs the Cognitive Services OpenAI User role",
    404: "model or deployment not found (404); check AZURE_OPENAI_MODEL / OPENAI_MODEL",
    422: "the request was rejected (422 Unprocessable Entity)",
}


def classify(error: BaseException) -> ModelError:
    """Return the `TransientModelError` or `PermanentModelError` that describes `error`."""
    if isinstance(error, ModelError):
        return error
    for cause in _causes(error):
        verdict = _classify_one(cause)
        if verdict is not None:
            return verdict
    return PermanentModelError(f"model call failed: {_describe(error)}")


def _classify_one(error: BaseException) -> ModelError | None:
    if isinstance(error, ModelError):
        return error
    if _is_content_filter(error):
        return PermanentModelError(f"the content filter blocked the request or reply: {_describe(error)}")
    status = _status_code(error)
    if status is not None:
        return _classify_status(status, error)
    if isinstance(error, TimeoutError) or _is_instance(error, "httpx", "TimeoutException"):
        return TransientModelError(f"model call timed out: {_describe(error)}")
    if isinstance(error, json.JSONDecodeError):
        return TransientModelError(f"the model endpoint sent a malformed reply: {_describe(error)}")
    if _is_transient_stream_error(error):
        return TransientModelError(f"the model endpoint failed mid-reply: {_describe(error)}")
    if _is_connection_error(error):
        return TransientModelError(f"could not reach the model endpoint: {_describe(error)}")
    if _is_instance(error, "azure.core.exceptions", "ClientAuthenticationError"):
        return PermanentModelError(
            f"could not get an Entra token (run `az login` locally; in Azure check AZURE_CLIENT_ID): "
            f"{_describe(error)}"
        )
    return _classify_framework(error)


def _is_transient_stream_error(error: BaseException) -> bool:
    """True for an error reported inside a 200 stream whose type or code a retry can get past.

    openai raises an `APIError` with no status for a Chat Completions `{"error": {...}}` chunk;
    agent-framework a `RuntimeError` for a Responses `error` event. Other codes stay permanent.
    """
    if isinstance(error, RuntimeError):
        match = _RESPONSES_STREAM_ERROR.match(str(error))
        return match is not None and match["code"] in _TRANSIENT_STREAM_ERRORS
    if _is_instance(error, "openai", "APIError"):
        return bool({getattr(error, "type", None), getattr(error, "code", None)} & _TRANSIENT_STREAM_ERRORS)
    return False


def _classify_status(status: int, error: BaseException) -> ModelError:
    if status in (408, 409, 429) or status >= 500:
        return TransientModelError(
            f"model endpoint answered {status}: {_describe(error)}", retry_after_s=retry_after_seconds(error)
        )
    meaning = _STATUS_MEANING.get(status, f"the request was rejected ({status})")
    return PermanentModelError(f"{meaning}: {_describe(error)}")


def _classify_framework(error: BaseException) -> ModelError | None:
    """Agent-framework's own errors that carry no HTTP cause."""
    kinds: dict[str, type[ModelError]] = {
        "ChatClientInvalidAuthException": PermanentModelError,
        "ChatClientInvalidRequestException": PermanentModelError,
        "AgentInvalidRequestException": PermanentModelError,
        "AgentInvalidAuthException": PermanentModelError,
        "ChatClientInvalidResponseException": TransientModelError,
        "AgentInvalidResponseException": TransientModelError,
    }
    for name, kind in kinds.items():
        if _is_instance(error, "agent_framework.exceptions", name):
            return kind(f"{name}: {_describe(error)}")
    return None


def retry_after_seconds(error: BaseException) -> float | None:
    """The wait the service asked for (`retry-after-ms` / `retry-after`), capped; None if absent."""
    headers = _headers(error)
    if headers is None:
        return None
    millis = headers.get("retry-after-ms")
    if millis is not None:
        seconds = _parse_float(millis)
        seconds = None if seconds is None else seconds / 1000
    else:
        seconds = _parse_retry_after(headers.get("retry-after"))
    if seconds is None:
        return None
    return min(max(seconds, 0.0), RETRY_AFTER_CAP_S)


def _parse_retry_after(value: str | None) -> float | None:
    if value is None:
        return None
    seconds = _parse_float(value)
    if seconds is not None:
        return seconds
    try:
        return parsedate_to_datetime(value).timestamp() - time.time()
    except (TypeError, ValueError):
        return None


def _parse_float(value: str) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _causes(error: BaseException) -> Iterator[BaseException]:
    """The error, then what it wraps: `__cause__`, `__context__` and agent-framework's inner_exception."""
    seen: set[int] = set()
    pending = [error]
    while pending:
        current = pending.pop(0)
        if id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        inner = [arg for arg in current.args if isinstance(arg, BaseException)]
        pending.extend(e for e in (current.__cause__, current.__context__, *inner) if e is not None)


def _headers(error: BaseException) -> Mapping[str, str] | None:
    response = getattr(error, "response", None)
    headers = getattr(response, "headers", None)
    return headers if hasattr(headers, "get") else None


def _status_code(error: BaseException) -> int | None:
    """HTTP status of an openai `APIStatusError` or an httpx `HTTPStatusError`."""
    status = getattr(error, "status_code", None)
    if status is None:
        status = getattr(getattr(error, "response", None), "status_code", None)
    return status if isinstance(status, int) and 100 <= status <= 599 else None


def _is_content_filter(error: BaseException) -> bool:
    if _is_instance(error, "agent_framework.exceptions", "ChatClientContentFilterException"):
        return True
    if _is_instance(error, "agent_framework.exceptions", "AgentContentFilterException"):
        return True
    body: Any = getattr(error, "body", None)
    code = getattr(error, "code", None) or (body.get("code") if isinstance(body, dict) else None)
    return code == "content_filter"


def _is_connection_error(error: BaseException) -> bool:
    return (
        isinstance(error, ConnectionError)
        or _is_instance(error, "openai", "APIConnectionError")
        or _is_instance(error, "httpx", "TransportError")
        or _is_instance(error, "httpx2", "TransportError")
        or _is_instance(error, "aiohttp", "ClientConnectionError")
    )


def _is_instance(error: BaseException, module: str, name: str) -> bool:
    loaded = sys.modules.get(module)
    cls = getattr(loaded, name, None) if loaded is not None else None
    return isinstance(cls, type) and isinstance(error, cls)


def _describe(error: BaseException) -> str:
    text = str(error).strip() or "(no message)"
    return f"{type(error).__name__}: {text[:500]}"
