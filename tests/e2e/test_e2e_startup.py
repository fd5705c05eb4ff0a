"""Start-up as a user meets it: fast, offline by default, and failing loudly on missing settings."""

from pathlib import Path

import pytest

from bench.run_api import ApiClient
from bench.template_host import PROJECT_ROOT, template_env
from devhost.testing import DevHost, DevHostError


def test_health_reports_the_offline_provider(api: ApiClient) -> None:
    body = api.http.get("/api/health").json()
    assert body["status"] == "ok" and body["provider"] == "offline" and body["version"]


def test_workflows_lists_all_eight_with_schemas(api: ApiClient) -> None:
    workflows = {w["name"]: w for w in api.http.get("/api/workflows").json()}
    assert set(workflows) == {
        "single",
        "chain",
        "fanout",
        "routing",
        "critic",
        "approval",
        "tools",
        "session",
    }
    assert "topic" in workflows["chain"]["input_schema"]["properties"]


def test_azure_openai_without_endpoint_fails_naming_the_setting(tmp_path: Path) -> None:
    env = template_env(tmp_path, AGENT_MODEL_PROVIDER="azure_openai", AZURE_OPENAI_ENDPOINT="")
    host = DevHost(PROJECT_ROOT, tmp_path / "state.db", env=env, ready_timeout=20)

    with pytest.raises(DevHostError, match="AZURE_OPENAI_ENDPOINT"):
        host.launch()
    host.close()
