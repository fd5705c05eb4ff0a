"""`agentctl chat`'s reply view: a turn that replies again (another message of the session was saved
first) shows that the first reply is replaced, instead of printing two replies as if both counted;
a reconnect notice is never glued to the end of a reply's words on the same screen."""

import io
import os
from pathlib import Path

from agentctl.follow_view import PlainFollowView, ReplyFollowView
from agentctl.output import Output
from agentctl.words import REPLY_AGAIN_NOTE


def token(step: str, text: str) -> dict:
    return {"type": "token", "name": "chat", "detail": {"step": step, "attempt": "a1", "text": text}}


def test_a_second_reply_step_is_announced_as_replacing_the_first() -> None:
    stdout, stderr = io.StringIO(), io.StringIO()
    view = ReplyFollowView(Output(stdout, interactive=False), Output(stderr, interactive=False), "chat", "")
    view.events([token("c0", "Hi "), token("c0", "there."), token("c1", "Hi again, "), token("c1", "Sam.")])
    view.words.end_line()

    assert stdout.getvalue().splitlines() == ["Hi there.", REPLY_AGAIN_NOTE, "Hi again, Sam."]
    assert view.words.streamed("chat") == "Hi again, Sam."


def test_one_reply_step_prints_one_line() -> None:
    stdout = io.StringIO()
    view = ReplyFollowView(
        Output(stdout, interactive=False), Output(io.StringIO(), interactive=False), "chat", ""
    )
    view.events([token("c0", "Hi "), token("c0", "there.")])
    view.words.end_line()
    assert stdout.getvalue().splitlines() == ["Hi there."]


def test_a_reconnect_notice_mid_reply_starts_on_a_line_of_its_own_on_a_shared_screen(tmp_path: Path) -> None:
    # stdout and stderr on one terminal or in one log (`2>&1`): the words' open line must end first.
    log = tmp_path / "chat.log"
    with log.open("w") as stdout, os.fdopen(os.dup(stdout.fileno()), "w", buffering=1) as stderr:
        view = ReplyFollowView(
            Output(stdout, interactive=False), Output(stderr, interactive=False), "chat", ""
        )
        view.events([token("c0", "Hi ")])
        view.notice("interrupted (connection refused); resuming")
        view.events([token("c0", "there.")])
        view.words.end_line()
    assert log.read_text().splitlines() == ["Hi ", "interrupted (connection refused); resuming", "there."]


def test_a_notice_on_its_own_stream_adds_no_blank_line_and_leaves_the_reply_whole() -> None:
    stdout, stderr = io.StringIO(), io.StringIO()
    view = ReplyFollowView(Output(stdout, interactive=False), Output(stderr, interactive=False), "chat", "")
    view.events([token("c0", "Hi ")])
    view.notice("interrupted; resuming")
    view.events([token("c0", "there.")])
    view.words.end_line()
    assert stdout.getvalue() == "Hi there.\n"
    assert stderr.getvalue() == "interrupted; resuming\n"


def test_a_plain_follow_ends_the_words_line_before_a_notice_on_the_same_stream() -> None:
    screen = io.StringIO()
    shared = Output(screen, interactive=False)
    with PlainFollowView(shared, shared) as view:
        view.events([{"type": "token", "name": "writer", "detail": {"step": "s1", "text": "Draft"}}])
        view.notice("interrupted; resuming")
        view.events([{"type": "token", "name": "writer", "detail": {"step": "s1", "text": " goes on."}}])
    assert screen.getvalue() == "writer: Draft\ninterrupted; resuming\nwriter:  goes on.\n"
