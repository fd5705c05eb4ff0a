"""Where a result was measured: cores, CPU, Python, package versions and date, for the report."""

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


def describe() -> dict[str, object]:
    """A JSON-ready description of this machine and the installed versions that matter."""
    return {
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "cores": os.cpu_count(),
        "cpu": _cpu_model(),
        "platform": platform.platform(),
        "python": sys.version.split()[0],
        "load_average": [round(value, 2) for value in os.getloadavg()],
        "packages": {name: _version(name) for name in PACKAGES},
    }


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
