"""`/health`, `/workflows`, `/openapi.json` and the JSON 404 for every other path."""

from urllib.parse import urlsplit

import azure.functions as func

from agents.settings import load_model_settings
from api.catalog import WORKFLOWS
from api.errors import ApiError, json_errors, require_method
from api.models import Health, WorkflowInfo
from api.openapi_doc import openapi_document
from api.responses import json_response
from api.version import app_version


@json_errors
def health(req: func.HttpRequest) -> func.HttpResponse:
    """`GET /health`: the app is up; which version and which model provider it runs."""
    require_method(req, ("GET",))
    return json_response(Health(status="ok", version=app_version(), provider=load_model_settings().provider))


@json_errors
def workflows(req: func.HttpRequest) -> func.HttpResponse:
    """`GET /workflows`: every workflow with the JSON schema of its input."""
    require_method(req, ("GET",))
    listing = [
        WorkflowInfo(
            name=w.name,
            description=w.description,
            input_schema=w.input_model.model_json_schema(),
            startable=w.started_by_runs_api,
        )
        for w in WORKFLOWS.values()
    ]
    return json_response([info.model_dump(mode="json") for info in listing])


@json_errors
def openapi(req: func.HttpRequest) -> func.HttpResponse:
    """`GET /openapi.json`: the OpenAPI 3.1 document."""
    require_method(req, ("GET",))
    return json_response(openapi_document())


@json_errors
def not_found(req: func.HttpRequest) -> func.HttpResponse:
    """Any other path: a JSON 404 instead of the host's empty one."""
    raise ApiError(404, "route_not_found", f"no route for {req.method} {urlsplit(req.url).path}")
