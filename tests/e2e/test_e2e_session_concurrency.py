"""Two messages sent to one session at once are answered one after the other, the second seeing the first.

The model is slowed down (300 ms a call) so both turns are being written at the same time: without
serialised turns both replies would be written from an empty conversation.
"""

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from bench.template_host import PROJECT_ROOT, template_env
from devhost.testing import DevHost

MESSAGES = ("My name is Ada and I collect maps.", "Which map should I frame first?")


@pytest.fixture(scope="module")
def slow_host(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DevHost]:
    tmp: Path = tmp_path_factory.mktemp("slow-model")
    with DevHost(PROJECT_ROOT, tmp / "state.db", env=template_env(tmp, OFFLINE_MODEL_DELAY_MS="300")) as host:
        yield host


def send(host: DevHost, message: str) -> dict:
    with httpx.Client(base_url=host.base_url, timeout=60) as http:
        reply = http.post("/api/sessions/atlas/messages", params={"wait": "45"}, json={"message": message})
    assert reply.status_code == 200, reply.text
    return reply.json()


def test_two_messages_at_once_are_answered_one_after_the_other(slow_host: DevHost) -> None:
    with ThreadPoolExecutor(2) as pool:
        replies = list(pool.map(lambda message: send(slow_host, message), MESSAGES))

    assert sorted(reply["turns"] for reply in replies) == [1, 2]
    kept = slow_host.get("/api/sessions/atlas").json()
    assert kept["turns"] == 2
    roles = [message["role"] for message in kept["messages"]]
    assert roles == ["user", "assistant", "user", "assistant"]
    first_user, first_reply, second_user, second_reply = (message["text"] for message in kept["messages"])
    assert {first_user, second_user} == set(MESSAGES)
    assert "message 2 from you" not in first_reply
    assert "message 2 from you" in second_reply and first_user[:20] in second_reply
    later = next(reply for reply in replies if reply["turns"] == 2)
    assert later["reply"] == second_reply
