"""Every setting the app reads, checked once when `function_app.py` is imported.

A malformed value stops start-up with a message naming the setting and what it allows, instead of
failing later: a request with a 500, an MCP tool call, a model call after a minute of retries, or
the nightly purge. Each check calls the reader the code uses at run time (or the same parser with the
same bounds), so a rule lives in one place; every bad setting is reported at once.

To add a setting: add a line to `CHECKS` naming it and the function that reads it (raising one of
`SETTING_ERRORS`), or to `FREE_FORM` when any value is valid.
"""

import logging
import os
import re
import uuid
from collections.abc import Callable

from agents.errors import ConfigurationError as ModelConfigurationError
from agents.remote_tools.settings import (
    SERVER_NAME,
    cache_seconds,
    call_timeout_seconds,
    list_timeout_seconds,
    server_settings,
)
from agents.settings import load_model_settings
from agents.tools.outbox import DEFAULT_TABLE as DEFAULT_OUTBOX_TABLE
from agents.tools.outbox_records import OutboxError
from api.errors import ConfigurationError
from api.retention import RETENTION_DAYS_SETTING as RUN_RETENTION_DAYS
from api.retention import retention_days
from api.sessions import MAX_MESSAGES_SETTING as SESSION_MAX_MESSAGES
from api.sessions import max_messages as session_max_messages
from mcp_tools.tools import wait_s as mcp_tool_wait_s
from streams.records import StreamError
from streams.store import DEFAULT_TABLE as DEFAULT_STREAM_TABLE
from streams.store import retention as stream_retention

_log = logging.getLogger(__name__)

# What the readers raise for a bad value; each names the setting.
SETTING_ERRORS = (ConfigurationError, ModelConfigurationError, StreamError, OutboxError)

_MCP_SERVER_SETTING = re.compile(r"MCP_SERVER_(?P<name>.+)_(?:URL|TOKEN|HEADERS)")


def _client_id() -> None:
    raw = os.environ.get("AZURE_CLIENT_ID", "").strip()
    try:
        if raw:
            uuid.UUID(raw)
    except ValueError:
        raise ConfigurationError(
            "setting AZURE_CLIENT_ID must be the client id of a managed identity, a GUID like "
            f"00000000-0000-0000-0000-000000000000, got {raw!r}"
        ) from None


def _app_insights() -> None:
    raw = os.environ.get("APPLICATIONINSIGHTS_CONNECTION_STRING", "").strip()
    if not raw:
        return
    # The exporter's own parser (imported only when telemetry is on, which imports it anyway).
    from azure.monitor.opentelemetry.exporter._connection_string_parser import ConnectionStringParser

    try:
        ConnectionStringParser(raw)
    except ValueError as error:
        raise ConfigurationError(
            "setting APPLICATIONINSIGHTS_CONNECTION_STRING must be the connection string on the "
            f"Application Insights resource's Overview page, InstrumentationKey=<GUID>;IngestionEndpoint=... "
            f"({error})"
        ) from None


def _table(
    endpoint_setting: str, name_setting: str, default_name: str, error: type[Exception]
) -> Callable[[], None]:
    def check() -> None:
        endpoint = os.environ.get(endpoint_setting, "").strip()
        if not endpoint:
            return  # SQLite: the table settings are not used
        from storage.tables import check_table_settings  # here: the Azure SDK only when a table is used

        name = os.environ.get(name_setting, "").strip() or default_name
        check_table_settings(endpoint, name, endpoint_setting, name_setting, error)

    return check


def _mcp_servers() -> None:
    """Every server some setting names (`MCP_SERVER_<NAME>_URL`, `_TOKEN`, `_HEADERS`), as calls read it."""
    for setting in sorted(os.environ):
        match = _MCP_SERVER_SETTING.fullmatch(setting)
        if match is None:
            continue
        name = match["name"].lower()
        if not SERVER_NAME.fullmatch(name):
            raise ConfigurationError(
                f"setting {setting} names the MCP server {name!r}, but a server's name is lower-case letters "
                "and digits (MCP_SERVER_DEMO_URL configures the server `demo`)"
            )
        server_settings(name)


