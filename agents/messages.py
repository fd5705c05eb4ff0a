"""Contract messages (plain JSON in orchestrations) ⇄ agent_framework `Message` / `Content`.

The contract (docs/contracts.md):
    {"role": "system" | "user" | "assistant", "text": "..."}
    {"role": "assistant", "text": "", "tool_calls": [{"call_id", "name", "arguments"}]}
    {"role": "tool", "call_id": "c1", "name": "calculator", "result": <any JSON>}
A malformed message is a permanent error naming its index and field: retrying cannot fix it.
"""

import json
from typing import Any

from agents.errors import PermanentModelError

ROLES = ("system", "user", "assistant", "tool")


def request_messages(payload: dict[str, Any]) -> list[dict[str, Any]]:
    """The contract messages of a `run_agent` payload (`prompt` is shorthand for one user message)."""
    messages = payload.get("messages")
    prompt = payload.get("prompt")
    if messages is None:
        if not isinstance(prompt, str) or not prompt.strip():
            raise PermanentModelError("run_agent payload needs a non-empty 'prompt' or a 'messages' list")
        return [{"role": "user", "text": prompt}]
    if not isinstance(messages, list) or not messages:
        raise PermanentModelError("run_agent payload field 'messages' must be a non-empty list")
    return messages


def to_framework_messages(messages: list[dict[str, Any]]) -> list[Any]:
    """agent_framework messages for the contract messages, validating each one."""
    from agent_framework import Content, Message

    converted = []
    for index, message in enumerate(messages):
        role = _field(message, index, "role", str)
        if role not in ROLES:
            raise PermanentModelError(
                f"messages[{index}].role must be one of {', '.join(ROLES)} (got {role!r})"
            )
        if role == "tool":
            call_id = _field(message, index, "call_id", str)
            contents = [Content.from_function_result(call_id, result=message.get("result"))]
        else:
            text = message.get("text") or ""
            if not isinstance(text, str):
                raise PermanentModelError(f"messages[{index}].text must be a string")
            contents = [Content.from_text(text)] if text else []
            contents += [_function_call(call, index) for call in message.get("tool_calls") or []]
        if not contents:
            raise PermanentModelError(f"messages[{index}] has no text and no tool_calls")
        converted.append(Message(role, contents))
    return converted


def _function_call(call: Any, index: int) -> Any:
    from agent_framework import Content

    where = f"messages[{index}].tool_calls"
    if (
        not isinstance(call, dict)
        or not isinstance(call.get("call_id"), str)
        or not isinstance(call.get("name"), str)
    ):
        raise PermanentModelError(f"{where} entries need string 'call_id' and 'name'")
    # On the wire `arguments` is a JSON string in both APIs: the Responses client sends what it gets
    # (an object there is a 400), the Chat Completions client passes a string through unchanged.
    arguments = call.get("arguments") or {}
    if not isinstance(arguments, str):
        arguments = json.dumps(arguments)
    return Content.from_function_call(call["call_id"], call["name"], arguments=arguments)


def _field(message: Any, index: int, name: str, kind: type) -> Any:
    if not isinstance(message, dict):
        raise PermanentModelError(f"messages[{index}] must be an object")
    value = message.get(name)
    if not isinstance(value, kind) or not value:
        raise PermanentModelError(f"messages[{index}].{name} is required")
    return value


def tool_calls_of(response: Any) -> list[dict[str, Any]]:
    """The tool calls the model asked for, as contract dicts (`arguments` always a dict)."""
    calls = []
    for message in response.messages:
        for content in message.contents:
            if content.type == "function_call" and content.name:
                arguments = content.parse_arguments() or {}
                calls.append({"call_id": content.call_id or "", "name": content.name, "arguments": arguments})
    return calls
