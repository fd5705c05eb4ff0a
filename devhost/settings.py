"""App settings (`local.settings.json`) and host configuration (`host.json`).

The real host reads `Values` from local.settings.json into the worker's environment (the real
environment wins) and resolves `%SETTING%` references in host.json and trigger properties from
that environment. We do the same so an app behaves identically under `func start` and devhost.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Mapping, MutableMapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from devhost.queue_options import QueueOptions, QueueOptionsError, queue_options

_SETTING_REF = re.compile(r"%([^%]+)%")
DEFAULT_HUB_NAME = "TestHubName"  # what the Durable extension uses locally when host.json names none
DEFAULT_ROUTE_PREFIX = "api"


class SettingsError(Exception):
    """A settings file is unreadable or refers to a setting that is not defined."""


@dataclass(frozen=True)
class HostConfig:
    """The parts of host.json that change how the host behaves."""

    route_prefix: str = DEFAULT_ROUTE_PREFIX
    hub_name: str = DEFAULT_HUB_NAME
    default_version: str = ""  # the extension's default: orchestrations carry an empty version
    extended_sessions: bool = False
    extended_session_idle_timeout_s: float = 30.0  # the extension's default
    # extensions.mcp: what the MCP endpoint's `initialize` reports (the MCP extension's defaults)
    mcp_server_name: str = "Azure Functions MCP server"
    mcp_server_version: str = "1.0.0"
    mcp_instructions: str | None = None
    queues: QueueOptions = field(default_factory=QueueOptions)  # extensions.queues


def load_local_settings(app_dir: Path, environ: MutableMapping[str, str] | None = None) -> dict[str, str]:
    """Copy `Values` from the app's settings file (`settings_file`) into `environ` without overriding it.

    Returns the values the file defines (empty when there is no file), so callers can report them.
    """
    target = os.environ if environ is None else environ
    path = settings_file(app_dir)
    if path is None:
        return {}
    document = _read_json(path)
    values = document.get("Values") or {}
    if not isinstance(values, dict):
        raise SettingsError(f"{path}: 'Values' must be an object, got {type(values).__name__}")
    loaded = {str(name): "" if value is None else str(value) for name, value in values.items()}
    for name, value in loaded.items():
        target.setdefault(name, value)
    return loaded


@dataclass(frozen=True)
class HostStartSettings:
    """local.settings.json's `Host` section, which only Core Tools reads (Common/HostStartSettings.cs).

    `func start` takes its port from `LocalHttpPort` when `--port` is not given, and its CORS middleware
    from `CORS` (comma-separated origins, empty entries dropped) and `CORSCredentials`.
    """

    local_http_port: int | None = None
    cors_origins: tuple[str, ...] = ()
    cors_credentials: bool = False


def read_host_start_settings(app_dir: Path) -> HostStartSettings:
    """The settings file's `Host` section (defaults without a file or section)."""
    path = settings_file(app_dir)
    host = (_read_json(path).get("Host") if path is not None else None) or {}
    if not isinstance(host, dict):
        raise SettingsError(f"{path}: 'Host' must be an object, got {type(host).__name__}")
    port, cors, credentials = (
        host.get("LocalHttpPort"),
        host.get("CORS") or "",
        host.get("CORSCredentials", False),
    )
    if port is not None and (isinstance(port, bool) or not isinstance(port, int) or not 0 <= port <= 65535):
        raise SettingsError(f"{path}: Host.LocalHttpPort must be a port number, got {port!r}")
    if not isinstance(cors, str):
        raise SettingsError(f"{path}: Host.CORS must be a comma-separated string of origins, got {cors!r}")
    if not isinstance(credentials, bool):
        raise SettingsError(f"{path}: Host.CORSCredentials must be true or false, got {credentials!r}")
    origins = tuple(o for o in cors.split(",") if o)
    return HostStartSettings(port or None, origins, credentials)


def settings_file(app_dir: Path) -> Path | None:
    """`local.settings.json`, else the `local.settings.json.example` a template ships, else None.

    The example holds safe local defaults, so a fresh clone runs with no set-up step; `func start`
    reads only the first, which `make run` creates from the example.
    """
    for name in ("local.settings.json", "local.settings.json.example"):
        if (app_dir / name).is_file():
            return app_dir / name
    return None


