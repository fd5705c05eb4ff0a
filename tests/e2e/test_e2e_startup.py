"""Start-up as a user meets it: fast, offline by default, and failing loudly on missing settings."""

import re
import shutil
from pathlib import Path

import pytest

from api.catalog import WORKFLOWS
from bench.run_api import ApiClient
from bench.template_host import PROJECT_ROOT, template_env
from devhost.testing import DevHost, DevHostError

# What a copy of the app for a start-up test leaves out: environments, tools, tests and caches.
NOT_THE_APP = (
    ".venv*",
    ".git",
    ".tools",
    "node_modules",
    "tests",
    "bench",
    "docs",
    "infra",
    "__pycache__",
    ".data",
)


def test_health_reports_the_offline_provider(api: ApiClient) -> None:
    body = api.http.get("/api/health").json()
    assert body["status"] == "ok" and body["provider"] == "offline" and body["version"]


@pytest.mark.catalog
def test_workflows_lists_every_catalog_workflow_with_its_schema(api: ApiClient) -> None:
    workflows = {w["name"]: w for w in api.http.get("/api/workflows").json()}
    assert set(workflows) == set(WORKFLOWS)
    for name, workflow in WORKFLOWS.items():
        assert workflows[name]["input_schema"] == workflow.input_model.model_json_schema(), name
    assert "topic" in workflows["chain"]["input_schema"]["properties"]


def test_azure_openai_without_endpoint_fails_naming_the_setting(tmp_path: Path) -> None:
    env = template_env(tmp_path, AGENT_MODEL_PROVIDER="azure_openai", AZURE_OPENAI_ENDPOINT="")
    host = DevHost(PROJECT_ROOT, tmp_path / "state.db", env=env, ready_timeout=20)

    with pytest.raises(DevHostError, match="AZURE_OPENAI_ENDPOINT"):
        host.launch()
    host.close()


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        (
            {"SESSION_MAX_MESSAGES": "abc"},
            "ConfigurationError: setting SESSION_MAX_MESSAGES must be a whole number from 2 to 1000",
        ),
        (
            {
                "AGENT_MODEL_PROVIDER": "openai",
                "OPENAI_API_KEY": "sk-x",
                "OPENAI_MODEL": "gpt",
                "OPENAI_BASE_URL": "garbage",
            },
            "ConfigurationError: OPENAI_BASE_URL must be an absolute http:// or https:// URL with a host",
        ),
    ],
    ids=["int", "url"],
)
def test_a_malformed_setting_stops_start_up_naming_it(
    tmp_path: Path, settings: dict[str, str], message: str
) -> None:
    host = DevHost(
        PROJECT_ROOT, tmp_path / "state.db", env=template_env(tmp_path, **settings), ready_timeout=20
    )

    with pytest.raises(DevHostError, match=re.escape(message)):
        host.launch()
    host.close()


@pytest.mark.parametrize(
    ("module", "source", "reason"),
    [
        ("broken", "import no_such_package\n", "graphs.broken: failed to import"),
        (
            "chain_again",
            "import dataclasses\nfrom graphs.countdown import GRAPH as COUNTDOWN\n"
            "GRAPH = dataclasses.replace(COUNTDOWN, name='chain')\n",
            "graphs.chain_again: graph name 'chain' collides with the workflow 'chain'",
        ),
    ],
    ids=["import", "collision"],
)
def test_a_broken_graph_module_stops_start_up_naming_it(
    tmp_path: Path, module: str, source: str, reason: str
) -> None:
    app = shutil.copytree(PROJECT_ROOT, tmp_path / "app", ignore=shutil.ignore_patterns(*NOT_THE_APP))
    (app / "graphs" / f"{module}.py").write_text(source)
    host = DevHost(app, tmp_path / "state.db", env=template_env(tmp_path), ready_timeout=20)

    with pytest.raises(DevHostError, match=re.escape(reason)):
        host.launch()
    host.close()
