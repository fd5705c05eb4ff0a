"""One checked function's view of names: its locals shadow the module, its imports add to it.

A parameter called `time` is not the `time` module, and `import random` inside the
function is; the checks ask this scope what an expression refers to.
"""

import ast
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from replaycheck.bindings import (
    Binding,
    BoundValue,
    Declared,
    FunctionNode,
    ModuleInfo,
    ProjectName,
    dotted_parts,
    import_bindings,
    statement_bindings,
)
from replaycheck.resolve import Resolver, Target

_SCOPE_NODES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)


@dataclass
class FunctionScope:
    """Names, imports and parent links inside one function (nested functions included)."""

    path: Path
    node: FunctionNode
    module: ModuleInfo
    resolver: Resolver
    imports: dict[str, Binding] = field(default_factory=dict)
    values: dict[str, list[BoundValue]] = field(default_factory=dict)
    global_names: set[str] = field(default_factory=set)
    parents: dict[ast.AST, ast.AST] = field(default_factory=dict)

    def is_local(self, name: str) -> bool:
        """True when `name` is bound inside the function rather than taken from the module."""
        return name in self.values and name not in self.global_names

    def resolve(self, node: ast.expr) -> Target | None:
        """What a name or attribute chain refers to, or None when it is a local or unknown."""
        parts = dotted_parts(node)
        if not parts:
            return None
        head = parts[0]
        if head in self.imports:
            return self.resolver.follow(self.imports[head], parts[1:])
        if self.is_local(head):
            return None
        return self.resolver.resolve_own(self.module.path, parts)

    def bound_values(self, name: str) -> list[BoundValue] | None:
        """Every value `name` is bound to in the scope that owns it (function, else module)."""
        if self.is_local(name):
            return self.values[name]
        if name in self.imports or name in self.module.imports or name in self.module.functions:
            return None
        return self.module.values.get(name)

    def is_module_variable(self, name: str) -> bool:
        """True for a module-level variable (not a function or import) that the function can reach."""
        if self.is_local(name) or name in self.imports:
            return False
        imported = isinstance(self.module.imports.get(name), ProjectName)
        return imported or name in self.module.values or name in self.global_names

    def body_nodes(self) -> Iterator[ast.AST]:
        """Every node that runs when the function runs: the body, not annotations or decorators."""
        for statement in self.node.body:
            yield from executed_nodes(statement)

    def reads(self) -> Iterator[ast.Name | ast.Attribute]:
        """Every name or attribute chain the body reads, each judged whole (`os.environ.get`, not `os`)."""
        for node in self.body_nodes():
            if isinstance(node, ast.Name | ast.Attribute) and is_whole_read(node, self.parents.get(node)):
                yield node


def build_scope(path: Path, node: FunctionNode, module: ModuleInfo, resolver: Resolver) -> FunctionScope:
    """Collect the function's local bindings, local imports, `global` names and parent links."""
    scope = FunctionScope(path, node, module, resolver)
    for parent in ast.walk(node):
        for child in ast.iter_child_nodes(parent):
            scope.parents[child] = parent
    for inner in ast.walk(node):
        if isinstance(inner, ast.Import | ast.ImportFrom):
            scope.imports.update(import_bindings(inner, path, resolver.project))
        elif isinstance(inner, ast.Global):
            scope.global_names.update(inner.names)
        elif isinstance(inner, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            _bind_parameters(scope, inner)
            if not isinstance(inner, ast.Lambda) and inner is not node:
                scope.values.setdefault(inner.name, []).append(None)
        elif isinstance(inner, ast.ClassDef | ast.ExceptHandler) and inner.name:
            scope.values.setdefault(inner.name, []).append(None)
        else:
            for name, value in statement_bindings(inner):
                scope.values.setdefault(name, []).append(value)
    return scope


def _bind_parameters(scope: FunctionScope, function: FunctionNode | ast.Lambda) -> None:
    """Parameters are locals; an annotated one keeps its annotation for type-based checks."""
    arguments = function.args
    every = [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs]
    every += [arg for arg in (arguments.vararg, arguments.kwarg) if arg]
    for argument in every:
        bound = Declared(argument.annotation) if argument.annotation else None
        scope.values.setdefault(argument.arg, []).append(bound)


def is_whole_read(node: ast.Name | ast.Attribute, parent: ast.AST | None) -> bool:
    """True for the longest `a.b.c` read: `os.environ.get` is judged whole, not `os` on its own."""
    return isinstance(node.ctx, ast.Load) and not (isinstance(parent, ast.Attribute) and parent.value is node)


def executed_nodes(node: ast.AST) -> Iterator[ast.AST]:
    """Walk `node` but skip what does not run in the orchestrator: annotations, `except` types."""
    yield node
    for name, value in ast.iter_fields(node):
        if name in ("annotation", "returns", "type_comment"):
            continue
        if isinstance(node, ast.ExceptHandler) and name == "type":
            continue
        children = value if isinstance(value, list) else [value]
        for child in children:
            if isinstance(child, ast.AST):
                yield from executed_nodes(child)


def is_generator(function: FunctionNode | ast.Lambda) -> bool:
    """True when `yield` appears in the function's own scope (not in functions nested inside it)."""
    return any(isinstance(node, ast.Yield | ast.YieldFrom) for node in own_scope_nodes(function))


def own_scope_nodes(function: FunctionNode | ast.Lambda) -> Iterator[ast.AST]:
    """Nodes of a function body that belong to it, stopping at nested functions, lambdas and classes."""
    children = (
        function.body if isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef) else [function.body]
    )
    for child in children:
        yield from walk_own_scope(child)


def walk_own_scope(node: ast.AST) -> Iterator[ast.AST]:
    """Walk `node` without entering the functions, lambdas and classes nested in it."""
    yield node
    if isinstance(node, _SCOPE_NODES):
        return
    for child in ast.iter_child_nodes(node):
        yield from walk_own_scope(child)
