"""local.settings.json's Host section (port, CORS) read and applied as `func start` does."""

import json
from pathlib import Path

import pytest

from devhost.cors import CorsError, CorsPolicy
from devhost.settings import HostStartSettings, SettingsError, read_host_start_settings

PREFLIGHT = {"Origin": "http://a.test", "Access-Control-Request-Method": "PUT"}


def _settings(tmp_path: Path, host: object) -> Path:
    (tmp_path / "local.settings.json").write_text(json.dumps({"Values": {}, "Host": host}))
    return tmp_path


def test_host_section_is_read(tmp_path: Path) -> None:
    app = _settings(
        tmp_path, {"LocalHttpPort": 7193, "CORS": "http://a.test,,http://B.test", "CORSCredentials": True}
    )
    assert read_host_start_settings(app) == HostStartSettings(7193, ("http://a.test", "http://B.test"), True)
    assert read_host_start_settings(tmp_path / "none") == HostStartSettings()


@pytest.mark.parametrize(
    ("host", "key"),
    [
        ({"LocalHttpPort": "x"}, "LocalHttpPort"),
        ({"CORS": ["*"]}, "CORS"),
        ({"CORSCredentials": "yes"}, "CORSCredentials"),
    ],
)
def test_bad_host_values_name_the_key(tmp_path: Path, host: dict[str, object], key: str) -> None:
    with pytest.raises(SettingsError, match=f"Host.{key}"):
        read_host_start_settings(_settings(tmp_path, host))


def test_no_origins_means_no_cors_middleware() -> None:
    assert CorsPolicy.from_settings((), True) is None


def test_wildcard_with_credentials_is_refused_like_aspnet() -> None:
    with pytest.raises(CorsError, match="wildcard"):
        CorsPolicy.from_settings(("*",), True)


def test_preflight_from_an_allowed_origin_echoes_method_and_headers() -> None:
    policy = CorsPolicy.from_settings(("http://A.test", "http://b.test"), True)
    assert policy is not None and policy.is_preflight("OPTIONS", PREFLIGHT)
    headers = policy.preflight_headers({**PREFLIGHT, "Access-Control-Request-Headers": "x-a, content-type"})
    assert headers == {
        "Access-Control-Allow-Origin": "http://a.test",
        "Access-Control-Allow-Credentials": "true",
        "Vary": "Origin",
        "Access-Control-Allow-Methods": "PUT",
        "Access-Control-Allow-Headers": "x-a,content-type",
    }
    assert policy.preflight_headers({**PREFLIGHT, "Origin": "http://evil.test"}) == {}


def test_wildcard_answers_star_and_a_plain_options_is_no_preflight() -> None:
    policy = CorsPolicy.from_settings(("*",), False)
    assert policy is not None
    assert policy.response_headers({"Origin": "http://any.test"}) == {"Access-Control-Allow-Origin": "*"}
    assert not policy.is_preflight("OPTIONS", {"Origin": "http://any.test"})
