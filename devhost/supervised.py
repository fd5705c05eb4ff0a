"""The host process's side of `--reload`: warm up, import the app when told, serve when told.

A supervised host is started before it is needed, as a spare, so a reload costs only the import of
the app's own modules. The supervisor talks to it over two pipes:

- commands on stdin, one per line: `warm <json list of module names>` (import these now: the
  libraries the previous host loaded), `go` (import the app), `serve` (start the engine and listen);
- reports on the control pipe: `imported <json list>` once the app is imported, with the modules
  loaded from outside the app folder, which warm the next spare; `stopped` once its engine has
  stopped, so the next host may start before this process has finished exiting.

It serves on the listening socket it inherited (`--supervised CONTROL_FD,LISTEN_FD`), so the port
never closes across reloads: connections made while one host hands over to the next wait in the
socket's backlog. When stdin closes (the supervisor is gone, even by `kill -9`), the host stops.
"""

from __future__ import annotations

import contextlib
import importlib
import json
import logging
import os
import socket
import sys
import threading
from collections.abc import Callable
from pathlib import Path

from devhost.settings import SettingsError, load_local_settings
from devhost.watch import is_app_source

log = logging.getLogger("devhost")


class SupervisorGone(Exception):
    """stdin closed before the awaited command: the supervisor stopped or died."""


def libraries_loaded(app_dir: Path) -> list[str]:
    """Loaded modules that are not the app's sources, in import order: what warms the next spare.

    devhost's own modules count as libraries even where devhost sits inside the app folder (as in
    this template): the host is not the app, and the supervisor replaces the spare when they change.
    """
    names = []
    for name, module in list(sys.modules.items()):
        origin = getattr(module, "__file__", None)
        if name == "__main__" or not origin:
            continue
        if name.partition(".")[0] == "devhost" or not is_app_source(app_dir, Path(origin).resolve()):
            names.append(name)
    return names


def warm(names: list[str]) -> None:
    """Import the libraries a previous host loaded; one that fails now fails again in the app, visibly."""
    for name in names:
        try:
            importlib.import_module(name)
        except Exception:  # the app's own import reports it, with its context
            continue


class SupervisorLink:
    """Commands from stdin, reports to the control pipe, the inherited listening socket."""

    def __init__(self, control_fd: int, listen_fd: int, app_dir: Path) -> None:
        self._control = os.fdopen(control_fd, "w", buffering=1)
        self._listen_fd = listen_fd
        self._commands = sys.stdin.buffer
        # Settings first, as in a cold start: a library may read them as it is imported. (A broken
        # file is reported when the app is imported; a changed one gets a fresh spare.)
        with contextlib.suppress(SettingsError):
            load_local_settings(app_dir)
        warm(["devhost.engine"])  # a spare is going to serve: load the engine while it waits

    @classmethod
    def from_option(cls, value: str | None, app_dir: Path) -> SupervisorLink | None:
        """The link named by `--supervised CONTROL_FD,LISTEN_FD`, or None when not supervised."""
        if value is None:
            return None
        control_fd, listen_fd = (int(part) for part in value.split(","))
        return cls(control_fd, listen_fd, app_dir)

    def wait_for(self, command: str) -> None:
        """Block until `command` arrives, warming up on the way; SupervisorGone on end of input."""
        while True:
            line = self._commands.readline().decode()
            if not line:
                raise SupervisorGone
            verb, _, argument = line.strip().partition(" ")
            if verb == "warm":
                warm(json.loads(argument))
            elif verb == command:
                return

    def imported(self, app_dir: Path) -> None:
        self._control.write(f"imported {json.dumps(libraries_loaded(app_dir))}\n")

    def stopped(self) -> None:
        self._control.write("stopped\n")

    def listening_socket(self) -> socket.socket:
        return socket.socket(fileno=self._listen_fd)

    def stop_when_gone(self, stop: Callable[[], object]) -> None:
        """Call `stop` (from a thread) once stdin reaches its end: no host outlives its supervisor."""

        def watch() -> None:
            # Raw reads: a daemon thread blocked inside the buffered stdin would hold its lock at exit.
            while os.read(self._commands.fileno(), 4096):
                pass
            log.info("The reload supervisor is gone: stopping")
            stop()

        threading.Thread(target=watch, name="devhost-supervisor-link", daemon=True).start()
