"""`GET /runs`: newest first, filters, a limit that holds at any scale, lossless `cursor` paging.

The durable client double answers the instance query the way the host does: inclusive bounds compared
at full precision, `createdTime` to the second, instance-id order, at most 100 instances a call.
"""

import base64
import hashlib
import json
from datetime import UTC, datetime, timedelta

import pytest

from api import runs
from api.run_windows import MAX_QUERIES
from tests.api.api_calls import Reply, assert_documented, assert_error, call, make_request
from tests.api.durable_fake import HOST_PAGE_SIZE, T0, FakeDurableClient


def list_runs(client: FakeDurableClient, **params: str) -> Reply:
    return call(runs.runs_collection, make_request("GET", "runs", params=params), client)


def scattered_id(index: int) -> str:
    """An id whose order says nothing about creation order, as the host's GUIDs do."""
    return hashlib.sha256(str(index).encode()).hexdigest()[:16] + f"-{index:04d}"


def hub(created: list[datetime], *, name=lambda i: "single" if i % 2 else "chain") -> FakeDurableClient:
    client = FakeDurableClient()
    for index, moment in enumerate(created):
        client.add_run(scattered_id(index), name(index), status="Completed", created=moment)
    return client


def seconds_apart(count: int) -> list[datetime]:
    return [T0 + timedelta(seconds=i) for i in range(count)]


def collect(
    client: FakeDurableClient, limit: int, cursor: str | None = None, **params: str
) -> list[list[str]]:
    """Follow `next` to the end; returns the pages, checking each one's size and query count."""
    pages: list[list[str]] = []
    for _ in range(500):
        before = len(client.status_queries)
        reply = list_runs(client, limit=str(limit), **params, **({"cursor": cursor} if cursor else {}))
        assert reply.status == 200, reply.text
        assert len(client.status_queries) - before <= MAX_QUERIES
        pages.append([run["id"] for run in reply.json["runs"]])
        assert len(pages[-1]) <= limit
        cursor = reply.json["next"]
        if cursor is None:
            return pages
    raise AssertionError("paging did not end")


def test_newest_first_with_default_limit_20() -> None:
    client = hub(seconds_apart(25))
    reply = list_runs(client)
    assert reply.status == 200
    assert [run["id"] for run in reply.json["runs"]] == [scattered_id(i) for i in range(24, 4, -1)]
    assert reply.json["next"]
    assert_documented(reply.json, "RunList")
    assert set(reply.json["runs"][0]) == {"id", "workflow", "status", "createdAt", "updatedAt", "progress"}


def test_following_next_visits_every_run_once_newest_first() -> None:
    pages = collect(hub(seconds_apart(23)), limit=5)
    assert [run for page in pages for run in page] == [scattered_id(i) for i in range(22, -1, -1)]


def test_hundreds_created_in_one_second_are_each_listed_once_in_pages_of_20() -> None:
    created = [T0 + timedelta(microseconds=3_000 * i + 7) for i in range(260)]  # all within 12:00:00
    client = hub(created)
    assert len(list_runs(client, limit="20").json["runs"]) == 20
    pages = collect(client, limit=20)
    seen = [run for page in pages for run in page]
    assert len(seen) == len(set(seen)) == 260 and set(seen) == set(client.runs)


