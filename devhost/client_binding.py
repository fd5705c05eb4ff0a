"""The `durableClient` binding value and the management URLs it carries (protocol §6.1, §7).

The SDK's `DurableOrchestrationClient` is built from this JSON: it appends RPC paths to `rpcBaseUrl`
and substitutes the instance id into `managementUrls`. We serve the RPC and the public management API
with the same handlers under one base, so both point at this host.
"""

from __future__ import annotations

import json
from functools import lru_cache
from urllib.parse import quote

WEBHOOK_PATH = "/runtime/webhooks/durabletask"
INSTANCE_PLACEHOLDER = "INSTANCEID"


def webhook_base(origin: str) -> str:
    """`http://host:port/runtime/webhooks/durabletask` for a public origin such as `http://localhost:7071`."""
    return origin.rstrip("/") + WEBHOOK_PATH


def management_urls(origin: str, hub_name: str, instance_id: str = INSTANCE_PLACEHOLDER) -> dict[str, str]:
    """The check-status payload: every management URL for one instance (or the placeholder).

    `{eventName}` and `{text}` stay as placeholders, exactly as the extension sends them.
    """
    instance = instance_id if instance_id == INSTANCE_PLACEHOLDER else quote(instance_id, safe="")
    query = f"taskHub={quote(hub_name, safe='')}&connection=Storage"
    base = f"{webhook_base(origin)}/instances/{instance}"
    return {
        "id": instance_id,
        "statusQueryGetUri": f"{base}?{query}",
        "sendEventPostUri": f"{base}/raiseEvent/{{eventName}}?{query}",
        "terminatePostUri": f"{base}/terminate?reason={{text}}&{query}",
        "rewindPostUri": f"{base}/rewind?reason={{text}}&{query}",
        "purgeHistoryDeleteUri": f"{base}?{query}",
        "restartPostUri": f"{base}/restart?{query}",
        "suspendPostUri": f"{base}/suspend?reason={{text}}&{query}",
        "resumePostUri": f"{base}/resume?reason={{text}}&{query}",
    }


@lru_cache(maxsize=64)
def client_binding_json(public_origin: str, rpc_origin: str, hub_name: str) -> str:
    """The JSON string passed to a `durable_client_input` parameter (the same for every request from
    one origin, so it is built once).

    `public_origin` is where callers reach us (the request's own origin for HTTP triggers);
    `rpc_origin` is the loopback address the client talks to.
    """
    base = webhook_base(public_origin)
    orchestrators = f"{base}/orchestrators/{{functionName}}[/{{instanceId}}]"
    return json.dumps(
        {
            "taskHubName": hub_name,
            "creationUrls": {
                "createNewInstancePostUri": orchestrators,
                "createAndWaitOnNewInstancePostUri": (
                    f"{orchestrators}?timeout={{timeoutInSeconds}}&pollingInterval={{intervalInSeconds}}"
                ),
            },
            "managementUrls": management_urls(public_origin, hub_name),
            "baseUrl": base,
            "requiredQueryStringParameters": "",
            "rpcBaseUrl": webhook_base(rpc_origin) + "/",
            "httpBaseUrl": "",
            "connectionName": None,
        }
    )
