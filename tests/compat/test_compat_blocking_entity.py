"""A synchronous entity that blocks must not stall devhost, as it does not stall the real host.

The Python worker runs synchronous functions on its thread pool, so an entity waiting on I/O (an
agent entity waiting for its model) leaves HTTP, orchestrations and other entities running. This is
the plain-Durable version of the AgentFunctionApp check, so it runs in the main venv as well.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from devhost.testing import DevHost

APP_SOURCE = Path(__file__).resolve().parent / "blocking_entity_app"
NAPPERS = "/runtime/webhooks/durabletask/entities/Napper"
NAP_S = 1.5


@pytest.fixture(scope="module")
def host(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DevHost]:
    app = shutil.copytree(APP_SOURCE, tmp_path_factory.mktemp("app") / "blocking_entity_app")
    with DevHost(app, tmp_path_factory.mktemp("state") / "state.db") as running:
        yield running


def naps(host: DevHost, key: str, count: int) -> list[dict[str, Any]]:
    """The napper's recorded naps once it has `count` of them."""
    found = host.poll(f"{NAPPERS}/{key}", lambda r: r.status_code == 200 and len(r.json()) == count)
    return list(found.json())


def test_host_answers_while_an_entity_blocks_and_the_entity_keeps_its_order(host: DevHost) -> None:
    for _ in range(2):
        assert host.post(f"{NAPPERS}/solo", params={"op": "nap"}, json=NAP_S).status_code == 202

    started = time.perf_counter()
    while_napping = host.get(f"{NAPPERS}/solo")
    elapsed = time.perf_counter() - started
    recorded = naps(host, "solo", 2)

    assert while_napping.status_code == 404  # no nap finished yet, and the request was not held up
    assert elapsed < NAP_S / 2
    assert recorded[1]["started"] >= recorded[0]["ended"]  # one batch at a time for one entity


def test_different_entities_block_at_the_same_time(host: DevHost) -> None:
    instance_id = host.start("nap_pair", NAP_S)

    status = host.wait(instance_id, deadline=10 * NAP_S)
    left, right = naps(host, "left", 1)[0], naps(host, "right", 1)[0]

    assert (status["runtimeStatus"], status["output"]) == ("Completed", [1, 1])
    assert left["started"] < right["ended"] and right["started"] < left["ended"]
