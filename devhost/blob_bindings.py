"""Blob input and output bindings (`blob_input`, `blob_output` and their generic forms) on any trigger.

Inputs are read before the call and passed as the worker passes them: a `str` or `bytes` annotation gets
the content as that type (the worker's generic binding), anything else a `func.InputStream`; a missing
blob is None. Outputs are `func.Out` objects written after the call returns, only if it succeeded and
only if the function set a value, encoded by the worker's own blob converter (str, bytes, file-like).
Paths are resolved per call from the trigger's binding data (blob_paths.py).
"""

from __future__ import annotations

import logging
import types
import typing
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from azure.functions import meta
from azure.functions.decorators.function_app import Function

from devhost.blob_paths import resolve, split_blob_path
from devhost.blob_store import BlobStore, open_store
from devhost.settings import expand_setting_refs
from devhost.worker_converters import OutValue, converter, is_output

log = logging.getLogger("devhost.blob")
BLOB = "blob"


class BlobBindingError(ValueError):
    """A blob binding the Python worker would refuse to load; the message is the worker's."""


@dataclass(frozen=True)
class BlobBinding:
    """One blob binding of a function, with `%SETTING%` references already resolved."""

    name: str
    path: str
    connection: str
    is_output: bool


def blob_bindings(function: Function, environ: Mapping[str, str]) -> list[BlobBinding]:
    """The function's blob input/output bindings (a blob trigger is the trigger: `devhost.blob_triggers`)."""
    found = []
    for binding in function.get_bindings():
        raw = binding.get_dict_repr()
        if binding is function.get_trigger() or str(raw.get("type")).lower() != BLOB:
            continue
        _check_annotation(function, binding.name)
        field_name = f"function '{function.get_function_name()}': blob binding '{binding.name}' path"
        path = expand_setting_refs(str(raw.get("path") or ""), environ, field=field_name)
        found.append(BlobBinding(binding.name, path, str(raw.get("connection") or ""), is_output(binding)))
    return found


def _annotation(user_function: Callable[..., Any], name: str) -> Any:
    """The parameter's annotation (copied onto `app.mcp_tool()`'s wrapper by functools.wraps)."""
    try:
        hints = typing.get_type_hints(user_function)
    except (NameError, TypeError):
        hints = dict(getattr(user_function, "__annotations__", {}))
    return hints.get(name)


def _check_annotation(function: Function, name: str) -> None:
    """The worker loads a binding parameter only if its annotation is a class or a generic like Out[str].

    `str | None` or `Optional[InputStream]` fail to load in Azure ("invalid non-type annotation"), so
    they fail here too rather than work locally only.
    """
    hint = _annotation(function.get_user_function(), name)
    if hint is None or isinstance(hint, type):
        return
    if typing.get_origin(hint) not in (None, typing.Union, types.UnionType):
        return
    raise BlobBindingError(
        f"cannot load the {function.get_function_name()} function: binding {name} has invalid non-type"
        f" annotation {hint!r}"
    )


def blob_argument(
    data: bytes | None, user_function: Callable[..., Any], name: str, trigger_metadata: Any = None
) -> Any:
    """A blob's content as the worker passes it to parameter `name`: `str` and `bytes` annotations get
    the content as that type, anything else a `func.InputStream` (with the trigger's metadata, if any)."""
    if data is None:
        return None
    annotation = _annotation(user_function, name)
    if annotation is str:
        return data.decode("utf-8")
    if annotation is bytes:
        return data
    return converter(BLOB).decode(meta.Datum(value=data, type="bytes"), trigger_metadata=trigger_metadata)


@dataclass
class BoundBlobs:
    """The blob arguments of one invocation, and the outputs to write once it succeeded."""

    arguments: dict[str, Any] = field(default_factory=dict)
    outputs: list[tuple[BlobStore, str, str, OutValue]] = field(default_factory=list)
    written: Callable[[BlobStore, str], None] | None = None  # told of every blob written (blob triggers)

    async def flush(self, returned: Any = None) -> None:
        """Write what the function set; a blob output is never its return value."""
        for store, container, name, out in self.outputs:
            value = out.get()
            if value is None:
                continue
            datum = converter(BLOB).encode(value, expected_type=None)
            data = datum.value.encode("utf-8") if datum.type == "string" else bytes(datum.value)
            await store.write(container, name, data)
            if self.written is not None:
                self.written(store, container)


class BlobBinder:
    """Fills blob bindings for every function of an app; one store per connection, chosen at start."""

    def __init__(
        self,
        functions: list[Function],
        environ: Mapping[str, str],
        local_root: Path,
        trigger_connections: Iterable[str] = (),
    ) -> None:
        self._bindings = {str(f.get_function_name()): blob_bindings(f, environ) for f in functions}
        connections = {b.connection for found in self._bindings.values() for b in found}
        connections |= set(trigger_connections)
        self._stores = {c: open_store(c, environ, local_root) for c in sorted(connections)}
        # Blob triggers watch what the app itself writes, as the extension's blob-written watcher does.
        self.written: Callable[[BlobStore, str], None] | None = None

    def store(self, connection: str) -> BlobStore:
        return self._stores[connection]

    async def bind(
        self, function: Function, user_function: Callable[..., Any], data: Mapping[str, Any]
    ) -> BoundBlobs:
        """Read the inputs and prepare the outputs; a path that cannot be resolved raises."""
        bound = BoundBlobs(written=self.written)
        for binding in self._bindings.get(str(function.get_function_name()), []):
            store = self._stores[binding.connection]
            container, name = split_blob_path(resolve(binding.path, data))
            if binding.is_output:
                out = OutValue()
                bound.arguments[binding.name] = out
                bound.outputs.append((store, container, name, out))
                continue
            content = await store.read(container, name)
            if content is None:
                log.info("blob input '%s': %s/%s does not exist, passing None", binding.name, container, name)
            bound.arguments[binding.name] = blob_argument(content, user_function, binding.name)
        return bound

    async def close(self) -> None:
        for store in self._stores.values():
            await store.close()
