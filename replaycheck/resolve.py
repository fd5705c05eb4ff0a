"""Follow a dotted name to what it really is: an external API, a project function, class,
module-level variable or module.

`dt.now` with `from datetime import datetime as dt` becomes `datetime.datetime.now`;
`steps.ask` with `from orchestrators import steps` becomes the `ask` function in
`orchestrators/steps.py`, following re-exports through `__init__.py` files. `Clock.stamp`
becomes the `stamp` method of the project class `Clock`, and `MODE` a module variable
whose import-time value the checks judge (it is computed once per worker process).
"""

import ast
from dataclasses import dataclass
from pathlib import Path

from replaycheck.bindings import (
    Binding,
    External,
    FunctionNode,
    ModuleInfo,
    ProjectModule,
    ProjectName,
    dotted_parts,
    module_info,
)
from replaycheck.project import Project, submodule

# Re-export chains longer than this are treated as unresolvable (and cycles end here).
_MAX_HOPS = 20


@dataclass(frozen=True)
class FunctionRef:
    """A module-level function of a project file."""

    path: Path
    node: FunctionNode

    @property
    def key(self) -> tuple[Path, int]:
        """Identity that survives reaching the same function through different names."""
        return (self.path, self.node.lineno)


@dataclass(frozen=True)
class ClassRef:
    """A module-level class of a project file; using it can run any of its methods."""

    path: Path
    node: ast.ClassDef

    def methods(self) -> list[FunctionRef]:
        """The functions defined directly in the class body (static, class and instance methods)."""
        return [
            FunctionRef(self.path, statement)
            for statement in self.node.body
            if isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef)
        ]


@dataclass(frozen=True)
class ProjectValue:
    """A module-level variable of a project file, by name: its value was computed at import."""

    path: Path
    name: str


Target = External | FunctionRef | ClassRef | ProjectValue | ProjectModule


class Resolver:
    """Resolves names in project modules, parsing each module once."""

    def __init__(self, project: Project) -> None:
        self.project = project
        self._modules: dict[Path, ModuleInfo | None] = {}

    def module(self, location: Path) -> ModuleInfo | None:
        """Module-level bindings of a project file (None for namespace folders and broken files)."""
        if location not in self._modules:
            source = self.project.load_module(location)
            self._modules[location] = module_info(source.path, source.tree, self.project) if source else None
        return self._modules[location]

    def resolve_own(self, location: Path, parts: list[str]) -> Target | None:
        """Resolve a chain written in module `location`; unknown heads are builtins (`open`, `set`)."""
        info = self.module(location)
        head = parts[0]
        if info and (head in info.functions or head in info.imports or head in info.values):
            return self.resolve_in(location, parts, 0)
        return External(".".join(parts))

    def follow(self, binding: Binding, rest: list[str], hops: int = 0) -> Target | None:
        """Walk the attribute chain `rest` from what a name is bound to."""
        if hops > _MAX_HOPS:
            return None
        if isinstance(binding, External):
            return External(".".join([binding.qualname, *rest]))
        if isinstance(binding, ProjectName):
            return self.resolve_in(binding.location, [binding.name, *rest], hops + 1)
        return self.resolve_in(binding.location, rest, hops + 1) if rest else binding

    def resolve_in(self, location: Path, parts: list[str], hops: int) -> Target | None:
        """Resolve `parts` as seen from the top level of the module at `location`."""
        head, rest = parts[0], parts[1:]
        info = self.module(location)
        if info and head in info.functions:
            return FunctionRef(info.path, info.functions[head]) if not rest else None
        if info and head in info.classes:
            return class_member(ClassRef(info.path, info.classes[head]), rest)
        if info and head in info.imports:
            return self.follow(info.imports[head], rest, hops + 1)
        if info and head in info.values:
            return ProjectValue(info.path, head)
        found = submodule(location, head)
        if found:
            return self.follow(ProjectModule(found), rest, hops + 1)
        return None

    def function_at(self, location: Path, node: ast.expr) -> FunctionRef | None:
        """The project function a name or attribute written at module level refers to."""
        parts = dotted_parts(node)
        target = self.resolve_own(location, parts) if parts else None
        return target if isinstance(target, FunctionRef) else None


def class_member(owner: ClassRef, rest: list[str]) -> FunctionRef | ClassRef:
    """`Clock.stamp` is the method itself; anything else on a class (`Clock`, `Clock.x.y`) may run
    any of its methods, so it stands for the whole class."""
    if len(rest) == 1:
        for method in owner.methods():
            if method.node.name == rest[0]:
                return method
    return owner
