"""chain: researcher -> writer -> reviewer, each one agent call that builds on the previous one.

Input `{"topic"}`; output `{"topic", "research", "draft", "review"}`.
Progress steps: `researching` (1 of 3), `writing` (2 of 3), `reviewing` (3 of 3), then `done`.
"""

import azure.durable_functions as df

from orchestrators.contract import DONE
from orchestrators.inputs import workflow_input
from orchestrators.progress import report
from orchestrators.retry import Steps, call_agent


def chain(context: df.DurableOrchestrationContext) -> Steps:
    """Research the topic, write from the notes, review the draft."""
    topic: str = workflow_input(context)["topic"]

    report(context, "researching", 1, 3, topic)
    research = yield from call_agent(context, "researcher", f"Topic: {topic}")

    report(context, "writing", 2, 3, research["text"])
    draft = yield from call_agent(
        context, "writer", f"Topic: {topic}\n\nResearch notes:\n{research['text']}\n\nWrite the article."
    )

    report(context, "reviewing", 3, 3, draft["text"])
    review = yield from call_agent(
        context, "reviewer", f"Topic: {topic}\n\nReview this draft:\n{draft['text']}"
    )

    report(context, DONE, 3, 3, review["text"])
    return {"topic": topic, "research": research["text"], "draft": draft["text"], "review": review["text"]}
