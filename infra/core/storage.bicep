// Storage for the Functions host, the Flex deployment package and the durable task hub.
// Shared keys are off: every caller (app, deployer, azd) authenticates with Entra ID.

@description('Storage account name: 3-24 lowercase letters and digits, globally unique.')
@minLength(3)
@maxLength(24)
param name string

@description('Azure region for the storage account.')
param location string

@description('Tags applied to the storage account.')
param tags object = {}

@description('Blob container that holds the Flex Consumption deployment package.')
param deploymentContainerName string

@description('Durable task hub name (the app setting TASKHUB_NAME); its queues and tables are created here.')
param taskHubName string

@description('Table of the live token streams (the app setting STREAM_TABLE_NAME): replies while agents write them.')
param streamsTableName string = 'streams'

@description('Number of durable control queues (the extension default partitionCount is 4).')
@minValue(1)
@maxValue(16)
param controlQueueCount int = 4

// Queue names must be lowercase; the Durable extension lowercases the hub name for queues.
var hubQueuePrefix = toLower(taskHubName)
var hubQueueNames = concat(
  ['${hubQueuePrefix}-workitems'],
  map(range(0, controlQueueCount), i => '${hubQueuePrefix}-control-${padLeft(i, 2, '0')}')
)
var hubTableNames = [
  '${taskHubName}History'
  '${taskHubName}Instances'
  '${taskHubName}Partitions'
]
// The app's own tables beside the hub's: created here so the app identity needs no create right at
// run time (the app still creates a missing one, which Azurite needs).
var tableNames = concat(hubTableNames, [streamsTableName])

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: name
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: {
    name: 'Standard_LRS'
  }
  properties: {
    allowSharedKeyAccess: false
    defaultToOAuthAuthentication: true
    allowBlobPublicAccess: false
    allowCrossTenantReplication: false
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    publicNetworkAccess: 'Enabled'
    networkAcls: {
      defaultAction: 'Allow'
      bypass: 'AzureServices'
    }
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' = {
  parent: storage
  name: 'default'
}

resource deploymentContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: blobService
  name: deploymentContainerName
  properties: {
    publicAccess: 'None'
  }
}

resource queueService 'Microsoft.Storage/storageAccounts/queueServices@2023-05-01' = {
  parent: storage
  name: 'default'
}

resource hubQueues 'Microsoft.Storage/storageAccounts/queueServices/queues@2023-05-01' = [
  for queueName in hubQueueNames: {
    parent: queueService
    name: queueName
  }
]

resource tableService 'Microsoft.Storage/storageAccounts/tableServices@2023-05-01' = {
  parent: storage
  name: 'default'
}

resource tables 'Microsoft.Storage/storageAccounts/tableServices/tables@2023-05-01' = [
  for tableName in tableNames: {
    parent: tableService
    name: tableName
  }
]

output name string = storage.name
output id string = storage.id
output blobEndpoint string = storage.properties.primaryEndpoints.blob
// The app's idempotent outbox (OUTBOX_TABLE_ENDPOINT; the app creates its table) and its token
// streams (STREAM_TABLE_ENDPOINT, STREAM_TABLE_NAME) live in tables here.
output tableEndpoint string = storage.properties.primaryEndpoints.table
output streamsTableName string = streamsTableName
output deploymentContainerName string = deploymentContainer.name
