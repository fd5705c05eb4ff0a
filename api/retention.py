"""Daily housekeeping: purge ended runs older than `RUN_RETENTION_DAYS` (default 30), and token
streams older than `STREAM_RETENTION_HOURS` (default 24).

Histories (inputs, outputs, every agent reply) otherwise grow the task hub forever; only ended runs
are purged, so a long human-approval wait is never cut short. Streams are only a live view of the
replies the histories keep, so they go by their own age, whatever state their run is in.
"""

import asyncio
import logging
from datetime import UTC, datetime, timedelta

from azure.durable_functions import DurableOrchestrationClient
from azure.durable_functions.models.OrchestrationRuntimeStatus import OrchestrationRuntimeStatus as Runtime

from api.settings import int_setting
from streams.records import StreamError
from streams.store import purge_old_streams

_log = logging.getLogger(__name__)

RETENTION_SETTING = "RUN_RETENTION_DAYS"
DEFAULT_RETENTION_DAYS = 30
RETENTION_DAYS_SETTING = (RETENTION_SETTING, DEFAULT_RETENTION_DAYS, 1, 36500)
ENDED_STATUSES = [Runtime.Completed, Runtime.Failed, Runtime.Terminated, Runtime.Canceled]
# The purge API needs a lower bound; nothing in a task hub predates this.
EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)


def retention_days() -> int:
    """`RUN_RETENTION_DAYS`: how long an ended run is kept (checked at start-up as well)."""
    return int_setting(*RETENTION_DAYS_SETTING)


async def purge_old_runs(client: DurableOrchestrationClient, now: datetime | None = None) -> int:
    """Purge ended runs created more than the retention period ago; returns and logs how many."""
    days = retention_days()
    cutoff = (now or datetime.now(UTC)) - timedelta(days=days)
    result = await client.purge_instance_history_by(
        created_time_from=EARLIEST, created_time_to=cutoff, runtime_status=ENDED_STATUSES
    )
    deleted = int(result.instances_deleted or 0)
    _log.info(
        "purged %d ended runs created before %s (%s=%d)", deleted, cutoff.isoformat(), RETENTION_SETTING, days
    )
    await purge_streams(now)
    return deleted


async def purge_streams(now: datetime | None = None) -> int:
    """Delete token chunks past `STREAM_RETENTION_HOURS`; a store failure is logged, not raised."""
    try:
        chunks = await asyncio.to_thread(purge_old_streams, now)
    except StreamError:
        _log.exception("could not purge old token streams")
        return 0
    _log.info("purged %d token stream chunks past their retention", chunks)
    return chunks