def expand_setting_refs(text: str, environ: Mapping[str, str], *, field: str) -> str:
    """Replace every `%NAME%` in `text` with the setting's value; a missing setting is an error."""

    def substitute(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in environ:
            raise SettingsError(f"{field} refers to setting %{name}% which is not defined")
        return environ[name]

    return _SETTING_REF.sub(substitute, text)


def read_host_config(app_dir: Path, environ: Mapping[str, str] | None = None) -> HostConfig:
    """Read `app_dir/host.json` (missing file = defaults) and resolve its setting references."""
    env = os.environ if environ is None else environ
    path = app_dir / "host.json"
    if not path.is_file():
        return HostConfig()
    document = _read_json(path)
    _check_schema_version(document, path)
    extensions = document.get("extensions") or {}
    http = extensions.get("http") or {}
    durable = extensions.get("durableTask") or {}
    mcp = extensions.get("mcp") or {}
    hub = durable.get("hubName")
    if hub is not None:
        hub = expand_setting_refs(_config_text(hub), env, field=f"{path}: extensions.durableTask.hubName")
        _check_hub_name(hub, durable, field=f"{path}: extensions.durableTask.hubName")
    version = durable.get("defaultVersion")
    try:
        queues = queue_options(extensions, where=f"{path}: extensions.queues")
    except QueueOptionsError as error:
        raise SettingsError(str(error)) from error
    return HostConfig(
        route_prefix=_config_text(http.get("routePrefix", DEFAULT_ROUTE_PREFIX)).strip("/"),
        hub_name=hub or DEFAULT_HUB_NAME,
        default_version="" if version is None else str(version),
        extended_sessions=bool(durable.get("extendedSessionsEnabled", False)),
        extended_session_idle_timeout_s=_positive_number(
            durable.get("extendedSessionIdleTimeoutInSeconds", 30),
            field=f"{path}: extensions.durableTask.extendedSessionIdleTimeoutInSeconds",
        ),
        mcp_server_name=str(mcp.get("serverName") or HostConfig.mcp_server_name),
        mcp_server_version=str(mcp.get("serverVersion") or HostConfig.mcp_server_version),
        mcp_instructions=mcp.get("instructions"),
        queues=queues,
    )


def _config_text(value: Any) -> str:
    """A host.json scalar as the host's configuration holds it (JValue.ToString(InvariantCulture)).

    null is "", true is "True" (as in Python), and a whole float loses its ".0" (2.0 is "2").
    """
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _check_schema_version(document: dict[str, Any], path: Path) -> None:
    """HostJsonFileConfigurationSource: a non-empty host.json must say "version": "2.0"."""
    if not document:
        return  # the host fills in an empty host.json with the defaults
    version = document.get("version")
    if version is None or version == "":
        raise SettingsError(
            f"{path}: The host.json file is missing the required 'version' property. "
            "See https://aka.ms/functions-hostjson for steps to migrate the configuration file."
        )
    if _config_text(version) != "2.0":
        text = _config_text(version)
        hint = (
            "This does not correspond to the function runtime version, only to the schema version of the "
            "host.json file. "
            if text.lower().startswith("3")
            else ""
        )
        raise SettingsError(
            f"{path}: '{text}' is an invalid value for host.json 'version' property. We recommend you set "
            f"the 'version' property to '2.0'. {hint}See https://aka.ms/functions-hostjson for more "
            "information on this configuration file."
        )


# An Azure Storage table name (the strictest of the four names a hub becomes), at most 50 characters:
# AzureStorageOptions.ValidateHubName in the Durable extension.
_HUB_NAME = re.compile(r"[A-Za-z][A-Za-z0-9]{2,49}")


def _check_hub_name(hub: str, durable: dict[str, Any], *, field: str) -> None:
    """The Azure Storage provider's hub-name rule, checked only when that provider (the default) is used."""
    provider = (durable.get("storageProvider") or {}).get("type") or "AzureStorage"
    if str(provider).lower() != "azurestorage" or _HUB_NAME.fullmatch(hub):
        return
    raise SettingsError(
        f"{field}: Task hub name '{hub}' should contain only alphanumeric characters, start with a letter, "
        "and have length between 3 and 45."
    )


def _positive_number(value: Any, *, field: str) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        number = -1.0
    if number <= 0:
        raise SettingsError(f"{field} must be a positive number of seconds, got {value!r}")
    return number


def _read_json(path: Path) -> dict[str, Any]:
    try:
        document = json.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, ValueError) as error:
        raise SettingsError(f"{path}: cannot read JSON ({error})") from error
    if not isinstance(document, dict):
        raise SettingsError(f"{path}: expected a JSON object at the top level")
    return document
