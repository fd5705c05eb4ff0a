"""An activity's result goes straight to the episode it wakes, without a round trip through the inbox."""

from typing import Any

from azure.durable_functions.models.history import HistoryEventType

from devhost.dispatcher import ARRIVED_ROW
from devhost.history import event, utc_now
from devhost.store import InboxRow
from tests.devhost.engine.engine_support import run_to_end


def _inbox_rows_ever_written(engine: Any) -> int:
    row = engine._store._conn.execute("SELECT seq FROM sqlite_sequence WHERE name = 'inbox'").fetchone()
    return 0 if row is None else int(row[0])


def test_a_sequence_of_activities_never_writes_its_results_to_the_inbox(run_engine) -> None:
    async def scenario(engine):
        status = await run_to_end(engine, "hello_sequence", '"Ada"')
        return status, _inbox_rows_ever_written(engine)

    status, written = run_engine(scenario)
    assert status["runtimeStatus"] == "Completed"
    assert status["output"] == ["Hello Ada", "Hello Hello Ada", "HELLO HELLO ADA"]
    assert written == 0


def test_a_result_for_an_instance_that_has_ended_is_kept_in_the_inbox(run_engine) -> None:
    """The episode does not take it in, so it is stored as if it had come through the inbox."""

    async def scenario(engine):
        instance_id = await engine.start_new("approval_or_timeout", None, "3600")
        await engine.wait_idle(5)
        await engine.terminate(instance_id, "test")
        await engine.wait_idle(5)
        execution_id = engine._store.load_instance(instance_id).execution_id
        late = event(HistoryEventType.TASK_COMPLETED, utc_now(), TaskScheduledId=0, Result='"late"')
        with engine._store.transaction():
            wakeups = engine._runner.run(instance_id, InboxRow(ARRIVED_ROW, execution_id, late))
        return wakeups, execution_id, engine._store.load_inbox(instance_id)

    wakeups, execution_id, inbox = run_engine(scenario)
    assert not wakeups.instances and not wakeups.activities
    assert [(row.execution_id, row.event["Result"]) for row in inbox] == [(execution_id, '"late"')]
