"""History records → the run's steps: what each agent was asked and answered, each tool call and result.

Built only from what the status API returns in Azure and locally alike: step results (with
`showHistoryOutput`) and their times. An agent step's prompt comes from the capped excerpt that
`run_agent` puts in its own result (activity inputs are not returned); a tool step's arguments come
from the agent step that asked for the call. Every text is capped at 16 KB and named in `truncated`.
"""

import json
from dataclasses import dataclass
from typing import Any

from activities.request_excerpt import MAX_TEXT_BYTES, cap_text, request_excerpt
from api.history import COMPLETING, SCHEDULING, Record
from api.models import Usage
from api.step_models import MessageExcerpt, Step, StepKind, StepToolCall

RUN_AGENT = "run_agent"
RUN_TOOL = "run_tool"
_TICKS_PER_MS = 10_000


@dataclass(frozen=True)
class _Scheduled:
    """The run's steps as history records: each step's scheduling and completion, in schedule order."""

    started: dict[int, Record]
    ended: dict[int, Record]
    order: list[int]  # task ids; a step's `seq` is its position here, from 1

    def build(self, index: int) -> Step:
        key = self.order[index]
        return _step(index + 1, self.started[key], self.ended.get(key))


def _scheduled(history: list[Record]) -> _Scheduled:
    started: dict[int, Record] = {}
    ended: dict[int, Record] = {}
    order: list[int] = []
    for record in history:
        if record.task_id is None:
            continue
        if record.kind in SCHEDULING and record.task_id not in started:
            started[record.task_id] = record
            order.append(record.task_id)
        elif record.kind in COMPLETING:
            ended[record.task_id] = record
    return _Scheduled(started, ended, order)


def step_page(history: list[Record], after: int, limit: int) -> tuple[list[Step], int]:
    """The steps numbered `after + 1` to `after + limit`, and how many steps the run has so far.

    Only the page's steps are built, with the ones outside it that their tool calls link to (a tool
    step shows the arguments its agent step sent, an agent step its calls' results): a page of a
    run with thousands of steps costs a page, not the run.
    """
    scheduled = _scheduled(history)
    page = [scheduled.build(index) for index in range(after, min(after + limit, len(scheduled.order)))]
    linked = [scheduled.build(index) for index in sorted(_linked_outside(scheduled, after, len(page)))]
    _link_tool_calls([*page, *linked])
    return page, len(scheduled.order)


def _linked_outside(scheduled: _Scheduled, after: int, count: int) -> set[int]:
    """Positions of the steps outside `after..after+count` whose tool calls link to steps inside it."""
    tools: dict[str, int] = {}  # call id → its (newest) tool step
    askers: dict[str, int] = {}  # call id → the agent step that asked for it
    for index, key in enumerate(scheduled.order):
        start, end = scheduled.started[key], scheduled.ended.get(key)
        result = end.result if end is not None and isinstance(end.result, dict) else {}
        if start.name == RUN_TOOL:
            call_id = _call_id(result, start.input if isinstance(start.input, dict) else {})
            if call_id:
                tools[call_id] = index
        elif start.name == RUN_AGENT:
            for call in result.get("tool_calls") or []:
                if isinstance(call, dict) and call.get("call_id"):
                    askers[str(call["call_id"])] = index
    inside = range(after, after + count)
    pairs = [(askers[call], tool) for call, tool in tools.items() if call in askers]
    return {
        other for asker, tool in pairs for other in (asker, tool) if (asker in inside) != (tool in inside)
    } - set(inside)


def _step(seq: int, start: Record, end: Record | None) -> Step:
    activity = start.name or (end.name if end else "")
    failed = end is not None and end.kind.endswith("Failed")
    step = Step(
        seq=seq,
        kind=_kind(start),
        name=activity,
        activity=activity,
        status="running" if end is None else "failed" if failed else "completed",
        startedAt=start.at,
        endedAt=end.at if end else None,
        elapsed_ms=(end.ticks - start.ticks) / _TICKS_PER_MS if end else None,
        error=(end.reason or "step failed") if failed and end else None,
    )
    result = end.result if end is not None and not failed else None
    if step.kind == "agent":
        _agent_details(step, result if isinstance(result, dict) else {}, start.input)
    elif step.kind == "tool":
        _tool_details(step, result if isinstance(result, dict) else {}, start.input)
    else:
        step.result = _capped_value(step, "result", result)
    return step


