"""The one place that decides whether a model failure is worth retrying.

Activities raise exactly two kinds of model error, and the class name travels into the
orchestrator's exception text (`Activity function 'run_agent' failed: TransientModelError: ...`),
where `orchestrators/retry.py` retries only the transient ones with durable timers:

- `TransientModelError`: 429, 5xx, timeouts, connection errors, an empty, malformed or unfinished
  reply, and a server error, rate limit or overload reported inside a streamed reply (the HTTP
  status was 200).
- `PermanentModelError`: content filter, a reply cut at the token limit, 400, 401/403, 404 (unknown
  model or deployment, or a base URL that is not an OpenAI-compatible API), bad agent or tool name,
  malformed payload. Retrying these only burns time and quota.

`classify()` maps openai / agent-framework / azure-identity exceptions onto them, in words that name
the setting to fix and its value (`agents/endpoint.py`: the model, the endpoint URL, the key's
setting, never the key, which is redacted from the message with every other secret). It never imports
those libraries: an exception of theirs can only exist once its module is loaded, so it looks the
classes up in `sys.modules`, which keeps the offline path free of the slow openai import.
"""

import json
import re
import sys
import time
from collections.abc import Iterator, Mapping
from email.utils import parsedate_to_datetime
from http import HTTPStatus
from typing import Any

from agents.endpoint import UNNAMED, ModelEndpoint

# Longest Retry-After the activity honours itself; longer waits belong to the durable retry,
# which sleeps on a timer instead of holding a worker.
RETRY_AFTER_CAP_S = 10.0
# Longest Retry-After the durable retry honours: a service asking for more (a daily quota spent) fails
# the step after the retry budget instead of parking the run for hours.
RETRY_AFTER_MAX_S = 300.0
# How a transient failure's text carries that wait to the orchestrator, which reads it back
# (`orchestrators.retry.retry_after_in`): "[retry after 45 s]".
RETRY_AFTER_TEXT = "[retry after {seconds:g} s]"


class ConfigurationError(RuntimeError):
    """A model setting is missing or invalid; the message names the setting."""


class ModelError(RuntimeError):
    """A model call failed; subclasses say whether a retry can help."""


class TransientModelError(ModelError):
    """A failure that may pass: retry it (in the activity, then durably in the orchestrator).

    The service's Retry-After is written into the text (`RETRY_AFTER_TEXT`): the text is all of the
    exception that reaches the orchestrator, whose durable retry then waits at least that long.
    """

    def __init__(self, message: str, *, retry_after_s: float | None = None) -> None:
        self.reason = message
        if retry_after_s is not None:
            message = f"{message} {RETRY_AFTER_TEXT.format(seconds=round(retry_after_s, 3))}"
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

# What a refusal means, beyond its status; 401, 403 and 404 name the settings (`_refusal`).
_STATUS_MEANING = {
    400: "the request was rejected (400 Bad Request)",
    422: "the request was rejected (422 Unprocessable Entity)",
}
# Error codes that say the model or deployment does not exist (OpenAI, Azure OpenAI).
_MODEL_NOT_FOUND_CODES = frozenset({"model_not_found", "DeploymentNotFound"})


def classify(error: BaseException, endpoint: ModelEndpoint = UNNAMED) -> ModelError:
    """Return the `TransientModelError` or `PermanentModelError` that describes `error`.

    `endpoint` is where the call went: the message names its settings, never its secrets.
    """
    if isinstance(error, ModelError):
        return error
    verdict = next(filter(None, (_classify_one(cause, endpoint) for cause in _causes(error))), None)
    if verdict is None:
        verdict = PermanentModelError(f"model call failed: {_describe(error, endpoint)}")
    return verdict


def chained_cause(error: BaseException, endpoint: ModelEndpoint) -> BaseException | None:
    """`error`, to chain under its classified error, or None when a message in it holds a secret.

    The classified message is redacted; a cause chain printed in a log would still show the original.
    """
    exposed = any(endpoint.exposes_secret(str(cause)) for cause in _causes(error))
    return None if exposed else error


