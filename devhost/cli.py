"""`python -m devhost`: load settings and the app, start the engine, listen, stop cleanly on a signal.

Start-up order follows `func start`: settings into the environment, host.json, import the app (the
only slow step), then listen at once and print the function table. An app that fails to import gets a
one-line error naming the cause instead of a traceback wall.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import os
import signal
import socket
import sys
import time
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from aiohttp import web

from devhost.admin_invoke import AdminFunctions
from devhost.blob_bindings import BlobBinder, BlobBindingError
from devhost.blob_triggers import BlobFunction, BlobTriggerError, BlobTriggers, blob_functions
from devhost.client_api import ManagementApi
from devhost.client_rpc import InProcessRpc
from devhost.cors import CorsError, CorsPolicy
from devhost.discovery import LoadedApp, load_app
from devhost.event_loop import new_event_loop
from devhost.function_call import FunctionCaller
from devhost.function_table import describe_functions
from devhost.http_functions import http_route_table, refused_http_functions
from devhost.http_server import REQUEST_LIMITS, HostServer
from devhost.mcp_catalog import McpCatalog, McpCatalogError
from devhost.mcp_endpoint import MCP_PATH, McpEndpoint
from devhost.mcp_invoke import McpInvoker
from devhost.mcp_methods import McpMethods, ServerInfo
from devhost.ncrontab import ScheduleError
from devhost.queue_bindings import AppQueueOutputs, QueueBinder, app_queue_outputs, output_connections
from devhost.queue_listener import Host, Listeners
from devhost.queue_triggers import QueueFunction, queue_functions, queue_listener
from devhost.queues import QueueNameError, Queues
from devhost.routing import RouteError
from devhost.settings import (
    HostConfig,
    SettingsError,
    load_local_settings,
    read_host_config,
    read_host_start_settings,
    settings_file,
)
from devhost.signatures import FunctionLoadError, check_signatures
from devhost.supervised import SupervisorGone, SupervisorLink
from devhost.timer_triggers import ScheduleMonitor, TimerFunction, TimerRunner, timer_functions

if TYPE_CHECKING:  # imported late at run time: only the serving path needs the engine
    from devhost.engine import Engine

log = logging.getLogger("devhost")
HOST = "127.0.0.1"
DEFAULT_PORT = 7071  # Core Tools' StartHostAction.DefaultPort
RELOAD_HELP = (
    "restart the app when a .py file, host.json or the settings file under it changes (not in .venv, "
    ".git, .devhost, caches or node_modules), as func start does; state is kept. The port stays open: "
    "requests made during the hand-over wait for the new host. An activity still running is stopped "
    "and runs again on the new host, as after a restart; open long polls and event streams are closed "
    "after 0.5 s and a client's next poll resumes where it stopped. Nothing is lost."
)


class StartupError(Exception):
    """A problem that stops the host before it listens; its message is the one line we print."""


@dataclass
class PreparedApp:
    app_dir: Path
    state_path: Path
    config: HostConfig
    loaded: LoadedApp
    timers: list[TimerFunction]
    queue_targets: list[QueueFunction]
    queue_outputs: AppQueueOutputs
    blob_targets: list[BlobFunction]
    mcp: McpCatalog
    imported_at: float  # perf_counter() when the app's imports finished
    cors: CorsPolicy | None  # the settings file's Host.CORS, as func start applies it


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m devhost", description=__doc__.splitlines()[0])
    parser.add_argument("--app", default=".", help="folder holding function_app.py (default: .)")
    parser.add_argument(
        "--port",
        type=int,
        help="port on 127.0.0.1 (0 picks a free one; default: the settings' Host.LocalHttpPort, else 7071)",
    )
    parser.add_argument("--state", help="SQLite state file (default: APP/.devhost/state.db)")
    parser.add_argument("--verbose", action="store_true", help="log trigger payloads and engine detail")
    parser.add_argument("--reload", action="store_true", help=RELOAD_HELP)
    parser.add_argument("--supervised", help=argparse.SUPPRESS)  # CONTROL_FD,LISTEN_FD: set by --reload
    return parser.parse_args(argv)


def _import_failure(error: BaseException, app_dir: Path) -> str:
    """`file:line: Type: message` for the deepest frame inside the app, else just the error."""
    frames = [f for f in traceback.extract_tb(error.__traceback__) if f.filename.startswith(str(app_dir))]
    where = f"{Path(frames[-1].filename).relative_to(app_dir)}:{frames[-1].lineno}: " if frames else ""
    return f"cannot load {app_dir / 'function_app.py'}: {where}{type(error).__name__}: {error}"


def prepare(args: argparse.Namespace) -> PreparedApp:
    """Everything before listening; raises StartupError with a one-line reason."""
    app_dir = Path(args.app).resolve()
    state_path = Path(args.state).resolve() if args.state else app_dir / ".devhost" / "state.db"
    try:
        load_local_settings(app_dir)
        source = settings_file(app_dir)
        if source is not None and source.name != "local.settings.json":
            log.info("local.settings.json not found: using the settings in %s", source.name)
        config = read_host_config(app_dir)
        host_start = read_host_start_settings(app_dir)
        cors = CorsPolicy.from_settings(host_start.cors_origins, host_start.cors_credentials)
    except (SettingsError, CorsError) as error:
        raise StartupError(str(error)) from error
    try:
        loaded = load_app(app_dir)
    except Exception as error:
        raise StartupError(_import_failure(error, app_dir)) from error
    try:
        timers = timer_functions(loaded.functions, os.environ)
        queue_targets = queue_functions(loaded.functions, os.environ)
        blob_targets = blob_functions(loaded.functions, os.environ)
        queue_outputs = app_queue_outputs(loaded.functions, os.environ)
        http_route_table(loaded.functions, config.route_prefix)  # validate every template now
        for name, reason in refused_http_functions(loaded.functions).items():
            log.error("The '%s' function is in error: %s", name, reason)  # the host's message; others run
        mcp = McpCatalog(loaded.functions)
        for warning in check_signatures(loaded.functions):  # raises what the worker refuses to index
            log.warning("%s", warning)
    except (
        FunctionLoadError,
        SettingsError,
        ScheduleError,
        RouteError,
        McpCatalogError,
        QueueNameError,
        BlobTriggerError,
    ) as error:
        raise StartupError(str(error)) from error
    return PreparedApp(
        app_dir,
        state_path,
        config,
        loaded,
        timers,
        queue_targets,
        queue_outputs,
        blob_targets,
        mcp,
        time.perf_counter(),
        cors,
    )


def listening_socket(port: int) -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((HOST, port))
    except OSError as error:
        sock.close()
        raise StartupError(f"cannot listen on {HOST}:{port}: {error.strerror}") from error
    return sock


def _make_engine(prepared: PreparedApp, verbose: bool, caller: FunctionCaller) -> Engine:
    """The durable engine; `caller` runs the activities that have bindings besides their trigger."""
    from devhost.engine import Engine  # imported late: only the serving path needs it

    prepared.state_path.parent.mkdir(parents=True, exist_ok=True)
    return Engine(
        prepared.loaded.registry,
        prepared.state_path,
        hub_name=prepared.config.hub_name,
        default_version=prepared.config.default_version,
        extended_sessions=prepared.config.extended_sessions,
        session_idle_timeout_s=prepared.config.extended_session_idle_timeout_s,
        verbose=verbose,
        caller=caller,
    )


def _blob_binder(prepared: PreparedApp) -> BlobBinder:
    """Blob bindings' stores, chosen once; blobs kept locally live beside the state file."""
    local_root = prepared.state_path.with_name(prepared.state_path.stem + ".blobs")
    try:
        triggers = {t.connection for t in prepared.blob_targets}
        return BlobBinder(prepared.loaded.functions, os.environ, local_root, triggers)
    except (SettingsError, BlobBindingError) as error:
        raise StartupError(str(error)) from error


