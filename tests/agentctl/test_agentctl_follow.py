"""Following runs: live events and progress, resuming after drops without repeats or gaps."""

import io
import json

import pytest

from agentctl.client import RunApiClient
from agentctl.config import resolve_settings
from agentctl.errors import ApiUnreachable
from agentctl.follow import Backoff, RunFollower
from agentctl.follow_view import PlainFollowView
from agentctl.output import Output
from tests.agentctl.conftest import Agentctl
from tests.agentctl.fake_run_api import FakeRun, FakeRunApi, FakeServer


def event_seqs(text: str) -> list[int]:
    return [int(line.split()[0][1:]) for line in text.splitlines() if line.startswith("#")]


def test_run_follow_shows_each_event_progress_and_the_output(agentctl: Agentctl) -> None:
    result = agentctl("run", "single", "--input", '{"question": "hi"}', "--follow")
    assert result.code == 0
    assert event_seqs(result.out) == [1, 2, 3, 4]
    assert "[Running] step1 1/4" in result.out
    assert "Status    Completed" in result.out
    assert '"question": "hi"' in result.out
    assert "\x1b" not in result.out


def test_follow_resumes_after_drops_and_a_500_without_duplicates_or_gaps(
    agentctl: Agentctl, api: FakeRunApi
) -> None:
    api.add_run(FakeRun(id="long", workflow="fanout", event_count=6, batch=2))
    api.drop_events_polls = {1, 3}
    api.failing_events_polls = {4}
    result = agentctl("events", "long", "--follow")
    assert result.code == 0
    assert event_seqs(result.out) == [1, 2, 3, 4, 5, 6]
    assert "resuming after event #0" in result.err
    assert "resuming after event #4" in result.err
    assert "host stopping" in result.err
    assert result.lines[-1] == "Run long Completed"
    afters = [r["query"]["after"] for r in api.requests if r["path"].endswith("/events")]
    assert afters == ["0", "0", "4", "4", "4", "6"]


def test_follow_prints_the_words_inline_before_each_step_and_never_twice_across_drops(
    agentctl: Agentctl, api: FakeRunApi
) -> None:
    api.add_run(FakeRun(id="w1", workflow="chain", event_count=3, batch=1, words=["Durable ", "words."]))
    api.drop_events_polls = {2}
    result = agentctl("events", "w1", "--follow")
    assert result.code == 0
    shown = [line if line.startswith("writer:") else line.split()[0] for line in result.lines]
    assert [line for line in shown if line.startswith(("writer:", "#"))] == [
        "writer: Durable words.",
        "#1",
        "writer: Durable words.",
        "#2",
        "#3",
    ]
    assert event_seqs(result.out) == [1, 2, 3]


def test_follow_long_polls_with_after_and_wait(agentctl: Agentctl, api: FakeRunApi) -> None:
    api.add_run(FakeRun(id="p1", workflow="single", event_count=2))
    agentctl("events", "p1", "--follow")
    polls = [r["query"] for r in api.requests if r["path"].endswith("/events")]
    assert polls[0] == {"after": "0", "wait": "20"}
    assert polls[1] == {"after": "1", "wait": "20"}


def test_run_follow_json_prints_only_the_final_document_on_stdout(agentctl: Agentctl) -> None:
    result = agentctl("run", "single", "--input", '{"question": "hi"}', "--follow", "--json")
    assert result.code == 0
    assert len(result.lines) == 1
    document = json.loads(result.lines[-1])
    assert document["status"] == "Completed"
    assert document["output"] == {"input": {"question": "hi"}}
    assert event_seqs(result.err) == [1, 2, 3, 4]


def test_run_follow_of_a_failing_run_exits_1_with_its_error(agentctl: Agentctl) -> None:
    result = agentctl("run", "single", "--input", '{"question": "hi", "fail": true}', "--follow")
    assert result.code == 1
    assert "Status    Failed" in result.out
    assert "PermanentModelError" in result.out


