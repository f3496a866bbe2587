import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ConfigurationServiceClientCredentialFactory } from 'botbuilder';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { botFrameworkAuthConfig, ConfigError, loadConfig } from '../../src/config';

const bicep = readFileSync(resolve('teamsapp/infra/main.bicep'), 'utf8');
const parameters = JSON.parse(readFileSync(resolve('teamsapp/infra/main.parameters.json'), 'utf8')).parameters as Record<string, { value: unknown }>;
const toolkit = parseYaml(readFileSync(resolve('teamsapp/teamsapp.yml'), 'utf8')) as { provision: { uses: string }[] };
const envExample = readFileSync(resolve('teamsapp/env/.env.dev.example'), 'utf8');

/** The body of the `{ … }` that opens at `start`, comments and strings respected. */
function block(text: string, start: number): string {
  let depth = 0;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (c === "'") i = text.indexOf("'", i + 1 + (text[i + 1] === "'" ? 1 : 0));
    else if (c === '/' && text[i + 1] === '/') i = text.indexOf('\n', i);
    else if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return text.slice(start, i + 1);
  }
  throw new Error('unbalanced braces');
}

interface Resource {
  type: string;
  condition?: string;
  body: string;
}
/** Top-level `resource name 'type@version' = [if (cond)] { … }` declarations of a Bicep file. */
function resources(text: string): Record<string, Resource> {
  const out: Record<string, Resource> = {};
  for (const m of text.matchAll(/^resource (\w+) '([^'@]+)@[^']+' = (?:if \(([^)]*)\) )?\{/gm)) {
    out[m[1]!] = { type: m[2]!, ...(m[3] ? { condition: m[3] } : {}), body: block(text, m.index! + m[0].length - 1) };
  }
  return out;
}
/** `param name type = default` lines (the default as written). */
function params(text: string): Record<string, string | undefined> {
  return Object.fromEntries([...text.matchAll(/^param (\w+) \w+(?: = (.+))?$/gm)].map((m) => [m[1]!, m[2]?.trim()]));
}
/** `key: value` lines of a block, outermost level only is not needed: keys are unique enough here. */
const setting = (body: string, key: string) => body.match(new RegExp(`^\\s*${key}: (.+)$`, 'm'))?.[1]?.trim();

const res = resources(bicep);
const byType = (type: string) => Object.entries(res).filter(([, r]) => r.type === type);

describe('the Bicep: Application Insights', () => {
  it('creates a workspace-based Application Insights resource on a Log Analytics workspace', () => {
    const [[wsName] = []] = byType('Microsoft.OperationalInsights/workspaces');
    const [[, ai] = []] = byType('Microsoft.Insights/components');
    expect(wsName, 'a Log Analytics workspace').toBeDefined();
    expect(ai, 'an Application Insights component').toBeDefined();
    expect(ai!.condition, 'always created').toBeUndefined();
    expect(setting(ai!.body, 'WorkspaceResourceId')).toBe(`${wsName}.id`);
    expect(setting(ai!.body, 'DisableIpMasking')).toBe('false');
  });

  it('passes its connection string to the web app as APPLICATIONINSIGHTS_CONNECTION_STRING', () => {
    const [[aiName] = []] = byType('Microsoft.Insights/components');
    const [[, settings] = []] = byType('Microsoft.Web/sites/config');
    expect(setting(settings!.body, 'APPLICATIONINSIGHTS_CONNECTION_STRING')).toBe(`${aiName}.properties.ConnectionString`);
  });
});