def _queues(prepared: PreparedApp) -> Queues:
    """The queues the app's triggers and outputs use, chosen once; local ones live beside the state."""
    connections = {t.connection for t in prepared.queue_targets} | {
        t.connection for t in prepared.blob_targets
    }
    connections |= output_connections(prepared.queue_outputs)
    local_root = prepared.state_path.with_name(prepared.state_path.stem + ".queues")
    return Queues(connections, os.environ, local_root, prepared.config.queues.message_encoding)


def _listeners(prepared: PreparedApp, host: Host, blob_triggers: BlobTriggers) -> Listeners:
    """Queue triggers' listeners, and blob triggers' scans with the host queue listeners that run them."""
    queue_listeners = [queue_listener(host, target) for target in prepared.queue_targets]
    return Listeners(queue_listeners + blob_triggers.listeners, blob_triggers.scanners())


def _mcp_endpoint(prepared: PreparedApp, caller: FunctionCaller) -> McpEndpoint:
    """`/runtime/webhooks/mcp`, served for every app like the extension bundle's MCP extension."""
    config = prepared.config
    server = ServerInfo(config.mcp_server_name, config.mcp_server_version, config.mcp_instructions)
    return McpEndpoint(McpMethods(prepared.mcp, McpInvoker(caller), server))


