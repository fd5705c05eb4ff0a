"""`python -m bench.reload`: save-to-served time of `python -m devhost --reload` on the template.

A copy of the template runs under `--reload`; each round edits a workflow's description in
`api/catalog.py` (a real code change, imported anew) and polls `GET /api/workflows` until the new
text is served. The time runs on the client's clock from the write to that first answer, so it
includes the supervisor's polling, the new host's import of the app and the hand-over. Rounds are a
few seconds apart, as saves are, so the spare host has warmed up again. Results go to stdout and to
`bench/reload.md`, which `bench/report.py` includes in `bench/results.md`.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from devhost.testing import DevHost, DevHostError, copy_app

PROJECT_ROOT = Path(__file__).resolve().parents[1]
RESULTS = Path(__file__).resolve().parent / "reload.md"
TARGET_MS = 1000.0
EDITED_FILE = Path("api") / "catalog.py"
ORIGINAL = "One agent answers one question."
SETTINGS = {
    "AGENT_MODEL_PROVIDER": "offline",
    "OFFLINE_MODEL_DELAY_MS": "0",  # not the example's 600 ms: the edit is timed, not the model
    "OUTBOX_TABLE_ENDPOINT": "",
    "TASKHUB_NAME": "reloadbench",
}


def save_to_served_ms(host: DevHost, app: Path, round_number: int, deadline_s: float = 30.0) -> float:
    """Edit the description, then poll until the host serves it; milliseconds on the client's clock."""
    edited = f"One agent answers one question (edit {round_number})."
    source = app / EDITED_FILE
    text = source.read_text()
    current = text.replace(ORIGINAL, edited) if ORIGINAL in text else text
    for previous in range(round_number):
        current = current.replace(f"One agent answers one question (edit {previous}).", edited)
    started = time.perf_counter()
    source.write_text(current)
    until = started + deadline_s
    while time.perf_counter() < until:
        try:
            descriptions = [w["description"] for w in host.get("/api/workflows", timeout=5.0).json()]
        except Exception:  # a connection refused or reset would be a finding; keep polling to time it
            descriptions = []
        if edited in descriptions:
            return (time.perf_counter() - started) * 1000
        time.sleep(0.005)  # client polling interval: 5 ms of resolution
    raise DevHostError(
        f"the edit of round {round_number} was not served after {deadline_s}s\n{host.log_tail()}"
    )


def measure(rounds: int, pause_s: float) -> list[float]:
    """Save-to-served times of `rounds` edits on a fresh copy of the template."""
    with tempfile.TemporaryDirectory(prefix="bench-reload-") as tmp:
        app = copy_app(PROJECT_ROOT, Path(tmp) / "app")
        settings = {**SETTINGS, "OUTBOX_PATH": str(Path(tmp) / "outbox.db")}
        with DevHost(app, Path(tmp) / "state.db", env=settings, host_args=["--reload"]) as host:
            times = []
            for number in range(rounds):
                time.sleep(pause_s)  # as between two saves: the spare host warms up meanwhile
                times.append(save_to_served_ms(host, app, number))
            return times


def report(times: list[float]) -> str:
    median = statistics.median(times)
    verdict = "met" if median <= TARGET_MS else "**missed**"
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    return "\n".join(
        [
            "# Reload benchmark",
            "",
            f"`python -m bench.reload` on {stamp}: the template under `python -m devhost --reload`, "
            f"{len(times)} edits of `{EDITED_FILE}`, each timed from the write to the first "
            "`GET /api/workflows` that serves it (client clock).",
            "",
            "| figure | value |",
            "|---|---:|",
            f"| save-to-served, median | {median:.0f} ms |",
            f"| save-to-served, slowest | {max(times):.0f} ms |",
            "",
            f"- {verdict}: save-to-served median (ms) = {median:.0f} (target ≤ {TARGET_MS:.0f})",
            "",
        ]
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.reload", description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7, help="edits to time (default 7)")
    parser.add_argument("--pause", type=float, default=3.0, help="seconds between edits (default 3)")
    parser.add_argument("--no-write", action="store_true", help="print only; leave bench/reload.md")
    args = parser.parse_args(argv)
    text = report(measure(args.rounds, args.pause))
    print(text)
    if not args.no_write:
        RESULTS.write_text(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
