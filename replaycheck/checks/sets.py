"""RC009: iterating a set. String hashing is salted per process, so a set of strings
comes out in a different order on the next worker, and so do the tasks scheduled from it.
"""

import ast
from collections.abc import Iterator
from typing import TypeGuard

from replaycheck.bindings import Declared, External, dotted_parts
from replaycheck.report import Finding
from replaycheck.resolve import FunctionRef
from replaycheck.scope import FunctionScope, build_scope, is_generator, own_scope_nodes

# Consumers whose result does not depend on the order they see the items in.
_ORDER_FREE = frozenset({"sorted", "set", "frozenset", "min", "max", "sum", "any", "all", "len"})
# Builtins that turn their iterable arguments into an ordered sequence or iterator.
_ORDERING = frozenset({"list", "tuple", "enumerate", "iter", "zip", "map", "filter", "dict.fromkeys"})
_SET_METHODS = frozenset({"union", "intersection", "difference", "symmetric_difference", "copy"})
_SET_OPERATORS = (ast.BitOr, ast.BitAnd, ast.Sub, ast.BitXor)
_SET_TYPES = frozenset({"set", "frozenset", "Set", "FrozenSet", "AbstractSet", "MutableSet"})
# How many helper calls deep a set-returning helper is followed (`a()` returns `b()` returns a set).
_MAX_HELPER_DEPTH = 3


def is_dict_view(expr: ast.expr) -> bool:
    """`d.keys()` or `d.items()`: set-like, so `|`, `&`, `-` and `^` on them make a set."""
    return (
        isinstance(expr, ast.Call)
        and isinstance(expr.func, ast.Attribute)
        and expr.func.attr in ("keys", "items")
        and not expr.args
    )


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
    """Decides whether an expression is a set: literals, set(), set operators (also on dict views,
    `old.keys() | new.keys()`), calls of project helpers whose every return is a set, and names
    bound only to sets (a name bound in a cycle, `s |= other`, is assumed a set while it is checked)."""

    def __init__(self, scope: FunctionScope, depth: int = 0) -> None:
        self.scope = scope
        self.depth = depth
        self._checking: set[str] = set()

    def is_set(self, expr: ast.expr) -> bool:
        """True when `expr` evaluates to a set or frozenset."""
        if isinstance(expr, ast.Set | ast.SetComp):
            return True
        if isinstance(expr, ast.Call):
            if isinstance(expr.func, ast.Attribute) and expr.func.attr in _SET_METHODS:
                return self.is_set(expr.func.value)
            target = self.scope.resolve(expr.func)
            if isinstance(target, FunctionRef):
                return self.returns_only_sets(target)
            return isinstance(target, External) and target.qualname in ("set", "frozenset")
        if isinstance(expr, ast.BinOp) and isinstance(expr.op, _SET_OPERATORS):
            operands = (expr.left, expr.right)
            return any(self.is_set(operand) or is_dict_view(operand) for operand in operands)
        if isinstance(expr, ast.Name):
            return self.is_set_name(expr.id)
        return False

    def returns_only_sets(self, helper: FunctionRef) -> bool:
        """True when a (non-generator) project helper returns a set on every `return`."""
        module = self.scope.resolver.module(helper.path)
        if self.depth >= _MAX_HELPER_DEPTH or module is None or is_generator(helper.node):
            return False
        returned = [node.value for node in own_scope_nodes(helper.node) if isinstance(node, ast.Return)]
        if not returned or any(value is None for value in returned):
            return False
        tracker = SetTracker(
            build_scope(helper.path, helper.node, module, self.scope.resolver), self.depth + 1
        )
        return all(value is not None and tracker.is_set(value) for value in returned)

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