async def serve(prepared: PreparedApp, port: int, verbose: bool, link: SupervisorLink | None = None) -> None:
    """Listen until SIGINT/SIGTERM, then stop timers, the listener and the engine, in that order."""
    sock = link.listening_socket() if link else listening_socket(port)
    origin = f"http://{HOST}:{sock.getsockname()[1]}"
    blobs = _blob_binder(prepared)
    queues = _queues(prepared)
    queue_binder = QueueBinder(prepared.queue_outputs, queues)
    caller = FunctionCaller(prepared.config.hub_name, origin, str(prepared.app_dir), (blobs, queue_binder))
    engine = _make_engine(prepared, verbose, caller)
    host = Host(queues, caller, origin, prepared.config.queues)
    blob_triggers = BlobTriggers(prepared.blob_targets, blobs, host)
    listeners = _listeners(prepared, host, blob_triggers)
    monitor = ScheduleMonitor(prepared.state_path.with_name(prepared.state_path.stem + ".timers.json"))
    timers = TimerRunner(prepared.timers, caller, monitor, origin, verbose)
    routes = http_route_table(prepared.loaded.functions, prepared.config.route_prefix)
    management = ManagementApi(engine, prepared.config.hub_name)
    admin = AdminFunctions(host, timers, prepared.queue_targets, blob_triggers)
    server = HostServer(
        routes, caller, management, admin, verbose, _mcp_endpoint(prepared, caller), prepared.cors
    )
    client_rpc = InProcessRpc(management, origin)
    # In-flight requests get a short grace period on shutdown (a start-and-wait may last minutes).
    runner = web.AppRunner(
        server.application(), access_log=None, handle_signals=False, shutdown_timeout=0.5, **REQUEST_LIMITS
    )
    await runner.setup()
    await engine.start()
    client_rpc.install()
    await web.SockSite(runner, sock).start()
    schedules = {t.name: t.expression for t in prepared.timers}
    table = describe_functions(prepared.loaded.functions, origin, prepared.config.route_prefix, schedules)
    print(table, flush=True)
    if not prepared.mcp.is_empty:
        print(f"MCP server endpoint: {origin}{MCP_PATH}", flush=True)
    ready_ms = (time.perf_counter() - prepared.imported_at) * 1000
    print(f"Host listening on {origin} ({ready_ms:.0f} ms after the app's imports)", flush=True)
    timers.start()
    listeners.start()
    stopping = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stopping.set)
    if link is not None:
        link.stop_when_gone(lambda: loop.call_soon_threadsafe(stopping.set))
    try:
        await stopping.wait()
    finally:
        log.info("Stopping host")
        await timers.stop()
        await listeners.stop()
        await runner.cleanup()
        client_rpc.uninstall()
        await engine.stop()
        await blobs.close()
        await queues.close()
        if link is not None:
            link.stopped()  # the state has no writer left: the next host may start its engine
        await _close_client_session()


async def _close_client_session() -> None:
    """The SDK keeps one aiohttp session per process; close it so shutdown is quiet."""
    from azure.durable_functions.models.utils import http_utils

    session = getattr(http_utils, "_client_session", None)
    if session is not None and not session.closed:
        with contextlib.suppress(Exception):
            await session.close()


def _default_port(app: str) -> int:
    """`func start`'s port when --port is not given: Host.LocalHttpPort, else 7071."""
    try:
        port = read_host_start_settings(Path(app).resolve()).local_http_port
    except SettingsError as error:
        raise StartupError(str(error)) from error
    return DEFAULT_PORT if port is None else port


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.INFO,
        format="[%(asctime)s] %(message)s",
        stream=sys.stderr,
    )
    for noisy in ("asyncio", "aiohttp.access", "azure"):  # azure: the blob client logs every request
        logging.getLogger(noisy).setLevel(logging.WARNING)
    try:
        if args.port is None:
            args.port = _default_port(args.app)
        if args.reload:
            from devhost.reload import supervise

            return supervise(args)
        link = SupervisorLink.from_option(args.supervised, Path(args.app).resolve())
        if link is not None:
            link.wait_for("go")
        prepared = prepare(args)
        if link is not None:
            link.imported(prepared.app_dir)
            link.wait_for("serve")
            prepared.imported_at = time.perf_counter()  # start-up is timed from here, not the hand-over
        with asyncio.Runner(loop_factory=new_event_loop) as runner:
            runner.run(serve(prepared, args.port, args.verbose, link))
    except StartupError as error:
        print(f"devhost: error: {error}", file=sys.stderr, flush=True)
        return 1
    except KeyboardInterrupt:  # Ctrl-C while the app is still importing
        return 130
    except SupervisorGone:  # a spare whose supervisor stopped before it was needed
        return 0
    return 0
