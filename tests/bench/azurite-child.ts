import { subscribe } from 'node:diagnostics_channel';
import type { IncomingMessage } from 'node:http';
import { startAzurite } from '../support/azurite';
import { serve } from './ipc';
import { memorySampler } from './memory';

/**
 * In-memory Azurite (the tests' in-process helper) in its own process, with every HTTP request it
 * receives counted through Node's `http.server.request.start` diagnostics channel: nothing sits
 * between the bot and Azurite, so counting adds no latency. With `log` on, each request's method
 * and path (the OData filter decoded) is kept, to list what one turn does.
 */
export interface StorageRequest {
  at: number;
  method: string;
  path: string;
}

async function main() {
  const azurite = await startAzurite();
  const memory = memorySampler();
  let count = 0;
  let log: StorageRequest[] | undefined;
  let last = Date.now();
  subscribe('http.server.request.start', (message) => {
    const request = (message as { request: IncomingMessage }).request;
    count++;
    last = Date.now();
    if (log) log.push({ at: performance.now(), method: request.method ?? '', path: decodeURIComponent(request.url ?? '') });
  });
  serve(
    {
      count: () => ({ count, lastAt: last, now: Date.now() }),
      startLog: () => {
        log = [];
        return true;
      },
      takeLog: () => {
        const taken = log ?? [];
        log = [];
        return taken;
      },
      stopLog: () => {
        log = undefined;
        return true;
      },
      memory: () => memory.peak(),
      cpu: () => process.cpuUsage(),
      resetMemory: () => memory.reset(),
      stop: async () => {
        await azurite.stop();
        return true;
      },
    },
    { connectionString: azurite.connectionString, url: azurite.url },
  );
}

main().catch((e) => {
  process.stderr.write(`azurite child failed: ${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
