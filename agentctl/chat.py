"""`agentctl chat`: a multi-turn conversation with a session, one line in and the reply out.

Each line is one `POST /sessions/{id}/messages` that answers at once with the turn's run;
the run is followed to its end (with the same resume-on-drop behaviour as `--follow`) and
the `chat` agent's words are printed as they arrive. Whatever the stream did not show of
the final `output.reply` is printed after it (all of it when nothing streamed). A failed
turn is reported and the chat goes on; the exit code then says that at least one turn failed.
Ctrl-C ends the chat (exit 130) on a line of its own; pressed while a reply is being written, it
says that the turn goes on and where to follow it, since the reply is saved to the session anyway.
"""

from collections.abc import Iterable, Iterator

from agentctl.client import RunApiClient
from agentctl.errors import EXIT_FAILED, EXIT_INTERRUPTED, EXIT_OK, ApiError, CliError
from agentctl.follow import RunFollower
from agentctl.follow_view import ReplyFollowView
from agentctl.output import Output

EXIT_COMMANDS = frozenset({"/exit", "/quit"})
INVALID_PARAMETER = "invalid_parameter"  # the API's code for a bad path or query value
PROMPT = "you> "
CHAT_AGENT = "chat"
REPLY_STYLE = "bold cyan"


class TurnFailed(CliError):
    """The turn's run ended without a reply (failed or terminated)."""


def prompted_lines(out: Output) -> Iterator[str]:
    """Lines typed at the prompt on `out` until end of input (Ctrl-D) or Ctrl-C.

    Neither echoes a line break, so the prompt's line is ended here: the shell's prompt, or the
    message that follows, starts on a line of its own.
    """
    while True:
        try:
            yield out.console.input(PROMPT)
        except EOFError:
            out.write("\n")
            return
        except KeyboardInterrupt:
            out.write("\n")
            raise


def chat(
    client: RunApiClient, session_id: str, lines: Iterable[str], out: Output, errors: Output, wait_s: int
) -> int:
    """Run the conversation until EOF, `/exit` or Ctrl-C; returns the exit code."""
    failed_turns = 0
    try:
        for line in lines:
            message = line.strip()
            if not message:
                continue
            if message in EXIT_COMMANDS:
                break
            try:
                _turn(client, session_id, message, wait_s, out, errors)
            except ApiError as error:
                if error.code == INVALID_PARAMETER:  # the session id itself: every turn would fail alike
                    raise
                failed_turns += 1
                errors.line(f"agentctl: {error.message}", "red")
            except TurnFailed as error:
                failed_turns += 1
                errors.line(f"agentctl: {error.message}", "red")
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    return EXIT_FAILED if failed_turns else EXIT_OK


def _turn(
    client: RunApiClient, session_id: str, message: str, wait_s: int, out: Output, errors: Output
) -> None:
    answered, body = client.send_message(session_id, message, 0)
    if answered:
        out.line(str(body.get("reply", "")), REPLY_STYLE)
        return
    run_id = str(body["runId"])
    view = ReplyFollowView(out, errors, CHAT_AGENT, REPLY_STYLE)
    try:
        with view:
            final = RunFollower(client, run_id, view, wait_s=wait_s).follow()
    except KeyboardInterrupt:
        view.words.end_line()
        errors.line(
            f"Stopped waiting; the reply is still written and saved to session {session_id}. "
            f"Follow it: agentctl events {run_id} --follow"
        )
        raise
    shown = view.words.streamed(CHAT_AGENT)
    if final.get("status") != "Completed":
        view.words.end_line()
        raise TurnFailed(
            f"session {session_id} turn (run {run_id}) ended {final.get('status')}: {final.get('error')}"
        )
    reply = str((final.get("output") or {}).get("reply", ""))
    if shown and reply.startswith(shown):
        # The history's reply is the truth; a stream that fell behind (a store outage) is completed.
        out.write(reply[len(shown) :], REPLY_STYLE)
        view.words.end_line()
        return
    view.words.end_line()
    out.line(reply, REPLY_STYLE)
