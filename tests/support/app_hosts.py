"""Hosts of fresh copies of a test app, each with one setting chosen per host, closed at the end.

Tests that run the same app against different stores (the local one, Azurite) start one host per
store; each hosts its own copy, so importing the app leaves no bytecode or state in the repository.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from devhost.testing import DevHost, copy_app

StartHost = Callable[[str], DevHost]


@contextmanager
def app_hosts(app: Path, workdir: Path, setting: str) -> Iterator[StartHost]:
    """`start(value)`: a launched host of a copy of `app` whose `setting` is `value`, on its own state."""
    hosts: list[DevHost] = []

    def start(value: str) -> DevHost:
        index = len(hosts)
        running = DevHost(
            copy_app(app, workdir / f"app{index}"), workdir / f"state{index}.db", env={setting: value}
        )
        hosts.append(running)
        return running.launch()

    try:
        yield start
    finally:
        for running in hosts:
            running.close()
