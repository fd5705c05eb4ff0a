"""The `graphs/summarise.py` that README and docs/graphs.md print works as printed, and both are one graph.

tests/catalog drops README's copy into an app and runs the catalog tests over it; this checks the
docs' copy against it, so neither page drifts into code that does not run.
"""

import importlib.util
import re
from pathlib import Path

import pytest

from graphs import GraphSpec
from tests.graphs.durable_sim import GraphActivities, durable_run, example_input, in_process

ROOT = Path(__file__).resolve().parents[2]
PAGES = ("README.md", "docs/graphs.md")


def printed_graph(page: str, folder: Path) -> GraphSpec:
    """The page's `graphs/summarise.py`, imported from a file of its own."""
    found = re.search(
        r"```python\n(# graphs/summarise\.py.*?)```", (ROOT / page).read_text(), flags=re.DOTALL
    )
    assert found, f"{page} no longer shows graphs/summarise.py"
    path = folder / f"summarise_from_{page.replace('/', '_').replace('.', '_')}.py"
    path.write_text(found.group(1))
    spec = importlib.util.spec_from_file_location(path.stem, path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    graph: GraphSpec = module.GRAPH
    return graph


@pytest.mark.parametrize("page", PAGES)
def test_the_printed_graph_runs_durably_as_it_runs_in_process(page: str, tmp_path: Path) -> None:
    graph = printed_graph(page, tmp_path)
    given = example_input(graph)
    run, activities = durable_run(graph, given), GraphActivities(graph)

    run.drive(activities, fire_timers=False)

    assert run.last.output == {"outputs": in_process(graph, given)}
    assert activities.count("run_agent") == 2  # the writer's and the reviewer's calls, once each


def test_readme_and_docs_print_the_same_graph(tmp_path: Path) -> None:
    readme, docs = (printed_graph(page, tmp_path) for page in PAGES)
    assert (readme.name, readme.description) == (docs.name, docs.description)
    assert readme.input_model.model_json_schema() == docs.input_model.model_json_schema()
