"""Which functions the app registers as orchestrators and as activities, in every written form.

Decorators (`@app.orchestration_trigger(...)`, also on a class's static method), calls
(`app.orchestration_trigger(...)(fn)`, `Orchestrator.create(fn)`), a registrar kept in a
variable (`register = app.orchestration_trigger(...)`; `register(fn)`), registration in a
module-level loop over a literal list (`for fn in (a, b): ...(fn)`) and a factory call
(`...(orchestrator_for(graph))`, whose factory is then checked with all it reaches). A
registration whose function cannot be resolved is returned too, without a function, so
the caller can say which one goes unchecked instead of skipping it silently.
"""

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from replaycheck.bindings import External, dotted_parts
from replaycheck.report import display_path
from replaycheck.resolve import FunctionRef, ProjectValue, Resolver

ORCHESTRATION = "orchestration_trigger"
ACTIVITY = "activity_trigger"
# The keyword that renames what a trigger registers, per trigger.
_NAME_KEYWORDS = {ORCHESTRATION: "orchestration", ACTIVITY: "activity"}


@dataclass(frozen=True)
class Registration:
    """One function registered under a trigger; `functions` is empty when it cannot be resolved."""

    trigger: str
    path: Path
    node: ast.expr | ast.stmt
    functions: tuple[FunctionRef, ...]
    name: str | None

    def registered_name(self, function: FunctionRef) -> str:
        """The name the host knows it by: the trigger's name keyword, else the function's own name."""
        return self.name or function.node.name

    def warning(self, cwd: Path) -> str:
        """The line printed for a registration that cannot be resolved, so it is not skipped silently."""
        shown = display_path(self.path, cwd)
        kind = self.trigger.removesuffix("_trigger")
        return (
            f"{shown}:{self.node.lineno}:{self.node.col_offset + 1}: warning: {kind} registered by "
            f"`{ast.unparse(self.node)}` cannot be resolved to a project function and is NOT checked"
        )


def registrations(path: Path, resolver: Resolver) -> Iterator[Registration]:
    """Every orchestrator and activity registration written in one module."""
    module = resolver.module(path)
    source = resolver.project.load(path)
    if module is None or source is None:
        return
    registrars = registrar_names(source.tree)
    decorated = [*module.functions.values()]
    for owner in module.classes.values():
        decorated += [node for node in owner.body if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)]
    for function in decorated:
        for decorator in function.decorator_list:
            trigger = trigger_of(decorator) or registrars.get(getattr(decorator, "id", ""))
            if trigger:
                yield Registration(
                    trigger, path, function, (FunctionRef(path, function),), name_of(decorator)
                )
    parents = {child: parent for parent in ast.walk(source.tree) for child in ast.iter_child_nodes(parent)}
    for node in ast.walk(source.tree):
        if isinstance(node, ast.Call) and node.args:
            trigger, registrar = registering_call(node, path, resolver, registrars)
            if trigger:
                functions = registered_functions(node.args[0], path, resolver, parents)
                yield Registration(trigger, path, node, functions, name_of(registrar))


def trigger_of(node: ast.expr) -> str | None:
    """`<app>.orchestration_trigger(...)` (or `activity_trigger`), called or bare, on any app or blueprint."""
    if isinstance(node, ast.Call):
        node = node.func
    if isinstance(node, ast.Attribute) and node.attr in _NAME_KEYWORDS:
        return node.attr
    return None


def name_of(registrar: ast.expr | None) -> str | None:
    """The constant `orchestration=`/`activity=` name a trigger call gives, if any."""
    if not isinstance(registrar, ast.Call):
        return None
    keyword = _NAME_KEYWORDS.get(trigger_of(registrar) or "")
    for argument in registrar.keywords:
        if argument.arg == keyword and isinstance(argument.value, ast.Constant):
            return str(argument.value.value)
    return None


def registrar_names(tree: ast.Module) -> dict[str, str]:
    """Module variables bound to a trigger call (`register = app.orchestration_trigger(...)`)."""
    names: dict[str, str] = {}
    for statement in tree.body:
        if isinstance(statement, ast.Assign) and isinstance(statement.value, ast.Call):
            trigger = trigger_of(statement.value)
            for target in statement.targets:
                if trigger and isinstance(target, ast.Name):
                    names[target.id] = trigger
    return names


def registering_call(
    call: ast.Call, path: Path, resolver: Resolver, registrars: dict[str, str]
) -> tuple[str | None, ast.expr | None]:
    """The trigger a call registers its first argument under, and the trigger call that names it."""
    if isinstance(call.func, ast.Call) and trigger_of(call.func.func):
        return trigger_of(call.func.func), call.func
    if isinstance(call.func, ast.Name) and call.func.id in registrars:
        return registrars[call.func.id], None
    parts = dotted_parts(call.func)
    target = resolver.resolve_own(path, parts) if parts else None
    if isinstance(target, External) and target.qualname.endswith("Orchestrator.create"):
        return ORCHESTRATION, None
    return None, None


def registered_functions(
    argument: ast.expr, path: Path, resolver: Resolver, parents: dict[ast.AST, ast.AST]
) -> tuple[FunctionRef, ...]:
    """The functions a registration's argument can be: a function or method, a factory whose
    result is registered, or a loop variable over a literal list (or a variable bound to one)."""
    if isinstance(argument, ast.Call):
        argument = argument.func
    found = resolver.function_at(path, argument)
    if found:
        return (found,)
    if not isinstance(argument, ast.Name):
        return ()
    loop = enclosing_loop(argument, parents)
    if loop is None:
        return ()
    where, elements = literal_elements(loop.iter, path, resolver)
    options = [resolver.function_at(where, element) for element in elements]
    return tuple(option for option in options if option) if options and all(options) else ()


def enclosing_loop(name: ast.Name, parents: dict[ast.AST, ast.AST]) -> ast.For | None:
    """The `for` statement whose plain loop variable `name` is, when the registration sits inside it."""
    node: ast.AST | None = name
    while node is not None:
        node = parents.get(node)
        if isinstance(node, ast.For) and isinstance(node.target, ast.Name) and node.target.id == name.id:
            return node
    return None


def literal_elements(iterable: ast.expr, path: Path, resolver: Resolver) -> tuple[Path, list[ast.expr]]:
    """The items of a literal tuple/list/set, also through a module variable bound once to one,
    with the module their names are written in."""
    if isinstance(iterable, ast.Tuple | ast.List | ast.Set):
        return path, list(iterable.elts)
    parts = dotted_parts(iterable)
    target = resolver.resolve_own(path, parts) if parts else None
    if not isinstance(target, ProjectValue):
        return path, []
    info = resolver.module(target.path)
    bound = info.values.get(target.name, []) if info else []
    if len(bound) == 1 and isinstance(bound[0], ast.Tuple | ast.List | ast.Set):
        return target.path, list(bound[0].elts)
    return path, []
