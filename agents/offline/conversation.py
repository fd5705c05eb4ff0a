"""A plain view of what the offline model was sent: turns, tool results, tools on offer.

Role writers read this instead of agent_framework `Message`/`Content` objects, so they stay
simple functions of text that are easy to test.
"""

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from agents.offline.text import word_count


@dataclass(frozen=True)
class Turn:
    """One message's text: role is system, user or assistant."""

    role: str
    text: str


@dataclass(frozen=True)
class ToolOutcome:
    """A tool result the conversation carries (`result` parsed from JSON when it is JSON)."""

    call_id: str
    name: str
    result: Any


@dataclass(frozen=True)
class Conversation:
    """The request as the offline model sees it."""

    instructions: str | None
    turns: tuple[Turn, ...]
    tool_outcomes: tuple[ToolOutcome, ...]  # results that arrived after the last user turn
    tool_calls_so_far: int  # every tool call in the conversation, to number new ones uniquely
    available_tools: tuple[str, ...]
    input_words: int
    tool_schemas: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)  # arguments, by tool

    @property
    def user_turns(self) -> list[str]:
        """The user's messages, oldest first."""
        return [turn.text for turn in self.turns if turn.role == "user"]

    @property
    def last_user(self) -> str:
        """The message being answered ("" when there is none)."""
        users = self.user_turns
        return users[-1] if users else ""

    @property
    def system_notes(self) -> list[str]:
        """System messages in the conversation (a summary of older turns, say)."""
        return [turn.text for turn in self.turns if turn.role == "system"]

    @property
    def all_text(self) -> str:
        """Every user and system text, in order: the material a writer works from."""
        return "\n\n".join(turn.text for turn in self.turns if turn.role != "assistant")


def read_conversation(messages: Sequence[Any], options: Mapping[str, Any]) -> Conversation:
    """Build the view from agent_framework messages and chat options."""
    turns: list[Turn] = []
    outcomes: list[ToolOutcome] = []
    call_names: dict[str, str] = {}
    words = word_count(options.get("instructions") or "")
    for message in messages:
        role = str(message.role)
        if role == "user":
            outcomes.clear()  # only results after the last user turn answer the current request
        for content in message.contents:
            if content.type == "text" and content.text:
                turns.append(Turn(role, content.text))
                words += word_count(content.text)
            elif content.type == "function_call" and content.call_id:
                call_names[content.call_id] = content.name or ""
            elif content.type == "function_result" and content.call_id:
                result = _parse(content.result)
                outcomes.append(ToolOutcome(content.call_id, call_names.get(content.call_id, ""), result))
                words += word_count(json.dumps(result, default=str))
    return Conversation(
        instructions=options.get("instructions"),
        turns=tuple(turns),
        tool_outcomes=tuple(outcomes),
        tool_calls_so_far=len(call_names),
        available_tools=_tool_names(options),
        input_words=words,
        tool_schemas=_tool_schemas(options),
    )


def _tool_names(options: Mapping[str, Any]) -> tuple[str, ...]:
    if options.get("tool_choice") == "none":
        return ()
    return tuple(name for tool in options.get("tools") or () if (name := getattr(tool, "name", None)))


def _tool_schemas(options: Mapping[str, Any]) -> dict[str, Mapping[str, Any]]:
    """Each offered tool's argument schema, as its declaration gives it to the model."""
    if options.get("tool_choice") == "none":
        return {}
    return {
        tool.name: tool.parameters()
        for tool in options.get("tools") or ()
        if getattr(tool, "name", None) and callable(getattr(tool, "parameters", None))
    }


def _parse(result: Any) -> Any:
    if not isinstance(result, str):
        return result
    try:
        return json.loads(result)
    except ValueError:
        return result
