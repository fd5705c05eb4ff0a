"""What a failed model call tells its user: the setting to fix and its value, never a secret.

run_agent on the real OpenAI client built by the model factory, its HTTP answered by a script (or,
for a refused connection, by a port nobody listens on). The messages land in the run's document,
events and steps and in the logs, so a key a server echoes must not survive in them.
"""

import asyncio
import socket
import traceback
from collections.abc import Callable
from typing import Any

import httpx2
import pytest

import agents.model_factory
import agents.retry
from activities.run_agent import run_agent
from agents.errors import ModelError, PermanentModelError, TransientModelError
from agents.settings import ModelSettings

KEY = "sk-test-SECRET-0123456789"
SHOWN_URL = "https://models.example.com/v1"

Answer = Callable[[httpx2.Request], httpx2.Response]


@pytest.fixture
def settings(monkeypatch: pytest.MonkeyPatch) -> Callable[..., None]:
    """Configure the openai provider; with `answer`, its HTTP goes to that function instead."""
    monkeypatch.setattr(agents.retry, "IN_ACTIVITY", agents.retry.RetryPolicy(retries=2, base_delay_s=0.001))
    real_factory = agents.model_factory.create_chat_client

    def configure(base_url: str = SHOWN_URL, answer: Answer | None = None) -> None:
        env = {"AGENT_MODEL_PROVIDER": "openai", "OPENAI_BASE_URL": base_url, "OPENAI_MODEL": "gpt-test"}
        for name, value in {**env, "OPENAI_API_KEY": KEY}.items():
            monkeypatch.setenv(name, value)
        if answer is None:
            return

        def create(model_settings: ModelSettings) -> Any:
            client = real_factory(model_settings)
            transport = httpx2.MockTransport(answer)
            client.client = client.client.with_options(http_client=httpx2.AsyncClient(transport=transport))
            return client

        monkeypatch.setattr(agents.model_factory, "create_chat_client", create)

    return configure


def failure(kind: type[ModelError]) -> str:
    """Run an agent step that must fail with `kind`; its message, checked to hold no secret.

    The whole printed traceback is checked, causes included: a log shows all of it.
    """
    with pytest.raises(kind) as caught:
        asyncio.run(run_agent({"agent": "assistant", "prompt": "hi"}))
    printed = "".join(traceback.format_exception(caught.value))
    assert KEY not in printed
    return str(caught.value)


def answering(status: int, **reply: Any) -> Answer:
    return lambda request: httpx2.Response(status, request=request, **reply)


def test_a_refused_key_names_the_key_setting_and_the_endpoint_but_not_the_key(
    settings: Callable[..., None],
) -> None:
    echo = {"error": {"message": f"Incorrect API key provided: {KEY}", "code": "invalid_api_key"}}
    settings(base_url=SHOWN_URL, answer=answering(401, json=echo))
    message = failure(PermanentModelError)
    assert f"authentication failed (401) at the model endpoint {SHOWN_URL} (OPENAI_BASE_URL)" in message
    assert "check OPENAI_API_KEY: " in message and "Incorrect API key provided: [redacted]" in message


def test_an_echoed_authorization_header_is_redacted(settings: Callable[..., None]) -> None:
    """The SDK sends the key as a bearer token; a server may quote the header back."""

    def echo(request: httpx2.Request) -> httpx2.Response:
        said = f"upstream failed for a request with authorization: {request.headers['authorization']}"
        return httpx2.Response(500, json={"error": {"message": said, "type": "server_error"}})

    settings(answer=echo)
    message = failure(TransientModelError)
    assert "upstream failed for a request with authorization: Bearer [redacted]" in message


def test_an_unknown_model_names_the_model_and_its_setting(settings: Callable[..., None]) -> None:
    unknown = {"error": {"message": "The model `gpt-test` does not exist", "code": "model_not_found"}}
    settings(answer=answering(404, json=unknown))
    assert f"model 'gpt-test' (OPENAI_MODEL) not found (404) at the model endpoint {SHOWN_URL}" in failure(
        PermanentModelError
    )


def test_a_wrong_base_url_path_names_the_base_url_setting(settings: Callable[..., None]) -> None:
    settings(answer=answering(404, text="404 page not found"))
    message = failure(PermanentModelError)
    assert (
        f"the model endpoint {SHOWN_URL} (OPENAI_BASE_URL) has no such API (404 for /v1/chat/completions)"
        in (message)
    )
    assert "check OPENAI_BASE_URL" in message and "OPENAI_MODEL" not in message


def test_a_refused_connection_names_the_url_and_the_cause(settings: Callable[..., None]) -> None:
    with socket.socket() as probe:  # a port that was free a moment ago: nothing listens there
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings(base_url=f"http://127.0.0.1:{port}/v1")
    message = failure(TransientModelError)
    assert f"could not reach the model endpoint http://127.0.0.1:{port}/v1 (OPENAI_BASE_URL)" in message
    assert "ConnectionRefusedError" in message
