"""The `agentctl` commands: parse arguments, call the run API, render the answer.

Commands stay thin: `client` talks HTTP, `follow` reads event streams, `views` and
`follow_view` decide what the user sees. A command that reports a run which ended
Failed or Terminated exits 1, so `agentctl run ... && next-step` does the right thing.
"""

import getpass
import os
import sys
from enum import StrEnum
from typing import Annotated, Any

import typer

from agentctl import chat as chat_session
from agentctl.client import JsonObject, RunApiClient
from agentctl.config import DEFAULT_URL, resolve_settings
from agentctl.errors import EXIT_FAILED, EXIT_INTERRUPTED, ApiError, CliError, UsageProblem
from agentctl.follow import RunFollower, drain_events
from agentctl.follow_view import FollowView, JsonFollowView, PlainFollowView, human_follow_view
from agentctl.inputs import parse_input, parse_json
from agentctl.output import Output
from agentctl.sessions import JsonFlag, session_app
from agentctl.steps_view import show_steps
from agentctl.views import (
    STATUS_STYLES,
    UNSUCCESSFUL_STATUSES,
    is_ended,
    show_health,
    show_run,
    show_runs,
    show_started,
    show_workflows,
)

app = typer.Typer(
    name="agentctl",
    help="Start, follow and approve durable agent runs from the terminal.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


class RunStatus(StrEnum):
    """The public run statuses, so `--status failed` is checked before any request."""

    PENDING = "Pending"
    RUNNING = "Running"
    COMPLETED = "Completed"
    FAILED = "Failed"
    TERMINATED = "Terminated"
    SUSPENDED = "Suspended"


URL_HELP = f"API base URL, with or without /api. Default: $AGENTCTL_URL, $SERVICE_API_URI, {DEFAULT_URL}"
# The API's error code for a workflow started per message (the session turns), not by `run`.
USE_SESSIONS_API = "use_sessions_api"
RunId = Annotated[str, typer.Argument(help="The run id (from `agentctl run` or `agentctl list`).")]


app.add_typer(session_app, name="session")


@app.callback()
def connection(
    ctx: typer.Context,
    url: Annotated[
        str | None,
        typer.Option(
            "--url",
            help=URL_HELP,
            show_default=False,
        ),
    ] = None,
    key: Annotated[
        str | None,
        typer.Option(
            "--key", help="Function key sent as x-functions-key. Default: $AGENTCTL_KEY.", show_default=False
        ),
    ] = None,
) -> None:
    """Start, follow and approve durable agent runs from the terminal."""
    ctx.obj = resolve_settings(url, key, os.environ)


@app.command()
def health(ctx: typer.Context, as_json: JsonFlag = False) -> None:
    """Check the API: its status, version and model provider."""
    with _client(ctx) as client:
        document = client.health()
    if as_json:
        _stdout().json_line(document)
    else:
        show_health(_stdout(), document, client.settings.api_base)


@app.command()
def workflows(ctx: typer.Context, as_json: JsonFlag = False) -> None:
    """List the workflows and their inputs (* = required)."""
    with _client(ctx) as client:
        items = client.workflows()
    if as_json:
        _stdout().json_line(items)
    else:
        show_workflows(_stdout(), items)


@app.command()
def run(
    ctx: typer.Context,
    workflow: Annotated[str, typer.Argument(help="Workflow name, e.g. single, chain, approval.")],
    input_text: Annotated[
        str, typer.Option("--input", "-i", help="The input: inline JSON, @file.json, or @- for stdin.")
    ],
    follow: Annotated[
        bool, typer.Option("--follow", "-f", help="Show progress and events until it ends.")
    ] = False,
    wait: Annotated[
        int, typer.Option("--wait", min=0, max=60, help="Let the API wait up to SECONDS for the end.")
    ] = 0,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the final run document as the last stdout line.")
    ] = False,
) -> None:
    """Start a run; with --follow, watch it to the end.

    Exits 1 when the run it reports ended Failed or Terminated.
    """
    body = parse_input(input_text)
    # With --json, stdout carries only the document; what a person reads goes to stderr.
    human = _stderr() if as_json else _stdout()
    with _client(ctx) as client:
        try:
            ended, document = client.start_run(workflow, body, wait)
        except ApiError as error:
            if error.code == USE_SESSIONS_API:
                raise UsageProblem(f"{error.message}; from the terminal: agentctl chat <session>") from error
            raise
        ended = ended or is_ended(document)
        if follow and not ended:
            human.line(f"Started run {document['id']} ({workflow})", "bold")
            document = _follow(client, str(document["id"]), human_follow_view(human, _stderr()))
            ended = True
    if as_json:
        _stdout().json_line(document)
    elif ended:
        show_run(human, document)
    else:
        show_started(human, document)
    _exit_for(document)