# Each line: the settings a check covers, and the check (it raises one of SETTING_ERRORS).
CHECKS: tuple[tuple[tuple[str, ...], Callable[[], object]], ...] = (
    (
        (
            "AGENT_MODEL_PROVIDER",
            "AGENT_MODEL_API",
            "AGENT_MODEL_TIMEOUT_S",
            "OFFLINE_MODEL_DELAY_MS",
            "AZURE_OPENAI_ENDPOINT",
            "AZURE_OPENAI_MODEL",
            "OPENAI_BASE_URL",
            "OPENAI_API_KEY",
            "OPENAI_MODEL",
        ),
        load_model_settings,
    ),
    (("AZURE_CLIENT_ID",), _client_id),
    ((SESSION_MAX_MESSAGES[0],), session_max_messages),
    ((RUN_RETENTION_DAYS[0],), retention_days),
    (("STREAM_RETENTION_HOURS",), stream_retention),
    (("MCP_TOOL_WAIT_S",), mcp_tool_wait_s),
    (("MCP_TOOLS_CACHE_S",), cache_seconds),
    (("MCP_TOOL_CALL_TIMEOUT_S",), call_timeout_seconds),
    (("MCP_TOOLS_LIST_TIMEOUT_S",), list_timeout_seconds),
    (("MCP_SERVER_<NAME>_URL", "MCP_SERVER_<NAME>_TOKEN", "MCP_SERVER_<NAME>_HEADERS"), _mcp_servers),
    (
        ("OUTBOX_TABLE_ENDPOINT", "OUTBOX_TABLE_NAME"),
        _table("OUTBOX_TABLE_ENDPOINT", "OUTBOX_TABLE_NAME", DEFAULT_OUTBOX_TABLE, OutboxError),
    ),
    (
        ("STREAM_TABLE_ENDPOINT", "STREAM_TABLE_NAME"),
        _table("STREAM_TABLE_ENDPOINT", "STREAM_TABLE_NAME", DEFAULT_STREAM_TABLE, StreamError),
    ),
    (("APPLICATIONINSIGHTS_CONNECTION_STRING",), _app_insights),
)

# Settings not checked here, and why.
UNCHECKED: dict[str, str] = {
    "OUTBOX_PATH": "any path",
    "STREAM_PATH": "any path",
    "APPLICATIONINSIGHTS_AUTHENTICATION_STRING": "free text, read by the telemetry exporter",
    # agent-framework reads these when it is imported, which the app's imports do before this check:
    # a value other than true/false/1/0/yes/no/on/off already stops start-up naming the variable.
    "ENABLE_INSTRUMENTATION": "checked by agent-framework at import",
    "ENABLE_SENSITIVE_DATA": "checked by agent-framework at import",
    "AzureWebJobsStorage": "read by the Functions host",
    "FUNCTIONS_WORKER_RUNTIME": "read by the Functions host",
    "TASKHUB_NAME": "read by the Functions host (host.json)",
}


def check_settings() -> None:
    """Read every setting once; raise `ConfigurationError` naming each bad one and what it allows."""
    problems: list[str] = []
    for _, check in CHECKS:
        try:
            check()
        except SETTING_ERRORS as error:
            problems.extend(str(error).splitlines())  # the model settings name each bad one on a line
    if len(problems) == 1:
        raise ConfigurationError(problems[0])
    if problems:
        raise ConfigurationError(
            f"{len(problems)} settings are invalid:\n" + "\n".join(f"  - {p}" for p in problems)
        )
    _log.info("%s", model_in_use())


def model_in_use() -> str:
    """One line for the start-up log: the provider, the model and, for `openai`, where requests go."""
    settings = load_model_settings()
    line = f"model: AGENT_MODEL_PROVIDER={settings.provider}, model {settings.model_name}"
    if settings.provider == "offline":
        return line
    line = f"{line} at {settings.endpoint.url}"
    if settings.provider == "openai" and not os.environ.get("OPENAI_BASE_URL", "").strip():
        return f"{line} (OPENAI_BASE_URL unset: the default)"
    return line
