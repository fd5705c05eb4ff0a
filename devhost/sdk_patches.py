"""SDK work repeated per call that does not depend on the call, done once instead.

- ``TaskOrchestrationExecutor.__init__`` (one per orchestrator episode) builds a fresh namedtuple class
  to hold six constants; building a class costs ~0.1 ms (``namedtuple`` compiles code). That module's
  ``namedtuple`` is replaced by one that returns the same class for the same name and fields.
- ``DurableOrchestrationStatus`` parses ``createdTime`` and ``lastUpdatedTime`` with dateutil on every
  status call the app's client makes (``api/`` polls status while it waits for a run); UTC stamps
  (all the host writes) go to the cached ISO parser durable_speedups gives history events, anything
  else still to dateutil (for a numeric offset dateutil returns its own ``tzoffset`` type).

Both are exact: the executor only reads the tuples' values, and the parser returns the datetimes
dateutil returns. Applied only to the SDK versions they were checked against (``durable_speedups.sdk_gate``).
"""

import collections
import sys
from datetime import datetime
from functools import cache
from importlib import import_module
from typing import Any

from dateutil.parser import parse as dateutil_parse

import durable_speedups
from durable_speedups import sdk_gate

EXECUTOR_MODULE = "azure.durable_functions.models.TaskOrchestrationExecutor"
STATUS_MODULE = "azure.durable_functions.models.DurableOrchestrationStatus"


@cache
def _shared_class(typename: str, field_names: tuple[str, ...], module: str) -> type:
    return collections.namedtuple(typename, field_names, module=module)


def _shared_namedtuple_for(module: str) -> Any:
    """A ``namedtuple`` for ``module`` that builds each (name, fields) class once.

    ``module`` is passed on because namedtuple otherwise names the caller's frame, which would be ours.
    """

    def namedtuple(typename: str, field_names: Any, **options: Any) -> type:
        if options or not isinstance(field_names, tuple):
            return collections.namedtuple(typename, field_names, module=module, **options)
        return _shared_class(typename, field_names, module)

    return namedtuple


def parse_status_time(text: str) -> datetime:
    """``dateutil.parser.parse`` for the status payload's times, fast for the ``...Z`` form."""
    if text.endswith("Z"):
        return durable_speedups.parse_timestamp(text)
    return dateutil_parse(text)


def install() -> bool:
    """Apply both patches once; False (nothing patched) on an SDK version they were not checked on."""
    if not sdk_gate.allows("devhost SDK patches", "episodes and status reads run at the SDK's own speed"):
        return False
    executor = _module(EXECUTOR_MODULE)
    if executor.namedtuple is collections.namedtuple:
        executor.namedtuple = _shared_namedtuple_for(EXECUTOR_MODULE)
    _module(STATUS_MODULE).dt_parse = parse_status_time
    return True


def _module(name: str) -> Any:
    return sys.modules.get(name) or import_module(name)
