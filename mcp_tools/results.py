"""Tool results: `mcp.types.CallToolResult`s for runs, replies and refusals, and their wire form.

A tool returns the document the run API would return as `structuredContent` (so an assistant that
reads JSON gets exactly `GET /api/runs/{id}`) plus a short text for one that reads only text.
Refusals are results with `isError: true` carrying the REST edge's message: a model can read them
and correct its call, which a JSON-RPC error would hide from it.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from api.errors import ApiError, error_body
from api.models import RunDocument
from api.responses import to_jsonable

# Output fields that hold a workflow's main text, most telling first; other outputs show as JSON.
MAIN_TEXT_FIELDS = ("answer", "reply", "summary", "draft", "text", "review")
MAX_TEXT_CHARS = 4000
RESULT_TYPE = "call_tool_result"

if TYPE_CHECKING:
    from mcp.types import CallToolResult


def result(text: str, structured: BaseModel | dict[str, Any] | None = None) -> CallToolResult:
    """A successful result: the text and, when given, the JSON document."""
    # `mcp.types` costs ~0.5 s to import; the app's start-up should not pay it, the first call does.
    from mcp.types import CallToolResult, TextContent

    document = to_jsonable(structured) if structured is not None else None
    return CallToolResult(content=[TextContent(type="text", text=text)], structured_content=document)


def error_result(error: ApiError) -> CallToolResult:
    """A refusal as a tool result: `isError`, the message as text, the REST error body as JSON."""
    from mcp.types import CallToolResult, TextContent

    return CallToolResult(
        content=[TextContent(type="text", text=error.message)],
        structured_content=error_body(error.code, error.message),
        is_error=True,
    )


def run_result(document: RunDocument, waiting_for: str | None = None, note: str = "") -> CallToolResult:
    """A run's document with the text a person would want to read about it now.

    `waiting_for` names what the run waits for (e.g. a person's approval) and how to give it;
    `note` is put first (what the tool just did).
    """
    run = f"run {document.id} ({document.workflow})"
    if document.status == "Completed":
        text = main_text(document.output)
    elif document.status in ("Failed", "Terminated"):
        text = f"{run} {document.status}: {document.error}"
    elif waiting_for:
        text = f"{run} is waiting for {waiting_for}.{_last_step(document)}"
    else:
        text = (
            f"{run} is {document.status}{_position(document)}.{_last_step(document)} "
            f"Call get_run with run_id {document.id} for the result."
        )
    return result(f"{note}\n\n{text}" if note else text, document)


def main_text(output: Any) -> str:
    """The output's main text: a string output, its first main-text field, else its JSON."""
    if isinstance(output, str):
        return _clip(output)
    if isinstance(output, dict):
        for field in MAIN_TEXT_FIELDS:
            if isinstance(output.get(field), str) and output[field].strip():
                return _clip(output[field])
    return _clip(json.dumps(output, ensure_ascii=False))


def wire_form(tool_result: CallToolResult) -> str:
    """The string a function returns for a tool registered with `useResultSchema: true`.

    This is the envelope the Python worker's `mcp_tool()` wrapper builds and the extension's
    `ToolReturnValueBinder` reads: `{"type": "call_tool_result", "content": <the whole result as
    JSON text>, "structuredContent": <its structured content as JSON text>}`. Built here (camelCase
    by alias) rather than by the worker because the worker dumps `mcp` 2.x models by field name.
    """
    full = tool_result.model_dump(mode="json", by_alias=True, exclude_none=True)
    structured = full.get("structuredContent")
    return json.dumps(
        {
            "type": RESULT_TYPE,
            "content": json.dumps(full, ensure_ascii=False),
            "structuredContent": json.dumps(structured, ensure_ascii=False)
            if structured is not None
            else None,
        },
        ensure_ascii=False,
    )


def _position(document: RunDocument) -> str:
    progress = document.progress if isinstance(document.progress, dict) else {}
    if not progress.get("step"):
        return ""
    return f" at step {progress['step']} ({progress.get('index')}/{progress.get('of')})"


def _last_step(document: RunDocument) -> str:
    progress = document.progress if isinstance(document.progress, dict) else {}
    last = progress.get("last")
    return f"\n\n{_clip(str(last))}" if last else ""


def _clip(text: str) -> str:
    return text if len(text) <= MAX_TEXT_CHARS else text[: MAX_TEXT_CHARS - 1] + "…"
