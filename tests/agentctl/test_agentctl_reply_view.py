"""`agentctl chat`'s reply view: a turn that replies again (another message of the session was saved
first) shows that the first reply is replaced, instead of printing two replies as if both counted."""

import io

from agentctl.follow_view import ReplyFollowView
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
