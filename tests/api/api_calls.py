"""Driving the handlers the way the Functions worker does: a real HttpRequest in, HttpResponse out."""

import asyncio
import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import azure.functions as func
import jsonschema_rs

BASE = "http://localhost:7071/api"


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    text: str

    @property
    def json(self) -> Any:
        return json.loads(self.text)


def make_request(
    method: str,
    path: str,
    *,
    body: Any = None,
    raw: bytes | None = None,
    params: dict[str, str] | None = None,
    headers: dict[str, str] | None = None,
    route: dict[str, str] | None = None,
) -> func.HttpRequest:
    """A request for `BASE/path`; `body` is sent as JSON, `raw` as is."""
    data = raw if raw is not None else (json.dumps(body).encode() if body is not None else b"")
    url = f"{BASE}/{path}" + (f"?{urlencode(params)}" if params else "")
    return func.HttpRequest(
        method=method,
        url=url,
        headers=headers or {},
        params=params or {},
        route_params=route or {},
        body=data,
    )


def call(handler: Any, req: func.HttpRequest, *client: Any) -> Reply:
    """Run a sync or async handler and unpack its reply."""
    result = handler(req, *client)
    if asyncio.iscoroutine(result):
        result = asyncio.run(result)
    assert isinstance(result, func.HttpResponse)
    headers = {k.lower(): v for k, v in result.headers.items()}
    # The worker derives Content-Type from `mimetype` when the handler set none.
    headers.setdefault("content-type", result.mimetype)
    return Reply(result.status_code, headers, result.get_body().decode())


def assert_error(reply: Reply, status: int, code: str, mentions: str = "") -> dict[str, Any]:
    """The reply is the JSON error shape with this status and code (and names `mentions`)."""
    assert reply.status == status, reply.text
    assert reply.headers.get("content-type", "").startswith("application/json")
    error = reply.json["error"]
    assert error["code"] == code, error
    assert isinstance(error["message"], str) and error["message"]
    assert mentions in error["message"], error["message"]
    return error


def assert_documented(body: Any, schema_name: str) -> None:
    """The reply body matches the schema `openapi.json` documents for it."""
    from api.openapi_doc import openapi_document

    document = openapi_document()
    schema = {**document, "$ref": f"#/components/schemas/{schema_name}"}
    errors = [error.message for error in jsonschema_rs.Draft202012Validator(schema).iter_errors(body)]
    assert errors == [], errors
