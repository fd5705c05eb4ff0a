"""How run API documents look on screen: run documents, events, progress, tables.

Functions here turn API JSON into text for an `Output`; they never talk to the API,
so every command renders the same document the same way.
"""

import json
import shlex
from datetime import datetime
from typing import Any

from agentctl.output import Output

JsonObject = dict[str, Any]

ENDED_STATUSES = frozenset({"Completed", "Failed", "Terminated"})
UNSUCCESSFUL_STATUSES = frozenset({"Failed", "Terminated"})
# The approval workflow's progress step while it waits for a decision (docs/contracts.md).
AWAITING_APPROVAL = "awaiting_approval"
STATUS_STYLES = {
    "Completed": "bold green",
    "Failed": "bold red",
    "Terminated": "bold red",
    "Suspended": "yellow",
    "Running": "cyan",
    "Pending": "dim",
}
EVENT_STYLES = {
    "step_failed": "red",
    "run_failed": "bold red",
    "run_terminated": "bold red",
    "run_completed": "bold green",
    "event_received": "magenta",
    "timer_started": "yellow",
    "timer_fired": "yellow",
    "input_requested": "magenta",
    "output": "green",
}
DETAIL_LIMIT = 200
# `last` is the latest step's output; one short line of it is enough to see the run move.
LAST_LIMIT = 80


def is_ended(run: JsonObject) -> bool:
    return run.get("status") in ENDED_STATUSES


def progress_text(progress: JsonObject | None) -> str:
    """`review 3/3 · last words` on one line from `{step, index, of, last}`; empty without progress."""
    if not progress:
        return ""
    text = str(progress.get("step") or "")
    if progress.get("of"):
        text += f" {progress.get('index', 0)}/{progress['of']}"
    if progress.get("last"):
        text += f" · {_detail(progress['last'], limit=LAST_LIMIT)}"
    return text.strip()


def usage_text(usage: JsonObject | None) -> str:
    if not usage:
        return ""
    return f"{usage.get('input_tokens', 0)} input + {usage.get('output_tokens', 0)} output tokens"


def event_text(event: JsonObject) -> str:
    """`#3  12:00:01  step_completed  researcher  detail`, detail shortened to one line."""
    parts = [f"#{event.get('seq')}", _clock(event.get("at")), str(event.get("type", ""))]
    if event.get("name"):
        parts.append(str(event["name"]))
    detail = _detail(event.get("detail"))
    if detail:
        parts.append(detail)
    return "  ".join(parts)


def show_event(out: Output, event: JsonObject) -> None:
    out.line(event_text(event), EVENT_STYLES.get(str(event.get("type"))))


def show_run(out: Output, run: JsonObject) -> None:
    """The run document as labelled fields, then the output (or error) in full."""
    fields = [
        ("Run", run.get("id")),
        ("Workflow", run.get("workflow")),
        ("Status", run.get("status")),
        ("Created", run.get("createdAt")),
        ("Updated", run.get("updatedAt")),
        ("Progress", progress_text(run.get("progress"))),
        ("Usage", usage_text(run.get("usage"))),
    ]
    for label, value in fields:
        if value:
            style = STATUS_STYLES.get(str(value)) if label == "Status" else None
            out.line(f"{label:<9} {value}", style)
    for request in run.get("pendingInput") or []:
        show_pending_request(out, str(run.get("id")), request)
    if approval := waiting_for_people(run).get(AWAITING_APPROVAL):
        out.line(approval, "magenta")
    if run.get("error"):
        out.line(f"{'Error':<9} {_detail(run['error'], limit=None)}", "red")
    if run.get("output") is not None:
        out.line("Output", "bold")
        out.pretty_json(run["output"])


def show_pending_request(out: Output, run_id: str, request: JsonObject) -> None:
    """One request a graph run waits on, and the command that answers it."""
    asked = f"request {request.get('requestId')} from {request.get('executor')}"
    out.line(f"{'Waiting':<9} {asked}: {_detail(request.get('data'))}", "magenta")
    out.line(f"{'':<9} answer it: agentctl answer {run_id} --response {_example_answer(request)}", "dim")


