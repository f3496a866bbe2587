// Leerbudget in Azure: the bot as a Linux Web App (Node 22 LTS), its Azure Bot registration with the
// Teams channel and a user-assigned managed identity (or, as an option, an app registration with a
// client secret), a Storage account for the tables, a Key Vault for the secrets the app reads,
// Application Insights (workspace-based) for traces and logs, and a timer (Logic App) that calls
// POST /api/jobs/run so scheduled work runs even when the app scales out or in. Deployed by `teamsapp provision` (arm/deploy) or by `az deployment group create`.

@minLength(4)
@maxLength(20)
@description('Lower-case letters and digits only; names every resource (web app, storage, key vault). Must be unique in Azure.')
param resourceBaseName string

param location string = resourceGroup().location

@description('How the bot authenticates to the Bot Framework. UserAssignedMSI (default): a managed identity made here, no secret to rotate. SingleTenant: an Entra app registration with a client secret (botAppId, botAppPassword). MultiTenant is deliberately not offered: new multi-tenant bots are deprecated.')
@allowed([
  'UserAssignedMSI'
  'SingleTenant'
])
param botAppType string = 'UserAssignedMSI'

@description('SingleTenant: the client id of the bot\'s Entra app registration. Ignored for UserAssignedMSI (the managed identity\'s client id is used).')
param botAppId string = ''

@secure()
@description('SingleTenant: a client secret of that app registration. Stored in Key Vault; the app reads it through a Key Vault reference.')
param botAppPassword string = ''

@description('The Entra tenant of the bot\'s identity (your organisation).')
param botTenantId string = subscription().tenantId

@maxLength(42)
param botDisplayName string = 'Leerbudget'

@allowed([
  'F0'
  'S1'
])
@description('Azure Bot pricing tier; Teams messages are free on F0 and S1 alike.')
param botSku string = 'F0'

@description('App Service plan SKU. B1 or higher: the bot needs Always On, which the free tier lacks.')
param webAppSku string = 'B1'

@minValue(1)
@maxValue(10)
@description('Number of bot instances. Every instance is safe to run side by side (see the README).')
param instanceCount int = 1

@secure()
@minLength(32)
@description('Shared secret for POST /api/jobs/run (header x-job-secret), used by the timer below.')
param jobTriggerSecret string

@secure()
@minLength(32)
@description('Signs download links in cards. Must stay the same across instances and deployments.')
param linkSecret string

@description('Entra object ids of the first accounthouders, comma separated; more can be added in Teams.')
param accounthouderIds string = ''

@description('Whom people ask about their data, named on the /privacy page: the privacy officer\'s e-mail address or web page. Empty: a placeholder (the bot warns at start).')
param privacyContact string = ''

@description('Call POST /api/jobs/run on a timer (recommended; required for reminders when instances come and go).')
param enableJobTimer bool = true

@minValue(1)
@maxValue(60)
param jobTimerMinutes int = 5

param logLevel string = 'info'

@minValue(30)
@maxValue(730)
@description('Days Log Analytics keeps the traces and logs.')
param telemetryRetentionDays int = 90

var useMsi = botAppType == 'UserAssignedMSI'
var storageName = toLower(take(replace('${resourceBaseName}st', '-', ''), 24))
var vaultName = take('${resourceBaseName}-kv', 24)
// Built-in role: Key Vault Secrets User (read secret values).
var secretsUserRole = subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '4633458b-17de-408a-b874-0445c86b69e6')

// ---------------------------------------------------------------- identity (UserAssignedMSI only)
resource botIdentity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = if (useMsi) {
  name: '${resourceBaseName}-bot'
  location: location
}

// ---------------------------------------------------------------- telemetry: Application Insights on a Log Analytics workspace
resource logs 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: '${resourceBaseName}-logs'
  location: location
  properties: {
    sku: {
      name: 'PerGB2018'
    }
    retentionInDays: telemetryRetentionDays
  }
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' = {
  name: '${resourceBaseName}-ai'
  location: location
  kind: 'web'
  properties: {
    Application_Type: 'Node.JS'
    WorkspaceResourceId: logs.id
    // Client IP addresses are masked (the default, kept explicit): no personal data at rest.
    DisableIpMasking: false
    RetentionInDays: telemetryRetentionDays
  }
}

