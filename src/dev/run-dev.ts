/**
 * `npm run dev`: Azurite (Table service, persisted in .data/azurite), the bot on 3978 and one
 * Microsoft 365 Agents Playground per cast member (56150 Anouk, 56151 Ingrid, …; see DEV_CAST),
 * together: each person has their own page and personal chat, all in the one team, and nobody
 * restarts to switch roles. One Ctrl-C stops all of them.
 *
 * Development tooling only, never imported by the bot. It reads the environment (through
 * src/config's processEnvironment) only to pass it on to the children.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { prettyFactory } from 'pino-pretty';
import { castAs, DEV_CAST, personaArgument } from './cast';
import { processEnvironment } from '../config';

const ROOT = resolve(__dirname, '..', '..');
const DATA = join(ROOT, '.data');
const BIN = join(ROOT, 'node_modules', '.bin');

const AZURITE_PORT = 10002;
/** Azurite's Blob service (attachments), persisted beside the tables. */
const AZURITE_BLOB_PORT = 10000;
const BOT_PORT = 3978;

// Azurite's public development account key (documented, not a secret).
const STORAGE_CONNECTION_STRING =
  'DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;' +
  'AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;' +
  `TableEndpoint=http://127.0.0.1:${AZURITE_PORT}/devstoreaccount1;` +
  `BlobEndpoint=http://127.0.0.1:${AZURITE_BLOB_PORT}/devstoreaccount1;`;

interface Service {
  name: string;
  child: ChildProcess;
  /** Azurite flushes its data only on SIGINT; SIGTERM loses the last writes. */
  stopSignal: NodeJS.Signals;
}

const services: Service[] = [];
let shuttingDown = false;

function say(message: string): void {
  process.stdout.write(`[dev] ${message}\n`);
}

function launch(
  name: Service['name'],
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; stopSignal: NodeJS.Signals; format?: (line: string) => string },
): Service {
  const child = spawn(process.execPath, args, {
    cwd: options.cwd,
    env: options.env,
    stdio: ['ignore', 'pipe', 'pipe'],
    // Own process group: a terminal Ctrl-C reaches only this script, which then stops the
    // children in order (Azurite last) instead of all of them racing.
    detached: true,
  });
  const service: Service = { name, child, stopSignal: options.stopSignal };
  services.push(service);

  const prefix = `[${name}] `;
  const format = options.format ?? ((line: string) => line);
  for (const stream of [child.stdout, child.stderr]) {
    if (!stream) continue;
    createInterface({ input: stream }).on('line', (line) => {
      const text = format(line).replace(/\n+$/, '');
      process.stdout.write(
        text
          .split('\n')
          .map((l) => prefix + l)
          .join('\n') + '\n',
      );
    });
  }
  child.on('exit', (code, signal) => {
    if (shuttingDown) return;
    say(`${name} exited unexpectedly (code ${code}, signal ${signal}); stopping the rest.`);
    void shutdown(1);
  });
  return service;
}

function isRunning(child: ChildProcess): boolean {
  return child.exitCode === null && child.signalCode === null;
}

async function stopService({ name, child, stopSignal }: Service, graceMs = 15_000): Promise<void> {
  if (!isRunning(child)) return;
  const exited = once(child, 'exit');
  child.kill(stopSignal);
  const timer = setTimeout(() => {
    say(`${name} did not stop within ${graceMs / 1000} s; killing it.`);
    child.kill('SIGKILL');
  }, graceMs);
  await exited;
  clearTimeout(timer);
}

let shutdownPromise: Promise<void> | undefined;

function shutdown(exitCode: number): Promise<void> {
  shutdownPromise ??= (async () => {
    shuttingDown = true;
    // Reverse start order: the playground and bot stop writing before Azurite flushes.
    for (const service of [...services].reverse()) {
      if (isRunning(service.child)) say(`stopping ${service.name}`);
      await stopService(service);
    }
    say(exitCode === 0 ? 'all stopped' : 'all stopped after a failure');
    process.exit(exitCode);
  })();
  return shutdownPromise;
}

