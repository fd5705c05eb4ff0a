"""Monitoring is always on; Azure OpenAI, Durable Task Scheduler and Entra ID auth are switches
whose defaults give a working first `azd up` and whose settings reach the app."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tests.infra.conftest import BicepFile


def test_application_insights_rejects_key_auth(bicep_files: dict[str, BicepFile]) -> None:
    monitoring = bicep_files["core/monitoring.bicep"]
    component = monitoring.body(monitoring.only_resource("Microsoft.Insights/components"))
    workspace = monitoring.body(monitoring.only_resource("Microsoft.OperationalInsights/workspaces"))
    assert component["properties"]["DisableLocalAuth"] is True
    assert monitoring.dotted(component["properties"]["WorkspaceResourceId"]) == "workspace.id"
    assert workspace["properties"]["features"]["disableLocalAuth"] is True


def test_openai_account_is_token_only(bicep_files: dict[str, BicepFile]) -> None:
    openai = bicep_files["ai/openai.bicep"]
    account = openai.body(openai.only_resource("Microsoft.CognitiveServices/accounts"))
    assert account["kind"] == "OpenAI"
    assert account["properties"]["disableLocalAuth"] is True
    assert account["properties"]["customSubDomainName"] == "name"


def test_openai_deployment_is_parameterised(bicep_files: dict[str, BicepFile], main_bicep: BicepFile) -> None:
    openai = bicep_files["ai/openai.bicep"]
    deployment = openai.body(openai.only_resource("Microsoft.CognitiveServices/accounts/deployments"))
    assert deployment["name"] == "deploymentName"
    assert deployment["sku"] == {"name": "deploymentSku", "capacity": "capacity"}
    assert deployment["properties"]["model"] == {
        "format": "OpenAI",
        "name": "modelName",
        "version": "modelVersion",
    }
    assert main_bicep.parameters["deployOpenAi"]["default"] is True
    params = main_bicep.body(main_bicep.module("ai/openai.bicep"))["params"]
    assert {params["modelName"], params["modelVersion"], params["capacity"]} == {
        "openAiModelName",
        "openAiModelVersion",
        "openAiDeploymentCapacity",
    }


def test_existing_openai_endpoint_can_replace_the_deployment(main_bicep: BicepFile) -> None:
    assert main_bicep.condition(main_bicep.module("ai/openai.bicep")) == "deployOpenAi"
    endpoint = main_bicep.variables["openAiEndpoint"]["operator"]["operands"]
    assert endpoint["condition"] == "deployOpenAi"
    assert main_bicep.dotted(endpoint["true_value"]) == "openAi.outputs.endpoint"
    assert endpoint["false_value"] == "existingOpenAiEndpoint"
    model = main_bicep.variables["openAiModel"]["operator"]["operands"]
    assert main_bicep.dotted(model["true_value"]) == "openAi.outputs.deploymentName"
    assert model["false_value"] == "existingOpenAiDeployment"


def test_durable_task_scheduler_is_opt_in(bicep_files: dict[str, BicepFile], main_bicep: BicepFile) -> None:
    scheduler = bicep_files["durable/scheduler.bicep"]
    hub = scheduler.body(scheduler.only_resource("Microsoft.DurableTask/schedulers/taskHubs"))
    assert scheduler.only_resource("Microsoft.DurableTask/schedulers")
    assert hub == {"parent": "scheduler", "name": "taskHubName"}
    assert main_bicep.parameters["useDurableTaskScheduler"]["default"] is False
    assert main_bicep.condition(main_bicep.module("durable/scheduler.bicep")) == "useDurableTaskScheduler"
    assert (
        main_bicep.body(main_bicep.module("durable/scheduler.bicep"))["params"]["taskHubName"]
        == "taskHubName"
    )


def test_scheduler_connection_uses_the_managed_identity(main_bicep: BicepFile) -> None:
    settings = main_bicep.variables["schedulerSettings"]["operator"]["operands"]
    assert settings["condition"] == "useDurableTaskScheduler"
    # Only the connection: host.json names the backend (tests/deployment/test_durable_backend_hook.py).
    assert settings["true_value"] == {"DURABLE_TASK_SCHEDULER_CONNECTION_STRING": "schedulerConnection"}
    assert settings["false_value"] == {}
    connection = main_bicep.variables["schedulerConnection"]
    assert connection.startswith("Endpoint=${scheduler.outputs.endpoint};")
    assert "Authentication=ManagedIdentity;ClientID=${identity.outputs.clientId}" in connection
    assert "schedulerSettings" in main_bicep.strings_in(main_bicep.variables["appSettings"])


def test_entra_auth_is_opt_in_and_guards_the_api(
    bicep_files: dict[str, BicepFile], main_bicep: BicepFile
) -> None:
    assert main_bicep.parameters["enableEntraAuth"]["default"] is False
    assert main_bicep.condition(main_bicep.module("app/entra-auth.bicep")) == "enableEntraAuth"
    auth = bicep_files["app/entra-auth.bicep"]
    settings = auth.body(auth.only_resource("Microsoft.Web/sites/config"))
    assert settings["name"] == "authsettingsV2"
    validation = settings["properties"]["globalValidation"]
    assert validation["requireAuthentication"] is True
    assert validation["unauthenticatedClientAction"] == "Return401"
    # The health probe and the run viewer's static page; every API call still needs a sign-in.
    assert auth.parameters["excludedPaths"]["default"] == ["/api/health", "/api/ui", "/api/ui/", "/api/ui/*"]
    entra = settings["properties"]["identityProviders"]["azureActiveDirectory"]
    assert entra["enabled"] is True
    assert entra["registration"]["clientId"] == "clientId"
