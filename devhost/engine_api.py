"""What the management API needs from a durable engine: the seam between HTTP and orchestration state.

``devhost.engine.Engine`` implements it, and so does the tests' in-memory double, which pins the HTTP
contract of every client call without running orchestrations. Answers are the extension's JSON shapes
(status payloads, entity listings) so the handlers only pick status codes and headers.
"""

from typing import Any, Protocol

from azure.durable_functions.models.OrchestrationRuntimeStatus import OrchestrationRuntimeStatus

from devhost.instance_query import InstanceFilter, InstancePage

JsonObject = dict[str, Any]


class EntityNames(Protocol):
    """The app's entity functions, looked up by name (case-insensitive)."""

    def has_entity(self, name: str) -> bool: ...


class DurableEngine(Protocol):
    """Start, inspect and control orchestration instances; signal and read entities.

    Errors are ``devhost.errors`` exceptions (``BadRequest``, ``NotFound``, ``Gone``, ``Conflict``),
    which the management API turns into the extension's status codes.
    """

    @property
    def registry(self) -> EntityNames: ...

    async def start_new(
        self, name: str, instance_id: str | None, input_text: str | None, version: str | None = None
    ) -> str: ...

    async def wait_for_instance(self, instance_id: str, timeout: float) -> JsonObject | None: ...

    def change_mark(self, instance_id: str) -> tuple[OrchestrationRuntimeStatus, float] | None: ...

    async def wait_for_change(self, instance_id: str, timeout: float) -> bool: ...

    def get_status(
        self,
        instance_id: str,
        *,
        show_history: bool = False,
        show_history_output: bool = False,
        show_input: bool = True,
    ) -> JsonObject | None: ...

    def query(
        self,
        match: InstanceFilter,
        *,
        top: int | None = None,
        continuation: str | None = None,
        show_input: bool = True,
    ) -> InstancePage: ...

    async def raise_event(self, instance_id: str, name: str, input_text: str) -> None: ...

    async def terminate(self, instance_id: str, reason: str | None) -> None: ...

    async def suspend(self, instance_id: str, reason: str | None) -> None: ...

    async def resume(self, instance_id: str, reason: str | None) -> None: ...

    async def rewind(self, instance_id: str, reason: str | None) -> None: ...

    async def restart(self, instance_id: str, new_instance_id: bool) -> str: ...

    def purge(self, instance_id: str) -> int: ...

    async def purge_by(self, match: InstanceFilter) -> int: ...

    async def signal_entity(self, name: str, key: str, operation: str, input_text: str | None) -> None: ...

    def read_entity(self, name: str, key: str) -> str | None: ...

    def list_entities(
        self, name: str | None = None, *, fetch_state: bool = False, top: int | None = None
    ) -> list[JsonObject]: ...
