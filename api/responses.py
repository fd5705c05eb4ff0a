"""JSON replies: one serialiser so every body has the same encoding and content type."""

import json
from collections.abc import Mapping
from typing import Any

import azure.functions as func
from pydantic import BaseModel


def to_jsonable(body: Any) -> Any:
    """Pydantic models become their JSON form (by alias); anything else is passed through."""
    if isinstance(body, BaseModel):
        return body.model_dump(mode="json", by_alias=True)
    return body


def json_response(
    body: Any, status: int = 200, headers: Mapping[str, str] | None = None
) -> func.HttpResponse:
    """A JSON reply with `application/json` and UTF-8 text."""
    text = json.dumps(to_jsonable(body), ensure_ascii=False)
    return func.HttpResponse(
        text, status_code=status, headers=dict(headers or {}), mimetype="application/json"
    )


def empty_response(status: int = 204) -> func.HttpResponse:
    """A reply with no body, e.g. 204 after a purge."""
    return func.HttpResponse(status_code=status)