_KINDS: dict[str, StepKind] = {RUN_AGENT: "agent", RUN_TOOL: "tool"}


def _kind(record: Record) -> StepKind:
    if record.kind == "SubOrchestrationInstanceCreated":
        return "workflow"
    return _KINDS.get(record.name, "activity")


def _agent_details(step: Step, result: dict[str, Any], request: Any) -> None:
    """Agent name, prompt or messages, reply, value, tool calls, usage and model of a run_agent step."""
    asked = request if isinstance(request, dict) else {}
    step.name = str(result.get("agent") or asked.get("agent") or step.name)
    excerpt = result.get("request")
    if not isinstance(excerpt, dict) and asked:
        excerpt = request_excerpt(asked)  # a running step whose input the history still shows
    if isinstance(excerpt, dict):
        _request_details(step, excerpt)
    if isinstance(result.get("text"), str):
        step.reply = _capped_text(step, "reply", result["text"])
    step.value = _capped_value(step, "value", result.get("value"))
    step.tool_calls = [
        StepToolCall(
            call_id=str(call.get("call_id") or ""),
            name=str(call.get("name") or ""),
            arguments=_capped_value(step, "tool_calls", call.get("arguments")),
        )
        for call in result.get("tool_calls") or []
        if isinstance(call, dict)
    ]
    if isinstance(result.get("usage"), dict):
        step.usage = Usage.counted(result["usage"])
    step.model = result.get("model") if isinstance(result.get("model"), str) else None
    _measured(step, result)


def _request_details(step: Step, excerpt: dict[str, Any]) -> None:
    if excerpt.get("truncated"):
        step.truncated.append("prompt" if "prompt" in excerpt else "messages")
    if isinstance(excerpt.get("prompt"), str):
        step.prompt = _capped_text(step, "prompt", excerpt["prompt"])
        return
    step.messages = [
        MessageExcerpt(
            role=str(message.get("role") or ""),
            text=_capped_text(step, "messages", str(message.get("text") or "")),
            name=message.get("name") if isinstance(message.get("name"), str) else None,
            tool_calls=[str(name) for name in message.get("tool_calls") or []],
        )
        for message in excerpt.get("messages") or []
        if isinstance(message, dict)
    ]
    step.omitted_messages = _count(excerpt.get("omitted"))


def _tool_details(step: Step, result: dict[str, Any], request: Any) -> None:
    asked = request if isinstance(request, dict) else {}
    step.name = str(result.get("name") or asked.get("tool") or step.name)
    step.call_id = _call_id(result, asked)
    if "arguments" in asked:
        step.arguments = _capped_value(step, "arguments", asked["arguments"])
    if "result" in result:
        step.result = _capped_value(step, "result", result["result"])
    _measured(step, result)


def _call_id(result: dict[str, Any], asked: dict[str, Any]) -> str | None:
    """The model's id of the call a run_tool step ran: from its result, else from its input."""
    call_id = result.get("call_id") or asked.get("call_id")
    return str(call_id) if call_id else None


def _link_tool_calls(built: list[Step]) -> None:
    """Tool steps get the arguments their agent step sent; agent tool calls get the tool's result."""
    tool_steps = {step.call_id: step for step in built if step.kind == "tool" and step.call_id}
    for step in built:
        for call in step.tool_calls:
            tool = tool_steps.get(call.call_id)
            if tool is None:
                continue
            if tool.arguments is None:
                tool.arguments = call.arguments
            call.result = tool.result


def _measured(step: Step, result: dict[str, Any]) -> None:
    elapsed = result.get("elapsed_ms")
    if isinstance(elapsed, int | float) and not isinstance(elapsed, bool) and elapsed > 0:
        step.elapsed_ms = float(elapsed)


def _capped_text(step: Step, field: str, text: str) -> str:
    capped, cut = cap_text(text, MAX_TEXT_BYTES)
    if cut and field not in step.truncated:
        step.truncated.append(field)
    return capped


def _capped_value(step: Step, field: str, value: Any) -> Any:
    """A JSON value as is, or its JSON text cut to 16 KB when it is longer than that."""
    if value is None or isinstance(value, bool | int | float):
        return value
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
    if len(text.encode("utf-8")) <= MAX_TEXT_BYTES:
        return value
    return _capped_text(step, field, text)


def _count(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else 0
