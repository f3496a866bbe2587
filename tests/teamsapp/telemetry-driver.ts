/**
 * Run by tests/teamsapp/telemetry.test.ts in a network namespace with loopback only: starts a
 * stand-in for the Application Insights ingestion endpoint, the recording connector, and the bot
 * as production starts it (`node src/index.ts` as the process entry) with
 * APPLICATIONINSIGHTS_CONNECTION_STRING pointing at the stand-in. It sends requests full of
 * personal data and secrets, stops the bot (which flushes its telemetry) and prints, as one JSON
 * line, every telemetry item the bot sent.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { startConnector } from '../support/connector';
import { ANOUK, personalMessage } from '../support/teams';

export const PERSONAL = {
  email: 'jan.jansen@example.org',
  token: 'TOKEN-8f3c2a91d7',
  signature: 'SIG-4b7e19c0aa',
  userAgent: 'Mozilla/5.0 (Jan Jansen; jan.jansen@example.org)',
  name: ANOUK.name,
  userId: ANOUK.aadObjectId,
  text: 'mijn telefoon is 06-12345678',
};

async function main() {
  const items: unknown[] = [];
  // The exporter speaks HTTPS only: a certificate for 127.0.0.1 made for this run, trusted by the
  // bot through NODE_EXTRA_CA_CERTS (verification stays on).
  const dir = mkdtempSync(join(tmpdir(), 'leerbudget-ingestion-'));
  const [keyFile, certFile] = [join(dir, 'key.pem'), join(dir, 'cert.pem')];
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      keyFile,
      '-out',
      certFile,
      '-days',
      '1',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
    ],
    {
      stdio: 'ignore',
    },
  );
  const ingestion = createServer({ key: readFileSync(keyFile), cert: readFileSync(certFile) }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const text = (req.headers['content-encoding'] === 'gzip' ? gunzipSync(body) : body).toString('utf8');
      // The exporter posts a JSON array (or newline-delimited JSON) of envelopes.
      const parsed = text.trim().startsWith('[')
        ? (JSON.parse(text) as unknown[])
        : text
            .split('\n')
            .filter(Boolean)
            .map((l) => JSON.parse(l) as unknown);
      items.push(...parsed);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ itemsReceived: parsed.length, itemsAccepted: parsed.length, errors: [] }));
    });
  });
  await new Promise<void>((r) => ingestion.listen(0, '127.0.0.1', r));
  const ingestionUrl = `http://127.0.0.1:${(ingestion.address() as AddressInfo).port}/`;
  const connector = await startConnector();
  const withTelemetry = process.argv[2] !== 'off';

  const bot = spawn(process.execPath, ['--import', 'tsx', 'src/index.ts'], {
    env: {
      PATH: process.env.PATH,
      NODE_EXTRA_CA_CERTS: certFile,
      APP_ENV: 'test',
      PORT: '0',
      // Storage is down (nothing listens on port 9): the bot starts anyway and keeps trying, which
      // makes Azure SDK calls with row keys and table URLs in them.
      STORAGE_CONNECTION_STRING:
        'DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;TableEndpoint=http://127.0.0.1:9/devstoreaccount1;',
      LINK_SECRET: 'a-link-secret-for-this-test-only-0123456789',
      ...(withTelemetry
        ? { APPLICATIONINSIGHTS_CONNECTION_STRING: `InstrumentationKey=00000000-0000-4000-8000-000000000000;IngestionEndpoint=${ingestionUrl}` }
        : {}),
      // The SDK's own usage reports and cloud detection would reach outside: off for this run.
      APPLICATION_INSIGHTS_NO_STATSBEAT: 'true',
      APPLICATIONINSIGHTS_STATSBEAT_DISABLED: 'true',
      APPLICATIONINSIGHTS_SDKSTATS_DISABLED: 'true',
      OTEL_NODE_RESOURCE_DETECTORS: 'env,host,os',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const logLines: Record<string, unknown>[] = [];
  let buffered = '';
  const listening = new Promise<number>((resolve, reject) => {
    bot.once('exit', (code) => reject(new Error(`bot exited with ${code}`)));
    bot.stdout.on('data', (c: Buffer) => {
      buffered += c.toString('utf8');
      let nl: number;
      while ((nl = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, nl);
        buffered = buffered.slice(nl + 1);
        try {
          const entry = JSON.parse(line) as Record<string, unknown>;
          logLines.push(entry);
          if (entry.msg === 'listening') resolve(Number(entry.port));
        } catch {
          if (process.env.TELEMETRY_DRIVER_DEBUG) process.stderr.write(`${line}\n`);
        }
      }
    });
  });
  const port = await listening;
  const base = `http://127.0.0.1:${port}`;
  const headers = { 'user-agent': PERSONAL.userAgent, 'x-ms-client-principal-name': PERSONAL.email };

  await fetch(`${base}/healthz?email=${encodeURIComponent(PERSONAL.email)}&token=${PERSONAL.token}`, { headers });
  await fetch(`${base}/api/reports/round-2026/awards.csv?exp=1999999999&sig=${PERSONAL.signature}`, { headers });
  const activity = personalMessage(connector.url, ANOUK, PERSONAL.text);
  await fetch(`${base}/api/messages?user=${encodeURIComponent(PERSONAL.email)}`, {
    method: 'POST',
    headers: { ...headers, 'content-type': 'application/json' },
    body: JSON.stringify(activity),
  });

  const exited = new Promise<number | null>((r) => bot.once('exit', (code) => r(code)));
  bot.kill('SIGTERM');
  const code = await exited;
  await connector.stop();
  ingestion.close();
  rmSync(dir, { recursive: true, force: true });
  // Idle keep-alive sockets would hold the process open for seconds: done is done.
  process.stdout.write(`${JSON.stringify({ code, items, logLines, connectorPosts: connector.posted.length })}\n`, () => process.exit(0));
}

main().catch((e) => {
  process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
