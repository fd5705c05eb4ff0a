"""Every agent the workflows use, declared as data: name, instructions, tools, output schema.

Adding an agent means adding one `AgentSpec` here; `agents/build.py` turns it into an
`agent_framework.Agent` on demand. The names are the contract in docs/contracts.md.
"""

from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel, Field

from agents.errors import PermanentModelError
from agents.remote_tools.listing import McpToolset


class TriageDecision(BaseModel):
    """The triage agent's structured choice of specialist."""

    route: Literal["billing", "technical", "general"] = Field(description="which specialist answers")
    reason: str = Field(description="one sentence saying why")


class CriticVerdict(BaseModel):
    """The critic's structured judgement of a draft."""

    approved: bool = Field(description="true when the draft needs no further changes")
    feedback: str = Field(description="what to change, or why it is approved")


@dataclass(frozen=True)
class AgentSpec:
    """One agent: what it is told, which tools it may ask for and what shape its answer has.

    `mcp_tools` names tools of remote MCP servers (configured by settings, see
    `agents/remote_tools/settings.py`); they are offered beside `tools` once the server is configured.
    """

    name: str
    instructions: str
    tools: tuple[str, ...] = ()
    output: type[BaseModel] | None = None
    mcp_tools: tuple[McpToolset, ...] = ()


_ANALYST = (
    "Give your opinion on the topic in three or four sentences from your angle only, ending with "
    "one recommendation."
)
_SPECIALIST = "Answer the customer's question helpfully in a few sentences and say what happens next."

AGENTS: dict[str, AgentSpec] = {
    spec.name: spec
    for spec in (
        AgentSpec(
            "assistant",
            "You are a helpful assistant. Answer the question clearly and briefly, in a few sentences.",
        ),
        AgentSpec(
            "researcher",
            "You are a researcher. For the topic you are given, write short numbered notes with the "
            "background, the key facts and the open questions a writer needs.",
        ),
        AgentSpec(
            "writer",
            "You are a writer. Turn the topic and any research notes you are given into a clear draft of "
            "two or three short paragraphs. When you are given feedback on an earlier draft, revise it so "
            "that it addresses every point of that feedback.",
        ),
        AgentSpec(
            "reviewer",
            "You are an editor. Review the draft you are given: name its strengths, suggest concrete "
            "improvements and end with a one-line verdict.",
        ),
        AgentSpec("market_analyst", f"You are a market analyst. {_ANALYST}"),
        AgentSpec("tech_analyst", f"You are a technology analyst. {_ANALYST}"),
        AgentSpec("risk_analyst", f"You are a risk analyst. {_ANALYST}"),
        AgentSpec(
            "aggregator",
            "You combine the opinions of several specialists into one balanced summary. Cite every "
            "specialist by name, note where they agree and disagree, and end with a recommendation.",
        ),
        AgentSpec(
            "triage",
            "You route customer questions. Choose billing for invoices, charges, refunds and payments; "
            "technical for errors, outages, access and anything broken; general for everything else. "
            "Give the route and a one-sentence reason.",
            output=TriageDecision,
        ),
        AgentSpec("billing_specialist", f"You are a billing specialist. {_SPECIALIST}"),
        AgentSpec("technical_specialist", f"You are a technical support specialist. {_SPECIALIST}"),
        AgentSpec("general_specialist", f"You are a customer service generalist. {_SPECIALIST}"),
        AgentSpec(
            "critic",
            "You are a demanding critic. Approve the draft only if it gives at least one concrete example "
            "and ends with a clear next step for the reader; otherwise say exactly what to change.",
            output=CriticVerdict,
        ),
        AgentSpec(
            "tool_agent",
            "You answer requests with tools: calculator for arithmetic, lookup_knowledge for facts from the "
            "knowledge base, create_ticket to open a support ticket. Call every tool the request needs, "
            "several at once when it asks for several things, then answer using the tool results.",
            tools=("calculator", "lookup_knowledge", "create_ticket"),
            # Every tool of the MCP server set by MCP_SERVER_DEMO_URL, when that setting is there.
            mcp_tools=(McpToolset("demo"),),
        ),
        AgentSpec(
            "chat",
            "You are a friendly assistant in a multi-turn conversation. Use the earlier turns and any "
            "summary of them to stay consistent, and refer back to what the user told you.",
        ),
        AgentSpec(
            "summariser",
            "Summarise the conversation you are given in a few sentences. Keep names, facts, decisions and "
            "open questions; drop greetings and repetition.",
        ),
    )
}


def get_agent_spec(name: object) -> AgentSpec:
    """The declaration named `name`; an unknown name is a permanent error listing the known ones."""
    spec = AGENTS.get(name) if isinstance(name, str) else None
    if spec is None:
        raise PermanentModelError(f"unknown agent {name!r}; known agents: {', '.join(sorted(AGENTS))}")
    return spec


def spec_for_instructions(instructions: str | None) -> AgentSpec | None:
    """The declaration whose instructions are exactly `instructions` (how the offline model finds a role)."""
    if not instructions:
        return None
    return next((spec for spec in AGENTS.values() if spec.instructions == instructions.strip()), None)
