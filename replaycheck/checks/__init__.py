"""The determinism checks; each module owns one family of rules and yields findings for one function."""

from collections.abc import Callable, Iterator

from replaycheck.checks import apis, mutation, sets, yields
from replaycheck.report import Finding
from replaycheck.scope import FunctionScope

Check = Callable[[FunctionScope, bool], Iterator[Finding]]

CHECKS: tuple[Check, ...] = (apis.check, sets.check, mutation.check, yields.check)


def check_function(scope: FunctionScope, is_orchestrator: bool) -> Iterator[Finding]:
    """Every finding of every check for one orchestrator or helper."""
    for check in CHECKS:
        yield from check(scope, is_orchestrator)
