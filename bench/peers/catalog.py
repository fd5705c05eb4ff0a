"""The systems in the table, in the order they are shown; the first one is the floor."""

from collections.abc import Sequence

from bench.peers import dbos_peer, http_stream_peer, langgraph_peer, plain_peer, template_peer
from bench.peers.system import System

FLOOR = "asyncio"
HTTP_STREAMING_FLOOR = "asyncio-http"  # the template's hop and streamed words, without durability
TEMPLATE = "template"

SYSTEMS: tuple[System, ...] = (
    System(FLOOR, "plain asyncio (floor, not durable)", durable=False, open=plain_peer.session),
    System(
        HTTP_STREAMING_FLOOR,
        "plain asyncio over HTTP, streaming (not durable)",
        durable=False,
        open=http_stream_peer.session,
    ),
    System(
        "langgraph",
        "LangGraph + SQLite (durability=sync)",
        durable=True,
        open=langgraph_peer.session_with("sync"),
    ),
    System(
        "langgraph-async",
        "LangGraph + SQLite (durability=async, its default)",
        durable=True,
        open=langgraph_peer.session_with("async"),
    ),
    System("dbos", "DBOS + SQLite", durable=True, open=dbos_peer.session),
    System(TEMPLATE, "this template (devhost, HTTP)", durable=True, open=template_peer.session),
)


def select(keys: list[str] | None) -> tuple[System, ...]:
    """The named systems (always including the floor, which every ratio needs), in table order."""
    if not keys:
        return SYSTEMS
    known = {system.key for system in SYSTEMS}
    unknown = sorted(set(keys) - known)
    if unknown:
        raise ValueError(f"--systems: unknown {', '.join(unknown)}; known: {', '.join(sorted(known))}")
    return tuple(system for system in SYSTEMS if system.key in {FLOOR, *keys})


def beside_floor(systems: Sequence[System]) -> tuple[System, ...] | None:
    """The floor and the template alone, when both were chosen along with other systems; else None."""
    keys = {system.key for system in systems}
    if not {FLOOR, TEMPLATE} <= keys or len(keys) == 2:
        return None
    return tuple(system for system in systems if system.key in (FLOOR, TEMPLATE))
