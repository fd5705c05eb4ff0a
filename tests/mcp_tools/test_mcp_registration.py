"""What the MCP extension indexes from function_app.py: one tool per startable workflow plus the run tools.

The bindings are read from the app's own function metadata (what the worker sends the host), so
these are the tool names, descriptions and properties `tools/list` shows on Azure.
"""

import json
from typing import Any

import pytest

from api.catalog import WORKFLOWS
from mcp_tools.properties import tool_properties
from tests.support.app_functions import app_functions

STARTABLE = [workflow for workflow in WORKFLOWS.values() if workflow.started_by_runs_api]
RUN_TOOLS = ("get_run", "approve_run", "answer_run", "list_runs", "send_message", "delete_session")


def indexed_functions() -> tuple[Any, ...]:
    """The app's functions, indexed once per process for every test that reads them."""
    return app_functions()


def tool_bindings() -> dict[str, dict[str, Any]]:
    """toolName → (function name, bindings) for every function with an `mcpToolTrigger`."""
    found: dict[str, dict[str, Any]] = {}
    for function in indexed_functions():
        bindings = json.loads(function.get_function_json())["bindings"]
        for binding in bindings:
            if binding["type"] == "mcpToolTrigger":
                found[binding["toolName"]] = {
                    "function": function.get_function_name(),
                    "trigger": binding,
                    "others": [b for b in bindings if b is not binding],
                }
    return found


def test_tools_are_the_startable_workflows_and_the_run_tools() -> None:
    assert sorted(tool_bindings()) == sorted([w.name for w in STARTABLE] + list(RUN_TOOLS))


def test_tool_functions_have_their_own_names_and_a_durable_client() -> None:
    functions = [f.get_function_name() for f in indexed_functions()]
    assert len(functions) == len(set(functions))
    for name, tool in tool_bindings().items():
        assert tool["function"] == f"mcp_{name}"
        assert tool["others"] == [{"direction": "IN", "type": "durableClient", "name": "client"}]
        assert tool["trigger"]["name"] == "context" and tool["trigger"]["useResultSchema"] is True
        assert tool["trigger"]["description"]


@pytest.mark.parametrize("workflow", STARTABLE, ids=lambda w: w.name)
def test_workflow_tool_properties_are_the_input_model_fields(workflow: Any) -> None:
    properties = json.loads(tool_bindings()[workflow.name]["trigger"]["toolProperties"])
    fields = workflow.input_model.model_fields
    assert [p["propertyName"] for p in properties] == list(fields)
    for prop in properties:
        field = fields[prop["propertyName"]]
        assert prop["isRequired"] is field.is_required()
        assert field.description and prop["description"].startswith(field.description)
        assert prop["propertyType"] in ("string", "integer", "number", "boolean", "object")


def test_properties_carry_type_array_and_the_limits_the_extension_cannot_express() -> None:
    fanout = {p["propertyName"]: p for p in tool_properties(WORKFLOWS["fanout"].input_model)}
    assert fanout["topic"]["propertyType"] == "string" and fanout["topic"]["isRequired"] is True
    specialists = fanout["specialists"]
    assert (specialists["propertyType"], specialists["isArray"], specialists["isRequired"]) == (
        "string",
        True,
        False,
    )
    assert "one of market_analyst, tech_analyst, risk_analyst" in specialists["description"]
    critic = {p["propertyName"]: p for p in tool_properties(WORKFLOWS["critic"].input_model)}
    assert critic["max_rounds"]["propertyType"] == "integer"
    assert "min 1; max 10; default 3" in critic["max_rounds"]["description"]


def test_approve_run_takes_the_approval_body_and_the_run_id() -> None:
    properties = json.loads(tool_bindings()["approve_run"]["trigger"]["toolProperties"])
    by_name = {p["propertyName"]: (p["propertyType"], p["isRequired"]) for p in properties}
    assert by_name["run_id"] == ("string", True)
    assert by_name["approved"] == ("boolean", True)
    assert by_name["comment"] == ("string", False)
