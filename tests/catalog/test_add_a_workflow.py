"""README's "Add your own → Workflow", done on a copy of the app: the catalog-wide tests stay green.

The copy gets a ninth workflow (README's `digest`, as `readme_digest`) by README's four edits; then
its own step-by-step test and every test marked `catalog` run there, in a pytest of their own. Ids
carry the workflow names, so the run shows the catalog tests covered `readme_digest` rather than
passing on the original eight.
"""

import subprocess
import sys
from pathlib import Path

from tests.catalog.app_copy import NAME, add_workflow, copy_project


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


def test_a_workflow_added_as_readme_says_passes_its_own_test_and_every_catalog_test(tmp_path: Path) -> None:
    app = copy_project(tmp_path / "app")
    add_workflow(app)

    code, output = pytest_in(app, f"tests/orchestrators/test_orch_{NAME}.py")
    assert code == 0, output

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
    } <= ran, output
    assert f"no stored recording of '{NAME}'" in output