def test_run_follow_json_of_a_failing_run_still_prints_the_document(agentctl: Agentctl) -> None:
    result = agentctl("run", "single", "-i", '{"question": "hi", "fail": true}', "-f", "--json")
    assert result.code == 1
    assert json.loads(result.lines[-1])["status"] == "Failed"


def test_events_follow_json_writes_one_event_per_line(agentctl: Agentctl, api: FakeRunApi) -> None:
    api.add_run(FakeRun(id="j1", workflow="single", event_count=3))
    api.drop_events_polls = {2}
    result = agentctl("events", "j1", "--follow", "--json")
    assert result.code == 0
    assert [json.loads(line)["seq"] for line in result.lines] == [1, 2, 3]


def test_events_follow_of_a_terminated_run_exits_1(agentctl: Agentctl, api: FakeRunApi) -> None:
    api.add_run(FakeRun(id="t1", workflow="single", terminated=True, revealed=1))
    result = agentctl("events", "t1", "--follow")
    assert result.code == 1
    assert result.lines[-1] == "Run t1 Terminated"


def test_follow_of_an_unknown_run_exits_4(agentctl: Agentctl) -> None:
    result = agentctl("events", "ghost", "--follow")
    assert result.code == 4
    assert "run 'ghost' not found" in result.err


def test_follower_gives_up_after_its_attempts(api: FakeRunApi, server: FakeServer) -> None:
    api.add_run(FakeRun(id="cut", workflow="single"))
    api.drop_events_polls = set(range(1, 100))
    sleeps: list[float] = []
    shown = io.StringIO()
    view = PlainFollowView(Output.for_stream(shown), Output.for_stream(shown))
    with RunApiClient(resolve_settings(server.url, None, {})) as client:
        follower = RunFollower(
            client, "cut", view, backoff=Backoff(first_s=0.1, attempts=3), sleep=sleeps.append
        )
        with pytest.raises(ApiUnreachable, match="gave up after 3 attempts to resume") as gave_up:
            follower.follow()
    # Where to pick it up again, from the last event shown.
    assert gave_up.value.message.endswith(
        f"the run goes on: agentctl events cut --follow --after {follower.after})"
    )
    assert sleeps == [0.1, 0.2, 0.4]
    assert shown.getvalue().count("interrupted (") == 3


def test_events_without_follow_print_the_words_inline_too(agentctl: Agentctl, api: FakeRunApi) -> None:
    run = api.add_run(FakeRun(id="w2", workflow="chain", event_count=2, words=["All ", "there."]))
    run.revealed = run.event_count
    result = agentctl("events", "w2")
    assert result.code == 0
    assert result.lines[0] == "writer: All there."
    assert event_seqs(result.out) == [1, 2]


def test_plain_follow_and_errors_show_control_characters_as_escapes(agentctl: Agentctl) -> None:
    given = json.dumps({"question": "hi", "words": ["a \x1b]52;c;cHduZWQ=\x1b\\ b\x9b2J\r\n"]})
    result = agentctl("run", "single", "-i", given, "--follow")
    assert result.code == 0
    assert "a \\x1b]52;c;cHduZWQ=\\x1b\\ b\\x9b2J" in result.out
    assert "\x1b" not in result.out and "\x9b" not in result.out and "\\x0d" not in result.out

    refused = agentctl("run", "nope\x1b[2J\rok", "-i", "{}")
    assert refused.code == 4
    assert "workflow 'nope\\x1b[2J\\x0dok' does not exist" in refused.err
    assert "\x1b" not in refused.err and "\r" not in refused.err


def test_json_output_escapes_del_and_c1_controls_and_keeps_the_data(agentctl: Agentctl) -> None:
    question = "a\x9b2J\x7f b"
    result = agentctl("run", "single", "-i", json.dumps({"question": question}), "--follow", "--json")
    assert result.code == 0
    assert "\x9b" not in result.out and "\x7f" not in result.out
    assert json.loads(result.lines[-1])["output"]["input"]["question"] == question
