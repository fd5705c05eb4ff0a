"""The run's input, checked to be the JSON object every workflow expects.

The run API validates inputs before it starts a run, so this only fails for a run started some other
way (the management API, a test) with no input or a non-object one: the run then fails with a message
saying what it got, instead of a bare ``TypeError`` deep inside a step.
"""

from typing import Any

import azure.durable_functions as df


def workflow_input(context: df.DurableOrchestrationContext) -> dict[str, Any]:
    """The input object of this orchestration."""
    given = context.get_input()
    if not isinstance(given, dict):
        raise ValueError(f"this workflow's input must be a JSON object, got {type(given).__name__}")
    return given
