"""`agentctl session ...`: what can be done to a chat session besides chatting (`agentctl chat`)."""

import sys
from typing import Annotated

import typer

from agentctl.client import RunApiClient
from agentctl.output import Output

JsonFlag = Annotated[bool, typer.Option("--json", help="Print the API's JSON document on one line.")]

session_app = typer.Typer(
    help="Manage chat sessions (`agentctl chat <session>` talks to one).",
    no_args_is_help=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)


@session_app.command(name="delete")
def delete_session(
    ctx: typer.Context,
    session: Annotated[str, typer.Argument(help="The session id (the one given to `agentctl chat`).")],
    as_json: JsonFlag = False,
) -> None:
    """Delete a session: its conversation and every turn's run (they hold the messages).

    Exits 1 while a turn of the session is still running (the message names the run to wait for
    or terminate), 4 when the session is unknown.
    """
    with RunApiClient(ctx.obj) as client:
        still_deleting = client.delete_session(session)
    out = Output.for_stream(sys.stdout)
    if as_json:
        out.json_line(still_deleting or {"sessionId": session, "status": "deleted"})
    elif still_deleting:
        out.line(f"Deleting session {session}: its runs are purged, its conversation is queued", "bold")
    else:
        out.line(f"Deleted session {session}", "bold")
