"""DBOS: a workflow of three steps (one agent call each) recorded in a SQLite system database.

DBOS is a process-wide singleton: decorators register at import, `launch()` starts it, and
`destroy()` stops it so the next model delay can launch it again on a fresh database.
"""

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from dbos import DBOS, SetWorkflowID

from bench.peers import sqlite_mode
from bench.peers.system import ChainRun, RunChain
from bench.peers.workload import ChainOutput, ask, draft_prompt, research_prompt, review_prompt


@DBOS.step()
async def agent_step(agent: str, prompt: str) -> str:
    return await ask(agent, prompt)


@DBOS.workflow()
async def chain_workflow(topic: str) -> ChainOutput:
    research = await agent_step("researcher", research_prompt(topic))
    draft = await agent_step("writer", draft_prompt(topic, research))
    review = await agent_step("reviewer", review_prompt(topic, draft))
    return {"topic": topic, "research": research, "draft": draft, "review": review}


async def run_chain(topic: str) -> ChainRun:
    with SetWorkflowID(uuid.uuid4().hex):
        return ChainRun(await chain_workflow(topic))


@asynccontextmanager
async def session(workdir: Path, delay_ms: float) -> AsyncIterator[RunChain]:
    """Launch DBOS in-process on `workdir/dbos.sqlite` (shared SQLite mode); destroy it on exit."""
    with sqlite_mode.every_sqlalchemy_engine():
        DBOS(
            config={
                "name": "bench-peers-chain",
                "system_database_url": f"sqlite:///{workdir / 'dbos.sqlite'}",
                "log_level": "WARNING",
            }
        )
        DBOS.launch()
        try:
            yield run_chain
        finally:
            DBOS.destroy()
