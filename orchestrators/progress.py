"""The progress custom status every workflow sets before each step.

The API shows it as a run's `progress` and the approval endpoint reads its `step`, so the shape is
fixed by docs/contracts.md: `{"step", "index", "of", "last"}`.
"""

from typing import Any

import azure.durable_functions as df

LAST_TEXT_LIMIT = 200
_ELLIPSIS = "..."


def short(text: Any) -> str:
    """Text cut to at most LAST_TEXT_LIMIT characters, so custom status stays small."""
    value = text if isinstance(text, str) else ("" if text is None else str(text))
    if len(value) <= LAST_TEXT_LIMIT:
        return value
    return value[: LAST_TEXT_LIMIT - len(_ELLIPSIS)] + _ELLIPSIS


def report(
    context: df.DurableOrchestrationContext, step: str, index: int, of: int, last: Any, **extra: Any
) -> None:
    """Announce that step `index` of at most `of` (1-based) starts; `last` is the latest output.

    `extra` adds workflow-specific fields (a graph's superstep, executors and pending input).
    """
    context.set_custom_status({"step": step, "index": index, "of": of, "last": short(last), **extra})
