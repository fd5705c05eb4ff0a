"""`GET /runs`: newest first, filtered, paged by creation time.

The SDK's `get_status_by` ignores the host's continuation token, so pages are cut by time instead:
`next` is a creation time and the next page asks for runs created strictly before it. Runs created
in the same instant are never split across pages, so paging never skips or repeats a run.
"""

from datetime import UTC, datetime
from typing import get_args

import azure.functions as func
from azure.durable_functions import DurableOrchestrationClient
from azure.durable_functions.models.DurableOrchestrationStatus import DurableOrchestrationStatus

from api.catalog import WORKFLOWS
from api.errors import bad_parameter
from api.models import RunList, RunStatus
from api.params import datetime_param, int_param
from api.run_document import iso, run_summary
from api.run_status import public_status, runtime_statuses

PUBLIC_STATUSES: tuple[RunStatus, ...] = get_args(RunStatus)
DEFAULT_LIMIT = 20
MAX_LIMIT = 100


async def list_runs(req: func.HttpRequest, client: DurableOrchestrationClient) -> RunList:
    """One page of runs matching `workflow`, `status` (comma-separated) and `before`."""
    workflow = _workflow_filter(req)
    statuses = _status_filter(req)
    limit = int_param(req, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT)
    before = datetime_param(req, "before")
    runtime = [runtime for name in statuses for runtime in runtime_statuses(name)] or None
    found = await client.get_status_by(created_time_to=before, runtime_status=runtime)
    matching = [
        status
        for status in found
        if status
        and (before is None or _created(status) < before)
        and (workflow is None or status.name == workflow)
        and (not statuses or public_status(status) in statuses)
    ]
    matching.sort(key=lambda s: (_created(s), s.instance_id or ""), reverse=True)
    page, cursor = _page(matching, limit)
    return RunList(runs=[run_summary(status) for status in page], next=cursor)


def _page(
    runs: list[DurableOrchestrationStatus], limit: int
) -> tuple[list[DurableOrchestrationStatus], str | None]:
    """At most `limit` runs, never splitting one creation instant, and the cursor for the rest."""
    if len(runs) <= limit:
        return runs, None
    boundary = _created(runs[limit])
    page = [status for status in runs[:limit] if _created(status) > boundary]
    if not page:
        # More than `limit` runs share one instant: return them all rather than lose any.
        page = [status for status in runs if _created(status) == boundary]
    rest_exists = len(page) < len(runs)
    return page, iso(_created(page[-1])) if rest_exists else None


def _created(status: DurableOrchestrationStatus) -> datetime:
    moment = status.created_time or datetime(1970, 1, 1, tzinfo=UTC)
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


def _workflow_filter(req: func.HttpRequest) -> str | None:
    name = req.params.get("workflow") or None
    if name is not None and name not in WORKFLOWS:
        raise bad_parameter("workflow", f"unknown workflow {name!r}; one of {', '.join(WORKFLOWS)}")
    return name


def _status_filter(req: func.HttpRequest) -> list[RunStatus]:
    raw = req.params.get("status") or ""
    by_lower = {name.lower(): name for name in PUBLIC_STATUSES}
    chosen: list[RunStatus] = []
    for part in filter(None, (piece.strip() for piece in raw.split(","))):
        if part.lower() not in by_lower:
            raise bad_parameter("status", f"unknown status {part!r}; one of {', '.join(PUBLIC_STATUSES)}")
        chosen.append(by_lower[part.lower()])
    return chosen
