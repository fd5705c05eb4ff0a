"""The worked examples' own material: a frozen recording of chain and a frozen copy of chain.

The worked examples in test_replay_histories.py show what the replay test and DTFx each catch
when chain is changed. They must not use the live `histories/chain.json` or the live
`orchestrators/chain.py`: a user who changes chain's prompts on purpose and re-records
(`make record-histories WORKFLOWS=chain`) would otherwise turn them red. So they replay
`frozen/chain.json` (recorded from `chain_as_recorded`, never re-recorded) and compare against
changed versions of that frozen copy.
"""

from pathlib import Path

import azure.durable_functions as df

from orchestrators.contract import DONE, RUN_TOOL
from orchestrators.inputs import workflow_input
from orchestrators.progress import report
from orchestrators.retry import Steps, call_agent
from tests.replay.recording import Recording

FROZEN_CHAIN = Path(__file__).resolve().parent / "frozen" / "chain.json"


def frozen_chain_recording() -> Recording:
    """The chain run the worked examples replay; `make record-histories` never rewrites it."""
    return Recording.from_text(FROZEN_CHAIN.read_text())


def chain_as_recorded(context: df.DurableOrchestrationContext) -> Steps:
    """orchestrators/chain.py as it was when `frozen/chain.json` was recorded."""
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


def chain_writer_and_reviewer_swapped(context: df.DurableOrchestrationContext) -> Steps:
    """The frozen chain with the writer and reviewer steps swapped."""
    topic = context.get_input()["topic"]
    research = yield from call_agent(context, "researcher", f"Topic: {topic}")
    review = yield from call_agent(
        context, "reviewer", f"Topic: {topic}\n\nReview this draft:\n{research['text']}"
    )
    draft = yield from call_agent(context, "writer", f"Topic: {topic}\n\nNotes:\n{review['text']}")
    return {"topic": topic, "research": research["text"], "draft": draft["text"], "review": review["text"]}


def chain_with_a_lookup_first(context: df.DurableOrchestrationContext) -> Steps:
    """The frozen chain with a tool call inserted before its first step."""
    topic = context.get_input()["topic"]
    lookup = {"tool": "lookup_knowledge", "call_id": "pre", "arguments": {"query": topic}}
    yield context.call_activity(RUN_TOOL, {**lookup, "idempotency_key": f"{context.instance_id}:pre"})
    return (yield from chain_as_recorded(context))


def chain_with_a_new_review_prompt(context: df.DurableOrchestrationContext) -> Steps:
    """The frozen chain with a different prompt for its last step (the reviewer)."""
    topic = context.get_input()["topic"]
    research = yield from call_agent(context, "researcher", f"Topic: {topic}")
    prompt = f"Topic: {topic}\n\nResearch notes:\n{research['text']}\n\nWrite the article."
    draft = yield from call_agent(context, "writer", prompt)
    review = yield from call_agent(context, "reviewer", f"Be strict. Review:\n{draft['text']}")
    return {"topic": topic, "research": research["text"], "draft": draft["text"], "review": review["text"]}