@app.command()
def status(ctx: typer.Context, run_id: RunId, as_json: JsonFlag = False) -> None:
    """Show a run: status, progress, token usage, output or error."""
    with _client(ctx) as client:
        document = client.get_run(run_id)
    if as_json:
        _stdout().json_line(document)
    else:
        show_run(_stdout(), document)
    _exit_for(document)


@app.command()
def steps(
    ctx: typer.Context,
    run_id: RunId,
    full: Annotated[bool, typer.Option("--full", help="Show whole prompts and replies.")] = False,
    as_json: JsonFlag = False,
) -> None:
    """Show each agent and tool step: prompt, reply, tool calls, tokens, time, error."""
    with _client(ctx) as client:
        listing = client.steps(run_id)
    if as_json:
        _stdout().json_line(listing)
    else:
        show_steps(_stdout(), listing["steps"], full=full)


@app.command()
def events(
    ctx: typer.Context,
    run_id: RunId,
    follow: Annotated[bool, typer.Option("--follow", "-f", help="Keep reading until the run ends.")] = False,
    after: Annotated[str, typer.Option("--after", help="Only events after this event id (or seq).")] = "0",
    as_json: Annotated[bool, typer.Option("--json", help="Print each event as one JSON line.")] = False,
) -> None:
    """Print a run's events; with --follow, until it ends.

    Following long-polls for new events, shows progress, and resumes after a dropped connection.
    """
    out = _stdout()
    with _client(ctx) as client:
        if not follow:
            with JsonFollowView(out, _stderr()) if as_json else PlainFollowView(out, _stderr()) as shown:
                shown.events(drain_events(client, run_id, after))
            return
        view = JsonFollowView(out, _stderr()) if as_json else human_follow_view(out, _stderr())
        final = _follow(client, run_id, view, after)
    if not as_json:
        out.line(f"Run {run_id} {final.get('status')}", STATUS_STYLES.get(str(final.get("status"))))
    _exit_for(final)


@app.command(name="list")
def list_runs(
    ctx: typer.Context,
    workflow: Annotated[
        str | None, typer.Option("--workflow", "-w", help="Only runs of this workflow.")
    ] = None,
    run_status: Annotated[
        RunStatus | None,
        typer.Option("--status", "-s", case_sensitive=False, help="Only runs in this status."),
    ] = None,
    limit: Annotated[int | None, typer.Option("--limit", "-n", min=1, help="At most N runs.")] = None,
    cursor: Annotated[
        str | None, typer.Option("--cursor", help="The `next` cursor of a previous page.")
    ] = None,
    as_json: JsonFlag = False,
) -> None:
    """List runs, newest first."""
    filters: dict[str, Any] = {
        "workflow": workflow,
        "status": run_status.value if run_status else None,
        "limit": limit,
        "cursor": cursor,
    }
    with _client(ctx) as client:
        page = client.list_runs(filters)
    if as_json:
        _stdout().json_line(page)
        return
    if page.get("runs"):
        show_runs(_stdout(), page["runs"])
    else:
        _stderr().line("No runs found.")
    if page.get("next"):
        options = "".join(
            f" --{name} {value}" for name, value in filters.items() if value and name != "cursor"
        )
        _stderr().line(f"More: agentctl list{options} --cursor {page['next']}", "dim")


@app.command()
def approve(
    ctx: typer.Context,
    run_id: RunId,
    reject: Annotated[bool, typer.Option("--reject", help="Reject instead of approving.")] = False,
    comment: Annotated[str | None, typer.Option("--comment", "-m", help="A note for the record.")] = None,
    approver: Annotated[
        str | None, typer.Option("--approver", help="Who decides. Default: your login name.")
    ] = None,
    as_json: JsonFlag = False,
) -> None:
    """Approve (or --reject) a run waiting for a person."""
    decision: JsonObject = {"approved": not reject}
    who = approver or _login_name()
    decision.update({name: value for name, value in (("comment", comment), ("approver", who)) if value})
    with _client(ctx) as client:
        answer = client.send_approval(run_id, decision)
    if as_json:
        _stdout().json_line(answer)
    else:
        _stdout().line(f"{'Rejected' if reject else 'Approved'} run {run_id}", "bold")


