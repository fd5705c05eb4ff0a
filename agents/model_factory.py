"""The one function that picks the chat client for the configured provider.

- `offline` (default): our deterministic client, no network, no keys.
- `azure_openai`: agent-framework-openai's client against `AZURE_OPENAI_ENDPOINT` with the
  deployment `AZURE_OPENAI_MODEL`, authenticated by `DefaultAzureCredential` (the user-assigned
  managed identity named by `AZURE_CLIENT_ID` in Azure, `az login` locally). No keys.
- `openai`: the same clients against any OpenAI-compatible endpoint (`OPENAI_BASE_URL`,
  `OPENAI_API_KEY`, `OPENAI_MODEL`).

`AGENT_MODEL_API` picks the wire API: `chat_completions` → `OpenAIChatCompletionClient` (every
compatible server has it), `responses` → `OpenAIChatClient` (the Responses API).

Every client has agent-framework's function-invocation loop switched off (its documented master
switch): tools reach the model as declarations only and each call the model asks for runs as its
own durable `run_tool` step (`agents/build.py`), so the loop would never run a function. Left on,
it still re-assembles every streamed reply once more, an O(tokens) cost after the last token.

Every client has the openai SDK's own retries switched off (`max_retries=0`; agent-framework's
clients take no such argument, so the SDK client they built is copied `with_options`). Retrying is
`agents/retry.py`'s job in the activity and the orchestrator's on durable timers; left on, the SDK
multiplied them (3 × 3 × 4 requests for one step under a persistent 429) and slept a long
Retry-After inside the activity until `AGENT_MODEL_TIMEOUT_S` cut it, hiding the 429.

Imports happen inside the function: openai and azure.identity cost most of a second, and the
Functions host must answer within two seconds of launch.
"""

from typing import TYPE_CHECKING, Any

from agents.settings import ModelSettings

if TYPE_CHECKING:
    from agent_framework import FunctionInvocationConfiguration

# The orchestrator runs tool calls as durable steps: no client runs them in-process.
NO_FUNCTION_LOOP: "FunctionInvocationConfiguration" = {"enabled": False}


def create_chat_client(settings: ModelSettings) -> Any:
    """A new chat client for `settings` (callers cache it; see `agents/build.py`)."""
    if settings.provider == "offline":
        from agents.offline.client import OfflineChatClient

        return OfflineChatClient(
            delay_ms=settings.offline_delay_ms, function_invocation_configuration=NO_FUNCTION_LOOP
        )
    client = _provider_client(settings)
    client.client = client.client.with_options(max_retries=0)
    return client


def _provider_client(settings: ModelSettings) -> Any:
    """agent-framework's client for the configured provider and wire API."""
    client_class = _client_class(settings.api)
    if settings.provider == "azure_openai":
        from azure.identity.aio import DefaultAzureCredential

        credential = DefaultAzureCredential(managed_identity_client_id=settings.azure_client_id or None)
        return client_class(
            model=settings.azure_model,
            azure_endpoint=settings.azure_endpoint,
            credential=credential,
            function_invocation_configuration=NO_FUNCTION_LOOP,
        )
    return client_class(
        model=settings.openai_model,
        api_key=settings.openai_api_key,
        base_url=settings.openai_base_url or None,
        function_invocation_configuration=NO_FUNCTION_LOOP,
    )


def _client_class(api: str) -> type:
    if api == "responses":
        from agent_framework_openai import OpenAIChatClient

        return OpenAIChatClient
    from agent_framework_openai import OpenAIChatCompletionClient

    return OpenAIChatCompletionClient
