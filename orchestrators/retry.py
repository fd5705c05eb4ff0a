"""The durable retry policy for agent and tool calls.

`run_agent` raises `TransientModelError` (throttling, 5xx, timeouts; already retried briefly inside
the activity) or `PermanentModelError` (content filter, bad request, auth, unknown agent). The SDK's
`RetryOptions` retries every failure alike, so agent calls go through these helpers instead: a
transient failure waits on a durable timer (5 s, 10 s, 20 s, or longer when the model service asked
for a longer wait with Retry-After) and tries again; anything else fails the step at once with a
message naming the agent. Use them with `yield from`.

Tool and publish calls are idempotent by key, so they use the SDK's own retry (`TOOL_RETRY`).
"""

import re
from collections.abc import Generator
from datetime import timedelta
from typing import Any

import azure.durable_functions as df
from azure.durable_functions.models.Task import TaskBase

from orchestrators.contract import RUN_AGENT, TRANSIENT_MODEL_ERROR
from orchestrators.progress import count_usage

# Durable backoff before each retry of a transient agent failure; its length is the retry budget.
BACKOFF_S = (5, 10, 20)

# run_tool / publish_draft: three attempts, two seconds apart (the host runs these retries).
TOOL_RETRY = df.RetryOptions(first_retry_interval_in_milliseconds=2000, max_number_of_attempts=3)

# Hex digits of a step key: unique within a run (48 bits), short enough for event ids.
STEP_KEY_CHARS = 12

# What the agent gets: a prompt (one user message) or a full conversation of contract messages.
AgentInput = str | list[dict[str, Any]]
Steps = Generator[TaskBase, Any, Any]

# The class name of the failed activity's exception, as the extension reports it
# ("Activity function 'run_agent' failed: TransientModelError: ...") or as the host's RPC error
# wraps it ("... failed: Result: Failure\nException: TransientModelError: ...\nStack: ...").
_ERROR_CLASS = re.compile(r"(?:\A|failed:|Exception:)\s*([A-Za-z_][\w.]*):\s")
# The wait the model service asked for, as the activity writes it at the end of the failure text
# (`agents.errors.RETRY_AFTER_TEXT`, already capped); the end of a line, so the same words inside
# a server's message are not taken for it.
_RETRY_AFTER = re.compile(r"\[retry after (\d+(?:\.\d+)?) s\]$", re.MULTILINE)


class AgentCallFailed(Exception):
    """An agent step failed for good: a permanent or unknown error, or transient past the budget."""

    def __init__(self, agent: str, attempts: int, error: BaseException) -> None:
        super().__init__(f"agent '{agent}' failed after {attempts} attempt(s): {failure_reason(error)}")
        self.agent = agent


def agent_request(context: df.DurableOrchestrationContext, agent: str, given: AgentInput) -> dict[str, Any]:
    """The `run_agent` activity input for `agent` given a prompt or a message list.

    It names the token stream the reply is written to: the run, and a step key drawn from
    `context.new_uuid()` (the same on every replay). Retries of the call reuse the request, so all
    attempts of one step share its key and readers can drop an earlier attempt's words.
    """
    stream = {"run": context.instance_id, "step": context.new_uuid().replace("-", "")[:STEP_KEY_CHARS]}
    if isinstance(given, str):
        return {"agent": agent, "prompt": given, **stream}
    return {"agent": agent, "messages": given, **stream}


def failure_reason(error: BaseException) -> str:
    """The first line of an activity failure ("Reason"), without the host's long "Details"."""
    return str(error).split(" \n ", 1)[0].strip()


def is_transient(error: BaseException) -> bool:
    """True when the failed activity raised TransientModelError (matched by class name)."""
    names = _ERROR_CLASS.findall(failure_reason(error))
    return any(name.rsplit(".", 1)[-1] == TRANSIENT_MODEL_ERROR for name in names)


def retry_after_in(error: BaseException) -> float | None:
    """The Retry-After (seconds) a transient failure's text carries, None when it has none."""
    found = _RETRY_AFTER.findall(failure_reason(error))
    return float(found[-1]) if found else None


def _backoff(context: df.DurableOrchestrationContext, retry: int, errors: list[BaseException]) -> TaskBase:
    """The durable wait before retry number `retry`: the backoff, or longer if the service asked."""
    asked = [seconds for seconds in map(retry_after_in, errors) if seconds is not None]
    seconds = max([BACKOFF_S[retry - 1], *asked])
    return context.create_timer(context.current_utc_datetime + timedelta(seconds=seconds))


def call_agent(context: df.DurableOrchestrationContext, agent: str, given: AgentInput) -> Steps:
    """Run one agent through `run_agent`, retrying transient failures; returns the AgentResult."""
    request = agent_request(context, agent, given)
    attempt = 1
    while True:
        try:
            result = yield context.call_activity(RUN_AGENT, request)
        except Exception as error:
            if attempt > len(BACKOFF_S) or not is_transient(error):
                raise AgentCallFailed(agent, attempt, error) from error
            failure = error
        else:
            count_usage(context, [result])
            return result
        yield _backoff(context, attempt, [failure])
        attempt += 1


def call_agents(context: df.DurableOrchestrationContext, requests: list[tuple[str, AgentInput]]) -> Steps:
    """Run several agents in parallel (`task_all`); returns their AgentResults in request order.

    `task_all` fails as soon as one call fails while the others keep running. Calls that already
    finished keep their result; after the backoff only the failed ones are scheduled again, and the
    same task objects are yielded once more so nothing is scheduled twice.
    """
    payloads = [agent_request(context, agent, given) for agent, given in requests]
    tasks = [context.call_activity(RUN_AGENT, payload) for payload in payloads]
    attempt = 1
    while True:
        try:
            results = yield context.task_all(tasks)
        except Exception:
            failed = [i for i, task in enumerate(tasks) if isinstance(task.result, Exception)]
        else:
            count_usage(context, results)
            return results
        for i in failed:
            if attempt > len(BACKOFF_S) or not is_transient(tasks[i].result):
                count_usage(context, [task.result for task in tasks if isinstance(task.result, dict)])
                raise AgentCallFailed(payloads[i]["agent"], attempt, tasks[i].result) from tasks[i].result
        yield _backoff(context, attempt, [tasks[i].result for i in failed])
        for i in failed:
            tasks[i] = context.call_activity(RUN_AGENT, payloads[i])
        attempt += 1
