"""The floor: plain asyncio awaiting the three agents in sequence, with no durability at all."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from bench.peers.system import ChainRun, RunChain
from bench.peers.workload import ask, draft_prompt, research_prompt, review_prompt


async def run_chain(topic: str) -> ChainRun:
    research = await ask("researcher", research_prompt(topic))
    draft = await ask("writer", draft_prompt(topic, research))
    review = await ask("reviewer", review_prompt(topic, draft))
    return ChainRun({"topic": topic, "research": research, "draft": draft, "review": review})


@asynccontextmanager
async def session(workdir: Path, delay_ms: float) -> AsyncIterator[RunChain]:
    """Nothing to set up: the model delay is read from the environment the runner prepared."""
    yield run_chain
