"""RC001-RC006, RC008, RC014: calls and references to APIs whose result differs on every replay.

Names are judged after import aliases are resolved, so `from datetime import datetime
as dt; dt.now()` and `import time as t; t.time()` are both the wall clock. A module
variable the function reads is judged by the value it was assigned at import
(`MODE = os.getenv(...)`, `now = lambda: datetime.now()`), reported at the read.
"""

import ast
from collections.abc import Iterator

from replaycheck.bindings import Declared, External
from replaycheck.report import Finding, display_path
from replaycheck.resolve import ProjectValue
from replaycheck.rules import PATH_IO_METHODS, PATH_IO_METHODS_ON_PATHS, TIME_ARGUMENT, match_api
from replaycheck.scope import FunctionScope
from replaycheck.values import value_reads


def check(scope: FunctionScope, is_orchestrator: bool) -> Iterator[Finding]:
    """Flag non-deterministic API uses and pathlib reads/writes in one function."""
    for node in scope.reads():
        target = scope.resolve(node)
        if isinstance(target, External):
            hit = api_hit(target, scope.parents.get(node))
            if hit:
                code, effect = hit
                yield Finding.at(scope.path, node, code, f"{describe(node, target.qualname)} {effect}")
        elif isinstance(target, ProjectValue):
            yield from import_time_values(node, target, scope)
    for call in scope.body_nodes():
        if isinstance(call, ast.Call):
            method = path_io_method(call, scope)
            if method:
                yield Finding.at(scope.path, call, "RC006", f"`.{method}()` does file I/O")


def api_hit(target: External, parent: ast.AST | None) -> tuple[str, str] | None:
    """The rule a use of an external name breaks, if any. Pure forms are spared: a clock
    formatter given the time to format (`time.strftime(fmt, t)`) and `random.Random(seed)`."""
    call = parent if isinstance(parent, ast.Call) else None
    given = len(call.args) + len(call.keywords) if call else 0
    if target.qualname in TIME_ARGUMENT and call and len(call.args) > TIME_ARGUMENT[target.qualname]:
        return None
    if target.qualname == "random.Random" and given:
        return None
    return match_api(target.qualname)


def import_time_values(
    node: ast.Name | ast.Attribute, value: ProjectValue, scope: FunctionScope
) -> Iterator[Finding]:
    """Findings at a read of a module variable whose import-time value used a non-deterministic API."""
    root = scope.resolver.project.roots[0]
    for read in value_reads(scope.resolver, value):
        hit = api_hit(read.target, read.parent) if isinstance(read.target, External) else None
        if hit and isinstance(read.target, External):
            code, effect = hit
            where = f"{display_path(read.path, root)}:{read.node.lineno}"
            used = describe(read.node, read.target.qualname)
            message = f"`{ast.unparse(node)}` was set at import by {used} ({where}), which {effect}"
            yield Finding.at(scope.path, node, code, message)


def describe(node: ast.expr, qualname: str) -> str:
    """The name as written, plus what it resolved to when an alias hides it: `dt.now` (datetime...)."""
    written = ast.unparse(node)
    return f"`{written}`" if written == qualname else f"`{written}` ({qualname})"


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
