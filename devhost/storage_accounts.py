"""Which storage account a binding's `connection` reaches, if any: shared by blob and queue bindings.

A binding's `connection` names an app setting (the host also tries it with the `AzureWebJobs` prefix;
none given means `AzureWebJobsStorage`). When that setting holds a storage connection string, or
`UseDevelopmentStorage=true` while Azurite answers on its default port for the service, the binding
uses that account; otherwise (unset, empty, identity-based, or no Azurite) the host keeps the data
locally beside its state, and the reason is said once at start.
"""

from __future__ import annotations

import socket
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

DEFAULT_CONNECTION = "AzureWebJobsStorage"
DEVELOPMENT_STORAGE = "usedevelopmentstorage=true"
Service = Literal["blob", "queue"]
AZURITE_PORTS: dict[Service, int] = {"blob": 10000, "queue": 10001}


@dataclass(frozen=True)
class AccountChoice:
    """Where a connection's data goes: an account's connection string, or None and why not."""

    setting: str
    connection_string: str | None
    description: str  # the account (or Azurite) when there is one, else why the data stays local


def connection_value(connection: str, environ: Mapping[str, str]) -> tuple[str, str | None]:
    """The setting a `connection` names (the host also tries the `AzureWebJobs` prefix) and its value."""
    name = connection or DEFAULT_CONNECTION
    for candidate in (name, f"AzureWebJobs{name}"):
        if candidate in environ:
            return candidate, environ[candidate]
    return name, None


def azurite_answers(service: Service) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", AZURITE_PORTS[service]), timeout=0.5):
            return True
    except OSError:
        return False


def is_connection_string(value: str, service: Service) -> bool:
    """An account name (or the service's endpoint) and a key or SAS: something the SDK can sign in with."""
    keys = {part.split("=", 1)[0].strip().lower() for part in value.split(";") if "=" in part}
    return bool(keys & {"accountname", f"{service}endpoint"}) and bool(
        keys & {"accountkey", "sharedaccesssignature"}
    )


def choose_account(connection: str, environ: Mapping[str, str], service: Service) -> AccountChoice:
    """The account a binding's connection reaches for `service`, or why there is none."""
    setting, value = connection_value(connection, environ)
    text = (value or "").strip()
    address = f"127.0.0.1:{AZURITE_PORTS[service]}"
    if text.lower().replace(" ", "") == DEVELOPMENT_STORAGE:
        if azurite_answers(service):
            return AccountChoice(setting, text, f"Azurite on {address} (UseDevelopmentStorage=true)")
        return AccountChoice(
            setting, None, f"is UseDevelopmentStorage=true but Azurite does not answer on {address}"
        )
    if is_connection_string(text, service):
        return AccountChoice(setting, text, "the storage account in its connection string")
    if value is None:
        return AccountChoice(setting, None, "is not set")
    if not text:
        return AccountChoice(setting, None, "is empty")
    return AccountChoice(setting, None, "is not a storage connection string")
