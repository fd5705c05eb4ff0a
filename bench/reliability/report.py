"""`docs/reliability.md`: the machine, the versions and the figures of one `python -m bench.reliability` run.

The same tables are printed to the terminal; the page adds how each figure was obtained, so a reader
can judge it and re-run it.
"""

from __future__ import annotations

import os
import platform
import subprocess
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

from api import waiting
from bench.reliability.bad_inputs import BadInputReply
from bench.reliability.crash import CrashFigures
from bench.reliability.load import LoadFigures

PACKAGES = ("azure-functions", "azure-functions-durable", "agent-framework-core", "httpx")
ROOT = Path(__file__).resolve().parents[2]
ALL_HOLD = "All figures hold: nothing lost, nothing different, nothing repeated, every bad input refused."


@dataclass
class Figures:
    crash: CrashFigures
    load: LoadFigures
    bad_inputs: list[BadInputReply]
    command: str


def _commit() -> str:
    found = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    return found.stdout.strip() or "unknown"


def environment_lines() -> list[str]:
    versions = ", ".join(f"{name} {metadata.version(name)}" for name in PACKAGES)
    return [
        f"- date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, commit {_commit()} plus the working tree",
        f"- machine: {platform.platform()}, {os.cpu_count()} CPUs, Python {platform.python_version()}",
        f"- packages: {versions}",
        "- host: the embedded devhost (`python -m devhost`), SQLite state, offline deterministic model",
    ]


def crash_table(crash: CrashFigures) -> list[str]:
    rows = [
        ("kill -9 + restart", crash.kills, "at random moments, 0.1-0.9 s after each restart"),
        ("kills with runs in flight", crash.kills_mid_run, "a run acknowledged and not yet seen ending"),
        ("runs in flight at the kills (sum)", crash.runs_in_flight_at_kills, "counted at every kill"),
        ("model delay per call", f"{crash.delay_ms} ms", "`OFFLINE_MODEL_DELAY_MS`, so kills land mid-run"),
        ("runs started (acknowledged 202)", crash.runs_started, "session turns count one each"),
        ("runs completed", crash.runs_completed, ""),
        ("runs lost", len(crash.lost), "must be 0"),
        ("outputs differing from the uninterrupted pass", len(crash.differing), "must be 0"),
        ("side effects in the outbox", f"{crash.side_effects} (expected {crash.side_effects_expected})",
         "one ticket per tools run, one publication per approval"),
        ("side effects repeated", crash.side_effects_repeated, "beyond one per run and effect: must be 0"),
        ("side-effect calls re-run after a crash", crash.attempts_rerun,
         "a tool call cut off before its result was recorded runs again; the outbox answers it"),
        ("wall time (both passes)", f"{crash.elapsed_s:.1f} s", ""),
    ]  # fmt: skip
    return ["| figure | value | note |", "|---|---:|---|", *[f"| {a} | {b} | {c} |" for a, b, c in rows]]


def load_table(load: LoadFigures) -> list[str]:
    rows = [
        ("runs started at once", load.runs),
        ("completed", load.completed),
        ("failed or timed out", len(load.failures)),
        ("p50 start-to-end", f"{load.p50:.0f} ms"),
        ("p95 start-to-end", f"{load.p95:.0f} ms"),
        ("wall time for all", f"{load.wall_s:.1f} s"),
        ("model delay per call", f"{load.delay_ms} ms"),
    ]
    return ["| figure | value |", "|---|---:|", *[f"| {a} | {b} |" for a, b in rows]]


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def bad_input_table(replies: list[BadInputReply]) -> list[str]:
    lines = ["| # | case | request | reply | error code | as documented |", "|---:|---|---|---:|---|:-:|"]
    for number, reply in enumerate(replies, 1):
        lines.append(
            f"| {number} | {reply.case} | `{_cell(reply.request)}` | {reply.status} | "
            f"`{reply.code or '-'}` | {'yes' if reply.ok else f'**no** (expected {reply.expected})'} |"
        )
    return lines


def problems(figures: Figures) -> list[str]:
    """Every figure that is not what it must be, as text (empty when all hold)."""
    found = [f"lost: {entry}" for entry in figures.crash.lost]
    found += [f"differs: {entry}" for entry in figures.crash.differing]
    if figures.crash.side_effects_repeated:
        found.append(f"{figures.crash.side_effects_repeated} side effects repeated")
    found += [f"load: {failure}" for failure in figures.load.failures]
    found += [
        f"bad input '{r.case}': {r.status} {r.code} {r.message}" for r in figures.bad_inputs if not r.ok
    ]
    return found


def render(figures: Figures) -> str:
    issues = problems(figures)
    sections = [
        "# Reliability figures",
        "",
        f"Written by `{figures.command}` (see `bench/reliability/`); re-run it to refresh this page.",
        "",
        *environment_lines(),
        "",
        "## Crashes: kill -9 during a mixed workload",
        "",
        "The same workload (every workflow; approvals approved through the API once they wait, sessions of "
        "two messages) runs once on a host that is never interrupted and once on a host killed with SIGKILL "
        "at random moments and restarted on the same state. Outputs are compared after blanking ticket "
        "numbers (`TCK-#####`): the outbox numbers tickets in the order runs reach it, which depends on "
        "scheduling, not on the run. Run ids, times and `elapsed_ms` are not part of outputs.",
        "",
        *crash_table(figures.crash),
        "",
        "## Load: runs started concurrently through HTTP",
        "",
        "`POST /api/runs/{workflow}?wait=60` for single, chain, fanout, routing, critic and tools in "
        "rotation, all sent at once; latency is from sending the request to having the ended run document. "
        + _wait_schedule(),
        "",
        *load_table(figures.load),
        "",
        "## Bad inputs",
        "",
        f"{len(figures.bad_inputs)} requests a careless or hostile client might send; each must get its "
        "documented 4xx with the body `{\"error\": {\"code\", \"message\"}}`.",
        "",
        *bad_input_table(figures.bad_inputs),
        "",
        "## Verdict",
        "",
        *([f"- {issue}" for issue in issues] or [ALL_HOLD]),
    ]  # fmt: skip
    return "\n".join(sections) + "\n"


def _wait_schedule() -> str:
    """How `?wait` re-reads the run, from `api.waiting` itself so the page cannot drift from the code."""
    return (
        f"The API's `wait` re-reads the run's status after a pause of {waiting.MIN_PAUSE_S * 1000:g} ms, "
        f"growing to {waiting.PAUSE_FRACTION:.0%} of the time waited, then every "
        f"{waiting.STEADY_PAUSE_S:g} s after the first {waiting.FIRST_SECOND_S:g} s; the embedded host "
        "answers a repeated read of a running run as soon as its status changes, so a run's end is seen "
        "at once."
    )
