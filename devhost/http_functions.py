"""HTTP-triggered functions: the route table, the `func.HttpRequest` we build, the response we send.

Responses are normalised with the worker's own `HttpResponseConverter`, so an `HttpResponse` comes
out exactly as the real worker sends it (status, headers, mimetype, body); a `str` then goes through
what the host makes of one (see http_result.py).
"""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import parse_qsl

import azure.functions as func
from aiohttp import web
from azure.functions import meta
from azure.functions.http import HttpResponseConverter
from multidict import CIMultiDict

from devhost.function_call import FunctionCaller
from devhost.http_result import string_result
from devhost.routing import Route, RouteTable, RouteTemplate

log = logging.getLogger("devhost.http")
_HOP_HEADERS = {"content-length", "transfer-encoding", "connection"}


# ScriptHost.ValidateHttpFunction's message for a route under the host's own `admin`/`runtime` space.
BUILT_IN_ROUTE_CONFLICT = "The specified route conflicts with one or more built in routes."
_RESERVED_ROUTE_STARTS = ("admin", "runtime")


def http_route_table(functions: list[Any], route_prefix: str) -> RouteTable[Any]:
    """Every HTTP-triggered function the host accepts as a route (see `refused_http_functions`)."""
    refused = refused_http_functions(functions)
    routes = [
        Route(RouteTemplate(_route(function)), _methods(function), function)
        for function in functions
        if function.is_http_function() and function.get_function_name() not in refused
    ]
    return RouteTable(route_prefix, routes)


def refused_http_functions(functions: list[Any]) -> dict[str, str]:
    """HTTP functions the real host puts in error, with its message (ScriptHost.ValidateFunction).

    The host checks functions in order: a route starting with `admin` or `runtime` (the prefix is not
    part of it) is refused, and so is a route equal, ignoring case, to an accepted function's route
    when their methods overlap (no methods = every method); the later function is the one refused.
    The others still load, so this is a logged function error, not a failed start.
    """
    refused: dict[str, str] = {}
    accepted: list[tuple[str, str, frozenset[str] | None]] = []
    for function in functions:
        if not function.is_http_function():
            continue
        name, route, methods = function.get_function_name(), _route(function).strip("/"), _methods(function)
        if route.lower().startswith(_RESERVED_ROUTE_STARTS):
            refused[name] = BUILT_IN_ROUTE_CONFLICT
            continue
        clash = next(
            (
                other
                for other, o_route, o_methods in accepted
                if _conflict(route, methods, o_route, o_methods)
            ),
            None,
        )
        if clash is not None:
            refused[name] = f"The route specified conflicts with the route defined by function '{clash}'."
            continue
        accepted.append((name, route, methods))
    return refused


def _conflict(
    route: str, methods: frozenset[str] | None, other: str, other_methods: frozenset[str] | None
) -> bool:
    """ScriptHost.HttpRoutesConflict: the same route text (ignoring case) and a method in common."""
    if route.lower() != other.lower():
        return False
    return methods is None or other_methods is None or bool(methods & other_methods)


def _route(function: Any) -> str:
    """The trigger's route; a blank one defaults to the function name, as in ValidateHttpFunction."""
    route = function.get_trigger().route
    return str(route) if route and route.strip() else str(function.get_function_name())


def _methods(function: Any) -> frozenset[str] | None:
    """The accepted methods, None for every method (an empty list means every method too)."""
    methods = function.get_trigger().methods
    return frozenset(_method_name(m) for m in methods) if methods else None


def _method_name(method: Any) -> str:
    return str(getattr(method, "value", method)).upper()


def _query_params(raw_query: str) -> dict[str, str]:
    """The query as the host passes it to the worker (GrpcMessageConversionExtensions.ToRpcHttp).

    ASP.NET's query collection is keyed ignoring case (the first spelling wins) and joins repeated
    values with "," (StringValues.ToString()); the host then leaves out keys whose value is empty.
    """
    params: dict[str, str] = {}
    spelling: dict[str, str] = {}
    for key, value in parse_qsl(raw_query, keep_blank_values=True):
        name = spelling.setdefault(key.lower(), key)
        params[name] = f"{params[name]},{value}" if name in params else value
    return {key: value for key, value in params.items() if value}


def _headers(request: web.Request) -> dict[str, str]:
    """Lower-cased names; a repeated header's values joined with "," as StringValues.ToString() does."""
    headers: dict[str, str] = {}
    for key, value in request.headers.items():
        lower = key.lower()
        headers[lower] = f"{headers[lower]},{value}" if lower in headers else value
    return headers


async def build_http_request(request: web.Request, route_params: dict[str, str]) -> func.HttpRequest:
    """The `func.HttpRequest` the worker would build; `url` is the full public URL."""
    return func.HttpRequest(
        method=request.method,
        url=str(request.url),
        headers=_headers(request),
        params=_query_params(request.rel_url.raw_query_string),
        route_params=route_params,
        body=await request.read(),
    )


def encode_response(result: Any) -> web.Response:
    """A handler's return value as the worker sends it.

    A value the converter cannot encode (None, an int, ...) fails the invocation with the worker's
    own TypeError (bindings/meta.py get_datum), which the caller logs and answers with a 500.
    """
    try:
        datum = HttpResponseConverter.encode(result, expected_type=None)
    except NotImplementedError:
        raise TypeError(
            'unable to encode outgoing TypedData: unsupported type "http" for '
            f'Python type "{type(result).__name__}"'
        ) from None
    if datum.type == "string":
        return string_result(datum.value)  # the host reads a str as JSON first (HttpBinding)
    value: dict[str, Any] = datum.value
    headers: CIMultiDict[str] = CIMultiDict()
    for name, header in value["headers"].items():
        if name.lower() not in _HOP_HEADERS:
            headers.add(name, str(header.value))
    for cookie in value.get("cookies") or []:
        for morsel in cookie.values():
            headers.add("Set-Cookie", morsel.OutputString())
    body: meta.Datum = value["body"]
    return web.Response(status=int(value["status_code"].value), headers=headers, body=body.value)


async def invoke_http_function(
    caller: FunctionCaller, function: Any, request: web.Request, route_params: dict[str, str], verbose: bool
) -> web.Response:
    """Run one HTTP function; an exception is a logged traceback and an empty 500, as on the real host."""
    http_request = await build_http_request(request, route_params)
    name = function.get_function_name()
    if verbose:
        log.info(
            "%s <- %s %s route=%s body=%r",
            name,
            http_request.method,
            http_request.url,
            route_params,
            http_request.get_body()[:2000],
        )
    try:
        result = await caller.call(function, http_request, _origin(request), _binding_data(http_request))
        return encode_response(result)
    except Exception:
        log.exception("Executed '%s' (Failed)", name)
        return web.Response(status=500)


def _binding_data(request: func.HttpRequest) -> dict[str, Any]:
    """What `{...}` in another binding's path can name: route values, `query.<name>`, `headers.<name>`."""
    return {**request.route_params, "query": dict(request.params), "headers": dict(request.headers)}


def _origin(request: web.Request) -> str:
    return str(request.url.origin())
