"""The pieces of queue support on their own: host.json options, the output rule, names, the local store."""

import asyncio
import json
import time
from pathlib import Path

import azure.functions as func
import pytest

from devhost.queue_bindings import messages_of
from devhost.queue_options import QueueOptions, QueueOptionsError, queue_options
from devhost.queue_store import LocalQueueStore
from devhost.queues import QueueNameError, queue_name
from devhost.storage_accounts import choose_account


def test_host_json_queue_options_default_to_the_extensions_and_parse_time_spans() -> None:
    assert queue_options({}) == QueueOptions()
    parsed = queue_options(
        {
            "queues": {
                "batchSize": 4,
                "maxPollingInterval": "00:00:02",
                "visibilityTimeout": "00:00:30.5",
                "maxDequeueCount": 2,
                "messageEncoding": "None",
            }
        }
    )
    assert parsed == QueueOptions(4, 2, 2.0, 30.5, 2, "none")
    assert queue_options({"queues": {"maxPollingInterval": 500}}).max_polling_interval_s == 0.5  # ms


@pytest.mark.parametrize(
    ("section", "named"),
    [
        ({"batchSize": 33}, "batchSize"),
        ({"maxDequeueCount": 0}, "maxDequeueCount"),
        ({"visibilityTimeout": "soon"}, "visibilityTimeout"),
        ({"maxPollingInterval": "00:00:00.050"}, "maxPollingInterval"),
        ({"messageEncoding": "utf8"}, "messageEncoding"),
    ],
)
def test_a_queue_option_the_host_refuses_is_named(section: dict[str, object], named: str) -> None:
    with pytest.raises(QueueOptionsError, match=f"extensions.queues.{named}"):
        queue_options({"queues": section})


def test_an_output_value_becomes_messages_as_the_host_writes_them() -> None:
    message = func.QueueMessage(id="m1", body=b"body")
    assert messages_of("plain text") == [b"plain text"]
    assert messages_of(b"\x00\x01") == [b"\x00\x01"]
    assert messages_of(["a", "b"]) == [b"a", b"b"]
    assert messages_of('{"orderId": 7}') == [b'{"orderId": 7}']  # an object is one message
    assert messages_of('["x", {"y": 1}]') == [b"x", b'{"y": 1}']  # a JSON array text is one per item
    assert messages_of("[not json") == [b"[not json"]
    [queue_message] = messages_of(message)  # the worker writes a QueueMessage as its id and body
    assert json.loads(queue_message) == {"id": "m1", "body": "body"}


@pytest.mark.parametrize("name", ["ab", "-abc", "abc-", "a--b", "under_score", "x" * 64])
def test_queue_names_follow_the_services_rule(name: str) -> None:
    with pytest.raises(QueueNameError, match="is not a valid queue name"):
        queue_name(name, where="here")


def test_queue_names_are_lower_cased_as_the_extension_does() -> None:
    assert queue_name("Work-Items", where="here") == "work-items"


def test_the_local_store_hides_counts_and_checks_pop_receipts(tmp_path: Path) -> None:
    async def scenario() -> None:
        store = LocalQueueStore(tmp_path / "q.db")
        await store.put("work", b"one")
        await store.put("work", b"two")
        first = await store.receive("work", 1, visibility_s=30)
        assert [(m.body, m.dequeue_count) for m in first] == [(b"one", 1)]
        assert [m.body for m in await store.receive("work", 5, visibility_s=30)] == [b"two"]
        assert await store.receive("work", 5, visibility_s=30) == []  # both hidden now

        released = await store.hide("work", first[0], visibility_s=0)
        assert released is not None and released.pop_receipt != first[0].pop_receipt
        await store.delete("work", first[0])  # a stale receipt deletes nothing
        again = await store.receive("work", 5, visibility_s=30)
        assert [(m.body, m.dequeue_count) for m in again] == [(b"one", 2)]
        await store.delete("work", again[0])
        assert await store.hide("work", again[0], visibility_s=0) is None  # gone
        assert await store.receive("other", 5, visibility_s=30) == []
        await store.close()

    asyncio.run(scenario())


def test_the_local_store_drops_expired_messages(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    async def scenario() -> None:
        store = LocalQueueStore(tmp_path / "q.db")
        await store.put("work", b"old")
        later = time.time() + 8 * 24 * 3600  # past the service's 7-day time-to-live
        monkeypatch.setattr(time, "time", lambda: later)
        assert await store.receive("work", 5, visibility_s=30) == []
        await store.close()

    asyncio.run(scenario())


def test_a_connection_reaches_an_account_only_with_a_connection_string_or_azurite() -> None:
    key = "AccountKey=a2V5;"
    with_key = choose_account("Q", {"Q": f"AccountName=acct;{key}QueueEndpoint=http://x"}, "queue")
    prefixed = choose_account("Q", {"AzureWebJobsQ": f"AccountName=acct;{key}"}, "queue")
    assert with_key.connection_string is not None
    assert (prefixed.setting, prefixed.connection_string is not None) == ("AzureWebJobsQ", True)
    assert choose_account("Q", {}, "queue").description == "is not set"
    assert choose_account("Q", {"Q": " "}, "queue").description == "is empty"
    identity = choose_account("Q", {"Q__queueServiceUri": "https://a.queue.core.windows.net"}, "queue")
    assert identity.connection_string is None
    assert choose_account("", {"AzureWebJobsStorage": "nonsense"}, "blob").setting == "AzureWebJobsStorage"
