// Durable Task Data Contributor on the one task hub the app uses (not the whole scheduler):
// the app runs orchestrations there, the deployer can watch them in the scheduler dashboard.

@description('Name of the Durable Task Scheduler.')
param schedulerName string

@description('Name of the task hub the roles are scoped to.')
param taskHubName string

@description('Principal id of the user-assigned identity the app runs as.')
param identityPrincipalId string

@description('Object id of the deploying user or CI principal; empty skips its assignment.')
param userPrincipalId string = ''

@description('Type of that principal: User for a person, ServicePrincipal for CI.')
@allowed(['User', 'ServicePrincipal'])
param userPrincipalType string = 'User'

var durableTaskDataContributor = '0ad04412-c4d5-4796-b79c-f76d14c8d402'

var assignments = concat(
  [{ principalId: identityPrincipalId, principalType: 'ServicePrincipal', roleId: durableTaskDataContributor }],
  empty(userPrincipalId) ? [] : [{ principalId: userPrincipalId, principalType: userPrincipalType, roleId: durableTaskDataContributor }]
)

resource scheduler 'Microsoft.DurableTask/schedulers@2025-11-01' existing = {
  name: schedulerName
}

resource taskHub 'Microsoft.DurableTask/schedulers/taskHubs@2025-11-01' existing = {
  parent: scheduler
  name: taskHubName
}

resource roleAssignments 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for assignment in assignments: {
    name: guid(taskHub.id, assignment.principalId, assignment.roleId)
    scope: taskHub
    properties: {
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', assignment.roleId)
      principalId: assignment.principalId
      principalType: assignment.principalType
    }
  }
]
