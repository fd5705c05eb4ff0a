// Data-plane roles on the storage account, scoped to that account only. The app identity gets
// what the Functions host and the Durable extension need; the deployer gets what running the app
// locally against the same account needs (blob Contributor is enough there, Owner is not).

@description('Name of the storage account the roles are scoped to.')
param storageAccountName string

@description('Principal id of the user-assigned identity the app runs as.')
param identityPrincipalId string

@description('Object id of the deploying user or CI principal; empty skips its assignments.')
param userPrincipalId string = ''

@description('Type of that principal: User for a person, ServicePrincipal for CI.')
@allowed(['User', 'ServicePrincipal'])
param userPrincipalType string = 'User'

var storageBlobDataOwner = 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
var storageBlobDataContributor = 'ba92f5b4-2d11-453d-a403-e96b0029c9fe'
var storageQueueDataContributor = '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
var storageTableDataContributor = '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'

var identityRoles = [storageBlobDataOwner, storageQueueDataContributor, storageTableDataContributor]
var userRoles = [storageBlobDataContributor, storageQueueDataContributor, storageTableDataContributor]
var assignments = concat(
  map(identityRoles, roleId => { principalId: identityPrincipalId, principalType: 'ServicePrincipal', roleId: roleId }),
  empty(userPrincipalId) ? [] : map(userRoles, roleId => { principalId: userPrincipalId, principalType: userPrincipalType, roleId: roleId })
)

resource storageAccount 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: storageAccountName
}

resource roleAssignments 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for assignment in assignments: {
    name: guid(storageAccount.id, assignment.principalId, assignment.roleId)
    scope: storageAccount
    properties: {
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', assignment.roleId)
      principalId: assignment.principalId
      principalType: assignment.principalType
    }
  }
]