// ---------------------------------------------------------------- storage for the tables
resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: storageName
  location: location
  kind: 'StorageV2'
  sku: {
    name: 'Standard_LRS'
  }
  properties: {
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    allowBlobPublicAccess: false
    // The app connects with a connection string (account key), kept in Key Vault.
    allowSharedKeyAccess: true
    publicNetworkAccess: 'Enabled'
  }
}

// The attachments' container (private): the app reaches it with the same connection string as the tables.
resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' = {
  parent: storage
  name: 'default'
}

resource attachmentsContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: blobService
  name: 'attachments'
  properties: {
    publicAccess: 'None'
  }
}

// ---------------------------------------------------------------- secrets
resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: vaultName
  location: location
  properties: {
    tenantId: subscription().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 7
  }
}

resource storageSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: 'storage-connection-string'
  properties: {
    value: 'DefaultEndpointsProtocol=https;AccountName=${storage.name};AccountKey=${storage.listKeys().keys[0].value};EndpointSuffix=${environment().suffixes.storage}'
  }
}

resource botPasswordSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (!useMsi) {
  parent: vault
  name: 'bot-password'
  properties: {
    value: botAppPassword
  }
}

resource jobSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: 'job-trigger-secret'
  properties: {
    value: jobTriggerSecret
  }
}

resource linkSecretValue 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: 'link-secret'
  properties: {
    value: linkSecret
  }
}

// ---------------------------------------------------------------- the bot's web app
resource plan 'Microsoft.Web/serverfarms@2023-12-01' = {
  name: resourceBaseName
  location: location
  kind: 'linux'
  sku: {
    name: webAppSku
    capacity: instanceCount
  }
  properties: {
    reserved: true // Linux
  }
}

resource webApp 'Microsoft.Web/sites@2023-12-01' = {
  name: resourceBaseName
  location: location
  kind: 'app,linux'
  identity: useMsi
    ? {
        type: 'SystemAssigned, UserAssigned'
        userAssignedIdentities: {
          '${botIdentity!.id}': {}
        }
      }
    : {
        type: 'SystemAssigned'
      }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    // Every instance can take every request: state lives in Table Storage, not in the process.
    clientAffinityEnabled: false
    siteConfig: {
      linuxFxVersion: 'NODE|22-lts'
      // tsc writes src/index.ts to dist/src/index.js (rootDir is the repository root).
      appCommandLine: 'node dist/src/index.js'
      alwaysOn: true
      healthCheckPath: '/healthz'
      http20Enabled: true
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      webSocketsEnabled: false
    }
  }
}

// The web app's own identity reads the secrets (Key Vault references resolve with it).
resource webAppReadsSecrets 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(vault.id, webApp.id, secretsUserRole)
  scope: vault
  properties: {
    roleDefinitionId: secretsUserRole
    principalId: webApp.identity.principalId
    principalType: 'ServicePrincipal'
  }
}

var botId = useMsi ? botIdentity!.properties.clientId : botAppId
var botTenant = useMsi ? botIdentity!.properties.tenantId : botTenantId

