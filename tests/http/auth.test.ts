import { generateKeyPairSync, KeyObject, randomUUID } from 'node:crypto';
import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import jwt from 'jsonwebtoken';
import { AuthenticationConstants } from 'botframework-connector';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { botFrameworkAuthConfig, loadConfig, PUBLIC_CLOUD_AUTH } from '../../src/config';
import { createLogger } from '../../src/log';
import { tableClients } from '../../src/store/tables';
import { tableRepos } from '../../src/store/table-repos';
import { startHarness } from '../support/harness';
import { ANOUK, cardAction, TENANT } from '../support/teams';

/**
 * Authentication end to end: botbuilder's own validation (JwtTokenExtractor, OpenIdMetadata,
 * the channel checks) against an OpenID metadata document and JWKS served on loopback, with
 * tokens signed by a key made here. Only the metadata URL is moved; issuer, audience and the
 * serviceUrl claim are checked as in the public cloud.
 */
const APP_ID = '5b0c7e2a-8d14-4f3b-9c6e-2a7d1f0e4b93';
const ISSUER = PUBLIC_CLOUD_AUTH.ToBotFromChannelTokenIssuer;

function rsaKey() {
  return generateKeyPairSync('rsa', { modulusLength: 2048 });
}
const channelKey = rsaKey();
const strangerKey = rsaKey();
const KID = `test-${randomUUID()}`;

function jwk(publicKey: KeyObject, kid: string, endorsements: string[]) {
  const { n, e } = publicKey.export({ format: 'jwk' });
  return { kty: 'RSA', use: 'sig', kid, n, e, endorsements };
}

