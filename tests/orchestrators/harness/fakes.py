"""Deterministic stand-ins for the app's activities, recording every call.

`FakeActivities` answers `run_agent` (per-agent behaviours, default: an echo naming the role),
`run_tool` and `publish_draft`. A behaviour may raise; the harness then reports the activity as
failed with the exception's class name, the way the worker does, so `TransientModelError` and
`PermanentModelError` below exercise the retry policy.
"""

from collections.abc import Callable
from typing import Any

Behaviour = Callable[[dict[str, Any]], dict[str, Any]]


class TransientModelError(Exception):
    """Same class name as the app's transient model failure."""


class PermanentModelError(Exception):
    """Same class name as the app's permanent model failure."""


def agent_input_text(payload: dict[str, Any]) -> str:
    """The text an agent was asked about: the prompt, or the last message that has text."""
    if "prompt" in payload:
        return payload["prompt"]
    texts = [m.get("text") or "" for m in payload.get("messages", []) if m.get("text")]
    return texts[-1] if texts else ""


def agent_result(agent: str, text: str, value: Any = None, tool_calls: list | None = None) -> dict[str, Any]:
    """A complete AgentResult as run_agent returns it."""
    words = len(text.split())
    return {
        "agent": agent,
        "text": text,
        "value": value,
        "tool_calls": tool_calls or [],
        "usage": {"input_tokens": words, "output_tokens": words},
        "model": "fake-1",
        "elapsed_ms": 1.0,
    }


def echo(payload: dict[str, Any]) -> dict[str, Any]:
    """The default agent: names its role and the first line it was given."""
    first_line = agent_input_text(payload).splitlines()[0] if agent_input_text(payload) else ""
    return agent_result(payload["agent"], f"{payload['agent']} on {first_line}")


def script(*steps: dict[str, Any] | Exception) -> Behaviour:
    """A behaviour that plays `steps` in order (results, or exceptions to raise), repeating the last."""
    played = {"count": 0}

    def play(payload: dict[str, Any]) -> dict[str, Any]:
        step = steps[min(played["count"], len(steps) - 1)]
        played["count"] += 1
        if isinstance(step, Exception):
            raise step
        return agent_result(payload["agent"], **step)

    return play


def triage_general(payload: dict[str, Any]) -> dict[str, Any]:
    """Default triage: every question goes to the general specialist."""
    return agent_result("triage", "general question", {"route": "general", "reason": "no special keywords"})


def critic_approves(payload: dict[str, Any]) -> dict[str, Any]:
    """Default critic: approves whatever it reads."""
    return agent_result("critic", "looks good", {"approved": True, "feedback": "looks good"})


STRUCTURED_DEFAULTS: dict[str, Behaviour] = {"triage": triage_general, "critic": critic_approves}


class FakeActivities:
    """Callable as `(activity name, input) -> result`; `calls` keeps every call in order."""

    def __init__(self, agents: dict[str, Behaviour] | None = None, tools: dict[str, Behaviour] | None = None):
        self.agents = {**STRUCTURED_DEFAULTS, **(agents or {})}
        self.tools = tools or {}
        self.calls: list[tuple[str, Any]] = []

    def __call__(self, name: str, payload: Any) -> Any:
        self.calls.append((name, payload))
        if name == "run_agent":
            return self.agents.get(payload["agent"], echo)(payload)
        if name == "run_tool":
            behaviour = self.tools.get(payload["tool"])
            result = behaviour(payload) if behaviour else f"{payload['tool']}({payload['arguments']})"
            return {
                "call_id": payload["call_id"],
                "name": payload["tool"],
                "result": result,
                "elapsed_ms": 0.1,
            }
        if name == "publish_draft":
            return {"published": True, "duplicate": False, "key": payload["idempotency_key"]}
        raise AssertionError(f"unexpected activity {name!r}")

    def agents_called(self) -> list[str]:
        """The agents run so far, in order."""
        return [payload["agent"] for name, payload in self.calls if name == "run_agent"]

    def inputs(self, activity: str) -> list[Any]:
        """The inputs one activity was called with, in order."""
        return [payload for name, payload in self.calls if name == activity]
