"""The OpenAPI 3.1 document of the run API, generated from the pydantic models the handlers use.

Schemas come from pydantic (JSON Schema 2020-12, which OpenAPI 3.1 adopts as is); operations come
from `openapi_routes`, so the document cannot drift from the models.
"""

import functools
from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import JsonSchemaMode, models_json_schema

from api.catalog import WORKFLOWS
from api.models import (
    ApprovalAccepted,
    ApprovalRequest,
    ErrorResponse,
    EventPage,
    Health,
    InputAccepted,
    InputRequest,
    RunAccepted,
    RunDocument,
    RunList,
    SessionAccepted,
    SessionDeleting,
    SessionMessageRequest,
    SessionReply,
    SessionState,
    TerminateRequest,
    WorkflowInfo,
)
from api.openapi_parts import REF
from api.openapi_routes import OPERATIONS
from api.step_models import StepList
from api.version import app_version

REQUEST_MODELS: list[type[BaseModel]] = [
    ApprovalRequest, TerminateRequest, SessionMessageRequest, *(w.input_model for w in WORKFLOWS.values()),
    InputRequest,
]  # fmt: skip
REPLY_MODELS: list[type[BaseModel]] = [
    ErrorResponse, Health, WorkflowInfo, RunAccepted, RunDocument, RunList, EventPage,
    ApprovalAccepted, SessionReply, SessionAccepted, SessionState, SessionDeleting, InputAccepted, StepList,
]  # fmt: skip
API_KEY_SCHEME = {
    "type": "apiKey",
    "in": "header",
    "name": "x-functions-key",
    "description": "A function or host key (or pass it as the `code` query parameter). Not checked locally.",
}


@functools.cache
def openapi_document() -> dict[str, Any]:
    """The whole document (built once: it depends only on code)."""
    paths: dict[str, dict[str, Any]] = {}
    for operation in OPERATIONS:
        paths.setdefault(operation.path, {})[operation.method] = operation.render()
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Durable agent orchestrations: run API",
            "version": app_version(),
            "description": "Start, follow, approve and terminate durable agent runs. Every route answers "
            "405 JSON for other methods; every error is {error: {code, message}}.",
        },
        "servers": [{"url": "/api"}],
        "security": [{"functionKey": []}],
        "paths": paths,
        "components": {"schemas": component_schemas(), "securitySchemes": {"functionKey": API_KEY_SCHEME}},
    }


def component_schemas() -> dict[str, Any]:
    """JSON schemas of every request and reply model, keyed by model name."""
    models: list[tuple[type[BaseModel], JsonSchemaMode]] = [(m, "validation") for m in REQUEST_MODELS]
    models += [(m, "serialization") for m in REPLY_MODELS]
    _, top = models_json_schema(models, ref_template=REF)
    schemas: dict[str, Any] = top.get("$defs", {})
    return schemas
