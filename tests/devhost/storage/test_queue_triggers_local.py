"""Queue triggers and queue outputs on the embedded host's local queues (no storage account).

Each test drives the app as a user does: an HTTP call (or another program) puts messages on a queue,
triggers run them and record what they received as blobs.
"""

import asyncio
import json
import time
import uuid

from devhost.queue_store import LocalQueueStore
from tests.devhost.storage.conftest import StartHost, local_blob


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


def test_a_queued_message_runs_its_trigger_with_the_message_and_its_metadata(storage_host: StartHost) -> None:
    host = storage_host("")
    body = unique("hello")

    queued = host.post("/api/enqueue/work", content=body)

    seen = json.loads(local_blob(host, "seen", f"{body}.json"))
    assert queued.status_code == 202
    assert (seen["body"], seen["dequeue_count"], seen["has_pop_receipt"]) == (body, 1, True)
    assert seen["inserted"] < seen["expires"]
    assert "Queue bindings on connection 'QUEUES': setting QUEUES is empty" in host.log_tail(200)


def test_a_return_value_bound_to_a_queue_becomes_the_next_message(storage_host: StartHost) -> None:
    host = storage_host("")
    body = unique("returned")

    host.post("/api/enqueue/work", content=body)

    seen = json.loads(local_blob(host, "seen", f"{body}.json"))
    audit_message_id = local_blob(host, "audit", f"audited {body}.txt")
    assert audit_message_id != seen["id"]  # a message of its own, on the `audit` queue


def test_a_json_array_is_one_message_per_item(storage_host: StartHost) -> None:
    host = storage_host("")
    items = [unique("item") for _ in range(3)]

    host.post("/api/enqueue/work", content=json.dumps(items))

    bodies = [json.loads(local_blob(host, "seen", f"{item}.json"))["body"] for item in items]
    assert bodies == items


def test_a_json_message_fills_binding_expressions_with_its_properties(storage_host: StartHost) -> None:
    host = storage_host("")
    order = {"orderId": unique("order"), "quantity": 2}

    host.post("/api/enqueue/orders", content=json.dumps(order))

    assert json.loads(local_blob(host, "orders", f"{order['orderId']}.json")) == order


def test_a_failed_message_is_delivered_again_with_a_higher_dequeue_count(storage_host: StartHost) -> None:
    host = storage_host("")
    body = unique("once")

    host.post("/api/enqueue/flaky", content=body)

    assert local_blob(host, "recovered", f"{body}.txt") == "2"
    assert f"RuntimeError: {body} failed on delivery 1" in host.log_tail(400)


def test_a_message_failing_max_dequeue_count_times_moves_to_the_poison_queue(storage_host: StartHost) -> None:
    host = storage_host("")
    body = unique("always")

    host.post("/api/enqueue/flaky", content=body)

    assert local_blob(host, "poison", f"{body}.txt") == body  # `dead_letters` ran on flaky-poison
    log = host.log_tail(600)
    assert [f"failed on delivery {n}" in log for n in (1, 2, 3)] == [True, True, True]
    assert "failed on delivery 4" not in log
    assert "has reached MaxDequeueCount of 3. Moving message to queue 'flaky-poison'" in log


def test_messages_another_program_queued_while_the_host_was_down_run_after_a_restart(
    storage_host: StartHost,
) -> None:
    host = storage_host("")
    host.kill()
    body = unique("offline")
    store = LocalQueueStore(host.state_path.with_name(host.state_path.stem + ".queues") / "QUEUES.db")
    asyncio.run(store.put("work", body.encode()))
    asyncio.run(store.close())

    host.launch()  # found by polling: nothing in this host queued it

    assert json.loads(local_blob(host, "seen", f"{body}.json"))["body"] == body


def test_a_queue_name_the_service_refuses_fails_that_call_and_names_it(storage_host: StartHost) -> None:
    host = storage_host("")

    refused = host.post("/api/enqueue/Not_A_Queue", content="x")

    assert refused.status_code == 500
    assert "queue output 'msg': 'Not_A_Queue' is not a valid queue name" in host.log_tail(100)


def test_the_generic_forms_of_a_queue_trigger_and_output_work_like_the_decorators(
    storage_host: StartHost,
) -> None:
    host = storage_host("")
    body = unique("generic")

    host.post("/api/enqueue/generic", content=body)

    assert json.loads(local_blob(host, "seen", f"via-generic-{body}.json"))["body"] == f"via-generic-{body}"


def test_stopping_the_host_hands_a_running_message_back_to_the_next_host(storage_host: StartHost) -> None:
    host = storage_host("")
    body = unique("slow")
    host.post("/api/enqueue/slow", content=body)
    deadline = time.monotonic() + 15
    while "Executing 'slow'" not in host.log_tail(50) and time.monotonic() < deadline:
        time.sleep(0.05)

    host.stop()  # SIGTERM, as Ctrl-C or a reload does: not the 10 minutes a crash would cost
    host.launch()

    assert local_blob(host, "finished", f"{body}.txt") == "2"
    assert "Executed 'slow' (Cancelled" in host.log_tail(200)


def test_a_queue_starts_an_orchestration_whose_activity_has_outputs_of_its_own(
    storage_host: StartHost,
) -> None:
    host = storage_host("")
    name = unique("ada")

    host.post("/api/enqueue/start-greeting", content=name)

    assert local_blob(host, "greetings", f"{name}.txt") == f"Hello {name}"  # the activity's blob output
    assert json.loads(local_blob(host, "seen", f"greeted-{name}.json"))["body"] == f"greeted-{name}"
