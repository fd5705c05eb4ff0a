"""azd `prepackage` hook: the package's host.json must name the durable backend that infra/ provisions.

With `USE_DURABLE_TASK_SCHEDULER=true`, infra/ creates a Durable Task Scheduler and sets the app setting
DURABLE_TASK_SCHEDULER_CONNECTION_STRING; the app uses the scheduler only when host.json's
`extensions.durableTask.storageProvider` says so. That must be in host.json itself, not an
`AzureFunctionsJobHost__...` app setting: on Flex Consumption the scale controller learns each durable
trigger's backend from the host.json in the package (the host's sync-triggers payload reads the file),
so an override in app settings runs the app on the scheduler while scaling watches Azure Storage
queues that never fill, and nothing wakes a scaled-in app for a timer or a queued activity.

Run by azd with the environment's values as variables (azure.yaml); standard library only, so it runs
before any virtual environment exists. Exits 1 with the exact edit when the two disagree.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

SWITCH = "USE_DURABLE_TASK_SCHEDULER"
SCHEDULER_PROVIDER = "azureManaged"
CONNECTION_SETTING = "DURABLE_TASK_SCHEDULER_CONNECTION_STRING"
HOST_JSON = Path(__file__).resolve().parents[2] / "host.json"

# The values azd accepts for a bool parameter (Go's strconv.ParseBool); anything else keeps the
# parameter's default, false, in infra/main.bicep.
_TRUE = frozenset({"1", "t", "T", "TRUE", "true", "True"})

_SCHEDULER_EDIT = f"""  "durableTask": {{
    "hubName": "%TASKHUB_NAME%",
    "storageProvider": {{
      "type": "{SCHEDULER_PROVIDER}",
      "connectionStringName": "{CONNECTION_SETTING}"
    }}
  }}"""


def scheduler_wanted(environ: Mapping[str, str]) -> bool:
    """Whether infra/ provisions the scheduler for this azd environment."""
    return environ.get(SWITCH, "").strip() in _TRUE


def storage_provider(host: Mapping[str, Any]) -> Mapping[str, Any]:
    """host.json's `extensions.durableTask.storageProvider` ({} when absent: Azure Storage)."""
    durable = (host.get("extensions") or {}).get("durableTask") or {}
    provider = durable.get("storageProvider") or {}
    return provider if isinstance(provider, Mapping) else {}


def mismatch(host: Mapping[str, Any], environ: Mapping[str, str]) -> str | None:
    """What to change when host.json and the azd environment disagree, else None."""
    provider = storage_provider(host)
    kind = str(provider.get("type") or "AzureStorage")
    on_scheduler = kind.lower() == SCHEDULER_PROVIDER.lower()
    if scheduler_wanted(environ):
        if on_scheduler and provider.get("connectionStringName") == CONNECTION_SETTING:
            return None
        return (
            f"{SWITCH} is true, but host.json's extensions.durableTask.storageProvider is "
            f"{dict(provider) or 'absent (Azure Storage)'}. The app would keep its runs in Azure Storage "
            f"and leave the scheduler unused. Make host.json say:\n{_SCHEDULER_EDIT}\n"
            f"or turn the scheduler off: azd env set {SWITCH} false"
        )
    if on_scheduler:
        return (
            f"host.json's extensions.durableTask.storageProvider is {SCHEDULER_PROVIDER}, but {SWITCH} is "
            f"not true, so azd provisions no scheduler and the app would start without {CONNECTION_SETTING}. "
            f"Run `azd env set {SWITCH} true`, or remove storageProvider from host.json."
        )
    return None


def main(host_json: Path = HOST_JSON, environ: Mapping[str, str] = os.environ) -> int:
    """Print the mismatch and return 1, or return 0 when host.json matches the azd environment."""
    problem = mismatch(json.loads(host_json.read_text(encoding="utf-8-sig")), environ)
    if problem is None:
        return 0
    print(f"{host_json}: {problem}", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
