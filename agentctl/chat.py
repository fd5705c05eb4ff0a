"""`agentctl chat`: a multi-turn conversation with a session, one line in and the reply out.

Each line is one `POST /sessions/{id}/messages`. When the reply is not ready within the
wait, the turn's run is followed to its end (with the same resume-on-drop behaviour as
`--follow`) and its `output.reply` is printed. A failed turn is reported and the chat
goes on; the exit code then says that at least one turn failed.
"""

from collections.abc import Callable, Iterable, Iterator

from agentctl.client import RunApiClient
from agentctl.errors import EXIT_FAILED, EXIT_OK, ApiError, CliError
from agentctl.follow import RunFollower
from agentctl.follow_view import QuietFollowView
from agentctl.output import Output

EXIT_COMMANDS = frozenset({"/exit", "/quit"})
PROMPT = "you> "


class TurnFailed(CliError):
    """The turn's run ended without a reply (failed or terminated)."""


def prompted_lines(read: Callable[[str], str]) -> Iterator[str]:
    """Lines typed at a prompt until end of input (Ctrl-D)."""
    while True:
        try:
            yield read(PROMPT)
        except EOFError:
            return


def chat(
    client: RunApiClient, session_id: str, lines: Iterable[str], out: Output, errors: Output, wait_s: int
) -> int:
    """Run the conversation until EOF or `/exit`; returns the exit code."""
    failed_turns = 0
    for line in lines:
        message = line.strip()
        if not message:
            continue
        if message in EXIT_COMMANDS:
            break
        try:
            reply = _turn(client, session_id, message, wait_s, errors)
        except (ApiError, TurnFailed) as error:
            failed_turns += 1
            errors.line(f"agentctl: {error.message}", "red")
            continue
        out.line(reply, "bold cyan")
    return EXIT_FAILED if failed_turns else EXIT_OK


def _turn(client: RunApiClient, session_id: str, message: str, wait_s: int, errors: Output) -> str:
    answered, body = client.send_message(session_id, message, wait_s)
    if answered:
        return str(body.get("reply", ""))
    run_id = str(body["runId"])
    with QuietFollowView(errors, errors) as view:
        final = RunFollower(client, run_id, view).follow()
    if final.get("status") != "Completed":
        raise TurnFailed(
            f"session {session_id} turn (run {run_id}) ended {final.get('status')}: {final.get('error')}"
        )
    return str((final.get("output") or {}).get("reply", ""))
