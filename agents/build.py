"""Agent declarations → `agent_framework.Agent` objects, built on demand and cached.

One chat client per process (per event loop, strictly: the OpenAI clients hold an HTTP
connection pool bound to the loop that opened it, and a worker runs one loop) and settings, so
connections and credentials are reused across activity calls. Agents are stateless between runs
(no session), so they are cached alongside their client.

Tools reach the model as declaration-only `FunctionTool`s (no `func`): the model's call comes
back in the response instead of running in-process, and the orchestrator runs each call as its
own durable `run_tool` activity.
"""

import asyncio
from dataclasses import dataclass, field
from typing import Any
from weakref import WeakKeyDictionary

from agents import model_factory
from agents.catalog import AgentSpec
from agents.remote_tools.listing import RemoteTool
from agents.settings import ModelSettings
from agents.tools import get_tool


@dataclass
class _Runtime:
    client: Any
    agents: dict[tuple[str, tuple[RemoteTool, ...]], Any] = field(default_factory=dict)


_RUNTIMES: "WeakKeyDictionary[asyncio.AbstractEventLoop, dict[ModelSettings, _Runtime]]" = WeakKeyDictionary()


def agent_for(spec: AgentSpec, settings: ModelSettings, remote: tuple[RemoteTool, ...] = ()) -> Any:
    """The `Agent` for `spec` on the client for `settings` (call from inside the running loop).

    `remote` is the agent's remote MCP tools as listed now; a changed list builds a new agent.
    """
    runtimes = _RUNTIMES.setdefault(asyncio.get_running_loop(), {})
    runtime = runtimes.get(settings)
    if runtime is None:
        runtime = runtimes[settings] = _Runtime(model_factory.create_chat_client(settings))
    key = (spec.name, remote)
    agent = runtime.agents.get(key)
    if agent is None:
        agent = runtime.agents[key] = build_agent(spec, runtime.client, remote)
    return agent


def build_agent(spec: AgentSpec, client: Any, remote: tuple[RemoteTool, ...] = ()) -> Any:
    """A new `Agent` from its declaration: instructions, declaration-only tools, output schema."""
    from agent_framework import Agent

    options = {"response_format": spec.output} if spec.output is not None else None
    tools = [tool_declaration(name) for name in spec.tools] + [remote_declaration(tool) for tool in remote]
    return Agent(client, spec.instructions, name=spec.name, tools=tools or None, default_options=options)


def tool_declaration(name: str) -> Any:
    """A declaration-only `FunctionTool` for the tool `name`: its schema, no implementation."""
    from agent_framework import FunctionTool

    tool = get_tool(name)
    return FunctionTool(name=tool.name, description=tool.description, input_model=tool.arguments, func=None)


def remote_declaration(tool: RemoteTool) -> Any:
    """A declaration-only `FunctionTool` for a remote MCP tool, with the schema its server declared."""
    from agent_framework import FunctionTool

    return FunctionTool(
        name=tool.model_name, description=tool.description, input_model=tool.input_schema, func=None
    )
