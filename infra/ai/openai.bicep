// Azure OpenAI account + one model deployment, reachable only with Entra tokens (no API keys).

@description('Name of the Azure OpenAI account; also its custom subdomain, so globally unique.')
param name string

@description('Azure region for the account (model availability differs by region).')
param location string

@description('Tags applied to the account.')
param tags object = {}

@description('Deployment name the app calls (AZURE_OPENAI_MODEL).')
param deploymentName string

@description('Model to deploy, e.g. gpt-4.1-mini.')
param modelName string

@description('Model version, e.g. 2025-04-14.')
param modelVersion string

@description('Deployment type: GlobalStandard is the widest available.')
@allowed(['GlobalStandard', 'DataZoneStandard', 'Standard'])
param deploymentSku string = 'GlobalStandard'

@description('Capacity in thousands of tokens per minute.')
@minValue(1)
param capacity int = 30

resource account 'Microsoft.CognitiveServices/accounts@2024-10-01' = {
  name: name
  location: location
  tags: tags
  kind: 'OpenAI'
  sku: {
    name: 'S0'
  }
  properties: {
    customSubDomainName: name // token auth needs the custom subdomain endpoint
    disableLocalAuth: true
    publicNetworkAccess: 'Enabled'
  }
}

resource deployment 'Microsoft.CognitiveServices/accounts/deployments@2024-10-01' = {
  parent: account
  name: deploymentName
  sku: {
    name: deploymentSku
    capacity: capacity
  }
  properties: {
    model: {
      format: 'OpenAI'
      name: modelName
      version: modelVersion
    }
    versionUpgradeOption: 'OnceCurrentVersionExpired'
  }
}

output name string = account.name
output endpoint string = account.properties.endpoint
output deploymentName string = deployment.name
