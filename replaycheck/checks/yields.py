"""RC007, RC011, RC012: orchestrator code the SDK cannot drive.

The SDK drives exactly one generator, the orchestrator, and sees a task only when that
generator yields it (directly or through `yield from`). An `async def` orchestrator, a
generator helper called without `yield from` and a `yield` inside a nested def, lambda
or comprehension all produce tasks (or nothing) the SDK never schedules.
"""

import ast
from collections.abc import Iterator

from replaycheck.report import Finding
from replaycheck.resolve import FunctionRef
from replaycheck.scope import FunctionScope, is_generator, walk_own_scope

_HIDING_SCOPES = (ast.Lambda, ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)


def check(scope: FunctionScope, is_orchestrator: bool) -> Iterator[Finding]:
    """Flag async orchestrators, un-delegated generator calls and hidden nested yields."""
    if is_orchestrator and isinstance(scope.node, ast.AsyncFunctionDef):
        yield Finding.at(scope.path, scope.node, "RC007", f"orchestrator `{scope.node.name}` is `async def`")
    hidden: dict[ast.Yield | ast.YieldFrom, str] = {}
    for node in scope.body_nodes():
        if isinstance(node, ast.Call):
            yield from undelegated_generator_call(node, scope)
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and is_generator(node):
            if not only_delegated(node.name, scope):
                yield Finding.at(
                    scope.path, node, "RC012", f"nested generator `{node.name}` is not run with `yield from`"
                )
        elif isinstance(node, _HIDING_SCOPES):
            kind = "a lambda" if isinstance(node, ast.Lambda) else "a comprehension"
            for hidden_yield in own_yields(node):
                hidden.setdefault(hidden_yield, kind)
    for node, kind in hidden.items():
        yield Finding.at(scope.path, node, "RC012", f"`yield` inside {kind} never reaches the SDK")


def undelegated_generator_call(call: ast.Call, scope: FunctionScope) -> Iterator[Finding]:
    """A call to a project generator function whose result is not handed to `yield from`."""
    target = scope.resolve(call.func)
    if not isinstance(target, FunctionRef) or not is_generator(target.node):
        return
    if not isinstance(scope.parents.get(call), ast.YieldFrom) and not delegated_later(call, scope):
        name = target.node.name
        yield Finding.at(
            scope.path, call, "RC011", f"generator helper `{name}(...)` is called without `yield from`"
        )


def delegated_later(call: ast.Call, scope: FunctionScope) -> bool:
    """`steps = helper(context)` followed by `yield from steps` delegates too."""
    parent = scope.parents.get(call)
    if not (isinstance(parent, ast.Assign) and len(parent.targets) == 1):
        return False
    target = parent.targets[0]
    return isinstance(target, ast.Name) and any(
        isinstance(node, ast.YieldFrom) and isinstance(node.value, ast.Name) and node.value.id == target.id
        for node in ast.walk(scope.node)
    )


def only_delegated(name: str, scope: FunctionScope) -> bool:
    """True when every use of a nested generator is `yield from name(...)`."""
    for node in ast.walk(scope.node):
        if isinstance(node, ast.Name) and node.id == name and isinstance(node.ctx, ast.Load):
            call = scope.parents.get(node)
            if not isinstance(call, ast.Call) or call.func is not node:
                return False
            if not isinstance(scope.parents.get(call), ast.YieldFrom):
                return False
    return True


def own_yields(
    node: ast.Lambda | ast.ListComp | ast.SetComp | ast.DictComp | ast.GeneratorExp,
) -> list[ast.Yield | ast.YieldFrom]:
    """`yield` expressions that belong to a lambda or comprehension, not to functions inside it."""
    parts = [node.body] if isinstance(node, ast.Lambda) else comprehension_parts(node)
    walked = (inner for part in parts for inner in walk_own_scope(part))
    return [inner for inner in walked if isinstance(inner, ast.Yield | ast.YieldFrom)]


def comprehension_parts(node: ast.ListComp | ast.SetComp | ast.DictComp | ast.GeneratorExp) -> list[ast.expr]:
    """The expressions evaluated inside a comprehension's own scope (all but the first source)."""
    elements = [node.key, node.value] if isinstance(node, ast.DictComp) else [node.elt]
    conditions = [condition for generator in node.generators for condition in generator.ifs]
    later_sources = [generator.iter for generator in node.generators[1:]]
    return elements + conditions + later_sources
