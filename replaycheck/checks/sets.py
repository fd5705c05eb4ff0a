"""RC009: iterating a set. String hashing is salted per process, so a set of strings
comes out in a different order on the next worker, and so do the tasks scheduled from it.
"""

import ast
from collections.abc import Iterator
from typing import TypeGuard

from replaycheck.bindings import Declared, External, dotted_parts
from replaycheck.report import Finding
from replaycheck.scope import FunctionScope

# Consumers whose result does not depend on the order they see the items in.
_ORDER_FREE = frozenset({"sorted", "set", "frozenset", "min", "max", "sum", "any", "all", "len"})
# Builtins that turn their iterable arguments into an ordered sequence or iterator.
_ORDERING = frozenset({"list", "tuple", "enumerate", "iter", "zip", "map", "filter", "dict.fromkeys"})
_SET_METHODS = frozenset({"union", "intersection", "difference", "symmetric_difference", "copy"})
_SET_OPERATORS = (ast.BitOr, ast.BitAnd, ast.Sub, ast.BitXor)
_SET_TYPES = frozenset({"set", "frozenset", "Set", "FrozenSet", "AbstractSet", "MutableSet"})


def check(scope: FunctionScope, is_orchestrator: bool) -> Iterator[Finding]:
    """Flag every place where the order of a set's items leaks into the orchestration."""
    sets = SetTracker(scope)
    for node in scope.body_nodes():
        for iterated in iterated_exprs(node, scope):
            if sets.is_set(iterated):
                yield Finding.at(scope.path, iterated, "RC009", f"`{ast.unparse(iterated)}` is a set")
        if is_set_pop(node, sets):
            yield Finding.at(scope.path, node, "RC009", "`.pop()` on a set takes an arbitrary item")


def iterated_exprs(node: ast.AST, scope: FunctionScope) -> Iterator[ast.expr]:
    """The expressions `node` iterates in order: loop and comprehension sources, list()/join() args."""
    if isinstance(node, ast.For | ast.AsyncFor):
        yield node.iter
    elif isinstance(node, ast.ListComp | ast.DictComp | ast.GeneratorExp) and not feeds_order_free(
        node, scope
    ):
        yield from (generator.iter for generator in node.generators)
    elif isinstance(node, ast.Call):
        if isinstance(node.func, ast.Attribute) and node.func.attr == "join":
            yield from node.args[:1]
        else:
            target = scope.resolve(node.func)
            if isinstance(target, External) and target.qualname in _ORDERING:
                yield from node.args
    elif isinstance(node, ast.Starred) and not isinstance(scope.parents.get(node), ast.Set):
        yield node.value


def feeds_order_free(node: ast.expr, scope: FunctionScope) -> bool:
    """True for `sorted(x for x in s)`, `any([...])`: the consumer ignores the order."""
    parent = scope.parents.get(node)
    if not isinstance(parent, ast.Call) or node not in parent.args:
        return False
    target = scope.resolve(parent.func)
    return isinstance(target, External) and target.qualname in _ORDER_FREE


def is_set_pop(node: ast.AST, sets: "SetTracker") -> TypeGuard[ast.Call]:
    """`s.pop()` on a set removes whichever item hashing put first."""
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "pop"
        and not node.args
        and sets.is_set(node.func.value)
    )


class SetTracker:
    """Decides whether an expression is a set: literals, set(), set operators and names bound
    only to sets (a name bound in a cycle, `s |= other`, is assumed a set while it is checked)."""

    def __init__(self, scope: FunctionScope) -> None:
        self.scope = scope
        self._checking: set[str] = set()

    def is_set(self, expr: ast.expr) -> bool:
        """True when `expr` evaluates to a set or frozenset."""
        if isinstance(expr, ast.Set | ast.SetComp):
            return True
        if isinstance(expr, ast.Call):
            if isinstance(expr.func, ast.Attribute) and expr.func.attr in _SET_METHODS:
                return self.is_set(expr.func.value)
            target = self.scope.resolve(expr.func)
            return isinstance(target, External) and target.qualname in ("set", "frozenset")
        if isinstance(expr, ast.BinOp) and isinstance(expr.op, _SET_OPERATORS):
            return self.is_set(expr.left) or self.is_set(expr.right)
        if isinstance(expr, ast.Name):
            return self.is_set_name(expr.id)
        return False

    def is_set_name(self, name: str) -> bool:
        """True when every binding of `name` is a set (or is annotated as one)."""
        if name in self._checking:
            return True
        values = self.scope.bound_values(name)
        if not values:
            return False
        self._checking.add(name)
        try:
            return all(self.is_set_value(value) for value in values)
        finally:
            self._checking.discard(name)

    def is_set_value(self, value: ast.expr | Declared | None) -> bool:
        """One binding: an assigned expression, an annotation (`ids: set[str]`) or unknown (None)."""
        if isinstance(value, Declared):
            annotation = value.annotation
            if isinstance(annotation, ast.Subscript):
                annotation = annotation.value
            parts = dotted_parts(annotation)
            return bool(parts and parts[-1] in _SET_TYPES)
        return value is not None and self.is_set(value)
