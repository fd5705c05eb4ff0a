"""Which offline writer answers a request, and the reply it produces.

How the role is found (documented in docs and tested): the agent's instructions arrive in the
chat options, and the catalog declaration with exactly those instructions names the role.
Instructions that match no declaration (an agent you added without an offline writer) get the
assistant's writer, which still answers from the request and the knowledge base.
"""

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

from agents.catalog import spec_for_instructions
from agents.offline.chain_roles import write_draft, write_research, write_review
from agents.offline.conversation import Conversation
from agents.offline.conversation_roles import write_answer, write_chat_reply, write_conversation_summary
from agents.offline.panel_roles import write_analysis, write_specialist_answer, write_summary_of_specialists
from agents.offline.structured import structured_text
from agents.offline.tool_roles import ToolCall, plan_tool_calls, write_tool_answer

Writer = Callable[[Conversation], str]

TEXT_WRITERS: dict[str, Writer] = {
    "assistant": write_answer,
    "researcher": write_research,
    "writer": write_draft,
    "reviewer": write_review,
    "market_analyst": partial(write_analysis, "market_analyst"),
    "tech_analyst": partial(write_analysis, "tech_analyst"),
    "risk_analyst": partial(write_analysis, "risk_analyst"),
    "aggregator": write_summary_of_specialists,
    "billing_specialist": partial(write_specialist_answer, "billing_specialist"),
    "technical_specialist": partial(write_specialist_answer, "technical_specialist"),
    "general_specialist": partial(write_specialist_answer, "general_specialist"),
    "tool_agent": write_tool_answer,
    "chat": write_chat_reply,
    "summariser": write_conversation_summary,
}


@dataclass(frozen=True)
class Reply:
    """What the offline model says: text, or tool calls to run first."""

    text: str
    tool_calls: tuple[ToolCall, ...] = ()


def role_for(instructions: str | None) -> str:
    """The catalog agent whose instructions these are; `assistant` when none matches."""
    spec = spec_for_instructions(instructions)
    return spec.name if spec is not None else "assistant"


def compose_reply(conversation: Conversation, response_format: Any = None) -> Reply:
    """Tool calls when the request needs tools, else the role's text (JSON when a schema is asked for)."""
    calls = plan_tool_calls(conversation)
    if calls:
        return Reply("", tuple(calls))
    role = role_for(conversation.instructions)
    if response_format is not None:
        return Reply(structured_text(role, conversation, response_format))
    if conversation.tool_outcomes:
        return Reply(write_tool_answer(conversation))
    return Reply(TEXT_WRITERS.get(role, write_answer)(conversation))
