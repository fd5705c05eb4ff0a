"""Binding expressions in blob paths: `snippets/{mcptoolargs.name}.json`, `{id}` from a route, `{rand-guid}`.

The host fills `{...}` from the trigger's binding data, case-insensitively, following dots into objects
(`{mcptoolargs.snippetname}`, `{query.id}`); a name with no value fails the invocation with the host's
"No value for named parameter" message. `%SETTING%` references are resolved from app settings first.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

EXPRESSION = re.compile(r"\{([^{}]+)\}")  # one `{name}` of a path
# The host's system expressions: a new GUID per binding, and the invocation's UTC time.
_SYSTEM: dict[str, Any] = {
    "rand-guid": lambda: str(uuid.uuid4()),
    "sys.randguid": lambda: str(uuid.uuid4()),
    "datetime": lambda: datetime.now(UTC).strftime("%Y-%m-%dT%H-%M-%SZ"),
    "sys.utcnow": lambda: datetime.now(UTC).strftime("%Y-%m-%dT%H-%M-%SZ"),
}


class BindingExpressionError(ValueError):
    """A `{name}` in a binding's path that the trigger's binding data cannot fill."""


def _lookup(data: Mapping[str, Any], dotted: str) -> Any:
    value: Any = data
    for part in dotted.split("."):
        if not isinstance(value, Mapping):
            return None
        value = next((item for key, item in value.items() if str(key).lower() == part.lower()), None)
        if value is None:
            return None
    return value


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return str(value)  # .NET's True/False, as Boolean.ToString() writes them
    return value if isinstance(value, str) else str(value)


def resolve(template: str, data: Mapping[str, Any]) -> str:
    """The path with every `{expression}` replaced; BindingExpressionError names the first one missing."""

    def substitute(match: re.Match[str]) -> str:
        name = match.group(1).strip()
        system = _SYSTEM.get(name.lower())
        if system is not None:
            return str(system())
        value = _lookup(data, name)
        if value is None:
            raise BindingExpressionError(f"No value for named parameter '{name}'.")
        return _text(value)

    return EXPRESSION.sub(substitute, template)


def split_blob_path(path: str) -> tuple[str, str]:
    """`container/name/with/slashes` into its container and blob name."""
    container, _, name = path.strip("/").partition("/")
    if not container or not name:
        raise BindingExpressionError(f"blob path '{path}' must be 'container/blob name'")
    return container, name
