"""`context.new_uuid()` without deriving the same namespace UUID on every call.

The SDK's `DurableOrchestrationContext.new_uuid` (azure-functions-durable 1.7) computes its namespace
afresh each time (`uuid5(NAMESPACE_OID, URL_NAMESPACE)`: a SHA-1 and a UUID object), and an episode
replays every earlier call, so a run pays for each of its ids once per later episode. Here the
namespace is derived once; the name and the final `uuid5` are the SDK's, so every id is the same
string the SDK returns (`tests/durable_speedups/test_replay_safe_ids.py` compares them).
"""

from importlib import import_module
from typing import Any
from uuid import NAMESPACE_OID, uuid5

from azure.durable_functions.constants import DATETIME_STRING_FORMAT

CONTEXT_MODULE = "azure.durable_functions.models.DurableOrchestrationContext"
SDK_URL_NAMESPACE = "9e952958-5e33-4daf-827f-2fa12937b875"  # the SDK's URL_NAMESPACE in new_uuid
NAMESPACE = uuid5(NAMESPACE_OID, SDK_URL_NAMESPACE)

_original: dict[str, Any] = {}


def new_uuid(self: Any) -> str:
    """The SDK's replay-safe id: uuid5 of instance id, orchestration time and a per-episode counter."""
    moment = self.current_utc_datetime.strftime(DATETIME_STRING_FORMAT)
    name = f"{self._instance_id}_{moment}_{self._new_uuid_counter}"
    self._new_uuid_counter += 1
    return str(uuid5(NAMESPACE, name))


def install() -> None:
    context_class = _context_class()
    _original.setdefault("new_uuid", context_class.new_uuid)
    context_class.new_uuid = new_uuid


def uninstall() -> None:
    if "new_uuid" in _original:
        _context_class().new_uuid = _original.pop("new_uuid")


def _context_class() -> Any:
    return import_module(CONTEXT_MODULE).DurableOrchestrationContext
