"""LangGraph: a 3-node graph (one agent call per node) checkpointed to SQLite, one thread per run.

LangGraph's default durability, `async`, writes each checkpoint while the next node already runs;
`sync` writes it before the next node starts, the guarantee our template and DBOS give. Both are
benchmarked so neither the fair comparison nor the out-of-the-box one is hidden.
"""

import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from functools import partial
from pathlib import Path
from typing import Literal, TypedDict

import aiosqlite
from langgraph.checkpoint.sqlite.aio import AsyncSqliteSaver
from langgraph.graph import END, START, StateGraph

from bench.peers import sqlite_mode
from bench.peers.system import ChainRun, RunChain
from bench.peers.workload import ChainOutput, ask, draft_prompt, research_prompt, review_prompt

Durability = Literal["sync", "async"]


class ChainState(TypedDict, total=False):
    topic: str
    research: str
    draft: str
    review: str


async def research_node(state: ChainState) -> ChainState:
    return {"research": await ask("researcher", research_prompt(state["topic"]))}


async def write_node(state: ChainState) -> ChainState:
    return {"draft": await ask("writer", draft_prompt(state["topic"], state["research"]))}


async def review_node(state: ChainState) -> ChainState:
    return {"review": await ask("reviewer", review_prompt(state["topic"], state["draft"]))}


def build_graph() -> StateGraph:
    graph = StateGraph(ChainState)
    graph.add_node("research", research_node)
    graph.add_node("write", write_node)
    graph.add_node("review", review_node)
    graph.add_edge(START, "research")
    graph.add_edge("research", "write")
    graph.add_edge("write", "review")
    graph.add_edge("review", END)
    return graph


@asynccontextmanager
async def session(
    workdir: Path, delay_ms: float, *, durability: Durability = "sync"
) -> AsyncIterator[RunChain]:
    """A compiled graph on an `AsyncSqliteSaver` in `workdir` (shared SQLite mode); a thread id per run."""
    async with aiosqlite.connect(workdir / "langgraph.sqlite") as conn:
        await sqlite_mode.apply_async(conn)
        app = build_graph().compile(checkpointer=AsyncSqliteSaver(conn))

        async def run_chain(topic: str) -> ChainRun:
            config = {"configurable": {"thread_id": uuid.uuid4().hex}}
            state = await app.ainvoke({"topic": topic}, config, durability=durability)
            output: ChainOutput = {
                "topic": state["topic"],
                "research": state["research"],
                "draft": state["draft"],
                "review": state["review"],
            }
            return ChainRun(output)

        yield run_chain


def session_with(durability: Durability) -> Callable[[Path, float], AbstractAsyncContextManager[RunChain]]:
    """`session` fixed to one durability mode, in the shape the system catalog expects."""
    return partial(session, durability=durability)
