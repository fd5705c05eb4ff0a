"""Where the CLI connects: flag, then AGENTCTL_URL, then SERVICE_API_URI, then localhost."""

import socket

import pytest

from agentctl.config import resolve_settings
from agentctl.errors import UsageProblem
from tests.agentctl.conftest import Agentctl
from tests.agentctl.fake_run_api import FakeRunApi, FakeServer


@pytest.fixture
def unused_url() -> str:
    """A URL nobody listens on: bind a port, then free it."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}"


@pytest.mark.parametrize(
    ("flag", "environ", "expected", "source"),
    [
        (
            "http://flag",
            {"AGENTCTL_URL": "http://a", "SERVICE_API_URI": "http://s"},
            "http://flag/api",
            "--url",
        ),
        (None, {"AGENTCTL_URL": "http://a", "SERVICE_API_URI": "http://s"}, "http://a/api", "AGENTCTL_URL"),
        (
            None,
            {"AGENTCTL_URL": " ", "SERVICE_API_URI": "https://s.net/api/"},
            "https://s.net/api",
            "SERVICE_API_URI",
        ),
        (None, {}, "http://localhost:7071/api", "default"),
        ("http://gw/prefix/api", {}, "http://gw/prefix/api", "--url"),
        ("http://h:7071/", {}, "http://h:7071/api", "--url"),
    ],
)
def test_url_precedence_and_api_suffix(
    flag: str | None, environ: dict[str, str], expected: str, source: str
) -> None:
    settings = resolve_settings(flag, None, environ)
    assert (settings.api_base, settings.url_source) == (expected, source)


def test_key_flag_beats_environment() -> None:
    assert resolve_settings(None, "flag-key", {"AGENTCTL_KEY": "env-key"}).key == "flag-key"
    assert resolve_settings(None, None, {"AGENTCTL_KEY": "env-key"}).key == "env-key"
    assert resolve_settings(None, None, {}).key is None


def test_a_bad_url_names_its_setting() -> None:
    with pytest.raises(UsageProblem) as raised:
        resolve_settings(None, None, {"SERVICE_API_URI": "func.example.net"})
    assert raised.value.message.startswith("SERVICE_API_URI='func.example.net' is not an http(s) URL")


def test_bad_url_exits_2(agentctl: Agentctl) -> None:
    result = agentctl("health", env={"AGENTCTL_URL": "ftp://x"})
    assert result.code == 2
    assert (
        result.err.strip()
        == "agentctl: AGENTCTL_URL='ftp://x' is not an http(s) URL (example: http://localhost:7071)"
    )


def test_service_api_uri_is_used_when_agentctl_url_is_unset(
    agentctl: Agentctl, server: FakeServer, api: FakeRunApi
) -> None:
    result = agentctl("health", env={"AGENTCTL_URL": "", "SERVICE_API_URI": server.url + "/api"})
    assert result.code == 0
    assert result.out.startswith(f"{server.url}/api: ok")


def test_url_flag_wins_and_may_follow_the_subcommand(
    agentctl: Agentctl, server: FakeServer, unused_url: str
) -> None:
    result = agentctl("health", "--url", server.url, env={"AGENTCTL_URL": unused_url})
    assert result.code == 0
    assert agentctl(f"--url={server.url}/api/", "health", env={"AGENTCTL_URL": unused_url}).code == 0


def test_key_is_sent_as_functions_key(agentctl: Agentctl, api: FakeRunApi) -> None:
    agentctl("workflows", env={"AGENTCTL_KEY": "env-key"})
    agentctl("workflows", "--key", "flag-key", env={"AGENTCTL_KEY": "env-key"})
    agentctl("workflows")
    keys = [request["headers"].get("x-functions-key") for request in api.requests]
    assert keys == ["env-key", "flag-key", None]


def test_unreachable_api_exits_3_naming_the_url_and_its_source(agentctl: Agentctl, unused_url: str) -> None:
    result = agentctl("run", "single", "--input", '{"question": "hi"}', env={"AGENTCTL_URL": unused_url})
    assert result.code == 3
    assert f"cannot reach the run API at {unused_url}/api (URL from AGENTCTL_URL)" in result.err
    assert "Traceback" not in result.err


def test_rejected_key_prints_a_hint_instead_of_a_traceback(agentctl: Agentctl) -> None:
    result = agentctl("workflows", "--key", "revoked")
    assert result.code == 1
    assert "answered HTTP 401 Unauthorized" in result.err
    assert "pass --key or set AGENTCTL_KEY" in result.err
