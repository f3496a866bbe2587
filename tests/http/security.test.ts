import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness } from '../support/harness';
import { ANOUK, personalMessage } from '../support/teams';
import { ConfigError, environment, loadConfig, LOCAL_LINK_SECRET_PREFIX } from '../../src/config';
import { reportLinker } from '../../src/reports/links';

describe('the door, with a bot registration configured', () => {
  let h: Awaited<ReturnType<typeof startHarness>>;
  beforeAll(async () => {
    h = await startHarness({
      env: {
        APP_ENV: 'production',
        MicrosoftAppId: '3f1a2b4c-5d6e-4f70-8a9b-0c1d2e3f4a5b',
        MicrosoftAppPassword: 'not-a-real-secret',
        MicrosoftAppType: 'SingleTenant',
        MicrosoftAppTenantId: '7c1d9f43-2b8e-4b8f-9a51-0f4c2b7e1a11',
      },
    });
  });
  afterAll(() => h?.stop());

  it('refuses a request without a token (401) and does nothing with it', async () => {
    const res = await h.send(personalMessage(h.connector.url, ANOUK, 'hallo'));
    expect(res.status).toBe(401);
    expect(h.connector.posted).toEqual([]);
  });

  it('answers anything but POST on the messaging endpoint with 405', async () => {
    for (const method of ['GET', 'PUT', 'DELETE']) {
      const res = await fetch(`${h.bot.url}/api/messages`, { method });
      expect(res.status).toBe(405);
    }
  });

  it('reports health with storage status', async () => {
    const res = await fetch(`${h.bot.url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok', storage: 'ok' });
  });
});

describe('configuration', () => {
  const storage = { STORAGE_CONNECTION_STRING: 'UseDevelopmentStorage=true' };

  it('local runs sign download links with the fixed local secret, so a link outlives a restart; production refuses that secret', () => {
    const local = loadConfig(environment({ APP_ENV: 'local', ...storage }));
    expect(local.linkSecret.startsWith(LOCAL_LINK_SECRET_PREFIX)).toBe(true);
    const now = new Date('2026-11-23T09:00:00Z');
    const before = reportLinker({ publicUrl: 'http://localhost:3978', linkSecret: local.linkSecret });
    const afterRestart = reportLinker({ publicUrl: 'http://localhost:3978', linkSecret: loadConfig(environment({ APP_ENV: 'local', ...storage })).linkSecret });
    const link = new URL(before.url('LB-2026', 'verdeling.md', now));
    const later = new Date(now.getTime() + 6 * 86_400_000);
    expect(afterRestart.verify('LB-2026', 'verdeling.md', link.searchParams.get('exp') ?? '', link.searchParams.get('sig') ?? '', later)).toBe(true);
    const production = {
      ...storage,
      APP_ENV: 'production',
      MicrosoftAppId: 'abc',
      MicrosoftAppPassword: 'pw',
      MicrosoftAppTenantId: '7c1d9f43-2b8e-4b8f-9a51-0f4c2b7e1a11',
    };
    expect(() => loadConfig({ ...production, LINK_SECRET: local.linkSecret })).toThrow(/LINK_SECRET is the published local one/);
    expect(loadConfig({ ...production, LINK_SECRET: 'a-secret-of-its-own' }).linkSecret).toBe('a-secret-of-its-own');
  });

  it('refuses to start without an app id unless the run is local or test', () => {
    expect(() => loadConfig({ ...storage })).toThrow(ConfigError);
    expect(() => loadConfig({ ...storage, APP_ENV: 'production', MicrosoftAppId: '' })).toThrow(/MicrosoftAppId is empty.*APP_ENV=local/s);
    expect(loadConfig({ ...storage, APP_ENV: 'local' }).bot.appId).toBe('');
    expect(
      loadConfig({
        ...storage,
        APP_ENV: 'production',
        MicrosoftAppId: 'abc',
        MicrosoftAppPassword: 's',
        MicrosoftAppTenantId: '7c1d9f43-2b8e-4b8f-9a51-0f4c2b7e1a11',
      }).appEnv,
    ).toBe('production');
  });

  it('names every problem with the environment', () => {
    try {
      loadConfig({ APP_ENV: 'staging', PORT: 'eighty' });
      expect.unreachable();
    } catch (e) {
      expect((e as ConfigError).problems.join('\n')).toMatch(/APP_ENV[\s\S]*PORT[\s\S]*STORAGE_CONNECTION_STRING/);
    }
  });

  it('reads typed values with defaults', () => {
    const c = loadConfig({ ...storage, APP_ENV: 'local', PORT: '4000', SEED_DEMO: 'true', TABLE_PREFIX: 'Dev1' });
    expect(c).toMatchObject({ port: 4000, seedDemo: true, storage: { tablePrefix: 'Dev1' }, logLevel: 'info' });
  });
});

describe('malformed requests at the door', () => {
  let h: Awaited<ReturnType<typeof startHarness>>;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h?.stop());

  it('a gzip header on a body that is not gzip is refused, and the bot keeps running', async () => {
    const res = await fetch(`${h.bot.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
      body: '{}',
    });
    expect(res.status).toBe(415);
    expect((await fetch(`${h.bot.url}/healthz`)).status).toBe(200);
  });

  it.each([{}, { type: '' }, { type: 7 }, [], 'text', { type: 'message', text: 'hallo' }])(
    'a body that is not an activity (%j) gets 400 without internal details',
    async (body) => {
      const res = await h.send(body as object);
      expect(res.status).toBe(400);
      expect(JSON.stringify(res.body)).not.toMatch(/validateAndFixActivity|Error:/);
    },
  );
});
