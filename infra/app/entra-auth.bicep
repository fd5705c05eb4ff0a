// Optional App Service authentication (Easy Auth) with Microsoft Entra ID in front of the run API.
// The platform validates the bearer token before the request reaches Python and injects
// X-MS-CLIENT-PRINCIPAL-NAME, which the approval route records as the approver. Callers still
// send the function key: Easy Auth adds identity, it does not replace the key check.

@description('Name of the existing Function App to protect.')
param functionAppName string

@description('Application (client) id of the Entra app registration that represents the API.')
@minLength(1)
param clientId string

@description('Entra tenant that issues the tokens.')
param tenantId string

@description('Paths served without a token: the health probe and the run viewer page (static; its API calls sign in).')
param excludedPaths array = ['/api/health', '/api/ui', '/api/ui/', '/api/ui/*']

resource site 'Microsoft.Web/sites@2024-04-01' existing = {
  name: functionAppName
}

resource authSettings 'Microsoft.Web/sites/config@2024-04-01' = {
  parent: site
  name: 'authsettingsV2'
  properties: {
    platform: {
      enabled: true
    }
    globalValidation: {
      requireAuthentication: true
      unauthenticatedClientAction: 'Return401'
      excludedPaths: excludedPaths
    }
    identityProviders: {
      azureActiveDirectory: {
        enabled: true
        registration: {
          clientId: clientId
          openIdIssuer: '${environment().authentication.loginEndpoint}${tenantId}/v2.0'
        }
        validation: {
          allowedAudiences: [
            'api://${clientId}'
            clientId
          ]
        }
      }
    }
    login: {
      tokenStore: {
        enabled: false
      }
    }
  }
}
