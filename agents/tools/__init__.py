"""The tool table: every tool an agent may ask for, by name.

Agents name tools in `agents/catalog.py`; the model only sees their declarations, and the
`run_tool` activity runs them here, one durable activity per call.
"""

from typing import Any

from agents.errors import UnknownToolError
from agents.tools import calculator, knowledge, tickets
from agents.tools.base import ToolContext, ToolSpec

TOOLS: dict[str, ToolSpec] = {spec.name: spec for spec in (calculator.SPEC, knowledge.SPEC, tickets.SPEC)}

__all__ = ["TOOLS", "ToolContext", "ToolSpec", "get_tool", "invoke_tool"]


def get_tool(name: object) -> ToolSpec:
    """The tool named `name`; an unknown name raises `UnknownToolError` naming it."""
    spec = TOOLS.get(name) if isinstance(name, str) else None
    if spec is None:
        raise UnknownToolError(f"unknown tool {name!r}; known tools: {', '.join(sorted(TOOLS))}")
    return spec


def invoke_tool(name: object, arguments: Any, context: ToolContext) -> Any:
    """Run one tool call; rejected arguments come back as `{"error": ...}`."""
    return get_tool(name).invoke(arguments, context)
