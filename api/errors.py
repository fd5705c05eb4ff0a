"""The one place that builds error replies, and the wrapper that turns every failure into one.

Clients see a single shape, `{"error": {"code", "message"}}`, for every refusal. Handlers raise
`ApiError` instead of building responses, so a refusal deep inside a helper still reaches the user
with its status, and an unexpected exception becomes a 500 whose correlation id is also in the log
next to the traceback.
"""

import functools
import inspect
import logging
import uuid
from collections.abc import Callable, Coroutine, Iterable, Mapping
from typing import Any, ParamSpec, cast, overload

import azure.functions as func

from api.responses import json_response

_log = logging.getLogger(__name__)

P = ParamSpec("P")


class ApiError(Exception):
    """A refusal the user should see: status, a stable machine code and a message naming the cause."""

    def __init__(
        self, status: int, code: str, message: str, headers: Mapping[str, str] | None = None
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.headers = dict(headers or {})


class ConfigurationError(Exception):
    """A setting of the app is invalid; the message names the setting and is safe to show."""


def error_body(code: str, message: str, **extra: str) -> dict[str, Any]:
    """The JSON body of every error reply."""
    return {"error": {"code": code, "message": message, **extra}}


def error_response(error: ApiError) -> func.HttpResponse:
    """Render an `ApiError` as its JSON reply."""
    return json_response(error_body(error.code, error.message), status=error.status, headers=error.headers)


def not_found(kind: str, key: str) -> ApiError:
    """404 for an unknown workflow, run or session, naming it."""
    return ApiError(404, f"{kind}_not_found", f"{kind} '{key}' not found")


def conflict(message: str) -> ApiError:
    """409: the run is in a state that does not allow the request."""
    return ApiError(409, "conflict", message)


def bad_parameter(name: str, problem: str) -> ApiError:
    """400 for a query, header or path value, naming the parameter."""
    return ApiError(400, "invalid_parameter", f"{name}: {problem}")


def require_method(req: func.HttpRequest, allowed: Iterable[str]) -> str:
    """Return the request's method, or refuse with 405 and an `Allow` header.

    Routes accept every method because the Functions host answers a method mismatch with an empty 404;
    answering here gives clients a JSON 405 that says what would work.
    """
    methods = tuple(allowed)
    if req.method not in methods:
        raise ApiError(
            405,
            "method_not_allowed",
            f"method {req.method} is not allowed here; use {', '.join(methods)}",
            headers={"Allow": ", ".join(methods)},
        )
    method: str = req.method
    return method


def _internal_error(exc: BaseException) -> func.HttpResponse:
    correlation_id = uuid.uuid4().hex
    if isinstance(exc, ConfigurationError):
        code, message = "configuration", str(exc)
    else:
        code, message = "internal", "unexpected error; quote the correlationId when reporting it"
    _log.error("request failed, correlationId=%s", correlation_id, exc_info=exc)
    body = error_body(code, message, correlationId=correlation_id)
    return json_response(body, status=500)


@overload
def json_errors(
    handler: Callable[P, Coroutine[Any, Any, func.HttpResponse]],
) -> Callable[P, Coroutine[Any, Any, func.HttpResponse]]: ...


@overload
def json_errors(handler: Callable[P, func.HttpResponse]) -> Callable[P, func.HttpResponse]: ...


def json_errors(
    handler: Callable[P, Coroutine[Any, Any, func.HttpResponse]] | Callable[P, func.HttpResponse],
) -> Callable[P, Coroutine[Any, Any, func.HttpResponse]] | Callable[P, func.HttpResponse]:
    """Wrap a sync or async handler so every failure becomes a JSON reply (never a bare host 500)."""
    if inspect.iscoroutinefunction(handler):
        return _async_json_errors(handler)
    return _sync_json_errors(cast(Callable[P, func.HttpResponse], handler))


def _async_json_errors(
    handler: Callable[P, Coroutine[Any, Any, func.HttpResponse]],
) -> Callable[P, Coroutine[Any, Any, func.HttpResponse]]:
    @functools.wraps(handler)
    async def async_wrapper(*args: P.args, **kwargs: P.kwargs) -> func.HttpResponse:
        try:
            return await handler(*args, **kwargs)
        except ApiError as error:
            return error_response(error)
        except Exception as exc:
            return _internal_error(exc)

    return async_wrapper


def _sync_json_errors(handler: Callable[P, func.HttpResponse]) -> Callable[P, func.HttpResponse]:
    @functools.wraps(handler)
    def sync_wrapper(*args: P.args, **kwargs: P.kwargs) -> func.HttpResponse:
        try:
            return handler(*args, **kwargs)
        except ApiError as error:
            return error_response(error)
        except Exception as exc:
            return _internal_error(exc)

    return sync_wrapper
