"""The official `mcp` Python client (streamable HTTP) against the embedded host, as an assistant would use it.

In its default mode the client first probes `server/discover` (MCP 2026-07-28); the host, like the
extension, does not know that method, so the client falls back to the `initialize` handshake. Both the
default and the legacy mode are exercised.
"""

import asyncio
import json
from collections.abc import Awaitable, Callable
from typing import Any, Literal, TypeVar

import pytest
from mcp import Client
from mcp.shared.exceptions import MCPError
from mcp.types import TextContent

from devhost.testing import DevHost
from tests.devhost.mcp.rpc import MCP_PATH

T = TypeVar("T")
Mode = Literal["auto", "legacy"]


def with_client(host: DevHost, mode: Mode, use: Callable[[Client], Awaitable[T]]) -> T:
    """Connect a client to the host's MCP endpoint, run `use`, disconnect."""

    async def run() -> T:
        async with Client(f"{host.base_url}{MCP_PATH}", mode=mode, read_timeout_seconds=30) as client:
            return await use(client)

    return asyncio.run(run())


def texts(content: list[Any]) -> list[str]:
    return [block.text for block in content if isinstance(block, TextContent)]


@pytest.mark.parametrize("mode", ["auto", "legacy"])
def test_client_connects_and_sees_the_server(host: DevHost, mode: Mode) -> None:
    async def use(client: Client) -> tuple[str, str | None, str | None]:
        info = client.server_info
        return client.protocol_version, info.name if info else None, client.instructions

    version, name, instructions = with_client(host, mode, use)

    assert version == "2025-06-18"
    assert name == "notebook"
    assert instructions == "Keep short notes; tools save and read them."


def test_client_lists_tools_with_their_schemas(host: DevHost) -> None:
    async def use(client: Client) -> dict[str, dict[str, Any]]:
        listed = await client.list_tools()
        return {tool.name: tool.input_schema for tool in listed.tools}

    schemas = with_client(host, "auto", use)

    assert schemas["save_note"]["required"] == ["title", "text"]
    assert schemas["total"]["properties"]["amounts"] == {
        "type": "array",
        "items": {"type": "number"},
        "description": "",
    }


def test_client_saves_and_reads_a_note(host: DevHost) -> None:
    async def use(client: Client) -> tuple[list[str], list[str]]:
        saved = await client.call_tool("save_note", {"title": "client", "text": "written by the SDK"})
        read = await client.call_tool("read_note", {"title": "client"})
        return texts(saved.content), texts(read.content)

    saved, read = with_client(host, "auto", use)

    assert saved == ["Saved 'client'"]
    assert read == ["written by the SDK"]


def test_client_gets_structured_content_and_error_results(host: DevHost) -> None:
    async def use(client: Client) -> tuple[Any, Any, Any]:
        measured = await client.call_tool("measure", {"word": "otter"})
        checked = await client.call_tool("check_spelling", {"word": "otter"})
        failed = await client.call_tool("explode", {"reason": "x"})
        return measured, checked, failed

    measured, checked, failed = with_client(host, "auto", use)

    assert measured.structured_content == {"word": "otter", "letters": 5}
    assert (checked.is_error, checked.structured_content) == (True, {"doubled": True})
    assert failed.is_error is True
    assert texts(failed.content) == ["An error occurred invoking 'explode'."]


def test_client_sees_a_missing_argument_as_an_invalid_params_error(host: DevHost) -> None:
    async def use(client: Client) -> MCPError:
        with pytest.raises(MCPError) as raised:
            await client.call_tool("save_note", {"title": "only a title"})
        return raised.value

    error = with_client(host, "auto", use)

    assert error.error.code == -32602
    assert "Please provide: text" in error.error.message


def test_client_reads_prompts_and_resources(host: DevHost) -> None:
    async def use(client: Client) -> tuple[Any, Any, Any]:
        prompts = await client.list_prompts()
        prompt = await client.get_prompt("summarise_note", {"title": "plans", "style": "bullet"})
        readme = await client.read_resource("notes://readme")
        return prompts, prompt, readme

    prompts, prompt, readme = with_client(host, "auto", use)

    assert [p.name for p in prompts.prompts] == ["summarise_note"]
    assert prompt.messages[0].role == "user"
    assert prompt.messages[0].content.text == "Summarise the note 'plans' as bullet."
    assert readme.contents[0].text.startswith("# Notebook")


def test_client_passes_its_session_id_to_tools(host: DevHost) -> None:
    async def use(client: Client) -> dict[str, Any]:
        result = await client.call_tool("echo_context", {"text": "who am i"})
        return dict(json.loads(texts(result.content)[0]))

    context = with_client(host, "legacy", use)

    assert context["sessionid"].count("|") == 1
    assert context["transport"]["sessionId"] == context["sessionid"]
