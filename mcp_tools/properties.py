"""A pydantic input model → the MCP extension's `toolProperties` (what `tools/list` shows a client).

The extension describes an argument with five facts: name, JSON type, whether it is an array,
whether it is required and a description (azure-functions-mcp-extension
`ToolInputSchema/PropertyBasedToolInputSchema.cs`). Everything else the model knows (allowed values,
bounds, defaults) is written into the description so an assistant can see it, and enforced when the
run API validates the call, exactly as it is for `POST /api/runs/{workflow}`.
"""

import json
from typing import Any, TypedDict

from pydantic import BaseModel

# JSON Schema types the extension passes through as the property's `type`.
_JSON_TYPES = ("string", "integer", "number", "boolean", "object")
# Schema keywords written into the description, with how they read there.
_BOUNDS = (
    ("minimum", "min"),
    ("maximum", "max"),
    ("minLength", "min length"),
    ("maxLength", "max length"),
    ("minItems", "min items"),
    ("maxItems", "max items"),
)


class ToolProperty(TypedDict):
    """One entry of the trigger's `toolProperties` JSON, spelt as the extension reads it."""

    propertyName: str
    propertyType: str
    description: str
    isArray: bool
    isRequired: bool


def tool_properties(model: type[BaseModel]) -> list[ToolProperty]:
    """The model's fields as tool properties, in declaration order."""
    schema = model.model_json_schema()
    definitions: dict[str, Any] = schema.get("$defs", {})
    required = set(schema.get("required", []))
    return [
        _property(name, _resolve(field, definitions), name in required, definitions)
        for name, field in schema.get("properties", {}).items()
    ]


def tool_properties_json(model: type[BaseModel]) -> str:
    """`tool_properties` as the JSON string the `mcpToolTrigger` binding carries."""
    return json.dumps(tool_properties(model))


def _property(name: str, field: dict[str, Any], required: bool, definitions: dict[str, Any]) -> ToolProperty:
    is_array = field.get("type") == "array"
    element = _resolve(field.get("items", {}), definitions) if is_array else field
    return ToolProperty(
        propertyName=name,
        propertyType=_json_type(element),
        description=_description(field, element),
        isArray=is_array,
        isRequired=required,
    )


def _resolve(field: dict[str, Any], definitions: dict[str, Any]) -> dict[str, Any]:
    """Follow a `$ref` and unwrap `Optional[...]` (`anyOf` with null) to the schema that matters."""
    if "$ref" in field:
        target = definitions.get(field["$ref"].rsplit("/", 1)[-1], {})
        field = {**target, **{k: v for k, v in field.items() if k != "$ref"}}
    options = [option for option in field.get("anyOf", []) if option.get("type") != "null"]
    if len(options) == 1:
        merged = {k: v for k, v in field.items() if k != "anyOf"}
        return {**_resolve(options[0], definitions), **merged}
    return field


def _json_type(schema: dict[str, Any]) -> str:
    declared = schema.get("type")
    if declared in _JSON_TYPES:
        return str(declared)
    # Untyped schemas: a `Literal` of strings is a string, a nested model an object.
    return "object" if "properties" in schema else "string"


def _description(field: dict[str, Any], element: dict[str, Any]) -> str:
    """The field's description plus the constraints the extension cannot express."""
    notes = []
    if element.get("enum"):
        notes.append("one of " + ", ".join(str(value) for value in element["enum"]))
    notes.extend(f"{label} {field[key]}" for key, label in _BOUNDS if key in field)
    if field.get("uniqueItems"):
        notes.append("no repeats")
    if "default" in field and field["default"] is not None:
        notes.append(f"default {json.dumps(field['default'])}")
    text = str(field.get("description", "")).strip()
    return f"{text} ({'; '.join(notes)})" if notes else text
