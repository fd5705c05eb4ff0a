"""Token usage: counted by the orchestrator from every finished agent step, published with progress."""

from typing import Any

import azure.durable_functions as df

from orchestrators.chain import chain
from orchestrators.fanout import fanout
from orchestrators.graph import GraphRun, graph_orchestrator
from orchestrators.single import single
from orchestrators.tools import tools
from tests.orchestrators.harness import FakeActivities, OrchestrationRun, agent_result, script
from tests.orchestrators.harness.fakes import PermanentModelError

CALL_THEN_ANSWER = script(
    {"text": "", "tool_calls": [{"call_id": "c1", "name": "calculator", "arguments": {"expression": "1+1"}}]},
    {"text": "it is two"},
)


class CountingActivities(FakeActivities):
    """Fake activities that also sum the tokens of every agent result they hand out."""

    def __init__(self, **behaviours: Any) -> None:
        super().__init__(**behaviours)
        self.tokens = {"input_tokens": 0, "output_tokens": 0}

    def __call__(self, name: str, payload: Any) -> Any:
        result = super().__call__(name, payload)
        if name == "run_agent":
            for key in self.tokens:
                self.tokens[key] += result["usage"][key]
        return result


def test_every_agent_step_adds_its_tokens_and_the_last_status_has_the_total() -> None:
    run = OrchestrationRun(chain, {"topic": "tides"})
    assert run.start().custom_status["usage"] == {"input_tokens": 0, "output_tokens": 0}

    fake = CountingActivities()
    last = run.drive(fake)

    assert len(fake.inputs("run_agent")) == 3 and fake.tokens["output_tokens"] > 0
    assert last.custom_status["usage"] == fake.tokens


def test_parallel_agents_all_count_and_tool_steps_do_not() -> None:
    fan = OrchestrationRun(fanout, {"topic": "t"})
    fan.start()
    fake = CountingActivities()
    assert fan.drive(fake).custom_status["usage"] == fake.tokens
    assert len(fake.inputs("run_agent")) == 4

    tool_run = OrchestrationRun(tools, {"question": "1+1?"})
    tool_run.start()
    fake = CountingActivities(agents={"tool_agent": CALL_THEN_ANSWER})
    answered = tool_run.drive(fake)
    assert fake.inputs("run_tool") and answered.custom_status["usage"] == fake.tokens


def test_usage_is_published_when_the_step_finishes_and_kept_when_the_run_fails() -> None:
    run = OrchestrationRun(single, {"question": "q"})
    agent = run.start().scheduled[0]
    ended = run.complete(agent.id, agent_result("assistant", "one two three"))
    assert ended.done and ended.custom_status["usage"] == {"input_tokens": 3, "output_tokens": 3}

    failing = OrchestrationRun(single, {"question": "q"})
    agent = failing.start().scheduled[0]
    failed = failing.fail(agent.id, PermanentModelError.__name__, "content filter")
    assert failed.error is not None
    assert failed.custom_status["usage"] == {"input_tokens": 0, "output_tokens": 0}


def test_a_graph_that_fails_in_its_first_superstep_still_shows_its_agents_tokens() -> None:
    """A superstep's agent calls finish before the graph's first report; a failure right after them
    (here: the graph gives up) must not lose what the model already cost."""
    graph = GraphRun("g", input_timeout_s=60, retry=df.RetryOptions(1000, 1))
    call = {"key": "k1", "payload": {"agent": "assistant", "messages": [{"role": "user", "text": "hi"}]}}
    steps = iter([{"kind": "calls", "calls": [call]}, {"kind": "failed", "error": "graph 'g' gave up"}])

    class GraphActivities(CountingActivities):
        def __call__(self, name: str, payload: Any) -> Any:
            return next(steps) if name == "run_graph_step" else super().__call__(name, payload)

    run = OrchestrationRun(graph_orchestrator(graph), {"topic": "t"})
    run.start()
    fake = GraphActivities()
    last = run.drive(fake)

    assert last.error is not None and "gave up" in last.error
    assert fake.tokens["output_tokens"] > 0
    assert last.custom_status["usage"] == fake.tokens
    assert last.custom_status["step"] == "starting"
