"""The storage account refuses keys and plain HTTP, and holds what the app needs on day one."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tests.infra.conftest import BicepFile


def _storage(bicep_files: dict[str, BicepFile]) -> BicepFile:
    return bicep_files["core/storage.bicep"]


def test_account_is_hardened(bicep_files: dict[str, BicepFile]) -> None:
    storage = _storage(bicep_files)
    properties = storage.body(storage.only_resource("Microsoft.Storage/storageAccounts"))["properties"]
    assert properties["allowSharedKeyAccess"] is False
    assert properties["defaultToOAuthAuthentication"] is True
    assert properties["allowBlobPublicAccess"] is False
    assert properties["minimumTlsVersion"] == "TLS1_2"
    assert properties["supportsHttpsTrafficOnly"] is True


def test_deployment_container_is_private(bicep_files: dict[str, BicepFile]) -> None:
    storage = _storage(bicep_files)
    container = storage.body(
        storage.only_resource("Microsoft.Storage/storageAccounts/blobServices/containers")
    )
    assert container["name"] == "deploymentContainerName"
    assert container["properties"]["publicAccess"] == "None"
    assert storage.outputs["deploymentContainerName"]["value"] == {
        "operator": {
            "type": "property_accessor",
            "operands": {"operand_1": "deploymentContainer", "operand_2": "name"},
        }
    }


def test_task_hub_queues_and_tables_are_created(bicep_files: dict[str, BicepFile]) -> None:
    storage = _storage(bicep_files)
    queues = storage.only_resource("Microsoft.Storage/storageAccounts/queueServices/queues")
    tables = storage.only_resource("Microsoft.Storage/storageAccounts/tableServices/tables")
    assert queues["config"]["loop_type"]["detail"]["array_name"] == "hubQueueNames"
    assert tables["config"]["loop_type"]["detail"]["array_name"] == "tableNames"
    assert "hubTableNames" in storage.strings_in(storage.variables["tableNames"])
    queue_names = storage.strings_in(storage.variables["hubQueueNames"])
    assert {"${hubQueuePrefix}-workitems", "${hubQueuePrefix}-control-${padLeft(i, 2, '0')}"} <= queue_names
    assert storage.variables["hubQueuePrefix"]["function"]["parameters"]["string_to_change"] == "taskHubName"
    assert set(storage.variables["hubTableNames"]) == {
        "${taskHubName}History",
        "${taskHubName}Instances",
        "${taskHubName}Partitions",
    }


def test_main_names_the_hub_like_the_app_setting(main_bicep: BicepFile) -> None:
    storage_params = main_bicep.body(main_bicep.module("core/storage.bicep"))["params"]
    app_settings = main_bicep.strings_in(main_bicep.variables["appSettings"])
    assert storage_params["taskHubName"] == "taskHubName"
    assert {"TASKHUB_NAME", "taskHubName"} <= app_settings
    assert main_bicep.parameters["taskHubName"]["default"] == "agentshub"


def test_the_table_endpoint_is_an_output_without_keys(bicep_files: dict[str, BicepFile]) -> None:
    """The outbox setting is the account's table endpoint: a URL, never a keyed connection string."""
    storage = _storage(bicep_files)
    assert (
        storage.dotted(storage.outputs["tableEndpoint"]["value"])
        == "storage.properties.primaryEndpoints.table"
    )
    assert "listKeys" not in storage.text


def test_the_token_streams_table_is_created_and_named_for_the_app(
    bicep_files: dict[str, BicepFile], main_bicep: BicepFile
) -> None:
    storage = _storage(bicep_files)
    assert storage.parameters["streamsTableName"]["default"] == "streams"
    assert "streamsTableName" in storage.strings_in(storage.variables["tableNames"])
    assert storage.dotted(storage.outputs["streamsTableName"]["value"]) == "streamsTableName"
    union_args = main_bicep.variables["appSettings"]["function"]["parameters"]
    own = union_args[max(union_args)]
    assert main_bicep.dotted(own["STREAM_TABLE_ENDPOINT"]) == "storage.outputs.tableEndpoint"
    assert main_bicep.dotted(own["STREAM_TABLE_NAME"]) == "storage.outputs.streamsTableName"
