import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseEnv } from 'node:util';
import { z } from 'zod';

const boolish = z
  .enum(['true', 'false', '1', '0', 'yes', 'no', ''])
  .default('false')
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const optionalUrl = (name: string) =>
  z
    .string()
    .trim()
    .default('')
    .refine((v) => v === '' || /^https?:\/\/[^\s]+$/.test(v), `${name}: a URL, or empty`);

/** The authentication endpoints a deployment may move (tests, sovereign clouds); see botFrameworkAuthConfig. */
export const AUTH_ENDPOINT_SETTINGS = [
  'ToBotFromChannelOpenIdMetadataUrl',
  'ToBotFromChannelTokenIssuer',
  'ToBotFromEmulatorOpenIdMetadataUrl',
  'ToChannelFromBotLoginUrl',
  'ToChannelFromBotOAuthScope',
] as const;
export type AuthEndpointSetting = (typeof AUTH_ENDPOINT_SETTINGS)[number];

/** botbuilder's public-cloud values (AuthenticationConstants), used for every endpoint not moved. */
export const PUBLIC_CLOUD_AUTH: Record<AuthEndpointSetting | 'OAuthUrl' | 'CallerId', string> = {
  ToBotFromChannelOpenIdMetadataUrl: 'https://login.botframework.com/v1/.well-known/openidconfiguration',
  ToBotFromChannelTokenIssuer: 'https://api.botframework.com',
  ToBotFromEmulatorOpenIdMetadataUrl: 'https://login.microsoftonline.com/common/v2.0/.well-known/openid-configuration',
  ToChannelFromBotLoginUrl: 'https://login.microsoftonline.com/botframework.com',
  ToChannelFromBotOAuthScope: 'https://api.botframework.com',
  OAuthUrl: 'https://api.botframework.com',
  CallerId: 'urn:botframework:azure',
};

/** Where Teams puts the files people send a bot: SharePoint and OneDrive for Business (and Microsoft's own test farms). */
export const DEFAULT_FILE_DOWNLOAD_HOSTS = ['*.sharepoint.com', '*.sharepoint-df.com'] as const;

/** A placeholder: the admin sets PRIVACY_CONTACT to the address the municipality's privacy officer gives (a warning at start until then). */
export const DEFAULT_PRIVACY_CONTACT = 'privacy@zwolle.nl';

