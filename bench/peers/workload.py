"""The shared work: the chain's three prompts and one agent call, identical for every in-process peer.

The prompts mirror `orchestrators/chain.py` word for word; the runner checks that every system
returns exactly the template's output for the same topic, so a drift between the two shows up as a
failed benchmark rather than as a quietly unfair comparison.
"""

from typing import TypedDict

import bench.template_host  # noqa: F401  # in-process peers run under the host's telemetry policy
from agents.build import agent_for
from agents.catalog import get_agent_spec
from agents.settings import load_model_settings

CHAIN = ("researcher", "writer", "reviewer")


class ChainOutput(TypedDict):
    """The chain workflow's output (docs/contracts.md, `chain`)."""

    topic: str
    research: str
    draft: str
    review: str


def topic_for(index: int) -> str:
    """The topic of run `index`: different per run so no layer can answer from a cache."""
    return f"durable agent orchestration, case {index}"


def research_prompt(topic: str) -> str:
    return f"Topic: {topic}"


def draft_prompt(topic: str, research: str) -> str:
    return f"Topic: {topic}\n\nResearch notes:\n{research}\n\nWrite the article."


def review_prompt(topic: str, draft: str) -> str:
    return f"Topic: {topic}\n\nReview this draft:\n{draft}"


async def ask(agent: str, prompt: str) -> str:
    """One call of the named agent-framework agent on the configured model; returns its text.

    Settings are read per call, as the `run_agent` activity does, so `OFFLINE_MODEL_DELAY_MS`
    changes between benchmark rounds take effect; the agent and its client are cached per loop.
    """
    agent_object = agent_for(get_agent_spec(agent), load_model_settings())
    response = await agent_object.run(prompt)
    return str(response.text)
