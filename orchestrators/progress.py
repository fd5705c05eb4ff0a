"""The progress custom status every workflow sets before each step, with the run's token usage so far.

The API shows it as a run's `progress` and the approval endpoint reads its `step`, so the shape is
fixed by docs/contracts.md: `{"step", "index", "of", "last", "usage"}`, plus `decided` once the run
took a person's decision (`take_decision`).

`usage` is counted here, from the AgentResults `call_agent` / `call_agents` return, and published
with every report and after every agent step. The run document reads it from the custom status, so
reading a run never needs its history (on Azure that read returns the whole history, however long).
The tally lives beside the context of one episode and is rebuilt by replay, as every local is.
"""

import json
from dataclasses import dataclass, field
from typing import Any
from weakref import WeakKeyDictionary

import azure.durable_functions as df

from orchestrators.contract import DECIDED, DECISION_ID, STARTING

LAST_TEXT_LIMIT = 200
DECISIONS_KEPT = 10  # the latest decisions listed under `decided`: custom status stays small
_ELLIPSIS = "..."


@dataclass
class _Progress:
    """The last reported step and the tokens of every agent step that finished so far."""

    report: dict[str, Any] | None = None
    usage: dict[str, int] = field(default_factory=lambda: {"input_tokens": 0, "output_tokens": 0})
    decided: dict[str, str | None] = field(default_factory=dict)


_EPISODES: "WeakKeyDictionary[df.DurableOrchestrationContext, _Progress]" = WeakKeyDictionary()


def short(text: Any) -> str:
    """Text cut to at most LAST_TEXT_LIMIT characters, so custom status stays small.

    A value that is not text (a graph's output: an object, a list, a number) is shown as JSON, the
    form it has in the run's `output`, never as Python's repr.
    """
    value = text if isinstance(text, str) else ("" if text is None else _json_text(text))
    if len(value) <= LAST_TEXT_LIMIT:
        return value
    return value[: LAST_TEXT_LIMIT - len(_ELLIPSIS)] + _ELLIPSIS


def _json_text(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(", ", ": "), default=str)


def report(
    context: df.DurableOrchestrationContext, step: str, index: int, of: int, last: Any, **extra: Any
) -> None:
    """Announce that step `index` of at most `of` (1-based) starts; `last` is the latest output.

    `extra` adds workflow-specific fields (a graph's superstep, executors and pending input).
    """
    progress = _progress(context)
    progress.report = {"step": step, "index": index, "of": of, "last": short(last), **extra}
    _publish(context, progress)


def count_usage(context: df.DurableOrchestrationContext, results: list[dict[str, Any]]) -> None:
    """Add finished agent steps' tokens to the run's usage and publish it with the last report.

    Publishing at once keeps `usage` exact even when the run fails before its next report. A run
    whose agents finish before its first report (a graph's first superstep) shows step `starting`.
    """
    progress = _progress(context)
    if progress.report is None:
        progress.report = {"step": STARTING, "index": 0, "of": 0, "last": ""}
    for result in results:
        counts = result.get("usage") if isinstance(result, dict) else None
        if isinstance(counts, dict):
            for name in progress.usage:
                progress.usage[name] += _count(counts.get(name))
    _publish(context, progress)


def take_decision(context: df.DurableOrchestrationContext, wait: str, payload: Any) -> None:
    """Note (and publish at once) that the run took the decision in `payload` for `wait`.

    The API reads `decided[wait]` to tell the caller whose decision this was from a caller whose
    decision, sent at the same moment, the run ignored (api/decision_outcome.py).
    """
    progress = _progress(context)
    decision_id = payload.get(DECISION_ID) if isinstance(payload, dict) else None
    progress.decided.pop(wait, None)
    progress.decided[wait] = decision_id if isinstance(decision_id, str) else None
    while len(progress.decided) > DECISIONS_KEPT:
        del progress.decided[next(iter(progress.decided))]
    _publish(context, progress)


def _progress(context: df.DurableOrchestrationContext) -> _Progress:
    progress = _EPISODES.get(context)
    if progress is None:
        # Keyed by this episode's context, which the next episode does not share: replay rebuilds it.
        progress = _EPISODES[context] = _Progress()  # replaycheck: ignore[RC010]
    return progress


def _publish(context: df.DurableOrchestrationContext, progress: _Progress) -> None:
    if progress.report is not None:  # before the first report there is no progress to show
        shown = {**progress.report, "usage": dict(progress.usage)}
        if progress.decided:
            shown[DECIDED] = dict(progress.decided)
        context.set_custom_status(shown)


def _count(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0
