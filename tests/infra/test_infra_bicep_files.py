"""Every Bicep file parses, documents its parameters and carries no key material.

Also compiles main.bicep with the real Bicep compiler when one is installed.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from tests.infra.conftest import BicepFile

KEY_MATERIAL = re.compile(
    r"listKeys|listKeyValue|AccountKey|SharedAccessSignature|primaryKey|\bkey1\b", re.IGNORECASE
)
EXPECTED_FILES = {
    "main.bicep",
    "core/identity.bicep",
    "core/storage.bicep",
    "core/monitoring.bicep",
    "app/flex-plan.bicep",
    "app/function-app.bicep",
    "app/entra-auth.bicep",
    "ai/openai.bicep",
    "durable/scheduler.bicep",
    "rbac/storage-roles.bicep",
    "rbac/monitoring-roles.bicep",
    "rbac/openai-roles.bicep",
    "rbac/scheduler-roles.bicep",
}


def test_one_module_per_concern_all_parsed(bicep_files: dict[str, BicepFile]) -> None:
    assert set(bicep_files) == EXPECTED_FILES


def test_main_deploys_every_module(main_bicep: BicepFile, bicep_files: dict[str, BicepFile]) -> None:
    deployed = [spec["detail"]["path"] for spec in main_bicep.modules.values()]
    assert sorted(deployed) == sorted(set(bicep_files) - {"main.bicep"})


def test_every_parameter_is_described(bicep_files: dict[str, BicepFile]) -> None:
    undocumented = [
        f"{bicep.rel}:{name}"
        for bicep in bicep_files.values()
        for name, description in bicep.described_parameters().items()
        if not description
    ]
    assert not undocumented, f"parameters without @description: {undocumented}"


def test_no_key_material_in_deployment_files(repo_root: Path, infra_dir: Path) -> None:
    files = [
        *infra_dir.rglob("*.bicep"),
        infra_dir / "main.parameters.json",
        repo_root / "azure.yaml",
        *(repo_root / ".github" / "workflows").glob("*.yml"),
    ]
    offenders = {
        path.relative_to(repo_root).as_posix(): sorted(set(found))
        for path in files
        if (found := KEY_MATERIAL.findall(path.read_text(encoding="utf-8")))
    }
    assert len(files) > len(EXPECTED_FILES)
    assert not offenders, f"key material in deployment files: {offenders}"


def _bicep_build_command(main: Path, out_dir: Path) -> list[str] | None:
    """The installed compiler's build command for main.bicep, or None without one."""
    if shutil.which("bicep"):
        return ["bicep", "build", str(main), "--outdir", str(out_dir)]
    if shutil.which("az"):
        return ["az", "bicep", "build", "--file", str(main), "--outdir", str(out_dir)]
    return None


def test_main_compiles_with_bicep_when_installed(infra_dir: Path, tmp_path: Path) -> None:
    command = _bicep_build_command(infra_dir / "main.bicep", tmp_path)
    if command is None:
        pytest.skip("neither `bicep` nor `az` is on PATH: compile check skipped (the parse checks ran)")
    result = subprocess.run(command, capture_output=True, text=True, timeout=180, check=False)
    assert result.returncode == 0, f"{' '.join(command)} failed:\n{result.stdout}\n{result.stderr}"
    assert (tmp_path / "main.json").is_file()
