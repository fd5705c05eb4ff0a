"""critic: the writer drafts, the critic reviews, and the writer revises until approved or out of rounds.

Input `{"topic", "max_rounds"?}` (default 3); output `{"draft", "approved", "rounds", "feedback": [str]}`
where `rounds` counts the critic's reviews. The critic returns the structured value
`{"approved", "feedback"}`.
Progress steps (`of` = 2 x max_rounds): `drafting` (1), `critiquing` (2 x round),
`revising` (2 x round + 1), then `done`.
"""

from typing import Any

import azure.durable_functions as df

from orchestrators.contract import DEFAULT_MAX_ROUNDS, DONE
from orchestrators.inputs import workflow_input
from orchestrators.progress import report
from orchestrators.retry import Steps, call_agent


def verdict(review: dict[str, Any]) -> tuple[bool, str]:
    """(approved, feedback) from the critic's structured value; a missing value is an error."""
    value = review.get("value")
    if not isinstance(value, dict) or not isinstance(value.get("approved"), bool):
        expected = "{'approved': bool, 'feedback': str}"
        raise ValueError(f"agent 'critic' returned value={value!r}; expected {expected}")
    return value["approved"], str(value.get("feedback") or "")


def critic(context: df.DurableOrchestrationContext) -> Steps:
    """Draft, then review and revise in bounded rounds."""
    given = workflow_input(context)
    topic: str = given["topic"]
    max_rounds = int(given.get("max_rounds") or DEFAULT_MAX_ROUNDS)
    of = 2 * max_rounds

    report(context, "drafting", 1, of, topic)
    draft: str = (yield from call_agent(context, "writer", f"Topic: {topic}\n\nWrite a first draft."))["text"]
    feedback: list[str] = []
    for rounds in range(1, max_rounds + 1):
        report(context, "critiquing", 2 * rounds, of, draft)
        review = yield from call_agent(context, "critic", f"Topic: {topic}\n\nDraft:\n{draft}")
        approved, note = verdict(review)
        feedback.append(note)
        if approved or rounds == max_rounds:
            break
        report(context, "revising", 2 * rounds + 1, of, note)
        revision = f"Topic: {topic}\n\nYour draft:\n{draft}\n\nRevise it to address this feedback:\n{note}"
        draft = (yield from call_agent(context, "writer", revision))["text"]

    taken = 2 * rounds  # the draft, a critique per round and a revision between rounds
    outcome = f"{'approved' if approved else 'not approved'} after {rounds} round(s)"
    report(context, DONE, taken, taken, outcome)
    return {"draft": draft, "approved": approved, "rounds": rounds, "feedback": feedback}
