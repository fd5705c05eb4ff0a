"""What azd and the README rely on: parameters mapped to azd environment values, the outputs
azd writes to the environment, the azure.yaml service, and the two GitHub workflows."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

if TYPE_CHECKING:
    from tests.infra.conftest import BicepFile

REQUIRED_OUTPUTS = {
    "AZURE_FUNCTION_APP_NAME",
    "SERVICE_API_URI",
    "AZURE_OPENAI_ENDPOINT",
    "AZURE_OPENAI_MODEL",
    "AZURE_RESOURCE_GROUP",
    "AZURE_CLIENT_ID",
}
AZD_VALUE = re.compile(r"^\$\{[A-Z][A-Z0-9_]*(=[^}]*)?\}$")


def _parameters_file(infra_dir: Path) -> dict[str, Any]:
    return json.loads((infra_dir / "main.parameters.json").read_text(encoding="utf-8"))["parameters"]


def _workflow(repo_root: Path, name: str) -> dict[str, Any]:
    return yaml.safe_load((repo_root / ".github" / "workflows" / name).read_text(encoding="utf-8"))


def test_main_targets_the_subscription_and_tags_its_group(main_bicep: BicepFile) -> None:
    assert main_bicep.tree["globals"]["scope"]["value"] == "subscription"
    group = main_bicep.body(main_bicep.only_resource("Microsoft.Resources/resourceGroups"))
    assert group["name"] == "rg-${environmentName}"
    assert group["tags"] == "tags"
    assert main_bicep.variables["tags"] == {"'azd-env-name'": "environmentName"}
    scopes = {main_bicep.body(spec)["scope"] for spec in main_bicep.modules.values()}
    assert scopes == {"rg"}


def test_parameters_file_matches_main(main_bicep: BicepFile, infra_dir: Path) -> None:
    mapped = _parameters_file(infra_dir)
    unknown = set(mapped) - set(main_bicep.parameters)
    required = {name for name, spec in main_bicep.parameters.items() if spec["default"] is None}
    assert not unknown, f"main.parameters.json sets parameters main.bicep lacks: {sorted(unknown)}"
    assert required <= set(mapped), f"required parameters not mapped: {sorted(required - set(mapped))}"
    assert set(mapped) == set(main_bicep.parameters), "every parameter should be settable with azd env set"
    not_from_env = {
        name: spec["value"] for name, spec in mapped.items() if not AZD_VALUE.match(spec["value"])
    }
    assert not not_from_env, f"values not taken from the azd environment: {not_from_env}"


def test_azd_core_values_are_mapped(infra_dir: Path) -> None:
    mapped = {name: spec["value"] for name, spec in _parameters_file(infra_dir).items()}
    assert mapped["environmentName"] == "${AZURE_ENV_NAME}"
    assert mapped["location"] == "${AZURE_LOCATION}"
    assert mapped["principalId"] == "${AZURE_PRINCIPAL_ID}"


def test_outputs_the_readme_and_cli_rely_on(main_bicep: BicepFile) -> None:
    missing = REQUIRED_OUTPUTS - set(main_bicep.outputs)
    assert not missing, f"main.bicep lacks outputs {sorted(missing)}"
    outputs = {name: main_bicep.dotted(spec["value"]) for name, spec in main_bicep.outputs.items()}
    assert outputs["AZURE_FUNCTION_APP_NAME"] == "functionApp.outputs.name"
    assert outputs["SERVICE_API_URI"] == "functionApp.outputs.uri"
    assert outputs["AZURE_CLIENT_ID"] == "identity.outputs.clientId"
    assert outputs["AZURE_RESOURCE_GROUP"] == "rg.name"
    assert outputs["AZURE_OPENAI_ENDPOINT"] == "openAiEndpoint"
    assert outputs["AZURE_OPENAI_MODEL"] == "openAiModel"


def test_azure_yaml_deploys_the_repo_root_as_a_python_function(azure_yaml: dict[str, Any]) -> None:
    assert azure_yaml["infra"] == {"provider": "bicep", "path": "infra", "module": "main"}
    [service] = azure_yaml["services"].values()
    assert {key: service[key] for key in ("project", "language", "host")} == {
        "project": ".",
        "language": "python",
        "host": "function",
    }
    assert set(service) - {"project", "language", "host"} <= {"hooks"}
    assert azure_yaml["pipeline"]["provider"] == "github"


def test_ci_workflow_runs_the_ci_entry_point_on_python_311(repo_root: Path) -> None:
    workflow = _workflow(repo_root, "ci.yml")
    [job] = workflow["jobs"].values()
    assert job["runs-on"] == "ubuntu-latest"
    python = [step for step in job["steps"] if step.get("uses", "").startswith("actions/setup-python")]
    assert python and python[0]["with"]["python-version"] == "3.11"
    assert any(step.get("run") == ".ci/run" for step in job["steps"])


def test_deploy_workflow_signs_in_with_a_federated_credential(repo_root: Path) -> None:
    workflow = _workflow(repo_root, "azure-dev.yml")
    assert workflow["permissions"]["id-token"] == "write"
    [job] = workflow["jobs"].values()
    commands = "\n".join(step.get("run", "") for step in job["steps"])
    assert "azd auth login" in commands
    assert "--federated-credential-provider github" in commands
    assert '--client-id "$AZURE_CLIENT_ID"' in commands
    assert "azd provision --no-prompt" in commands
    assert "azd deploy --no-prompt" in commands
    secrets = {name for name, value in job["env"].items() if "secrets." in str(value)}
    assert secrets <= {"AZD_INITIAL_ENVIRONMENT_CONFIG"}, (
        f"federated login needs no credential secret: {secrets}"
    )


def test_deploy_workflow_passes_every_azd_choice_to_provisioning(repo_root: Path, infra_dir: Path) -> None:
    """`azd pipeline config` stores each `azd env set` value main.parameters.json reads as a repository
    variable; one the workflow does not map would be provisioned with its default on every push."""
    env = next(iter(_workflow(repo_root, "azure-dev.yml")["jobs"].values()))["env"]
    read = {re.findall(r"[A-Z][A-Z0-9_]*", spec["value"])[0] for spec in _parameters_file(infra_dir).values()}
    found_by_azd = {"AZURE_PRINCIPAL_ID", "AZURE_PRINCIPAL_TYPE"}  # the signed-in principal, in CI too
    missing = {name for name in read - found_by_azd if env.get(name) != f"${{{{ vars.{name} }}}}"}
    assert not missing, f"not passed to azd provision in CI: {sorted(missing)}"
