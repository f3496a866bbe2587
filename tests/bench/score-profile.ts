import { writeFileSync } from 'node:fs';
import { Agent, createServer, Server } from 'node:http';
import { Session } from 'node:inspector/promises';
import type { AddressInfo } from 'node:net';
import { loadConfig } from '../../src/config';
import { start } from '../../src/index';
import { createLogger } from '../../src/log';
import { systemClock } from '../../src/clock';
import { ensureTables, tableClients } from '../../src/store/tables';
import { tableRepos } from '../../src/store/table-repos';
import { Child, spawnChild } from './ipc';
import { post } from './load';
import { ACCOUNTHOUDER, checkScore, scoreInvoke, scoreRound } from './setup';

/**
 * Bot CPU per `review.score` turn, one invoke at a time (CPU time, not wall time: the machine may
 * be busy with other work). Same round as `npm run bench` (8 posted review cards, a panel of 6 of
 * whom 5 score), built with tests/bench/setup.ts.
 *
 *   npx tsx tests/bench/score-profile.ts                 bot in this process (with the load generator)
 *   npx tsx tests/bench/score-profile.ts --child         bot in its own process (tests/bench/bot-child.ts): bot CPU only
 *   npx tsx tests/bench/score-profile.ts --floor         the storage floor (bare-child.ts, BENCH_FLOOR=1) the same way:
 *                                                        with BENCH_PROFILE_DIR set, the two profiles can be compared
 *   npx tsx tests/bench/score-profile.ts --profile /tmp/score.cpuprofile
 *                                                        a V8 CPU profile of the measured turns only (open it in
 *                                                        Chrome DevTools); `node --cpu-prof --import tsx …` works
 *                                                        too but includes start-up, setup and warm-up
 *
 * Azurite always runs in its own process (tests/bench/azurite-child.ts), so its CPU is not counted.
 * In-process, the figure includes the load generator and the connector stand-in (a small, constant
 * part); --child gives the bot alone, the way the bench measures it. Each round also says how many
 * shared-card updates reached the connector stand-in while it ran.
 * Options: --turns N (default 400), --warmup N (default 300), --rounds N (repeat the measurement, default 3).
 */

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const TURNS = arg('turns', 400);
const WARMUP = arg('warmup', 300);
const ROUNDS = arg('rounds', 3);
/** --floor: the storage floor (bare-child.ts with BENCH_FLOOR=1) in its own process instead of the bot, for a profile to compare with. */
const FLOOR = process.argv.includes('--floor');
const CHILD = process.argv.includes('--child') || FLOOR;
const PROFILE = process.argv.includes('--profile') ? process.argv[process.argv.indexOf('--profile') + 1] : undefined;
if (PROFILE && CHILD) throw new Error('--profile profiles this process: leave out --child (or set BENCH_PROFILE_DIR for the child)');

