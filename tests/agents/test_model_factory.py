"""The model factory builds the right client class with the right settings (no network)."""

import asyncio
import time
from unittest.mock import AsyncMock

import httpx2
import pytest
from agent_framework.exceptions import ChatClientException
from agent_framework_openai import OpenAIChatClient, OpenAIChatCompletionClient
from azure.core.credentials import AccessTokenInfo
from azure.identity.aio import DefaultAzureCredential
from openai import AsyncAzureOpenAI, AsyncOpenAI

from agents.build import build_agent
from agents.catalog import get_agent_spec
from agents.model_factory import create_chat_client
from agents.offline.client import OfflineChatClient
from agents.settings import ModelSettings

AZURE = {
    "provider": "azure_openai",
    "azure_endpoint": "https://example.openai.azure.com/",
    "azure_model": "chat",
}
OPENAI = {
    "provider": "openai",
    "openai_base_url": "http://127.0.0.1:11434/v1",
    "openai_api_key": "sk-test",
    "openai_model": "llama3",
}


def test_offline_provider_builds_the_offline_client_with_its_delay() -> None:
    client = create_chat_client(ModelSettings(offline_delay_ms=25))
    assert isinstance(client, OfflineChatClient)
    assert (client.model, client.delay_ms) == ("offline-1", 25)


@pytest.mark.parametrize(
    ("api", "client_class"),
    [("chat_completions", OpenAIChatCompletionClient), ("responses", OpenAIChatClient)],
)
def test_azure_openai_uses_the_endpoint_deployment_and_an_entra_credential(
    api: str, client_class: type, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: dict[str, object] = {}
    real_init = DefaultAzureCredential.__init__

    def recording_init(self: DefaultAzureCredential, **kwargs: object) -> None:
        seen.update(kwargs)
        real_init(self, **kwargs)

    monkeypatch.setattr(DefaultAzureCredential, "__init__", recording_init)
    client = create_chat_client(ModelSettings(api=api, azure_client_id="client-id-1", **AZURE))
    assert type(client) is client_class
    assert client.model == "chat"
    assert client.azure_endpoint == "https://example.openai.azure.com/"
    assert isinstance(client.client, AsyncAzureOpenAI)
    assert seen == {"managed_identity_client_id": "client-id-1"}


@pytest.mark.parametrize(
    ("api", "client_class"),
    [("chat_completions", OpenAIChatCompletionClient), ("responses", OpenAIChatClient)],
)
def test_openai_compatible_uses_base_url_key_and_model(api: str, client_class: type) -> None:
    client = create_chat_client(ModelSettings(api=api, **OPENAI))
    assert type(client) is client_class
    assert client.model == "llama3"
    assert isinstance(client.client, AsyncOpenAI) and not isinstance(client.client, AsyncAzureOpenAI)
    assert str(client.client.base_url) == "http://127.0.0.1:11434/v1/"
    assert client.client.api_key == "sk-test"


def test_openai_without_base_url_targets_openai() -> None:
    client = create_chat_client(ModelSettings(**{**OPENAI, "openai_base_url": ""}))
    assert str(client.client.base_url) == "https://api.openai.com/v1/"


def test_tools_reach_the_model_as_declarations_only() -> None:
    agent = build_agent(get_agent_spec("tool_agent"), create_chat_client(ModelSettings()))
    tools = {tool.name: tool for tool in agent.default_options["tools"]}
    assert sorted(tools) == ["calculator", "create_ticket", "lookup_knowledge"]
    assert all(tool.declaration_only for tool in tools.values())
    assert "expression" in tools["calculator"].parameters()["properties"]


@pytest.mark.parametrize(
    "settings",
    [ModelSettings(), ModelSettings(**OPENAI), ModelSettings(api="responses", **AZURE)],
    ids=["offline", "openai", "azure_openai"],
)
def test_no_client_runs_tools_in_process(settings: ModelSettings) -> None:
    """Tool calls are durable steps of the orchestrator: every client has its function loop off."""
    assert create_chat_client(settings).function_invocation_configuration["enabled"] is False


def test_structured_agents_ask_for_their_schema() -> None:
    agent = build_agent(get_agent_spec("triage"), create_chat_client(ModelSettings()))
    assert agent.default_options["response_format"].__name__ == "TriageDecision"


PROVIDERS = [
    ModelSettings(api=api, **provider)
    for api in ("chat_completions", "responses")
    for provider in (OPENAI, AZURE)
]


@pytest.mark.parametrize("settings", PROVIDERS, ids=lambda s: f"{s.provider}-{s.api}")
def test_the_sdk_does_not_retry_on_its_own(settings: ModelSettings) -> None:
    """agents/retry.py and the orchestrator own retrying; the SDK's would multiply them."""
    client = create_chat_client(settings)
    assert client.client.max_retries == 0
    assert type(client.client) is (AsyncAzureOpenAI if settings.provider == "azure_openai" else AsyncOpenAI)


@pytest.mark.parametrize("settings", PROVIDERS, ids=lambda s: f"{s.provider}-{s.api}")
def test_a_rate_limited_call_is_sent_once_with_its_credential(
    settings: ModelSettings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One 429 is one request (the SDK neither retries it nor sleeps its Retry-After), and the copy
    without retries still authenticates as configured: the key, or an Entra token for Azure."""
    token = AccessTokenInfo("entra-token", int(time.time()) + 3600)
    monkeypatch.setattr(DefaultAzureCredential, "get_token_info", AsyncMock(return_value=token))
    sent: list[httpx2.Request] = []

    def limited(request: httpx2.Request) -> httpx2.Response:
        sent.append(request)
        return httpx2.Response(429, json={"error": {"message": "slow down"}}, headers={"retry-after": "45"})

    client = create_chat_client(settings)
    client.client = client.client.with_options(
        http_client=httpx2.AsyncClient(transport=httpx2.MockTransport(limited))
    )
    agent = build_agent(get_agent_spec("assistant"), client)
    with pytest.raises(ChatClientException, match="429"):
        asyncio.run(asyncio.wait_for(agent.run("hi"), timeout=5))
    assert len(sent) == 1
    secret = "entra-token" if settings.provider == "azure_openai" else "sk-test"
    assert sent[0].headers["authorization"] == f"Bearer {secret}"
