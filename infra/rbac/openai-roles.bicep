// Cognitive Services OpenAI User on the Azure OpenAI account only: call deployments, nothing else
// (no key listing, no deployment changes).

@description('Name of the Azure OpenAI account the role is scoped to.')
param openAiAccountName string

@description('Principal id of the user-assigned identity the app runs as.')
param identityPrincipalId string

@description('Object id of the deploying user or CI principal; empty skips its assignment.')
param userPrincipalId string = ''

@description('Type of that principal: User for a person, ServicePrincipal for CI.')
@allowed(['User', 'ServicePrincipal'])
param userPrincipalType string = 'User'

var cognitiveServicesOpenAiUser = '5e0bd9bd-7b93-4f28-af87-19fc36ad61bd'

var assignments = concat(
  [{ principalId: identityPrincipalId, principalType: 'ServicePrincipal', roleId: cognitiveServicesOpenAiUser }],
  empty(userPrincipalId) ? [] : [{ principalId: userPrincipalId, principalType: userPrincipalType, roleId: cognitiveServicesOpenAiUser }]
)

resource openAiAccount 'Microsoft.CognitiveServices/accounts@2024-10-01' existing = {
  name: openAiAccountName
}

resource roleAssignments 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for assignment in assignments: {
    name: guid(openAiAccount.id, assignment.principalId, assignment.roleId)
    scope: openAiAccount
    properties: {
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', assignment.roleId)
      principalId: assignment.principalId
      principalType: assignment.principalType
    }
  }
]
