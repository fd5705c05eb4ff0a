"""Model settings: defaults, and every bad or missing setting is named in the error."""

import pytest

from agents.errors import ConfigurationError
from agents.settings import DEFAULT_OPENAI_BASE_URL, load_model_settings


def test_defaults_are_the_offline_model() -> None:
    settings = load_model_settings({})
    assert (settings.provider, settings.api, settings.timeout_s, settings.offline_delay_ms) == (
        "offline",
        "chat_completions",
        120.0,
        0.0,
    )
    assert settings.model_name == "offline-1"


def test_reads_the_process_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AGENT_MODEL_PROVIDER", "openai")
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test")
    monkeypatch.setenv("OPENAI_MODEL", "gpt-4o-mini")
    monkeypatch.setenv("AGENT_MODEL_API", "responses")
    settings = load_model_settings()
    assert (settings.provider, settings.api, settings.model_name) == ("openai", "responses", "gpt-4o-mini")


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({"AGENT_MODEL_PROVIDER": "azure_openai", "AZURE_OPENAI_MODEL": "gpt"}, "AZURE_OPENAI_ENDPOINT"),
        (
            {"AGENT_MODEL_PROVIDER": "azure_openai", "AZURE_OPENAI_ENDPOINT": "https://x/"},
            "AZURE_OPENAI_MODEL",
        ),
        ({"AGENT_MODEL_PROVIDER": "openai", "OPENAI_MODEL": "m"}, "OPENAI_API_KEY"),
        ({"AGENT_MODEL_PROVIDER": "openai", "OPENAI_API_KEY": "k", "OPENAI_MODEL": "  "}, "OPENAI_MODEL"),
    ],
)
def test_a_missing_provider_setting_is_named(env: dict[str, str], named: str) -> None:
    with pytest.raises(ConfigurationError) as caught:
        load_model_settings(env)
    assert str(caught.value) == f"{named} is required when AGENT_MODEL_PROVIDER={env['AGENT_MODEL_PROVIDER']}"


@pytest.mark.parametrize(
    ("provider", "named"),
    [
        ("openai", "OPENAI_API_KEY and OPENAI_MODEL"),
        ("azure_openai", "AZURE_OPENAI_ENDPOINT and AZURE_OPENAI_MODEL"),
    ],
)
def test_every_missing_provider_setting_is_named_at_once(provider: str, named: str) -> None:
    with pytest.raises(ConfigurationError) as caught:
        load_model_settings({"AGENT_MODEL_PROVIDER": provider})
    assert str(caught.value) == f"{named} are required when AGENT_MODEL_PROVIDER={provider}"


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({"AGENT_MODEL_PROVIDER": "anthropic"}, "AGENT_MODEL_PROVIDER"),
        ({"AGENT_MODEL_API": "assistants"}, "AGENT_MODEL_API"),
        ({"AGENT_MODEL_TIMEOUT_S": "soon"}, "AGENT_MODEL_TIMEOUT_S"),
        ({"AGENT_MODEL_TIMEOUT_S": "0"}, "AGENT_MODEL_TIMEOUT_S"),
        ({"AGENT_MODEL_TIMEOUT_S": "inf"}, "AGENT_MODEL_TIMEOUT_S"),
        ({"OFFLINE_MODEL_DELAY_MS": "-5"}, "OFFLINE_MODEL_DELAY_MS"),
        ({"OFFLINE_MODEL_DELAY_MS": "fast"}, "OFFLINE_MODEL_DELAY_MS"),
    ],
)
def test_an_invalid_setting_is_named_with_its_value(env: dict[str, str], named: str) -> None:
    with pytest.raises(ConfigurationError) as caught:
        load_model_settings(env)
    assert str(caught.value).startswith(named)
    assert repr(next(iter(env.values()))) in str(caught.value)


def test_complete_azure_settings_load() -> None:
    settings = load_model_settings(
        {
            "AGENT_MODEL_PROVIDER": "azure_openai",
            "AZURE_OPENAI_ENDPOINT": "https://example.openai.azure.com/",
            "AZURE_OPENAI_MODEL": "chat-deployment",
            "AZURE_CLIENT_ID": "00000000-0000-0000-0000-000000000001",
            "AGENT_MODEL_TIMEOUT_S": "30.5",
        }
    )
    assert settings.model_name == "chat-deployment"
    assert settings.timeout_s == 30.5
    assert settings.azure_client_id == "00000000-0000-0000-0000-000000000001"


OPENAI = {"AGENT_MODEL_PROVIDER": "openai", "OPENAI_API_KEY": "sk-x", "OPENAI_MODEL": "gpt"}
AZURE = {"AGENT_MODEL_PROVIDER": "azure_openai", "AZURE_OPENAI_MODEL": "chat"}


@pytest.mark.parametrize(
    "url",
    [
        "garbage",
        "not-a-url",
        "https://",
        "https:/host",
        "ftp://host/v1",
        "//host/v1",
        "http://x:abc/",
        "http://[::1",
    ],
)
@pytest.mark.parametrize(
    ("provider", "named"), [(OPENAI, "OPENAI_BASE_URL"), (AZURE, "AZURE_OPENAI_ENDPOINT")]
)
def test_an_endpoint_that_is_not_an_absolute_http_url_is_named(
    url: str, provider: dict[str, str], named: str
) -> None:
    with pytest.raises(ConfigurationError) as caught:
        load_model_settings({**provider, named: url})
    assert str(caught.value).startswith(f"{named} must be an absolute http:// or https:// URL with a host")
    assert str(caught.value).endswith(f"(got {url!r})")


@pytest.mark.parametrize(
    "url", ["http://localhost:11434/v1", "https://api.openai.com/v1", "http://[::1]:8080/v1"]
)
def test_an_absolute_http_endpoint_is_used_as_given(url: str) -> None:
    assert load_model_settings({**OPENAI, "OPENAI_BASE_URL": f"  {url} "}).openai_base_url == url


def test_openai_without_a_base_url_goes_to_api_openai_com() -> None:
    assert (
        load_model_settings(OPENAI).openai_base_url == DEFAULT_OPENAI_BASE_URL == "https://api.openai.com/v1"
    )


def test_another_providers_endpoint_is_not_checked() -> None:
    settings = load_model_settings({**OPENAI, "AZURE_OPENAI_ENDPOINT": "<your endpoint>"})
    assert settings.provider == "openai"
    assert load_model_settings({"OPENAI_BASE_URL": "<later>"}).openai_base_url == ""
