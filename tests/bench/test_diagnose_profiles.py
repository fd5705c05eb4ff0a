"""The steady-state profile difference matches each function across the two profiled processes."""

from types import SimpleNamespace
from typing import Any

from bench.peers.diagnose import _difference

NEW_IN_BASE = ("~", 0, "<built-in method __new__ of type object at 0x7f2a00001000>")
NEW_IN_LOADED = ("~", 0, "<built-in method __new__ of type object at 0x7f3b00002000>")
EPISODE = ("/app/devhost/runner.py", 125, "run")


def profile(rows: dict[tuple[str, int, str], tuple[int, float]]) -> Any:
    """A stand-in for `pstats.Stats`: key -> (calls, calls, own s, total s, callers)."""
    return SimpleNamespace(stats={key: (calls, calls, own, own, {}) for key, (calls, own) in rows.items()})


def test_a_built_in_whose_name_carries_an_address_is_matched_across_processes() -> None:
    warm_up = profile({NEW_IN_BASE: (8000, 0.030), EPISODE: (1, 0.001)})
    loaded = profile({NEW_IN_LOADED: (8100, 0.031), EPISODE: (41, 0.021)})
    spots = {spot.name: spot for spot in _difference(warm_up, loaded, runs=20)}
    new = spots["{built-in method __new__ of type object}"]
    assert (round(new.calls, 3), round(new.own_ms, 3)) == (5.0, 0.05)
    episode = spots["/app/devhost/runner.py:125(run)"]
    assert (round(episode.calls, 3), round(episode.own_ms, 3)) == (2.0, 1.0)
