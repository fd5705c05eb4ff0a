"""Dropping a module into graphs/ registers it; a broken one stops start-up naming the module."""

import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import azure.durable_functions as df
import pytest

from api.catalog import GRAPHS, WORKFLOWS
from graphs import GraphSpec
from graphs._discovery import GraphLoadError, check_names, discover
from mcp_tools import register

GOOD = """
from agent_framework import Executor, WorkflowBuilder, WorkflowContext, handler
from pydantic import BaseModel

from graphs import GraphSpec


class Echo(Executor):
    @handler
    async def echo(self, text: str, ctx: WorkflowContext[None, str]) -> None:
        await ctx.yield_output(text)


class EchoInput(BaseModel):
    text: str


GRAPH = GraphSpec(
    name={name!r},
    description="Echoes its input.",
    input_model=EchoInput,
    build=lambda: WorkflowBuilder(start_executor=Echo(id="echo")).build(),
    start=lambda given: given.text,
)
"""


@pytest.fixture
def package(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[tuple[str, Path]]:
    """An importable, empty graph package unique to the test."""
    name = f"graphs_under_test_{request.node.name.replace('[', '_').replace(']', '_').replace('-', '_')}"
    folder = tmp_path / name
    folder.mkdir()
    (folder / "__init__.py").write_text("")
    sys.path.insert(0, str(tmp_path))
    yield name, folder
    sys.path.remove(str(tmp_path))
    for module in [m for m in sys.modules if m == name or m.startswith(f"{name}.")]:
        del sys.modules[module]


def write(folder: Path, module: str, source: str) -> None:
    (folder / f"{module}.py").write_text(textwrap.dedent(source))


def test_every_example_graph_is_a_workflow_of_the_catalog() -> None:
    assert GRAPHS
    for name, spec in GRAPHS.items():
        assert isinstance(spec, GraphSpec)
        assert WORKFLOWS[name].input_model is spec.input_model
        assert WORKFLOWS[name].started_by_runs_api


def test_a_module_is_found_by_dropping_it_in_and_helpers_are_skipped(package: tuple[str, Path]) -> None:
    name, folder = package
    write(folder, "echo", GOOD.format(name="echo"))
    write(folder, "_helpers", "raise RuntimeError('helpers are not graphs')")

    assert list(discover(name)) == ["echo"]


@pytest.mark.parametrize(
    ("source", "reason"),
    [
        ("import no_such_module_anywhere\n", "failed to import: ModuleNotFoundError"),
        ("GRAPH = 42\n", "defines no GRAPH = GraphSpec(...) (got int)"),
        (GOOD.format(name="echo").replace('Echo(id="echo")', "None"), "build() failed"),
    ],
    ids=["import", "no-graph", "build"],
)
def test_a_broken_module_stops_discovery_naming_it(
    package: tuple[str, Path], source: str, reason: str
) -> None:
    name, folder = package
    write(folder, "broken", source)

    with pytest.raises(GraphLoadError) as raised:
        discover(name)
    assert str(raised.value).startswith(f"{name}.broken: ")
    assert reason in str(raised.value)


def test_two_modules_with_one_graph_name_stop_discovery(package: tuple[str, Path]) -> None:
    name, folder = package
    write(folder, "first", GOOD.format(name="echo"))
    write(folder, "second", GOOD.format(name="echo"))

    expected = f"{name}.second: graph name 'echo' is already used by {name}.first"
    with pytest.raises(GraphLoadError, match=expected):
        discover(name)


def test_a_graph_named_like_a_workflow_stops_start_up(package: tuple[str, Path]) -> None:
    name, folder = package
    write(folder, "chain", GOOD.format(name="chain"))

    with pytest.raises(GraphLoadError, match=f"{name}.chain: graph name 'chain' collides with the workflow"):
        check_names(discover(name), {workflow: "workflow" for workflow in WORKFLOWS})


@pytest.mark.parametrize("bad", ["Has-Caps", "9lives", "", "with space"])
def test_graph_names_are_plain(bad: str) -> None:
    with pytest.raises(ValueError, match="must be lower-case letters"):
        GraphSpec(name=bad, description="d", input_model=GraphSpec, build=list, start=str)  # type: ignore[arg-type]


def test_a_graph_named_like_an_mcp_run_tool_stops_start_up(
    package: tuple[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    name, folder = package
    write(folder, "get_run", GOOD.format(name="get_run"))
    monkeypatch.setattr(register, "GRAPHS", discover(name))

    expected = f"{name}.get_run: graph name 'get_run' collides with the MCP tool"
    with pytest.raises(GraphLoadError, match=expected):
        register.register_mcp_tools(df.DFApp())
