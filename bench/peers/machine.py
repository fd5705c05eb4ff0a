"""Where a result was measured: cores, CPU, Python, package versions, date and the machine's speed."""

import os
import platform
import sys
import time
from importlib import metadata
from pathlib import Path

PACKAGES = (
    "agent-framework-core",
    "azure-functions",
    "azure-functions-durable",
    "langgraph",
    "langgraph-checkpoint-sqlite",
    "dbos",
    "SQLAlchemy",
    "aiosqlite",
    "matplotlib",
)
PROBE_LOOPS = 300_000
PROBE_REPEATS = 7


def describe() -> dict[str, object]:
    """A JSON-ready description of this machine and the installed versions that matter."""
    return {
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "cores": os.cpu_count(),
        "cpu": _cpu_model(),
        "platform": platform.platform(),
        "python": sys.version.split()[0],
        "load_average": [round(value, 2) for value in os.getloadavg()],
        "cpu_probe_ms": cpu_probe_ms(),
        "packages": {name: _version(name) for name in PACKAGES},
    }


def cpu_probe_ms() -> float:
    """The median time of a fixed pure-Python loop, lower is faster: how fast this machine is now.

    On a shared machine it moves by tens of percent from one minute to the next, and every figure
    measured meanwhile moves with it; taken before and after a run, it says whether two runs' figures
    can be compared.
    """
    times = []
    for _ in range(PROBE_REPEATS):
        started = time.perf_counter()
        total = 0
        for value in range(PROBE_LOOPS):
            total += value * value
        times.append((time.perf_counter() - started) * 1000)
    return round(sorted(times)[PROBE_REPEATS // 2], 2)


def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "not installed"


def _cpu_model() -> str:
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.is_file():
        for line in cpuinfo.read_text(errors="replace").splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"
