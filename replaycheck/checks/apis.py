"""RC001-RC006, RC008: calls and references to APIs whose result differs on every replay.

Names are judged after import aliases are resolved, so `from datetime import datetime
as dt; dt.now()` and `import time as t; t.time()` are both the wall clock.
"""

import ast
from collections.abc import Iterator

from replaycheck.bindings import Declared, External
from replaycheck.report import Finding
from replaycheck.rules import PATH_IO_METHODS, PATH_IO_METHODS_ON_PATHS, match_api
from replaycheck.scope import FunctionScope


def check(scope: FunctionScope, is_orchestrator: bool) -> Iterator[Finding]:
    """Flag non-deterministic API uses and pathlib reads/writes in one function."""
    for node in scope.body_nodes():
        if isinstance(node, ast.Name | ast.Attribute) and is_whole_chain(node, scope):
            target = scope.resolve(node)
            hit = match_api(target.qualname) if isinstance(target, External) else None
            if hit and isinstance(target, External):
                code, effect = hit
                yield Finding.at(scope.path, node, code, f"{describe(node, target.qualname)} {effect}")
        elif isinstance(node, ast.Call):
            method = path_io_method(node, scope)
            if method:
                yield Finding.at(scope.path, node, "RC006", f"`.{method}()` does file I/O")


def describe(node: ast.expr, qualname: str) -> str:
    """The name as written, plus what it resolved to when an alias hides it: `dt.now` (datetime...)."""
    written = ast.unparse(node)
    return f"`{written}`" if written == qualname else f"`{written}` ({qualname})"


def is_whole_chain(node: ast.Name | ast.Attribute, scope: FunctionScope) -> bool:
    """True for the longest `a.b.c` read: `os.environ.get` is judged whole, not `os` on its own."""
    parent = scope.parents.get(node)
    return isinstance(node.ctx, ast.Load) and not (isinstance(parent, ast.Attribute) and parent.value is node)


def path_io_method(call: ast.Call, scope: FunctionScope) -> str | None:
    """The method name of a pathlib read or write: `.read_text()` and friends on anything,
    `.open()`, `.exists()` and the like on a known path; None for other calls."""
    if not isinstance(call.func, ast.Attribute):
        return None
    method = call.func.attr
    if method in PATH_IO_METHODS:
        return method
    on_path = method in PATH_IO_METHODS_ON_PATHS and is_path(call.func.value, scope, depth=2)
    return method if on_path else None


def is_path(expr: ast.expr, scope: FunctionScope, depth: int) -> bool:
    """True when the expression builds a pathlib path, or is a name bound to one."""
    for node in ast.walk(expr):
        if isinstance(node, ast.Name | ast.Attribute):
            target = scope.resolve(node)
            if isinstance(target, External) and target.qualname.startswith("pathlib."):
                return True
    if not isinstance(expr, ast.Name) or depth == 0:
        return False
    for value in scope.bound_values(expr.id) or []:
        bound = value.annotation if isinstance(value, Declared) else value
        if bound is not None and is_path(bound, scope, depth - 1):
            return True
    return False
