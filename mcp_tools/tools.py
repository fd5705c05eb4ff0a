"""The MCP tools: one per startable workflow, plus `get_run`, `approve_run`, `answer_run`, `list_runs`,
`send_message`, `delete_session`.

Each tool is a thin adapter over the run API's transport-free operations (`api/operations.py`,
`api.approval.decide`, `api.graph_input.answer`, `api.sessions`,
`api.session_delete`): it validates with the same models,
returns the same documents and turns the same refusals into `isError` results. Tools that start or
move a run wait up to `MCP_TOOL_WAIT_S` seconds for it to end (or to need a person) so that short
runs answer in one call, and say how to come back for long ones.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from azure.durable_functions import DurableOrchestrationClient
from pydantic import BaseModel

from api import operations
from api.approval import decide, verified_principal
from api.body import validate
from api.catalog import WORKFLOWS, Workflow
from api.graph_input import answer
from api.models import PendingInput, RunDocument, RunList
from api.params import checked_id
from api.run_status import waiting_step, waits_for_person
from api.session_delete import forget_session
from api.sessions import start_turn, turn_reply
from api.settings import int_setting
from mcp_tools.arguments import (
    AnswerRunArguments,
    ApproveRunArguments,
    DeleteSessionArguments,
    GetRunArguments,
    ListRunsArguments,
    SendMessageArguments,
)
from mcp_tools.invocation import ToolCall
from mcp_tools.results import result, run_result
from orchestrators.contract import AWAITING_APPROVAL, AWAITING_INPUT

if TYPE_CHECKING:
    from mcp.types import CallToolResult

DEFAULT_WAIT_S = 25
# Azure ends an HTTP request after 230 s, and a tool call is served inside one.
MAX_WAIT_S = 230

Run = Callable[[DurableOrchestrationClient, ToolCall], Awaitable["CallToolResult"]]


@dataclass(frozen=True)
class McpTool:
    """One tool: its name and description for `tools/list`, its argument model and what it does."""

    name: str
    description: str
    arguments: type[BaseModel]
    run: Run


def mcp_tools() -> list[McpTool]:
    """Every tool the app serves: the startable workflows of the catalog, then the run tools."""
    workflow_tools = [workflow_tool(w) for w in WORKFLOWS.values() if w.started_by_runs_api]
    return [*workflow_tools, *RUN_TOOLS]


def workflow_tool(workflow: Workflow) -> McpTool:
    """The tool that starts `workflow`, named exactly like it."""

    async def start(client: DurableOrchestrationClient, call: ToolCall) -> CallToolResult:
        run_id = await operations.start_run(client, workflow, call.arguments)
        return await _settled_result(client, run_id)

    description = (
        f"{workflow.description} Starts a durable run and returns its result if it ends within "
        "a short wait; otherwise its id and progress (then call get_run). A run that needs a "
        "person returns at once: ask your user, then call approve_run (an approval) or answer_run "
        "(a question in pendingInput)."
    )
    return McpTool(workflow.name, description, workflow.input_model, start)


async def get_run(client: DurableOrchestrationClient, call: ToolCall) -> CallToolResult:
    """The run document of one run (`isError` naming the id when there is no such run)."""
    arguments = validate(call.arguments, GetRunArguments)
    return _report(await operations.get_run(client, arguments.run_id))


async def approve_run(client: DurableOrchestrationClient, call: ToolCall) -> CallToolResult:
    """Deliver a decision to a run waiting for approval, then report the run as it continues."""
    arguments = validate(call.arguments, ApproveRunArguments)
    run_id = checked_id(arguments.run_id, "run id")
    decision = await decide(client, run_id, arguments, verified_principal(call.headers))
    # No early stop here: until the run takes the decision in, it still reads as waiting for it.
    document = await operations.wait_for_run(client, decision.id, wait_s())
    verdict = "approved" if decision.approved else "rejected"
    by = f" by {decision.approver}" if decision.approver else ""
    return _report(document, note=f"Decision delivered: {verdict}{by}.")


async def answer_run(client: DurableOrchestrationClient, call: ToolCall) -> CallToolResult:
    """Answer a graph run's pending request, then report the run as it continues."""
    arguments = validate(call.arguments, AnswerRunArguments)
    run_id = checked_id(arguments.run_id, "run id")
    accepted = await answer(client, run_id, arguments, verified_principal(call.headers))
    document = await operations.wait_for_run(client, accepted.id, wait_s(), stop_early=waits_for_person)
    return _report(document, note=f"Answer delivered to request {accepted.requestId}.")


async def list_runs(client: DurableOrchestrationClient, call: ToolCall) -> CallToolResult:
    """One page of runs, newest first; `next` (when not null) is the cursor for the next page."""
    arguments = validate(call.arguments, ListRunsArguments)
    query = {name: str(value) for name, value in arguments.model_dump(exclude_none=True).items()}
    page = await operations.list_runs(client, query)
    return result(_list_text(page), page)


