"""The tools themselves: calculator, knowledge lookup, tickets and the idempotent outbox."""

import sqlite3
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing
from pathlib import Path

import pytest

from agents.errors import UnknownToolError
from agents.tools import ToolContext, invoke_tool, outbox

ROOT = Path(__file__).resolve().parents[2]
CONTEXT = ToolContext(call_id="c1", idempotency_key="run-1:c1")


@pytest.mark.parametrize(
    ("expression", "value"),
    [
        ("17 * 23", 391),
        ("(2 + 3) * 4 - 1", 19),
        ("7 / 2", 3.5),
        ("6 / 3", 2),
        ("2 ** 10", 1024),
        ("-3 % 5", 2),
    ],
)
def test_calculator_values(expression: str, value: float) -> None:
    assert invoke_tool("calculator", {"expression": expression}, CONTEXT) == {
        "expression": expression,
        "value": value,
    }


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        ("1 / 0", "division by zero"),
        ("__import__('os')", "unsupported element"),
        ("2 ** 1000", "exponent"),
        ("10 ** 40", "out of range"),
        ("1e999", "out of range"),
        ("1e999 - 1e999", "out of range"),
        ("0 * 1e999", "out of range"),
        ("(10 ** 30) ** 100", "out of range"),
        ("17 *", "not an arithmetic expression"),
    ],
)
def test_calculator_rejects_what_is_not_safe_arithmetic(expression: str, message: str) -> None:
    assert message in invoke_tool("calculator", {"expression": expression}, CONTEXT)["error"]


def test_bad_arguments_come_back_as_an_error_naming_the_field() -> None:
    result = invoke_tool("calculator", {"expr": "1 + 1"}, CONTEXT)
    assert result == {"error": "invalid arguments for calculator: expression: Field required"}


def test_unknown_tool_is_named() -> None:
    with pytest.raises(UnknownToolError, match="'shell'"):
        invoke_tool("shell", {}, CONTEXT)


def test_knowledge_lookup_finds_articles_by_keyword() -> None:
    result = invoke_tool(
        "lookup_knowledge", {"query": "how do refunds work after I was charged twice"}, CONTEXT
    )
    assert result["matches"][0]["id"] == "kb-refunds"
    assert invoke_tool("lookup_knowledge", {"query": "zebra migration"}, CONTEXT)["matches"] == []


def test_a_ticket_is_created_once_per_idempotency_key() -> None:
    arguments = {"title": "VPN is broken", "priority": "high"}
    first = invoke_tool("create_ticket", arguments, CONTEXT)
    again = invoke_tool("create_ticket", {"title": "something else"}, CONTEXT)
    other = invoke_tool("create_ticket", arguments, ToolContext(call_id="c2", idempotency_key="run-1:c2"))
    assert first == again == {**first, "ticket_id": "TCK-00001", "title": "VPN is broken", "status": "open"}
    assert other["ticket_id"] == "TCK-00002"
    assert outbox.stats() == {
        "rows": 2,
        "attempts": 3,
        "duplicates": 1,
        "by_kind": {"ticket": {"rows": 2, "attempts": 3}},
    }
    assert [record.attempts for record in outbox.records("ticket")] == [2, 1]


def test_a_ticket_without_idempotency_key_is_refused() -> None:
    result = invoke_tool("create_ticket", {"title": "VPN is broken"}, ToolContext(call_id="c1"))
    assert "idempotency_key" in result["error"]
    assert outbox.stats()["rows"] == 0


def test_the_outbox_is_safe_across_threads_and_processes() -> None:
    def write(index: int) -> str:
        key = f"run-2:c{index % 4}"
        return outbox.write_once(key, "ticket", {}, lambda seq: {"ticket_id": seq}).record.key

    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(write, range(32)))
    script = (
        "from agents.tools import outbox\n"
        "for i in range(8): outbox.write_once(f'run-2:c{i}', 'ticket', {}, lambda seq: {'ticket_id': seq})\n"
    )
    children = [subprocess.Popen([sys.executable, "-c", script], cwd=ROOT) for _ in range(2)]
    assert [child.wait(timeout=60) for child in children] == [0, 0]
    stats = outbox.stats()
    assert (stats["rows"], stats["attempts"]) == (8, 32 + 16)
    assert sorted(record.result["ticket_id"] for record in outbox.records()) == list(range(1, 9))
    with closing(sqlite3.connect(outbox.outbox_path())) as db:
        assert db.execute("PRAGMA journal_mode").fetchone() == ("wal",)