def waiting_for_people(run: JsonObject) -> dict[str, str]:
    """What the run waits on a person for, each with the command that answers it (key: what it waits on).

    A graph's pending requests, or the approval workflow's decision (its progress step while it waits,
    docs/contracts.md). With several requests pending, each command names its request.
    """
    run_id = str(run.get("id"))
    pending = run.get("pendingInput") or []
    waits = {}
    for request in pending:
        request_id = str(request.get("requestId"))
        which = f" --request {shlex.quote(request_id)}" if len(pending) > 1 else ""
        waits[request_id] = (
            f"Waiting for an answer to request {request_id} from {request.get('executor')}: "
            f"agentctl answer {run_id}{which} --response {_example_answer(request)}"
        )
    if (run.get("progress") or {}).get("step") == AWAITING_APPROVAL and run.get("status") == "Running":
        waits[AWAITING_APPROVAL] = (
            f"Waiting for approval: agentctl approve {run_id} --comment '...' (or --reject)"
        )
    return waits


def _example_answer(request: JsonObject) -> str:
    """The response schema's first example, quoted for a POSIX shell; else a placeholder naming the type."""
    schema = request.get("responseSchema")
    examples = schema.get("examples") if isinstance(schema, dict) else None
    if not isinstance(examples, list) or not examples:
        return f"'<{request.get('responseType')} as JSON>'"
    return shlex.quote(json.dumps(examples[0], ensure_ascii=False))


def show_started(out: Output, accepted: JsonObject) -> None:
    run_id = accepted.get("id")
    out.line(f"Started run {run_id} (workflow {accepted.get('workflow')}, status {accepted.get('status')})")
    out.line(f"Follow it:  agentctl events {run_id} --follow", "dim")


# What the INPUT column says of a workflow `agentctl run` cannot start (the session turns).
PER_MESSAGE = "(one run per message: agentctl chat <session>)"


def show_workflows(out: Output, workflows: list[JsonObject]) -> None:
    rows = [
        [
            str(item.get("name", "")),
            _input_fields(item.get("input_schema")) if item.get("startable", True) else PER_MESSAGE,
            str(item.get("description", "")),
        ]
        for item in workflows
    ]
    out.table(["NAME", "INPUT", "DESCRIPTION"], rows)


def show_runs(out: Output, runs: list[JsonObject]) -> None:
    rows = [
        [str(run.get(key) or "") for key in ("id", "workflow", "status", "createdAt", "updatedAt")]
        for run in runs
    ]
    out.table(["ID", "WORKFLOW", "STATUS", "CREATED", "UPDATED"], rows)


def show_health(out: Output, health: JsonObject, api_base: str) -> None:
    out.line(
        f"{api_base}: {health.get('status')}", "bold green" if health.get("status") == "ok" else "yellow"
    )
    for label in ("version", "provider"):
        if health.get(label) is not None:
            out.line(f"{label:<9} {health[label]}")


def _input_fields(schema: JsonObject | None) -> str:
    """`topic*, specialists`: the input's properties, required ones starred."""
    if not isinstance(schema, dict):
        return ""
    required = set(schema.get("required") or [])
    names = schema.get("properties") or {}
    return ", ".join(f"{name}*" if name in required else name for name in names)


def _clock(at: Any) -> str:
    """Events of one run are close together; the time of day is what a reader compares."""
    try:
        return datetime.fromisoformat(str(at)).strftime("%H:%M:%S")
    except ValueError:
        return str(at or "")


def _detail(detail: Any, limit: int | None = DETAIL_LIMIT) -> str:
    if detail is None or detail == "":
        return ""
    text = detail if isinstance(detail, str) else json.dumps(detail, ensure_ascii=False)
    text = " ".join(text.split())
    if limit is not None and len(text) > limit:
        return text[: limit - 1] + "…"
    return text
