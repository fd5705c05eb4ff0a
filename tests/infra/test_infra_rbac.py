"""Least privilege: each data role is granted on the one resource it is for, to the right principal.

Role definitions are referenced by their well-known built-in ids, so a renamed role cannot
silently grant something else.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from tests.infra.conftest import BicepFile

STORAGE_BLOB_DATA_OWNER = "b7e6dc6d-f1e8-4753-8033-0f276bb0955b"
STORAGE_BLOB_DATA_CONTRIBUTOR = "ba92f5b4-2d11-453d-a403-e96b0029c9fe"
STORAGE_QUEUE_DATA_CONTRIBUTOR = "974c5e8b-45b9-4653-ba55-5f855dd0fb88"
STORAGE_TABLE_DATA_CONTRIBUTOR = "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3"
MONITORING_METRICS_PUBLISHER = "3913510d-42f4-4e42-8a64-420c390055eb"
COGNITIVE_SERVICES_OPENAI_USER = "5e0bd9bd-7b93-4f28-af87-19fc36ad61bd"
DURABLE_TASK_DATA_CONTRIBUTOR = "0ad04412-c4d5-4796-b79c-f76d14c8d402"

# module -> (type of the resource the assignments are scoped to, identity roles, deployer roles)
EXPECTED_GRANTS: dict[str, tuple[str, set[str], set[str]]] = {
    "rbac/storage-roles.bicep": (
        "Microsoft.Storage/storageAccounts",
        {STORAGE_BLOB_DATA_OWNER, STORAGE_QUEUE_DATA_CONTRIBUTOR, STORAGE_TABLE_DATA_CONTRIBUTOR},
        {STORAGE_BLOB_DATA_CONTRIBUTOR, STORAGE_QUEUE_DATA_CONTRIBUTOR, STORAGE_TABLE_DATA_CONTRIBUTOR},
    ),
    "rbac/monitoring-roles.bicep": (
        "Microsoft.Insights/components",
        {MONITORING_METRICS_PUBLISHER},
        {MONITORING_METRICS_PUBLISHER},
    ),
    "rbac/openai-roles.bicep": (
        "Microsoft.CognitiveServices/accounts",
        {COGNITIVE_SERVICES_OPENAI_USER},
        {COGNITIVE_SERVICES_OPENAI_USER},
    ),
    "rbac/scheduler-roles.bicep": (
        "Microsoft.DurableTask/schedulers/taskHubs",
        {DURABLE_TASK_DATA_CONTRIBUTOR},
        {DURABLE_TASK_DATA_CONTRIBUTOR},
    ),
}


def _role_ids_granted(bicep: BicepFile, principal_param: str) -> set[str]:
    """Role ids the `assignments` variable grants to the principal held by ``principal_param``.

    Understands the two shapes the modules use: literal assignment objects, and
    ``map(<var listing role vars>, roleId => {principalId: ..., roleId: roleId})``.
    """
    granted = set()
    for node in bicep.walk(bicep.variables["assignments"]):
        function = node.get("function") if isinstance(node, dict) else None
        if function and function["type"] == "map":
            source, mapper = function["parameters"]["arg_1"], function["parameters"]["arg_2"]
            if mapper["detail"]["expression"].get("principalId") == principal_param:
                granted |= {bicep.variables[role_var] for role_var in bicep.variables[source]}
        elif isinstance(node, dict) and node.get("principalId") == principal_param:
            role = node["roleId"]
            if role in bicep.variables:  # a lambda's own parameter is handled with its map()
                granted.add(bicep.variables[role])
    return granted


def _assignment(bicep: BicepFile) -> dict[str, Any]:
    return bicep.body(bicep.only_resource("Microsoft.Authorization/roleAssignments"))


@pytest.mark.parametrize("module", sorted(EXPECTED_GRANTS))
def test_assignments_are_scoped_to_their_resource(bicep_files: dict[str, BicepFile], module: str) -> None:
    bicep = bicep_files[module]
    resource_type = EXPECTED_GRANTS[module][0]
    assignment = _assignment(bicep)
    scope = assignment["scope"]
    target = bicep.tree["resources"][scope]
    assert target["type"] == resource_type, f"{module} scopes roles to {target['type']}"
    assert target["existing"] is True
    assert bicep.dotted(assignment["name"]["function"]["parameters"]["base_string"]) == f"{scope}.id"


@pytest.mark.parametrize("module", sorted(EXPECTED_GRANTS))
def test_role_definitions_are_built_in_ids(bicep_files: dict[str, BicepFile], module: str) -> None:
    properties = _assignment(bicep_files[module])["properties"]
    reference = properties["roleDefinitionId"]["function"]
    assert reference["type"] == "subscription_resource_id"
    assert reference["parameters"]["resource_type"] == "Microsoft.Authorization/roleDefinitions"
    assert bicep_files[module].dotted(reference["parameters"]["resource_name_1"]) == "assignment.roleId"
    assert bicep_files[module].dotted(properties["principalType"]) == "assignment.principalType"


@pytest.mark.parametrize("module", sorted(EXPECTED_GRANTS))
def test_each_principal_gets_exactly_its_roles(bicep_files: dict[str, BicepFile], module: str) -> None:
    _, identity_roles, deployer_roles = EXPECTED_GRANTS[module]
    bicep = bicep_files[module]
    assert _role_ids_granted(bicep, "identityPrincipalId") == identity_roles
    assert _role_ids_granted(bicep, "userPrincipalId") == deployer_roles


@pytest.mark.parametrize("module", sorted(EXPECTED_GRANTS))
def test_main_grants_to_the_app_identity_and_deployer(main_bicep: BicepFile, module: str) -> None:
    params = main_bicep.body(main_bicep.module(module))["params"]
    assert main_bicep.dotted(params["identityPrincipalId"]) == "identity.outputs.principalId"
    assert params["userPrincipalId"] == "principalId"
    assert params["userPrincipalType"] == "deployerPrincipalType"


def test_optional_roles_follow_their_feature_switch(main_bicep: BicepFile) -> None:
    assert main_bicep.condition(main_bicep.module("rbac/openai-roles.bicep")) == "deployOpenAi"
    assert main_bicep.condition(main_bicep.module("rbac/scheduler-roles.bicep")) == "useDurableTaskScheduler"
    assert main_bicep.condition(main_bicep.module("rbac/storage-roles.bicep")) is None
    assert main_bicep.condition(main_bicep.module("rbac/monitoring-roles.bicep")) is None
