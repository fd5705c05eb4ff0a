"""Durable HTTP: the extension's built-in `BuiltIn::HttpActivity`, which runs `context.call_http`.

The extension schedules each `call_http` as this activity (TaskScheduled named `BuiltIn::HttpActivity`,
the request as its input) and `TaskHttpActivityShim` sends it: the request's headers, `Content-Type`
taken from them (`text/plain` when content comes without one, multipart refused), one shared client
with a 240 s timeout (`DurableHttpClientFactory`). The result is `DurableHttpResponse` as Newtonsoft
writes it: `{"statusCode": int, "headers": {...}, "content": str}`, a header with several values as a
list, content headers (`Content-Type`, `Content-Length`...) left out as `HttpResponseMessage.Headers`
leaves them out. A transport error fails the task with the error's message as its reason (Details:
devhost/activity_failures.py).

A 202 is returned as is. The extension polls a 202's `Location` only when the request says
`asynchronousPatternEnabled`, and the Python SDK (v1) neither sends that field nor mirrors the polling
in its replay (azure-functions-durable-python#380; the JS SDK added both in azure-functions-durable-js#346),
so a Python orchestrator receives the 202 and polls itself.

A managed identity `tokenSource` cannot be honoured here: the embedded host has no managed identity.
That call fails with a reason saying so instead of going out without its bearer token.
"""

import json
from typing import Any

import aiohttp
from multidict import CIMultiDictProxy

from devhost.activity_failures import details_text, serialized_exception, unhandled_details

HTTP_ACTIVITY = "BuiltIn::HttpActivity"  # HttpOptions.HttpTaskActivityReservedName
CLIENT_TIMEOUT_S = 240  # DurableHttpClientFactory: HttpClient.Timeout
# Headers .NET keeps on HttpContent, not in HttpResponseMessage.Headers, so DurableHttpResponse lacks them.
CONTENT_HEADERS = frozenset(
    name.lower()
    for name in (
        "Allow",
        "Content-Disposition",
        "Content-Encoding",
        "Content-Language",
        "Content-Length",
        "Content-Location",
        "Content-MD5",
        "Content-Range",
        "Content-Type",
        "Expires",
        "Last-Modified",
    )
)
# The .NET exception each failure is in the extension, named in the TaskFailed Details.
HTTP_REQUEST_EXCEPTION = "System.Net.Http.HttpRequestException"
TASK_CANCELED = "System.Threading.Tasks.TaskCanceledException"
FUNCTION_FAILED = "Microsoft.Azure.WebJobs.FunctionFailedException"
JSON_EXCEPTION = "Newtonsoft.Json.JsonSerializationException"
AUTHENTICATION_FAILED = "Azure.Identity.AuthenticationFailedException"
MULTIPART_REFUSED = "Multipart content is not supported with CallHttpAsync."
TIMED_OUT = (
    "The request was canceled due to the configured HttpClient.Timeout of "
    f"{CLIENT_TIMEOUT_S} seconds elapsing."
)
NO_MANAGED_IDENTITY = (
    "Durable HTTP: call_http to '{uri}' asks for a managed identity token (resource '{resource}'), "
    "which the embedded host cannot get: there is no managed identity locally. Pass an Authorization "
    "header yourself for local runs, or run under func start with Azure credentials."
)


class DurableHttpFailure(Exception):
    """The call failed the way the extension fails the task: the TaskFailed Reason and Details."""

    def __init__(self, reason: str, details: str) -> None:
        super().__init__(reason)
        self.details = details

    @classmethod
    def unhandled(cls, class_name: str, message: str) -> "DurableHttpFailure":
        """An exception the shim lets through (not a TaskFailureException): DTFx words the Details."""
        return cls(message, unhandled_details(class_name, message))

    @classmethod
    def request_failed(cls, message: str) -> "DurableHttpFailure":
        """An `HttpRequestException`, which the shim turns into TaskFailureException(message, cause)."""
        cause = serialized_exception(HTTP_REQUEST_EXCEPTION, "System.Net.Http", message)
        return cls(message, details_text(cause))


def _request(text: str | None) -> dict[str, Any]:
    """The request from the activity input: a one-item list, as `ReconstructDurableHttpRequest` reads it."""
    parsed = json.loads(text or "null")
    request = parsed[0] if isinstance(parsed, list) and parsed else parsed
    if not isinstance(request, dict) or not request.get("method") or not request.get("uri"):
        message = f"Durable HTTP: the request needs a method and a uri, got {text!r}."
        raise DurableHttpFailure.unhandled(JSON_EXCEPTION, message)
    return request


def _headers(request: dict[str, Any]) -> tuple[list[tuple[str, str]], str]:
    """Request headers (a value may be a list) and the content type taken out of them."""
    headers: list[tuple[str, str]] = []
    content_type = ""
    for name, value in (request.get("headers") or {}).items():
        for item in value if isinstance(value, list) else [value]:
            if name.lower() != "content-type":
                headers.append((name, str(item)))
            elif "multipart" in str(item):
                raise DurableHttpFailure.unhandled(FUNCTION_FAILED, MULTIPART_REFUSED)
            else:
                content_type = str(item)
    return headers, content_type


def _response_headers(headers: CIMultiDictProxy[str]) -> dict[str, str | list[str]]:
    """`HttpHeadersConverter.WriteJson`: one value as a string, several as a list; content headers out."""
    grouped: dict[str, list[str]] = {}
    for name, value in headers.items():
        if name.lower() not in CONTENT_HEADERS:
            grouped.setdefault(name, []).append(value)
    return {name: values[0] if len(values) == 1 else values for name, values in grouped.items()}


async def run_http_activity(text: str | None) -> str:
    """Send the request and return the DurableHttpResponse JSON; raise DurableHttpFailure on failure."""
    request = _request(text)
    token_source = request.get("tokenSource")
    if token_source:
        resource = token_source.get("resource") if isinstance(token_source, dict) else token_source
        message = NO_MANAGED_IDENTITY.format(uri=request["uri"], resource=resource)
        raise DurableHttpFailure.unhandled(AUTHENTICATION_FAILED, message)
    headers, content_type = _headers(request)
    content = request.get("content")
    if content is not None:
        headers.append(("Content-Type", content_type or "text/plain"))
    timeout = aiohttp.ClientTimeout(total=CLIENT_TIMEOUT_S)
    try:
        async with (
            aiohttp.ClientSession(timeout=timeout) as session,
            session.request(
                str(request["method"]).upper(),
                str(request["uri"]),
                headers=headers,
                data=None if content is None else str(content).encode(),
            ) as response,
        ):
            body = await response.text(encoding=response.charset or "utf-8", errors="replace")
            status, response_headers = response.status, _response_headers(response.headers)
    except TimeoutError as error:
        raise DurableHttpFailure.unhandled(TASK_CANCELED, TIMED_OUT) from error
    except aiohttp.ClientError as error:
        raise DurableHttpFailure.request_failed(f"{type(error).__name__}: {error}") from error
    return json.dumps({"statusCode": status, "headers": response_headers, "content": body})
