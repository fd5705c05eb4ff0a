"""The app's MCP tools, prompts and resources, read from the functions' trigger metadata.

Both registration forms end up as the same binding JSON (`get_dict_repr()`): `app.mcp_tool()` builds an
`mcpToolTrigger` with `toolProperties` from the signature, `mcp_tool_trigger`/`generic_trigger` carry what
the app wrote. We read that JSON the way the extension does (DefaultToolRegistry,
PropertyBasedToolInputSchema, DefaultPromptRegistry, DefaultResourceRegistry): names compare
case-insensitively, a duplicate name or unreadable metadata stops the host at start, as it stops the
real host's indexing.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from azure.functions.decorators.function_app import Function

TOOL_TRIGGER = "mcpToolTrigger"
PROMPT_TRIGGER = "mcpPromptTrigger"
RESOURCE_TRIGGER = "mcpResourceTrigger"
MCP_TRIGGERS = frozenset({TOOL_TRIGGER, PROMPT_TRIGGER, RESOURCE_TRIGGER})
_TEMPLATE_EXPRESSION = re.compile(r"\{[^{}]+\}")


class McpCatalogError(ValueError):
    """An MCP function whose metadata the extension would reject; the message names the function."""


@dataclass(frozen=True)
class McpPrompt:
    """A prompt; also the base of a tool: a name, its function, required arguments, its listing."""

    name: str
    function: Function
    required: tuple[str, ...]
    listing: dict[str, Any]  # the prompts/list or tools/list entry

    def missing(self, arguments: Mapping[str, Any] | None) -> list[str]:
        """Required names absent or null (an empty string counts as a value, as in ToolInputSchema)."""
        return [name for name in self.required if (arguments or {}).get(name) is None]


@dataclass(frozen=True)
class McpTool(McpPrompt):
    use_result_schema: bool = False


@dataclass(frozen=True)
class McpResource:
    uri: str
    function: Function
    mime_type: str | None
    matcher: re.Pattern[str] | None  # set for URI templates such as `file://notes/{name}`
    listing: dict[str, Any]  # the resources/list or resources/templates/list entry


def _drop_none(entry: dict[str, Any]) -> dict[str, Any]:
    """The MCP SDK writes no null members."""
    return {key: value for key, value in entry.items() if value is not None}


def _json_field(raw: Any, what: str, function_name: str) -> Any:
    if raw is None or raw == "":
        return None
    if not isinstance(raw, str):
        return raw
    try:
        return json.loads(raw)
    except ValueError as error:
        raise McpCatalogError(f"function '{function_name}': {what} is not valid JSON ({error})") from error


def _meta(raw: Any, function_name: str) -> dict[str, Any] | None:
    """`metadata` (a JSON object string) becomes the `_meta` of the listing; empty means none."""
    parsed = _json_field(raw, "metadata", function_name)
    if parsed is not None and not isinstance(parsed, dict):
        raise McpCatalogError(f"function '{function_name}': metadata must be a JSON object")
    return parsed or None


def _lower_keys(item: Mapping[str, Any]) -> dict[str, Any]:
    """The extension deserialises tool properties case-insensitively."""
    return {str(key).lower(): value for key, value in item.items()}


def _property_schema(prop: dict[str, Any]) -> dict[str, Any]:
    kind: dict[str, Any] = {"type": prop.get("propertytype")}
    if prop.get("enumvalues"):
        kind["enum"] = list(prop["enumvalues"])
    schema = {"type": "array", "items": kind} if prop.get("isarray") else kind
    return {**schema, "description": prop.get("description") or ""}


def _tool(function: Function, binding: dict[str, Any]) -> McpTool:
    name = str(function.get_function_name())
    raw = _json_field(binding.get("toolProperties"), "toolProperties", name) or []
    if not isinstance(raw, list) or not all(isinstance(item, dict) for item in raw):
        raise McpCatalogError(f"function '{name}': toolProperties must be a JSON array of objects")
    props = [_lower_keys(item) for item in raw]
    props = [p for p in props if str(p.get("propertyname") or "").strip()]
    required = tuple(dict.fromkeys(str(p["propertyname"]) for p in props if p.get("isrequired")))
    schema = {
        "type": "object",
        "properties": {str(p["propertyname"]): _property_schema(p) for p in props},
        "required": list(required),
    }
    tool_name = str(binding.get("toolName") or name)
    listing = _drop_none(
        {
            "name": tool_name,
            "description": binding.get("description"),
            "inputSchema": schema,
            "_meta": _meta(binding.get("metadata"), name),
        }
    )
    return McpTool(
        tool_name, function, required, listing, use_result_schema=bool(binding.get("useResultSchema"))
    )


def _prompt(function: Function, binding: dict[str, Any]) -> McpPrompt:
    name = str(function.get_function_name())
    arguments = _json_field(binding.get("promptArguments"), "promptArguments", name)
    if arguments is not None and not isinstance(arguments, list):
        raise McpCatalogError(f"function '{name}': promptArguments must be a JSON array")
    declared = [_drop_none(dict(argument)) for argument in arguments or []]
    prompt_name = str(binding.get("promptName") or name)
    listing = _drop_none(
        {
            "name": prompt_name,
            "title": binding.get("title"),
            "description": binding.get("description"),
            "arguments": declared if arguments is not None else None,
            "icons": _json_field(binding.get("icons"), "icons", name),
            "_meta": _meta(binding.get("metadata"), name),
        }
    )
    required = tuple(str(a["name"]) for a in declared if a.get("required") is True and "name" in a)
    return McpPrompt(prompt_name, function, required, listing)


def _template_matcher(uri: str) -> re.Pattern[str]:
    """ResourceUriHelper's regex: a query-string value stops at `&`/`#`, any other at `/`, `?`, `#`."""
    pattern, position = "", 0
    for found in _TEMPLATE_EXPRESSION.finditer(uri):
        pattern += re.escape(uri[position : found.start()])
        previous = uri[found.start() - 1] if found.start() else ""
        stop = "[^&#]+" if previous in ("?", "&") else "[^/?#]+"
        pattern += f"(?P<{_group(found.group()[1:-1])}>{stop})"
        position = found.end()
    return re.compile(f"^{pattern}{re.escape(uri[position:])}$", re.IGNORECASE)


