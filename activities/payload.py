"""The type of an activity's input, spelled so the Python worker can index the function.

The worker checks each binding parameter's annotation when it indexes the app, and its vendored
`typing_inspect` knows `typing.Dict[...]` but not the builtin `dict[...]`: `payload: dict[str, Any]`
fails with "binding payload has invalid non-type annotation" and no function of the app loads under
`func start` or in Azure (Azure/azure-functions-durable-python#468). The embedded host warns at start
when an app annotates a binding that way.
"""

from typing import Any, Dict, TypeAlias  # noqa: UP035 - see above

Payload: TypeAlias = Dict[str, Any]  # noqa: UP006 - the builtin form does not index; see above
