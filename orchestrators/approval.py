"""approval: the writer drafts, a person approves or rejects it, and an approved draft is published.

Input `{"topic", "timeout_s"?}` (default 86400); output
`{"decision": "approved" | "rejected" | "timed_out", "draft", "approver", "comment", "published"}`.
The run waits for the external event `approval` (`{"approved", "comment", "approver", "decisionId"}`)
and a durable timer, whichever comes first; the timer is cancelled when the event wins, and the
decision's id is published as `decided.approval` in the progress. Publishing is idempotent by
the key `<instance id>:publish`.
Progress steps: `drafting` (1 of 3), `awaiting_approval` (2 of 3; the API's approval endpoint checks
it), `publishing` (3 of 3, approved only), then `done`.
"""

from datetime import timedelta
from typing import Any, cast

import azure.durable_functions as df
from azure.durable_functions.models.Task import TimerTask

from orchestrators.contract import (
    APPROVAL_EVENT,
    AWAITING_APPROVAL,
    DEFAULT_APPROVAL_TIMEOUT_S,
    DONE,
    PUBLISH_DRAFT,
)
from orchestrators.inputs import workflow_input
from orchestrators.payloads import json_value
from orchestrators.progress import report, take_decision
from orchestrators.retry import TOOL_RETRY, Steps, call_agent


def read_decision(payload: Any) -> dict[str, Any]:
    """The approval event as `{"decision", "approver", "comment"}`; a malformed payload is an error."""
    if not isinstance(payload, dict) or not isinstance(payload.get("approved"), bool):
        raise ValueError(f"event '{APPROVAL_EVENT}' needs {{'approved': bool, ...}}, got {payload!r}")
    decision = "approved" if payload["approved"] else "rejected"
    return {"decision": decision, "approver": payload.get("approver"), "comment": payload.get("comment")}


def wait_for_decision(context: df.DurableOrchestrationContext, timeout_s: int) -> Steps:
    """The person's decision, or `timed_out` when the durable timer fires first."""
    event = context.wait_for_external_event(APPROVAL_EVENT)
    # The SDK annotates create_timer as TaskBase; it returns a TimerTask, the one that can be cancelled.
    deadline = cast(
        TimerTask, context.create_timer(context.current_utc_datetime + timedelta(seconds=timeout_s))
    )
    winner = yield context.task_any([event, deadline])
    if winner != event:
        return {"decision": "timed_out", "approver": None, "comment": None}
    deadline.cancel()
    payload = json_value(event.result)
    decision = read_decision(payload)
    take_decision(context, APPROVAL_EVENT, payload)
    return decision


def approval(context: df.DurableOrchestrationContext) -> Steps:
    """Draft, wait for a person (or the timeout), publish when approved."""
    given = workflow_input(context)
    topic: str = given["topic"]
    timeout_s = int(given.get("timeout_s") or DEFAULT_APPROVAL_TIMEOUT_S)

    report(context, "drafting", 1, 3, topic)
    written = yield from call_agent(context, "writer", f"Topic: {topic}\n\nWrite a draft for publication.")
    draft: str = written["text"]

    report(context, AWAITING_APPROVAL, 2, 3, draft)
    outcome = yield from wait_for_decision(context, timeout_s)
    published = False
    if outcome["decision"] == "approved":
        report(context, "publishing", 3, 3, f"approved by {outcome['approver'] or 'unknown'}")
        publication = {"title": topic, "text": draft, "approver": outcome["approver"]}
        publication["idempotency_key"] = f"{context.instance_id}:publish"
        receipt = yield context.call_activity_with_retry(PUBLISH_DRAFT, TOOL_RETRY, publication)
        published = bool(receipt.get("published"))

    report(context, DONE, 3, 3, outcome["decision"])
    return {**outcome, "draft": draft, "published": published}
