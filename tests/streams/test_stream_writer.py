"""Batching a reply into chunks: in order, gapless, every word once, and never failing the agent call."""

import asyncio
import threading
import time
from collections.abc import Collection, Sequence
from datetime import datetime
from pathlib import Path

import pytest

from streams.records import Chunk
from streams.sqlite_store import SqliteStreamStore
from streams.writer import MAX_CHARS, MAX_PIECES, StreamWriter, new_attempt_id


class Recorder:
    """A store that keeps appends in memory, in the order they were made."""

    inline = True

    def __init__(self) -> None:
        self.appends: list[list[Chunk]] = []

    def append(self, run: str, chunks: Sequence[Chunk]) -> None:
        self.appends.append(list(chunks))

    def read(self, run: str, steps: Collection[str]) -> list[Chunk]:
        return [chunk for batch in self.appends for chunk in batch if chunk.step in steps]

    def started_since(self, run: str, since: str) -> dict[str, str]:
        return {}

    def purge(self, written_before: datetime) -> int:
        return 0


class Broken(Recorder):
    def append(self, run: str, chunks: Sequence[Chunk]) -> None:
        raise OSError("disk gone")


class RemoteRecorder(Recorder):
    """A network store: slow, so it is written from worker threads, one write after another."""

    inline = False

    def __init__(self) -> None:
        super().__init__()
        self.threads: set[str] = set()

    def append(self, run: str, chunks: Sequence[Chunk]) -> None:
        time.sleep(0.002)
        self.threads.add(threading.current_thread().name)
        super().append(run, chunks)


class RemoteBroken(RemoteRecorder):
    def append(self, run: str, chunks: Sequence[Chunk]) -> None:
        raise OSError("network gone")


def write_all(store: Recorder, words: list[str]) -> list[Chunk]:
    """Hand the words to one writer as fast as they come, close it, and return what was stored."""

    async def write() -> None:
        writer = StreamWriter(store, "run-1", "s1", "writer")
        for word in words:
            writer.add(word)
        await writer.close()

    asyncio.run(write())
    return [chunk for batch in store.appends for chunk in batch]


@pytest.mark.parametrize("store_type", [Recorder, RemoteRecorder], ids=["file", "network"])
def test_a_fast_reply_goes_out_in_order_in_chunks_of_twenty_pieces(store_type: type[Recorder]) -> None:
    words = [f"w{i} " for i in range(45)]
    chunks = write_all(store := store_type(), words)
    assert [chunk.index for chunk in chunks] == [0, 1, 2]
    assert [len(chunk.text.split()) for chunk in chunks] == [MAX_PIECES, MAX_PIECES, 5]
    assert "".join(chunk.text for chunk in chunks) == "".join(words)
    assert {(chunk.agent, chunk.step) for chunk in chunks} == {("writer", "s1")}
    if isinstance(store, RemoteRecorder):  # a network store is never written on the loop's thread
        assert threading.main_thread().name not in store.threads


def test_a_slow_reply_is_flushed_word_by_word_without_waiting_for_a_full_batch(tmp_path: Path) -> None:
    store = SqliteStreamStore(tmp_path / "streams.db")

    async def write() -> list[str]:
        writer = StreamWriter(store, "run-1", "s1", "writer")
        seen: list[str] = []
        for word in ("slow ", "model ", "words"):
            writer.add(word)
            # The next word comes only once this one is readable: the timer, not the batch, sent it.
            while len(store.read("run-1", {"s1"})) == len(seen):
                await asyncio.sleep(0.005)
            seen = [chunk.text for chunk in store.read("run-1", {"s1"})]
        await writer.close()
        return seen

    assert asyncio.run(write()) == ["slow ", "model ", "words"]


def test_each_writer_is_a_new_attempt_that_sorts_after_the_earlier_ones() -> None:
    first = StreamWriter(Recorder(), "run-1", "s1", "writer").attempt
    ids = [first] + [new_attempt_id() for _ in range(5)]
    assert ids == sorted(set(ids))


@pytest.mark.parametrize("store_type", [Broken, RemoteBroken], ids=["file", "network"])
def test_a_failing_store_never_fails_the_reply(store_type: type[Recorder], caplog) -> None:
    assert write_all(store_type(), [f"w{i} " for i in range(25)]) == []
    assert caplog.text.count("token stream of run run-1 step s1 stopped") == 1


def test_a_huge_piece_is_cut_into_chunks_a_table_property_holds() -> None:
    store = Recorder()
    reply = "x" * (2 * MAX_CHARS + 10)

    async def write() -> None:
        writer = StreamWriter(store, "run-1", "s1", "writer")
        writer.add(reply)
        await writer.close()

    asyncio.run(write())
    chunks = [chunk for batch in store.appends for chunk in batch]
    assert [(chunk.index, len(chunk.text)) for chunk in chunks] == [(0, MAX_CHARS), (1, MAX_CHARS), (2, 10)]
