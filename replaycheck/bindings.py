"""What the names of a module are bound to: imports, functions and module-level variables.

Resolving `from datetime import datetime as dt` or `from orchestrators.steps import ask`
starts here; `resolve.py` follows these bindings across modules.
"""

import ast
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from replaycheck.project import Project, submodule

FunctionNode = ast.FunctionDef | ast.AsyncFunctionDef


@dataclass(frozen=True)
class External:
    """A name from outside the project (stdlib, site-packages, builtins), by qualified name."""

    qualname: str


@dataclass(frozen=True)
class ProjectModule:
    """A project module (a `.py` file, a package `__init__.py`, or a namespace package folder)."""

    location: Path


@dataclass(frozen=True)
class ProjectName:
    """`from <project module> import name` where `name` is not a submodule."""

    location: Path
    name: str


Binding = External | ProjectModule | ProjectName


@dataclass(frozen=True)
class Declared:
    """A name bound without a known value but with a type annotation (a parameter, `x: set[str]`)."""

    annotation: ast.expr


# What a name was bound to: an assigned value, an annotation, or None for anything else
# (loop targets, unpacking, `with ... as`), which means "unknown".
BoundValue = ast.expr | Declared | None


@dataclass
class ModuleInfo:
    """The module-level bindings of one project file."""

    path: Path
    imports: dict[str, Binding] = field(default_factory=dict)
    functions: dict[str, FunctionNode] = field(default_factory=dict)
    classes: dict[str, ast.ClassDef] = field(default_factory=dict)
    values: dict[str, list[BoundValue]] = field(default_factory=dict)


def module_info(path: Path, tree: ast.Module, project: Project) -> ModuleInfo:
    """Collect a module's top-level imports, functions and variables (also inside `if`/`try`)."""
    info = ModuleInfo(path)
    for statement in module_level_statements(tree.body):
        if isinstance(statement, ast.Import | ast.ImportFrom):
            info.imports.update(import_bindings(statement, path, project))
        elif isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef):
            info.functions[statement.name] = statement
        elif isinstance(statement, ast.ClassDef):
            info.classes[statement.name] = statement
            info.values.setdefault(statement.name, []).append(None)
        else:
            for name, value in statement_bindings(statement):
                info.values.setdefault(name, []).append(value)
    return info


def module_level_statements(body: Iterable[ast.stmt]) -> Iterator[ast.stmt]:
    """Statements that run at import time: the body plus nested if/try/with/loop blocks."""
    for statement in body:
        yield statement
        if isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            continue
        for name in ("body", "orelse", "finalbody"):
            yield from module_level_statements(getattr(statement, name, []))
        for handler in getattr(statement, "handlers", []):
            yield from module_level_statements(handler.body)


def statement_bindings(statement: ast.AST) -> Iterator[tuple[str, BoundValue]]:
    """The names one assignment-like statement binds, with the value each gets when it is known."""
    if isinstance(statement, ast.Assign):
        for target in statement.targets:
            yield from target_bindings(target, statement.value)
    elif isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name):
        yield statement.target.id, Declared(statement.annotation)
    elif isinstance(statement, ast.AugAssign) and isinstance(statement.target, ast.Name):
        # `s |= other` keeps `s` a set exactly when `s | other` is one.
        target = ast.Name(statement.target.id, ast.Load())
        yield statement.target.id, ast.BinOp(target, statement.op, statement.value)
    elif isinstance(statement, ast.For | ast.AsyncFor | ast.comprehension):
        yield from target_bindings(statement.target, None)
    elif isinstance(statement, ast.With | ast.AsyncWith):
        for item in statement.items:
            if item.optional_vars is not None:
                yield from target_bindings(item.optional_vars, None)
    elif isinstance(statement, ast.NamedExpr):
        yield statement.target.id, statement.value


def target_bindings(target: ast.expr, value: ast.expr | None) -> Iterator[tuple[str, BoundValue]]:
    """Names in an assignment target; only a plain `name = value` keeps the value."""
    if isinstance(target, ast.Name):
        yield target.id, value
    elif isinstance(target, ast.Tuple | ast.List):
        for element in target.elts:
            yield from target_bindings(element, None)
    elif isinstance(target, ast.Starred):
        yield from target_bindings(target.value, None)


def import_bindings(
    node: ast.Import | ast.ImportFrom, origin: Path, project: Project
) -> Iterator[tuple[str, Binding]]:
    """The names an import statement binds, each resolved to a project module, project name or external."""
    if isinstance(node, ast.Import):
        for alias in node.names:
            dotted = alias.name if alias.asname else alias.name.split(".")[0]
            yield alias.asname or dotted, module_binding(dotted, project)
        return
    if node.level:
        base = project.find_relative_module(origin, node.level, node.module)
    else:
        base = project.find_module(node.module or "")
    for alias in node.names:
        if alias.name == "*":
            continue
        local = alias.asname or alias.name
        if base is None:
            if not node.level:
                yield local, External(f"{node.module}.{alias.name}")
            continue
        found = submodule(base, alias.name)
        yield local, ProjectModule(found) if found else ProjectName(base, alias.name)


def module_binding(dotted: str, project: Project) -> Binding:
    """`import dotted`: a project module when it resolves under a root, else external."""
    found = project.find_module(dotted)
    return ProjectModule(found) if found else External(dotted)


def dotted_parts(node: ast.expr) -> list[str] | None:
    """`a.b.c` as ["a", "b", "c"]; None when the chain does not start at a plain name."""
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    parts.append(node.id)
    return parts[::-1]
