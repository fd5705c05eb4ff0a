"""Building blocks of the OpenAPI document: operations declared as data, parameters, error replies."""

from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel

from api.body import MAX_BODY_BYTES
from api.models import ErrorResponse
from api.params import MAX_ID_LENGTH
from api.sse import EVENT_STREAM

REF = "#/components/schemas/{model}"
ERRORS = {
    400: "Bad query value, path id or header (the message names it).",
    403: "With Entra ID on: the signed-in principal lacks the Runs.Approver app role.",
    404: "Unknown workflow, run or session.",
    405: "Method not allowed here; see the Allow header.",
    409: "The run's state does not allow this (for a session: one of its turns is still running).",
    413: f"Body larger than {MAX_BODY_BYTES} bytes.",
    422: "Body of the wrong shape: wrong type, missing or unknown field (named in the message).",
    429: "Too many messages sent to the session at once: this one was not saved; send it again.",
    500: "Unexpected error; the correlationId is also in the server log.",
    502: "The session turn's run failed or was terminated.",
}
ID_SCHEMA = {"type": "string", "pattern": "^[A-Za-z0-9_.:-]+$", "maxLength": MAX_ID_LENGTH}


def ref(model: type[BaseModel] | str) -> dict[str, str]:
    """A `$ref` to a component schema."""
    return {"$ref": REF.format(model=model if isinstance(model, str) else model.__name__)}


def param(name: str, where: str, schema: dict[str, Any], description: str) -> dict[str, Any]:
    """One parameter object; path parameters are always required."""
    return {
        "name": name,
        "in": where,
        "required": where == "path",
        "schema": schema,
        "description": description,
    }


def wait_param(maximum: int, default: int, what: str) -> dict[str, Any]:
    """The `wait` query parameter: seconds to hold the request."""
    return param(
        "wait", "query", {"type": "integer", "minimum": 0, "maximum": maximum, "default": default}, what
    )


@dataclass
class Operation:
    """One route + method, declared as data."""

    path: str
    method: str
    summary: str
    replies: dict[int, tuple[str, dict[str, Any] | None]]
    errors: tuple[int, ...] = ()
    parameters: list[dict[str, Any]] = field(default_factory=list)
    body: dict[str, Any] | None = None
    anonymous: bool = False
    event_stream: bool = False

    def render(self) -> dict[str, Any]:
        """The operation object, with the error replies every route can give."""
        responses: dict[str, Any] = {
            str(code): _reply(text, schema) for code, (text, schema) in self.replies.items()
        }
        if self.event_stream:
            responses["200"]["content"][EVENT_STREAM] = {"schema": {"type": "string"}}
        for code in (*self.errors, 405, 500):
            responses[str(code)] = _reply(ERRORS[code], ref(ErrorResponse))
        responses["405"]["headers"] = {
            "Allow": {"schema": {"type": "string"}, "description": "Allowed methods."}
        }
        operation: dict[str, Any] = {
            "summary": self.summary,
            "operationId": _operation_id(self),
            "responses": responses,
        }
        if self.parameters:
            operation["parameters"] = self.parameters
        if self.body is not None:
            operation["requestBody"] = {
                "required": True,
                "content": {"application/json": {"schema": self.body}},
            }
        if self.anonymous:
            operation["security"] = []
        return operation


def _reply(description: str, schema: dict[str, Any] | None) -> dict[str, Any]:
    return {"description": description} | (
        {"content": {"application/json": {"schema": schema}}} if schema else {}
    )


def _operation_id(op: Operation) -> str:
    words = [w.strip("{}") for w in op.path.split("/") if w]
    return op.method + "_" + "_".join(w.replace(".", "_") for w in words)
