"""A run waiting for a person, in `agentctl status` and while followed: the command it prints answers it."""

import io
import json
import shlex

from agentctl.follow_view import PlainFollowView
from agentctl.output import Output
from agentctl.views import show_pending_request, show_run, waiting_for_people

SCHEMA = {
    "type": "object",
    "properties": {"approved": {"type": "boolean"}, "comment": {"type": "string"}},
    "required": ["approved"],
    "examples": [{"approved": True, "comment": "it's fine"}],
}


def answer_line(request: dict) -> str:
    screen = io.StringIO()
    show_pending_request(Output(screen, interactive=False), "run-1", request)
    return screen.getvalue().splitlines()[-1].strip()


def test_the_answer_command_carries_the_schemas_example_quoted_for_the_shell() -> None:
    line = answer_line(
        {"requestId": "r1", "executor": "editor", "responseType": "Decision", "responseSchema": SCHEMA}
    )
    words = shlex.split(line.removeprefix("answer it: "))
    assert words[:4] == ["agentctl", "answer", "run-1", "--response"]
    assert json.loads(words[4]) == {"approved": True, "comment": "it's fine"}


def test_without_an_example_the_command_names_the_type_to_send() -> None:
    line = answer_line({"requestId": "r1", "executor": "editor", "responseType": "str", "responseSchema": {}})
    assert line.endswith("--response '<str as JSON>'")


def waiting_graph(*request_ids: str) -> dict:
    pending = [
        {"requestId": rid, "executor": "editor", "responseType": "Decision", "responseSchema": SCHEMA}
        for rid in request_ids
    ]
    return {
        "id": "run-2",
        "status": "Running",
        "progress": {"step": "awaiting_input"},
        "pendingInput": pending,
    }


def test_following_a_graph_that_waits_says_once_how_to_answer_it() -> None:
    screen, notices = io.StringIO(), io.StringIO()
    with PlainFollowView(Output(screen, interactive=False), Output(notices, interactive=False)) as view:
        view.progress(waiting_graph("r1"))
        view.progress(waiting_graph("r1"))  # the next poll: same wait, not repeated
    [line] = notices.getvalue().splitlines()
    words = shlex.split(line.split(": ", 1)[1])
    assert words[:4] == ["agentctl", "answer", "run-2", "--response"]
    assert json.loads(words[4]) == SCHEMA["examples"][0]


def test_with_several_requests_pending_each_command_names_its_request() -> None:
    commands = list(waiting_for_people(waiting_graph("r1", "r2")).values())
    assert ["--request r1" in commands[0], "--request r2" in commands[1]] == [True, True]


def test_following_an_approval_that_waits_says_how_to_approve_it() -> None:
    run = {"id": "run-3", "status": "Running", "progress": {"step": "awaiting_approval"}, "pendingInput": []}
    notices = io.StringIO()
    with PlainFollowView(
        Output(io.StringIO(), interactive=False), Output(notices, interactive=False)
    ) as view:
        view.progress(run)
    assert (
        notices.getvalue().strip()
        == "Waiting for approval: agentctl approve run-3 --comment '...' (or --reject)"
    )
    assert waiting_for_people({**run, "status": "Completed"}) == {}

    screen = io.StringIO()
    show_run(Output(screen, interactive=False), run)  # `agentctl status` says it too
    assert "Waiting for approval: agentctl approve run-3" in screen.getvalue()