resource appSettings 'Microsoft.Web/sites/config@2023-12-01' = {
  parent: webApp
  name: 'appsettings'
  properties: {
    APP_ENV: 'production'
    MicrosoftAppId: botId
    MicrosoftAppType: botAppType
    MicrosoftAppTenantId: botTenant
    MicrosoftAppPassword: useMsi ? '' : '@Microsoft.KeyVault(SecretUri=${botPasswordSecret!.properties.secretUri})'
    STORAGE_CONNECTION_STRING: '@Microsoft.KeyVault(SecretUri=${storageSecret.properties.secretUri})'
    PUBLIC_URL: 'https://${webApp.properties.defaultHostName}'
    JOB_TRIGGER_SECRET: '@Microsoft.KeyVault(SecretUri=${jobSecret.properties.secretUri})'
    LINK_SECRET: '@Microsoft.KeyVault(SecretUri=${linkSecretValue.properties.secretUri})'
    ACCOUNTHOUDER_IDS: accounthouderIds
    PRIVACY_CONTACT: privacyContact
    SEED_DEMO: 'false'
    LOG_LEVEL: logLevel
    // Traces and logs through OpenTelemetry (src/telemetry.ts), without personal data.
    APPLICATIONINSIGHTS_CONNECTION_STRING: appInsights.properties.ConnectionString
    // The deploy step uploads a built, pruned package; App Service runs it read-only as is.
    WEBSITE_RUN_FROM_PACKAGE: '1'
    SCM_DO_BUILD_DURING_DEPLOYMENT: 'false'
  }
  dependsOn: [
    webAppReadsSecrets
  ]
}

// ---------------------------------------------------------------- Azure Bot with the Teams channel
resource bot 'Microsoft.BotService/botServices@2022-09-15' = {
  name: resourceBaseName
  location: 'global'
  kind: 'azurebot'
  sku: {
    name: botSku
  }
  properties: {
    displayName: botDisplayName
    endpoint: 'https://${webApp.properties.defaultHostName}/api/messages'
    msaAppId: botId
    msaAppType: botAppType
    msaAppTenantId: botTenant
    msaAppMSIResourceId: useMsi ? botIdentity!.id : null
  }
}

resource teamsChannel 'Microsoft.BotService/botServices/channels@2022-09-15' = {
  parent: bot
  name: 'MsTeamsChannel'
  location: 'global'
  properties: {
    channelName: 'MsTeamsChannel'
  }
}

// ---------------------------------------------------------------- the platform timer for scheduled jobs
resource jobTimer 'Microsoft.Logic/workflows@2019-05-01' = if (enableJobTimer) {
  name: '${resourceBaseName}-jobs'
  location: location
  properties: {
    state: 'Enabled'
    definition: {
      '$schema': 'https://schema.management.azure.com/providers/Microsoft.Logic/schemas/2016-06-01/workflowdefinition.json#'
      contentVersion: '1.0.0.0'
      parameters: {
        jobUrl: {
          type: 'String'
        }
        jobSecret: {
          type: 'SecureString'
        }
      }
      triggers: {
        every: {
          type: 'Recurrence'
          recurrence: {
            frequency: 'Minute'
            interval: jobTimerMinutes
          }
        }
      }
      actions: {
        runJobs: {
          type: 'Http'
          runAfter: {}
          inputs: {
            method: 'POST'
            uri: '@parameters(\'jobUrl\')'
            headers: {
              'x-job-secret': '@parameters(\'jobSecret\')'
            }
          }
          // Keep the secret out of the run history.
          runtimeConfiguration: {
            secureData: {
              properties: [
                'inputs'
              ]
            }
          }
        }
      }
      outputs: {}
    }
    parameters: {
      jobUrl: {
        value: 'https://${webApp.properties.defaultHostName}/api/jobs/run'
      }
      jobSecret: {
        value: jobTriggerSecret
      }
    }
  }
}

// Written to env/.env.<env> by the Agents Toolkit; the app package and the deploy step use them.
output BOT_ID string = botId
output BOT_TENANT_ID string = botTenant
output BOT_DOMAIN string = webApp.properties.defaultHostName
output BOT_ENDPOINT string = 'https://${webApp.properties.defaultHostName}'
output AZURE_APP_SERVICE_RESOURCE_ID string = webApp.id
output AZURE_BOT_RESOURCE_ID string = bot.id
output AZURE_STORAGE_ACCOUNT_NAME string = storage.name
output AZURE_KEY_VAULT_NAME string = vault.name
output AZURE_APP_INSIGHTS_RESOURCE_ID string = appInsights.id