async def send_message(client: DurableOrchestrationClient, call: ToolCall) -> CallToolResult:
    """One turn of a multi-turn conversation: the reply, or how to get it when it takes longer."""
    arguments = validate(call.arguments, SendMessageArguments)
    session_id = checked_id(arguments.session_id, "session id")
    run_id = await start_turn(client, session_id, arguments.message)
    reply = await turn_reply(client, session_id, run_id, wait_s())
    if reply is not None:
        return result(reply.reply, reply)
    pending = {"sessionId": session_id, "runId": run_id, "status": "pending"}
    text = (
        f"session {session_id}: reply pending; the message is saved, do not send it again: "
        f"call get_run with run_id {run_id}, which shows the reply once the turn ends"
    )
    return result(text, pending)


async def delete_session(client: DurableOrchestrationClient, call: ToolCall) -> CallToolResult:
    """Forget a conversation and its turns' runs, as `DELETE /api/sessions/{id}` does."""
    arguments = validate(call.arguments, DeleteSessionArguments)
    session_id = checked_id(arguments.session_id, "session id")
    if await forget_session(client, session_id):
        return result(f"session {session_id} deleted", {"sessionId": session_id, "status": "deleted"})
    text = f"session {session_id}: its runs are deleted and its conversation is queued to be deleted"
    return result(text, {"sessionId": session_id, "status": "deleting"})


def wait_s() -> int:
    """`MCP_TOOL_WAIT_S`: how long a tool waits for a run before answering with its progress."""
    return int_setting("MCP_TOOL_WAIT_S", DEFAULT_WAIT_S, 0, MAX_WAIT_S)


async def _settled_result(client: DurableOrchestrationClient, run_id: str) -> CallToolResult:
    """The report of a run this tool call has just started, once it settles or the wait is over."""
    document = await operations.wait_for_run(
        client, run_id, wait_s(), stop_early=waits_for_person, just_started=True
    )
    return _report(document)


def _report(document: RunDocument, note: str = "") -> CallToolResult:
    step = waiting_step(document.status, document.progress)
    if step == AWAITING_APPROVAL:
        waiting_for = (
            "a person's approval of the draft below. Ask your user, then call approve_run with "
            f"run_id {document.id} and approved true or false"
        )
        return run_result(document, waiting_for, note)
    if step == AWAITING_INPUT and document.pendingInput:
        asked = "; ".join(_question(request) for request in document.pendingInput)
        waiting_for = (
            f"a person's answer: {asked}. Ask your user, then call answer_run with run_id {document.id}, "
            "the request_id and a response matching its responseSchema"
        )
        return run_result(document, waiting_for, note)
    if step is not None:
        waiting_for = (
            f"a person ({step}; its progress says what is asked). Answer through the run API, then "
            f"call get_run with run_id {document.id}"
        )
        return run_result(document, waiting_for, note)
    return run_result(document, note=note)


def _question(request: PendingInput) -> str:
    """One pending request as an assistant reads it: which executor asks, with what, for what shape."""
    data = json.dumps(request.data, ensure_ascii=False)
    shape = json.dumps(request.responseSchema, ensure_ascii=False)
    return f"request_id {request.requestId} from {request.executor} with {data}, answer shaped {shape}"


def _list_text(page: RunList) -> str:
    if not page.runs:
        return "No runs match."
    lines = [f"{run.id}  {run.workflow}  {run.status}  {run.createdAt}" for run in page.runs]
    if page.next:
        lines.append(f"More runs: call list_runs with cursor {page.next}")
    return "\n".join(lines)


RUN_TOOLS: tuple[McpTool, ...] = (
    McpTool(
        "get_run", "Read a run: status, progress, output or error, token usage.", GetRunArguments, get_run
    ),
    McpTool(
        "approve_run",
        "Approve or reject a run that waits for a person's approval, then report how it continues.",
        ApproveRunArguments,
        approve_run,
    ),
    McpTool(
        "answer_run",
        "Answer a question a graph run asked a person (its pendingInput), then report how it continues.",
        AnswerRunArguments,
        answer_run,
    ),
    McpTool(
        "list_runs",
        "List runs newest first, filtered by workflow and status; page with cursor.",
        ListRunsArguments,
        list_runs,
    ),
    McpTool(
        "send_message",
        "Send a message in a multi-turn conversation (a durable session) and get the reply.",
        SendMessageArguments,
        send_message,
    ),
    McpTool(
        "delete_session",
        "Delete a conversation (a durable session) and every turn's run: its messages are forgotten. "
        "Refused while one of its turns is still being answered.",
        DeleteSessionArguments,
        delete_session,
    ),
)
