// Optional Durable Task Scheduler backend: a managed scheduler + one task hub named like
// TASKHUB_NAME. The app reaches it with its managed identity (no connection secrets).

@description('Name of the scheduler: letters, digits and hyphens, 3-64 characters.')
param name string

@description('Azure region for the scheduler.')
param location string

@description('Tags applied to the scheduler.')
param tags object = {}

@description('Task hub name; must equal the app setting TASKHUB_NAME.')
param taskHubName string

@description('Billing SKU: Consumption (pay per use) or Dedicated (reserved capacity units).')
@allowed(['Consumption', 'Dedicated'])
param skuName string = 'Consumption'

@description('Address ranges allowed to reach the scheduler; an empty list blocks everything.')
param ipAllowlist array = ['0.0.0.0/0']

resource scheduler 'Microsoft.DurableTask/schedulers@2025-11-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    sku: {
      name: skuName
    }
    ipAllowlist: ipAllowlist
  }
}

resource taskHub 'Microsoft.DurableTask/schedulers/taskHubs@2025-11-01' = {
  parent: scheduler
  name: taskHubName
}

output name string = scheduler.name
output endpoint string = scheduler.properties.endpoint
output taskHubName string = taskHub.name