/** The OpenID document and JWKS the channel publishes; a fresh path per run (botbuilder caches keys per URL). */
async function startOpenIdServer() {
  const id = randomUUID();
  const fetched: string[] = [];
  const server: Server = createServer((req, res) => {
    fetched.push(req.url ?? '');
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/${id}`;
    const json = (body: object) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.url === `/${id}/channel/.well-known/openidconfiguration`) {
      return json({ issuer: ISSUER, jwks_uri: `${base}/channel/keys`, id_token_signing_alg_values_supported: ['RS256'] });
    }
    if (req.url === `/${id}/channel/keys`) {
      return json({ keys: [jwk(channelKey.publicKey, KID, ['msteams']), jwk(strangerKey.publicKey, 'webchat-only', ['webchat'])] });
    }
    // The emulator / Entra document: knows no key of ours, so nothing is accepted through it.
    if (req.url === `/${id}/emulator/.well-known/openid-configuration`) {
      return json({ issuer: 'https://login.microsoftonline.com/common/v2.0', jwks_uri: `${base}/emulator/keys` });
    }
    if (req.url === `/${id}/emulator/keys`) return json({ keys: [] });
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/${id}`;
  return {
    channelUrl: `${base}/channel/.well-known/openidconfiguration`,
    emulatorUrl: `${base}/emulator/.well-known/openid-configuration`,
    fetched,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

let openId: Awaited<ReturnType<typeof startOpenIdServer>>;
let h: Awaited<ReturnType<typeof startHarness>>;
let repos: ReturnType<typeof tableRepos>;
let clients: ReturnType<typeof tableClients>;
/** The bot's log lines (JSON), to see each refusal logged, and logged without personal data. */
const logLines: Record<string, unknown>[] = [];
const bearers: string[] = [];

beforeAll(async () => {
  openId = await startOpenIdServer();
  h = await startHarness({
    log: createLogger('info', { write: (line: string) => void logLines.push(JSON.parse(line)) }),
    env: {
      MicrosoftAppId: APP_ID,
      MicrosoftAppPassword: 'not-a-real-secret',
      MicrosoftAppType: 'SingleTenant',
      MicrosoftAppTenantId: TENANT,
      ToBotFromChannelOpenIdMetadataUrl: openId.channelUrl,
      ToBotFromEmulatorOpenIdMetadataUrl: openId.emulatorUrl,
    },
  });
  clients = tableClients(h.config.storage.connectionString, h.config.storage.tablePrefix);
  repos = tableRepos(clients);
});
afterAll(async () => {
  await h?.stop();
  await openId?.stop();
});

interface TokenOptions {
  key?: KeyObject;
  kid?: string;
  algorithm?: jwt.Algorithm;
  claims?: Record<string, unknown>;
}

/** A token as the Bot Framework channel signs it for this bot and this activity. */
function token(serviceUrl: string, o: TokenOptions = {}) {
  const now = Math.floor(Date.now() / 1000);
  const claims = { iss: ISSUER, aud: APP_ID, serviceurl: serviceUrl, nbf: now - 60, iat: now - 60, exp: now + 3600, ...o.claims };
  for (const [k, v] of Object.entries(claims)) if (v === undefined) delete (claims as Record<string, unknown>)[k];
  const key: jwt.Secret = o.algorithm === 'HS256' ? 'a-shared-secret' : (o.key ?? channelKey.privateKey);
  return jwt.sign(claims, key, { algorithm: o.algorithm ?? 'RS256', keyid: o.kid ?? KID });
}

async function rowCount() {
  let n = 0;
  for (const client of Object.values(clients)) for await (const _ of client.listEntities()) n++;
  return n;
}

/** An eligibility answer: on success it opens a draft (a row and its audit record). */
function eligibility(tokenId: string) {
  return cardAction(h.connector.url, ANOUK, 'apply.eligibility', {
    token: tokenId,
    partnerInSocialeBasis: 'yes',
    activeInMunicipality: 'yes',
    collectiveAnswer: 'yes',
  });
}

describe('a token signed by the channel’s key', () => {
  it('is accepted: 200, the turn ran and wrote its draft', async () => {
    const before = await rowCount();
    const activity = eligibility('auth-valid');
    const res = await h.send(activity, { authorization: `Bearer ${token(activity.serviceUrl)}` });
    expect(res.status).toBe(200);
    expect(res.body?.type).toBe('application/vnd.microsoft.card.adaptive');
    expect(await repos.applications.listByApplicant(ANOUK.aadObjectId)).toHaveLength(1);
    expect(await rowCount()).toBeGreaterThan(before);
    // The keys came from the loopback document, not from login.botframework.com.
    expect(openId.fetched.some((u) => u.endsWith('/channel/keys'))).toBe(true);
  });
});

describe('anything else is refused with 401 and writes nothing', () => {
  const hour = 3600;
  const now = () => Math.floor(Date.now() / 1000);
  const cases: [string, (serviceUrl: string) => string][] = [
    ['no token at all', () => ''],
    ['another audience (a token for another bot)', (s) => token(s, { claims: { aud: '0a1b2c3d-0000-4000-8000-000000000000' } })],
    ['another issuer', (s) => token(s, { claims: { iss: 'https://sts.example.com/' } })],
    ['no issuer', (s) => token(s, { claims: { iss: undefined } })],
    ['expired (beyond botbuilder’s 5 minutes of clock skew)', (s) => token(s, { claims: { iat: now() - 2 * hour, nbf: now() - 2 * hour, exp: now() - 600 } })],
    ['not valid yet', (s) => token(s, { claims: { nbf: now() + hour, exp: now() + 2 * hour } })],
    ['signed by a key the document does not list', (s) => token(s, { key: strangerKey.privateKey, kid: 'unknown-key' })],
    ['signed by another key under the channel key’s id', (s) => token(s, { key: strangerKey.privateKey })],
    ['signed by a listed key that is not endorsed for msteams', (s) => token(s, { key: strangerKey.privateKey, kid: 'webchat-only' })],
    ['signed with a shared secret (HS256) instead of the channel’s RSA key', (s) => token(s, { algorithm: 'HS256' })],
    ['a serviceurl claim for another address than the activity’s serviceUrl', () => token('https://smba.trafficmanager.net/emea/')],
    ['no serviceurl claim', (s) => token(s, { claims: { serviceurl: undefined } })],
    [
      'an Entra (emulator) issuer signed by a key Entra does not list',
      (s) => token(s, { claims: { iss: 'https://sts.windows.net/d6d49420-f39b-4df7-a1dc-d59a935871db/', ver: '1.0', appid: APP_ID } }),
    ],
  ];

  it.each(cases)('%s', async (_name, make) => {
    const before = await rowCount();
    const posted = h.connector.requests.length;
    const drafts = (await repos.applications.listByApplicant(ANOUK.aadObjectId)).length;
    const activity = eligibility(`auth-${randomUUID()}`);
    const bearer = make(activity.serviceUrl);
    bearers.push(bearer);
    const logged = logLines.length;
    const res = await h.send(activity, bearer ? { authorization: `Bearer ${bearer}` } : {});
    expect(res.status).toBe(401);
    expect(logLines.slice(logged).filter((l) => l.code === 'UNAUTHENTICATED')).toHaveLength(1);
    expect(await rowCount()).toBe(before);
    expect((await repos.applications.listByApplicant(ANOUK.aadObjectId)).length).toBe(drafts);
    expect(h.connector.requests.length).toBe(posted);
  });
});

describe('the log', () => {
  it('holds no user id, name or token, in any line the requests above caused', () => {
    expect(logLines.some((l) => l.code === 'UNAUTHENTICATED')).toBe(true);
    const all = JSON.stringify(logLines);
    for (const secret of [ANOUK.aadObjectId, ANOUK.id, ANOUK.name, ...bearers.filter(Boolean)]) expect(all).not.toContain(secret);
  });
});

describe('the authentication settings', () => {
  const base = {
    STORAGE_CONNECTION_STRING: 'UseDevelopmentStorage=true',
    MicrosoftAppId: APP_ID,
    MicrosoftAppTenantId: TENANT,
    MicrosoftAppPassword: 'secret',
  };

  it('pass nothing to botbuilder in a normal deployment, so its public-cloud defaults apply', () => {
    const auth = botFrameworkAuthConfig(loadConfig(base));
    expect(Object.keys(auth).sort()).toEqual(['MicrosoftAppId', 'MicrosoftAppPassword', 'MicrosoftAppTenantId', 'MicrosoftAppType']);
  });

  it('when one endpoint is moved, every other keeps botbuilder’s public-cloud value', () => {
    const auth = botFrameworkAuthConfig(loadConfig({ ...base, ToBotFromChannelOpenIdMetadataUrl: 'https://keys.example.org/openid' }));
    expect(auth).toMatchObject({
      ToBotFromChannelOpenIdMetadataUrl: 'https://keys.example.org/openid',
      ToBotFromChannelTokenIssuer: AuthenticationConstants.ToBotFromChannelTokenIssuer,
      ToBotFromEmulatorOpenIdMetadataUrl: AuthenticationConstants.ToBotFromEmulatorOpenIdMetadataUrl,
      ToChannelFromBotLoginUrl: AuthenticationConstants.ToChannelFromBotLoginUrl,
      ToChannelFromBotOAuthScope: AuthenticationConstants.ToChannelFromBotOAuthScope,
      OAuthUrl: AuthenticationConstants.OAuthUrl,
      CallerId: 'urn:botframework:azure',
    });
  });

  it('refuses key documents over plain http in production', () => {
    expect(() => loadConfig({ ...base, ToBotFromChannelOpenIdMetadataUrl: 'http://keys.example.org/openid' })).toThrow(/https URL in production/);
    expect(loadConfig({ ...base, APP_ENV: 'test', ToBotFromChannelOpenIdMetadataUrl: 'http://127.0.0.1:1/openid' }).bot.authEndpoints).toEqual({
      ToBotFromChannelOpenIdMetadataUrl: 'http://127.0.0.1:1/openid',
    });
  });
});
