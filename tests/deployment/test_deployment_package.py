"""What `azd deploy` ships (the repo minus `.funcignore`) must be enough to load the app in Azure."""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# Modules under these top-level folders would be missing in Azure.
LOCAL_ONLY = ("devhost", "tests", "bench", "agentctl", "replaycheck", "infra", "docs")

PROBE = """
import json, sys
sys.path.insert(0, ".")
import function_app
print(json.dumps(sorted({getattr(m, "__file__", None) or "" for m in list(sys.modules.values())})))
"""


def git_files(*options: str) -> set[Path]:
    listed = subprocess.run(["git", "ls-files", "-z", *options], cwd=ROOT, capture_output=True, check=True)
    return {Path(name) for name in listed.stdout.decode().split("\0") if name}


def shipped_files() -> set[Path]:
    """The package `azd deploy` zips: every file in the working tree (committed or not) that
    `.funcignore` does not exclude, with gitignore rules, as azd applies them."""
    excluded = ("--exclude-from=.funcignore", "--ignored")
    tracked = git_files("--cached") - git_files("--cached", *excluded)
    untracked = git_files("--others", "--exclude-from=.funcignore")
    return {path for path in tracked | untracked if (ROOT / path).is_file()}


def ignored_folders() -> set[str]:
    lines = (ROOT / ".funcignore").read_text().splitlines()
    return {line.strip().rstrip("/") for line in lines if line.strip() and not line.startswith("#")}


def test_funcignore_keeps_local_only_folders_out() -> None:
    assert set(LOCAL_ONLY) <= ignored_folders()
    assert "local.settings.json" in ignored_folders()


def test_the_app_imports_nothing_that_is_not_deployed() -> None:
    env = {"PATH": "/usr/bin:/bin", "TASKHUB_NAME": "hub", "AGENT_MODEL_PROVIDER": "offline"}
    result = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    loaded = [Path(f) for f in json.loads(result.stdout.splitlines()[-1]) if f.startswith(str(ROOT))]
    project = [f.relative_to(ROOT) for f in loaded if ".venv" not in f.parts]
    assert project, "the probe saw none of the app's own modules"
    assert not [f for f in project if f.parts[0] in LOCAL_ONLY]
    assert not set(project) - shipped_files(), "imported but left out of the package"


def test_nothing_local_is_shipped() -> None:
    """What git ignores (virtual environments, Azurite under .tools, caches, local state) is
    machine-local and must not be uploaded either: azd applies only .funcignore once it exists."""
    local = git_files("--others", "--ignored", "--exclude-standard")
    assert local, "expected a virtual environment or caches in the working tree"
    shipped = shipped_files()
    assert not sorted(local & shipped)[:10]
    assert {Path("function_app.py"), Path("host.json"), Path("requirements.txt")} <= shipped
    assert Path("api/version.py") in shipped and Path("pyproject.toml") not in shipped


def test_data_files_the_app_reads_are_deployed() -> None:
    knowledge = ROOT / "agents" / "tools" / "knowledge.json"
    assert knowledge.exists() and "agents" not in ignored_folders()
