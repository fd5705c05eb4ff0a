"""Running timer-triggered functions: schedules, `run_on_startup`, and the past-due monitor.

Like the host's schedule monitor (`useMonitor`), we persist each timer's last and next occurrence, so a
schedule missed while the host was down fires once, as past due, when it comes back. The status lives in
a small JSON file next to the state database; it is rewritten atomically after every run.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from azure.functions import meta
from azure.functions.timer import TimerRequestConverter

from devhost.function_call import FunctionCaller, triggered
from devhost.ncrontab import Schedule, ScheduleError, parse_schedule
from devhost.settings import expand_setting_refs

log = logging.getLogger("devhost.timer")
TIMER_TRIGGER = "timertrigger"


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat()


def schedule_zone(environ: Mapping[str, str]) -> tzinfo:
    """WEBSITE_TIME_ZONE (then TZ) as an IANA zone; UTC when unset."""
    name = environ.get("WEBSITE_TIME_ZONE") or environ.get("TZ")
    if not name:
        return UTC
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise ScheduleError(f"setting WEBSITE_TIME_ZONE/TZ: unknown time zone '{name}'") from error


class ScheduleMonitor:
    """Persisted `ScheduleStatus` per timer function (`Last`, `Next`, `LastUpdated`)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            self.statuses: dict[str, dict[str, str]] = json.loads(path.read_text())
        except (OSError, ValueError):
            self.statuses = {}

    def get(self, name: str) -> dict[str, str] | None:
        return self.statuses.get(name)

    def save(self, name: str, last: datetime | None, next_run: datetime) -> dict[str, str]:
        previous = self.statuses.get(name, {})
        status = {
            "Last": _iso(last) if last else previous.get("Last", _iso(datetime.min.replace(tzinfo=UTC))),
            "Next": _iso(next_run),
            "LastUpdated": _iso(datetime.now(UTC)),
        }
        self.statuses[name] = status
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.path.with_suffix(".tmp")
        temporary.write_text(json.dumps(self.statuses, indent=1))
        os.replace(temporary, self.path)
        return status


@dataclass
class TimerFunction:
    function: Any
    schedule: Schedule
    expression: str
    run_on_startup: bool
    use_monitor: bool

    @property
    def name(self) -> str:
        return str(self.function.get_function_name())


def timer_functions(functions: list[Any], environ: Mapping[str, str]) -> list[TimerFunction]:
    """Every timer-triggered function (generic forms included) with its schedule parsed."""
    zone = schedule_zone(environ)
    timers = []
    for function, settings in triggered(functions, TIMER_TRIGGER):
        name = function.get_function_name()
        raw = str(settings.get("schedule") or "")
        expression = expand_setting_refs(raw, environ, field=f"timer '{name}' schedule")
        try:
            schedule = parse_schedule(expression, zone)
        except ScheduleError as error:
            raise ScheduleError(f"timer '{name}': {error}") from error
        run_on_startup = bool(settings.get("runOnStartup"))
        use_monitor = settings.get("useMonitor") is not False  # the host's default is to use it
        timers.append(TimerFunction(function, schedule, expression, run_on_startup, use_monitor))
    return timers


class TimerRunner:
    """One task per timer function; runs never overlap for the same function, as on the host."""

    def __init__(
        self,
        timers: list[TimerFunction],
        caller: FunctionCaller,
        monitor: ScheduleMonitor,
        origin: str,
        verbose: bool,
    ) -> None:
        self.timers = {t.name.lower(): t for t in timers}
        self.caller = caller
        self.monitor = monitor
        self.origin = origin
        self.verbose = verbose
        self.tasks: list[asyncio.Task[None]] = []
        self.locks = {name: asyncio.Lock() for name in self.timers}

    def start(self) -> None:
        self.tasks = [asyncio.create_task(self._run(t), name=f"timer:{t.name}") for t in self.timers.values()]

    async def stop(self) -> None:
        for task in self.tasks:
            task.cancel()
        for task in self.tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def fire_now(self, name: str) -> bool:
        """Run a timer function once now (the host's `POST /admin/functions/{name}`); False if unknown."""
        timer = self.timers.get(name.lower())
        if timer is None:
            return False
        await self._fire(timer, past_due=False, scheduled=datetime.now(UTC))
        return True

    async def _run(self, timer: TimerFunction) -> None:
        now = datetime.now(UTC)
        status = self.monitor.get(timer.name) if timer.use_monitor else None
        past_due = status is not None and datetime.fromisoformat(status["Next"]) <= now
        if past_due or timer.run_on_startup:
            await self._fire(timer, past_due=past_due, scheduled=now)
        else:
            self.monitor.save(timer.name, None, timer.schedule.next_after(now))
        while True:
            next_run = timer.schedule.next_after(max(now, datetime.now(UTC)))
            await asyncio.sleep(max(0.0, (next_run - datetime.now(UTC)).total_seconds()))
            now = next_run
            await self._fire(timer, past_due=False, scheduled=next_run)

    async def _fire(self, timer: TimerFunction, past_due: bool, scheduled: datetime) -> None:
        async with self.locks[timer.name.lower()]:
            payload: dict[str, Any] = {"Schedule": {"AdjustForDST": True}, "IsPastDue": past_due}
            status = self.monitor.get(timer.name)
            if status:
                payload["ScheduleStatus"] = status
            if self.verbose:
                log.info("%s <- timer %s", timer.name, json.dumps(payload))
            request = TimerRequestConverter.decode(
                meta.Datum(json.dumps(payload), "json"), trigger_metadata=None
            )
            log.info(
                "Executing '%s' (Reason='Timer fired at %s', past due=%s)",
                timer.name,
                _iso(scheduled),
                past_due,
            )
            try:
                await self.caller.call(timer.function, request, self.origin)
                log.info("Executed '%s' (Succeeded)", timer.name)
            except Exception:
                log.exception("Executed '%s' (Failed)", timer.name)
            self.monitor.save(timer.name, scheduled, timer.schedule.next_after(datetime.now(UTC)))
