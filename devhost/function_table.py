"""The function table printed at start-up, laid out like `func start` prints it."""

from __future__ import annotations

from typing import Any

from devhost.function_call import unsupported_inputs


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
            trigger = function.get_trigger()
            detail = str(trigger.type or trigger.get_binding_name())  # generic triggers carry only `type`
            schedule = (schedules or {}).get(name) or getattr(trigger, "schedule", None)
            if schedule:
                detail += f" ({schedule})"
        missing = unsupported_inputs(function)
        if missing:
            detail += f"  [not supported locally: {', '.join(missing)}]"
        lines.append(f"        {name}: {detail}")
    lines.append("")
    return "\n".join(lines)
