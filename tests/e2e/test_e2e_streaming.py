"""Live words on the embedded host, read the way a browser's EventSource reads them.

The reader asks `GET /api/runs/{id}/events` with `Accept: text/event-stream`, takes one batch,
and comes back with the last `id:` as `Last-Event-ID`, as EventSource does after every reply. It
must see each agent's words before that agent's step completes, adding up to its text, with nothing
repeated or lost across reconnects, even when the host is killed mid-sentence and restarted.
"""

import json
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from bench.template_host import PROJECT_ROOT, template_env
from devhost.testing import DevHost

CHAIN = {"researcher": "research", "writer": "draft", "reviewer": "review"}
DEADLINE_S = 90.0


@dataclass
class EventSourceReader:
    """Reconnects after each batch with Last-Event-ID; keeps what an app would show."""

    host: DevHost
    run_id: str
    last_id: str | None = None
    events: list[dict[str, Any]] = field(default_factory=list)
    text: dict[str, str] = field(default_factory=dict)  # step key -> words shown
    ended: bool = False

    def read_once(self) -> None:
        headers = {"Accept": "text/event-stream"} | ({"Last-Event-ID": self.last_id} if self.last_id else {})
        reply = self.host.get(f"/api/runs/{self.run_id}/events", params={"wait": "5"}, headers=headers)
        assert reply.status_code == 200, reply.text
        for block in reply.text.split("\n\n"):
            fields = dict(line.split(": ", 1) for line in block.splitlines() if ": " in line)
            if fields.get("event") == "end":
                self.ended = True
            elif "id" in fields:
                self._take(json.loads(fields["data"]))
                self.last_id = fields["id"]

    def _take(self, event: dict[str, Any]) -> None:
        self.events.append(event)
        if event["type"] == "token":
            step = event["detail"]["step"]
            if event["detail"].get("restarted"):
                self.text[step] = ""  # a retried step: its earlier words are void
            self.text[step] = self.text.get(step, "") + event["detail"]["text"]

    def read_until(self, done: Any) -> None:
        until = time.monotonic() + DEADLINE_S
        while not done() and time.monotonic() < until:
            self.read_once()
        assert done(), f"gave up after {DEADLINE_S}s with {len(self.events)} events"


@pytest.fixture
def slow_host(tmp_path: Path) -> Iterator[DevHost]:
    """A model that takes 1.5 s a reply, its words spread over it, so readers see them arrive."""
    env = template_env(tmp_path, OFFLINE_MODEL_DELAY_MS="1500")
    with DevHost(PROJECT_ROOT, tmp_path / "state.db", env=env) as host:
        yield host


def start_chain(host: DevHost) -> str:
    reply = host.post("/api/runs/chain", json={"topic": "durable agents"})
    assert reply.status_code == 202, reply.text
    return str(reply.json()["id"])


def check_story(reader: EventSourceReader, output: dict[str, Any]) -> None:
    """Each agent's words come before its completion and add up to its part of the output."""
    ids = [event["id"] for event in reader.events]
    assert len(ids) == len(set(ids)), "an event was delivered twice"
    seqs = [event["seq"] for event in reader.events if event["type"] != "token"]
    assert seqs == list(range(1, len(seqs) + 1)), "a step event was lost or repeated"
    for index, event in enumerate(reader.events):
        if event["type"] != "step_completed" or event["detail"].get("agent") not in CHAIN:
            continue
        step = event["detail"]["step"]
        before = [e for e in reader.events[:index] if e["type"] == "token" and e["detail"]["step"] == step]
        after = [e for e in reader.events[index:] if e["type"] == "token" and e["detail"]["step"] == step]
        assert len(before) > 1 and not after, f"{event['detail']['agent']}: words not all before completion"
        assert reader.text[step] == output[CHAIN[event["detail"]["agent"]]]


def test_an_event_source_sees_every_word_before_its_step_completes(slow_host: DevHost) -> None:
    reader = EventSourceReader(slow_host, start_chain(slow_host))
    reader.read_until(lambda: reader.ended)
    output = slow_host.get(f"/api/runs/{reader.run_id}").json()["output"]
    check_story(reader, output)
    assert reader.events[-1]["type"] == "run_completed"


def test_killed_mid_sentence_the_step_restarts_and_the_reader_ends_with_the_whole_text(
    slow_host: DevHost,
) -> None:
    reader = EventSourceReader(slow_host, start_chain(slow_host))
    reader.read_until(lambda: any(e["type"] == "token" for e in reader.events))
    slow_host.kill()
    slow_host.launch()
    reader.read_until(lambda: reader.ended)
    document = slow_host.get(f"/api/runs/{reader.run_id}").json()
    assert document["status"] == "Completed"
    check_story(reader, document["output"])
    restarts = [e for e in reader.events if e["type"] == "token" and e["detail"].get("restarted")]
    assert [e["name"] for e in restarts] == ["researcher"]
    assert restarts[0]["detail"]["attempt"] == 2
