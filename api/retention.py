"""Daily housekeeping: purge ended runs older than `RUN_RETENTION_DAYS` (default 30).

Histories (inputs, outputs, every agent reply) otherwise grow the task hub forever; only ended runs
are purged, so a long human-approval wait is never cut short.
"""

import logging
from datetime import UTC, datetime, timedelta

from azure.durable_functions import DurableOrchestrationClient
from azure.durable_functions.models.OrchestrationRuntimeStatus import OrchestrationRuntimeStatus as Runtime

from api.settings import int_setting

_log = logging.getLogger(__name__)

RETENTION_SETTING = "RUN_RETENTION_DAYS"
DEFAULT_RETENTION_DAYS = 30
ENDED_STATUSES = [Runtime.Completed, Runtime.Failed, Runtime.Terminated, Runtime.Canceled]
# The purge API needs a lower bound; nothing in a task hub predates this.
EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)


async def purge_old_runs(client: DurableOrchestrationClient, now: datetime | None = None) -> int:
    """Purge ended runs created more than the retention period ago; returns and logs how many."""
    days = int_setting(RETENTION_SETTING, DEFAULT_RETENTION_DAYS, 1, 36500)
    cutoff = (now or datetime.now(UTC)) - timedelta(days=days)
    result = await client.purge_instance_history_by(
        created_time_from=EARLIEST, created_time_to=cutoff, runtime_status=ENDED_STATUSES
    )
    deleted = int(result.instances_deleted or 0)
    _log.info(
        "purged %d ended runs created before %s (%s=%d)", deleted, cutoff.isoformat(), RETENTION_SETTING, days
    )
    return deleted
