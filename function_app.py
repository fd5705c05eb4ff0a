"""The wiring table of the app: every HTTP route, workflow, activity and entity.

Logic lives in the folders; this file only says what is registered under which
name, so it reads as the table of contents. Names are the contract in
docs/contracts.md.
"""

import azure.durable_functions as df
import azure.functions as func

import durable_speedups
from activities.publish_draft import publish_draft
from activities.run_agent import run_agent
from activities.run_graph_step import run_graph_step
from activities.run_tool import run_tool
from api import approval, events, graph_input, meta, retention, runs, sessions
from api.catalog import GRAPHS
from api.run_steps import run_steps as steps_of_run
from api.startup_settings import check_settings
from api.ui import ui as viewer_page
from graphs._registration import orchestrator_for
from mcp_tools.register import register_mcp_tools
from observability import configure_telemetry
from orchestrators.approval import approval as approval_workflow
from orchestrators.chain import chain
from orchestrators.conversation_entity import conversation
from orchestrators.critic import critic
from orchestrators.fanout import fanout
from orchestrators.routing import routing
from orchestrators.session import session
from orchestrators.single import single
from orchestrators.tools import tools

# Fail fast: a missing or malformed setting stops start-up with the setting's name.
check_settings()
configure_telemetry()
# Replays parse every history timestamp; swap the SDK's slow parser for an exact one.
durable_speedups.install()

app = df.DFApp(http_auth_level=func.AuthLevel.FUNCTION)

# --- Workflows: deterministic generator functions, one pattern each -----------------
app.orchestration_trigger(context_name="context")(single)
app.orchestration_trigger(context_name="context")(chain)
app.orchestration_trigger(context_name="context")(fanout)
app.orchestration_trigger(context_name="context")(routing)
app.orchestration_trigger(context_name="context")(critic)
app.orchestration_trigger(context_name="context")(approval_workflow)
app.orchestration_trigger(context_name="context")(tools)
app.orchestration_trigger(context_name="context")(session)

# --- Graphs: every module in graphs/, each under its own name on one generic orchestrator ----
for graph in GRAPHS.values():
    app.orchestration_trigger(context_name="context", orchestration=graph.name)(orchestrator_for(graph))

# --- Activities: each agent call and each tool call is one retried, recorded step ----
app.activity_trigger(input_name="payload")(run_agent)
app.activity_trigger(input_name="payload")(run_tool)
app.activity_trigger(input_name="payload")(publish_draft)
app.activity_trigger(input_name="payload")(run_graph_step)

# --- Entities: per-session conversation state, bounded -------------------------------
app.entity_trigger(context_name="context")(conversation)


# --- Run API (routes accept every method and answer 405 JSON themselves) -------------
@app.route(route="health", auth_level=func.AuthLevel.ANONYMOUS)
def health(req: func.HttpRequest) -> func.HttpResponse:
    return meta.health(req)


@app.route(route="workflows")
def workflows(req: func.HttpRequest) -> func.HttpResponse:
    return meta.workflows(req)


@app.route(route="openapi.json")
def openapi(req: func.HttpRequest) -> func.HttpResponse:
    return meta.openapi(req)


@app.route(route="runs")
@app.durable_client_input(client_name="client")
async def runs_collection(req: func.HttpRequest, client: df.DurableOrchestrationClient) -> func.HttpResponse:
    return await runs.runs_collection(req, client)


@app.route(route="runs/{key}")
@app.durable_client_input(client_name="client")
async def run_item(req: func.HttpRequest, client: df.DurableOrchestrationClient) -> func.HttpResponse:
    return await runs.run_item(req, client)


@app.route(route="runs/{id}/events")
@app.durable_client_input(client_name="client")
async def run_events(req: func.HttpRequest, client: df.DurableOrchestrationClient) -> func.HttpResponse:
    return await events.run_events(req, client)


@app.route(route="runs/{id}/steps")
@app.durable_client_input(client_name="client")
async def run_steps(req: func.HttpRequest, client: df.DurableOrchestrationClient) -> func.HttpResponse:
    return await steps_of_run(req, client)


@app.route(route="runs/{id}/approval")
@app.durable_client_input(client_name="client")
async def run_approval(req: func.HttpRequest, client: df.DurableOrchestrationClient) -> func.HttpResponse:
    return await approval.run_approval(req, client)


@app.route(route="runs/{id}/input")
@app.durable_client_input(client_name="client")
async def run_input(req: func.HttpRequest, client: df.DurableOrchestrationClient) -> func.HttpResponse:
    return await graph_input.run_input(req, client)


@app.route(route="runs/{id}/terminate")
@app.durable_client_input(client_name="client")
async def run_terminate(req: func.HttpRequest, client: df.DurableOrchestrationClient) -> func.HttpResponse:
    return await runs.run_terminate(req, client)


@app.route(route="sessions/{id}/messages")
@app.durable_client_input(client_name="client")
async def session_messages(req: func.HttpRequest, client: df.DurableOrchestrationClient) -> func.HttpResponse:
    return await sessions.session_messages(req, client)


@app.route(route="sessions/{id}")
@app.durable_client_input(client_name="client")
async def session_item(req: func.HttpRequest, client: df.DurableOrchestrationClient) -> func.HttpResponse:
    return await sessions.session_item(req, client)


# The run viewer: static page and assets, anonymous (its API calls authenticate as the user does).
@app.route(route="ui/{*path}", auth_level=func.AuthLevel.ANONYMOUS)
def viewer(req: func.HttpRequest) -> func.HttpResponse:
    return viewer_page(req)


@app.route(route="{*path}")
def not_found(req: func.HttpRequest) -> func.HttpResponse:
    return meta.not_found(req)


# --- MCP tools (/runtime/webhooks/mcp): one per startable workflow + get_run, approve_run, ... --
register_mcp_tools(app)


# --- Housekeeping: purge ended runs older than RUN_RETENTION_DAYS, daily at 03:00 UTC --
@app.timer_trigger(schedule="0 0 3 * * *", arg_name="timer")
@app.durable_client_input(client_name="client")
async def purge_old_runs(timer: func.TimerRequest, client: df.DurableOrchestrationClient) -> None:
    await retention.purge_old_runs(client)
