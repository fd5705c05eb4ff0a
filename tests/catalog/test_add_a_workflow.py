"""README's "Add your own", done on a copy of the app: the new parts pass their tests, and the
catalog-wide tests stay green and cover them.

The copy gets a ninth workflow (`readme_digest`) by README's four edits, an agent with a tool of its
own (`readme_counter`, `readme_word_count`) and README's `graphs/summarise.py` (as
`readme_summarise`); then their own tests, the tests that run every agent and every graph, and every
test marked `catalog` run there, in a pytest of their own. Ids carry the names, so the run shows
the tests covered the additions rather than passing on the original ones.
"""

import subprocess
import sys
from pathlib import Path

from tests.catalog.app_copy import (
    AGENT,
    GRAPH,
    NAME,
    TOOL,
    add_agent_with_tool,
    add_graph,
    add_workflow,
    copy_project,
)


def pytest_in(app: Path, *args: str) -> tuple[int, str]:
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-rA", *args],
        cwd=app,
        capture_output=True,
        text=True,
        timeout=600,
    )
    return run.returncode, run.stdout + run.stderr


def passed(output: str) -> set[str]:
    return {line.split()[1] for line in output.splitlines() if line.startswith("PASSED ")}


def test_what_readme_says_to_add_passes_its_own_tests_and_every_catalog_test(tmp_path: Path) -> None:
    app = copy_project(tmp_path / "app")
    add_workflow(app)
    add_agent_with_tool(app)
    add_graph(app)

    own = [
        f"tests/orchestrators/test_orch_{NAME}.py",
        f"tests/agents/test_{TOOL}.py",
        f"tests/activities/test_run_agent_activity.py::test_every_agent_returns_the_contract_shape[{AGENT}]",
        f"tests/graphs/test_graph_durable.py::test_durable_outputs_equal_the_in_process_run[{GRAPH}]",
    ]
    code, output = pytest_in(app, *own)
    assert code == 0, output
    assert len(passed(output)) == 4, output

    code, output = pytest_in(app, "-m", "catalog", "tests")
    assert code == 0, output
    ran = passed(output)
    assert (
        f"tests/catalog/test_catalog_wiring.py::test_catalog_workflow_is_a_registered_orchestrator[{NAME}]"
        in ran
    )
    assert {
        "tests/api/test_api_meta.py::test_workflows_lists_every_catalog_workflow_with_its_input_schema",
        "tests/api/test_api_meta.py::test_openapi_start_body_is_the_input_of_every_startable_workflow",
        "tests/e2e/test_e2e_startup.py::test_workflows_lists_every_catalog_workflow_with_its_schema",
        "tests/catalog/test_catalog_wiring.py::test_make_test_has_replaycheck_expect_every_registered_orchestrator",
        # No recording of readme_digest is stored: one real run is recorded on the spot and replayed.
        f"tests/replay/test_replay_histories.py::test_recorded_run_replays_to_the_same_actions_and_output[{NAME}]",
        f"tests/replay/test_replay_histories.py::test_a_run_in_flight_at_any_episode_replays_its_recorded_decisions[{NAME}]",
        f"tests/replay/test_replay_histories.py::test_recorded_run_replays_to_the_same_actions_and_output[{GRAPH}]",
    } <= ran, output
    assert f"no stored recording of '{NAME}'" in output
    assert f"no stored recording of '{GRAPH}'" in output
