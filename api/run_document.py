"""Durable status → the public run document `{id, workflow, status, ..., usage, output, error}`.

The document hides the durable extension's quirks: Failed runs carry their message in `output`
(moved to `error` here). Token usage is the orchestrator's own count, published with its progress
(`orchestrators/progress.py`) rather than trusted to each workflow's output; so a document is
built from one status read without history, whatever the length of the run.
"""

from datetime import UTC, datetime
from typing import Any

from azure.durable_functions.models.DurableOrchestrationStatus import DurableOrchestrationStatus

from api.graph_input import pending_input
from api.history import without_details
from api.models import PendingInput, RunDocument, RunSummary, Usage
from api.run_status import public_status
from orchestrators.payloads import json_value


def run_summary(status: DurableOrchestrationStatus) -> RunSummary:
    """The fields every run listing shows, readable without the history."""
    return RunSummary(
        id=status.instance_id or "",
        workflow=status.name or "",
        status=public_status(status),
        createdAt=iso(status.created_time),
        updatedAt=iso(status.last_updated_time),
        progress=status.custom_status,
    )


def run_document(status: DurableOrchestrationStatus) -> RunDocument:
    """The full document of one run from its status (history not needed)."""
    summary = run_summary(status)
    output, error = _outcome(summary.status, status.output)
    return RunDocument(
        **summary.model_dump(),
        usage=usage(status.custom_status),
        output=output,
        error=error,
        pendingInput=[PendingInput.model_validate(request) for request in pending_input(status)],
    )


def usage(progress: Any) -> Usage:
    """The tokens of every finished agent step, as the orchestrator counted them in its progress."""
    return Usage.counted(progress.get("usage") if isinstance(progress, dict) else None)


def iso(moment: datetime | None) -> str | None:
    """ISO 8601 in UTC with `Z`."""
    if moment is None:
        return None
    moment = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
    return moment.isoformat().replace("+00:00", "Z")


def _outcome(public: str, raw_output: Any) -> tuple[Any, str | None]:
    """(output, error): Failed and Terminated runs carry a message, not a result."""
    output = json_value(raw_output)
    if public == "Failed":
        return None, _message(output) or "run failed"
    if public == "Terminated":
        return None, _message(output) or "terminated"
    if public == "Completed":
        return output, None
    return None, None


def _message(value: Any) -> str | None:
    if isinstance(value, dict):
        value = value.get("message") or value.get("Message") or value.get("ErrorMessage")
    return without_details(str(value)) if value else None