const EnvSchema = z
  .object({
    APP_ENV: z.enum(['local', 'test', 'production']).default('production'),
    PORT: z.coerce.number().int().min(0).max(65535).default(3978),
    MicrosoftAppId: z.string().trim().default(''),
    MicrosoftAppPassword: z.string().default(''),
    MicrosoftAppType: z.enum(['MultiTenant', 'SingleTenant', 'UserAssignedMSI']).default('SingleTenant'),
    MicrosoftAppTenantId: z.string().trim().default(''),
    // Bot Framework authentication endpoints, under botbuilder's own names. Empty: the public cloud
    // (botbuilder's defaults). Only for tests (a local OpenID document) and sovereign clouds.
    ToBotFromChannelOpenIdMetadataUrl: optionalUrl('ToBotFromChannelOpenIdMetadataUrl'),
    ToBotFromChannelTokenIssuer: z.string().trim().default(''),
    ToBotFromEmulatorOpenIdMetadataUrl: optionalUrl('ToBotFromEmulatorOpenIdMetadataUrl'),
    ToChannelFromBotLoginUrl: optionalUrl('ToChannelFromBotLoginUrl'),
    ToChannelFromBotOAuthScope: z.string().trim().default(''),
    /** Tenants whose users and channels the bot serves, comma separated. Default: the bot's own tenant (MicrosoftAppTenantId). */
    ALLOWED_TENANT_IDS: z
      .string()
      .default('')
      .transform((v) =>
        v
          .split(',')
          .map((s) => s.trim().toLowerCase())
          .filter(Boolean),
      )
      .pipe(z.array(z.string().regex(/^[0-9a-f-]{36}$/, 'ALLOWED_TENANT_IDS: tenant ids (GUIDs), comma separated'))),
    STORAGE_CONNECTION_STRING: z.string().trim().min(1, 'STORAGE_CONNECTION_STRING is required (Azure Table Storage or Azurite)'),
    TABLE_PREFIX: z
      .string()
      .regex(/^[A-Za-z][A-Za-z0-9]{0,29}$|^$/, 'TABLE_PREFIX: letters and digits only, starting with a letter')
      .default(''),
    /** The private Blob container for attachments, in the same storage account as the tables (STORAGE_CONNECTION_STRING). */
    ATTACHMENTS_CONTAINER: z
      .string()
      .regex(/^[a-z0-9](?:[a-z0-9]|-(?!-)){1,61}[a-z0-9]$/, 'ATTACHMENTS_CONTAINER: a Blob container name (3–63 lower-case letters, digits and single hyphens)')
      .default('attachments'),
    /**
     * Hosts the bot fetches files sent in Teams from (https only), comma separated; `*.` matches any
     * subdomain. Default: the SharePoint and OneDrive hosts Teams hands out download URLs on.
     * Loopback is taken besides only when APP_ENV is local or test.
     */
    FILE_DOWNLOAD_HOSTS: z
      .string()
      .default(DEFAULT_FILE_DOWNLOAD_HOSTS.join(','))
      .transform((v) =>
        v
          .split(',')
          .map((s) => s.trim().toLowerCase())
          .filter(Boolean),
      )
      .pipe(
        z
          .array(
            z
              .string()
              .regex(
                /^(\*\.)?([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/,
                'FILE_DOWNLOAD_HOSTS: host names, optionally starting with *., comma separated',
              ),
          )
          .min(1, 'FILE_DOWNLOAD_HOSTS: at least one host'),
      ),
    SEED_DEMO: boolish,
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    /** Entra object ids of the first accounthouders, comma separated; they can add others in Teams. */
    ACCOUNTHOUDER_IDS: z
      .string()
      .default('')
      .transform((v) =>
        v
          .split(',')
          .map((s) => s.trim().toLowerCase())
          .filter(Boolean),
      )
      .pipe(z.array(z.string().regex(/^[0-9a-fA-F-]{36}$/, 'ACCOUNTHOUDER_IDS: Entra object ids (GUIDs), comma separated'))),
    /** Secret for POST /api/jobs/run (a platform timer when the bot runs as several instances); empty disables it. */
    JOB_TRIGGER_SECRET: z.string().default(''),
    /** The bot's public base URL, for links in cards (report downloads). */
    PUBLIC_URL: z.string().url().optional().or(z.literal('')).default(''),
    /**
     * Secret that signs download links; when empty a random one per process (links end with a
     * restart). `env/.env.local` sets a fixed, published one for local runs; production refuses it.
     */
    LINK_SECRET: z.string().default(''),
    /**
     * Key of the pseudonyms that replace people's ids in the audit when their term passes (an
     * HMAC: stable, so one person's actions still link). Empty: LINK_SECRET. Never change it once
     * pseudonyms were written, or the same person gets a second pseudonym.
     */
    PSEUDONYM_SECRET: z.string().default(''),
    /** Local and test runs only: the clock starts at this moment (ISO) and runs on from there. */
    CLOCK_START: z.string().datetime({ offset: true }).optional().or(z.literal('')).default(''),
    /** Overrides the Teams locale for every user (the Agents Playground always sends en-US). */
    UI_LOCALE: z
      .string()
      .regex(/^[a-z]{2}(-[A-Z]{2})?$|^$/, 'UI_LOCALE: a locale such as nl-NL, or empty')
      .default(''),
    /** A request whose headers and body have not arrived in full after this many ms is refused (408) and its connection closed. */
    REQUEST_TIMEOUT_MS: z.coerce.number().int().min(100).max(300_000).default(20_000),
    /** Whom people ask about their data (the /privacy page): the municipality's privacy contact, e-mail address or URL. */
    PRIVACY_CONTACT: z
      .string()
      .trim()
      .default('')
      .transform((v) => v || DEFAULT_PRIVACY_CONTACT),
    // ---- telemetry and the bot's Azure identity (issue 13, item 8)
    /** Application Insights: when set, traces and logs go there through OpenTelemetry (src/telemetry.ts); empty sends nothing. */
    APPLICATIONINSIGHTS_CONNECTION_STRING: z
      .string()
      .trim()
      .regex(
        /^$|(^|;)InstrumentationKey=[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}(;|$)/,
        'APPLICATIONINSIGHTS_CONNECTION_STRING: the connection string of an Application Insights resource (InstrumentationKey=<GUID>;IngestionEndpoint=…)',
      )
      .default(''),
  })
  .superRefine((env, ctx) => {
    if (env.APP_ENV === 'production' && env.LINK_SECRET.startsWith(LOCAL_LINK_SECRET_PREFIX)) {
      ctx.addIssue({
        code: 'custom',
        path: ['LINK_SECRET'],
        message: 'LINK_SECRET is the published local one from env/.env.local: anyone could sign download links. Set a secret of its own (teamsapp/README.md)',
      });
    }
    if (env.APP_ENV === 'production' && env.MicrosoftAppId !== '') {
      // What botbuilder's ConfigurationServiceClientCredentialFactory asserts, said at start with the fix.
      const need = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
      if (env.MicrosoftAppType !== 'MultiTenant' && env.MicrosoftAppTenantId === '')
        need('MicrosoftAppTenantId', `MicrosoftAppType ${env.MicrosoftAppType} needs MicrosoftAppTenantId (the tenant of the bot's identity)`);
      if (env.MicrosoftAppType === 'UserAssignedMSI' && env.MicrosoftAppPassword.trim() !== '')
        need('MicrosoftAppPassword', 'UserAssignedMSI uses the managed identity (MicrosoftAppId = its client id): leave MicrosoftAppPassword empty');
      if (env.MicrosoftAppType === 'SingleTenant' && env.MicrosoftAppPassword.trim() === '')
        need(
          'MicrosoftAppPassword',
          'SingleTenant needs the client secret of the app registration in MicrosoftAppPassword, or use MicrosoftAppType=UserAssignedMSI',
        );
    }
    if (env.CLOCK_START && env.APP_ENV === 'production') {
      ctx.addIssue({ code: 'custom', path: ['CLOCK_START'], message: 'CLOCK_START moves the clock and is only for local and test runs' });
    }
    if (env.APP_ENV === 'production' && env.ALLOWED_TENANT_IDS.length === 0 && env.MicrosoftAppTenantId === '') {
      ctx.addIssue({
        code: 'custom',
        path: ['ALLOWED_TENANT_IDS'],
        message: 'Set ALLOWED_TENANT_IDS or MicrosoftAppTenantId: in production the bot serves only the municipality’s own tenant',
      });
    }
    for (const key of ['ToBotFromChannelOpenIdMetadataUrl', 'ToBotFromEmulatorOpenIdMetadataUrl', 'ToChannelFromBotLoginUrl'] as const) {
      if (env.APP_ENV === 'production' && env[key] !== '' && !env[key].startsWith('https://')) {
        ctx.addIssue({ code: 'custom', path: [key], message: `${key} must be an https URL in production (keys fetched over plain http could be swapped)` });
      }
    }
    if (env.MicrosoftAppId === '' && env.APP_ENV === 'production') {
      ctx.addIssue({
        code: 'custom',
        path: ['MicrosoftAppId'],
        message:
          'MicrosoftAppId is empty. Without an app id the bot accepts unauthenticated requests, which is only allowed for a local run: set APP_ENV=local (or test), or configure the bot registration (MicrosoftAppId, MicrosoftAppPassword, MicrosoftAppTenantId).',
      });
    }
  });

/** How the checked-in local link secret (env/.env.local) begins; production refuses any such secret. */
export const LOCAL_LINK_SECRET_PREFIX = 'local-only-';

export interface Config {
  appEnv: 'local' | 'test' | 'production';
  port: number;
  bot: {
    appId: string;
    appPassword: string;
    appType: 'MultiTenant' | 'SingleTenant' | 'UserAssignedMSI';
    tenantId: string;
    /** Authentication endpoints moved away from the public cloud (tests, sovereign clouds); empty in a normal deployment. */
    authEndpoints: Partial<Record<AuthEndpointSetting, string>>;
  };
  storage: { connectionString: string; tablePrefix: string };
  /**
   * Attachments in Blob Storage: on when the connection string names a Blob service (an Azure
   * account, or Azurite's BlobEndpoint); `allowLoopbackDownloads` outside production only (tests
   * serve files from 127.0.0.1), production downloads only over https; `downloadHosts`
   * (FILE_DOWNLOAD_HOSTS) are the hosts files are fetched from.
   */
  attachments: { enabled: boolean; container: string; allowLoopbackDownloads: boolean; downloadHosts: string[] };
  seedDemo: boolean;
  logLevel: string;
  accounthouders: string[];
  jobTriggerSecret: string;
  publicUrl: string;
  linkSecret: string;
  /** Keys audit pseudonyms (PSEUDONYM_SECRET, else LINK_SECRET; empty: a fixed local key). */
  pseudonymSecret: string;
  /** Local and test runs only: where the clock starts. */
  clockStart?: string;
  /** When set, used instead of the locale Teams sends. */
  uiLocale?: string;
  /** Tenants the bot serves; empty (local and test runs without a tenant set) serves any. */
  allowedTenants: string[];
  /** Slow requests: headers and body must have arrived within this many ms. */
  requestTimeoutMs: number;
  /** The privacy contact named on /privacy. */
  privacyContact: string;
  /** Application Insights connection string; empty: no telemetry leaves the process. */
  telemetry: { connectionString: string };
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Whether a storage connection string names a Blob service: an explicit BlobEndpoint (Azurite),
 * development storage, or an Azure account without explicit endpoints (its blob endpoint follows
 * from AccountName and EndpointSuffix). A string with only a TableEndpoint has none.
 */
export function hasBlobService(connectionString: string): boolean {
  if (/(^|;)\s*BlobEndpoint=/i.test(connectionString) || /UseDevelopmentStorage=true/i.test(connectionString)) return true;
  return /(^|;)\s*AccountName=/i.test(connectionString) && !/(^|;)\s*TableEndpoint=/i.test(connectionString);
}

/** Config is a pure function of the environment (the one place that reads it). */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message)));
  }
  const e = parsed.data;
  return {
    appEnv: e.APP_ENV,
    port: e.PORT,
    bot: {
      appId: e.MicrosoftAppId,
      appPassword: e.MicrosoftAppPassword,
      appType: e.MicrosoftAppType,
      tenantId: e.MicrosoftAppTenantId,
      authEndpoints: Object.fromEntries(AUTH_ENDPOINT_SETTINGS.filter((k) => e[k] !== '').map((k) => [k, e[k]])),
    },
    storage: { connectionString: e.STORAGE_CONNECTION_STRING, tablePrefix: e.TABLE_PREFIX },
    attachments: {
      enabled: hasBlobService(e.STORAGE_CONNECTION_STRING),
      container: e.ATTACHMENTS_CONTAINER,
      allowLoopbackDownloads: e.APP_ENV === 'local' || e.APP_ENV === 'test',
      downloadHosts: e.FILE_DOWNLOAD_HOSTS,
    },
    seedDemo: e.SEED_DEMO,
    logLevel: e.LOG_LEVEL,
    accounthouders: e.ACCOUNTHOUDER_IDS,
    jobTriggerSecret: e.JOB_TRIGGER_SECRET,
    publicUrl: (e.PUBLIC_URL || `http://localhost:${e.PORT}`).replace(/\/$/, ''),
    linkSecret: e.LINK_SECRET,
    pseudonymSecret: e.PSEUDONYM_SECRET || e.LINK_SECRET,
    ...(e.CLOCK_START ? { clockStart: e.CLOCK_START } : {}),
    ...(e.UI_LOCALE ? { uiLocale: e.UI_LOCALE } : {}),
    telemetry: { connectionString: e.APPLICATIONINSIGHTS_CONNECTION_STRING },
    allowedTenants: e.ALLOWED_TENANT_IDS.length ? e.ALLOWED_TENANT_IDS : e.MicrosoftAppTenantId ? [e.MicrosoftAppTenantId.toLowerCase()] : [],
    requestTimeoutMs: e.REQUEST_TIMEOUT_MS,
    privacyContact: e.PRIVACY_CONTACT,
  };
}

