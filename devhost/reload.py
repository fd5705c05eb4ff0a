"""`python -m devhost --reload`: a supervisor that restarts the host when the app's files change.

The supervisor holds the listening socket and runs the host as a child process (`devhost.supervised`
is the child's side). It polls the app's files (`devhost.watch`); on a change it tells a spare host,
started earlier and already warm with the libraries the app loads, to import the app; once the new
code has imported, it stops the serving host (SIGTERM: the normal, graceful stop) and tells the
spare to serve. So the port never closes, a new connection made during the hand-over waits in the
socket's backlog, and the time from save to served is the app's own import plus one engine start.
The old host's stop closes its idle keep-alive connections, so a request sent on one at that instant
is dropped, as across any HTTP server's restart; clients retry it (browsers, agentctl's follow).

Two hosts never run the engine at once: the spare only imports until the old one has exited, so
the SQLite state has one writer, as after any restart. What a reload does to work in flight is what
a restart does: a running activity is stopped and dispatched again by the new host (at least once,
as on Azure), timers and pending events stay in the store, and an open long poll or event stream is
closed after aiohttp's 0.5 s grace, so the client's next poll resumes from the durable history.

A host that dies while it serves (killed, out of memory, a crash in native code) is started again at
once from the spare, as the Functions host restarts a worker that died, and the engine resumes its
work from the store; a host that keeps dying (`RestartBudget`) waits for a change instead of looping.
An edit that breaks the import keeps the previous code serving (the error is printed) until the next
change. The spare loads the settings file before the libraries, as a cold start does; when the
settings or devhost's own sources change, it is replaced by a fresh one, since it has them loaded.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import select
import signal
import subprocess
import sys
import time
from collections import deque
from collections.abc import Callable
from pathlib import Path
from types import FrameType

from devhost.cli import listening_socket
from devhost.watch import SETTINGS_FILES, Watcher

log = logging.getLogger("devhost")
POLL_S = 0.25  # between two looks at the files: a few ms of CPU each
SETTLE_S = 0.02  # editors save in several writes; look once more before reloading
STOP_TIMEOUT_S = 15.0
DEVHOST_DIR = Path(__file__).resolve().parent
RESTARTS_PER_WINDOW = 3
RESTART_WINDOW_S = 60.0


def stales_the_spare(path: Path) -> bool:
    """A change the spare has already loaded: devhost's own code, or the settings it read at start."""
    return path.is_relative_to(DEVHOST_DIR) or path.name in SETTINGS_FILES


class RestartBudget:
    """At most `limit` restarts after a crash within any `window_s`: an app that takes its host down
    each time it starts or resumes a step would otherwise restart it forever."""

    def __init__(self, limit: int = RESTARTS_PER_WINDOW, window_s: float = RESTART_WINDOW_S) -> None:
        self._limit = limit
        self._window_s = window_s
        self._restarts: deque[float] = deque()

    def allows(self, now: float) -> bool:
        """Whether one more restart fits at `now` (monotonic seconds); counts it when it does."""
        while self._restarts and now - self._restarts[0] >= self._window_s:
            self._restarts.popleft()
        if len(self._restarts) >= self._limit:
            return False
        self._restarts.append(now)
        return True


