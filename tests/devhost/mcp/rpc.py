"""A plain JSON-RPC client for the MCP endpoint (httpx), reading the one SSE event each request gets."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import httpx

MCP_PATH = "/runtime/webhooks/mcp"
ACCEPT = "application/json, text/event-stream"


@dataclass
class Reply:
    """The HTTP response and, for a request, the JSON-RPC message in its SSE body."""

    response: httpx.Response
    message: dict[str, Any] | None

    @property
    def result(self) -> dict[str, Any]:
        assert self.message is not None and "result" in self.message, self.message
        return dict(self.message["result"])

    @property
    def error(self) -> dict[str, Any]:
        assert self.message is not None and "error" in self.message, self.message
        return dict(self.message["error"])


def sse_message(response: httpx.Response) -> dict[str, Any]:
    """The single `message` event of a reply: `event: message` then one `data:` line."""
    lines = response.text.strip().splitlines()
    assert lines[0] == "event: message" and lines[1].startswith("data: "), response.text
    return dict(json.loads(lines[1][len("data: ") :]))


class McpRpc:
    """Sends one JSON-RPC message per POST with the headers a streamable HTTP client sends."""

    def __init__(self, http: httpx.Client) -> None:
        self.http = http
        self.next_id = 0

    def post(self, body: Any, *, session: str | None = None, accept: str = ACCEPT) -> httpx.Response:
        headers = {"Accept": accept, "Content-Type": "application/json"}
        if session is not None:
            headers["Mcp-Session-Id"] = session
        content = body if isinstance(body, bytes) else json.dumps(body).encode()
        return self.http.post(MCP_PATH, content=content, headers=headers)

    def request(
        self, method: str, params: dict[str, Any] | None = None, *, session: str | None = None
    ) -> Reply:
        self.next_id += 1
        message: dict[str, Any] = {"jsonrpc": "2.0", "id": self.next_id, "method": method}
        if params is not None:
            message["params"] = params
        response = self.post(message, session=session)
        assert response.status_code == 200, response.text
        assert response.headers["content-type"].startswith("text/event-stream")
        reply = sse_message(response)
        assert reply["id"] == self.next_id
        return Reply(response, reply)

    def call(self, tool: str, arguments: dict[str, Any] | None = None, **options: Any) -> dict[str, Any]:
        """tools/call's result (the CallToolResult)."""
        params: dict[str, Any] = {"name": tool}
        if arguments is not None:
            params["arguments"] = arguments
        return self.request("tools/call", params, **options).result

    def text(self, tool: str, arguments: dict[str, Any] | None = None) -> str:
        """The text of a tool's single text block."""
        result = self.call(tool, arguments)
        assert [block["type"] for block in result["content"]] == ["text"], result
        return str(result["content"][0]["text"])
