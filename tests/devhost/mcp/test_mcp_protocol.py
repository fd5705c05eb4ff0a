"""The endpoint's protocol, spoken by a plain JSON-RPC client: what the MCP extension answers, we answer.

HTTP rules (405, 406, 400, 202), SSE framing, `initialize` and its version negotiation, the session
header, and the error codes and wording for unknown names, missing arguments and unknown methods.
"""

import re

import pytest

from devhost.testing import DevHost
from tests.devhost.mcp.rpc import MCP_PATH, McpRpc, sse_message

EXTENSION_VERSIONS = ["2024-11-05", "2025-03-26", "2025-06-18"]
SESSION_ID = re.compile(r"[a-z0-9]{16}\|[a-z0-9]{16}")


@pytest.mark.parametrize("version", EXTENSION_VERSIONS)
def test_initialize_echoes_a_version_the_extension_supports(rpc: McpRpc, version: str) -> None:
    reply = rpc.request("initialize", {"protocolVersion": version, "capabilities": {}})

    assert reply.result["protocolVersion"] == version


@pytest.mark.parametrize("version", ["2026-07-28", "1999-01-01", None])
def test_initialize_answers_other_versions_with_the_newest_it_speaks(
    rpc: McpRpc, version: str | None
) -> None:
    reply = rpc.request("initialize", {"protocolVersion": version, "capabilities": {}})

    assert reply.result["protocolVersion"] == EXTENSION_VERSIONS[-1]


def test_initialize_reports_host_json_server_info_and_the_extension_capabilities(rpc: McpRpc) -> None:
    result = rpc.request("initialize", {"protocolVersion": "2025-06-18", "capabilities": {}}).result

    assert result["serverInfo"] == {"name": "notebook", "version": "2.1.0"}
    assert result["instructions"] == "Keep short notes; tools save and read them."
    assert result["capabilities"] == {"logging": {}, "prompts": {}, "resources": {}, "tools": {}}


def test_initialize_hands_out_a_session_id_only_to_a_client_without_one(rpc: McpRpc) -> None:
    fresh = rpc.request("initialize", {"protocolVersion": "2025-06-18", "capabilities": {}})
    again = rpc.request("initialize", {"protocolVersion": "2025-06-18"}, session="abc|def")
    other = rpc.request("initialize", {"protocolVersion": "2025-06-18"})

    first, second = (reply.response.headers["Mcp-Session-Id"] for reply in (fresh, other))
    assert SESSION_ID.fullmatch(first) and SESSION_ID.fullmatch(second)
    assert first.split("|")[0] != second.split("|")[0]
    assert first.split("|")[1] == second.split("|")[1]  # the host instance's half
    assert "Mcp-Session-Id" not in again.response.headers


def test_requests_are_served_with_or_without_a_session(rpc: McpRpc) -> None:
    assert rpc.request("ping").result == {}
    assert rpc.request("ping", session="never|issued").result == {}


def test_a_malformed_session_id_is_400_invalid_client_state(rpc: McpRpc) -> None:
    response = rpc.post({"jsonrpc": "2.0", "id": 1, "method": "ping"}, session="no-separator")

    assert response.status_code == 400
    assert response.json()["error"] == {"code": -32000, "message": "Invalid client state."}


def test_replies_are_one_sse_message_event(rpc: McpRpc) -> None:
    response = rpc.post({"jsonrpc": "2.0", "id": "abc", "method": "ping"})

    assert response.headers["content-type"].startswith("text/event-stream")
    assert response.headers["cache-control"] == "no-cache,no-store"
    assert response.text.startswith("event: message\ndata: ")
    assert sse_message(response) == {"jsonrpc": "2.0", "id": "abc", "result": {}}


@pytest.mark.parametrize(
    "message",
    [
        {"jsonrpc": "2.0", "method": "notifications/initialized"},
        {"jsonrpc": "2.0", "method": "notifications/cancelled", "params": {"requestId": 3}},
        {"jsonrpc": "2.0", "id": 7, "result": {}},
    ],
)
def test_notifications_and_client_responses_get_202_without_body(
    rpc: McpRpc, message: dict[str, object]
) -> None:
    response = rpc.post(message)

    assert (response.status_code, response.content) == (202, b"")


def test_get_is_a_clear_405(host: DevHost) -> None:
    response = host.get(MCP_PATH, headers={"Accept": "text/event-stream"})

    assert response.status_code == 405
    assert response.headers["Allow"] == "POST"
    assert response.json()["error"]["code"] == -32000
    assert "no server-to-client stream" in response.json()["error"]["message"]


