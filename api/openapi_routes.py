"""The run API's operations, as the OpenAPI document lists them."""

from api.catalog import WORKFLOWS
from api.events import DEFAULT_LIMIT as DEFAULT_EVENTS_LIMIT
from api.events import MAX_LIMIT as MAX_EVENTS_LIMIT
from api.events import MAX_WAIT_S as MAX_EVENTS_WAIT_S
from api.events import SSE_DEFAULT_WAIT_S
from api.models import (
    ApprovalAccepted,
    ApprovalRequest,
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
from api.openapi_parts import ID_SCHEMA, Operation, param, ref, wait_param
from api.run_cursor import CURSOR_PARAM, CURSOR_PATTERN
from api.run_list import DEFAULT_LIMIT, MAX_LIMIT, PUBLIC_STATUSES
from api.run_steps import DEFAULT_LIMIT as DEFAULT_STEPS_LIMIT
from api.run_steps import MAX_LIMIT as MAX_STEPS_LIMIT
from api.runs import MAX_START_WAIT_S
from api.sessions import DEFAULT_WAIT_S as DEFAULT_REPLY_WAIT_S
from api.sessions import MAX_WAIT_S as MAX_REPLY_WAIT_S
from api.step_models import StepList

RUN_ID = param("id", "path", ID_SCHEMA, "Run id.")
SESSION_ID = param("id", "path", ID_SCHEMA, "Session id.")
RUN_KEY = param("key", "path", {"type": "string"}, "A run id (GET, DELETE) or a workflow name (POST).")
STARTABLE = [w for w in WORKFLOWS.values() if w.started_by_runs_api]

# Who decides (an approval, a graph's answer): recorded, and with Entra ID on, must hold the role.
DECIDER = param(
    "X-MS-CLIENT-PRINCIPAL-NAME",
    "header",
    {"type": "string"},
    "Set by App Service authentication (with X-MS-CLIENT-PRINCIPAL, whose roles must include "
    "Runs.Approver); recorded as the approver (answeredBy for a graph's answer, with the reason of a "
    "terminate).",
)


OPERATIONS = [
    Operation(
        "/health", "get", "Liveness, version and model provider.", {200: ("OK", ref(Health))}, anonymous=True
    ),
    Operation(
        "/workflows",
        "get",
        "The workflows and their input schemas.",
        {200: ("Every workflow.", {"type": "array", "items": ref(WorkflowInfo)})},
    ),
    Operation("/openapi.json", "get", "This document.", {200: ("OpenAPI 3.1.", {"type": "object"})}),
    Operation(
        "/runs",
        "get",
        "Runs, newest first, `limit` a page; follow `next` with `cursor`.",
        {200: ("A page.", ref(RunList))},
        (400,),
        [
            param("workflow", "query", {"type": "string", "enum": list(WORKFLOWS)}, "Only this workflow."),
            param(
                "status",
                "query",
                {"type": "string"},
                "Comma-separated statuses: " + ", ".join(PUBLIC_STATUSES) + ".",
            ),
            param(
                "limit",
                "query",
                {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT, "default": DEFAULT_LIMIT},
                "Page size.",
            ),
            param(
                CURSOR_PARAM,
                "query",
                {"type": "string", "pattern": CURSOR_PATTERN},
                "Opaque: the previous page's `next`, unchanged.",
            ),
        ],
    ),
    Operation(
        "/runs/{key}",
        "get",
        "A run's document.",
        {200: ("The run.", ref(RunDocument))},
        (400, 404),
        [RUN_KEY],
    ),
    Operation(
        "/runs/{key}",
        "post",
        "Start the workflow named `key`.",
        {
            200: ("Ended within `wait` (Completed, Failed or Terminated).", ref(RunDocument)),
            202: ("Started; follow `Location`.", ref(RunAccepted)),
        },
        (400, 404, 413, 422),
        [RUN_KEY, wait_param(MAX_START_WAIT_S, 0, "Seconds to wait for the run to end.")],
        {
            "anyOf": [ref(w.input_model) for w in STARTABLE],
            "description": "The named workflow's input (see GET /workflows).",
        },
    ),
    Operation(
        "/runs/{key}", "delete", "Purge an ended run.", {204: ("Purged.", None)}, (400, 404, 409), [RUN_KEY]
    ),
    Operation(
        "/runs/{id}/events",
        "get",
        "The run's timeline with the agents' words as `token` events (JSON, or SSE with "
        "Accept: text/event-stream, one batch per reply and `retry` near 0).",
        {
            200: ("Events after `after`, at most `limit`; follow `next` for more.", ref(EventPage)),
            204: (
                "SSE only: the run has ended and the reader has every event (closes an EventSource).",
                None,
            ),
        },
        (400, 404),
        [
            RUN_ID,
            param(
                "after",
                "query",
                {"type": "string", "default": "0"},
                "An event `id` (or a step `seq`): return what came after it.",
            ),
            param(
                "tokens",
                "query",
                {"type": "boolean", "default": True},
                "false leaves the `token` events out (ids are then the steps' seq).",
            ),
            param(
                "limit",
                "query",
                {
                    "type": "integer",
                    "minimum": 1,
                    "maximum": MAX_EVENTS_LIMIT,
                    "default": DEFAULT_EVENTS_LIMIT,
                },
                "Most events in the reply; `done` stays false until the page with the run's last event.",
            ),
            wait_param(
                MAX_EVENTS_WAIT_S,
                0,
                f"Seconds to wait for at least one new event (SSE: default {SSE_DEFAULT_WAIT_S}).",
            ),
            param(
                "Last-Event-ID",
                "header",
                {"type": "string"},
                "SSE resume point (the last `id:` received); wins over `after`.",
            ),
        ],
        event_stream=True,
    ),
    Operation(
        "/runs/{id}/steps",
        "get",
        "Agent and tool steps, `limit` a page: prompt, reply, tool calls, usage, time, status, error "
        "(texts ≤ 16 KB).",
        {
            200: (
                "Steps after `after`, in the order they were scheduled; follow `next` for more.",
                ref(StepList),
            )
        },
        (400, 404),
        [
            RUN_ID,
            param(
                "after",
                "query",
                {"type": "integer", "minimum": 0, "default": 0},
                "A step `seq` (or the previous page's `next`): return the steps after it.",
            ),
            param(
                "limit",
                "query",
                {"type": "integer", "minimum": 1, "maximum": MAX_STEPS_LIMIT, "default": DEFAULT_STEPS_LIMIT},
                "Page size.",
            ),
        ],
    ),
    Operation(
        "/runs/{id}/approval",
        "post",
        "Approve or reject a run waiting for approval.",
        {202: ("Decision delivered.", ref(ApprovalAccepted))},
        (400, 403, 404, 409, 413, 422),
        [
            RUN_ID,
            DECIDER,
        ],
        ref(ApprovalRequest),
    ),
    Operation(
        "/runs/{id}/input",
        "post",
        "Answer a graph's pending request (see the run's pendingInput).",
        {202: ("Answer delivered.", ref(InputAccepted))},
        (400, 403, 404, 409, 413, 422),
        [RUN_ID, DECIDER],
        ref(InputRequest),
    ),
    Operation(
        "/runs/{id}/terminate",
        "post",
        "Stop a run that has not ended. Stopping one that waits for a person decides it: with Entra ID "
        "on, that needs the Runs.Approver role (403), and the signed-in caller is recorded with the reason.",
        {202: ("Termination requested.", ref(RunAccepted))},
        (400, 403, 404, 409, 413, 422),
        [RUN_ID, DECIDER],
        ref(TerminateRequest),
    ),
    Operation(
        "/sessions/{id}/messages",
        "post",
        "Send a message; one session run per message. With Accept: text/event-stream the reply's "
        "`token` events, then a `message` event with the reply (or `pending` with links to follow).",
        {200: ("The reply.", ref(SessionReply)), 202: ("Still working.", ref(SessionAccepted))},
        (400, 413, 422, 429, 502),
        [SESSION_ID, wait_param(MAX_REPLY_WAIT_S, DEFAULT_REPLY_WAIT_S, "Seconds to wait for the reply.")],
        ref(SessionMessageRequest),
        event_stream=True,
    ),
    Operation(
        "/sessions/{id}",
        "get",
        "The bounded conversation.",
        {200: ("The session.", ref(SessionState))},
        (400, 404),
        [SESSION_ID],
    ),
    Operation(
        "/sessions/{id}",
        "delete",
        "Delete the session: its conversation and every turn's run (their inputs hold the messages). "
        "Refused (409, naming the run) while a turn is still running.",
        {
            204: ("Deleted: GET /sessions/{id} is now 404 and the turns' runs are purged.", None),
            202: (
                "The runs are purged; the conversation is still queued to be deleted.",
                ref(SessionDeleting),
            ),
        },
        (400, 404, 409),
        [SESSION_ID],
    ),
]
