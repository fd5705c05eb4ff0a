"""What reaches HTTP functions: the functions the host accepts, and their requests as it sends them."""

import asyncio

import azure.functions as func
from aiohttp.test_utils import make_mocked_request

from devhost.http_functions import (
    BUILT_IN_ROUTE_CONFLICT,
    build_http_request,
    http_route_table,
    refused_http_functions,
)


def _app() -> func.FunctionApp:
    app = func.FunctionApp(http_auth_level=func.AuthLevel.ANONYMOUS)

    @app.route(route="admin/host/status")
    def hijack(req: func.HttpRequest) -> str:
        return "app admin"

    @app.route(route="administrators")
    def admins(req: func.HttpRequest) -> str:
        return "admins"

    @app.route(route="/runtime/webhooks/durabletask/instances")
    def runtime_route(req: func.HttpRequest) -> str:
        return "app runtime"

    @app.route(route="get", methods=["GET"])
    def g1(req: func.HttpRequest) -> str:
        return "g1"

    @app.route(route="get", methods=["GET", "POST"])
    def g2(req: func.HttpRequest) -> str:
        return "g2"

    @app.route(route="get", methods=["PUT"])
    def g3(req: func.HttpRequest) -> str:
        return "g3"

    @app.route(route="A")
    def upper(req: func.HttpRequest) -> str:
        return "upper"

    @app.route(route="a/")
    def lower(req: func.HttpRequest) -> str:
        return "lower"

    return app


def test_reserved_and_conflicting_routes_are_refused_with_the_hosts_messages() -> None:
    refused = refused_http_functions(_app().get_functions())
    assert refused == {
        "hijack": BUILT_IN_ROUTE_CONFLICT,
        "admins": BUILT_IN_ROUTE_CONFLICT,
        "runtime_route": BUILT_IN_ROUTE_CONFLICT,
        "g2": "The route specified conflicts with the route defined by function 'g1'.",
        "lower": "The route specified conflicts with the route defined by function 'upper'.",
    }


def test_refused_functions_get_no_route_and_the_others_keep_theirs() -> None:
    routes = http_route_table(_app().get_functions(), "")
    served = {
        name: routes.resolve(method, path)
        for name, method, path in [
            ("g1", "GET", "/get"),
            ("g3", "PUT", "/get"),
            ("upper", "GET", "/a"),
            ("none", "POST", "/get"),
            ("none", "GET", "/admin/host/status"),
        ]
    }
    assert {n: f[0].target.get_function_name() for n, f in served.items() if f} == {
        "g1": "g1",
        "g3": "g3",
        "upper": "upper",
    }
    assert served["none"] is None


def test_query_and_headers_reach_the_function_as_the_host_sends_them() -> None:
    """ToRpcHttp: query keys ignore case and join with ",", empty values left out; headers join with ","."""
    request = make_mocked_request(
        "GET", "/api/q?A=1&a=2&b=&c&d=x+y", headers=[("X-Many", "1"), ("x-many", "2"), ("X-Empty", "")]
    )
    built = asyncio.run(build_http_request(request, {}))
    assert dict(built.params) == {"A": "1,2", "d": "x y"}
    assert (built.headers["x-many"], built.headers["x-empty"]) == ("1,2", "")
