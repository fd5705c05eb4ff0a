"""tools: an agent tool loop where every tool call is its own durable activity.

Input `{"question", "max_iterations"?}` (default 5); output
`{"answer", "tool_calls": [{"call_id", "name", "arguments", "result"}], "iterations"}`.
Each iteration runs `tool_agent` on the conversation so far; when it asks for tools, each call runs as
one `run_tool` activity (all of them in one `task_all`) with the idempotency key
`<instance id>:<call id>` and the SDK's durable retry, and the results go back to the agent as `tool`
messages. A finished call is in the history, so a replay never runs it again. The loop ends when the
agent answers without tool calls, or after max_iterations (the answer then says so).
Progress steps (`of` = 2 x max_iterations): `thinking` (2 x iteration - 1),
`calling_tools` (2 x iteration), then `done`.
"""

from typing import Any

import azure.durable_functions as df

from orchestrators.contract import DEFAULT_MAX_ITERATIONS, DONE, RUN_TOOL
from orchestrators.inputs import workflow_input
from orchestrators.progress import report
from orchestrators.retry import TOOL_RETRY, Steps, call_agent


def tool_request(context: df.DurableOrchestrationContext, call: dict[str, Any]) -> dict[str, Any]:
    """The `run_tool` input for one tool call the agent asked for."""
    return {
        "tool": call["name"],
        "call_id": call["call_id"],
        "arguments": call.get("arguments") or {},
        "idempotency_key": f"{context.instance_id}:{call['call_id']}",
    }


def tool_message(result: dict[str, Any]) -> dict[str, Any]:
    """The `tool` message that hands one result back to the agent."""
    return {"role": "tool", "call_id": result["call_id"], "name": result["name"], "result": result["result"]}


def run_tools(context: df.DurableOrchestrationContext, calls: list[dict[str, Any]]) -> Steps:
    """Run the calls in parallel; returns them as `{"call_id", "name", "arguments", "result"}`."""
    requests = [tool_request(context, call) for call in calls]
    outputs = yield context.task_all(
        [context.call_activity_with_retry(RUN_TOOL, TOOL_RETRY, r) for r in requests]
    )
    return [
        {
            "call_id": call["call_id"],
            "name": call["name"],
            "arguments": request["arguments"],
            "result": out["result"],
        }
        for call, request, out in zip(calls, requests, outputs, strict=True)
    ]


def tools(context: df.DurableOrchestrationContext) -> Steps:
    """Let the agent call tools, one durable activity per call, until it answers."""
    given = workflow_input(context)
    max_iterations = int(given.get("max_iterations") or DEFAULT_MAX_ITERATIONS)
    of = 2 * max_iterations
    conversation: list[dict[str, Any]] = [{"role": "user", "text": given["question"]}]
    made: list[dict[str, Any]] = []
    last = given["question"]

    for iteration in range(1, max_iterations + 1):
        report(context, "thinking", 2 * iteration - 1, of, last)
        reply = yield from call_agent(context, "tool_agent", conversation)
        calls = reply.get("tool_calls") or []
        if not calls:
            taken = 2 * iteration - 1  # a thinking step per iteration, a tool step between them
            report(context, DONE, taken, taken, reply["text"])
            return {"answer": reply["text"], "tool_calls": made, "iterations": iteration}

        report(context, "calling_tools", 2 * iteration, of, ", ".join(call["name"] for call in calls))
        results = yield from run_tools(context, calls)
        conversation.append({"role": "assistant", "text": reply.get("text") or "", "tool_calls": calls})
        conversation.extend(tool_message(result) for result in results)
        made.extend(results)
        last = "; ".join(f"{r['name']} -> {r['result']}" for r in results)

    answer = f"Stopped after max_iterations={max_iterations} without a final answer from the agent."
    report(context, DONE, of, of, answer)
    return {"answer": answer, "tool_calls": made, "iterations": max_iterations}
