"""Tools, prompts and resources of the test app, as a client sees them through the embedded host.

Listings come from the functions' metadata as the extension builds them; calls reach the functions with
the extension's context JSON and come back converted as the worker and the extension convert them.
"""

import base64
import json
from typing import Any

import pytest

from devhost.testing import DevHost
from tests.devhost.mcp.rpc import McpRpc

# What tools/list must say about each tool's input (name → (properties, required)).
EXPECTED_INPUTS: dict[str, tuple[dict[str, Any], list[str]]] = {
    "greet": ({}, []),
    "repeat": (
        {
            "word": {"type": "string", "description": ""},
            "times": {"type": "integer", "description": "How often to repeat the word."},
            "separator": {"type": "string", "description": ""},
        },
        ["word", "times"],
    ),
    "total": (
        {
            "amounts": {"type": "array", "items": {"type": "number"}, "description": ""},
            "label": {"type": "string", "description": ""},
        },
        ["amounts"],
    ),
    "echo_context": ({"text": {"type": "string", "description": "Anything."}}, ["text"]),
    "shout": ({"text": {"type": "string", "description": "Words."}}, ["text"]),
    "start_countdown": ({"start": {"type": "integer", "description": ""}}, ["start"]),
    "save_note": (
        {
            "title": {"type": "string", "description": "The note's title."},
            "text": {"type": "string", "description": "What the note says."},
        },
        ["title", "text"],
    ),
}


def tools_by_name(rpc: McpRpc) -> dict[str, dict[str, Any]]:
    return {tool["name"]: tool for tool in rpc.request("tools/list").result["tools"]}


@pytest.mark.parametrize("name", sorted(EXPECTED_INPUTS))
def test_tool_input_schema_is_built_from_the_declared_properties(rpc: McpRpc, name: str) -> None:
    properties, required = EXPECTED_INPUTS[name]

    schema = tools_by_name(rpc)[name]["inputSchema"]

    assert schema == {"type": "object", "properties": properties, "required": required}


def test_every_tool_function_is_listed_with_its_description(rpc: McpRpc, host: DevHost) -> None:
    listed = tools_by_name(rpc)

    assert {"greet", "check_spelling", "note_stats", "shout", "start_countdown"} <= set(listed)
    assert listed["greet"]["description"] == "Say hello."
    assert listed["shout"]["description"] == "Upper-case a text."
    assert "durable" not in json.dumps(
        listed["start_countdown"]["inputSchema"]
    )  # the client binding is no property


def test_tool_metadata_becomes_meta(rpc: McpRpc) -> None:
    listed = tools_by_name(rpc)

    assert listed["shout"]["_meta"] == {"ui": {"color": "red"}}
    assert "_meta" not in listed["greet"]


def test_plain_return_values_are_one_text_block(rpc: McpRpc) -> None:
    assert rpc.call("greet") == {"content": [{"type": "text", "text": "Hello from the notebook"}]}
    assert rpc.text("repeat", {"word": "ho", "times": 3}) == "ho ho ho"
    assert rpc.text("repeat", {"word": "ho", "times": 2, "separator": "-"}) == "ho-ho"
    assert rpc.text("total", {"amounts": [1.5, 2]}) == "total: 3.5"


def test_a_dict_without_result_schema_is_pythons_str_of_it(rpc: McpRpc) -> None:
    assert rpc.text("describe", {"word": "ab"}) == "{'word': 'ab'}"


def test_an_mcp_content_object_is_text_and_structured_content(rpc: McpRpc) -> None:
    result = rpc.call("measure", {"word": "otter"})

    assert result["structuredContent"] == {"word": "otter", "letters": 5}
    assert [json.loads(block["text"]) for block in result["content"]] == [{"word": "otter", "letters": 5}]


def test_the_extensions_envelope_keeps_is_error_and_structured_content(rpc: McpRpc) -> None:
    flagged = rpc.call("check_spelling", {"word": "otter"})
    fine = rpc.call("check_spelling", {"word": "cat"})

    assert flagged == {
        "content": [{"type": "text", "text": "'otter' has a doubled letter"}],
        "structuredContent": {"doubled": True},
        "isError": True,
    }
    assert (fine["isError"], fine["structuredContent"]) == (False, {"doubled": False})


def test_an_mcp_2_call_tool_result_keeps_its_blocks_but_not_is_error(rpc: McpRpc) -> None:
    """azure-functions 1.26.0 dumps mcp 2.x models without aliases, so `is_error` never reaches the host."""
    result = rpc.call("spell_out", {"word": "ab"})

    assert result == {"content": [{"type": "text", "text": "a"}, {"type": "text", "text": "b"}]}


