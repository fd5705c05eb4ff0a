"""Styling only on a terminal: ANSI on a TTY, none with NO_COLOR; the live follow view on a TTY.

These run `python -m agentctl` in a child process whose stdout is a pseudo-terminal,
the only honest way to test what a user's terminal receives.
"""

import json
import os
import pty
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.agentctl.fake_run_api import FakeServer

ROOT = Path(__file__).resolve().parents[2]
DEADLINE_S = 20.0

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal")


def run_on_terminal(server: FakeServer, *args: str, no_color: bool = False) -> tuple[int, str]:
    """Run agentctl with stdout and stderr on a pty; return (exit code, everything it wrote)."""
    env = {key: value for key, value in os.environ.items() if key not in ("NO_COLOR", "AGENTCTL_KEY")}
    env |= {"AGENTCTL_URL": server.url, "TERM": "xterm-256color", "COLUMNS": "120"}
    if no_color:
        env["NO_COLOR"] = "1"
    leader, follower = pty.openpty()
    child = subprocess.Popen(
        [sys.executable, "-m", "agentctl", *args],
        cwd=ROOT,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=follower,
        stderr=follower,
    )
    os.close(follower)
    chunks: list[bytes] = []
    deadline = time.monotonic() + DEADLINE_S
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([leader], [], [], 0.5)
            if not ready:
                continue
            try:
                chunk = os.read(leader, 65536)
            except OSError:
                break
            if not chunk:
                break
            chunks.append(chunk)
        code = child.wait(timeout=max(0.1, deadline - time.monotonic()))
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
        os.close(leader)
    return code, b"".join(chunks).decode("utf-8", "replace")


def test_a_terminal_gets_styled_tables(server: FakeServer) -> None:
    code, text = run_on_terminal(server, "workflows")
    assert code == 0
    assert "\x1b[" in text
    assert "fanout" in text


def test_no_color_on_a_terminal_means_no_ansi_at_all(server: FakeServer) -> None:
    code, text = run_on_terminal(
        server, "run", "single", "-i", '{"question": "hi"}', "--follow", no_color=True
    )
    assert code == 0
    assert "\x1b" not in text
    assert "Status    Completed" in text


def test_live_follow_on_a_terminal_shows_events_and_the_output(server: FakeServer) -> None:
    code, text = run_on_terminal(server, "run", "single", "-i", '{"question": "hi"}', "--follow")
    assert code == 0
    for seq in range(1, 5):
        assert f"#{seq}" in text
    assert "Completed" in text
    assert '"question"' in text


def test_live_follow_shows_the_words_of_the_running_step(server: FakeServer) -> None:
    given = '{"question": "hi", "words": ["Durable ", "agents ", "write.\\n", "Then ", "more."]}'
    code, text = run_on_terminal(server, "run", "single", "-i", given, "--follow")
    assert code == 0
    assert "Durable agents write." in text  # a whole line scrolls above the bar
    assert "Then more." in text  # the line being written sits on the step line, then is kept


def test_live_follow_shows_rich_markup_in_words_as_text(server: FakeServer) -> None:
    given = json.dumps({"question": "hi", "words": ["a list [/b] ", "ends.\n", "then [/i]"]})
    code, text = run_on_terminal(server, "run", "single", "-i", given, "--follow")
    assert code == 0, text
    assert "Traceback" not in text
    assert "a list [/b] ends." in text
    assert "then [/i]" in text


# Escape sequences that would retitle the window, write the clipboard (OSC 52) and clear the screen
# if a model's words reached the terminal raw.
HOSTILE_WORDS = ["see \x1b]0;pwned\x07 ", "\x1b]52;c;cHduZWQ=\x1b\\ ", "and \x1b[2J.\n", "then \x1b[2J"]


def test_live_follow_shows_control_sequences_in_words_as_escapes(server: FakeServer) -> None:
    given = json.dumps({"question": "hi \x9b2J", "words": HOSTILE_WORDS})
    code, text = run_on_terminal(server, "run", "single", "-i", given, "--follow")
    assert code == 0, text
    assert "\x1b]" not in text and "\x1b[2J" not in text and "\x07" not in text and "\x9b" not in text
    assert '"hi \\u009b2J"' in text  # the output, as JSON
    assert "see \\x1b]0;pwned\\x07 \\x1b]52;c;cHduZWQ=\\x1b\\ and \\x1b[2J." in text
    assert "then \\x1b[2J" in text