def _classify_one(error: BaseException, endpoint: ModelEndpoint) -> ModelError | None:
    if isinstance(error, ModelError):
        return error
    said = _describe(error, endpoint)
    if _is_content_filter(error):
        return PermanentModelError(f"the content filter blocked the request or reply: {said}")
    status = _status_code(error)
    if status is not None:
        return _classify_status(status, error, endpoint)
    if isinstance(error, TimeoutError) or _is_instance(error, "httpx", "TimeoutException"):
        return TransientModelError(f"the call to {endpoint.where} timed out: {said}")
    if isinstance(error, json.JSONDecodeError):
        return TransientModelError(f"{endpoint.where} sent a malformed reply: {said}")
    if _is_transient_stream_error(error):
        return TransientModelError(f"{endpoint.where} failed mid-reply: {said}")
    if _is_connection_error(error):
        return TransientModelError(f"could not reach {endpoint.where}: {said}{_root_cause(error, endpoint)}")
    if _is_instance(error, "azure.core.exceptions", "ClientAuthenticationError"):
        return PermanentModelError(
            f"could not get an Entra token (run `az login` locally; in Azure check AZURE_CLIENT_ID): {said}"
        )
    return _classify_framework(error, endpoint)


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


def _classify_status(status: int, error: BaseException, endpoint: ModelEndpoint) -> ModelError:
    said = _describe(error, endpoint)
    if status in (408, 409, 429) or status >= 500:
        return TransientModelError(
            f"{endpoint.where} answered {status}: {said}", retry_after_s=retry_after_seconds(error)
        )
    return PermanentModelError(f"{_refusal(status, error, endpoint)}: {said}")


def _refusal(status: int, error: BaseException, endpoint: ModelEndpoint) -> str:
    """What a 4xx means, naming the setting to check: the key, the model or the endpoint URL."""
    if status == HTTPStatus.UNAUTHORIZED:
        return f"authentication failed (401) at {endpoint.where}; check {endpoint.credential_hint}"
    if status == HTTPStatus.FORBIDDEN:
        return f"access denied (403) at {endpoint.where}; {endpoint.access_hint}"
    if status == HTTPStatus.NOT_FOUND and _names_missing_model(error, endpoint):
        return f"{endpoint.model_named} not found (404) at {endpoint.where}"
    if status == HTTPStatus.NOT_FOUND:
        path = getattr(getattr(error, "request", None), "url", None)
        asked = f" for {path.path}" if path is not None else ""
        return (
            f"{endpoint.where} has no such API (404{asked}); check {endpoint.url_setting}: the base URL "
            "of an OpenAI-compatible API, which usually ends in /v1"
        )
    return _STATUS_MEANING.get(status, f"the request was rejected ({status})")


def _names_missing_model(error: BaseException, endpoint: ModelEndpoint) -> bool:
    """True when a 404 says the model is unknown: its code does, or its text names the model."""
    body: Any = getattr(error, "body", None)
    if isinstance(body, dict) and body.get("code") in _MODEL_NOT_FOUND_CODES:
        return True
    return bool(endpoint.model) and endpoint.model in str(error)


def _classify_framework(error: BaseException, endpoint: ModelEndpoint) -> ModelError | None:
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
            return kind(f"{name}: {_describe(error, endpoint)}")
    return None


def retry_after_seconds(error: BaseException) -> float | None:
    """The wait the service asked for (`retry-after-ms` / `retry-after`), capped; None if absent.

    Capped at `RETRY_AFTER_MAX_S`, not at what the activity waits itself: a longer wait is passed on
    to the durable retry.
    """
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
    return min(max(seconds, 0.0), RETRY_AFTER_MAX_S)


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


def _root_cause(error: BaseException, endpoint: ModelEndpoint) -> str:
    """` (<the innermost cause>)`, e.g. the refused connection under openai's "Connection error."."""
    root, seen = error, {id(error)}
    while (inner := root.__cause__ or root.__context__) is not None and id(inner) not in seen:
        root = inner
        seen.add(id(root))
    return "" if root is error else f" ({_describe(root, endpoint)})"


def _describe(error: BaseException, endpoint: ModelEndpoint) -> str:
    """`<class>: <message>`, its secrets redacted before it is shortened (so no part of one is left)."""
    text = endpoint.redact(str(error).strip()) or "(no message)"
    return f"{type(error).__name__}: {text[:500]}"