def _group(parameter: str) -> str:
    return "p_" + re.sub(r"[^A-Za-z0-9_]", "_", parameter)


def template_values(resource: McpResource, uri: str) -> dict[str, str]:
    """The template's parameters as binding data (`{name}` in a blob path), keyed by their names."""
    if resource.matcher is None:
        return {}
    found = resource.matcher.match(uri)
    if found is None:
        return {}
    names = [m.group()[1:-1] for m in _TEMPLATE_EXPRESSION.finditer(resource.uri)]
    return {name: found.group(_group(name)) for name in names}


def _resource(function: Function, binding: dict[str, Any]) -> McpResource:
    name = str(function.get_function_name())
    uri = str(binding.get("uri") or "")
    if not re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", _TEMPLATE_EXPRESSION.sub("template", uri)):
        raise McpCatalogError(f"function '{name}': resource uri '{uri}' is not an absolute URI")
    is_template = bool(_TEMPLATE_EXPRESSION.search(uri))
    listing = _drop_none(
        {
            "uriTemplate" if is_template else "uri": uri,
            "name": binding.get("resourceName") or name,
            "title": binding.get("title"),
            "description": binding.get("description"),
            "mimeType": binding.get("mimeType"),
            "size": None if is_template else binding.get("size"),
            "_meta": _meta(binding.get("metadata"), name),
        }
    )
    matcher = _template_matcher(uri) if is_template else None
    return McpResource(uri, function, binding.get("mimeType"), matcher, listing)


class McpCatalog:
    """Every MCP function of an app, looked up the way the extension's registries look them up."""

    def __init__(self, functions: list[Function]) -> None:
        self.tools: dict[str, McpTool] = {}
        self.prompts: dict[str, McpPrompt] = {}
        self.resources: dict[str, McpResource] = {}
        self.templates: list[McpResource] = []
        for function in functions:
            trigger = function.get_trigger()
            if trigger is None:
                continue
            binding = dict(trigger.get_dict_repr())
            kind = binding.get("type")
            if kind == TOOL_TRIGGER:
                self._add(self.tools, _tool(function, binding), "tool")
            elif kind == PROMPT_TRIGGER:
                self._add(self.prompts, _prompt(function, binding), "prompt")
            elif kind == RESOURCE_TRIGGER:
                self._add_resource(_resource(function, binding))

    @staticmethod
    def _add(table: dict[str, Any], item: McpTool | McpPrompt, kind: str) -> None:
        if item.name.lower() in table:
            raise McpCatalogError(f"{kind} with name '{item.name}' is already registered")
        table[item.name.lower()] = item

    def _add_resource(self, resource: McpResource) -> None:
        if resource.matcher is None:
            if resource.uri.lower() in self.resources:
                raise McpCatalogError(f"resource with URI '{resource.uri}' is already registered")
            self.resources[resource.uri.lower()] = resource
            return
        shape = _TEMPLATE_EXPRESSION.sub("{_}", resource.uri).lower()
        if any(_TEMPLATE_EXPRESSION.sub("{_}", t.uri).lower() == shape for t in self.templates):
            raise McpCatalogError(f"a resource template like '{resource.uri}' is already registered")
        self.templates.append(resource)

    @property
    def is_empty(self) -> bool:
        return not (self.tools or self.prompts or self.resources or self.templates)

    def tool(self, name: str) -> McpTool | None:
        return self.tools.get(name.lower())

    def prompt(self, name: str) -> McpPrompt | None:
        return self.prompts.get(name.lower())

    def resource(self, uri: str) -> McpResource | None:
        """A static resource first, then the first template that matches (DefaultResourceRegistry)."""
        found = self.resources.get(uri.lower())
        if found is not None:
            return found
        return next((t for t in self.templates if t.matcher is not None and t.matcher.match(uri)), None)
