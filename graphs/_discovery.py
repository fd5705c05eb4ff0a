"""Finding the graphs: every module of this package whose name does not start with `_`.

Dropping a module in is the whole registration. Anything wrong with one (it fails to import, has no
`GRAPH`, its workflow does not build, or its name is taken) stops start-up with `GraphLoadError`
naming the module, so a broken graph is found when the app starts rather than when a run reaches it.
"""

import importlib
import pkgutil
import sys
from collections.abc import Mapping
from functools import cache
from types import ModuleType

from graphs._spec import AnyGraph, GraphSpec

PACKAGE = "graphs"


class GraphLoadError(RuntimeError):
    """A graph module cannot be used; the message names the module and the reason."""


@cache
def load_graphs() -> dict[str, AnyGraph]:
    """Every graph of the app by name, each imported and built once (cached for the process)."""
    return discover(PACKAGE)


def discover(package_name: str) -> dict[str, AnyGraph]:
    """Every graph in the package `package_name`, by name; `GraphLoadError` names a bad module."""
    package = importlib.import_module(package_name)
    found: dict[str, AnyGraph] = {}
    owners: dict[str, str] = {}
    for module_name in sorted(info.name for info in pkgutil.iter_modules(package.__path__)):
        if module_name.startswith("_"):
            continue
        qualified = f"{package_name}.{module_name}"
        spec = _graph_of(qualified)
        if spec.name in found:
            raise GraphLoadError(
                f"{qualified}: graph name '{spec.name}' is already used by {owners[spec.name]}"
            )
        found[spec.name] = spec
        owners[spec.name] = qualified
    return found


def graph_named(name: str) -> AnyGraph:
    """The graph called `name`; a name no module declares is a `KeyError` naming it."""
    graphs = load_graphs()
    if name not in graphs:
        raise KeyError(f"no graph named '{name}' (known: {', '.join(sorted(graphs)) or 'none'})")
    return graphs[name]


def check_names(graphs: Mapping[str, AnyGraph], taken: Mapping[str, str]) -> None:
    """Refuse a graph whose name is already `taken` (name → what holds it, e.g. "workflow")."""
    for name, spec in graphs.items():
        if name in taken:
            raise GraphLoadError(
                f"{_module_of(spec)}: graph name '{name}' collides with the {taken[name]} '{name}'"
            )


def _graph_of(qualified: str) -> AnyGraph:
    module = _import(qualified)
    spec = getattr(module, "GRAPH", None)
    if not isinstance(spec, GraphSpec):
        raise GraphLoadError(f"{qualified}: defines no GRAPH = GraphSpec(...) (got {type(spec).__name__})")
    try:
        spec.build()
    except Exception as error:
        raise GraphLoadError(f"{qualified}: build() failed: {type(error).__name__}: {error}") from error
    return spec


def _import(qualified: str) -> ModuleType:
    try:
        return importlib.import_module(qualified)
    except Exception as error:
        raise GraphLoadError(f"{qualified}: failed to import: {type(error).__name__}: {error}") from error


def _module_of(spec: AnyGraph) -> str:
    """The module whose GRAPH is `spec` (only asked on the way to a start-up error)."""
    owners = (name for name, module in list(sys.modules.items()) if getattr(module, "GRAPH", None) is spec)
    return next(owners, f"graph '{spec.name}'")
