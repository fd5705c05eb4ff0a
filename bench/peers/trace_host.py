"""`python -m bench.peers.trace_host MARKS -m devhost ...`: the embedded host, timestamping where a run goes.

The diagnosis launches the host through this module (as it launches it through cProfile for the
profile): it wraps a handful of host and template functions so that each entry and exit appends
`(monotonic ns, label, ">" or "<")` to a list, starts `devhost` with the remaining arguments, and
writes the list to MARKS as JSON when the host exits. The client stamps its own send and answer on
the same monotonic clock, so `bench.peers.segments` can cut each run into contiguous segments on the
caller's clock. A wrapper costs about a microsecond per call, a few dozen calls per run.

Only the benchmark does this: neither the host nor the app knows they are being traced.
"""

import atexit
import functools
import importlib
import inspect
import json
import sys
import time
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any

import bench.template_host  # noqa: F401  # the host's telemetry policy, before agent_framework is imported
from bench.peers.segments import Mark

# (module, attribute path, label): the points `bench.peers.segments` cuts a run at.
TRACED = (
    ("devhost.http_server", "HostServer.handle", "http"),
    ("devhost.client_rpc", "InProcessRpc._serve", "rpc"),
    ("devhost.runner", "EpisodeRunner.run", "episode"),
    ("devhost.dispatcher", "run_activity", "activity"),
    ("agents.offline.client", "RawOfflineChatClient._stream", "model"),
)


def _timed(function: Callable[..., Any], label: str, marks: list[Mark]) -> Callable[..., Any]:
    """`function` marking its entry and exit; an async generator is entered when first iterated."""
    clock = time.monotonic_ns
    if inspect.isasyncgenfunction(function):

        @functools.wraps(function)
        async def stream(*args: Any, **kwargs: Any) -> AsyncIterator[Any]:
            marks.append((clock(), label, ">"))
            async for item in function(*args, **kwargs):
                yield item
            marks.append((clock(), label, "<"))

        return stream
    if inspect.iscoroutinefunction(function):

        @functools.wraps(function)
        async def coroutine(*args: Any, **kwargs: Any) -> Any:
            marks.append((clock(), label, ">"))
            try:
                return await function(*args, **kwargs)
            finally:
                marks.append((clock(), label, "<"))

        return coroutine

    @functools.wraps(function)
    def plain(*args: Any, **kwargs: Any) -> Any:
        marks.append((clock(), label, ">"))
        try:
            return function(*args, **kwargs)
        finally:
            marks.append((clock(), label, "<"))

    return plain


def traced_points() -> Iterator[tuple[Any, str, str]]:
    """(owner, attribute name, label) of every traced point; a missing one raises, naming it."""
    for module_name, path, label in TRACED:
        owner: Any = importlib.import_module(module_name)
        *parents, name = path.split(".")
        for parent in parents:
            owner = getattr(owner, parent)
        yield owner, name, label


def install(marks: list[Mark]) -> None:
    """Wrap every traced point (the benchmark reports a missing one as a problem)."""
    for owner, name, label in traced_points():
        setattr(owner, name, _timed(getattr(owner, name), label, marks))


def main(argv: list[str]) -> int:
    if len(argv) < 3 or argv[1:3] != ["-m", "devhost"]:
        print("usage: python -m bench.peers.trace_host MARKS -m devhost [devhost options]", file=sys.stderr)
        return 2
    marks: list[Mark] = []
    out = Path(argv[0])
    atexit.register(lambda: out.write_text(json.dumps(marks)))
    install(marks)
    from devhost.cli import main as devhost_main

    return devhost_main(argv[3:])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
