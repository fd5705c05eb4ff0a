"""routing: the triage agent picks a route, and that route's specialist answers.

Input `{"question"}`; output `{"route", "reason", "answer"}`. Triage returns the structured value
`{"route": "billing" | "technical" | "general", "reason"}`; the answer comes from `<route>_specialist`.
Progress steps: `triaging` (1 of 2), `answering` (2 of 2), then `done`.
"""

from typing import Any

import azure.durable_functions as df

from orchestrators.contract import DONE, ROUTES
from orchestrators.inputs import workflow_input
from orchestrators.progress import report
from orchestrators.retry import Steps, call_agent


def chosen_route(triage: dict[str, Any]) -> tuple[str, str]:
    """The (route, reason) from triage's structured value; a missing or unknown route is an error."""
    value = triage.get("value")
    route = value.get("route") if isinstance(value, dict) else None
    if not isinstance(value, dict) or route not in ROUTES:
        raise ValueError(f"agent 'triage' returned value.route={route!r}; expected one of {ROUTES}")
    return str(route), str(value.get("reason") or "")


def routing(context: df.DurableOrchestrationContext) -> Steps:
    """Triage the question, then hand it to the chosen specialist."""
    question: str = workflow_input(context)["question"]

    report(context, "triaging", 1, 2, question)
    triage = yield from call_agent(context, "triage", question)
    route, reason = chosen_route(triage)

    report(context, "answering", 2, 2, f"{route}: {reason}")
    answer = yield from call_agent(context, f"{route}_specialist", question)

    report(context, DONE, 2, 2, answer["text"])
    return {"route": route, "reason": reason, "answer": answer["text"]}
