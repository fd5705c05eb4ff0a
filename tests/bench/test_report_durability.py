"""The report sets the template beside the peer with its HTTP hop and streamed words: what durability adds."""

from typing import Any

from bench.report import durability_note

# The note reads the systems' keys from the settings; bench.peers.catalog would import the peers
# (LangGraph, DBOS), which `make test` does not install.
FLOOR, HTTP_STREAMING_FLOOR, TEMPLATE = "asyncio", "asyncio-http", "template"


def data_with(rows: list[tuple[str, float, float]]) -> dict[str, Any]:
    """A `peers.json` document holding only what the note reads: (system, delay, p50) rows."""
    settings = {
        "floor": FLOOR,
        "http_streaming_floor": HTTP_STREAMING_FLOOR,
        "template": TEMPLATE,
        "delays": [0.0, 20.0],
    }
    return {"settings": settings, "rows": [{"key": k, "delay_ms": d, "p50_ms": p} for k, d, p in rows]}


def test_the_note_gives_the_template_over_the_http_streaming_floor_at_each_delay() -> None:
    note = durability_note(
        data_with(
            [
                (HTTP_STREAMING_FLOOR, 0.0, 2.0),
                (TEMPLATE, 0.0, 5.0),
                (HTTP_STREAMING_FLOOR, 20.0, 64.0),
                (TEMPLATE, 20.0, 68.0),
            ]
        )
    )
    assert "0 ms model: 5.00 vs 2.00 ms, 2.50× (+3.00 ms)" in note
    assert "20 ms model: 68.00 vs 64.00 ms, 1.06× (+4.00 ms)" in note
    assert "Not a target" in note


def test_no_note_without_both_systems_or_from_results_that_predate_the_peer() -> None:
    assert durability_note(data_with([(TEMPLATE, 20.0, 68.0), (FLOOR, 20.0, 61.0)])) == ""
    older = data_with([(HTTP_STREAMING_FLOOR, 20.0, 64.0), (TEMPLATE, 20.0, 68.0)])
    del older["settings"]["http_streaming_floor"]
    assert durability_note(older) == ""
