"""Which files of an app `--reload` watches, and what changed since the last look (mtime polling).

`func start` restarts the host when the app's code or configuration changes; the files that matter
are the Python sources, `host.json` and the settings file (`local.settings.json`, or the example
devhost falls back to). Virtual environments, VCS metadata, caches, node_modules and devhost's own
state are not the app's sources: watching them would restart the host on every `pip install`, every
test run and every write the host makes to its own state. Polling needs no dependency and, on an
app of a few hundred files, costs a few milliseconds per look.
"""

from __future__ import annotations

import os
from pathlib import Path

# Files that configure the host or the app, watched wherever they are under the app folder.
SETTINGS_FILES = frozenset({"local.settings.json", "local.settings.json.example"})
CONFIG_FILES = SETTINGS_FILES | {"host.json"}
# Directories that never hold the app's sources (hidden ones, e.g. .venv, .git, .devhost, .tools,
# are skipped by their leading dot; a virtual environment of any name by its pyvenv.cfg).
NOT_SOURCES = frozenset({"__pycache__", "node_modules"})

Snapshot = dict[str, tuple[int, int]]  # path -> (mtime in ns, size); plain strings keep a look cheap


def is_source_dir(path: str, name: str) -> bool:
    """False for folders that are not the app's sources: hidden, caches, node_modules, virtualenvs."""
    return not (
        name.startswith(".") or name in NOT_SOURCES or os.path.exists(os.path.join(path, "pyvenv.cfg"))
    )


def is_app_source(app_dir: Path, path: Path) -> bool:
    """True for a file under `app_dir` none of whose folders is excluded (a library in .venv is not)."""
    if not path.is_relative_to(app_dir):
        return False
    folder = app_dir
    for part in path.relative_to(app_dir).parts[:-1]:
        folder = folder / part
        if not is_source_dir(str(folder), part):
            return False
    return True


def is_watched_file(name: str) -> bool:
    return name.endswith(".py") or name in CONFIG_FILES


def snapshot(app_dir: Path) -> Snapshot:
    """mtime and size of every watched file under `app_dir`, skipping the folders that are not sources.

    A file or folder that vanishes while we look is left out; the next look reports it removed.
    """
    found: Snapshot = {}
    pending = [str(app_dir)]
    while pending:
        try:
            entries = list(os.scandir(pending.pop()))
        except OSError:
            continue
        for entry in entries:
            try:
                if entry.is_dir(follow_symlinks=False):
                    if is_source_dir(entry.path, entry.name):
                        pending.append(entry.path)
                elif is_watched_file(entry.name):
                    stat = entry.stat()
                    found[entry.path] = (stat.st_mtime_ns, stat.st_size)
            except OSError:
                continue
    return found


def changed(before: Snapshot, after: Snapshot) -> list[Path]:
    """Files added, removed or modified between two snapshots, sorted."""
    return sorted(Path(path) for path in before.keys() | after.keys() if before.get(path) != after.get(path))


class Watcher:
    """Remembers the last snapshot of an app folder and reports what changed since."""

    def __init__(self, app_dir: Path) -> None:
        self.app_dir = app_dir
        self._last = snapshot(app_dir)

    def poll(self) -> list[Path]:
        """The files changed since the previous poll (empty when none)."""
        current = snapshot(self.app_dir)
        found = changed(self._last, current)
        self._last = current
        return found
