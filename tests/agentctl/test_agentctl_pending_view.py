"""`agentctl status` of a graph run waiting for a person: the command it prints answers the request."""

import io
import json
import shlex

from agentctl.output import Output
from agentctl.views import show_pending_request

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
