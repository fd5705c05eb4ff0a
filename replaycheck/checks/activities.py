"""RC013: calling a registered activity function directly from orchestrator code.

The call runs inline, so it runs again on every replay (a payment charged once per
episode) and its result is not recorded in the history. The fix names the activity as
the app registered it, so the hint is the exact line to write.
"""

import ast
from collections.abc import Iterator
from pathlib import Path

from replaycheck.report import Finding
from replaycheck.resolve import FunctionRef
from replaycheck.scope import FunctionScope


def check(scope: FunctionScope, activities: dict[tuple[Path, int], str]) -> Iterator[Finding]:
    """Flag each direct call of a function registered with `activity_trigger`."""
    for node in scope.body_nodes():
        if not isinstance(node, ast.Call):
            continue
        target = scope.resolve(node.func)
        if isinstance(target, FunctionRef) and target.key in activities:
            name = activities[target.key]
            yield Finding.at(
                scope.path,
                node,
                "RC013",
                f"`{ast.unparse(node.func)}(...)` runs activity `{name}` inline, again on every replay",
                hint=f'yield context.call_activity("{name}", ...)',
            )