describe('the Bicep: the bot’s identity', () => {
  const p = params(bicep);

  it('is a user-assigned managed identity by default; a client secret only as the SingleTenant option', () => {
    expect(p.botAppType).toBe("'UserAssignedMSI'");
    expect(bicep).toMatch(/@allowed\(\[\s*'UserAssignedMSI'\s*'SingleTenant'\s*\]\)\s*param botAppType/);
    const [[idName, identity] = []] = byType('Microsoft.ManagedIdentity/userAssignedIdentities');
    expect(identity, 'a user-assigned identity').toBeDefined();
    expect(bicep).toMatch(/^var useMsi = botAppType == 'UserAssignedMSI'$/m);
    expect(identity!.condition).toBe('useMsi');
    // The secret exists only on the option's path.
    const [[, secret] = []] = Object.entries(res).filter(([, r]) => r.type === 'Microsoft.KeyVault/vaults/secrets' && r.body.includes('botAppPassword'));
    expect(secret!.condition).toBe('!useMsi');
    // The bot id and tenant are the identity's.
    expect(bicep).toMatch(new RegExp(`^var botId = useMsi \\? ${idName}!\\.properties\\.clientId : botAppId$`, 'm'));
    expect(bicep).toMatch(new RegExp(`^var botTenant = useMsi \\? ${idName}!\\.properties\\.tenantId : botTenantId$`, 'm'));
  });

  it('the Azure Bot is registered with that identity, and the web app carries it with the matching settings', () => {
    const [[idName] = []] = byType('Microsoft.ManagedIdentity/userAssignedIdentities');
    const [[, bot] = []] = byType('Microsoft.BotService/botServices');
    expect(setting(bot!.body, 'msaAppType')).toBe('botAppType');
    expect(setting(bot!.body, 'msaAppId')).toBe('botId');
    expect(setting(bot!.body, 'msaAppTenantId')).toBe('botTenant');
    expect(setting(bot!.body, 'msaAppMSIResourceId')).toBe(`useMsi ? ${idName}!.id : null`);
    const [[, site] = []] = byType('Microsoft.Web/sites');
    expect(site!.body).toContain(`'\${${idName}!.id}': {}`);
    const [[, settings] = []] = byType('Microsoft.Web/sites/config');
    expect(setting(settings!.body, 'MicrosoftAppType')).toBe('botAppType');
    expect(setting(settings!.body, 'MicrosoftAppId')).toBe('botId');
    expect(setting(settings!.body, 'MicrosoftAppTenantId')).toBe('botTenant');
    expect(setting(settings!.body, 'MicrosoftAppPassword')).toMatch(/^useMsi \? '' :/);
  });

  it('the Agents Toolkit path provisions the managed identity: no app registration step, BOT_APP_TYPE=UserAssignedMSI', () => {
    const steps = toolkit.provision.map((s) => s.uses);
    expect(steps).not.toContain('aadApp/create');
    expect(steps).not.toContain('botAadApp/create');
    expect(steps.indexOf('arm/deploy')).toBeLessThan(steps.indexOf('teamsApp/zipAppPackage'));
    expect(parameters.botAppType!.value).toBe('${{BOT_APP_TYPE}}');
    expect(envExample).toMatch(/^BOT_APP_TYPE=UserAssignedMSI$/m);
    // The option is there to switch on, not lost.
    expect(readFileSync(resolve('teamsapp/teamsapp.yml'), 'utf8')).toMatch(/^ {2}# - uses: aadApp\/create$/m);
    expect(bicep).toMatch(/^output BOT_ID string = botId$/m);
    expect(bicep).toMatch(/^output BOT_TENANT_ID string = botTenant$/m);
  });
});

describe('the bot’s identity in the configuration', () => {
  const base = { STORAGE_CONNECTION_STRING: 'UseDevelopmentStorage=true', APP_ENV: 'production' };
  const tenant = '7c1d9f43-2b8e-4b8f-9a51-0f4c2b7e1a11';
  const clientId = '0a6f4d2c-1e3b-4c5d-8e7f-9a0b1c2d3e4f';
  const problems = (env: Record<string, string>) => {
    try {
      loadConfig({ ...base, ...env });
      return [];
    } catch (e) {
      if (!(e instanceof ConfigError)) throw e;
      return e.problems;
    }
  };

  it('UserAssignedMSI: the identity’s client id and tenant, no password; botbuilder builds its managed identity credentials from it', async () => {
    const config = loadConfig({ ...base, MicrosoftAppType: 'UserAssignedMSI', MicrosoftAppId: clientId, MicrosoftAppTenantId: tenant });
    expect(config.bot).toMatchObject({ appId: clientId, appPassword: '', appType: 'UserAssignedMSI', tenantId: tenant });
    const factory = new ConfigurationServiceClientCredentialFactory(botFrameworkAuthConfig(config));
    await expect(factory.isAuthenticationDisabled()).resolves.toBe(false);
    expect((factory as unknown as { inner: object }).inner.constructor.name).toBe('ManagedIdentityServiceClientCredentialsFactory');
  });

  it('UserAssignedMSI with a password, or without a tenant, does not start and says why', () => {
    expect(problems({ MicrosoftAppType: 'UserAssignedMSI', MicrosoftAppId: clientId, MicrosoftAppTenantId: tenant, MicrosoftAppPassword: 'x' })).toEqual([
      expect.stringMatching(/^MicrosoftAppPassword: UserAssignedMSI .*leave MicrosoftAppPassword empty/),
    ]);
    expect(problems({ MicrosoftAppType: 'UserAssignedMSI', MicrosoftAppId: clientId, ALLOWED_TENANT_IDS: tenant })).toEqual([
      expect.stringMatching(/^MicrosoftAppTenantId: MicrosoftAppType UserAssignedMSI needs MicrosoftAppTenantId/),
    ]);
  });

  it('SingleTenant needs its client secret and tenant', () => {
    expect(problems({ MicrosoftAppType: 'SingleTenant', MicrosoftAppId: clientId, MicrosoftAppTenantId: tenant })).toEqual([
      expect.stringMatching(/^MicrosoftAppPassword: SingleTenant needs the client secret/),
    ]);
    const config = loadConfig({ ...base, MicrosoftAppType: 'SingleTenant', MicrosoftAppId: clientId, MicrosoftAppTenantId: tenant, MicrosoftAppPassword: 's' });
    const factory = new ConfigurationServiceClientCredentialFactory(botFrameworkAuthConfig(config));
    expect((factory as unknown as { inner: object }).inner.constructor.name).toBe('PasswordServiceClientCredentialFactory');
  });

  it('local and test runs without an app id need none of it', () => {
    expect(loadConfig({ ...base, APP_ENV: 'local', MicrosoftAppType: 'UserAssignedMSI' }).bot.appId).toBe('');
  });
});
