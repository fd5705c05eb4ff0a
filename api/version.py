"""The app's version, from the installed package or, in a deployed app (not pip-installed), pyproject."""

import functools
import tomllib
from importlib import metadata
from pathlib import Path

DISTRIBUTION = "durable-agent-orchestrations"
PYPROJECT = Path(__file__).resolve().parent.parent / "pyproject.toml"
UNKNOWN = "0+unknown"


@functools.cache
def app_version() -> str:
    """The version `/health` and `openapi.json` report."""
    try:
        return metadata.version(DISTRIBUTION)
    except metadata.PackageNotFoundError:
        pass
    try:
        with PYPROJECT.open("rb") as handle:
            return str(tomllib.load(handle)["project"]["version"])
    except (OSError, KeyError, tomllib.TOMLDecodeError):
        return UNKNOWN
