"""RC007, RC011, RC012: orchestrator code the SDK cannot drive.

The SDK drives exactly one generator, the orchestrator, and sees a task only when that
generator yields it (directly or through `yield from`). An `async def` orchestrator, a
generator helper called without `yield from` and a `yield` inside a nested def, lambda
or comprehension all produce tasks (or nothing) the SDK never schedules.
"""

import ast
from collections.abc import Iterator

from replaycheck.bindings import External, FunctionNode, dotted_parts
from replaycheck.report import Finding
from replaycheck.resolve import FunctionRef
from replaycheck.scope import FunctionScope, is_generator, own_scope_nodes, walk_own_scope

_HIDING_SCOPES = (ast.Lambda, ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)
_CONTEXT_TYPE = "DurableOrchestrationContext"
# DurableOrchestrationContext methods whose result is a task the SDK must see yielded.
_TASK_METHODS = frozenset(
    {"call_activity", "call_activity_with_retry", "call_sub_orchestrator", "call_sub_orchestrator_with_retry"}
    | {"call_entity", "call_http", "create_timer", "wait_for_external_event", "task_all", "task_any"}
)
# Builtins that run a generator to its end (or one step) where they are called.
_CONSUMERS = frozenset({"list", "tuple", "next"})


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
    """A call to a project generator that yields durable tasks, whose result no one drives:
    not `yield from` (directly or as a branch of `yield from (a(...) if q else b(...))`), not
    assigned and delegated later, not looped over or consumed by list()/next()/tuple()."""
    target = scope.resolve(call.func)
    if not isinstance(target, FunctionRef) or not yields_durable_tasks(target.node):
        return
    if delegated(call, scope) or delegated_later(call, scope) or consumed(call, scope):
        return
    name = target.node.name
    yield Finding.at(
        scope.path, call, "RC011", f"generator helper `{name}(...)` is called without `yield from`"
    )


def yields_durable_tasks(function: FunctionNode) -> bool:
    """A generator whose items are durable tasks: it takes the orchestration context, or yields
    `context.*` tasks or delegates with `yield from`. Plain generators (batching, walking an
    error's causes) and @contextmanager functions are ordinary Python and may be used freely."""
    if not is_generator(function) or any(
        is_context_manager(decorator) for decorator in function.decorator_list
    ):
        return False
    if any(takes_context(argument) for argument in [*function.args.posonlyargs, *function.args.args]):
        return True
    for node in own_scope_nodes(function):
        if isinstance(node, ast.YieldFrom):
            return True
        value = node.value if isinstance(node, ast.Yield) else None
        if (
            isinstance(value, ast.Call)
            and isinstance(value.func, ast.Attribute)
            and value.func.attr in _TASK_METHODS
        ):
            return True
    return False


def takes_context(argument: ast.arg) -> bool:
    """A parameter named `context` or annotated as the orchestration context."""
    annotation = argument.annotation
    written = ast.unparse(annotation) if annotation is not None else ""
    return argument.arg == "context" or _CONTEXT_TYPE in written


def is_context_manager(decorator: ast.expr) -> bool:
    """`@contextmanager` / `@asynccontextmanager`, however imported."""
    parts = dotted_parts(decorator.func if isinstance(decorator, ast.Call) else decorator)
    return parts is not None and parts[-1] in ("contextmanager", "asynccontextmanager")


def delegated(call: ast.Call, scope: FunctionScope) -> bool:
    """The call's generator goes to `yield from`, possibly as one branch of a conditional."""
    node: ast.AST = call
    parent = scope.parents.get(node)
    while isinstance(parent, ast.IfExp) and node is not parent.test:
        node, parent = parent, scope.parents.get(parent)
    return isinstance(parent, ast.YieldFrom)


def consumed(call: ast.Call, scope: FunctionScope) -> bool:
    """The generator is iterated right there: a `for` source, a list()/next()/tuple() argument,
    or an `async with` / `with` target."""
    parent = scope.parents.get(call)
    if isinstance(parent, ast.For | ast.AsyncFor | ast.comprehension):
        return parent.iter is call
    if isinstance(parent, ast.withitem):
        return parent.context_expr is call
    if isinstance(parent, ast.Call) and call in parent.args:
        target = scope.resolve(parent.func)
        return isinstance(target, External) and target.qualname in _CONSUMERS
    return False


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
    """True when every use of a nested generator is `yield from name(...)`, or `return name`
    from a factory whose result is registered as the orchestrator (the SDK then drives it),
    besides setting its attributes (`name.__name__ = ...`)."""
    for node in ast.walk(scope.node):
        if isinstance(node, ast.Name) and node.id == name and isinstance(node.ctx, ast.Load):
            call = scope.parents.get(node)
            returned = isinstance(call, ast.Return)
            if returned or (isinstance(call, ast.Attribute) and isinstance(call.ctx, ast.Store)):
                continue
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
