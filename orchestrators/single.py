"""single: one `assistant` agent answers the question.

Input `{"question"}`; output `{"answer", "agent": "assistant"}`.
Progress steps: `answering` (1 of 1), then `done`.
"""

from typing import Any

import azure.durable_functions as df

from orchestrators.contract import DONE
from orchestrators.inputs import workflow_input
from orchestrators.progress import report
from orchestrators.retry import Steps, call_agent


def single(context: df.DurableOrchestrationContext) -> Steps:
    """Ask the assistant once and return its answer."""
    question: str = workflow_input(context)["question"]
    report(context, "answering", 1, 1, question)
    reply: dict[str, Any] = yield from call_agent(context, "assistant", question)
    report(context, DONE, 1, 1, reply["text"])
    return {"answer": reply["text"], "agent": "assistant"}
