"""Each rule fires on a known line of a bad orchestrator, found through all three discovery
forms and through helpers in other modules, and nothing else fires."""

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

EXPECTED = {
    "bad/rc_clock.py": ["15:15: RC001", "16:13: RC001", "17:13: RC001", "18:11: RC001"],
    # strftime/gmtime given a time to format (line 17) are pure
    "bad/rc_clock_formats.py": [f"{line}: RC001" for line in ("12:13", "13:13", "14:11", "15:12", "16:13")],
    "bad/rc_sleep.py": ["13:5: RC002", "14:5: RC002"],
    "bad/rc_random.py": ["12:12: RC003", "13:13: RC003", "14:12: RC003", "15:12: RC003"],
    "bad/rc_uuid.py": ["10:13: RC004", "11:14: RC004"],
    "bad/rc_env.py": ["10:14: RC005", "11:13: RC005", "12:12: RC005", "13:5: RC005"],
    # 25:75 is the orchestrator's call of the helper whose I/O is at 15:12
    "bad/rc_io.py": [
        f"{where}: RC006" for where in ("15:12", "19:10", "21:12", "22:13", "23:12", "24:14", "25:75")
    ],
    "bad/rc_async.py": ["9:1: RC007"],
    "bad/rc_threads.py": ["10:10: RC008", "12:14: RC008"],
    "bad/rc_sets.py": [f"{where}: RC009" for where in ("9:64", "12:17", "14:23", "15:20", "16:14", "17:13")],
    "bad/rc_set_views.py": ["15:16: RC009", "17:16: RC009", "20:75: RC009"],
    "bad/rc_globals.py": [f"{line}:5: RC010" for line in (17, 19, 20, 21, 22, 23)],
    "bad/rc_generator_call.py": ["12:5: RC011", "13:15: RC011"],
    "bad/rc_nested_yield.py": ["7:5: RC012", "14:22: RC012", "15:17: RC012"],
    "bad/rc_activity_call.py": ["18:15: RC013", "19:12: RC006", "20:13: RC006"],
    "bad/rc_hash.py": ["10:14: RC014"],
}


def expected_lines(path: str) -> list[str]:
    return [f"{path}:{where}" for where in EXPECTED[path]]


@pytest.mark.parametrize("path", sorted(EXPECTED))
def test_each_rule_reports_its_code_at_the_offending_line(replaycheck: Callable[..., Any], path: str) -> None:
    run = replaycheck(path)
    assert run.located == expected_lines(path)
    assert run.code == 1
    assert run.summary["orchestrators"] == 1


def test_a_folder_gives_every_finding_sorted_with_message_and_hint(replaycheck: Callable[..., Any]) -> None:
    run = replaycheck("bad")
    assert run.located == [line for path in sorted(EXPECTED) for line in expected_lines(path)]
    assert run.lines[run.located.index("bad/rc_clock.py:15:15: RC001")] == (
        "bad/rc_clock.py:15:15: RC001 `dt.now` (datetime.datetime.now) reads the wall clock "
        "(hint: use context.current_utc_datetime, which is replayed from history)"
    )
    assert all("(hint: " in line for line in run.lines)
    assert run.summary == {"orchestrators": 16, "helpers": 3, "files": 18, "findings": len(run.lines)}


def test_a_direct_activity_call_hints_at_the_registered_name(replaycheck: Callable[..., Any]) -> None:
    run = replaycheck("bad/rc_activity_call.py")
    assert run.lines[0] == (
        "bad/rc_activity_call.py:18:15: RC013 `charge(...)` runs activity `charge_card` inline, "
        'again on every replay (hint: yield context.call_activity("charge_card", ...))'
    )


def test_functions_registered_by_call_are_resolved_through_import_aliases(
    replaycheck: Callable[..., Any],
) -> None:
    run = replaycheck("bad/register_bad.py")
    assert run.located == expected_lines("bad/rc_env.py") + expected_lines("bad/rc_threads.py")
    assert run.summary["orchestrators"] == 2


def test_helpers_in_other_modules_are_checked_transitively_and_unused_ones_are_not(
    replaycheck: Callable[..., Any],
) -> None:
    run = replaycheck("crossmod/crossmod_app.py")
    assert run.located == [
        "crossmod/crossmod_app.py:13:47: RC004",  # Orchestrator.create(legacy), the v1 form
        "crossmod/crossmod_flows/naming.py:7:12: RC005",  # two calls away from the orchestrator
        "crossmod/crossmod_flows/review.py:8:24: RC003",  # the orchestrator line leading to 2 of them
        "crossmod/crossmod_flows/review.py:9:12: RC001",  # ... and to the stamp
        "crossmod/crossmod_flows/stamps.py:8:35: RC001",  # imported under an alias, relatively
        "crossmod/crossmod_flows/steps.py:10:8: RC003",  # `yield from steps.draft(context)`
    ]
    assert run.summary == {"orchestrators": 2, "helpers": 3, "files": 5, "findings": 6}


def test_a_helper_finding_names_the_orchestrator_line_that_leads_there(
    replaycheck: Callable[..., Any],
) -> None:
    run = replaycheck("crossmod/crossmod_app.py")
    assert run.lines[1].startswith(
        "crossmod/crossmod_flows/naming.py:7:12: RC005 `os.environ.get` touches the process environment "
        "(reached from orchestrator review via crossmod/crossmod_flows/review.py:8 steps.draft() "
        "→ crossmod/crossmod_flows/steps.py:9 pick_name())"
    )
    assert run.lines[2].startswith(
        "crossmod/crossmod_flows/review.py:8:24: RC003 `steps.draft()` leads to 2 finding(s) in helpers "
        "(RC003, RC005; first at crossmod/crossmod_flows/naming.py:7)"
    )


def test_ignore_comments_silence_only_the_codes_they_name(replaycheck: Callable[..., Any]) -> None:
    run = replaycheck("ignored")
    assert run.located == [
        "ignored/ignore_comments.py:16:13: RC004",  # ignore[RC001] does not cover RC004
        "ignored/ignore_comments.py:17:42: RC001",  # the marker is inside a string, not a comment
    ]
    assert run.code == 1


def test_a_file_that_does_not_parse_is_a_finding(replaycheck: Callable[..., Any], tmp_path: Path) -> None:
    (tmp_path / "broken.py").write_text("def orchestrator(context):\n    yield (\n", encoding="utf-8")
    run = replaycheck("broken.py", cwd=tmp_path)
    assert [line.split(" ")[1] for line in run.lines] == ["RC000"]
    assert run.lines[0].startswith("broken.py:2:")
    assert run.code == 1
