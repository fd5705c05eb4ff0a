"""A small app whose orchestrators use Durable HTTP (`context.call_http`), for the embedded host's tests.

`echo` is an HTTP function of the same app the orchestrators call; `poll_until_done` follows a 202's
`Location` itself, as a Python orchestrator must (the SDK does not poll).
"""

import json
from datetime import timedelta
from typing import Any

import azure.durable_functions as df
import azure.functions as func

app = df.DFApp(http_auth_level=func.AuthLevel.ANONYMOUS)


@app.route(route="echo", methods=["GET", "POST"])
def echo(req: func.HttpRequest) -> func.HttpResponse:
    """What the request carried, plus a response header of its own."""
    seen = {
        "method": req.method,
        "body": req.get_body().decode(),
        "content_type": req.headers.get("Content-Type"),
        "x_test": req.headers.get("X-Test"),
    }
    return func.HttpResponse(json.dumps(seen), mimetype="application/json", headers={"X-Echo": "yes"})


@app.orchestration_trigger(context_name="context")
def call_once(context: df.DurableOrchestrationContext) -> Any:
    """One call_http with the input's method, uri, content and headers; the response or the failure."""
    spec = context.get_input()
    token = df.ManagedIdentityTokenSource(spec["resource"]) if spec.get("resource") else None
    try:
        response = yield context.call_http(
            spec["method"], spec["uri"], spec.get("content"), spec.get("headers"), token
        )
    except Exception as error:
        return {"error": str(error)}
    return response


@app.orchestration_trigger(context_name="context")
def poll_until_done(context: df.DurableOrchestrationContext) -> Any:
    """Start a long operation and poll its Location until it stops answering 202."""
    response = yield context.call_http("POST", context.get_input())
    codes = [response["statusCode"]]
    while response["statusCode"] == 202:
        yield context.create_timer(context.current_utc_datetime + timedelta(milliseconds=100))
        response = yield context.call_http("GET", response["headers"]["Location"])
        codes.append(response["statusCode"])
    return {"codes": codes, "content": response["content"]}
