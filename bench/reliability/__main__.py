"""`python -m bench.reliability`: crash, load and bad-input figures for the template -> docs/reliability.md.

    python -m bench.reliability                  # 20 kills, 200 concurrent runs, writes docs/reliability.md
    python -m bench.reliability --kills 30 --runs 500
    python -m bench.reliability --quick          # a smoke run in seconds; writes nothing unless --out

Exits 1 when a figure does not hold (a lost run, a differing output, a repeated side effect, a failed
load run, a bad input answered otherwise than documented).
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path

from bench.reliability.bad_inputs import prepare_runs, try_bad_inputs
from bench.reliability.crash import crash_run
from bench.reliability.load import load_run
from bench.reliability.report import ROOT, Figures, bad_input_table, crash_table, load_table, problems, render
from bench.template_host import PROJECT_ROOT, template_env
from devhost.testing import DevHost

DEFAULT_OUT = ROOT / "docs" / "reliability.md"


@dataclass
class Options:
    kills: int = 20
    runs: int = 200
    per_workflow: int = 4
    delay_ms: int = 300
    load_delay_ms: int = 0
    out: Path | None = DEFAULT_OUT


QUICK = Options(kills=3, runs=12, per_workflow=1, delay_ms=40, out=None)


def host_in(tmp: Path, name: str, delay_ms: int) -> DevHost:
    """An unlaunched template host with its own state and outbox under `tmp`, named `name`."""
    env = template_env(tmp, OFFLINE_MODEL_DELAY_MS=str(delay_ms), TASKHUB_NAME=f"{name}hub")
    env.update(OUTBOX_PATH=str(tmp / f"{name}-outbox.db"), OUTBOX_TABLE_ENDPOINT="")  # the SQLite outbox
    return DevHost(PROJECT_ROOT, tmp / f"{name}.db", env=env, ready_timeout=60.0)


def measure(options: Options, command: str) -> Figures:
    """Run the crash pass, the load run and the bad-input table, each on its own fresh host."""
    with tempfile.TemporaryDirectory(prefix="reliability-") as tmp_text:
        tmp = Path(tmp_text)
        crash = crash_run(
            lambda name: host_in(tmp, name, options.delay_ms),
            tmp / "crash-outbox.db",
            per_workflow=options.per_workflow,
            kills=options.kills,
            delay_ms=options.delay_ms,
        )
        with host_in(tmp, "load", options.load_delay_ms) as host:
            load = asyncio.run(load_run(host.base_url, options.runs, delay_ms=options.load_delay_ms))
        with host_in(tmp, "bad", 0) as host:
            bad = try_bad_inputs(host.http, prepare_runs(host.http))
    return Figures(crash=crash, load=load, bad_inputs=bad, command=command)


def parse(argv: list[str]) -> Options:
    parser = argparse.ArgumentParser(prog="python -m bench.reliability", description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="a smoke run: 3 kills, 12 load runs")
    parser.add_argument("--kills", type=int, help="kill -9 + restart cycles (default 20)")
    parser.add_argument("--runs", type=int, help="runs started concurrently in the load run (default 200)")
    parser.add_argument("--per-workflow", type=int, help="crash workload items per workflow (default 4)")
    parser.add_argument("--delay-ms", type=int, help="offline model delay during the crash run (default 300)")
    parser.add_argument("--out", type=Path, help="where to write the page (default docs/reliability.md)")
    args = parser.parse_args(argv)
    options = replace(QUICK) if args.quick else Options()
    for name in ("kills", "runs", "per_workflow", "delay_ms", "out"):
        if getattr(args, name) is not None:
            setattr(options, name, getattr(args, name))
    if options.kills < 1 or options.runs < 1 or options.per_workflow < 1:
        parser.error("--kills, --runs and --per-workflow must be at least 1")
    return options


def main(argv: list[str]) -> int:
    options = parse(argv)
    figures = measure(options, " ".join(["python -m bench.reliability", *argv]))
    for title, table in (
        ("Crashes", crash_table(figures.crash)),
        ("Load", load_table(figures.load)),
        ("Bad inputs", bad_input_table(figures.bad_inputs)),
    ):
        print(f"\n## {title}\n" + "\n".join(table))
    if options.out is not None:
        options.out.write_text(render(figures))
        print(f"\nwrote {options.out}")
    issues = problems(figures)
    print("\n" + ("\n".join(f"PROBLEM: {issue}" for issue in issues) or "all figures hold"))
    return 1 if issues else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
