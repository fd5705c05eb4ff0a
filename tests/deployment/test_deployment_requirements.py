"""Flex Consumption's remote build installs requirements.txt and nothing else, so every package the app
imports while loading must come from it (or from what it pulls in). The test venv also holds
requirements-dev.txt (aiohttp, typer, rich, ...) and, after `make check`, the benchmark's packages: an
app import of one of those loads fine here and fails in Azure with ModuleNotFoundError, and the host
then indexes no function at all.

So the app is loaded with every other installed distribution made absent, as in Azure: an import of
one fails, and a library's optional import of one (`try: import orjson`) takes its fallback."""

import importlib.metadata as metadata
import json
import subprocess
import sys
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]

# Loads function_app with the top-level modules in argv[1] made absent; prints how many functions
# it registered. Telemetry stays off (the Azure Monitor distro instruments whatever is installed).
PROBE = """
import importlib.abc, json, sys

absent = frozenset(json.loads(sys.argv[1]))


class Absent(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.partition(".")[0] in absent:
            message = f"No module named {name!r} (not installed from requirements.txt)"
            raise ModuleNotFoundError(message, name=name)
        return None


sys.meta_path.insert(0, Absent())
sys.path.insert(0, ".")
import function_app
print(len(function_app.app.get_functions()))
"""
OFFLINE_ENV = {"PATH": "/usr/bin:/bin", "TASKHUB_NAME": "hub", "AGENT_MODEL_PROVIDER": "offline"}
PROJECT = canonicalize_name("durable-agent-orchestrations")  # this repository, installed editable


def requirement_closure(requirements: list[Requirement]) -> set[str]:
    """Every distribution pip installs for `requirements`, read from the installed metadata."""
    installed: set[str] = set()
    pending = [(requirement, frozenset(requirement.extras)) for requirement in requirements]
    while pending:
        requirement, extras = pending.pop()
        name = canonicalize_name(requirement.name)
        if name in installed:
            continue
        installed.add(name)
        for line in metadata.requires(requirement.name) or []:
            dependency = Requirement(line)
            wanted = dependency.marker is None or any(
                dependency.marker.evaluate({"extra": extra}) for extra in extras | {""}
            )
            if wanted:
                pending.append((dependency, frozenset(dependency.extras)))
    return installed


def modules_outside(allowed: set[str]) -> set[str]:
    """Top-level modules that only distributions outside `allowed` provide."""
    return {
        module
        for module, distributions in metadata.packages_distributions().items()
        if not any(canonicalize_name(name) in allowed for name in distributions)
    }


def test_the_app_loads_with_only_what_requirements_txt_installs() -> None:
    pinned = [
        Requirement(line)
        for line in (ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    absent = modules_outside(requirement_closure(pinned) | {PROJECT})
    assert {"typer", "pytest"} <= absent, "the dev-only packages must be among the absent ones"

    probe = [sys.executable, "-c", PROBE, json.dumps(sorted(absent))]
    result = subprocess.run(probe, cwd=ROOT, env=OFFLINE_ENV, capture_output=True, text=True)

    assert result.returncode == 0, f"function_app failed to load as in Azure:\n{result.stderr[-3000:]}"
    assert int(result.stdout.splitlines()[-1]) > 0, "function_app registered no function"
