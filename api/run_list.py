"""`GET /runs`: newest first, filtered, `limit` runs a page, paged with an opaque `cursor`.

The query parameters are checked here; the page itself is cut from creation-time windows of the
durable instance query (`api/run_windows.py`), so its cost follows the page, not the task hub, and
paging never skips or repeats a run however many share a second. `next` is the cursor of the rest
(`api/run_cursor.py`), null on the last page.
"""

from datetime import UTC, datetime
from typing import get_args

import azure.functions as func
from azure.durable_functions.models.DurableOrchestrationStatus import DurableOrchestrationStatus

from api.catalog import WORKFLOWS
from api.errors import bad_parameter
from api.models import RunList, RunStatus
from api.params import int_param
from api.run_cursor import CURSOR_PARAM, decode_cursor, encode_cursor
from api.run_document import run_summary
from api.run_status import public_status, runtime_statuses
from api.run_windows import InstanceQuery, PageRequest, read_page

PUBLIC_STATUSES: tuple[RunStatus, ...] = get_args(RunStatus)
DEFAULT_LIMIT = 20
MAX_LIMIT = 100
REPLACED_PARAMS = {"before": CURSOR_PARAM}


async def list_runs(req: func.HttpRequest, client: InstanceQuery) -> RunList:
    """One page of runs matching `workflow` and `status` (comma-separated), from `cursor` on."""
    _refuse_replaced(req)
    workflow = _workflow_filter(req)
    statuses = _status_filter(req)
    limit = int_param(req, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT)
    raw_cursor = req.params.get(CURSOR_PARAM)
    cursor = decode_cursor(raw_cursor) if raw_cursor else None

    def keep(status: DurableOrchestrationStatus) -> bool:
        return (workflow is None or status.name == workflow) and (
            not statuses or public_status(status) in statuses
        )

    runtime = [runtime for name in statuses for runtime in runtime_statuses(name)] or None
    page = await read_page(client, PageRequest(limit, runtime, keep), cursor, datetime.now(UTC))
    return RunList(
        runs=[run_summary(status) for status in page.runs],
        next=None if page.next is None else encode_cursor(page.next),
    )


def _refuse_replaced(req: func.HttpRequest) -> None:
    for old, new in REPLACED_PARAMS.items():
        if old in req.params:
            raise bad_parameter(old, f"was replaced by `{new}`: pass the `next` value of the previous page")


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
