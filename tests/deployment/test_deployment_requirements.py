"""Flex Consumption's remote build installs requirements.txt and nothing else, so every package the app
imports while loading must come from it (or from what it pulls in). The test venv also holds
requirements-dev.txt (aiohttp, typer, rich, ...): an app import of one of those loads fine here and
fails in Azure with ModuleNotFoundError, and the host then indexes no function at all."""

import importlib.metadata as metadata
import json
import os
import subprocess
import sys
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]

# The files of the installed modules that importing function_app loads, and nothing the interpreter
# loaded before it (site's .pth hooks, such as the editable install's finder). Telemetry stays off:
# the Azure Monitor distro instruments whichever HTTP libraries happen to be installed, so what it
# loads depends on the venv, not on the app.
PROBE = """
import json, sys
sys.path.insert(0, ".")
before = set(sys.modules)
import function_app
files = (getattr(sys.modules[name], "__file__", None) or "" for name in set(sys.modules) - before)
print(json.dumps(sorted(f for f in files if "site-packages" in f)))
"""
OFFLINE_ENV = {"PATH": "/usr/bin:/bin", "TASKHUB_NAME": "hub", "AGENT_MODEL_PROVIDER": "offline"}


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


def test_the_app_loads_only_packages_requirements_txt_installs() -> None:
    pinned = [
        Requirement(line)
        for line in (ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    probe = [sys.executable, "-c", PROBE]
    result = subprocess.run(probe, cwd=ROOT, env=OFFLINE_ENV, capture_output=True, text=True, check=True)
    files = {os.path.abspath(file) for file in json.loads(result.stdout.splitlines()[-1])}
    loaded = {
        canonicalize_name(dist.metadata["Name"])
        for dist in metadata.distributions()
        if files & {os.path.abspath(dist.locate_file(file)) for file in dist.files or []}
    }
    assert {"azure-functions", "agent-framework-core"} <= loaded, "the probe saw no third-party import"
    missing = loaded - requirement_closure(pinned)
    assert not missing, f"imported by the app but not installed from requirements.txt: {sorted(missing)}"
