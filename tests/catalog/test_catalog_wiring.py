"""Every workflow in the catalog is an orchestrator the app registers, and `make test` checks them all.

These iterate the catalog and the app's registrations, so adding a workflow the README's way keeps
them green (tests/catalog/test_add_a_workflow.py proves it on a copy of the app).
"""

import re
import subprocess
from pathlib import Path

import pytest

import function_app
from api.catalog import GRAPHS, WORKFLOWS
from devhost.signatures import check_signatures
from tests.support.app_functions import app_functions

PROJECT_ROOT = Path(function_app.__file__).resolve().parent
REGISTERED_ORCHESTRATORS = {
    f.get_function_name()
    for f in app_functions()
    if any(b.type == "orchestrationTrigger" for b in f.get_bindings())
}


@pytest.mark.catalog
@pytest.mark.parametrize("name", sorted(WORKFLOWS))
def test_catalog_workflow_is_a_registered_orchestrator(name: str) -> None:
    assert name in REGISTERED_ORCHESTRATORS, (
        f"{name} is in api/catalog.py but not registered in function_app.py"
    )


@pytest.mark.catalog
def test_make_test_has_replaycheck_expect_every_registered_orchestrator() -> None:
    dry_run = subprocess.run(
        ["make", "-n", "test"], cwd=PROJECT_ROOT, capture_output=True, text=True, check=True, timeout=60
    ).stdout
    expected = re.search(r"-m replaycheck --min-orchestrators (\d+)", dry_run)
    assert expected, dry_run
    # Every graph is registered under its own name on one generic orchestrator, checked once.
    distinct_functions = len(REGISTERED_ORCHESTRATORS) - len(GRAPHS) + (1 if GRAPHS else 0)
    assert int(expected.group(1)) == distinct_functions


@pytest.mark.catalog
def test_every_function_passes_the_python_workers_indexing_checks_without_warnings() -> None:
    """Under `func start` and in Azure one function the worker refuses fails the whole app's indexing;
    a builtin generic annotation (`payload: dict[str, Any]`) is one such refusal on worker 4.34."""
    assert check_signatures(list(app_functions())) == []
