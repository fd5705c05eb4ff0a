"""fanout: the specialists answer in parallel, then the aggregator combines their opinions.

Input `{"topic", "specialists"?}` (default: the three analysts; the API rejects unknown names);
output `{"topic", "opinions": {name: text}, "summary"}`.
Progress steps: `consulting_specialists` (1 of 2), `aggregating` (2 of 2), then `done`.
"""

import azure.durable_functions as df

from orchestrators.contract import DEFAULT_SPECIALISTS, DONE
from orchestrators.inputs import workflow_input
from orchestrators.progress import report
from orchestrators.retry import Steps, call_agent, call_agents


def fanout(context: df.DurableOrchestrationContext) -> Steps:
    """Ask every specialist at once (one task_all), then aggregate what they said."""
    given = workflow_input(context)
    topic: str = given["topic"]
    specialists: list[str] = list(given.get("specialists") or DEFAULT_SPECIALISTS)

    report(context, "consulting_specialists", 1, 2, f"{topic} ({', '.join(specialists)})")
    replies = yield from call_agents(context, [(name, f"Topic: {topic}") for name in specialists])
    opinions = {name: reply["text"] for name, reply in zip(specialists, replies, strict=True)}

    report(context, "aggregating", 2, 2, f"{len(opinions)} opinions")
    listed = "\n\n".join(f"{name}:\n{text}" for name, text in opinions.items())
    summary = yield from call_agent(context, "aggregator", f"Topic: {topic}\n\nOpinions:\n{listed}")

    report(context, DONE, 2, 2, summary["text"])
    return {"topic": topic, "opinions": opinions, "summary": summary["text"]}