function portAnswers(port: number): Promise<boolean> {
  return new Promise((done) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      done(true);
    });
    socket.once('error', () => done(false));
  });
}

async function waitUntil(what: string, timeoutMs: number, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (shuttingDown) throw new Error('shutting down');
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${what} did not come up within ${timeoutMs / 1000} s`);
}

async function healthy(url: string): Promise<boolean> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(2_000) });
    return res.status === 200;
  } catch {
    return false;
  }
}

function listeningPort(child: ChildProcess, timeoutMs: number): Promise<number> {
  return new Promise((done, fail) => {
    // A plain listener (not a second readline, whose close() would pause the shared stream).
    let seen = '';
    const onData = (chunk: Buffer): void => {
      seen += chunk.toString();
      const match = /Listening on (\d+)/.exec(seen);
      if (match) {
        clearTimeout(timer);
        child.stdout?.off('data', onData);
        done(Number(match[1]));
      }
    };
    const timer = setTimeout(() => {
      child.stdout?.off('data', onData);
      fail(new Error(`playground did not report a port within ${timeoutMs / 1000} s`));
    }, timeoutMs);
    child.stdout?.on('data', onData);
  });
}

function botLogFormatter(): (line: string) => string {
  const pretty = prettyFactory({
    colorize: Boolean(process.stdout.isTTY),
    translateTime: 'HH:MM:ss.l',
    ignore: 'pid,hostname,service',
    singleLine: true,
  });
  return (line) => {
    if (!line.startsWith('{')) return line;
    try {
      return pretty(JSON.parse(line) as object);
    } catch {
      return line;
    }
  };
}

/** The row-key layout of the tables (src/store/entities.ts); raised when it changes incompatibly. */
const STORAGE_LAYOUT = '3';

/**
 * Local data written with an older row-key layout would show an empty panel and lost reviews: it
 * is moved aside (not deleted) and the demo round is seeded afresh.
 */
function keepAsideOlderLayout(azuriteDir: string): void {
  const marker = join(DATA, 'layout');
  const layout = existsSync(marker) ? readFileSync(marker, 'utf8').trim() : '1';
  if (layout === STORAGE_LAYOUT || !existsSync(azuriteDir)) return;
  const aside = `${azuriteDir}-layout${layout}-${new Date().toISOString().slice(0, 19).replace(/[-:T]/g, '')}`;
  renameSync(azuriteDir, aside);
  console.log(`Local data from an older storage layout moved to ${aside}; starting with a fresh demo round.`);
}

async function main(): Promise<void> {
  const started = Date.now();
  // `on`, not `once`: npm, sh and tsx may each pass the same Ctrl-C along, and a repeated
  // signal must not kill this script half-way through stopping Azurite.
  const onSignal = (): void => {
    if (shuttingDown) say('already stopping…');
    void shutdown(0);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  // Children run in their own process groups, so nothing else would stop them if this
  // script dies abruptly; best effort, as 'exit' handlers cannot wait.
  process.once('exit', () => {
    for (const { child, stopSignal } of services) if (isRunning(child)) child.kill(stopSignal);
  });

  // Fixed ports: a leftover process would otherwise answer for us and confuse everything.
  for (const [name, port] of [
    ['Azurite', AZURITE_PORT],
    ['Azurite (blobs)', AZURITE_BLOB_PORT],
    ['the bot', BOT_PORT],
  ] as const) {
    if (await portAnswers(port)) {
      throw new Error(`port ${port} (${name}) is already in use; stop whatever is listening there first`);
    }
  }

  const azuriteDir = join(DATA, 'azurite');
  const playgroundDir = join(DATA, 'playground');
  keepAsideOlderLayout(azuriteDir);
  mkdirSync(azuriteDir, { recursive: true });
  writeFileSync(join(DATA, 'layout'), STORAGE_LAYOUT);
  mkdirSync(playgroundDir, { recursive: true });

  launch(
    'azurite',
    [
      join(BIN, 'azurite-table'),
      '--location',
      azuriteDir,
      // Without this it reports to Microsoft's telemetry hosts.
      '--disableTelemetry',
      '--tableHost',
      '127.0.0.1',
      '--tablePort',
      String(AZURITE_PORT),
      '--skipApiVersionCheck',
      // No access log: the bot's health checks would flood the console.
      '--silent',
    ],
    { cwd: ROOT, env: processEnvironment(), stopSignal: 'SIGINT' },
  );
  await waitUntil('Azurite', 30_000, () => portAnswers(AZURITE_PORT));
  launch(
    'azurite-blob',
    [
      join(BIN, 'azurite-blob'),
      '--location',
      join(azuriteDir, 'blob'),
      '--disableTelemetry',
      '--blobHost',
      '127.0.0.1',
      '--blobPort',
      String(AZURITE_BLOB_PORT),
      '--skipApiVersionCheck',
      '--silent',
    ],
    { cwd: ROOT, env: processEnvironment(), stopSignal: 'SIGINT' },
  );
  await waitUntil('Azurite (blobs)', 30_000, () => portAnswers(AZURITE_BLOB_PORT));

  launch('bot', ['--import', 'tsx', 'src/index.ts'], {
    cwd: ROOT,
    env: {
      ...processEnvironment(),
      APP_ENV: 'local',
      PORT: String(BOT_PORT),
      STORAGE_CONNECTION_STRING,
      SEED_DEMO: 'true',
    },
    stopSignal: 'SIGTERM',
    format: botLogFormatter(),
  });
  await waitUntil('the bot', 60_000, () => healthy(`http://127.0.0.1:${BOT_PORT}/healthz`));
  const botReady = Date.now();

  // One Playground per person, all at once: the Playground keeps its conversations in memory and
  // always acts as its config's current user, so switching people by restarting it would lose the
  // channel's cards and the chats. The bot answers each through the activity's serviceUrl and
  // reaches each person later through the serviceUrl stored with their personal chat.
  const pages: { name: string; port: number }[] = [];
  await Promise.all(
    DEV_CAST.map(async ({ who, port: wanted }) => {
      const persona = castAs(join(ROOT, '.m365agentsplayground.yml'), who, playgroundDir);
      const cwd = join(playgroundDir, who);
      mkdirSync(cwd, { recursive: true });
      const playground = launch(
        `playground:${who}`,
        [join(BIN, 'agentsplayground'), '-e', `http://localhost:${BOT_PORT}/api/messages`, '-c', 'msteams', '--dt', '-p', String(wanted)],
        {
          // It writes ./devTools/ into its working directory; keep that in the ignored .data/.
          cwd,
          env: {
            ...processEnvironment(),
            TEAMSAPPTESTER_BROWSER: 'none',
            APPLICATION_INSIGHTS_NO_STATSBEAT: 'true',
            M365_AGENTS_PLAYGROUND_CONFIG_PATH: persona.path,
            // Activities carry the playground's time zone; use the users' one.
            TZ: processEnvironment().TZ ?? 'Europe/Amsterdam',
          },
          stopSignal: 'SIGTERM',
        },
      );
      // If the port is taken it silently picks another: print the real one.
      pages.push({ name: persona.name, port: await listeningPort(playground.child, 60_000) });
    }),
  );
  pages.sort((a, b) => a.port - b.port);

  const seconds = (ms: number): string => (ms / 1000).toFixed(1);
  say(`bot healthy after ${seconds(botReady - started)} s, everything up after ${seconds(Date.now() - started)} s`);
  const asked = personaArgument(process.argv.slice(2));
  const first = pages.find((p) => asked && p.name.toLowerCase().startsWith(asked.toLowerCase())) ?? pages[0]!;
  say(`Open http://localhost:${first.port} and type: hallo — you are ${first.name}. Every person has their own page:`);
  for (const p of pages) say(`  http://localhost:${p.port}  ${p.name}`);
  say('Ctrl-C stops the playgrounds, the bot and Azurite (data stays in .data/azurite).');
}

main().catch((err: unknown) => {
  if (shuttingDown) return;
  say(`failed: ${err instanceof Error ? err.message : String(err)}`);
  void shutdown(1);
});
