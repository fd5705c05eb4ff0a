"""The Table outbox against a real Table service (Azurite), not only the in-memory fake.

The fake models ETags, insert conflicts and transactions as the documentation describes them; this
checks the same promises where the real wire format, key escaping and batch rules apply.
"""

import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from azure.data.tables import TableServiceClient

from agents.tools.outbox_sqlite import SqliteOutbox
from agents.tools.outbox_table import TableOutbox
from tests.agents.test_outbox_backends import racing, run, timeless
from tests.support.azurite import Azurite


def azurite_outbox(azurite: Azurite) -> TableOutbox:
    """An outbox on a fresh table, so tests never see each other's rows."""
    service = TableServiceClient.from_connection_string(azurite.connection_string)
    table = service.create_table_if_not_exists(f"outbox{uuid.uuid4().hex[:12]}")
    return TableOutbox(table, f"table '{table.table_name}' on Azurite")


def test_azurite_and_sqlite_answer_the_same_operations_alike(azurite: Azurite, tmp_path: Path) -> None:
    sqlite, table = SqliteOutbox(tmp_path / "outbox.db"), azurite_outbox(azurite)
    sqlite_writes, table_writes = run(sqlite), run(table)
    assert [(w.duplicate, w.record.attempts, w.record.seq) for w in table_writes] == [
        (w.duplicate, w.record.attempts, w.record.seq) for w in sqlite_writes
    ]
    assert timeless(table.records()) == timeless(sqlite.records())
    assert table.stats() == sqlite.stats()


def test_racing_writers_on_azurite_never_repeat_or_skip_a_seq(azurite: Azurite) -> None:
    table, writers = azurite_outbox(azurite), 6
    make = racing(writers)

    def write(index: int) -> int:
        return table.write_once(f"run-{index}:c1", "ticket", {"n": index}, make).record.seq

    with ThreadPoolExecutor(max_workers=writers) as pool:
        seqs = sorted(pool.map(write, range(writers)))
    assert seqs == list(range(1, writers + 1))
    assert [record.seq for record in table.records("ticket")] == seqs