def test_the_legacy_sse_endpoint_is_not_served(host: DevHost) -> None:
    response = host.get(f"{MCP_PATH}/sse")

    assert response.status_code == 404
    assert "POST /runtime/webhooks/mcp" in response.json()["error"]["message"]


@pytest.mark.parametrize("accept", ["application/json", "text/event-stream", "*/*", ""])
def test_a_client_that_does_not_accept_json_and_sse_gets_406(rpc: McpRpc, accept: str) -> None:
    response = rpc.post({"jsonrpc": "2.0", "id": 1, "method": "ping"}, accept=accept)

    assert response.status_code == 406
    assert response.json()["error"] == {
        "code": -32000,
        "message": "Not Acceptable: Client must accept both application/json and text/event-stream",
    }


@pytest.mark.parametrize("body", [b"", b"null"])
def test_an_empty_body_is_400(rpc: McpRpc, body: bytes) -> None:
    response = rpc.post(body)

    assert response.status_code == 400
    assert response.json()["error"]["code"] == -32000
    assert response.json()["error"]["message"].startswith("Bad Request: The POST body did not contain")


@pytest.mark.parametrize(
    ("body", "code"),
    [
        (b"{not json", -32700),
        (b"[" * 100_000 + b"]" * 100_000, -32700),
        (b'[{"jsonrpc": "2.0", "id": 1, "method": "ping"}]', -32600),
        (b'{"id": 1, "method": "ping"}', -32600),
        (b'{"jsonrpc": "2.0", "id": 1, "method": 5}', -32600),
        (b'{"jsonrpc": "2.0", "id": 1, "method": "ping", "params": [1]}', -32602),
    ],
)
def test_bodies_that_are_not_one_json_rpc_message_are_400_with_a_json_rpc_error(
    rpc: McpRpc, body: bytes, code: int
) -> None:
    response = rpc.post(body)

    assert response.status_code == 400
    assert response.json()["error"]["code"] == code


def test_unknown_method_is_method_not_found(rpc: McpRpc) -> None:
    assert rpc.request("server/discover").error == {
        "code": -32601,
        "message": "Method 'server/discover' is not available.",
    }


def test_set_level_is_acknowledged_and_checks_the_level(rpc: McpRpc) -> None:
    assert rpc.request("logging/setLevel", {"level": "warning"}).result == {}
    assert rpc.request("logging/setLevel", {"level": "loud"}).error["code"] == -32602


def test_unknown_tool_prompt_and_resource_are_invalid_params(rpc: McpRpc) -> None:
    assert rpc.request("tools/call", {"name": "nope"}).error == {
        "code": -32602,
        "message": "Unknown tool: 'nope'",
    }
    assert rpc.request("prompts/get", {"name": "nope"}).error == {
        "code": -32602,
        "message": "Unknown prompt: 'nope'",
    }
    assert rpc.request("resources/read", {"uri": "notes://nope/x/y"}).error == {
        "code": -32602,
        "message": "Unknown resource: 'notes://nope/x/y'",
    }


@pytest.mark.parametrize(
    ("arguments", "missing"),
    [
        (None, "title, text"),
        ({}, "title, text"),
        ({"title": "x"}, "text"),
        ({"title": None, "text": "y"}, "title"),
    ],
)
def test_missing_required_properties_are_named_in_the_extensions_words(
    rpc: McpRpc, arguments: dict[str, object] | None, missing: str
) -> None:
    params: dict[str, object] = {"name": "save_note"}
    if arguments is not None:
        params["arguments"] = arguments

    assert rpc.request("tools/call", params).error == {
        "code": -32602,
        "message": f"One or more required tool properties are missing values. Please provide: {missing}",
    }


def test_an_empty_string_counts_as_a_value(rpc: McpRpc) -> None:
    assert rpc.text("repeat", {"word": "", "times": 2}) == " "


def test_tool_names_compare_case_insensitively(rpc: McpRpc) -> None:
    assert rpc.text("GREET") == "Hello from the notebook"


def test_missing_required_prompt_arguments_are_invalid_params(rpc: McpRpc) -> None:
    assert rpc.request("prompts/get", {"name": "summarise_note", "arguments": {"style": "bullet"}}).error == {
        "code": -32602,
        "message": "One or more required prompt arguments are missing values. Please provide: title",
    }


def test_accept_header_with_parameters_and_other_types_is_fine(rpc: McpRpc) -> None:
    accept = "text/html, application/json;q=0.9, text/event-stream;q=0.8"
    response = rpc.post({"jsonrpc": "2.0", "id": 1, "method": "ping"}, accept=accept)

    assert response.status_code == 200
