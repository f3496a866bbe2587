import { execFileSync, spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config';
import { telemetry as atStart } from '../../src/start-telemetry';
import { scrubSpan, startTelemetry } from '../../src/telemetry';
import { PERSONAL } from './telemetry-driver';

interface Envelope {
  data: { baseType: string; baseData: Record<string, any> };
}

/**
 * Loopback only: the driver runs in its own network namespace. The SDK polls Microsoft's settings
 * service whatever the configuration, so without a namespace this test does not run the bot at all.
 */
function runDriver(): { code: number; items: Envelope[]; logLines: Record<string, unknown>[]; connectorPosts: number } {
  const driver = ['--import', 'tsx', 'tests/teamsapp/telemetry-driver.ts'];
  if (spawnSync('unshare', ['-n', 'true']).status !== 0)
    throw new Error('this test needs `unshare -n` (root, util-linux) to keep the bot off the network; run it as root');
  const out = execFileSync('unshare', ['-n', 'sh', '-c', `ip link set lo up && exec "${process.execPath}" ${driver.join(' ')}`], { encoding: 'utf8' });
  return JSON.parse(out.trim().split('\n').at(-1)!);
}

describe('OpenTelemetry to Application Insights', () => {
  it('with APPLICATIONINSIGHTS_CONNECTION_STRING the bot (as production starts it) sends traces and logs, and nothing personal', () => {
    const run = runDriver();
    expect(run.code).toBe(0);
    const of = (type: string) => run.items.filter((i) => i.data.baseType === type).map((i) => i.data.baseData);

    // Incoming requests: the path, never the query (download signatures, anything typed into a URL).
    const urls = of('RequestData').map((r) => r.url as string);
    expect(urls).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/\/healthz$/),
        expect.stringMatching(/\/api\/reports\/round-2026\/awards\.csv$/),
        expect.stringMatching(/\/api\/messages$/),
      ]),
    );
    // The Azure SDK was instrumented, so telemetry started before it was loaded; outgoing calls carry no URL.
    const deps = of('RemoteDependencyData');
    expect(deps.some((d) => d.properties?.['az.namespace'] === 'Microsoft.Data.Tables')).toBe(true);
    for (const d of deps) expect(d.data ?? '', d.name).toBe('');
    // pino's lines as log records.
    expect(of('MessageData').find((m) => m.message === 'listening')?.properties).toMatchObject({ telemetry: 'true' });
    // Exceptions keep their type and frames, not their message.
    for (const e of of('ExceptionData').flatMap((x) => x.exceptions)) expect(e.message).toBe('Exception');

    const sent = JSON.stringify(run.items);
    for (const [what, value] of Object.entries(PERSONAL)) expect(sent, what).not.toContain(value);
    expect(sent).not.toMatch(/a:personal-|\/v3\/conversations|exp=|sig=|devstoreaccount1|Mozilla/);
  });

  it('without a connection string nothing starts: no SDK loaded, no instrumentation', async () => {
    const config = loadConfig({ APP_ENV: 'test', STORAGE_CONNECTION_STRING: 'UseDevelopmentStorage=true' });
    expect(config.telemetry.connectionString).toBe('');
    const off = startTelemetry(config);
    expect(off.enabled).toBe(false);
    expect(off.logDestination('info')).toBeUndefined();
    expect(Object.keys(require.cache).some((k) => k.includes('monitor-opentelemetry'))).toBe(false);
    const http = await import('node:http');
    expect((http.Server.prototype.emit as { __wrapped?: boolean }).__wrapped).toBeUndefined();
    // Imported by anything but the process entry (here: a test), start-telemetry starts nothing either.
    expect(atStart).toBeUndefined();
  });

  it('refuses a connection string that is not one (the exporter would throw at start; the config says why instead)', () => {
    expect(() => loadConfig({ APP_ENV: 'test', STORAGE_CONNECTION_STRING: 'x', APPLICATIONINSIGHTS_CONNECTION_STRING: 'https://example.org' })).toThrow(
      /APPLICATIONINSIGHTS_CONNECTION_STRING/,
    );
    expect(() =>
      loadConfig({
        APP_ENV: 'test',
        STORAGE_CONNECTION_STRING: 'x',
        APPLICATIONINSIGHTS_CONNECTION_STRING: 'InstrumentationKey=abc;IngestionEndpoint=https://x/',
      }),
    ).toThrow(/APPLICATIONINSIGHTS_CONNECTION_STRING/);
  });

  it('the span filter keeps an allowlist: queries go, user agents, client addresses and outgoing URLs are dropped', () => {
    const server = {
      kind: 1,
      attributes: {
        'http.method': 'GET',
        'http.target': `/api/reports/r/a.csv?sig=${PERSONAL.signature}`,
        'url.full': `https://bot/x?email=${PERSONAL.email}`,
        'url.query': `email=${PERSONAL.email}`,
        'user_agent.original': PERSONAL.userAgent,
        'client.address': '203.0.113.7',
        'enduser.id': PERSONAL.userId,
        'http.status_code': 200,
      } as Record<string, unknown>,
      events: [
        {
          attributes: {
            'exception.type': 'RestError',
            'exception.message': PERSONAL.email,
            'exception.stacktrace': `Error: ${PERSONAL.email}\n    at f (x.js:1:1)`,
          },
        },
      ],
      status: { code: 2, message: PERSONAL.email },
    };
    scrubSpan(server);
    expect(server.attributes).toEqual({ 'http.method': 'GET', 'http.target': '/api/reports/r/a.csv', 'url.full': 'https://bot/x', 'http.status_code': 200 });
    expect(server.events[0]!.attributes).toEqual({ 'exception.type': 'RestError', 'exception.stacktrace': '    at f (x.js:1:1)' });
    expect(server.status.message).toBe('');
    const client = {
      kind: 2,
      attributes: {
        'http.method': 'PUT',
        'url.full': `https://acc.table/Rounds(RowKey='round_panel_${PERSONAL.userId}')`,
        'server.address': 'acc.table',
      } as Record<string, unknown>,
    };
    scrubSpan(client);
    expect(client.attributes).toEqual({ 'http.method': 'PUT', 'server.address': 'acc.table' });
  });
});
