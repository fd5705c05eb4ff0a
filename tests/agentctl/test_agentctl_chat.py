"""`agentctl chat` driven through stdin: one line in, the reply out, until EOF or /exit."""

import io
import json
import re

import pytest

from agentctl import chat as chat_session
from agentctl.follow_view import FollowView
from agentctl.output import Output
from tests.agentctl.conftest import Agentctl
from tests.agentctl.fake_run_api import FakeRunApi


def sent_messages(api: FakeRunApi) -> list[str]:
    return [r["body"]["message"] for r in api.requests if r["path"].endswith("/messages")]


def test_each_line_is_a_turn_and_each_reply_a_line(agentctl: Agentctl, api: FakeRunApi) -> None:
    result = agentctl("chat", "trip", stdin="hello\n\nI am Sam\n")
    assert result.code == 0
    assert result.lines == ["you said: hello", "you said: I am Sam"]
    assert sent_messages(api) == ["hello", "I am Sam"]
    assert {r["path"] for r in api.requests if r["method"] == "POST"} == {"/api/sessions/trip/messages"}
    assert api.requests[0]["query"] == {"wait": "0"}  # the turn answers at once; its words stream


def test_the_reply_is_printed_from_the_streamed_words(agentctl: Agentctl, api: FakeRunApi) -> None:
    result = agentctl("chat", "trip", stdin="hello\n")
    assert result.lines == ["you said: hello"]
    polls = [r for r in api.requests if r["path"].endswith("/events")]
    assert polls and all(r["query"]["wait"] == "20" for r in polls)


def test_a_stream_that_fell_behind_is_completed_from_the_final_reply(agentctl: Agentctl) -> None:
    result = agentctl("chat", "trip", stdin="lagging\n")
    assert result.lines == ["you said: lagging"]


def test_exit_command_ends_the_chat(agentctl: Agentctl, api: FakeRunApi) -> None:
    result = agentctl("chat", "s1", stdin="one\n/exit\ntwo\n")
    assert result.lines == ["you said: one"]
    assert sent_messages(api) == ["one"]


def test_a_slow_reply_is_followed_to_the_end_of_its_run(agentctl: Agentctl, api: FakeRunApi) -> None:
    api.drop_events_polls = {1}
    result = agentctl("chat", "s2", "--wait", "5", stdin="slow question\nfast one\n")
    assert result.code == 0
    assert result.lines == ["you said: slow question", "you said: fast one"]
    assert "interrupted (" in result.err


def test_a_failed_turn_is_reported_and_the_chat_goes_on(agentctl: Agentctl) -> None:
    result = agentctl("chat", "s3", stdin="fail please\nstill here\n")
    assert result.code == 1
    assert result.lines == ["you said: still here"]
    assert "ended Failed" in result.err
    assert "model refused" in result.err


def test_a_turn_the_api_reports_failed_is_not_retried(agentctl: Agentctl, api: FakeRunApi) -> None:
    result = agentctl("chat", "s5", stdin="fail fast\n")
    assert result.code == 1
    assert result.err.strip() == "agentctl: session turn run 'turn0' ended Failed: model refused"
    assert sent_messages(api) == ["fail fast"]


def test_a_server_error_shows_its_correlation_id(agentctl: Agentctl) -> None:
    result = agentctl("chat", "s6", stdin="crash\n")
    assert result.code == 1
    assert result.err.strip() == "agentctl: unexpected error (correlationId c0ffee)"


def test_chat_against_an_unreachable_api_exits_3(agentctl: Agentctl) -> None:
    result = agentctl("chat", "s4", stdin="hi\n", env={"AGENTCTL_URL": "http://127.0.0.1:1"})
    assert result.code == 3
    assert "http://127.0.0.1:1/api" in result.err


def test_a_session_id_the_api_refuses_is_a_usage_error_not_a_failed_turn(
    agentctl: Agentctl, api: FakeRunApi
) -> None:
    """Every turn would be refused alike, so the chat stops at the first with exit code 2."""
    result = agentctl("chat", "bad id", stdin="hello\nagain\n")
    assert result.code == 2
    assert "session id" in result.err
    assert sent_messages(api) == ["hello"]  # the second line was not sent


class InterruptedFollower:
    """A follower the user stops with Ctrl-C after the first words of the reply arrived."""

    def __init__(self, client: object, run_id: str, view: FollowView, **_: object) -> None:
        self.view = view

    def follow(self, after: str = "0") -> dict:
        self.view.events([{"type": "token", "name": "chat", "detail": {"step": "c0", "text": "Hi the"}}])
        raise KeyboardInterrupt


def test_ctrl_c_while_a_reply_is_written_ends_its_line_and_says_where_it_goes_on(
    agentctl: Agentctl, api: FakeRunApi, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(chat_session, "RunFollower", InterruptedFollower)
    result = agentctl("chat", "s9", stdin="slow question\nnever sent\n")
    assert result.code == 130
    assert result.out == "Hi the\n"
    assert "saved to session s9" in result.err
    assert re.search(r"Follow it: agentctl events turn\d+ --follow$", result.err.strip())
    assert "Traceback" not in result.err
    assert sent_messages(api) == ["slow question"]


@pytest.mark.parametrize(("key", "exit_code"), [(KeyboardInterrupt, 130), (EOFError, 0)])
def test_ctrl_c_or_ctrl_d_at_the_prompt_ends_the_prompt_line_and_the_chat(
    key: type[BaseException], exit_code: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    screen = io.StringIO()
    out = Output(screen, interactive=False)

    def pressed(prompt: str) -> str:
        screen.write(prompt)
        raise key

    monkeypatch.setattr(out.console, "input", pressed)
    code = chat_session.chat(None, "s10", chat_session.prompted_lines(out), out, out, 20)  # type: ignore[arg-type]
    assert code == exit_code
    assert screen.getvalue() == "you> \n"


def test_session_delete_forgets_a_chatted_session(agentctl: Agentctl, api: FakeRunApi) -> None:
    agentctl("chat", "trip", stdin="hello\n")

    result = agentctl("session", "delete", "trip")

    assert result.code == 0 and result.lines == ["Deleted session trip"]
    assert api.requests[-1]["method"] == "DELETE" and api.requests[-1]["path"] == "/api/sessions/trip"
    gone = agentctl("session", "delete", "trip")
    assert gone.code == 4 and "session 'trip' not found" in gone.err


def test_session_delete_while_a_turn_runs_exits_1_naming_the_run(agentctl: Agentctl) -> None:
    result = agentctl("session", "delete", "busy")
    assert result.code == 1 and "run 'turn9'" in result.err


def test_session_delete_json_and_still_queued(agentctl: Agentctl, api: FakeRunApi) -> None:
    agentctl("chat", "trip", stdin="hello\n")
    assert json.loads(agentctl("session", "delete", "trip", "--json").out) == {
        "sessionId": "trip",
        "status": "deleted",
    }
    queued = agentctl("session", "delete", "queued")
    assert queued.code == 0 and "Deleting session queued" in queued.out
