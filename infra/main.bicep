// Entry point of `azd up`: one resource group and one module per concern. Nothing here holds a
// key: storage, telemetry, the model and the scheduler are all reached through one user-assigned
// managed identity, and the deploying principal gets the data roles to run the app locally.
targetScope = 'subscription'

@description('azd environment name; names the resource group and seeds every resource name.')
@minLength(1)
@maxLength(64)
param environmentName string

@description('Region for all resources; it must offer Flex Consumption (az functionapp list-flexconsumption-locations).')
@minLength(1)
@metadata({
  azd: {
    type: 'location'
  }
})
param location string

@description('Object id of the deploying user or CI principal (azd fills it); empty skips its role assignments.')
param principalId string = ''

@description('Type of principalId: User or ServicePrincipal (azd fills it; anything else is treated as User).')
param principalType string = 'User'

@description('Durable task hub name (TASKHUB_NAME): 3-45 letters and digits, starting with a letter.')
@minLength(3)
@maxLength(45)
param taskHubName string = 'agentshub'

@description('Memory per Function App instance in MB.')
@allowed([512, 2048, 4096])
param instanceMemoryMB int = 2048

@description('Maximum number of Function App instances.')
@minValue(40)
@maxValue(1000)
param maximumInstanceCount int = 100

@description('Create an Azure OpenAI account and model deployment; false uses existingOpenAiEndpoint or the offline model.')
param deployOpenAi bool = true

@description('Region for the Azure OpenAI account; empty uses location. Pick one that offers the model.')
param openAiLocation string = ''

@description('Model to deploy.')
param openAiModelName string = 'gpt-4.1-mini'

@description('Version of that model.')
param openAiModelVersion string = '2025-04-14'

@description('Deployment name the app calls (AZURE_OPENAI_MODEL); empty uses the model name.')
param openAiDeploymentName string = ''

@description('Deployment type of the model.')
@allowed(['GlobalStandard', 'DataZoneStandard', 'Standard'])
param openAiDeploymentSku string = 'GlobalStandard'

@description('Deployment capacity in thousands of tokens per minute.')
@minValue(1)
param openAiDeploymentCapacity int = 30

@description('With deployOpenAi=false: endpoint of an existing Azure OpenAI account (grant the identity Cognitive Services OpenAI User on it).')
param existingOpenAiEndpoint string = ''

@description('With deployOpenAi=false: deployment name on that existing account.')
param existingOpenAiDeployment string = ''

@description('Wire API the agents use: chat_completions or responses (AGENT_MODEL_API).')
@allowed(['chat_completions', 'responses'])
param agentModelApi string = 'chat_completions'

@description('Create a Durable Task Scheduler and its connection setting; host.json must name it as the durable backend (docs/deploy.md).')
param useDurableTaskScheduler bool = false

@description('Durable Task Scheduler billing SKU.')
@allowed(['Consumption', 'Dedicated'])
param durableTaskSchedulerSku string = 'Consumption'

@description('Put App Service authentication (Microsoft Entra ID) in front of the run API.')
param enableEntraAuth bool = false

@description('With enableEntraAuth: application (client) id of the Entra app registration for the API.')
param entraAuthClientId string = ''

@description('With enableEntraAuth: tenant that issues tokens; empty uses the deployment tenant.')
param entraAuthTenantId string = ''

var serviceName = 'api'
var tags = { 'azd-env-name': environmentName }
var resourceToken = toLower(uniqueString(subscription().id, environmentName, location))
var functionAppName = 'func-${resourceToken}'
var deployerPrincipalType = (principalType == 'ServicePrincipal') ? 'ServicePrincipal' : 'User'

resource rg 'Microsoft.Resources/resourceGroups@2024-03-01' = {
  name: 'rg-${environmentName}'
  location: location
  tags: tags
}

module identity 'core/identity.bicep' = {
  name: 'identity'
  scope: rg
  params: {
    name: 'id-${resourceToken}'
    location: location
    tags: tags
  }
}

module storage 'core/storage.bicep' = {
  name: 'storage'
  scope: rg
  params: {
    name: 'st${resourceToken}'
    location: location
    tags: tags
    deploymentContainerName: 'app-package'
    taskHubName: taskHubName
  }
}

module monitoring 'core/monitoring.bicep' = {
  name: 'monitoring'
  scope: rg
  params: {
    logAnalyticsName: 'log-${resourceToken}'
    applicationInsightsName: 'appi-${resourceToken}'
    location: location
    tags: tags
  }
}

module openAi 'ai/openai.bicep' = if (deployOpenAi) {
  name: 'openai'
  scope: rg
  params: {
    name: 'oai-${resourceToken}'
    location: empty(openAiLocation) ? location : openAiLocation
    tags: tags
    deploymentName: empty(openAiDeploymentName) ? openAiModelName : openAiDeploymentName
    modelName: openAiModelName
    modelVersion: openAiModelVersion
    deploymentSku: openAiDeploymentSku
    capacity: openAiDeploymentCapacity
  }
}

module scheduler 'durable/scheduler.bicep' = if (useDurableTaskScheduler) {
  name: 'scheduler'
  scope: rg
  params: {
    name: 'dts-${resourceToken}'
    location: location
    tags: tags
    taskHubName: taskHubName
    skuName: durableTaskSchedulerSku
  }
}

