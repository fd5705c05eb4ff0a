"""An AgentFunctionApp written the way agent-framework-azurefunctions' samples write one.

It is the compatibility check's app: devhost must run it unchanged. `Scribe` gets the package's
generated `POST /api/agents/Scribe/run` route and its `dafx-Scribe` entity; `Critic` is added without
an HTTP route, so only orchestrations reach it. `scribe_chain` runs Scribe twice on one session (the
package's orchestration API) and is started by an HTTP starter through the durable client;
`agent_panel` asks both agents at once with `task_all`. The `review` workflow (review_workflow.py) has
an agent draft and a person approve, through the package's `workflow/review/...` routes. With
`enable_mcp_tool_trigger` every agent is also an MCP tool (function `mcptool-Scribe`, tool `Scribe`)
on the host's `/runtime/webhooks/mcp`.

The model is a deterministic offline client, so no network or keys are needed;
`TRANSCRIPT_MODEL_DELAY_S` gives it a hosted model's latency.
"""

import os
from collections.abc import Generator
from typing import Any

import azure.functions as func
from agent_framework.azure import AgentFunctionApp
from azure.durable_functions import DurableOrchestrationClient, DurableOrchestrationContext
from review_workflow import build_review_workflow
from transcript_client import TranscriptChatClient

SCRIBE_AGENT_NAME = "Scribe"
CRITIC_AGENT_NAME = "Critic"


def _create_agent(name: str, instructions: str) -> Any:
    """An agent built from a chat client exactly as with a hosted model."""
    delay_s = float(os.environ.get("TRANSCRIPT_MODEL_DELAY_S") or 0)
    return TranscriptChatClient(delay_s=delay_s).as_agent(name=name, instructions=instructions)


app = AgentFunctionApp(
    agents=[_create_agent(SCRIBE_AGENT_NAME, "You keep notes of what the user tells you.")],
    workflow=build_review_workflow(_create_agent("Drafter", "You draft short replies.")),
    enable_health_check=True,
    enable_mcp_tool_trigger=True,
)
app.add_agent(_create_agent(CRITIC_AGENT_NAME, "You point out what is missing."), enable_http_endpoint=False)


@app.orchestration_trigger(context_name="context")
def scribe_chain(context: DurableOrchestrationContext) -> Generator[Any, Any, dict[str, str]]:
    """Run the agent twice on one session; the second run must see the first turn."""
    topic = context.get_input() or "otters"
    scribe = app.get_agent(context, SCRIBE_AGENT_NAME)
    session = scribe.create_session()
    first = yield scribe.run(messages=f"note the topic {topic}", session=session)
    second = yield scribe.run(messages="what was the topic?", session=session)
    return {"first": first.text, "second": second.text}


@app.orchestration_trigger(context_name="context")
def agent_panel(context: DurableOrchestrationContext) -> Generator[Any, Any, dict[str, str]]:
    """Ask both agents about the input at the same time, each on a new session."""
    question = str(context.get_input())
    runs = []
    for name in (SCRIBE_AGENT_NAME, CRITIC_AGENT_NAME):
        agent = app.get_agent(context, name)
        runs.append(agent.run(messages=question, session=agent.create_session()))
    scribe, critic = yield context.task_all(runs)
    return {"scribe": scribe.text, "critic": critic.text}


@app.route(route="chain/run", methods=["POST"])
@app.durable_client_input(client_name="client")
async def start_scribe_chain(req: func.HttpRequest, client: DurableOrchestrationClient) -> func.HttpResponse:
    """Start the chain with the request body as its topic and answer with the check-status payload."""
    topic = req.get_body().decode() or None
    instance_id = await client.start_new("scribe_chain", client_input=topic)
    return client.create_check_status_response(req, instance_id)
