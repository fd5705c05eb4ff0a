"""The host's one HTTP listener: management API, admin endpoints, the app's HTTP triggers, the homepage.

Everything runs on one asyncio loop (aiohttp.web), the same loop as the engine and the durable client,
so the SDK's module-level aiohttp session stays valid. Requests are dispatched by hand rather than with
aiohttp's router, because the app's routes follow ASP.NET rules (see routing.py) and a method the route
does not accept must get the real host's empty 404. With CORS configured (local.settings.json `Host`),
Core Tools' CORS middleware sits in front of all of it (see cors.py). Unlike Core Tools, a state-changing
request from a web page on another site is refused (see cross_site.py).
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import time
from typing import Any

from aiohttp import web

from devhost.admin_invoke import AdminFunctions, invocation_input
from devhost.client_api import ManagementApi
from devhost.cors import CorsPolicy
from devhost.cross_site import CODE as CROSS_SITE
from devhost.cross_site import refusal
from devhost.function_call import FunctionCaller
from devhost.http_functions import invoke_http_function
from devhost.mcp_endpoint import McpEndpoint
from devhost.routing import RouteTable

log = logging.getLogger("devhost.http")
ADMIN_STATUS_PATH = "/admin/host/status"
ADMIN_FUNCTIONS_PREFIX = "/admin/functions/"
# Kestrel's defaults, which func start keeps (it raises only MaxRequestBodySize, to 100 MB): an 8 KB
# request line, 100 headers, 32 KB of headers in all. aiohttp has no total, so one header may take it
# all; it answers what exceeds them 400 (its status is fixed), where Kestrel answers 414 or 431.
REQUEST_LIMITS: dict[str, Any] = {"max_line_size": 8192, "max_headers": 100, "max_field_size": 32768}
MAX_BODY_BYTES = 100 * 1024 * 1024


DISABLE_HOMEPAGE = "AzureWebJobsDisableHomepage"  # the host's setting name (EnvironmentSettingNames)
HOMEPAGE = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>Azure Functions</title></head>
<body><h1>Your Functions app is up and running</h1>
<p>Served by the embedded host (devhost). Set AzureWebJobsDisableHomepage=true to turn this page off.</p>
</body></html>
"""


def homepage() -> web.Response:
    """HomepageMiddleware: `/` with no function on it is a 200 page, or 204 when the setting disables it.

    Read per request from the environment, as the host reads the setting per request.
    """
    if os.environ.get(DISABLE_HOMEPAGE, "").lower() == "true":
        return web.Response(status=204)
    return web.Response(status=200, text=HOMEPAGE, content_type="text/html")


class HostServer:
    """Dispatches each request and logs one line with its status and duration."""

    def __init__(
        self,
        routes: RouteTable[Any],
        caller: FunctionCaller,
        management: ManagementApi,
        functions: AdminFunctions | None,
        verbose: bool,
        mcp: McpEndpoint | None = None,
        cors: CorsPolicy | None = None,
    ) -> None:
        self.routes = routes
        self.caller = caller
        self.management = management
        self.functions = functions
        self.verbose = verbose
        self.mcp = mcp
        self.cors = cors
        self.background: set[asyncio.Task[Any]] = set()

    def application(self) -> web.Application:
        app = web.Application(client_max_size=MAX_BODY_BYTES)
        app.router.add_route("*", r"/{tail:[\s\S]*}", self.handle)  # [\s\S]: paths may hold %0A
        if self.cors is not None:
            app.on_response_prepare.append(self.add_cors_headers)  # streamed responses too
        return app

    async def handle(self, request: web.Request) -> web.StreamResponse:
        started = time.perf_counter()
        own_origin = f"{request.scheme}://{request.host}"
        if self.cors is not None and self.cors.is_preflight(request.method, request.headers):
            response = web.Response(status=204, headers=self.cors.preflight_headers(request.headers))
        elif refused := refusal(request.method, request.headers, own_origin, self.cors):
            response = web.json_response({"error": {"code": CROSS_SITE, "message": refused}}, status=403)
        else:
            response = await self.dispatch(request)
        elapsed_ms = (time.perf_counter() - started) * 1000
        log.info("%s %s -> %d (%.1f ms)", request.method, request.rel_url, response.status, elapsed_ms)
        return response

    async def add_cors_headers(self, request: web.Request, response: web.StreamResponse) -> None:
        """The CORS middleware's headers on every non-preflight response to an allowed Origin."""
        if self.cors is None or self.cors.is_preflight(request.method, request.headers):
            return
        for name, value in self.cors.response_headers(request.headers).items():
            if name == "Vary":
                response.headers.add(name, value)  # appended to the function's own Vary, as ASP.NET does
            else:
                response.headers[name] = value

    async def dispatch(self, request: web.Request) -> web.Response:
        management = await self.management.handle(request)
        if management is not None:
            return management
        admin = await self.admin(request)
        if admin is not None:
            return admin
        if self.mcp is not None and self.mcp.matches(request.rel_url.path):
            return await self.mcp.handle(request)
        found = self.routes.resolve(request.method, request.rel_url.raw_path)
        if found is None and request.rel_url.raw_path == "/":
            return homepage()
        if found is None:
            return web.Response(status=404)
        route, route_params = found
        return await invoke_http_function(self.caller, route.target, request, route_params, self.verbose)

    async def admin(self, request: web.Request) -> web.Response | None:
        """`GET /admin/host/status` (readiness) and `POST /admin/functions/{name}` (run a function now)."""
        path = request.rel_url.path
        if path == ADMIN_STATUS_PATH and request.method == "GET":
            return web.json_response({"state": "Running"})
        if not (path.startswith(ADMIN_FUNCTIONS_PREFIX) and request.method == "POST"):
            return None
        name = path[len(ADMIN_FUNCTIONS_PREFIX) :]
        try:
            value = invocation_input(json.loads(await request.read() or b"null"))
        except (ValueError, RecursionError):
            value = None
        if value is None:  # FunctionsController.Invoke: no FunctionInvocation body is a 400, checked first
            return web.Response(status=400)
        if self.functions is None or not self.functions.knows(name):
            return web.Response(status=404)
        task = asyncio.create_task(self.functions.invoke(name, value))
        self.background.add(task)
        task.add_done_callback(self.background.discard)
        return web.Response(status=202)