module plan 'app/flex-plan.bicep' = {
  name: 'plan'
  scope: rg
  params: {
    name: 'plan-${resourceToken}'
    location: location
    tags: tags
  }
}

var openAiEndpoint = deployOpenAi ? openAi.outputs.endpoint : existingOpenAiEndpoint
var openAiModel = deployOpenAi ? openAi.outputs.deploymentName : existingOpenAiDeployment
// The deployed app never falls back to keys: with no Azure OpenAI endpoint it runs the offline model.
var modelSettings = {
  AGENT_MODEL_PROVIDER: empty(openAiEndpoint) ? 'offline' : 'azure_openai'
  AGENT_MODEL_API: agentModelApi
  AZURE_OPENAI_ENDPOINT: openAiEndpoint
  AZURE_OPENAI_MODEL: openAiModel
}
var schedulerConnection = 'Endpoint=${scheduler.outputs.endpoint};Authentication=ManagedIdentity;ClientID=${identity.outputs.clientId}'
// host.json's durableTask.storageProvider names this setting; it must say so in host.json itself, not
// in an AzureFunctionsJobHost__ app setting, because Flex Consumption's scale controller reads the
// backend from the packaged host.json (azure.yaml's prepackage hook checks the two agree).
var schedulerSettings = useDurableTaskScheduler ? {
  DURABLE_TASK_SCHEDULER_CONNECTION_STRING: schedulerConnection
} : {}
// The side-effect outbox must be shared by every instance (a retried activity may land on another
// one), so it is a table in the app's storage account, reached with the app identity: no key.
var appSettings = union(modelSettings, schedulerSettings, {
  TASKHUB_NAME: taskHubName
  OUTBOX_TABLE_ENDPOINT: storage.outputs.tableEndpoint
  // Agents' words while they are written: read by the HTTP functions, written by the activities,
  // which Flex Consumption may place on different instances.
  STREAM_TABLE_ENDPOINT: storage.outputs.tableEndpoint
  STREAM_TABLE_NAME: storage.outputs.streamsTableName
})

module functionApp 'app/function-app.bicep' = {
  name: 'function-app'
  scope: rg
  params: {
    name: functionAppName
    location: location
    tags: tags
    serviceName: serviceName
    planId: plan.outputs.id
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    storageAccountName: storage.outputs.name
    storageBlobEndpoint: storage.outputs.blobEndpoint
    deploymentContainerName: storage.outputs.deploymentContainerName
    applicationInsightsConnectionString: monitoring.outputs.applicationInsightsConnectionString
    instanceMemoryMB: instanceMemoryMB
    maximumInstanceCount: maximumInstanceCount
    appSettings: appSettings
  }
}

module entraAuth 'app/entra-auth.bicep' = if (enableEntraAuth) {
  name: 'entra-auth'
  scope: rg
  params: {
    functionAppName: functionApp.outputs.name
    clientId: entraAuthClientId
    tenantId: empty(entraAuthTenantId) ? tenant().tenantId : entraAuthTenantId
  }
}

module storageRoles 'rbac/storage-roles.bicep' = {
  name: 'storage-roles'
  scope: rg
  params: {
    storageAccountName: storage.outputs.name
    identityPrincipalId: identity.outputs.principalId
    userPrincipalId: principalId
    userPrincipalType: deployerPrincipalType
  }
}

module monitoringRoles 'rbac/monitoring-roles.bicep' = {
  name: 'monitoring-roles'
  scope: rg
  params: {
    applicationInsightsName: monitoring.outputs.applicationInsightsName
    identityPrincipalId: identity.outputs.principalId
    userPrincipalId: principalId
    userPrincipalType: deployerPrincipalType
  }
}

module openAiRoles 'rbac/openai-roles.bicep' = if (deployOpenAi) {
  name: 'openai-roles'
  scope: rg
  params: {
    openAiAccountName: openAi.outputs.name
    identityPrincipalId: identity.outputs.principalId
    userPrincipalId: principalId
    userPrincipalType: deployerPrincipalType
  }
}

module schedulerRoles 'rbac/scheduler-roles.bicep' = if (useDurableTaskScheduler) {
  name: 'scheduler-roles'
  scope: rg
  params: {
    schedulerName: scheduler.outputs.name
    taskHubName: scheduler.outputs.taskHubName
    identityPrincipalId: identity.outputs.principalId
    userPrincipalId: principalId
    userPrincipalType: deployerPrincipalType
  }
}

// azd writes these into the environment (.azure/<env>/.env); the README and agentctl read them.
output AZURE_LOCATION string = location
output AZURE_TENANT_ID string = tenant().tenantId
output AZURE_RESOURCE_GROUP string = rg.name
output AZURE_FUNCTION_APP_NAME string = functionApp.outputs.name
output SERVICE_API_URI string = functionApp.outputs.uri
output AZURE_CLIENT_ID string = identity.outputs.clientId
output AZURE_OPENAI_ENDPOINT string = openAiEndpoint
output AZURE_OPENAI_MODEL string = openAiModel
output AZURE_STORAGE_ACCOUNT_NAME string = storage.outputs.name
output APPLICATIONINSIGHTS_NAME string = monitoring.outputs.applicationInsightsName
output TASKHUB_NAME string = taskHubName
output DURABLE_TASK_SCHEDULER_ENDPOINT string = useDurableTaskScheduler ? scheduler.outputs.endpoint : ''
