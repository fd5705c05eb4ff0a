"""Queue triggers and outputs against Azurite's queue service, with the extension's base64 encoding.

A message another program sends with the SDK (base64, as Storage Explorer and the Functions docs do)
runs the trigger; what the app queues is base64 in the service; a message that is not base64 goes
to the poison queue, where its own trigger picks it up.
"""

import base64
import contextlib
import json
import time
import uuid

from azure.core.exceptions import ResourceExistsError
from azure.storage.queue import QueueClient

from tests.devhost.storage.conftest import StartHost, azurite_blob
from tests.support.azurite import Azurite


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


def queue_client(azurite: Azurite, name: str) -> QueueClient:
    return QueueClient.from_connection_string(azurite.connection_string, name)


def test_a_message_queued_over_http_runs_through_azurite(storage_host: StartHost, azurite: Azurite) -> None:
    host = storage_host(azurite.connection_string)
    body = unique("http")

    host.post("/api/enqueue/work", content=body)

    seen = json.loads(azurite_blob(host, azurite, "seen", f"{body}.json"))
    assert (seen["body"], seen["dequeue_count"]) == (body, 1)
    assert azurite_blob(host, azurite, "audit", f"audited {body}.txt")  # `$return` -> audit -> blob
    assert "Queue bindings on connection 'QUEUES' (setting QUEUES) use the storage account" in host.log_tail(
        200
    )


def test_an_sdk_message_in_base64_runs_the_trigger_and_outputs_are_base64(
    storage_host: StartHost, azurite: Azurite
) -> None:
    host = storage_host(azurite.connection_string)
    body = unique("sdk-é")
    queue_client(azurite, "work").send_message(base64.b64encode(body.encode()).decode())

    seen = json.loads(azurite_blob(host, azurite, "seen", f"{body}.json"))
    assert seen["body"] == body
    host.post("/api/enqueue/unwatched", content=body)  # no trigger reads this queue
    [sent] = queue_client(azurite, "unwatched").peek_messages(max_messages=1)
    assert base64.b64decode(sent.content).decode() == body


def test_a_message_that_is_not_base64_goes_to_the_poison_queue(
    storage_host: StartHost, azurite: Azurite
) -> None:
    host = storage_host(azurite.connection_string)
    flaky = queue_client(azurite, "flaky")
    with contextlib.suppress(ResourceExistsError):
        flaky.create_queue()
    sent = flaky.send_message(unique("plain-text"))  # not base64: '-' is outside its alphabet

    moved = f"Message {sent.id} on queue 'flaky' is not base64 (host.json messageEncoding: base64): moved"
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and moved not in host.log_tail(200):
        time.sleep(0.05)
    assert f"{moved} to 'flaky-poison'" in host.log_tail(200)
    assert "Executing 'flaky'" not in host.log_tail(200)  # the function never saw it
