"""The embedded host's MCP test app: every way the Python programming model declares MCP functions.

Tools here cover the return conversions (plain text, `@func.mcp_content` objects, `mcp.types` blocks and
`CallToolResult`, failures), typed and optional properties, the raw trigger forms whose `context`
argument is the extension's JSON, and a tool that starts an orchestration through a durable client.
The notebook (notes_bp.py) adds blob bindings, prompts and resources.
"""

import itertools
import json
from collections.abc import Generator
from dataclasses import dataclass
from typing import Any

import azure.durable_functions as df
import azure.functions as func
from mcp.types import CallToolResult, TextContent
from notes_bp import bp as notes_bp

app = df.DFApp(http_auth_level=func.AuthLevel.ANONYMOUS)
app.register_functions(notes_bp)


@app.mcp_tool()
def greet() -> str:
    """Say hello."""
    return "Hello from the notebook"


@app.mcp_tool()
@app.mcp_tool_property(arg_name="times", description="How often to repeat the word.")
def repeat(word: str, times: int, separator: str = " ") -> str:
    """Repeat a word."""
    return separator.join([word] * times)


@app.mcp_tool()
def total(amounts: list[float], label: str | None = None) -> str:
    """Add up amounts; the label is optional."""
    return f"{label or 'total'}: {sum(amounts)}"


@func.mcp_content
@dataclass
class Measurement:
    """A structured result: clients get it as text and as structured content."""

    word: str
    letters: int


@app.mcp_tool()
def measure(word: str) -> Measurement:
    """Count a word's letters."""
    return Measurement(word=word, letters=len(word))


# mcp 2.x defines its types in `mcp_types`; azure-functions 1.26.0 recognises them by the module name
# `mcp.types`, so `use_result_schema` must be spelled out, and its serialisation (model_dump without
# aliases) writes `is_error`/`structured_content`, which the extension does not read: a CallToolResult
# keeps its content blocks but loses isError and structuredContent, locally as in Azure.
@app.mcp_tool(use_result_schema=True)
def spell_out(word: str) -> CallToolResult:
    """One text block per letter (flagged as an error, which does not survive the worker)."""
    return CallToolResult(content=[TextContent(type="text", text=letter) for letter in word], isError=True)


@app.mcp_tool_trigger(
    arg_name="context",
    tool_name="check_spelling",
    description="Flag words with a doubled letter.",
    tool_properties=json.dumps(
        [{"propertyName": "word", "propertyType": "string", "description": "A word.", "isRequired": True}]
    ),
    use_result_schema=True,
)
def check_spelling(context: str) -> str:
    """What keeps isError and structuredContent: the extension's own envelope, written by the function."""
    word = json.loads(context)["arguments"]["word"]
    doubled = any(a == b for a, b in itertools.pairwise(word))
    verdict = f"'{word}' has a doubled letter" if doubled else f"'{word}' looks fine"
    blocks = [TextContent(type="text", text=verdict)]
    result = CallToolResult(content=blocks, structuredContent={"doubled": doubled}, isError=doubled)
    content = result.model_dump_json(by_alias=True, exclude_none=True)
    return json.dumps({"type": "call_tool_result", "content": content})


@app.mcp_tool()
def describe(word: str) -> dict[str, Any]:
    """Without use_result_schema a dict comes back as Python's str() of it, as in Azure."""
    return {"word": word}


@app.mcp_tool()
def explode(reason: str) -> str:
    """Always fails; the client sees only the extension's generic message."""
    raise RuntimeError(f"secret detail: {reason}")


@app.mcp_tool_trigger(
    arg_name="context",
    tool_name="echo_context",
    description="Return the invocation context the tool received.",
    tool_properties=json.dumps(
        [{"propertyName": "text", "propertyType": "string", "description": "Anything.", "isRequired": True}]
    ),
)
def echo_context(context: str) -> str:
    """The raw trigger form: `context` is the extension's JSON text, returned unchanged."""
    return context


@app.generic_trigger(
    arg_name="context",
    type="mcpToolTrigger",
    toolName="shout",
    description="Upper-case a text.",
    toolProperties=json.dumps(
        [{"propertyName": "text", "propertyType": "string", "description": "Words.", "isRequired": True}]
    ),
    metadata=json.dumps({"ui": {"color": "red"}}),
)
def shout(context: str) -> str:
    """The generic form of the same trigger."""
    return json.loads(context)["arguments"]["text"].upper() + "!"


@app.mcp_tool()
@app.durable_client_input(client_name="client")
async def start_countdown(client: df.DurableOrchestrationClient, start: int) -> str:
    """Start a countdown orchestration and return its instance id."""
    return await client.start_new("countdown", client_input=start)


@app.orchestration_trigger(context_name="context")
def countdown(context: df.DurableOrchestrationContext) -> Generator[Any, Any, list[int]]:
    """Count down from the input to one, one activity per step."""
    steps = []
    for value in range(int(context.get_input()), 0, -1):
        steps.append((yield context.call_activity("tick", value)))
    return steps


@app.activity_trigger(input_name="value")
def tick(value: int) -> int:
    return value