def test_a_failing_tool_is_a_generic_error_result_without_its_message(rpc: McpRpc, host: DevHost) -> None:
    result = rpc.call("explode", {"reason": "boom"})

    assert result == {
        "content": [{"type": "text", "text": "An error occurred invoking 'explode'."}],
        "isError": True,
    }
    assert "secret detail: boom" in host.log_tail(200)  # the traceback is in the host's log


def test_a_raw_trigger_receives_the_extensions_context_json(rpc: McpRpc) -> None:
    context = json.loads(rpc.text("echo_context", {"text": "hi", "extra": [1, None]}))

    assert context["name"] == "echo_context"
    assert context["arguments"] == {"text": "hi", "extra": [1, None]}
    assert "sessionid" not in context and "clientinfo" not in context
    assert context["transport"]["name"] == "http-streamable"
    headers = {key.lower(): value for key, value in context["transport"]["properties"]["headers"].items()}
    assert headers["accept"] == "application/json, text/event-stream"


def test_the_session_header_reaches_the_context_unchanged(rpc: McpRpc) -> None:
    reply = rpc.request("tools/call", {"name": "echo_context", "arguments": {"text": "x"}}, session="abc|def")
    context = json.loads(reply.result["content"][0]["text"])

    assert context["sessionid"] == "abc|def"
    assert context["transport"]["sessionId"] == "abc|def"


def test_the_generic_trigger_form_works_like_the_decorator(rpc: McpRpc) -> None:
    assert rpc.text("shout", {"text": "hello"}) == "HELLO!"


def test_a_tool_with_a_durable_client_starts_an_orchestration(rpc: McpRpc, host: DevHost) -> None:
    instance_id = rpc.text("start_countdown", {"start": 3})

    status = host.wait(instance_id)

    assert status["runtimeStatus"] == "Completed", status
    assert status["output"] == [3, 2, 1]


def test_prompts_are_listed_with_their_arguments(rpc: McpRpc) -> None:
    prompts = rpc.request("prompts/list").result["prompts"]

    assert prompts == [
        {
            "name": "summarise_note",
            "description": "Ask for a summary of a note.",
            "arguments": [
                {"name": "title", "description": "The note to summarise.", "required": True},
                {"name": "style", "description": "bullet or prose", "required": False},
            ],
        }
    ]


def test_a_prompt_returns_its_text_as_one_user_message(rpc: McpRpc) -> None:
    result = rpc.request("prompts/get", {"name": "summarise_note", "arguments": {"title": "plans"}}).result
    styled = rpc.request(
        "prompts/get", {"name": "summarise_note", "arguments": {"title": "x", "style": "bullet"}}
    )

    assert result == {
        "messages": [
            {"role": "user", "content": {"type": "text", "text": "Summarise the note 'plans' as prose."}}
        ]
    }
    assert styled.result["messages"][0]["content"]["text"] == "Summarise the note 'x' as bullet."


def test_resources_and_templates_are_listed_apart(rpc: McpRpc) -> None:
    resources = rpc.request("resources/list").result["resources"]
    templates = rpc.request("resources/templates/list").result["resourceTemplates"]

    assert {r["uri"]: r.get("mimeType") for r in resources} == {
        "notes://readme": "text/markdown",
        "notes://logo": "image/png",
    }
    assert templates == [
        {
            "uriTemplate": "notes://note/{title}",
            "name": "Note",
            "description": "A note by title.",
            "mimeType": "text/plain",
        }
    ]


def test_a_text_resource_and_a_bytes_resource(rpc: McpRpc) -> None:
    readme = rpc.request("resources/read", {"uri": "notes://readme"}).result["contents"]
    logo = rpc.request("resources/read", {"uri": "notes://logo"}).result["contents"]

    assert readme[0]["mimeType"] == "text/markdown" and readme[0]["text"].startswith("# Notebook")
    assert logo == [
        {"uri": "notes://logo", "mimeType": "image/png", "blob": base64.b64encode(b"\x89PNG fake").decode()}
    ]


def test_a_resource_template_fills_a_blob_path_from_the_uri(rpc: McpRpc) -> None:
    assert rpc.text("save_note", {"title": "shopping", "text": "eggs and tea"}) == "Saved 'shopping'"

    contents = rpc.request("resources/read", {"uri": "notes://note/shopping"}).result["contents"]

    assert contents == [{"uri": "notes://note/shopping", "mimeType": "text/plain", "text": "eggs and tea"}]


def test_a_failing_resource_function_is_an_internal_error(rpc: McpRpc) -> None:
    assert rpc.request("resources/read", {"uri": "notes://note/never-written"}).error == {
        "code": -32603,
        "message": "An error occurred.",
    }
