"""Structured output for the offline model: JSON that validates against the requested schema.

Known roles (triage, critic) decide their values; any other schema (a user's own agent) gets a
value built from the JSON schema itself: defaults where given, the first allowed choice for
enums, and text drawn from the request for strings.
"""

import json
from collections.abc import Callable, Mapping
from typing import Any

from pydantic import BaseModel

from agents.offline.chain_roles import critic_verdict
from agents.offline.conversation import Conversation
from agents.offline.panel_roles import triage_decision
from agents.offline.text import first_sentence

STRUCTURED_ROLES: dict[str, Callable[[Conversation], Mapping[str, Any]]] = {
    "triage": triage_decision,
    "critic": critic_verdict,
}


def structured_text(role: str, conversation: Conversation, response_format: Any) -> str:
    """The reply text for a structured request: JSON valid for `response_format`."""
    producer = STRUCTURED_ROLES.get(role)
    schema = _schema_of(response_format)
    value = producer(conversation) if producer else fill_schema(schema, schema, conversation.last_user)
    if isinstance(response_format, type) and issubclass(response_format, BaseModel):
        return response_format.model_validate(value).model_dump_json()
    return json.dumps(value)


def _schema_of(response_format: Any) -> dict[str, Any]:
    if isinstance(response_format, type) and issubclass(response_format, BaseModel):
        return response_format.model_json_schema()
    if isinstance(response_format, Mapping):
        inner = response_format.get("json_schema", response_format)
        return dict(inner.get("schema", inner))
    raise TypeError(f"unsupported response_format for the offline model: {response_format!r}")


def fill_schema(node: Mapping[str, Any], root: Mapping[str, Any], text: str) -> Any:
    """A value valid for the JSON schema `node` (with `$ref`s resolved against `root`)."""
    if "$ref" in node:
        return fill_schema(_resolve(node["$ref"], root), root, text)
    if "default" in node:
        return node["default"]
    if "const" in node:
        return node["const"]
    if "enum" in node:
        return node["enum"][0]
    for combinator in ("anyOf", "oneOf", "allOf"):
        if node.get(combinator):
            options = [option for option in node[combinator] if option.get("type") != "null"]
            return fill_schema(options[0] if options else node[combinator][0], root, text)
    kind = node.get("type", "object")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), "null")
    if kind == "object":
        properties = node.get("properties", {})
        return {key: fill_schema(value, root, text) for key, value in properties.items()}
    if kind == "array":
        return [fill_schema(node["items"], root, text)] if node.get("minItems") and "items" in node else []
    return _scalar(kind, node, text)


def _scalar(kind: str, node: Mapping[str, Any], text: str) -> Any:
    if kind == "string":
        return first_sentence(text, 25) or "n/a"
    if kind in ("integer", "number"):
        return node.get("minimum", 0)
    if kind == "boolean":
        return True
    return None


def _resolve(reference: str, root: Mapping[str, Any]) -> Mapping[str, Any]:
    node: Any = root
    for part in reference.removeprefix("#/").split("/"):
        node = node[part]
    if not isinstance(node, Mapping):
        raise ValueError(f"schema reference {reference!r} does not point at a schema")
    return node
