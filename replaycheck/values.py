"""Module-level variables a checked function reads: their values were computed at import.

`MODE = os.getenv("MODE")` runs once, when a worker imports the module, so a replay on
another worker (or after a restart) can see another value: an orchestrator that reads
`MODE` is as non-deterministic as one that calls `os.getenv` itself. The same holds for
`STARTED = datetime.now()`, and `now = lambda: datetime.now()` or
`stamp = functools.partial(_stamp, ...)` hide a call behind a variable. So a read of a
module variable is followed into the expressions assigned to it (and into the variables
those read), and what they name is judged as if the function had written it.
"""

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from replaycheck.bindings import dotted_parts
from replaycheck.resolve import ProjectValue, Resolver, Target
from replaycheck.scope import is_whole_read


@dataclass(frozen=True)
class ValueRead:
    """A name read by a module-level assignment, with what it resolves to."""

    path: Path
    node: ast.Name | ast.Attribute
    parent: ast.AST | None
    target: Target


def value_reads(resolver: Resolver, value: ProjectValue) -> Iterator[ValueRead]:
    """What the values assigned to a module variable read, following other module variables."""
    seen: set[ProjectValue] = set()
    pending = [value]
    while pending:
        current = pending.pop()
        if current in seen:
            continue
        seen.add(current)
        info = resolver.module(current.path)
        for bound in info.values.get(current.name, []) if info else []:
            if not isinstance(bound, ast.expr):
                continue
            for node, parent in whole_reads(bound):
                parts = dotted_parts(node)
                target = resolver.resolve_own(current.path, parts) if parts else None
                if target is None:
                    continue
                yield ValueRead(current.path, node, parent, target)
                if isinstance(target, ProjectValue):
                    pending.append(target)


def whole_reads(root: ast.expr) -> Iterator[tuple[ast.Name | ast.Attribute, ast.AST | None]]:
    """Every whole name or attribute chain read inside one expression, with its parent node."""
    parents = {child: parent for parent in ast.walk(root) for child in ast.iter_child_nodes(parent)}
    for node in ast.walk(root):
        if isinstance(node, ast.Name | ast.Attribute) and is_whole_read(node, parents.get(node)):
            yield node, parents.get(node)