/** The Bot Framework connector as the bot sees it: answers every send and update at once, without parsing. */
async function startConnector(): Promise<{ url: string; updates: () => number; stop(): Promise<void> }> {
  let n = 0;
  let updates = 0;
  const server: Server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      if (req.method === 'PUT') updates++;
      res.setHeader('content-type', 'application/json');
      res.end(`{"id":"reply-${++n}"}`);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    updates: () => updates,
    stop: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const cpuMs = (c: NodeJS.CpuUsage) => (c.user + c.system) / 1000;

async function main() {
  const az: Child<{ connectionString: string; url: string }> = await spawnChild('azurite-child.ts');
  const connector = await startConnector();
  const env = {
    APP_ENV: 'test',
    LOG_LEVEL: 'silent',
    STORAGE_CONNECTION_STRING: az.ready.connectionString,
    TABLE_PREFIX: 'Prof',
    SEED_DEMO: 'false',
    ACCOUNTHOUDER_IDS: ACCOUNTHOUDER,
    MicrosoftAppId: '',
    BENCH_STORAGE_URL: az.ready.url,
  };
  const clients = tableClients(az.ready.connectionString, env.TABLE_PREFIX);
  await ensureTables(clients);
  const sr = await scoreRound(tableRepos(clients), systemClock, connector.url, { apps: 8, members: 6 });
  const pairs = sr.scorers.flatMap((user) => sr.apps.map((app) => ({ user, app })));
  let seed = 0;
  const bodies = (n: number) =>
    Array.from({ length: n }, (_, k) =>
      JSON.stringify(scoreInvoke(connector.url, sr.round, pairs[k % pairs.length]!.user, pairs[k % pairs.length]!.app, seed++)),
    );

  // The bot: here, or in its own process answering reset/stats over IPC.
  let bot: { url: string; reset(): Promise<void>; cpuMs(): Promise<number>; stop(): Promise<void> };
  if (CHILD) {
    const child: Child<{ url: string }> = await spawnChild(FLOOR ? 'bare-child.ts' : 'bot-child.ts', FLOOR ? { ...env, BENCH_FLOOR: '1' } : env);
    bot = {
      url: child.ready.url,
      reset: async () => void (await child.ask('reset')),
      cpuMs: async () => (await child.ask<{ cpuMs: number }>('stats')).cpuMs,
      stop: () => child.kill(),
    };
  } else {
    const running = await start(loadConfig({ ...process.env, ...env, PORT: '0' }), { log: createLogger('silent') });
    await running.ready;
    let since = process.cpuUsage();
    bot = {
      url: running.url,
      reset: async () => void (since = process.cpuUsage()),
      cpuMs: async () => cpuMs(process.cpuUsage(since)),
      stop: () => running.stop(),
    };
  }

  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const run = async (list: string[]) => {
    const failures: Record<string, number> = {};
    for (const body of list) {
      const res = await post(agent, `${bot.url}/api/messages`, body);
      const problem = FLOOR
        ? res.status === 200 && res.text.includes('Je scores zijn opgeslagen')
          ? undefined
          : `HTTP ${res.status}`
        : checkScore(res.status, res.text);
      if (problem) failures[problem] = (failures[problem] ?? 0) + 1;
    }
    return failures;
  };

  await run(bodies(WARMUP));
  const session = PROFILE ? new Session() : undefined;
  if (session) {
    session.connect();
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: 200 });
    await session.post('Profiler.start');
  }
  const figures: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const list = bodies(TURNS);
    await sleep(200);
    await bot.reset();
    const updates0 = connector.updates();
    const failures = await run(list);
    // The shared-card refresh runs after the answer: let the last one finish inside the window.
    await sleep(100);
    const ms = await bot.cpuMs();
    figures.push(ms / TURNS);
    const updates = connector.updates() - updates0;
    process.stderr.write(
      `round ${r + 1}: ${TURNS} turns, ${(ms / TURNS).toFixed(2)} ms CPU per turn, ${updates} shared-card updates${Object.keys(failures).length ? `, failures ${JSON.stringify(failures)}` : ''}\n`,
    );
  }
  if (session) {
    const { profile } = await session.post('Profiler.stop');
    writeFileSync(PROFILE!, JSON.stringify(profile));
    session.disconnect();
    process.stderr.write(`profile of the measured turns: ${PROFILE}\n`);
  }
  const sorted = [...figures].sort((a, b) => a - b);
  console.log(
    `review.score, one at a time, ${FLOOR ? 'storage floor in its own process' : CHILD ? 'bot in its own process (bot CPU only)' : 'bot in this process (incl. load generator)'}: ` +
      `${sorted[Math.floor(sorted.length / 2)]!.toFixed(2)} ms CPU per turn (median of ${ROUNDS} × ${TURNS}; min ${sorted[0]!.toFixed(2)}, max ${sorted[sorted.length - 1]!.toFixed(2)})`,
  );

  agent.destroy();
  await bot.stop();
  await connector.stop();
  await az.kill();
}

main().then(
  () => process.exit(0),
  (e) => {
    process.stderr.write(`score-profile failed: ${e instanceof Error ? e.stack : String(e)}\n`);
    process.exit(1);
  },
);