def test_runs_sharing_an_exact_instant_on_a_window_edge_are_not_repeated() -> None:
    """Windows are cut at whole seconds when the newest answer says so, and bounds are inclusive,
    so runs created exactly on a second sit on the edge two windows share."""
    created = [T0 + timedelta(seconds=i // 60) for i in range(300)]  # 60 runs on each of 5 instants
    client = hub(created)
    seen = [run for page in collect(client, limit=20) for run in page]
    assert len(seen) == len(set(seen)) == 300


def test_runs_started_while_paging_do_not_push_earlier_ones_out() -> None:
    """The next page reads the window where the last one stopped, up to the second it stopped in:
    150 runs started since (more than one host answer, ids first in its order) cannot crowd out the
    rest of it."""
    now = datetime.now(UTC)
    client = hub([now - timedelta(milliseconds=30 * (30 - i)) for i in range(30)])
    first = list_runs(client, limit="5").json
    for index in range(150):
        client.add_run(f"0-late-{index:03d}", "single", status="Running", created=now + timedelta(seconds=2))
    rest = [run for page in collect(client, limit=20, cursor=first["next"]) for run in page]
    earlier = [run["id"] for run in first["runs"]] + [run for run in rest if not run.startswith("0-late-")]
    assert sorted(earlier) == sorted(scattered_id(i) for i in range(30))


def test_a_page_costs_a_bounded_number_of_queries_whatever_the_hub_holds() -> None:
    """Hubs of 30, 3,000 and 30,000 runs (up to 250 a second): the first page's durable queries,
    each answering at most 100 instances, grow by a few windows at most, not with the hub."""
    hubs = [hub(seconds_apart(30))] + [
        hub([T0 + timedelta(milliseconds=step * i) for i in range(count)])
        for step, count in ((40, 3_000), (4, 30_000))
    ]
    counts = []
    for client in hubs:
        assert len(list_runs(client).json["runs"]) == 20
        counts.append(len(client.status_queries))
    assert max(counts) <= MAX_QUERIES and max(counts) - counts[0] <= 3, counts


def test_a_rare_workflow_is_found_however_far_back_it_is() -> None:
    created = seconds_apart(2_000)
    client = hub(created, name=lambda i: "routing" if i in (3, 1_500) else "chain")
    pages = collect(client, limit=20, workflow="routing")
    assert [run for page in pages for run in page] == [scattered_id(1_500), scattered_id(3)]


def test_filters_by_workflow_and_status() -> None:
    client = hub(seconds_apart(6))
    ids = [scattered_id(i) for i in range(6)]
    client.runs[ids[3]].status = "Running"
    client.runs[ids[5]].status = "ContinuedAsNew"
    assert [r["id"] for r in list_runs(client, workflow="single").json["runs"]] == [ids[5], ids[3], ids[1]]
    assert [r["id"] for r in list_runs(client, status="running").json["runs"]] == [ids[5], ids[3]]
    both = list_runs(client, status="Running,Completed", workflow="chain").json["runs"]
    assert [r["id"] for r in both] == [ids[4], ids[2], ids[0]]


def test_an_empty_hub_is_one_empty_page() -> None:
    reply = list_runs(FakeDurableClient())
    assert (reply.status, reply.json) == (200, {"runs": [], "next": None})


def forged(body: object) -> str:
    return base64.urlsafe_b64encode(json.dumps(body).encode()).decode().rstrip("=")


def issued_cursor() -> dict:
    cursor = list_runs(hub(seconds_apart(30)), limit="5").json["next"]
    return json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))


@pytest.mark.parametrize(
    "change",
    [
        {"v": 2},
        {"start": "yesterday"},
        {"end": "2024-05-01T12:00:00"},  # no zone
        {"start": "2024-05-02T00:00:00+00:00", "end": "2024-05-01T00:00:00+00:00"},
        {"after": ["2024-05-01T12:00:00+00:00", "../etc"]},
        {"after": "r1"},
        {"edge": ["a"] * (HOST_PAGE_SIZE + 1)},
        {"extra": 1},
    ],
)
def test_a_cursor_that_was_not_issued_is_400_naming_cursor(change: dict) -> None:
    body = {**issued_cursor(), **change}
    assert_error(list_runs(hub(seconds_apart(3)), cursor=forged(body)), 400, "invalid_parameter", "cursor")


@pytest.mark.parametrize("raw", ["not-a-cursor", "%%%", forged([1, 2]), "x" * 9000])
def test_garbage_cursor_is_400(raw: str) -> None:
    assert_error(list_runs(hub(seconds_apart(3)), cursor=raw), 400, "invalid_parameter", "cursor")


def test_before_is_refused_and_points_to_cursor() -> None:
    reply = list_runs(hub(seconds_apart(4)), before="2024-05-01T12:00:02Z")
    assert_error(reply, 400, "invalid_parameter", "before")
    assert "cursor" in reply.json["error"]["message"]


@pytest.mark.parametrize(
    ("params", "name"),
    [
        ({"limit": "0"}, "limit"),
        ({"limit": "101"}, "limit"),
        ({"limit": "ten"}, "limit"),
        ({"status": "Sleeping"}, "status"),
        ({"workflow": "nosuch"}, "workflow"),
    ],
)
def test_bad_query_values_are_400_naming_the_parameter(params: dict, name: str) -> None:
    assert_error(list_runs(hub(seconds_apart(1)), **params), 400, "invalid_parameter", name)
