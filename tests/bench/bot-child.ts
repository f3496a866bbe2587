import { subscribe } from 'node:diagnostics_channel';
import type { ClientRequest } from 'node:http';
import { performance } from 'node:perf_hooks';
import { loadConfig } from '../../src/config';
import { start } from '../../src/index';
import { createLogger } from '../../src/log';
import { serve } from './ipc';
import { memorySampler } from './memory';

/**
 * The real bot — src/index.ts start(): restify, CloudAdapter, teams-ai, Table Storage — in its own
 * process, configured from the environment the bench passes (APP_ENV=test, LOG_LEVEL=silent, a
 * table prefix, Azurite's connection string). Besides serving Teams it reports, over IPC, its peak
 * memory, CPU and event-loop use, and what it asked of storage: every outgoing HTTP request to
 * Azurite's port, and the time during which at least one of them was in flight (the storage wait
 * on the turn's critical path when the bot does one turn at a time).
 */
export interface TraceEntry {
  kind: 'turn' | 'answer' | 'storage' | 'other';
  at: number;
  end?: number;
  method?: string;
  path?: string;
}

interface Outgoing {
  storage: number;
  other: number;
  storageBusyMs: number;
}

async function main() {
  const env = process.env;
  const storagePort = new URL(String(env.BENCH_STORAGE_URL)).port;
  const config = loadConfig({ ...env, PORT: '0' });
  const memory = memorySampler();

  let out: Outgoing = { storage: 0, other: 0, storageBusyMs: 0 };
  /** With tracing on (one turn at a time): when the turn arrived, each outgoing request, when the answer left. */
  let trace: TraceEntry[] | undefined;
  const traced = new WeakMap<ClientRequest, TraceEntry>();
  subscribe('http.server.request.start', () => trace?.push({ kind: 'turn', at: performance.now() }));
  subscribe('http.server.response.finish', () => trace?.push({ kind: 'answer', at: performance.now() }));
  let inFlight = 0;
  let busySince = 0;
  const storageRequests = new WeakSet<ClientRequest>();
  subscribe('http.client.request.start', (m) => {
    const request = (m as { request: ClientRequest }).request;
    const host = String(request.getHeader('host') ?? '');
    const storage = host.endsWith(`:${storagePort}`);
    if (trace) {
      const entry: TraceEntry = { kind: storage ? 'storage' : 'other', at: performance.now(), method: request.method, path: request.path };
      trace.push(entry);
      traced.set(request, entry);
    }
    if (storage) {
      out.storage++;
      storageRequests.add(request);
      if (inFlight++ === 0) busySince = performance.now();
    } else out.other++;
  });
  const done = (request: ClientRequest) => {
    const entry = traced.get(request);
    if (entry) entry.end = performance.now();
    if (!storageRequests.delete(request)) return;
    if (--inFlight === 0) out.storageBusyMs += performance.now() - busySince;
  };
  subscribe('http.client.response.finish', (m) => done((m as { request: ClientRequest }).request));
  subscribe('http.client.request.error', (m) => done((m as { request: ClientRequest }).request));

  let cpu = process.cpuUsage();
  let elu = performance.eventLoopUtilization();
  const running = await start(config, { log: createLogger('silent') });
  await running.ready;
  serve(
    {
      reset: () => {
        out = { storage: 0, other: 0, storageBusyMs: 0 };
        if (inFlight > 0) busySince = performance.now();
        cpu = process.cpuUsage();
        elu = performance.eventLoopUtilization();
        memory.reset();
        return true;
      },
      stats: () => {
        const c = process.cpuUsage(cpu);
        const busy = out.storageBusyMs + (inFlight > 0 ? performance.now() - busySince : 0);
        return {
          outgoing: { ...out, storageBusyMs: busy, inFlight },
          cpuMs: (c.user + c.system) / 1000,
          eventLoopUtilization: performance.eventLoopUtilization(elu).utilization,
          memory: memory.peak(),
        };
      },
      trace: () => {
        trace = [];
        return true;
      },
      takeTrace: () => {
        const taken = trace ?? [];
        trace = [];
        return taken;
      },
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
