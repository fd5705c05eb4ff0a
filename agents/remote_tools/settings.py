"""Which MCP servers the app may reach, from settings: no URL, token or header lives in the repo.

A server named `demo` in an agent declaration is configured by:

- `MCP_SERVER_DEMO_URL`: its streamable HTTP endpoint. Unset means the server is not used (its tools
  are simply not offered), so the template runs without any MCP server.
- `MCP_SERVER_DEMO_TOKEN`: optional; sent as `Authorization: Bearer <token>`. On Azure make it a Key
  Vault reference in the app settings.
- `MCP_SERVER_DEMO_HEADERS`: optional JSON object of further headers (e.g. `x-functions-key` for an
  MCP server hosted on Azure Functions).

`MCP_TOOLS_CACHE_S` (default 300) is how long a server's tool list is kept before it is fetched
again; `MCP_TOOLS_LIST_TIMEOUT_S` (default 10) bounds fetching it, so a server that hangs delays an
agent call by that much at most; `MCP_TOOL_CALL_TIMEOUT_S` (default 30) bounds one call, after
which it counts as a transient failure and the durable retry tries again.
"""

import json
import math
import os
import re
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

from agents.errors import ConfigurationError

TOOL_SEPARATOR = "__"
SERVER_NAME = re.compile(r"[a-z][a-z0-9]*")
DEFAULT_CACHE_S = 300.0
DEFAULT_CALL_TIMEOUT_S = 30.0
DEFAULT_LIST_TIMEOUT_S = 10.0


@dataclass(frozen=True)
class McpServer:
    """One configured server: where it is and the headers every request carries (hashable, for caches)."""

    name: str
    url: str
    headers: tuple[tuple[str, str], ...] = ()

    @property
    def shown_url(self) -> str:
        """The URL as errors and logs show it (see `shown_url`)."""
        return shown_url(self.url)


def shown_url(url: str) -> str:
    """`url` without its user info and query, where credentials sit (`user:password@`, `?code=<key>`):
    failures end up in run documents and logs, which more people read than the settings."""
    try:
        parts = urlsplit(url)
    except ValueError:  # an unclosed IPv6 bracket
        return "(a URL that cannot be parsed)"
    return urlunsplit((parts.scheme, parts.netloc.rpartition("@")[2], parts.path, "", ""))


def server_settings(name: str) -> McpServer | None:
    """The server `name` as configured, or None when its URL setting is unset."""
    if not SERVER_NAME.fullmatch(name):
        raise ConfigurationError(f"MCP server name {name!r} must be lower-case letters and digits")
    prefix = f"MCP_SERVER_{name.upper()}_"
    url = os.environ.get(f"{prefix}URL", "").strip()
    if not url:
        return None
    if not url.startswith(("http://", "https://")):
        raise ConfigurationError(
            f"setting {prefix}URL must be an http:// or https:// URL, got {shown_url(url)!r}"
        )
    headers = _headers(f"{prefix}HEADERS")
    token = os.environ.get(f"{prefix}TOKEN", "").strip()
    if token:
        headers["Authorization"] = f"Bearer {token}"
    return McpServer(name, url, tuple(sorted(headers.items())))


def cache_seconds() -> float:
    """`MCP_TOOLS_CACHE_S`: how long a fetched tool list is used."""
    return _seconds("MCP_TOOLS_CACHE_S", DEFAULT_CACHE_S)


def call_timeout_seconds() -> float:
    """`MCP_TOOL_CALL_TIMEOUT_S`: the longest one remote tool call may take."""
    return _seconds("MCP_TOOL_CALL_TIMEOUT_S", DEFAULT_CALL_TIMEOUT_S)


def list_timeout_seconds() -> float:
    """`MCP_TOOLS_LIST_TIMEOUT_S`: the longest fetching one server's tool list may take."""
    return _seconds("MCP_TOOLS_LIST_TIMEOUT_S", DEFAULT_LIST_TIMEOUT_S)


def _headers(setting: str) -> dict[str, str]:
    raw = os.environ.get(setting, "").strip()
    if not raw:
        return {}
    try:
        value = json.loads(raw)
    except ValueError:
        value = None
    if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
        raise ConfigurationError(f"setting {setting} must be a JSON object of header names to strings")
    return {str(k): v for k, v in value.items()}


def _seconds(setting: str, default: float) -> float:
    raw = os.environ.get(setting, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if not math.isfinite(value) or value <= 0:
        raise ConfigurationError(f"setting {setting} must be a positive number of seconds, got {raw!r}")
    return value
