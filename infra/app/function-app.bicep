// The Function App on Flex Consumption. Every connection it makes (AzureWebJobsStorage, the
// deployment package, Application Insights) authenticates as the user-assigned identity; no key
// or keyed connection string is ever written into its settings.

@description('Name of the Function App (becomes <name>.azurewebsites.net).')
param name string

@description('Azure region for the Function App.')
param location string

@description('Tags applied to the Function App (the azd-service-name tag is added here).')
param tags object = {}

@description('Service name in azure.yaml; azd finds the app to deploy by this tag.')
param serviceName string

@description('Resource id of the Flex Consumption plan.')
param planId string

@description('Resource id of the user-assigned identity the app runs as.')
param identityId string

@description('Client id of that identity: AzureWebJobsStorage, App Insights and DefaultAzureCredential use it.')
param identityClientId string

@description('Storage account behind AzureWebJobsStorage and the deployment package.')
param storageAccountName string

@description('Blob endpoint of that storage account (https://<account>.blob.core.windows.net/).')
param storageBlobEndpoint string

@description('Blob container holding the deployment package azd uploads.')
param deploymentContainerName string

@description('Application Insights connection string (no key material: local auth is disabled).')
param applicationInsightsConnectionString string

@description('Memory per instance in MB; CPU scales with it.')
@allowed([512, 2048, 4096])
param instanceMemoryMB int = 2048

@description('Upper bound on instances the app scales out to.')
@minValue(40)
@maxValue(1000)
param maximumInstanceCount int = 100

@description('Settings of the app itself (task hub, model provider, ...), merged under the platform ones.')
param appSettings object = {}

// Identity-based host storage: the host builds blob/queue/table URIs from the account name
// and asks the identity named by clientId for tokens.
var identitySettings = {
  AzureWebJobsStorage__accountName: storageAccountName
  AzureWebJobsStorage__credential: 'managedidentity'
  AzureWebJobsStorage__clientId: identityClientId
  AZURE_CLIENT_ID: identityClientId
  APPLICATIONINSIGHTS_CONNECTION_STRING: applicationInsightsConnectionString
  APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'Authorization=AAD;ClientId=${identityClientId}'
}

resource site 'Microsoft.Web/sites@2024-04-01' = {
  name: name
  location: location
  tags: union(tags, { 'azd-service-name': serviceName })
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  properties: {
    serverFarmId: planId
    httpsOnly: true
    // Only what Flex Consumption accepts: it answers BadRequest to ftpsState (Flex offers no FTP at
    // all) and to the other plan-specific properties (tests/infra lists them); the runtime is in
    // functionAppConfig below.
    siteConfig: {
      minTlsVersion: '1.2'
      http20Enabled: true
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${storageBlobEndpoint}${deploymentContainerName}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityId
          }
        }
      }
      scaleAndConcurrency: {
        instanceMemoryMB: instanceMemoryMB
        maximumInstanceCount: maximumInstanceCount
      }
      runtime: {
        name: 'python'
        version: '3.11'
      }
    }
  }
}

// Later keys win in union(): the platform settings cannot be overridden by appSettings.
resource settings 'Microsoft.Web/sites/config@2024-04-01' = {
  parent: site
  name: 'appsettings'
  properties: union(appSettings, identitySettings)
}

// azd deploys with an Entra token, so publishing with basic (user/password) credentials stays off.
resource basicAuthPolicies 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-04-01' = [
  for policy in ['ftp', 'scm']: {
    parent: site
    name: policy
    properties: {
      allow: false
    }
  }
]

output name string = site.name
output uri string = 'https://${site.properties.defaultHostName}'
