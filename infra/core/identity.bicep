// The one identity the Function App uses for everything (storage, telemetry, model, scheduler).
// User-assigned rather than system-assigned: it exists before the app, so every role assignment
// can be granted in the same deployment and survives the app being recreated.

@description('Name of the user-assigned managed identity.')
param name string

@description('Azure region for the identity.')
param location string

@description('Tags applied to the identity.')
param tags object = {}

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: name
  location: location
  tags: tags
}

output id string = identity.id
output name string = identity.name
output clientId string = identity.properties.clientId
output principalId string = identity.properties.principalId
