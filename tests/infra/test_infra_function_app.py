"""The Function App runs on Flex Consumption as its managed identity, with no key-based setting."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tests.infra.conftest import BicepFile

APP = "app/function-app.bicep"
# siteConfig properties a Flex Consumption site refuses ("The following site configuration property
# (Site.SiteConfig.FtpsState) for Flex Consumption sites is invalid"): its runtime and scale live in
# functionAppConfig, and it has no FTP, Always On or worker settings of its own.
FLEX_REJECTED_SITE_CONFIG = {
    "ftpsState",
    "alwaysOn",
    "linuxFxVersion",
    "netFrameworkVersion",
    "use32BitWorkerProcess",
    "functionsRuntimeScaleMonitoringEnabled",
    "preWarmedInstanceCount",
    "functionAppScaleLimit",
}


def _site(bicep_files: dict[str, BicepFile]) -> dict[str, Any]:
    app = bicep_files[APP]
    return app.body(app.only_resource("Microsoft.Web/sites"))


def _platform_settings(bicep_files: dict[str, BicepFile]) -> dict[str, Any]:
    """The settings the module always writes: the last (winning) argument of union()."""
    app = bicep_files[APP]
    settings = app.body(app.only_resource("Microsoft.Web/sites/config"))
    assert settings["name"] == "appsettings"
    union_args = settings["properties"]["function"]["parameters"]
    assert settings["properties"]["function"]["type"] == "union"
    winner = union_args[max(union_args)]
    assert winner == "identitySettings", "platform settings must be the last union() argument"
    return app.variables[winner]


def test_plan_is_flex_consumption(bicep_files: dict[str, BicepFile]) -> None:
    plan_file = bicep_files["app/flex-plan.bicep"]
    plan = plan_file.body(plan_file.only_resource("Microsoft.Web/serverfarms"))
    assert plan["sku"] == {"name": "FC1", "tier": "FlexConsumption"}
    assert plan["properties"]["reserved"] is True


def test_runtime_is_python_311_with_tunable_scale(bicep_files: dict[str, BicepFile]) -> None:
    config = _site(bicep_files)["properties"]["functionAppConfig"]
    assert config["runtime"] == {"name": "python", "version": "3.11"}
    assert config["scaleAndConcurrency"] == {
        "instanceMemoryMB": "instanceMemoryMB",
        "maximumInstanceCount": "maximumInstanceCount",
    }
    params = bicep_files[APP].parameters
    assert params["instanceMemoryMB"]["type"] == params["maximumInstanceCount"]["type"] == "int"


def test_deployment_package_is_read_with_the_identity(bicep_files: dict[str, BicepFile]) -> None:
    storage = _site(bicep_files)["properties"]["functionAppConfig"]["deployment"]["storage"]
    assert storage["type"] == "blobContainer"
    assert storage["value"] == "${storageBlobEndpoint}${deploymentContainerName}"
    assert storage["authentication"] == {
        "type": "UserAssignedIdentity",
        "userAssignedIdentityResourceId": "identityId",
    }


def test_app_runs_as_the_user_assigned_identity_over_https(bicep_files: dict[str, BicepFile]) -> None:
    site = _site(bicep_files)
    assert site["identity"]["type"] == "UserAssigned"
    assert list(site["identity"]["userAssignedIdentities"]) == ["'${identityId}'"]
    assert site["properties"]["httpsOnly"] is True
    assert site["properties"]["siteConfig"]["minTlsVersion"] == "1.2"


def test_site_config_holds_nothing_flex_consumption_rejects(bicep_files: dict[str, BicepFile]) -> None:
    site_config = _site(bicep_files)["properties"]["siteConfig"]
    assert not FLEX_REJECTED_SITE_CONFIG & set(site_config), "azd provision would fail with BadRequest"


def test_basic_publishing_credentials_are_off(bicep_files: dict[str, BicepFile]) -> None:
    app = bicep_files[APP]
    policies = app.only_resource("Microsoft.Web/sites/basicPublishingCredentialsPolicies")
    assert policies["config"]["loop_type"]["detail"]["array_name"] == ["ftp", "scm"]
    assert app.body(policies)["properties"] == {"allow": False}


def test_host_storage_is_identity_based(bicep_files: dict[str, BicepFile]) -> None:
    settings = _platform_settings(bicep_files)
    assert settings["AzureWebJobsStorage__accountName"] == "storageAccountName"
    assert settings["AzureWebJobsStorage__credential"] == "managedidentity"
    assert settings["AzureWebJobsStorage__clientId"] == "identityClientId"
    assert settings["AZURE_CLIENT_ID"] == "identityClientId"
    assert "AzureWebJobsStorage" not in settings, "a plain AzureWebJobsStorage would be a keyed connection"


def test_application_insights_uses_entra_auth(bicep_files: dict[str, BicepFile]) -> None:
    settings = _platform_settings(bicep_files)
    assert settings["APPLICATIONINSIGHTS_CONNECTION_STRING"] == "applicationInsightsConnectionString"
    assert (
        settings["APPLICATIONINSIGHTS_AUTHENTICATION_STRING"]
        == "Authorization=AAD;ClientId=${identityClientId}"
    )


def test_azd_service_tag_matches_azure_yaml(
    bicep_files: dict[str, BicepFile], main_bicep: BicepFile, azure_yaml: dict[str, Any]
) -> None:
    tags = _site(bicep_files)["tags"]["function"]
    assert tags["type"] == "union"
    assert {"'azd-service-name'": "serviceName"} in tags["parameters"].values()
    params = main_bicep.body(main_bicep.module(APP))["params"]
    assert params["serviceName"] == "serviceName"
    assert list(azure_yaml["services"]) == [main_bicep.variables["serviceName"]]


def test_main_wires_the_app_to_its_resources(main_bicep: BicepFile) -> None:
    params = main_bicep.body(main_bicep.module(APP))["params"]
    wired = {name: main_bicep.dotted(value) for name, value in params.items()}
    assert wired["identityId"] == "identity.outputs.id"
    assert wired["identityClientId"] == "identity.outputs.clientId"
    assert wired["storageAccountName"] == "storage.outputs.name"
    assert wired["deploymentContainerName"] == "storage.outputs.deploymentContainerName"
    assert wired["applicationInsightsConnectionString"] == (
        "monitoring.outputs.applicationInsightsConnectionString"
    )
    assert wired["planId"] == "plan.outputs.id"
    assert wired["appSettings"] == "appSettings"


def test_app_settings_the_code_reads_are_set(main_bicep: BicepFile) -> None:
    names = main_bicep.strings_in(main_bicep.variables["appSettings"]) | main_bicep.strings_in(
        main_bicep.variables["modelSettings"]
    )
    expected = {
        "TASKHUB_NAME",
        "AGENT_MODEL_PROVIDER",
        "AGENT_MODEL_API",
        "AZURE_OPENAI_ENDPOINT",
        "AZURE_OPENAI_MODEL",
        "OUTBOX_TABLE_ENDPOINT",
    }
    assert expected <= names
    provider = main_bicep.variables["modelSettings"]["AGENT_MODEL_PROVIDER"]["operator"]["operands"]
    assert {provider["true_value"], provider["false_value"]} == {"offline", "azure_openai"}


def test_the_outbox_is_the_shared_table_not_a_per_instance_file(main_bicep: BicepFile) -> None:
    """Every instance must see one outbox, or a re-delivered activity repeats its side effect."""
    union_args = main_bicep.variables["appSettings"]["function"]["parameters"]
    own = union_args[max(union_args)]
    assert main_bicep.dotted(own["OUTBOX_TABLE_ENDPOINT"]) == "storage.outputs.tableEndpoint"
    assert "OUTBOX_PATH" not in main_bicep.strings_in(main_bicep.variables["appSettings"])
    assert "/tmp/outbox.db" not in main_bicep.text
