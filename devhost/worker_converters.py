"""The Python worker's converters, looked up by binding type the way the worker looks them up.

Using them (instead of re-implementing them) keeps what a function receives and what its return value
becomes identical to Azure: `mcpToolTrigger`, `mcpPromptTrigger`, `mcpResourceTrigger` and `blob` all
come from azure-functions itself.
"""

from __future__ import annotations

from typing import Any, Protocol, cast

import azure.functions as func
from azure.functions import meta
from azure.functions.decorators.core import BindingDirection


class Converter(Protocol):
    """What the worker calls on a binding's converter."""

    def encode(self, obj: Any, *, expected_type: type | None) -> meta.Datum: ...

    def decode(self, data: meta.Datum, *, trigger_metadata: Any) -> Any: ...


def converter(binding_type: str) -> Converter:
    """The registered converter for a binding type (azure-functions leaves the registry unannotated)."""
    registry = meta.get_binding_registry()
    return cast(Converter, registry.get(binding_type))


class OutValue(func.Out[Any]):
    """The `func.Out` the worker hands to an output binding's parameter."""

    def __init__(self) -> None:
        self._value: Any = None

    def set(self, val: Any) -> None:
        self._value = val

    def get(self) -> Any:
        return self._value


def is_output(binding: Any) -> bool:
    """Whether the worker hands this binding to the function as an output (the decorators store the
    direction's enum, generic bindings may hold its number)."""
    return binding.direction in (BindingDirection.OUT, BindingDirection.OUT.value)
