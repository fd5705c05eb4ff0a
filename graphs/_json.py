"""Graph values → JSON: outputs as yielded, and the pending requests a person answers.

JSON values stay as they are; dataclasses and pydantic models become their fields (through
pydantic's own encoder); agent-framework objects use their `to_dict()`.
"""

from typing import Any

from pydantic import PydanticSchemaGenerationError, TypeAdapter
from pydantic_core import to_jsonable_python


def to_json(value: Any) -> Any:
    """A JSON-compatible copy of a value a graph yielded or asked about."""
    return to_jsonable_python(value, fallback=_fallback)


def response_schema(response_type: type) -> dict[str, Any]:
    """The JSON schema an answer must match (str, numbers, bool, dataclass or pydantic model)."""
    try:
        return TypeAdapter(response_type).json_schema()
    except PydanticSchemaGenerationError:
        return {}


def describe_request(request_id: str, event: Any) -> dict[str, Any]:
    """One pending `request_info` as the API shows it under `pendingInput`."""
    response_type = event.response_type
    return {
        "requestId": request_id,
        "executor": event.source_executor_id,
        "data": to_json(event.data),
        "responseType": getattr(response_type, "__name__", str(response_type)),
        "responseSchema": response_schema(response_type),
    }


def _fallback(value: Any) -> Any:
    to_dict = getattr(value, "to_dict", None)
    if callable(to_dict):
        return to_json(to_dict())
    return str(value)
