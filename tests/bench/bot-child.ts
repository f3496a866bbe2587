import { performance } from 'node:perf_hooks';
import { loadConfig } from '../../src/config';
import { start } from '../../src/index';
import { createLogger } from '../../src/log';
import { serve } from './ipc';
import { outgoingCounter } from './outgoing';
import { memorySampler } from './memory';

/**
 * The real bot — src/index.ts start(): restify, CloudAdapter, teams-ai, Table Storage — in its own
 * process, configured from the environment the bench passes (APP_ENV=test, LOG_LEVEL=silent, a
 * table prefix, Azurite's connection string). Besides serving Teams it reports, over IPC, its peak
 * memory, CPU and event-loop use, and what it asked of storage: every outgoing HTTP request to
 * Azurite's port, and the time during which at least one of them was in flight (the storage wait
 * on the turn's critical path when the bot does one turn at a time).
 */
async function main() {
  const env = process.env;
  const config = loadConfig({ ...env, PORT: '0' });
  const memory = memorySampler();
  const outgoing = outgoingCounter(String(env.BENCH_STORAGE_URL));

  let cpu = process.cpuUsage();
  let elu = performance.eventLoopUtilization();
  const running = await start(config, { log: createLogger('silent') });
  await running.ready;
  serve(
    {
      reset: () => {
        outgoing.reset();
        cpu = process.cpuUsage();
        elu = performance.eventLoopUtilization();
        memory.reset();
        return true;
      },
      stats: () => {
        const c = process.cpuUsage(cpu);
        return {
          outgoing: outgoing.now(),
          cpuMs: (c.user + c.system) / 1000,
          eventLoopUtilization: performance.eventLoopUtilization(elu).utilization,
          memory: memory.peak(),
        };
      },
      trace: () => {
        outgoing.startTrace();
        return true;
      },
      takeTrace: () => outgoing.takeTrace(),
      stop: async () => {
        await running.stop();
        return true;
      },
    },
    { url: running.url, port: running.port },
  );
}

main().catch((e) => {
  process.stderr.write(`bot child failed: ${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
