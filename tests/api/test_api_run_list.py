"""`GET /runs`: newest first, filters, limit, and lossless paging by creation time."""

from datetime import timedelta

import pytest

from api import runs
from tests.api.api_calls import assert_documented, assert_error, call, make_request
from tests.api.durable_fake import T0, FakeDurableClient


def list_runs(client: FakeDurableClient, **params: str):
    return call(runs.runs_collection, make_request("GET", "runs", params=params), client)


def hub(count: int, same_second_from: int | None = None) -> FakeDurableClient:
    """`count` runs r00.. created a second apart (or all in one second from index `same_second_from`)."""
    client = FakeDurableClient()
    for i in range(count):
        offset = i if same_second_from is None or i < same_second_from else same_second_from
        client.add_run(f"r{i:02d}", "single" if i % 2 else "chain", status="Completed",
                       created=T0 + timedelta(seconds=offset))  # fmt: skip
    return client


def test_newest_first_with_default_limit_20() -> None:
    reply = list_runs(hub(25))
    assert reply.status == 200
    ids = [run["id"] for run in reply.json["runs"]]
    assert ids == [f"r{i:02d}" for i in range(24, 4, -1)]
    assert reply.json["next"] == "2024-05-01T12:00:05Z"
    assert_documented(reply.json, "RunList")
    assert set(reply.json["runs"][0]) == {"id", "workflow", "status", "createdAt", "updatedAt", "progress"}


def collect(client: FakeDurableClient, **params: str) -> list[str]:
    """Follow `next` to the end; every page respects the limit it asked for."""
    seen: list[str] = []
    cursor = None
    for _ in range(50):
        reply = list_runs(client, **params, **({"before": cursor} if cursor else {}))
        assert reply.status == 200
        seen += [run["id"] for run in reply.json["runs"]]
        cursor = reply.json["next"]
        if cursor is None:
            return seen
    raise AssertionError("paging did not end")


def test_following_next_visits_every_run_once() -> None:
    assert collect(hub(23), limit="5") == [f"r{i:02d}" for i in range(22, -1, -1)]


def test_runs_created_in_the_same_second_are_never_split_or_lost() -> None:
    client = hub(12, same_second_from=6)  # r06..r11 share one second
    seen = collect(client, limit="4")
    assert sorted(seen) == sorted(client.runs) and len(seen) == len(set(seen))


def test_filters_by_workflow_and_status() -> None:
    client = hub(6)
    client.runs["r03"].status = "Running"
    client.runs["r05"].status = "ContinuedAsNew"
    assert [r["id"] for r in list_runs(client, workflow="single").json["runs"]] == ["r05", "r03", "r01"]
    assert [r["id"] for r in list_runs(client, status="running").json["runs"]] == ["r05", "r03"]
    both = list_runs(client, status="Running,Completed", workflow="chain").json["runs"]
    assert [r["id"] for r in both] == ["r04", "r02", "r00"]


def test_before_is_exclusive() -> None:
    reply = list_runs(hub(4), before="2024-05-01T12:00:02Z")
    assert [r["id"] for r in reply.json["runs"]] == ["r01", "r00"]
    assert reply.json["next"] is None


@pytest.mark.parametrize(
    ("params", "name"),
    [
        ({"limit": "0"}, "limit"),
        ({"limit": "101"}, "limit"),
        ({"limit": "ten"}, "limit"),
        ({"before": "yesterday"}, "before"),
        ({"before": "0078-07-09T09:39:08Z"}, "before"),
        ({"status": "Sleeping"}, "status"),
        ({"workflow": "nosuch"}, "workflow"),
    ],
)
def test_bad_query_values_are_400_naming_the_parameter(params: dict, name: str) -> None:
    assert_error(list_runs(hub(1), **params), 400, "invalid_parameter", name)
