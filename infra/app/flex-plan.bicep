// The Flex Consumption hosting plan: per-execution billing, scale to zero, identity-based deployment.

@description('Name of the Flex Consumption plan.')
param name string

@description('Azure region for the plan (must offer Flex Consumption).')
param location string

@description('Tags applied to the plan.')
param tags object = {}

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: name
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    name: 'FC1'
    tier: 'FlexConsumption'
  }
  properties: {
    reserved: true // Linux: Flex Consumption runs Linux only
  }
}

output id string = plan.id
output name string = plan.name