@app.command()
def answer(
    ctx: typer.Context,
    run_id: RunId,
    response: Annotated[
        str, typer.Option("--response", "-r", help="The answer as JSON: inline, @file.json or @- for stdin.")
    ],
    request: Annotated[
        str | None, typer.Option("--request", help="Which pending request. Default: the only one.")
    ] = None,
    as_json: JsonFlag = False,
) -> None:
    """Answer a graph run's pending request (`agentctl status` lists them)."""
    value, _ = parse_json(response, "--response")
    with _client(ctx) as client:
        request_id = request or _only_pending_request(client.get_run(run_id))
        delivered = client.send_input(run_id, {"requestId": request_id, "response": value})
    if as_json:
        _stdout().json_line(delivered)
    else:
        _stdout().line(f"Answered request {request_id} of run {run_id}", "bold")


def _login_name() -> str | None:
    """The user's login name: $LOGNAME/$USER/$USERNAME, else the account's (containers set no $USER)."""
    try:
        return getpass.getuser()
    except (OSError, KeyError):  # no variable and no passwd entry for this uid
        return None


def _only_pending_request(run: JsonObject) -> str:
    pending = [str(request.get("requestId")) for request in run.get("pendingInput") or []]
    if len(pending) == 1:
        return pending[0]
    if not pending:  # the API's 409 for the same state is exit 1 too: the operation failed
        raise CliError(f"run {run.get('id')} is not waiting for input")
    choices = ", ".join(pending)
    raise UsageProblem(f"run {run.get('id')} waits on {len(pending)} requests; pass --request ({choices})")


@app.command()
def terminate(
    ctx: typer.Context,
    run_id: RunId,
    reason: Annotated[str | None, typer.Option("--reason", help="Why; recorded with the run.")] = None,
    as_json: JsonFlag = False,
) -> None:
    """Stop a run that has not ended yet."""
    with _client(ctx) as client:
        answer = client.terminate(run_id, reason)
    if as_json:
        _stdout().json_line(answer)
    else:
        _stdout().line(f"Termination requested for run {run_id}", "bold")


@app.command()
def chat(
    ctx: typer.Context,
    session: Annotated[str, typer.Argument(help="Session id; a new id starts a new conversation.")],
    wait: Annotated[
        int, typer.Option("--wait", min=1, max=25, help="Seconds each poll for the reply waits.")
    ] = 20,
) -> None:
    """Chat with a session: one line in, the reply out.

    /exit or end of input (Ctrl-D) ends the chat; Ctrl-C too (exit 130), and a reply being
    written when it is pressed is still saved to the session.
    """
    out, errors = _stdout(), _stderr()
    if sys.stdin.isatty():
        errors.line(f"Session {session}. Type a message; /exit or Ctrl-D ends.", "dim")
        lines = chat_session.prompted_lines(out)
    else:
        lines = iter(sys.stdin)
    with _client(ctx) as client:
        code = chat_session.chat(client, session, lines, out, errors, wait)
    if code:
        raise typer.Exit(code)


def _follow(client: RunApiClient, run_id: str, view: FollowView, after: str = "0") -> JsonObject:
    """Follow to the end; Ctrl-C stops watching (exit 130) and says how to pick it up again."""
    try:
        with view:
            return RunFollower(client, run_id, view).follow(after)
    except KeyboardInterrupt:
        _stderr().line(f"Stopped following; the run goes on. Resume: agentctl events {run_id} --follow")
        raise typer.Exit(EXIT_INTERRUPTED) from None


def _exit_for(document: JsonObject) -> None:
    if document.get("status") in UNSUCCESSFUL_STATUSES:
        raise typer.Exit(EXIT_FAILED)


def _client(ctx: typer.Context) -> RunApiClient:
    return RunApiClient(ctx.obj)


def _stdout() -> Output:
    return Output.for_stream(sys.stdout)


def _stderr() -> Output:
    return Output.for_stream(sys.stderr)
