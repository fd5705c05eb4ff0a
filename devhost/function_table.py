"""The function table printed at start-up, laid out like `func start` prints it.

A function whose trigger this host does not run (Service Bus, Event Hubs, Event Grid, Cosmos DB...)
or that has a binding it cannot supply is listed with a note saying so, so it does not sit there
silently: under `func start` it would run. A trigger type no host or extension knows (a typo such as
`timerTriger`) is named as unknown instead: `func start` would fail that function too.
"""

from __future__ import annotations

from typing import Any

from devhost.binding_types import is_known_trigger, unknown_trigger_note
from devhost.blob_triggers import BLOB_TRIGGER
from devhost.function_call import binding_type, unsupported_bindings
from devhost.mcp_catalog import MCP_TRIGGERS
from devhost.queue_triggers import QUEUE_TRIGGER
from devhost.registry import ACTIVITY_TRIGGER, ENTITY_TRIGGER, ORCHESTRATION_TRIGGER
from devhost.timer_triggers import TIMER_TRIGGER

# Triggers the embedded host runs, lower-cased (HTTP triggers are recognised by `is_http_function`).
HOSTED_TRIGGERS = frozenset(
    name.lower()
    for name in (
        TIMER_TRIGGER,
        QUEUE_TRIGGER,
        BLOB_TRIGGER,
        ORCHESTRATION_TRIGGER,
        ACTIVITY_TRIGGER,
        ENTITY_TRIGGER,
        *MCP_TRIGGERS,
    )
)


def runs_locally(function: Any) -> bool:
    """Whether this host ever calls the function (its trigger is one it runs)."""
    return bool(function.is_http_function()) or binding_type(function.get_trigger()) in HOSTED_TRIGGERS


def _trigger_type(function: Any) -> str:
    """The trigger's type as declared (generic triggers carry only `type`)."""
    trigger = function.get_trigger()
    return str(trigger.type or trigger.get_binding_name())


def _http_line(function: Any, origin: str, route_prefix: str) -> str:
    trigger = function.get_trigger()
    methods = ",".join(str(getattr(m, "value", m)).upper() for m in trigger.methods or []) or "*"
    path = "/".join(
        p for p in (route_prefix, (trigger.route or function.get_function_name()).strip("/")) if p
    )
    return f"[{methods}] {origin}/{path}"


def describe_functions(
    functions: list[Any], origin: str, route_prefix: str, schedules: dict[str, str] | None = None
) -> str:
    """One line per function: HTTP functions with methods and URL, others with their trigger type.

    `schedules` maps timer function names to their resolved schedule (setting references expanded).
    """
    lines = ["", "Functions:", ""]
    for function in functions:
        name = function.get_function_name()
        if function.is_http_function():
            detail = _http_line(function, origin, route_prefix)
        else:
            detail = _trigger_type(function)
            schedule = (schedules or {}).get(name) or getattr(function.get_trigger(), "schedule", None)
            if schedule:
                detail += f" ({schedule})"
        note = _note(function)
        lines.append(f"        {name}: {detail}{f'  {note}' if note else ''}")
    lines.append("")
    return "\n".join(lines)


def _note(function: Any) -> str | None:
    """Why the host will not run the function as written, if it will not."""
    if not function.is_http_function() and not is_known_trigger(_trigger_type(function)):
        return unknown_trigger_note(_trigger_type(function))
    if not runs_locally(function):
        return "[not run by the embedded host: use func start for this trigger]"
    missing = unsupported_bindings(function)
    return f"[not supported locally: {', '.join(missing)}]" if missing else None
