"""readme_digest: README's `digest` example, named apart so a user who adds `digest` by README keeps
a green suite: the assistant condenses a text into a few sentences.

Input `{"text", "sentences"}`; output `{"digest", "agent": "assistant"}`.
Progress steps: `condensing` (1 of 1), then `done`.
"""

from typing import Any

import azure.durable_functions as df

from orchestrators.contract import DONE
from orchestrators.progress import report
from orchestrators.retry import Steps, call_agent


def readme_digest(context: df.DurableOrchestrationContext) -> Steps:
    """Ask the assistant once for a digest of the text."""
    given: dict[str, Any] = context.get_input()
    prompt = f"Condense into {given['sentences']} sentences:\n{given['text']}"
    report(context, "condensing", 1, 1, given["text"])
    reply: dict[str, Any] = yield from call_agent(context, "assistant", prompt)
    report(context, DONE, 1, 1, reply["text"])
    return {"digest": reply["text"], "agent": "assistant"}
