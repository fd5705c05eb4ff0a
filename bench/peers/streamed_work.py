"""The chain's three agent calls streamed as `run_agent` streams them, for peers without a host.

Each call is agent-framework's streaming run, every update's text handed to a stream writer on a
SQLite stream store (`activities.run_agent.streamed_reply`), the prompts those of
`bench.peers.workload`. Streaming's own cost (`streaming_cost`) and the HTTP floor with streaming
(`http_stream_peer`) both run it, so they stream exactly what the template streams.
"""

from typing import Any

from activities.run_agent import streamed_reply
from agents.build import agent_for
from agents.catalog import get_agent_spec
from agents.messages import request_messages, to_framework_messages
from agents.settings import load_model_settings
from bench.peers.workload import ChainOutput, draft_prompt, research_prompt, review_prompt
from streams.sqlite_store import SqliteStreamStore
from streams.writer import StreamWriter


class _CountingWriter(StreamWriter):
    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self.pieces = 0

    def add(self, text: str) -> None:
        self.pieces += 1
        super().add(text)


async def streamed_ask(store: SqliteStreamStore, run: str, agent: str, prompt: str) -> tuple[str, int]:
    """One streamed call of the named agent: (its reply, how many updates it streamed)."""
    messages = to_framework_messages(request_messages({"agent": agent, "prompt": prompt}))
    writer = _CountingWriter(store, run, f"{agent}:0", agent)
    response = await streamed_reply(agent_for(get_agent_spec(agent), load_model_settings()), messages, writer)
    return str(response.text), writer.pieces


async def streamed_chain(store: SqliteStreamStore, run: str, topic: str) -> tuple[ChainOutput, int]:
    """Researcher, writer and reviewer streamed under the stream `run`: (the output, updates streamed)."""
    research, first = await streamed_ask(store, run, "researcher", research_prompt(topic))
    draft, second = await streamed_ask(store, run, "writer", draft_prompt(topic, research))
    review, third = await streamed_ask(store, run, "reviewer", review_prompt(topic, draft))
    output: ChainOutput = {"topic": topic, "research": research, "draft": draft, "review": review}
    return output, first + second + third