/**
 * The process environment with `env/.env.<APP_ENV>` underneath it: values set in the real
 * environment win over the file, so a platform's app settings always have the last word.
 */
export function environment(env: Record<string, string | undefined> = process.env, dir = resolve(__dirname, '../../env')) {
  const file = resolve(dir, `.env.${env.APP_ENV ?? 'production'}`);
  if (!existsSync(file)) return env;
  return { ...parseEnv(readFileSync(file, 'utf8')), ...env };
}

/**
 * The shape botbuilder's ConfigurationBotFrameworkAuthentication reads. Without an app id (local
 * runs only) botbuilder accepts only the MultiTenant type, which then skips authentication.
 * When any endpoint is moved, botbuilder takes every endpoint from this object ("parameterized"),
 * so the ones not moved are filled with the public-cloud values; otherwise none are passed and
 * botbuilder uses its own defaults.
 */
export function botFrameworkAuthConfig(config: Config) {
  const moved = Object.keys(config.bot.authEndpoints).length > 0;
  return {
    MicrosoftAppId: config.bot.appId,
    MicrosoftAppPassword: config.bot.appPassword,
    MicrosoftAppType: config.bot.appId === '' ? 'MultiTenant' : config.bot.appType,
    MicrosoftAppTenantId: config.bot.tenantId,
    ...(moved ? { ...PUBLIC_CLOUD_AUTH, ...config.bot.authEndpoints } : {}),
  };
}

/**
 * The environment as it is, for development tools that pass it on to child processes (npm run
 * dev) or fill placeholders (npm run package): reading it stays in this one module.
 */
export function processEnvironment(): NodeJS.ProcessEnv {
  return process.env;
}
