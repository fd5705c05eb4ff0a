"""`run_agent` streams the reply into the stream store while still returning the whole AgentResult."""

import asyncio
import os
from pathlib import Path
from typing import Any

import pytest

from activities.run_agent import run_agent
from agents.errors import PermanentModelError
from streams.sqlite_store import SqliteStreamStore


def run(payload: dict[str, Any]) -> dict[str, Any]:
    return asyncio.run(run_agent(payload))


def stored(run_id: str, step: str) -> list[Any]:
    return SqliteStreamStore(Path(os.environ["STREAM_PATH"])).read(run_id, {step})


@pytest.mark.parametrize("delay_ms", ["0", "40"])
def test_the_reply_is_stored_word_by_word_and_adds_up_to_the_result(
    monkeypatch: pytest.MonkeyPatch, delay_ms: str
) -> None:
    monkeypatch.setenv("OFFLINE_MODEL_DELAY_MS", delay_ms)
    result = run({"agent": "researcher", "prompt": "Topic: tides", "run": "run-1", "step": "s1"})
    chunks = stored("run-1", "s1")
    assert result["step"] == "s1"
    assert "".join(chunk.text for chunk in chunks) == result["text"]
    assert [chunk.index for chunk in chunks] == list(range(len(chunks)))
    assert {(chunk.agent, chunk.attempt) for chunk in chunks} == {("researcher", chunks[0].attempt)}


def test_structured_output_streams_its_json_and_still_parses() -> None:
    result = run({"agent": "triage", "prompt": "my invoice is wrong", "run": "run-1", "step": "t1"})
    assert result["value"]["route"] == "billing"
    assert "".join(chunk.text for chunk in stored("run-1", "t1")) == result["text"]


def test_a_call_without_a_stream_name_writes_nothing_and_says_so_in_its_result() -> None:
    result = run({"agent": "assistant", "prompt": "hi"})
    assert result["step"] is None and result["text"]
    assert not Path(os.environ["STREAM_PATH"]).exists()


@pytest.mark.parametrize(
    "fields", [{"run": "run-1"}, {"step": "s1"}, {"run": "", "step": "s1"}, {"run": 3, "step": "s"}]
)
def test_a_half_named_stream_is_a_permanent_error(fields: dict[str, Any]) -> None:
    with pytest.raises(PermanentModelError, match="'run' and 'step'"):
        run({"agent": "assistant", "prompt": "hi", **fields})
