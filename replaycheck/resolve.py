"""Follow a dotted name to what it really is: an external API, a project function or module.

`dt.now` with `from datetime import datetime as dt` becomes `datetime.datetime.now`;
`steps.ask` with `from orchestrators import steps` becomes the `ask` function in
`orchestrators/steps.py`, following re-exports through `__init__.py` files.
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


Target = External | FunctionRef | ProjectModule


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
        if info and head in info.imports:
            return self.follow(info.imports[head], rest, hops + 1)
        found = submodule(location, head)
        if found:
            return self.follow(ProjectModule(found), rest, hops + 1)
        return None

    def function_at(self, location: Path, node: ast.expr) -> FunctionRef | None:
        """The project function a name or attribute written at module level refers to."""
        parts = dotted_parts(node)
        target = self.resolve_own(location, parts) if parts else None
        return target if isinstance(target, FunctionRef) else None
