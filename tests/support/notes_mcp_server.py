"""A small MCP server for tests, built with the `mcp` package: notes, a word counter, failing tools.

`always_fails` fails as a tool (an `isError` result); `needs_question` refuses as a protocol error
(JSON-RPC -32602, what the Azure Functions MCP extension sends for a missing required property);
`run_status` answers a document with `"error": null`, a success that must not read as a failure.

`python -m tests.support.notes_mcp_server --port N --journal FILE [--slow-s S]` serves streamable
HTTP on 127.0.0.1:N/mcp. Every `tools/list` and `tools/call` it serves is appended to the journal as
one JSON line (`{"method", "tool", "arguments", "meta", "authorization"}`), so a test can count how
often a call reached the server and see the `_meta` and the `Authorization` header it carried.
`--slow-s` makes `add_note` take that long after journalling (a call in flight).
"""

import argparse
import json
import time
from pathlib import Path
from typing import Any

from mcp.server.mcpserver import Context, MCPServer
from mcp.shared.exceptions import MCPError
from mcp.types import INVALID_PARAMS


def build_server(journal: Path, slow_s: float) -> MCPServer:
    """The server and its tools; each call is journalled before it runs."""
    server = MCPServer("notes")

    def record(method: str, ctx: Context | None, tool: str = "", arguments: Any = None) -> None:
        meta = ctx.request_context.meta if ctx is not None else None
        headers = ctx.headers if ctx is not None else None
        entry = {
            "method": method,
            "tool": tool,
            "arguments": arguments,
            "meta": dict(meta) if meta else None,
            "authorization": headers.get("authorization") if headers else None,
        }
        with journal.open("a", encoding="utf-8") as out:
            out.write(json.dumps(entry) + "\n")

    @server.tool()
    def add_note(text: str, ctx: Context) -> dict[str, Any]:
        """Save a note and return it with its number."""
        record("tools/call", ctx, "add_note", {"text": text})
        time.sleep(slow_s)
        notes = sum(1 for line in journal.read_text().splitlines() if '"add_note"' in line)
        return {"note": notes, "text": text}

    @server.tool()
    def count_words(text: str, ctx: Context) -> int:
        """Count the words in a text."""
        record("tools/call", ctx, "count_words", {"text": text})
        return len(text.split())

    @server.tool()
    def always_fails(reason: str, ctx: Context) -> str:
        """A tool that reports an error (for tests of tool errors)."""
        record("tools/call", ctx, "always_fails", {"reason": reason})
        raise ValueError(f"refused: {reason}")

    @server.tool()
    def needs_question(ctx: Context, question: str = "") -> str:
        """A tool that refuses its arguments with a JSON-RPC error (for tests of protocol errors)."""
        record("tools/call", ctx, "needs_question", {"question": question})
        raise MCPError(INVALID_PARAMS, "One or more required tool properties are missing values: question")

    @server.tool()
    def run_status(run_id: str, ctx: Context) -> dict[str, Any]:
        """A run's status document: a success that has an `error` key (null)."""
        record("tools/call", ctx, "run_status", {"run_id": run_id})
        return {"id": run_id, "status": "completed", "error": None}

    original_list = server.list_tools

    async def list_tools_journalled() -> Any:
        record("tools/list", None)
        return await original_list()

    server.list_tools = list_tools_journalled  # type: ignore[method-assign]
    return server


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--journal", type=Path, required=True)
    parser.add_argument("--slow-s", type=float, default=0.0)
    args = parser.parse_args()
    server = build_server(args.journal, args.slow_s)
    server.run("streamable-http", host="127.0.0.1", port=args.port, stateless_http=True, json_response=True)


if __name__ == "__main__":
    main()
