"""fanout (parallel specialists, then the aggregator) and routing (triage picks the specialist)."""

from azure.durable_functions.models.actions import ActionType

from orchestrators.contract import DEFAULT_SPECIALISTS
from orchestrators.fanout import fanout
from orchestrators.routing import routing
from tests.orchestrators.harness import FakeActivities, OrchestrationRun, agent_result, script
from tests.orchestrators.streams import STREAM


def test_fanout_asks_all_specialists_in_one_task_all_then_aggregates() -> None:
    run = OrchestrationRun(fanout, {"topic": "solar roofs"})

    first = run.start()
    [when_all] = first.new_actions
    assert when_all["actionType"] == ActionType.WHEN_ALL
    assert [w.input["agent"] for w in first.scheduled] == list(DEFAULT_SPECIALISTS)
    assert first.custom_status["step"] == "consulting_specialists"

    market, tech, risk = first.scheduled
    assert run.complete(risk.id, agent_result("risk_analyst", "Hail damage.")).scheduled == []
    assert run.complete(market.id, agent_result("market_analyst", "Demand grows.")).scheduled == []
    aggregating = run.complete(tech.id, agent_result("tech_analyst", "Panels got cheaper."))

    [aggregator] = aggregating.scheduled
    assert aggregator.input["agent"] == "aggregator"
    for opinion in ("Demand grows.", "Panels got cheaper.", "Hail damage."):
        assert opinion in aggregator.input["prompt"]
    last = run.complete(aggregator.id, agent_result("aggregator", "Worth it, insure against hail."))
    assert last.output == {
        "topic": "solar roofs",
        "opinions": {
            "market_analyst": "Demand grows.",
            "tech_analyst": "Panels got cheaper.",
            "risk_analyst": "Hail damage.",
        },
        "summary": "Worth it, insure against hail.",
    }
    assert run.steps == ["consulting_specialists", "aggregating", "done"]


def test_fanout_asks_only_the_named_specialists() -> None:
    fake = FakeActivities()
    run = OrchestrationRun(fanout, {"topic": "5G", "specialists": ["tech_analyst", "risk_analyst"]})
    run.start()

    last = run.drive(fake)

    assert fake.agents_called() == ["tech_analyst", "risk_analyst", "aggregator"]
    assert list(last.output["opinions"]) == ["tech_analyst", "risk_analyst"]


def test_routing_sends_the_question_to_the_specialist_triage_chose() -> None:
    triage = script({"text": "billing issue", "value": {"route": "billing", "reason": "mentions an invoice"}})
    fake = FakeActivities(agents={"triage": triage})
    run = OrchestrationRun(routing, {"question": "Why is my invoice doubled?"})
    run.start()

    last = run.drive(fake)

    assert fake.inputs("run_agent")[1] == {
        "agent": "billing_specialist",
        "prompt": "Why is my invoice doubled?",
        **STREAM,
    }
    assert last.output == {
        "route": "billing",
        "reason": "mentions an invoice",
        "answer": "billing_specialist on Why is my invoice doubled?",
    }
    assert run.steps == ["triaging", "answering", "done"]


def test_routing_fails_clearly_when_triage_gives_no_known_route() -> None:
    triage = script({"text": "?", "value": {"route": "sales", "reason": "?"}})
    run = OrchestrationRun(routing, {"question": "Hello"})
    run.start()

    last = run.drive(FakeActivities(agents={"triage": triage}))

    assert not last.done
    assert "value.route='sales'" in last.error
