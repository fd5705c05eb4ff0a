"""The SDK's orchestration executor builds a `namedtuple` class every time an orchestrator runs.

`TaskOrchestrationExecutor.__init__` (azure-functions-durable 1.7) calls
`namedtuple("SetTaskValuePayload", ...)` for each episode: creating a class costs about 50 µs, a
tenth of a short episode. The class is the same every time, so the module's `namedtuple` is swapped
for one that builds each (name, fields) class once and hands the same class out after that; the
tuples made from it are equal, immutable and behave exactly alike.
"""

from collections import namedtuple
from functools import lru_cache
from importlib import import_module
from typing import Any

EXECUTOR_MODULE = "azure.durable_functions.models.TaskOrchestrationExecutor"


@lru_cache(maxsize=64)
def _built(typename: str, field_names: tuple[str, ...]) -> type:
    return namedtuple(typename, field_names)


def cached_namedtuple(typename: str, field_names: Any, **options: Any) -> type:
    """`collections.namedtuple`, built once per (name, fields) when called the way the SDK calls it."""
    if options or isinstance(field_names, str) or not all(isinstance(f, str) for f in field_names):
        return namedtuple(typename, field_names, **options)
    return _built(typename, tuple(field_names))


def install() -> None:
    _module().namedtuple = cached_namedtuple


def uninstall() -> None:
    _module().namedtuple = namedtuple


def _module() -> Any:
    return import_module(EXECUTOR_MODULE)
