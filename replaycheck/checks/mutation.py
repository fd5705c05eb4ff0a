"""RC010: mutating module globals. A worker process runs many orchestrations and replays;
state kept in a module outlives one replay and leaks between instances.
"""

import ast
from collections.abc import Iterator

from replaycheck.bindings import ProjectModule
from replaycheck.report import Finding
from replaycheck.resolve import ProjectValue
from replaycheck.scope import FunctionScope

_MUTATING_METHODS = frozenset(
    {"append", "extend", "insert", "pop", "remove", "clear", "update", "setdefault", "popitem"}
    | {"add", "discard", "sort", "reverse", "appendleft", "extendleft", "popleft", "rotate"}
    | {"difference_update", "intersection_update", "symmetric_difference_update", "__setitem__"}
)


def check(scope: FunctionScope, is_orchestrator: bool) -> Iterator[Finding]:
    """Flag `global` statements, stores into module objects and mutating calls on them."""
    for node in scope.body_nodes():
        if isinstance(node, ast.Global):
            names = ", ".join(node.names)
            yield Finding.at(scope.path, node, "RC010", f"`global {names}` rebinds module state")
        for target in store_targets(node):
            if module_root(target, scope):
                yield Finding.at(
                    scope.path, target, "RC010", f"`{ast.unparse(target)}` changes a module global"
                )
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in _MUTATING_METHODS
            and module_root(node.func.value, scope)
        ):
            yield Finding.at(
                scope.path, node, "RC010", f"`{ast.unparse(node.func)}()` changes a module global"
            )


def store_targets(node: ast.AST) -> Iterator[ast.expr]:
    """Attribute and item targets of assignments and `del` (plain names are locals)."""
    if isinstance(node, ast.Assign):
        targets = node.targets
    elif isinstance(node, ast.AugAssign | ast.AnnAssign):
        targets = [node.target]
    elif isinstance(node, ast.Delete):
        targets = node.targets
    else:
        return
    for target in targets:
        yield from flatten_target(target)


def flatten_target(target: ast.expr) -> Iterator[ast.expr]:
    """`a[k], b.x = ...` -> `a[k]`, `b.x`."""
    if isinstance(target, ast.Tuple | ast.List):
        for element in target.elts:
            yield from flatten_target(element)
    elif isinstance(target, ast.Starred):
        yield from flatten_target(target.value)
    elif isinstance(target, ast.Attribute | ast.Subscript):
        yield target


def module_root(expr: ast.expr, scope: FunctionScope) -> bool:
    """True when `expr` is (an attribute or item of) a module-level variable.

    The variable may be this module's (`seen`) or another project module's reached through it
    (`state.seen`, `orchestrators.state.counter`): both live as long as the worker process.
    """
    while isinstance(expr, ast.Attribute | ast.Subscript):
        owner = scope.resolve(expr.value) if isinstance(expr, ast.Attribute) else None
        if isinstance(owner, ProjectModule | ProjectValue):
            return True
        expr = expr.value
    return isinstance(expr, ast.Name) and scope.is_module_variable(expr.id)
