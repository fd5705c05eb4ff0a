"""What `--reload` watches: the app's code, host.json and settings; never venvs, VCS, caches or state."""

import os
from pathlib import Path

import pytest

from devhost.watch import Watcher, is_app_source


@pytest.fixture
def app(tmp_path: Path) -> Path:
    (tmp_path / "pkg").mkdir()
    for name in ("function_app.py", "pkg/steps.py", "host.json", "local.settings.json", "README.md"):
        (tmp_path / name).write_text("x")
    return tmp_path


def touch(path: Path, text: str = "edited") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


@pytest.mark.parametrize(
    "name", ["function_app.py", "pkg/steps.py", "pkg/new_module.py", "host.json", "local.settings.json"]
)
def test_code_host_json_and_settings_changes_are_seen(app: Path, name: str) -> None:
    watcher = Watcher(app)
    touch(app / name)
    assert watcher.poll() == [app / name]
    assert watcher.poll() == []  # reported once


def test_a_removed_module_is_a_change(app: Path) -> None:
    watcher = Watcher(app)
    (app / "pkg" / "steps.py").unlink()
    assert watcher.poll() == [app / "pkg" / "steps.py"]


def test_a_rewrite_with_the_same_size_is_a_change(app: Path) -> None:
    watcher = Watcher(app)
    path = app / "pkg" / "steps.py"
    stat = path.stat()
    path.write_text("y")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    assert watcher.poll() == [path]


@pytest.mark.parametrize(
    "name",
    [
        ".venv/lib/site.py",
        ".git/hooks/pre-commit.py",
        ".devhost/state.py",
        ".tools/node_modules/x.py",
        "node_modules/pkg/index.py",
        "pkg/__pycache__/steps.py",
        "env/lib/site.py",  # a virtual environment by another name (it has pyvenv.cfg)
    ],
)
def test_files_outside_the_sources_are_not_watched(app: Path, name: str) -> None:
    touch(app / "env" / "pyvenv.cfg")
    watcher = Watcher(app)
    touch(app / name)
    assert watcher.poll() == []
    assert not is_app_source(app, app / name)


def test_files_other_than_code_and_configuration_are_not_watched(app: Path) -> None:
    watcher = Watcher(app)
    touch(app / "README.md")
    touch(app / "docs" / "notes.txt")
    assert watcher.poll() == []


def test_app_sources_are_the_files_outside_excluded_folders(app: Path) -> None:
    assert is_app_source(app, app / "pkg" / "steps.py")
    assert not is_app_source(app, app / ".venv" / "lib" / "site.py")
    assert not is_app_source(app, app.parent / "elsewhere.py")
