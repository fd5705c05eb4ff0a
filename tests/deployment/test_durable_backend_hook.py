"""The durable backend is chosen in host.json, and azd refuses to package a host.json that disagrees
with `USE_DURABLE_TASK_SCHEDULER` (Flex Consumption scales from the packaged host.json, so an app
setting override would leave the scheduler's work unwatched). The hook runs here the way azd runs it:
`python3 infra/hooks/check_durable_backend.py` in the project folder, with the azd values in the
environment."""

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
HOOK = Path("infra/hooks/check_durable_backend.py")


def run_hook(project: Path, **azd_values: str) -> subprocess.CompletedProcess[str]:
    env = {"PATH": "/usr/bin:/bin", **azd_values}
    return subprocess.run(
        [sys.executable, str(HOOK)], cwd=project, env=env, capture_output=True, text=True, check=False
    )


def documented_scheduler_host_json() -> dict[str, Any]:
    """host.json with the `durableTask` block docs/deploy.md tells scheduler users to write."""
    docs = (ROOT / "docs" / "deploy.md").read_text(encoding="utf-8")
    [block] = [b for b in re.findall(r"```json\n(.*?)```", docs, re.S) if "storageProvider" in b]
    host = json.loads((ROOT / "host.json").read_text(encoding="utf-8"))
    host["extensions"].update(json.loads("{" + block + "}"))
    return host


@pytest.fixture
def project_copy(tmp_path: Path) -> Path:
    """The hook and a host.json the test writes, laid out as in the repository."""
    (tmp_path / HOOK.parent).mkdir(parents=True)
    shutil.copy(ROOT / HOOK, tmp_path / HOOK)
    return tmp_path


def test_the_repository_packages_as_is_on_the_default_backend() -> None:
    assert run_hook(ROOT).returncode == 0
    assert run_hook(ROOT, USE_DURABLE_TASK_SCHEDULER="false").returncode == 0


def test_turning_the_scheduler_on_without_host_json_stops_packaging() -> None:
    result = run_hook(ROOT, USE_DURABLE_TASK_SCHEDULER="true")
    assert result.returncode == 1
    assert "USE_DURABLE_TASK_SCHEDULER is true" in result.stderr
    assert '"type": "azureManaged"' in result.stderr
    assert '"connectionStringName": "DURABLE_TASK_SCHEDULER_CONNECTION_STRING"' in result.stderr


@pytest.mark.parametrize("value", ["true", "True", "1"])
def test_the_documented_host_json_edit_passes_with_the_scheduler_on(project_copy: Path, value: str) -> None:
    (project_copy / "host.json").write_text(json.dumps(documented_scheduler_host_json()))
    assert run_hook(project_copy, USE_DURABLE_TASK_SCHEDULER=value).returncode == 0


@pytest.mark.parametrize("value", [None, "false", "yes"])  # azd reads "yes" as no value: the default, false
def test_a_scheduler_host_json_without_the_scheduler_stops_packaging(
    project_copy: Path, value: str | None
) -> None:
    (project_copy / "host.json").write_text(json.dumps(documented_scheduler_host_json()))
    result = run_hook(project_copy, **({} if value is None else {"USE_DURABLE_TASK_SCHEDULER": value}))
    assert result.returncode == 1
    assert "azd env set USE_DURABLE_TASK_SCHEDULER true" in result.stderr


def test_a_scheduler_host_json_must_name_the_setting_infra_writes(project_copy: Path) -> None:
    host = documented_scheduler_host_json()
    host["extensions"]["durableTask"]["storageProvider"]["connectionStringName"] = "MY_SCHEDULER"
    (project_copy / "host.json").write_text(json.dumps(host))
    result = run_hook(project_copy, USE_DURABLE_TASK_SCHEDULER="true")
    assert result.returncode == 1
    assert "MY_SCHEDULER" in result.stderr


def test_azd_runs_the_hook_before_packaging_on_every_platform() -> None:
    service = yaml.safe_load((ROOT / "azure.yaml").read_text(encoding="utf-8"))["services"]["api"]
    hook = service["hooks"]["prepackage"]
    assert hook["posix"] == {"shell": "sh", "run": f"python3 {HOOK.as_posix()}"}
    assert hook["windows"]["shell"] == "pwsh"
    assert hook["windows"]["run"].endswith(f"& $python {HOOK.as_posix()}")


def test_infra_sets_the_connection_but_not_the_backend() -> None:
    """An AzureFunctionsJobHost__ override would switch the running app but not its scaling."""
    bicep = "\n".join(path.read_text(encoding="utf-8") for path in (ROOT / "infra").rglob("*.bicep"))
    assert "DURABLE_TASK_SCHEDULER_CONNECTION_STRING: schedulerConnection" in bicep
    assert "AzureFunctionsJobHost__extensions__durableTask" not in bicep
