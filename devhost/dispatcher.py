"""Work dispatch on the host's event loop: orchestration episodes, entity batches, activities, timers.

Nothing polls: every piece of work is woken through the ready queue, an asyncio task or a loop timer.
Timer firings commit to the inbox before the orchestration is woken; an activity result commits together
with the episode it wakes (`_deliver`).

Entity functions are synchronous and may block for seconds (an agent entity waits for its model), so
their batches run on the worker threads, like sync functions in the Python worker, one batch per entity
at a time; the store is read and written only on the loop.
"""

import asyncio
import logging
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from azure.durable_functions.models.history import HistoryEventType

from devhost.activities import run_activity
from devhost.entities import EntityRunner
from devhost.function_call import FunctionCaller
from devhost.history import Event, event, parse_timestamp, utc_now
from devhost.registry import DurableRegistry
from devhost.runner import EpisodeRunner, Wakeups
from devhost.store import ActivityRow, InboxRow, Store, TimerRow

log = logging.getLogger("devhost")

ARRIVED_ROW = -1  # the inbox row id of a result handed straight to its episode (stored rows count from 1)


class Dispatcher:
    """Runs episodes one at a time, entity batches one per entity, activities concurrently, timers on time."""

    def __init__(
        self,
        store: Store,
        registry: DurableRegistry,
        runner: EpisodeRunner,
        entities: EntityRunner,
        on_episode: Callable[[str], None],
        caller: FunctionCaller | None = None,
    ) -> None:
        self._store = store
        self._caller = caller  # calls activities that have bindings besides their trigger
        self._on_episode = on_episode
        self._registry = registry
        self._runner = runner
        self._entities = entities
        self._queue: asyncio.Queue[str] = asyncio.Queue()
        self._queued: set[str] = set()
        self._busy = False
        self._entities_running: dict[str, asyncio.Task[None]] = {}
        self._activities: dict[int, asyncio.Task[None]] = {}
        self._running_for: Counter[str] = Counter()  # activities in flight per instance
        self._timers: dict[int, asyncio.TimerHandle] = {}
        # Sync activities and entity batches share one pool, as sync functions do in the Python worker.
        self._executor = ThreadPoolExecutor(max_workers=32, thread_name_prefix="devhost-worker")
        self._idle = asyncio.Event()
        self._worker: asyncio.Task[None] | None = None
        self._stopping = False

    # ----------------------------------------------------------------- lifecycle
    def start(self) -> None:
        self._worker = asyncio.get_running_loop().create_task(self._work_loop(), name="devhost-dispatcher")

    async def stop(self) -> None:
        """Stop dispatching; unfinished activities and timers stay in the store and resume on next start."""
        self._stopping = True
        for handle in self._timers.values():
            handle.cancel()
        running = [*self._activities.values(), *self._entities_running.values()]
        tasks = [*running, *([self._worker] if self._worker else [])]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        self._executor.shutdown(wait=False, cancel_futures=True)

    # ------------------------------------------------------------------- waking
    def wake_instance(self, instance_id: str) -> None:
        if instance_id not in self._queued and not self._stopping:
            self._queued.add(instance_id)
            self._queue.put_nowait(instance_id)
            self._idle.clear()

    def wake_entity(self, entity_id: str) -> None:
        """Start the entity's batch runner unless one is running (it picks the new operations up)."""
        if entity_id in self._entities_running or self._stopping:
            return
        task = asyncio.get_running_loop().create_task(self._run_entity(entity_id))
        self._entities_running[entity_id] = task
        self._idle.clear()

    def dispatch(self, wakeups: Wakeups) -> None:
        for row_id in wakeups.cancelled_timer_rows:
            handle = self._timers.pop(row_id, None)
            if handle is not None:
                handle.cancel()
        for activity in wakeups.activities:
            self.start_activity(activity)
        for timer in wakeups.timers:
            self.schedule_timer(timer)
        for entity_id in sorted(wakeups.entities):
            self.wake_entity(entity_id)
        for instance_id in sorted(wakeups.instances):
            self.wake_instance(instance_id)

    # ------------------------------------------------------------------ episodes
    async def _work_loop(self) -> None:
        while True:
            instance_id = await self._queue.get()
            self._queued.discard(instance_id)
            self._busy = True
            try:
                self.dispatch(self._runner.run(instance_id))
                self._on_episode(instance_id)
            except Exception:
                log.exception("devhost engine error while running orchestration %s", instance_id)
            finally:
                self._busy = False
                self._check_idle()
            await asyncio.sleep(0)  # let HTTP requests and activity completions in between episodes

    # ------------------------------------------------------------------ entities
    async def _run_entity(self, entity_id: str) -> None:
        """Run the entity's batches until no operation is queued: each on a worker thread, committed here.

        Operations that arrive while a batch runs form the next batch. A failure leaves the operations
        queued for the next wake or restart rather than retrying them in a tight loop.
        """
        loop = asyncio.get_running_loop()
        try:
            while (batch := self._entities.load(entity_id)) is not None:
                outcome = await loop.run_in_executor(self._executor, self._entities.execute, batch)
                if self._stopping:
                    return
                self.dispatch(Wakeups(instances=self._entities.commit(batch, outcome)))
        except Exception:
            log.exception("devhost engine error while running entity %s", entity_id)
        finally:
            self._entities_running.pop(entity_id, None)
            self._check_idle()

    # ---------------------------------------------------------------- activities
    def start_activity(self, row: ActivityRow) -> None:
        if self._stopping:
            return
        task = asyncio.get_running_loop().create_task(self._run_activity(row))
        self._activities[row.row_id] = task
        self._running_for[row.instance_id] += 1
        self._idle.clear()

    async def _run_activity(self, row: ActivityRow) -> None:
        try:
            completion = await run_activity(
                self._registry.activity(row.name),
                row.name,
                row.task_id,
                row.input,
                self._executor,
                row.instance_id,
                self._caller,
            )
            if self._stopping:
                return
            self._deliver(row, completion)
        finally:
            self._activities.pop(row.row_id, None)
            self._running_for[row.instance_id] -= 1
            if self._running_for[row.instance_id] <= 0:
                del self._running_for[row.instance_id]
            self._check_idle()

    def _deliver(self, row: ActivityRow, completion: Event) -> None:
        """Commit the result and, in the same transaction, the episode it wakes.

        One commit instead of two and no trip through the ready queue or the inbox: the episode takes
        the result in after what the inbox holds, as the work loop's would. While other activities of
        the instance are still running (a fan-out), the result only goes to the inbox and the work
        loop's next episode takes in every result that arrived meanwhile, rather than one episode (a
        full replay) per result. Should the episode fail, the result alone is committed and the
        instance woken as usual, so nothing is lost.
        """
        if self._running_for[row.instance_id] > 1:
            self._deliver_to_inbox(row, completion)
            return
        try:
            with self._store.transaction():
                if not self._store.take_activity(row.row_id):
                    return  # terminated, purged or rewound meanwhile
                arrived = InboxRow(ARRIVED_ROW, row.execution_id, completion)
                wakeups = self._runner.run(row.instance_id, arrived)
        except Exception:
            log.exception("devhost engine error while running orchestration %s", row.instance_id)
            self._runner.forget(row.instance_id)  # its cached history may hold what was rolled back
            self._deliver_to_inbox(row, completion)
            return
        self.dispatch(wakeups)
        self._on_episode(row.instance_id)

    def _deliver_to_inbox(self, row: ActivityRow, completion: Event) -> None:
        with self._store.transaction():
            delivered = self._store.take_activity(row.row_id)
            if delivered:
                self._store.add_inbox(row.instance_id, row.execution_id, completion)
        if delivered:
            self.wake_instance(row.instance_id)

    # -------------------------------------------------------------------- timers
    def schedule_timer(self, row: TimerRow) -> None:
        if self._stopping:
            return
        loop = asyncio.get_running_loop()
        delay = max(0.0, (parse_timestamp(row.fire_at) - utc_now()).total_seconds())
        self._timers[row.row_id] = loop.call_later(delay, self._fire_timer, row)

    def _fire_timer(self, row: TimerRow) -> None:
        self._timers.pop(row.row_id, None)
        if self._stopping:
            return
        fired = event(HistoryEventType.TIMER_FIRED, utc_now(), TimerId=row.timer_id, FireAt=row.fire_at)
        with self._store.transaction():
            if not self._store.take_timer(row.row_id):
                return
            self._store.add_inbox(row.instance_id, row.execution_id, fired)
        self.wake_instance(row.instance_id)

    # ---------------------------------------------------------------------- idle
    def is_idle(self) -> bool:
        """No episode or entity batch queued or running and no activity in flight (timers may be pending)."""
        return not self._queued and not self._busy and not self._activities and not self._entities_running

    def _check_idle(self) -> None:
        if self.is_idle():
            self._idle.set()

    async def wait_idle(self, timeout: float) -> bool:
        deadline = asyncio.get_running_loop().time() + timeout
        while not self.is_idle():
            self._idle.clear()
            remaining = deadline - asyncio.get_running_loop().time()
            if remaining <= 0:
                return False
            try:
                async with asyncio.timeout(remaining):  # not wait_for: on 3.11 it can swallow a cancel
                    await self._idle.wait()
            except TimeoutError:
                return self.is_idle()
        return True
