"""Payloads that may arrive as JSON text, read as the value their sender meant.

The SDK's `DurableOrchestrationClient.raise_event` JSON-encodes its payload and posts that text as
JSON again (`json.dumps`, then aiohttp's `json=`), and the Durable extension stores the body's JSON
value as it is (`HttpApiHandler.HandleRaiseEventRequestAsync`). So in Azure an orchestrator receives
the API's `{"approved": true, ...}` as a string holding that JSON
(Azure/azure-functions-durable-python#295), while a person posting the object to the extension's
raiseEvent URL delivers the object. Decoding a string that holds JSON gives the same value both ways.
The API reads history payloads (raw JSON text, or already parsed by the extension) the same way.
"""

import json
from typing import Any


def json_value(received: Any) -> Any:
    """The value, decoded once more when it arrived as a string holding JSON."""
    if not isinstance(received, str):
        return received
    try:
        return json.loads(received)
    except ValueError:
        return received  # a plain string someone posted as a JSON string: the value itself
