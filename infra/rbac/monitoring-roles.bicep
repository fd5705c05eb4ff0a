// Monitoring Metrics Publisher on the Application Insights component only: with local auth
// disabled this is what lets the app (and a developer running locally) send telemetry.

@description('Name of the Application Insights component the role is scoped to.')
param applicationInsightsName string

@description('Principal id of the user-assigned identity the app runs as.')
param identityPrincipalId string

@description('Object id of the deploying user or CI principal; empty skips its assignment.')
param userPrincipalId string = ''

@description('Type of that principal: User for a person, ServicePrincipal for CI.')
@allowed(['User', 'ServicePrincipal'])
param userPrincipalType string = 'User'

var monitoringMetricsPublisher = '3913510d-42f4-4e42-8a64-420c390055eb'

var assignments = concat(
  [{ principalId: identityPrincipalId, principalType: 'ServicePrincipal', roleId: monitoringMetricsPublisher }],
  empty(userPrincipalId) ? [] : [{ principalId: userPrincipalId, principalType: userPrincipalType, roleId: monitoringMetricsPublisher }]
)

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: applicationInsightsName
}

resource roleAssignments 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for assignment in assignments: {
    name: guid(applicationInsights.id, assignment.principalId, assignment.roleId)
    scope: applicationInsights
    properties: {
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', assignment.roleId)
      principalId: assignment.principalId
      principalType: assignment.principalType
    }
  }
]
