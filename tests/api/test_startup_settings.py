"""`check_settings()`: every setting the app reads is checked at start-up, naming a bad one."""

import asyncio
import json
import logging
import os
import re
from pathlib import Path

import pytest

from api import startup_settings
from api.errors import ConfigurationError
from api.retention import purge_old_runs
from api.sessions import start_turn
from api.startup_settings import CHECKS, RUN_RETENTION_DAYS, SESSION_MAX_MESSAGES, UNCHECKED, check_settings
from tests.api.durable_fake import T0, FakeDurableClient

ROOT = Path(__file__).resolve().parents[2]
OPENAI = {"AGENT_MODEL_PROVIDER": "openai", "OPENAI_API_KEY": "sk-x", "OPENAI_MODEL": "gpt"}
AZURE = {"AGENT_MODEL_PROVIDER": "azure_openai", "AZURE_OPENAI_MODEL": "chat"}
TABLE = "https://account.table.core.windows.net"
CONNECTION_STRING = (
    "InstrumentationKey=00000000-0000-0000-0000-000000000001;"
    "IngestionEndpoint=https://westeurope-5.in.applicationinsights.azure.com/"
)


def checked_names() -> set[str]:
    return {name for names, _ in CHECKS for name in names}


@pytest.fixture(autouse=True)
def no_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test starts from defaults, whatever the shell running it has set."""
    for name in list(os.environ):
        if name in checked_names() or name.startswith("MCP_SERVER_"):
            monkeypatch.delenv(name)


def set_env(monkeypatch: pytest.MonkeyPatch, env: dict[str, str]) -> None:
    for name, value in env.items():
        monkeypatch.setenv(name, value)


def test_the_defaults_pass_and_the_model_is_logged(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="api.startup_settings"):
        check_settings()
    assert "model: AGENT_MODEL_PROVIDER=offline, model offline-1" in caplog.text


@pytest.mark.parametrize(
    ("env", "message"),
    [
        (
            {"SESSION_MAX_MESSAGES": "abc"},
            "setting SESSION_MAX_MESSAGES must be a whole number from 2 to 1000",
        ),
        ({"RUN_RETENTION_DAYS": "0"}, "setting RUN_RETENTION_DAYS must be a whole number from 1 to 36500"),
        ({"MCP_TOOL_WAIT_S": "soon"}, "setting MCP_TOOL_WAIT_S must be a whole number from 0 to 230"),
        ({"STREAM_RETENTION_HOURS": "1.5"}, "STREAM_RETENTION_HOURS must be a whole number of hours"),
        ({"MCP_TOOLS_CACHE_S": "-1"}, "setting MCP_TOOLS_CACHE_S must be a positive number of seconds"),
        ({"MCP_TOOL_CALL_TIMEOUT_S": "x"}, "setting MCP_TOOL_CALL_TIMEOUT_S must be a positive number"),
        ({"MCP_TOOLS_LIST_TIMEOUT_S": "nan"}, "setting MCP_TOOLS_LIST_TIMEOUT_S must be a positive number"),
        (
            {"MCP_SERVER_DEMO_URL": "http://localhost:8000/mcp", "MCP_SERVER_DEMO_HEADERS": "notjson"},
            "setting MCP_SERVER_DEMO_HEADERS must be a JSON object",
        ),
        (
            {"MCP_SERVER_DEMO_URL": "localhost:8000"},
            "setting MCP_SERVER_DEMO_URL must be an http:// or https://",
        ),
        ({"MCP_SERVER_MY_SERVER_URL": "http://x"}, "setting MCP_SERVER_MY_SERVER_URL names the MCP server"),
        ({**OPENAI, "OPENAI_BASE_URL": "garbage"}, "OPENAI_BASE_URL must be an absolute http:// or https://"),
        ({**AZURE, "AZURE_OPENAI_ENDPOINT": "not-a-url"}, "AZURE_OPENAI_ENDPOINT must be an absolute http"),
        ({"AGENT_MODEL_TIMEOUT_S": "soon"}, "AGENT_MODEL_TIMEOUT_S must be a number"),
        ({"AZURE_CLIENT_ID": "my-identity"}, "setting AZURE_CLIENT_ID must be the client id"),
        ({"OUTBOX_TABLE_ENDPOINT": "http://x"}, "OUTBOX_TABLE_ENDPOINT must be an https URL"),
        ({"STREAM_TABLE_ENDPOINT": TABLE, "STREAM_TABLE_NAME": "x_y"}, "STREAM_TABLE_NAME must be 3-63"),
        (
            {"APPLICATIONINSIGHTS_CONNECTION_STRING": "garbage"},
            "setting APPLICATIONINSIGHTS_CONNECTION_STRING must be the connection string",
        ),
    ],
)
def test_a_malformed_setting_stops_start_up_naming_it(
    monkeypatch: pytest.MonkeyPatch, env: dict[str, str], message: str
) -> None:
    set_env(monkeypatch, env)
    with pytest.raises(ConfigurationError) as caught:
        check_settings()
    assert str(caught.value).startswith(message)


def test_every_bad_setting_is_reported_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    set_env(
        monkeypatch, {"SESSION_MAX_MESSAGES": "abc", "STREAM_RETENTION_HOURS": "0", "MCP_TOOL_WAIT_S": "999"}
    )
    with pytest.raises(ConfigurationError) as caught:
        check_settings()
    lines = str(caught.value).splitlines()
    assert lines[0] == "3 settings are invalid:"
    assert [line.split()[2 if line.startswith("  - setting") else 1] for line in lines[1:]] == [
        "SESSION_MAX_MESSAGES",
        "STREAM_RETENTION_HOURS",
        "MCP_TOOL_WAIT_S",
    ]


@pytest.mark.parametrize(
    ("env", "named"),
    [
        (
            {"AGENT_MODEL_API": "foo", "AGENT_MODEL_TIMEOUT_S": "abc", "OFFLINE_MODEL_DELAY_MS": "-5"},
            ["AGENT_MODEL_API", "AGENT_MODEL_TIMEOUT_S", "OFFLINE_MODEL_DELAY_MS"],
        ),
        (
            {"AGENT_MODEL_PROVIDER": "openai", "OPENAI_BASE_URL": "garbage", "SESSION_MAX_MESSAGES": "abc"},
            ["OPENAI_API_KEY and OPENAI_MODEL", "OPENAI_BASE_URL", "SESSION_MAX_MESSAGES"],
        ),
    ],
    ids=["offline", "openai"],
)
def test_every_bad_model_setting_is_reported_at_once_too(
    monkeypatch: pytest.MonkeyPatch, env: dict[str, str], named: list[str]
) -> None:
    set_env(monkeypatch, env)
    with pytest.raises(ConfigurationError) as caught:
        check_settings()
    lines = str(caught.value).splitlines()
    assert lines[0] == f"{len(named)} settings are invalid:"
    named_first = [name for name in named if any(f" {name} " in line for line in lines[1:])]
    assert named_first == named, lines


def test_well_formed_settings_pass(monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    set_env(
        monkeypatch,
        {
            **OPENAI,
            "OPENAI_BASE_URL": "http://localhost:11434/v1",
            "SESSION_MAX_MESSAGES": "2",
            "RUN_RETENTION_DAYS": "36500",
            "MCP_TOOL_WAIT_S": "0",
            "STREAM_RETENTION_HOURS": "1",
            "MCP_TOOLS_CACHE_S": "0.5",
            "MCP_TOOL_CALL_TIMEOUT_S": "30",
            "MCP_TOOLS_LIST_TIMEOUT_S": "10",
            "MCP_SERVER_DEMO_URL": "https://example.com/mcp",
            "MCP_SERVER_DEMO_TOKEN": "secret",
            "MCP_SERVER_DEMO_HEADERS": json.dumps({"x-functions-key": "k"}),
            "MCP_SERVER_OTHER_TOKEN": "",  # a server without a URL is simply not used
            "AZURE_CLIENT_ID": "00000000-0000-0000-0000-000000000001",
            "OUTBOX_TABLE_ENDPOINT": TABLE,
            "STREAM_TABLE_ENDPOINT": TABLE,
            "STREAM_TABLE_NAME": "streams2",
            "APPLICATIONINSIGHTS_CONNECTION_STRING": CONNECTION_STRING,
            "AZURE_OPENAI_ENDPOINT": "left over from another provider",  # not the provider in use
        },
    )
    with caplog.at_level(logging.INFO, logger="api.startup_settings"):
        check_settings()
    assert "model: AGENT_MODEL_PROVIDER=openai, model gpt at http://localhost:11434/v1" in caplog.text


def test_openai_without_a_base_url_says_where_requests_go(monkeypatch: pytest.MonkeyPatch) -> None:
    set_env(monkeypatch, OPENAI)
    check_settings()
    assert startup_settings.model_in_use() == (
        "model: AGENT_MODEL_PROVIDER=openai, model gpt at https://api.openai.com/v1 "
        "(OPENAI_BASE_URL unset: the default)"
    )


@pytest.mark.parametrize(
    ("provider", "setting"), [(OPENAI, "OPENAI_BASE_URL"), (AZURE, "AZURE_OPENAI_ENDPOINT")]
)
def test_an_endpoint_with_credentials_in_its_url_is_refused_without_quoting_them(
    monkeypatch: pytest.MonkeyPatch, provider: dict[str, str], setting: str
) -> None:
    """httpx would send them as basic auth instead of the key or token: every call would be refused."""
    set_env(monkeypatch, {**provider, setting: "https://qa:s3cret-pass@models.example.com/v1"})
    with pytest.raises(ConfigurationError) as caught:
        check_settings()
    assert f"{setting} must not carry credentials" in str(caught.value)
    assert "s3cret-pass" not in str(caught.value)


def test_a_refused_endpoint_is_quoted_without_the_credentials_in_its_url(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    set_env(monkeypatch, {**OPENAI, "OPENAI_BASE_URL": "https://qa:s3cret-pass@models.example.com:x/v1"})
    with pytest.raises(ConfigurationError) as caught:
        check_settings()
    assert str(caught.value).endswith("(got 'https://models.example.com:x/v1')")


def session_turn_refuses(monkeypatch: pytest.MonkeyPatch, value: str) -> bool:
    monkeypatch.setenv("SESSION_MAX_MESSAGES", value)
    try:
        asyncio.run(start_turn(FakeDurableClient(), "s1", "hi"))  # type: ignore[arg-type]
    except ConfigurationError:
        return True
    return False


def purge_refuses(monkeypatch: pytest.MonkeyPatch, value: str) -> bool:
    monkeypatch.setenv("RUN_RETENTION_DAYS", value)
    try:
        asyncio.run(purge_old_runs(FakeDurableClient(), now=T0))  # type: ignore[arg-type]
    except ConfigurationError:
        return True
    return False


def start_up_refuses(monkeypatch: pytest.MonkeyPatch, name: str, value: str) -> bool:
    monkeypatch.setenv(name, value)
    try:
        check_settings()
    except ConfigurationError:
        return True
    return False


@pytest.mark.parametrize(
    ("setting", "refused_at_call_time"),
    [(SESSION_MAX_MESSAGES, session_turn_refuses), (RUN_RETENTION_DAYS, purge_refuses)],
    ids=["SESSION_MAX_MESSAGES", "RUN_RETENTION_DAYS"],
)
def test_start_up_refuses_exactly_what_the_call_site_refuses(
    monkeypatch: pytest.MonkeyPatch, setting: tuple[str, int, int, int], refused_at_call_time: object
) -> None:
    name, default, low, high = setting
    for value in ("abc", "", str(low - 1), str(low), str(default), str(high), str(high + 1)):
        at_start_up = start_up_refuses(monkeypatch, name, value)
        assert at_start_up == refused_at_call_time(monkeypatch, value), (name, value)  # type: ignore[operator]


def test_every_documented_setting_is_checked_or_said_why_not() -> None:
    example = json.loads((ROOT / "local.settings.json.example").read_text())["Values"]
    readme = (ROOT / "README.md").read_text().split("## Configuration", 1)[1].split("\n## ", 1)[0]
    documented = {
        name
        for row in readme.splitlines()
        if row.startswith("| `")
        for name in re.findall(r"`([A-Za-z][A-Za-z_<>]*)`", row.split("|")[1])
    }
    known = checked_names() | set(UNCHECKED)
    example_names = {re.sub(r"^MCP_SERVER_[A-Z0-9]+_", "MCP_SERVER_<NAME>_", name) for name in example}
    assert example_names - known == set()
    assert documented - known == set()