class HostProcess:
    """One supervised `python -m devhost` child: its process, its command pipe and its control pipe."""

    def __init__(self, args: argparse.Namespace, listen_fd: int, libraries: list[str]) -> None:
        control_read, control_write = os.pipe()
        command = [sys.executable, "-m", "devhost", "--app", args.app, "--port", str(args.port)]
        command += (["--state", args.state] if args.state else []) + (["--verbose"] if args.verbose else [])
        command += ["--supervised", f"{control_write},{listen_fd}"]
        self.process = subprocess.Popen(command, stdin=subprocess.PIPE, pass_fds=(control_write, listen_fd))
        os.close(control_write)
        self._control = control_read
        self._received = b""
        self._stopped = False
        if libraries:
            self.send(f"warm {json.dumps(libraries)}")

    def send(self, command: str) -> None:
        """One command line on the child's stdin; a child that has exited simply does not hear it."""
        stdin = self.process.stdin
        if stdin is None or stdin.closed:
            return
        try:
            stdin.write(command.encode() + b"\n")
            stdin.flush()
        except BrokenPipeError:
            pass

    def report(self, until: float, give_up: Callable[[], bool] = lambda: False) -> tuple[str, str] | None:
        """The child's next report as (verb, argument); None at its exit, `until` or when `give_up()`."""
        while b"\n" not in self._received:
            if give_up() or time.monotonic() > until:
                return None
            ready, _, _ = select.select([self._control], [], [], POLL_S)
            if not ready:
                continue
            chunk = os.read(self._control, 65536)
            if not chunk:
                return None
            self._received += chunk
        line, _, self._received = self._received.partition(b"\n")
        verb, _, argument = line.decode().partition(" ")
        return verb, argument

    def wait_imported(self, give_up: Callable[[], bool]) -> list[str] | None:
        """The libraries the child loaded once it imported the app; None when it exited instead."""
        report = self.report(float("inf"), give_up)
        return list(json.loads(report[1])) if report is not None and report[0] == "imported" else None

    def running(self) -> bool:
        return self.process.poll() is None

    def stop(self) -> None:
        """SIGTERM (the host stops gracefully) and wait until its engine has stopped or it has exited.

        A host that has not stopped within STOP_TIMEOUT_S is killed. The process may still be
        finishing its exit when this returns; `reap` waits for that.
        """
        if self._stopped:
            return
        self._stopped = True
        if self.running():
            self.process.send_signal(signal.SIGTERM)
            deadline = time.monotonic() + STOP_TIMEOUT_S
            while (report := self.report(deadline)) not in (None, ("stopped", "")):
                pass  # an `imported` report the host sent before it was told to stop
            if report is None and time.monotonic() > deadline:
                self.process.kill()
        os.close(self._control)

    def reap(self) -> None:
        """Wait for the stopped process to exit (SIGKILL after STOP_TIMEOUT_S), then close its stdin.

        stdin stays open until then: its end means "your supervisor is gone" to a host.
        """
        try:
            self.process.wait(timeout=STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        if self.process.stdin is not None:
            self.process.stdin.close()


class Supervisor:
    """Keeps one host serving the app's current code, and one spare ready to take over."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.app_dir = Path(args.app).resolve()
        self.socket = listening_socket(args.port)
        self.stopping = False
        self.libraries: list[str] = []
        self.current: HostProcess | None = None
        self.retired: list[HostProcess] = []  # stopped, possibly still exiting
        self.restarts = RestartBudget()
        self.spare = self._spawn()

    def _spawn(self) -> HostProcess:
        return HostProcess(self.args, self.socket.fileno(), self.libraries)

    def _retire(self, host: HostProcess) -> None:
        host.stop()
        self.retired.append(host)

    def request_stop(self, signum: int, frame: FrameType | None) -> None:
        self.stopping = True

    def run(self) -> None:
        """Serve, then watch and hand over on every change until SIGINT/SIGTERM."""
        watcher = Watcher(self.app_dir)
        self.take_over()
        while not self.stopping:
            time.sleep(POLL_S)
            for host in [host for host in self.retired if not host.running()]:
                host.reap()
                self.retired.remove(host)
            if self.current is not None and not self.current.running():
                self._restart_after_exit(self.current)
            changes = watcher.poll()
            if not changes:
                continue
            time.sleep(SETTLE_S)
            changes += watcher.poll()
            names = sorted({str(path.relative_to(self.app_dir)) for path in changes})
            log.info("Reloading: %s changed", ", ".join(names[:3]) + (" ..." if len(names) > 3 else ""))
            self._fresh_spare(stale=any(stales_the_spare(path) for path in changes))
            self.take_over()

    def _restart_after_exit(self, exited: HostProcess) -> None:
        """The serving host has exited on its own: start the spare in its place, unless it keeps dying."""
        code = exited.process.returncode
        self._retire(exited)
        self.current = None
        if not self.restarts.allows(time.monotonic()):
            log.info(
                "The host exited (code %s), %d times within %.0f s: waiting for a change",
                code,
                RESTARTS_PER_WINDOW + 1,
                RESTART_WINDOW_S,
            )
            return
        log.info("The host exited (code %s): starting it again", code)
        self._fresh_spare(stale=False)
        self.take_over()

    def _fresh_spare(self, stale: bool) -> None:
        """Replace the spare when it has exited or has loaded what changed (`stale`)."""
        if stale or not self.spare.running():
            self._retire(self.spare)
            self.spare = self._spawn()

    def take_over(self) -> None:
        """The spare imports the current code; if that works it replaces the serving host."""
        started = time.perf_counter()
        self.spare.send("go")
        libraries = self.spare.wait_imported(lambda: self.stopping)
        imported = time.perf_counter()
        if libraries is None:
            if not self.stopping:
                still = "still serving the previous code" if self.current else "waiting for a change"
                log.info("The app did not import (see the error above): %s", still)
            self._retire(self.spare)
        else:
            if self.current is not None:
                self._retire(self.current)
                log.info(
                    "Reloaded: app imported in %.0f ms, previous host stopped in %.0f ms",
                    (imported - started) * 1000,
                    (time.perf_counter() - imported) * 1000,
                )
            self.spare.send("serve")
            self.current, self.libraries = self.spare, libraries
        if not self.stopping:
            self.spare = self._spawn()

    def shutdown(self) -> None:
        for host in (self.current, self.spare):
            if host is not None:
                self._retire(host)
        for host in self.retired:
            host.reap()
        self.socket.close()


def supervise(args: argparse.Namespace) -> int:
    """Run the app under a reloading supervisor until SIGINT/SIGTERM; 0 on a clean stop."""
    supervisor = Supervisor(args)
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, supervisor.request_stop)
    try:
        log.info("Watching %s for changes (.py, host.json, settings)", supervisor.app_dir)
        supervisor.run()
    finally:
        supervisor.shutdown()
    return 0
