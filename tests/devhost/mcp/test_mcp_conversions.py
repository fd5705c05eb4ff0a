"""The conversions behind the MCP endpoint and blob paths, checked directly where an app rarely reaches.

Binding expressions, .NET's text for argument values, resource template matching and the extension's
reading of unusual return values (resource envelopes, broken tool envelopes) as pure functions.
"""

import json

import pytest

from devhost.blob_paths import BindingExpressionError, resolve, split_blob_path
from devhost.mcp_catalog import McpCatalog, McpCatalogError, template_values
from devhost.mcp_invoke import dotnet_text
from devhost.mcp_results import ResultError, resource_result, tool_result


def test_paths_fill_dotted_names_case_insensitively() -> None:
    data = {"mcptoolargs": {"Title": "plans", "n": "3"}, "id": "7"}

    assert resolve("notes/{MCPToolArgs.title}-{n}.txt", {**data, "n": "x"}) == "notes/plans-x.txt"
    assert resolve("a/{id}/{mcptoolargs.n}", data) == "a/7/3"


def test_a_path_name_without_value_names_itself() -> None:
    with pytest.raises(BindingExpressionError, match=r"No value for named parameter 'mcptoolargs\.title'\."):
        resolve("notes/{mcptoolargs.title}.txt", {"mcptoolargs": {}})


def test_system_expressions_give_fresh_values() -> None:
    first, second = resolve("x/{rand-guid}", {}), resolve("x/{rand-guid}", {})

    assert first != second and len(first) == len("x/") + 36


@pytest.mark.parametrize("path", ["container", "/name-only", "c/"])
def test_a_blob_path_needs_a_container_and_a_name(path: str) -> None:
    with pytest.raises(BindingExpressionError):
        split_blob_path(path)


@pytest.mark.parametrize(
    ("value", "text"),
    [
        ("abc", "abc"),
        (True, "True"),
        (False, "False"),
        (None, ""),
        (3, "3"),
        (2.5, "2.5"),
        ({"a": [1]}, '{"a":[1]}'),
    ],
)
def test_argument_values_read_as_dotnet_writes_them(value: object, text: str) -> None:
    assert dotnet_text(value) == text


class _Trigger:
    def __init__(self, binding: dict[str, object]) -> None:
        self.binding = binding

    def get_dict_repr(self) -> dict[str, object]:
        return self.binding


class _Function:
    """Just what the catalog reads of a function: its name and its trigger's binding JSON."""

    def __init__(self, name: str, binding: dict[str, object]) -> None:
        self.name, self.trigger = name, _Trigger(binding)

    def get_function_name(self) -> str:
        return self.name

    def get_trigger(self) -> _Trigger:
        return self.trigger


def resource(uri: str) -> _Function:
    return _Function("f", {"type": "mcpResourceTrigger", "uri": uri, "resourceName": "r"})


def test_template_values_stop_at_path_and_query_delimiters() -> None:
    catalog = McpCatalog([resource("files://{folder}/{name}?rev={rev}&x=1")])  # type: ignore[list-item]
    found = catalog.resource("files://docs/readme.md?rev=12&x=1")

    assert found is not None
    assert template_values(found, "files://docs/readme.md?rev=12&x=1") == {
        "folder": "docs",
        "name": "readme.md",
        "rev": "12",
    }
    assert catalog.resource("files://docs/sub/readme.md?rev=12&x=1") is None


@pytest.mark.parametrize(
    "functions",
    [
        [resource("relative/{x}")],
        [resource("a://{x}"), resource("a://{y}")],
        [_Function("t", {"type": "mcpToolTrigger", "toolName": "t", "toolProperties": "not json"})],
        [_Function("t", {"type": "mcpToolTrigger", "toolName": "t", "metadata": "[1]"})],
        [_Function(n, {"type": "mcpToolTrigger", "toolName": "Same"}) for n in ("a", "b")],
    ],
)
def test_metadata_the_extension_rejects_stops_the_catalog(functions: list[_Function]) -> None:
    with pytest.raises(McpCatalogError):
        McpCatalog(functions)  # type: ignore[arg-type]


def test_a_resource_envelope_is_used_as_the_contents() -> None:
    envelope = json.dumps({"Content": json.dumps({"text": "hello", "mimeType": "text/x-note"})})

    assert resource_result(envelope, "n://1", "text/plain") == {
        "contents": [{"text": "hello", "mimeType": "text/x-note", "uri": "n://1"}]
    }
    assert resource_result('{"other": 1}', "n://1", None) == {
        "contents": [{"uri": "n://1", "text": '{"other": 1}'}]
    }


@pytest.mark.parametrize(
    "returned",
    [
        "plain text",
        "[]",
        '{"content": "{}"}',
        '{"type": "text", "content": "{\\"type\\": \\"video\\"}"}',
        '{"type": "multi_content_result", "content": "[]"}',
        b"bytes",
    ],
)
def test_tool_envelopes_the_extension_cannot_read_are_errors(returned: str | bytes) -> None:
    with pytest.raises(ResultError):
        tool_result(returned, use_result_schema=True)


def test_without_result_schema_bytes_read_as_dotnet_prints_a_byte_array() -> None:
    assert tool_result(b"\x00", use_result_schema=False) == {
        "content": [{"type": "text", "text": "System.Byte[]"}]
    }
