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

from devhost.client_api import ManagementApi
from devhost.client_rpc import InProcessRpc
from devhost.discovery import LoadedApp, load_app
from devhost.event_loop import new_event_loop
from devhost.function_call import FunctionCaller
from devhost.function_table import describe_functions
from devhost.http_functions import http_route_table
from devhost.http_server import HostServer
from devhost.ncrontab import ScheduleError
from devhost.routing import RouteError
from devhost.settings import (
    HostConfig,
    SettingsError,
    load_local_settings,
    read_host_config,
    settings_file,
)
from devhost.timer_triggers import ScheduleMonitor, TimerFunction, TimerRunner, timer_functions

if TYPE_CHECKING:  # imported late at run time: only the serving path needs the engine
    from devhost.engine import Engine

log = logging.getLogger("devhost")
HOST = "127.0.0.1"


class StartupError(Exception):
    """A problem that stops the host before it listens; its message is the one line we print."""


@dataclass
class PreparedApp:
    app_dir: Path
    state_path: Path
    config: HostConfig
    loaded: LoadedApp
    timers: list[TimerFunction]
    imported_at: float  # perf_counter() when the app's imports finished


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m devhost", description=__doc__.splitlines()[0])
    parser.add_argument("--app", default=".", help="folder holding function_app.py (default: .)")
    parser.add_argument("--port", type=int, default=7071, help="port on 127.0.0.1 (0 picks a free one)")
    parser.add_argument("--state", help="SQLite state file (default: APP/.devhost/state.db)")
    parser.add_argument("--verbose", action="store_true", help="log trigger payloads and engine detail")
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
    except SettingsError as error:
        raise StartupError(str(error)) from error
    try:
        loaded = load_app(app_dir)
    except Exception as error:
        raise StartupError(_import_failure(error, app_dir)) from error
    try:
        timers = timer_functions(loaded.functions, os.environ)
        http_route_table(loaded.functions, config.route_prefix)  # validate every template now
    except (SettingsError, ScheduleError, RouteError) as error:
        raise StartupError(str(error)) from error
    return PreparedApp(app_dir, state_path, config, loaded, timers, time.perf_counter())


def _listening_socket(port: int) -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((HOST, port))
    except OSError as error:
        sock.close()
        raise StartupError(f"cannot listen on {HOST}:{port}: {error.strerror}") from error
    return sock


def _make_engine(prepared: PreparedApp, verbose: bool) -> Engine:
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
    )


async def serve(prepared: PreparedApp, port: int, verbose: bool) -> None:
    """Listen until SIGINT/SIGTERM, then stop timers, the listener and the engine, in that order."""
    sock = _listening_socket(port)
    origin = f"http://{HOST}:{sock.getsockname()[1]}"
    engine = _make_engine(prepared, verbose)
    caller = FunctionCaller(prepared.config.hub_name, origin, str(prepared.app_dir))
    monitor = ScheduleMonitor(prepared.state_path.with_name(prepared.state_path.stem + ".timers.json"))
    timers = TimerRunner(prepared.timers, caller, monitor, origin, verbose)
    routes = http_route_table(prepared.loaded.functions, prepared.config.route_prefix)
    management = ManagementApi(engine, prepared.config.hub_name)
    server = HostServer(routes, caller, management, timers, verbose)
    client_rpc = InProcessRpc(management, origin)
    # In-flight requests get a short grace period on shutdown (a start-and-wait may last minutes).
    runner = web.AppRunner(server.application(), access_log=None, handle_signals=False, shutdown_timeout=0.5)
    await runner.setup()
    await engine.start()
    client_rpc.install()
    await web.SockSite(runner, sock).start()
    schedules = {t.name: t.expression for t in prepared.timers}
    table = describe_functions(prepared.loaded.functions, origin, prepared.config.route_prefix, schedules)
    print(table, flush=True)
    ready_ms = (time.perf_counter() - prepared.imported_at) * 1000
    print(f"Host listening on {origin} ({ready_ms:.0f} ms after the app's imports)", flush=True)
    timers.start()
    stopping = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stopping.set)
    try:
        await stopping.wait()
    finally:
        log.info("Stopping host")
        await timers.stop()
        await runner.cleanup()
        client_rpc.uninstall()
        await engine.stop()
        await _close_client_session()


async def _close_client_session() -> None:
    """The SDK keeps one aiohttp session per process; close it so shutdown is quiet."""
    from azure.durable_functions.models.utils import http_utils

    session = getattr(http_utils, "_client_session", None)
    if session is not None and not session.closed:
        with contextlib.suppress(Exception):
            await session.close()


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.INFO,
        format="[%(asctime)s] %(message)s",
        stream=sys.stderr,
    )
    for noisy in ("asyncio", "aiohttp.access"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    try:
        prepared = prepare(args)
        with asyncio.Runner(loop_factory=new_event_loop) as runner:
            runner.run(serve(prepared, args.port, args.verbose))
    except StartupError as error:
        print(f"devhost: error: {error}", file=sys.stderr, flush=True)
        return 1
    except KeyboardInterrupt:  # Ctrl-C while the app is still importing
        return 130
    return 0
