"""Find what to check: the app's modules, its orchestrators and the helpers they reach.

Orchestrators are the functions registered with `orchestration_trigger` in any written
form (see registrations.py), plus generator functions whose first parameter is annotated
`DurableOrchestrationContext`. Helpers are the project functions an orchestrator reaches,
transitively: called, passed as a value (`sorted(key=score)`, `{"cfg": read_config}`),
aliased (`f = util.deeper`), a project class's methods (`Clock().now()`), or named in
the import-time value of a module variable it reads (`stamp = functools.partial(_stamp)`).
Each helper keeps the hop that first reached it from each orchestrator, so a finding in a
helper can say which orchestrator line led there. Registered activities are not entered:
an orchestrator that calls one directly is reported at the call (checks/activities.py).
"""

import ast
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from replaycheck.bindings import External, ProjectModule, ProjectName, dotted_parts, import_bindings
from replaycheck.registrations import ORCHESTRATION, Registration, registrations
from replaycheck.resolve import ClassRef, FunctionRef, ProjectValue, Resolver
from replaycheck.scope import FunctionScope, build_scope, is_generator
from replaycheck.values import value_reads

_CONTEXT_TYPE = "DurableOrchestrationContext"


@dataclass(frozen=True)
class Hop:
    """How a function was first reached: the function that names it and the expression there."""

    caller: tuple[Path, int]
    path: Path
    node: ast.Name | ast.Attribute


@dataclass
class Discovery:
    """Everything one run checks: scanned files, orchestrators and helpers with their scopes, the
    registered activities by name, how each orchestrator reaches each helper, and registrations
    that could not be resolved (so they are named, not silently skipped)."""

    files: list[Path] = field(default_factory=list)
    orchestrators: dict[tuple[Path, int], FunctionScope] = field(default_factory=dict)
    helpers: dict[tuple[Path, int], FunctionScope] = field(default_factory=dict)
    activities: dict[tuple[Path, int], str] = field(default_factory=dict)
    routes: dict[tuple[Path, int], dict[tuple[Path, int], Hop]] = field(default_factory=dict)
    unresolved: list[Registration] = field(default_factory=list)


def discover(entry_files: Iterable[Path], resolver: Resolver) -> Discovery:
    """Scan the entry files and the project modules they import, then collect helpers.

    A generator annotated with DurableOrchestrationContext that another checked function
    reaches (a `yield from` step helper) counts as a helper, not as an orchestrator."""
    found = Discovery(files=import_closure(entry_files, resolver))
    registered: dict[tuple[Path, int], FunctionRef] = {}
    annotated: dict[tuple[Path, int], FunctionRef] = {}
    for path in found.files:
        collect_registrations(path, resolver, found, registered)
        module = resolver.module(path)
        for function in module.functions.values() if module else []:
            if has_context_parameter(path, function, resolver):
                annotated.setdefault((path, function.lineno), FunctionRef(path, function))
    scopes = Scopes(resolver)
    roots = {**annotated, **registered}
    routes = {key: reach(scopes.of(ref), scopes, found.activities) for key, ref in roots.items()}
    reached = {key for route in routes.values() for key in route}
    keys = [key for key in roots if key in registered or key not in reached]
    found.orchestrators = {key: scopes.of(roots[key]) for key in keys}
    found.routes = {key: routes[key] for key in keys}
    found.helpers = {key: scopes.by_key[key] for key in reached if key not in found.orchestrators}
    return found


def collect_registrations(
    path: Path, resolver: Resolver, found: Discovery, registered: dict[tuple[Path, int], FunctionRef]
) -> None:
    """Add one module's orchestrator and activity registrations to what was found."""
    for registration in registrations(path, resolver):
        if not registration.functions:
            found.unresolved.append(registration)
        for function in registration.functions:
            if registration.trigger == ORCHESTRATION:
                registered.setdefault(function.key, function)
            else:
                found.activities[function.key] = registration.registered_name(function)


class Scopes:
    """Builds each function's checking scope once, however many orchestrators reach it."""

    def __init__(self, resolver: Resolver) -> None:
        self.resolver = resolver
        self.by_key: dict[tuple[Path, int], FunctionScope] = {}

    def of(self, ref: FunctionRef) -> FunctionScope:
        """The scope of a project function, built on first use."""
        if ref.key not in self.by_key:
            self.by_key[ref.key] = scope_of(ref, self.resolver)
        return self.by_key[ref.key]


def reach(
    root: FunctionScope, scopes: Scopes, activities: dict[tuple[Path, int], str]
) -> dict[tuple[Path, int], Hop]:
    """Every function the root reaches, transitively, with the hop that first reached it."""
    root_key = (root.path, root.node.lineno)
    hops: dict[tuple[Path, int], Hop] = {}
    queue = deque([root])
    while queue:
        caller = queue.popleft()
        for node, ref in referenced_functions(caller):
            if ref.key == root_key or ref.key in hops or ref.key in activities:
                continue
            hops[ref.key] = Hop((caller.path, caller.node.lineno), caller.path, node)
            queue.append(scopes.of(ref))
    return hops


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


def referenced_functions(scope: FunctionScope) -> Iterator[tuple[ast.Name | ast.Attribute, FunctionRef]]:
    """Project functions a checked function can run, each with the name or attribute that reaches it."""
    for node in scope.reads():
        target = scope.resolve(node)
        if isinstance(target, ProjectValue):
            targets = [read.target for read in value_reads(scope.resolver, target)]
        else:
            targets = [target] if target else []
        for found in targets:
            if isinstance(found, FunctionRef):
                yield node, found
            elif isinstance(found, ClassRef):
                yield from ((node, method) for method in found.methods())
