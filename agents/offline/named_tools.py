"""The offline model's use of tools it has no plan of its own for: called when the request names them.

Remote MCP tools and the tools you add under `agents/tools/` are known to the offline model only by
their declaration, so it calls one only when the request names it ("add_note: buy milk", "use word
count on ..."; a remote tool by its name without the `<server>__` prefix), and fills the arguments
from the declared JSON Schema: string properties get the text after the tool's name, integer and
number properties the numbers in it, in order. Required booleans are true. That is enough to
exercise a new tool, or a real server, end to end without a model.
"""

import re
from collections.abc import Mapping
from typing import Any

from agents.remote_tools.settings import TOOL_SEPARATOR

_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")
_LEAD_IN = re.compile(r"^[\s:,-]*(?:(?:to|with|on|for)\s+)?", re.IGNORECASE)
Schemas = Mapping[str, Mapping[str, Any]]


def named_request(clause: str, schemas: Schemas) -> tuple[str, dict[str, Any]] | None:
    """The tool of `schemas` the clause names and its arguments, or None when it names none."""
    for name, schema in schemas.items():
        tool = name.partition(TOOL_SEPARATOR)[2] if TOOL_SEPARATOR in name else name
        spellings = {tool, tool.replace("_", " "), tool.replace("-", " ")}
        pattern = "|".join(
            rf"\b{re.escape(spelling)}\b" for spelling in sorted(spellings, key=len, reverse=True)
        )
        found = re.search(pattern, clause, re.IGNORECASE)
        if found:
            text = _LEAD_IN.sub("", clause[found.end() :]).strip() or clause.strip()
            return name, schema_arguments(text, schema)
    return None


def schema_arguments(text: str, schema: Mapping[str, Any]) -> dict[str, Any]:
    """Arguments for `schema` taken from `text` (see the module docstring)."""
    required = set(schema.get("required") or ())
    numbers = iter(_NUMBER.findall(text))
    arguments: dict[str, Any] = {}
    for prop, spec in (schema.get("properties") or {}).items():
        kind = spec.get("type") if isinstance(spec, Mapping) else None
        if kind == "string" and prop in required:
            arguments[prop] = text
        elif kind in ("integer", "number"):
            number = next(numbers, None)
            if number is not None:
                arguments[prop] = int(float(number)) if kind == "integer" else float(number)
        elif kind == "boolean" and prop in required:
            arguments[prop] = True
    return arguments
