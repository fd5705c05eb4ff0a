"""Find what to check: the app's modules, its orchestrators and the helpers they call.

Orchestrators are found in three forms: decorated with `<app>.orchestration_trigger(...)`,
registered by calling `<app>.orchestration_trigger(...)(fn)` (fn resolved across
modules), or generator functions whose first parameter is annotated
`DurableOrchestrationContext`. Helpers are the module-level project functions they
call, transitively.
"""

import ast
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from replaycheck.bindings import External, ProjectModule, ProjectName, dotted_parts, import_bindings
from replaycheck.resolve import FunctionRef, Resolver
from replaycheck.scope import FunctionScope, build_scope, is_generator

_TRIGGER = "orchestration_trigger"
_CONTEXT_TYPE = "DurableOrchestrationContext"


@dataclass
class Discovery:
    """Everything one run checks: scanned files, orchestrators and helpers, with their scopes."""

    files: list[Path] = field(default_factory=list)
    orchestrators: dict[tuple[Path, int], FunctionScope] = field(default_factory=dict)
    helpers: dict[tuple[Path, int], FunctionScope] = field(default_factory=dict)


def discover(entry_files: Iterable[Path], resolver: Resolver) -> Discovery:
    """Scan the entry files and the project modules they import, then collect helpers.

    A generator annotated with DurableOrchestrationContext that another checked function
    calls (a `yield from` step helper) counts as a helper, not as an orchestrator."""
    found = Discovery(files=import_closure(entry_files, resolver))
    registered: dict[tuple[Path, int], FunctionScope] = {}
    annotated: dict[tuple[Path, int], FunctionScope] = {}
    for path in found.files:
        for ref, by_annotation in find_orchestrators(path, resolver):
            kind = annotated if by_annotation else registered
            if ref.key not in kind:
                kind[ref.key] = scope_of(ref, resolver)
    reached: dict[tuple[Path, int], FunctionScope] = {}
    queue = deque({**annotated, **registered}.values())
    while queue:
        caller = queue.popleft()
        for ref in called_functions(caller):
            if ref.key not in reached and ref.node is not caller.node:
                reached[ref.key] = (
                    annotated.get(ref.key) or registered.get(ref.key) or scope_of(ref, resolver)
                )
                queue.append(reached[ref.key])
    found.orchestrators = registered | {key: scope for key, scope in annotated.items() if key not in reached}
    found.helpers = {key: scope for key, scope in reached.items() if key not in found.orchestrators}
    return found


def scope_of(ref: FunctionRef, resolver: Resolver) -> FunctionScope:
    """Build the checking scope of a function of a project module."""
    module = resolver.module(ref.path)
    if module is None:
        raise ValueError(f"replaycheck: {ref.path} holds function {ref.node.name} but cannot be parsed")
    return build_scope(ref.path, ref.node, module, resolver)


def import_closure(entry_files: Iterable[Path], resolver: Resolver) -> list[Path]:
    """The entry files plus every project file they import, transitively, in discovery order."""
    seen: dict[Path, None] = {}
    queue = deque(path.resolve() for path in entry_files)
    while queue:
        path = queue.popleft()
        if path in seen:
            continue
        source = resolver.project.load(path)
        seen[path] = None
        if source is None:
            continue
        queue.extend(imported_files(path, source.tree, resolver))
    return [path for path in seen if path in resolver.project.files]


def imported_files(path: Path, tree: ast.Module, resolver: Resolver) -> Iterator[Path]:
    """Project files one module imports (anywhere in it, function-level imports included)."""
    project = resolver.project
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            locations = (project.find_module(alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            bindings = (binding for _, binding in import_bindings(node, path, project))
            locations = (b.location for b in bindings if isinstance(b, ProjectModule | ProjectName))
        else:
            continue
        yield from (location for location in locations if location and location.is_file())


def find_orchestrators(path: Path, resolver: Resolver) -> Iterator[tuple[FunctionRef, bool]]:
    """Orchestrators defined or registered in one module, in all three forms, each with
    whether it was found only by its context annotation."""
    module = resolver.module(path)
    source = resolver.project.load(path)
    if module is None or source is None:
        return
    for function in module.functions.values():
        if any(is_trigger(decorator) for decorator in function.decorator_list):
            yield FunctionRef(path, function), False
        elif has_context_parameter(path, function, resolver):
            yield FunctionRef(path, function), True
    for node in ast.walk(source.tree):
        registered = registered_function(node, path, resolver)
        if registered:
            yield registered, False


def is_trigger(node: ast.expr) -> bool:
    """`<app>.orchestration_trigger(...)` or the bare attribute, on any app or blueprint object."""
    if isinstance(node, ast.Call):
        node = node.func
    return isinstance(node, ast.Attribute) and node.attr == _TRIGGER


def registered_function(node: ast.AST, path: Path, resolver: Resolver) -> FunctionRef | None:
    """The function registered by `<app>.orchestration_trigger(...)(fn)` or `Orchestrator.create(fn)`."""
    if not isinstance(node, ast.Call) or not node.args:
        return None
    registering = isinstance(node.func, ast.Call) and is_trigger(node.func.func)
    if not registering:
        parts = dotted_parts(node.func)
        target = resolver.resolve_own(path, parts) if parts else None
        registering = isinstance(target, External) and target.qualname.endswith("Orchestrator.create")
    return resolver.function_at(path, node.args[0]) if registering else None


def has_context_parameter(
    path: Path, function: ast.FunctionDef | ast.AsyncFunctionDef, resolver: Resolver
) -> bool:
    """A generator (or `async def`) whose first parameter is annotated DurableOrchestrationContext."""
    parameters = [*function.args.posonlyargs, *function.args.args]
    if not parameters or parameters[0].annotation is None:
        return False
    if not (is_generator(function) or isinstance(function, ast.AsyncFunctionDef)):
        return False
    annotation = parameters[0].annotation
    if isinstance(annotation, ast.Constant) and isinstance(annotation.value, str):
        try:
            annotation = ast.parse(annotation.value, mode="eval").body
        except SyntaxError:
            return False
    parts = dotted_parts(annotation)
    if not parts:
        return False
    target = resolver.resolve_own(path, parts)
    named = isinstance(target, External) and target.qualname.split(".")[-1] == _CONTEXT_TYPE
    return named or parts[-1] == _CONTEXT_TYPE


def called_functions(scope: FunctionScope) -> Iterator[FunctionRef]:
    """Project functions the checked function calls (directly, or through `yield from`)."""
    for node in scope.body_nodes():
        if isinstance(node, ast.Call):
            target = scope.resolve(node.func)
            if isinstance(target, FunctionRef):
                yield target
